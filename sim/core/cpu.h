/*
 * cpu.h - the translation path of one access, as a CPU runs it:
 *
 *   logical --segments--> linear --TLB | page walk--> physical
 *                                          | not present / not allowed
 *                                          v
 *                               mm_fault (mm/) --> retry the walk
 *
 * Flat segmentation (Linux) makes logical = linear. The TLB is looked up
 * first; a miss walks the page table (one memory reference per level) and
 * fills the TLB; a walk that finds no page, or a page that forbids the
 * access, is a page fault for mm's handler, which maps a frame (the walk
 * is then repeated) or refuses: SIGSEGV, or out of memory.
 *
 * Costs (simulated ns, from the config): every access pays
 * cost_tlb_hit_ns; each level a walk reads, cost_walk_level_ns; a fault
 * that maps a page, cost_fault_ns + cost_zero_page_ns.
 *
 * Each CPU has its own TLB, shared by the processes that run there:
 * entries are tagged with the process's ASID on that CPU when `asid` is
 * on (a few slots per CPU, as Linux's PCIDs); without it, switching to a
 * different process flushes the TLB (the CR3 write). Each process's mm
 * tells the TLBs of every PTE it clears, rewrites or moves (mm_set_flush),
 * on every CPU that may hold it, so no translation outlives its page.
 */
#ifndef SIM_CORE_CPU_H
#define SIM_CORE_CPU_H

#include <stdint.h>

#include "mmu/pt.h"

struct sim;

enum cpu_result {
	CPU_OK,			/* translated (after a fault, perhaps) */
	CPU_SEGV,		/* no VMA, or the VMA forbids the access */
	CPU_OOM,		/* no frame or table page for the fault */
};

/*
 * One user access of process pidx at linear address va. Adds its cost to
 * *cost and counts it in s->stats. Allocates nothing on the host.
 */
enum cpu_result cpu_access(struct sim *s, unsigned pidx, uint64_t va,
			   enum pt_access access, uint64_t *cost);

/*
 * The TLB level (1 or 2) holding process pidx's translation of page vpn,
 * 0 if none it can use; changes nothing (explain asks it).
 */
unsigned cpu_tlb_level(const struct sim *s, unsigned pidx, uint64_t vpn);

/*
 * Process pidx starts running on CPU cpu: with ASIDs it takes (or keeps)
 * an ASID slot of that CPU, without them the CPU's TLB is flushed unless
 * it last served pidx. Costs nothing here (the scheduler charges the
 * switch).
 */
void cpu_switch_in(struct sim *s, unsigned cpu, unsigned pidx);

/* Process pidx has a page table made elsewhere (fork): tell the TLB of its changes. */
void cpu_attach(struct sim *s, unsigned pidx);

/* Process pidx is gone: its TLB entries go with it. */
void cpu_forget(struct sim *s, unsigned pidx);


#endif
