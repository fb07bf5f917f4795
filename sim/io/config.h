/*
 * config.h - the machine a run simulates, read from INI files.
 *
 * One table in config.c lists every key: its section, default, parser and
 * help text. Key names are unique across sections, so `--set page_size=8K`
 * needs no section, and summary.csv names its columns after the keys.
 * Values are validated as they are read (file:line: error: ...), and the
 * whole config once more by cfg_check() before anything is allocated.
 */
#ifndef SIM_IO_CONFIG_H
#define SIM_IO_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define CFG_UNLIMITED UINT64_MAX   /* value of an "unlimited" rlimit */

enum cfg_layout {
	CFG_LAYOUT_TOPDOWN,        /* mmap below mmap_base, downward (Linux default) */
	CFG_LAYOUT_LEGACY,         /* bottom-up from task_size/3 (ADDR_COMPAT_LAYOUT) */
};

struct sim_config {
	/* [machine] */
	uint64_t memory_size;      /* bytes of simulated physical memory */
	uint64_t page_size;        /* bytes per page (power of two) */
	unsigned max_order;        /* largest buddy order (Linux: 10) */
	unsigned cpus;             /* simulated CPUs */

	/* [layout]: the address-space rules of mm/ */
	unsigned va_bits;          /* virtual address bits (32, 39, 48, 57) */
	uint64_t task_size;        /* end of user space (TASK_SIZE) */
	uint64_t mmap_min_addr;    /* lowest address mmap may hand out */
	uint64_t stack_rlimit;     /* RLIMIT_STACK bytes, CFG_UNLIMITED */
	uint64_t stack_guard_gap;  /* bytes kept free below growsdown VMAs */
	uint64_t mmap_base;        /* 0: derived from task_size and stack_rlimit */
	enum cfg_layout mmap_layout; /* topdown or legacy */
	uint64_t max_map_count;    /* most VMAs per address space */
	uint64_t address_space_limit; /* RLIMIT_AS bytes, CFG_UNLIMITED */

	/* [costs]: simulated nanoseconds per operation */
	uint64_t cost_kalloc_ns;   /* one buddy allocation */
	uint64_t cost_kfree_ns;    /* one buddy free */
	uint64_t cost_syscall_ns;  /* entering and leaving the kernel */
	uint64_t cost_vma_op_ns;   /* one mmap/munmap/mprotect/brk VMA update */
	uint64_t cost_fault_ns;    /* page-fault entry and exit */
	uint64_t cost_zero_page_ns; /* zeroing one page */
	uint64_t cost_tlb_hit_ns;  /* a translation served by the TLB */
	uint64_t cost_walk_level_ns; /* one page-table level of a walk */
	uint64_t cost_context_switch_ns; /* switching processes on a CPU */

	/* [run] */
	uint64_t sample_interval_ns; /* time-series sampling period (0: off) */
	uint64_t seed;             /* seed of every generator in the run */
	bool validate;             /* full validators after every operation */
};

/* Fills *cfg with the documented defaults (an x86-64 machine, 4K pages). */
void cfg_defaults(struct sim_config *cfg);

/*
 * Reads an INI file over *cfg. Returns 0, or -1 after printing
 * "path:line: error: ..." (unknown key, bad value, unreadable file).
 */
int cfg_load(struct sim_config *cfg, const char *path);

/*
 * Applies one "key=value" (from --set or a workload's `set`). where names
 * the origin for messages ("--set", or "file:line:col"). Returns 0 or -1.
 */
int cfg_set(struct sim_config *cfg, const char *assignment, const char *where);

/*
 * Checks the whole config (page size a power of two, memory at least one
 * page, task_size within va_bits, ...). Returns 0, or -1 after printing
 * "where: error: ...".
 */
int cfg_check(const struct sim_config *cfg, const char *where);

/* The mmap_base the layout rules give (Linux mmap_base()), when not set. */
uint64_t cfg_mmap_base(const struct sim_config *cfg);

/* Iterating the key table, for summary.csv columns and --help. */
unsigned cfg_nr_keys(void);
const char *cfg_key_name(unsigned i);
const char *cfg_key_help(unsigned i);
const char *cfg_key_default(unsigned i);
/* Formats key i's value in cfg as a CSV/INI value (sizes in bytes). */
void cfg_format(const struct sim_config *cfg, unsigned i, char *buf,
		size_t len);

/*
 * Parses a size: a decimal or 0x number with an optional K, M, G, T
 * suffix (binary: K = 1024). Returns 0 or -1 (garbage, overflow).
 */
int cfg_parse_size(const char *s, uint64_t *out);

/* Parses a duration: a number with ns, us, ms or s (bare: ns). */
int cfg_parse_time(const char *s, uint64_t *out);

#endif
