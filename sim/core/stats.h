/*
 * stats.h - the one block of counters a run keeps.
 *
 * Every counter a CSV row reports is a field here, and stats_fields[]
 * names it: the CSV writers iterate that table, so a new counter is one
 * field and one row. Names follow Linux's vmstat where Linux has one
 * (pgalloc, pgfree, nr_free_pages); units are in the name (_ns, _bytes,
 * _pages).
 */
#ifndef SIM_CORE_STATS_H
#define SIM_CORE_STATS_H

#include <stddef.h>
#include <stdint.h>

struct stats {
	uint64_t sim_time_ns;        /* simulated time at the end of the run */
	uint64_t ops;                /* workload operations executed */
	uint64_t kalloc;             /* kalloc operations */
	uint64_t kfree;              /* kfree operations */
	uint64_t kalloc_fail;        /* kallocs the allocator could not serve */
	uint64_t pgalloc;            /* blocks handed out by the buddy allocator */
	uint64_t pgfree;             /* blocks returned to it */
	uint64_t nr_free_pages;      /* free frames now */
	uint64_t nr_alloc_pages;     /* allocated frames now */
	uint64_t requested_bytes;    /* bytes asked for by live allocations */
	uint64_t internal_frag_bytes; /* block bytes beyond what was asked */
	uint64_t syscalls;           /* mmap/munmap/mprotect/brk calls */
	uint64_t syscall_errors;     /* of them, those that failed */
	uint64_t nr_vmas;            /* VMAs now */
	uint64_t total_vm_pages;     /* mapped virtual pages now */
	uint64_t vm_internal_frag_bytes; /* page rounding: bytes mmap mapped beyond
					  * the lengths asked (summed), plus the
					  * heap's tail beyond brk now */
	uint64_t kalloc_time_ns;     /* simulated time spent in kalloc/kfree */
	uint64_t syscall_time_ns;    /* simulated time spent in syscalls */
	uint64_t accesses;           /* user memory accesses (read/write/exec) */
	uint64_t tlb_hits;           /* accesses the TLB translated */
	uint64_t tlb_misses;         /* accesses that needed a page walk */
	uint64_t page_walks;         /* walks, retries after a fault included */
	uint64_t walk_mem_refs;      /* page-table entries those walks read */
	uint64_t pgfault;            /* faults that mapped a page */
	uint64_t sigsegv;            /* accesses outside a VMA or its permissions (SIGSEGV) */
	uint64_t seg_faults;         /* of them, segment limit/type faults (segmented mode) */
	uint64_t oom_kills;          /* processes killed for want of a frame */
	uint64_t rss_pages;          /* resident pages of all processes now */
	uint64_t nr_page_table_pages; /* page-table pages now */
	uint64_t page_table_bytes;   /* the same in bytes */
	uint64_t slab_bytes;         /* memory of the kernel's slab caches now */
	uint64_t access_time_ns;     /* simulated time of all accesses */
	uint64_t walk_time_ns;       /* of it, page walks */
	uint64_t fault_time_ns;      /* of it, page faults */
	uint64_t trace_records;      /* records of an access trace (replay --lackey) */
	uint64_t adopted_pages;      /* pages a trace touched outside any VMA, mapped for it */
	uint64_t cow_faults;         /* writes that copied a page fork shared */
	uint64_t forks;              /* processes made by fork */
	uint64_t exits;              /* processes that exited or were killed */
	uint64_t context_switches;   /* a CPU passing from one process to another */
	uint64_t tlb_shootdowns;     /* invalidations sent to another CPU's TLB */
	uint64_t trace_calls;        /* memory calls in a lackey trace (--trace-syscalls) */
};

/* Whose a counter is, for the per-process rows of summary.csv. */
enum stats_scope {
	STATS_FLOW,      /* counted as it happens: each process has its share */
	STATS_STATE,     /* a state now (rss_pages): each process has its own */
	STATS_MACHINE,   /* the machine's only (nr_free_pages): empty per process */
};

struct stats_field {
	const char *name;            /* CSV column */
	size_t offset;               /* in struct stats */
	enum stats_scope scope;
};

/* acc += now - before, field by field (a process's share of an op). */
void stats_add_delta(struct stats *acc, const struct stats *now,
		     const struct stats *before);

extern const struct stats_field stats_fields[];
extern const unsigned stats_nr_fields;

/* The counter f names in s. */
static inline uint64_t stats_value(const struct stats *s,
				   const struct stats_field *f)
{
	return *(const uint64_t *)((const char *)s + f->offset);
}

static inline uint64_t stats_get(const struct stats *s, unsigned i)
{
	return stats_value(s, &stats_fields[i]);
}

#endif
