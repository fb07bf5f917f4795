/*
 * params.h - struct sim_config: every value that describes the simulated
 * machine and run. io/config.c fills it from INI files and --set (and owns
 * the key names, defaults and documentation); core and the layers below
 * only read it.
 */
#ifndef SIM_CORE_PARAMS_H
#define SIM_CORE_PARAMS_H

#include <stdbool.h>
#include <stdint.h>

#define CFG_UNLIMITED UINT64_MAX   /* value of an "unlimited" rlimit */

enum cfg_layout {
	CFG_LAYOUT_TOPDOWN,        /* mmap below mmap_base, downward (Linux default) */
	CFG_LAYOUT_LEGACY,         /* bottom-up from task_size/3 (ADDR_COMPAT_LAYOUT) */
};

enum cfg_segmentation {
	CFG_SEG_FLAT,              /* base 0, limit 4G: logical = linear (Linux) */
	CFG_SEG_SEGMENTED,         /* distinct text/data/stack segments (teaching) */
};

enum cfg_segv {
	CFG_SEGV_KILL,             /* the process is killed */
	CFG_SEGV_SKIP,             /* the access is counted and skipped */
};

enum cfg_sched {
	CFG_SCHED_RR,              /* round robin: a time slice, then the next */
	CFG_SCHED_FIFO,            /* first come: a process runs until it blocks */
};

struct sim_config {
	/* [machine] */
	uint64_t memory_size;      /* bytes of simulated physical memory */
	uint64_t page_size;        /* bytes per page (power of two) */
	unsigned max_order;        /* largest buddy order (Linux: 10) */
	unsigned cpus;             /* simulated CPUs */
	enum cfg_sched sched;      /* scheduling policy */
	uint64_t time_slice_ns;    /* round robin's time slice */
	bool slab;                 /* kernel objects come from slab caches */

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

	/* [mmu]: the translation hardware */
	unsigned pte_size;         /* bytes per page-table entry (4 or 8) */
	unsigned pt_levels;        /* page-table levels; 0: derived from va_bits */
	unsigned tlb_entries;      /* first-level TLB entries */
	unsigned tlb_ways;         /* its associativity (= entries: fully assoc.) */
	unsigned tlb2_entries;     /* second-level TLB entries (0: none) */
	unsigned tlb2_ways;        /* its associativity */
	bool asid;                 /* tagged TLB (PCID): no flush on a switch */
	unsigned nr_asids;         /* ASID slots per CPU */
	enum cfg_segmentation segmentation; /* flat or segmented */
	enum cfg_segv segv;        /* what a SIGSEGV does to the process */

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

#endif
