/*
 * stats.c - the column table of struct stats (see stats.h).
 */
#include "lib/compiler.h"
#include "core/stats.h"

#define S(f) { #f, offsetof(struct stats, f), STATS_FLOW }
#define P(f) { #f, offsetof(struct stats, f), STATS_STATE }
#define M(f) { #f, offsetof(struct stats, f), STATS_MACHINE }

const struct stats_field stats_fields[] = {
	P(sim_time_ns), S(ops), S(kalloc), S(kfree), S(kalloc_fail),
	M(pgalloc), M(pgfree), M(nr_free_pages), M(nr_alloc_pages),
	M(requested_bytes), M(internal_frag_bytes), S(syscalls),
	S(syscall_errors), P(nr_vmas), P(total_vm_pages), M(vm_internal_frag_bytes),
	S(kalloc_time_ns), S(syscall_time_ns),
	S(accesses), S(tlb_hits), S(tlb_misses), S(page_walks),
	S(walk_mem_refs), S(pgfault), S(sigsegv), S(seg_faults), P(oom_kills), P(rss_pages),
	P(nr_page_table_pages), P(page_table_bytes), M(slab_bytes), S(access_time_ns),
	S(walk_time_ns), S(fault_time_ns), S(trace_records), S(adopted_pages),
	S(cow_faults), S(forks), S(exits), S(context_switches), S(tlb_shootdowns),
	S(trace_calls),
};

const unsigned stats_nr_fields = ARRAY_SIZE(stats_fields);

void stats_add_delta(struct stats *acc, const struct stats *now,
		     const struct stats *before)
{
	uint64_t *a = (uint64_t *)acc;
	const uint64_t *n = (const uint64_t *)now, *b = (const uint64_t *)before;

	for (size_t i = 0; i < sizeof(*acc) / sizeof(uint64_t); i++)
		a[i] += n[i] - b[i];
}
