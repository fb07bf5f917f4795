/*
 * sim.h - the simulated machine and its discrete-event loop.
 *
 * A struct sim owns the physical memory (a buddy zone), the event queue,
 * the simulated clock and the processes. sim_run() pops events in
 * (time, seq) order: a process step executes one operation of its
 * program, charges its configured cost, and schedules the process's next
 * step when that cost has elapsed (or at the time an `@` gives); the
 * sampler fires every sample_interval_ns while processes remain.
 *
 * core knows nothing of files or CSV: what a run produces goes out
 * through struct sim_hooks (io/ writes it), and an error in the workload
 * found while running (kfree of a name never bound) is left in
 * sim->error with the op's line and column for io/ to print.
 */
#ifndef SIM_CORE_SIM_H
#define SIM_CORE_SIM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/evq.h"
#include "core/params.h"
#include "core/program.h"
#include "core/stats.h"
#include "phys/buddy.h"
#include "phys/frag.h"
#include "phys/slab.h"
#include "mmu/pt.h"
#include "mmu/seg.h"
#include "mmu/tlb.h"
#include "mm/mm.h"

#define SIM_MAX_DEPTH 8   /* repeat nesting, as the parser allows */

/* What a bound name holds. */
enum binding_kind {
	BIND_BLOCK = 1,   /* a kalloc'd block: value = pfn */
	BIND_ADDR,        /* an address from mmap/brk/sbrk: value = address */
};

struct binding {
	uint64_t key;     /* name id << 32 | loop index, +1 (0 = empty slot) */
	uint64_t value;   /* pfn or address */
	uint64_t size;    /* bytes asked for */
	uint8_t kind;     /* enum binding_kind */
	bool live;        /* false once freed/unmapped */
};

struct loop_frame {
	uint64_t index;   /* current iteration, from 0 */
	uint64_t count;   /* iterations in all */
	size_t start;     /* op index of the OP_REPEAT */
};

struct proc {
	const struct program *prog; /* what it runs */
	const char *name;           /* "main", or its spawn or fork name */
	unsigned parent;            /* parent's index + 1, 0 for none */
	size_t pc;                  /* next op */
	unsigned depth;             /* open loops */
	struct loop_frame loop[SIM_MAX_DEPTH];
	struct binding *names;      /* open-addressed table of bindings */
	size_t names_cap, names_len;
	struct mm_struct *mm;       /* its address space */
	uint64_t rng;               /* seeds its access generators */
	struct seg_table seg;       /* its descriptor table (flat unless `segment`) */
	bool done;                  /* ran past its last op */
	bool killed;                /* SIGSEGV or out of memory ended it */
	bool oom_killed;            /* the OOM killer chose it */
	bool exited;                /* exit (or a kill) gave its memory back */
	bool has_pt;                /* its mm has a page table (made on first access) */
	uint64_t task_obj, mm_obj;  /* its task_struct and mm_struct (slab) */
	unsigned cpu;               /* index + 1 of the CPU it runs on, 0: none */
	uint16_t asid;              /* its ASID on that CPU (0 without ASIDs) */
	uint64_t slice_end;         /* when its time slice ends */
	uint64_t end_ns;            /* when it exited or ran out of ops */
	struct stats st;            /* its share of the run's counters */
};

#define SIM_MAX_ASIDS 64   /* ASID slots per CPU at most (Linux x86 uses 6) */

/* One CPU: its TLB and what runs on it. */
struct sim_cpu {
	struct tlb tlb;
	unsigned cur;               /* running process index + 1, 0: idle */
	unsigned last;              /* the process that ran last (index + 1) */
	unsigned tlb_user;          /* without ASIDs: whose entries the TLB holds */
	unsigned asid_owner[SIM_MAX_ASIDS]; /* with ASIDs: process of each ASID - 1 */
	unsigned next_asid;         /* the slot the next newcomer takes */
};

/* A file named by workload mmaps: one open file per path. */
struct sim_file {
	const char *path;           /* interned in the program */
	struct mm_file *file;       /* the identity its VMAs share */
};

