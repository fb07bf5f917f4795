/*
 * stats.c - the column table of struct stats (see stats.h).
 */
#include "lib/compiler.h"
#include "core/stats.h"

#define S(f) { #f, offsetof(struct stats, f) }

const struct stats_field stats_fields[] = {
	S(sim_time_ns), S(ops), S(kalloc), S(kfree), S(kalloc_fail),
	S(pgalloc), S(pgfree), S(nr_free_pages), S(nr_alloc_pages),
	S(requested_bytes), S(internal_frag_bytes), S(syscalls),
	S(syscall_errors), S(nr_vmas), S(total_vm_pages), S(vm_internal_frag_bytes),
	S(kalloc_time_ns), S(syscall_time_ns),
	S(accesses), S(tlb_hits), S(tlb_misses), S(page_walks),
	S(walk_mem_refs), S(pgfault), S(sigsegv), S(seg_faults), S(oom_kills), S(rss_pages),
	S(nr_page_table_pages), S(page_table_bytes), S(access_time_ns),
	S(walk_time_ns), S(fault_time_ns), S(trace_records), S(adopted_pages),
};

const unsigned stats_nr_fields = ARRAY_SIZE(stats_fields);
