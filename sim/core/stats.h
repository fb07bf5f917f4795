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
	uint64_t kalloc_time_ns;     /* simulated time spent in kalloc/kfree */
	uint64_t syscall_time_ns;    /* simulated time spent in syscalls */
};

struct stats_field {
	const char *name;            /* CSV column */
	size_t offset;               /* in struct stats */
};

extern const struct stats_field stats_fields[];
extern const unsigned stats_nr_fields;

static inline uint64_t stats_get(const struct stats *s, unsigned i)
{
	return *(const uint64_t *)((const char *)s + stats_fields[i].offset);
}

#endif