/* One executed operation, as events.csv shows it. */
struct sim_event {
	uint64_t time_ns;     /* when it started */
	unsigned pid;         /* the process it concerns (index + 1) */
	uint64_t latency_ns;  /* what it cost */
	const char *op;       /* operation keyword */
	const char *name;     /* bound or used name ("buf[3]"), or "" */
	uint64_t size_bytes;  /* size argument */
	int order;            /* buddy order, or -1 */
	uint64_t addr;        /* physical (kalloc) or virtual address */
	bool has_addr;        /* addr is meaningful */
	long long result;     /* 0 / address, or -errno */
};

struct sim;

struct sim_hooks {
	void *ctx;
	/* An operation finished (only when set). */
	void (*event)(void *ctx, const struct sim *s, const struct sim_event *e);
	/* The sampler fired at s->now. */
	void (*sample)(void *ctx, const struct sim *s);
};

struct sim_error {
	unsigned line, col;   /* of the op that failed */
	char msg[256];        /* what was wrong */
};

struct sim {
	const struct sim_config *cfg; /* the machine */
	struct zone zone;             /* physical memory */
	struct evq evq;               /* pending events */
	uint64_t now;                 /* simulated ns */
	uint64_t last_sample_ns;      /* when the sampler last fired */
	struct stats stats;           /* counters */
	uint64_t mmap_slack_bytes;    /* mmap's page rounding, summed */
	bool multiprocess;            /* the program spawns or forks: per-process output */
	struct proc *procs;           /* processes, by pid - 1 */
	unsigned nr_procs, cap_procs;
	unsigned nr_running;          /* processes not yet done */
	FILE *dump_out;               /* where `dump` prints (stdout) */
	struct sim_hooks hooks;       /* outputs */
	struct sim_error error;       /* set when sim_run returns SIM_EWORKLOAD */
	struct sim_file *files;       /* files mapped by the workloads */
	unsigned nr_files, cap_files;
	struct pt_geometry geom;      /* page-table shape of every process */
	bool slab;                    /* kernel objects come from these caches: */
	struct slab_cache slab_vma, slab_mm, slab_task;
	struct sim_cpu *cpus;         /* the CPUs (cfg->cpus) */
	unsigned nr_cpus;
	uint64_t nr_events;           /* events sim_run() has handled */
	unsigned *runq;               /* runnable processes waiting for a CPU, FIFO */
	unsigned rq_head, rq_len, rq_cap;
};

enum {
	SIM_OK = 0,
	SIM_EWORKLOAD = -1,   /* the workload is wrong (exit 2) */
	SIM_ENOMEM = -2,      /* the host ran out of memory (exit 1) */
};

/* Builds the machine cfg describes. Returns 0, or -errno. */
int sim_init(struct sim *s, const struct sim_config *cfg);
void sim_destroy(struct sim *s);

/*
 * Adds the processes of prog, all starting at time 0: "main", which runs
 * the operations outside `spawn` blocks (made even with none, unless prog
 * has spawn blocks and nothing else), then one per `spawn` block, with
 * its program layout. Returns 0, -ENOMEM, or SIM_EWORKLOAD (s->error
 * says which spawn) when a layout does not fit below task_size.
 */
int sim_add_process(struct sim *s, const struct program *prog);

/*
 * Ends process idx as exit does: its address space, pages and page-table
 * pages go back to the allocator and its TLB entries are dropped.
 */
void sim_proc_exit(struct sim *s, unsigned idx);

/* Runs until every process has finished. Returns SIM_OK or SIM_E*. */
int sim_run(struct sim *s);

/* The address-space parameters a config gives (for mm_create). */
void sim_mm_params(const struct sim_config *cfg, struct mm_params *p);

/*
 * Where the heap of a process without a program layout starts: the page
 * after two thirds of user space (Linux's ELF_ET_DYN_BASE region).
 */
uint64_t sim_default_start_brk(const struct sim_config *cfg);

/*
 * Process idx's row of counters: its share of every flow counter, its own
 * state now (rss, VMAs, page tables: 0 once it has exited), the time it
 * ended (or now), and oom_kills 1 if the OOM killer chose it. Counters
 * of the machine alone (STATS_MACHINE) are 0.
 */
void sim_proc_stats(const struct sim *s, unsigned idx, struct stats *out);

/* Copies the allocator's live counters into s->stats. */
void sim_update_stats(struct sim *s);

/* One sample now: the state counters brought up to date, then hooks.sample
 * (which must be set). sim_run() takes them; a trace replay, which has no
 * events, takes its own. */
void sim_sample(struct sim *s);

#endif
