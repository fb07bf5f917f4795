/*
 * cpu.c - the translation path of one access (see cpu.h).
 */
#include <errno.h>

#include "lib/compiler.h"
#include "core/cpu.h"
#include "core/sim.h"

static uint16_t asid_of(const struct sim *s, unsigned pidx)
{
	return s->cfg->asid ? (uint16_t)((pidx + 1) % TLB_NR_ASIDS) : 0;
}

/*
 * The entry the last access used is the most recent of its set in L1 (a
 * hit made it so, a fill put it there), so a repeated access to the same
 * page is a hit that changes no LRU order: the simulator answers it
 * without the lookup. Any flush or invalidation forgets it.
 */
static inline void remember(struct sim *s, uint16_t asid, uint64_t vpn,
			    uint64_t flags)
{
	s->tlb_last.valid = true;
	s->tlb_last.asid = asid;
	s->tlb_last.vpn = vpn;
	s->tlb_last.flags = flags;
}

static inline bool permits(uint64_t flags, enum pt_access access)
{
	/* a first write through a clean entry walks to set the dirty bit */
	return pte_permits(flags, access, true) &&
	       (access != PT_WRITE || (flags & PTE_DIRTY));
}

/* The walk, counted; fills the TLB when it translates. */
static int walk(struct sim *s, struct proc *p, uint16_t asid, uint64_t va,
		enum pt_access access, uint64_t *cost)
{
	struct pt *pt = mm_pt(p->mm);
	uint64_t pte, walk_ns;
	unsigned levels = 0;
	int err = pt_walk(pt, va, access, true, &pte, &levels);

	walk_ns = levels * s->cfg->cost_walk_level_ns;
	s->stats.page_walks++;
	s->stats.walk_mem_refs += levels;
	s->stats.walk_time_ns += walk_ns;
	*cost += walk_ns;
	if (!err) {
		uint64_t flags = pte & (PTE_WRITE | PTE_USER | PTE_NX | PTE_DIRTY);

		tlb_fill(&s->tlb, asid, va >> pt->g.page_shift,
			 pte_pfn(&pt->g, pte), flags);
		remember(s, asid, va >> pt->g.page_shift, flags);
	}
	return err;
}

/* Drops the TLB entries of process pidx for [start, end) (bytes). */
static void invalidate(struct sim *s, unsigned pidx, uint64_t start,
			uint64_t end)
{
	unsigned shift = s->zone.page_shift;
	uint64_t mask = ((uint64_t)1 << shift) - 1;

	s->tlb_last.valid = false;
	/* without ASIDs, only the current user has entries */
	if (!s->cfg->asid && s->tlb_user != pidx + 1)
		return;
	if (end > start)
		tlb_invalidate_range(&s->tlb, asid_of(s, pidx), start >> shift,
				     (end + mask) >> shift);
}

/* mm tells of changed PTEs; owner is the process index + 1. */
static void flush_hook(void *arg, uint32_t owner, uint64_t start, uint64_t end)
{
	invalidate(arg, owner - 1, start, end);
}

enum cpu_result cpu_access(struct sim *s, unsigned pidx, uint64_t va,
			   enum pt_access access, uint64_t *cost)
{
	struct proc *p = &s->procs[pidx];
	uint16_t asid = asid_of(s, pidx);
	uint64_t start = *cost, pfn, vpn = va >> s->zone.page_shift;
	struct tlb_hit hit;
	int err;

	/* the page table is made on first use, its root from the zone */
	if (unlikely(!p->has_pt)) {
		if (mm_attach_pt(p->mm, &s->zone, &s->geom, pidx + 1))
			return CPU_OOM;
		mm_set_flush(p->mm, flush_hook, s);
		p->has_pt = true;
	}
	s->stats.accesses++;
	/* beyond the linear address space: no page table entry covers it */
	if (s->geom.va_bits < 64 && (va >> s->geom.va_bits)) {
		s->stats.sigsegv++;
		return CPU_SEGV;
	}
	if (!s->cfg->asid && s->tlb_user != pidx + 1) {
		if (s->tlb_user)
			tlb_flush_all(&s->tlb);
		s->tlb_user = pidx + 1;
		s->tlb_last.valid = false;
	}
	*cost += s->cfg->cost_tlb_hit_ns;
	if (s->tlb_last.valid && s->tlb_last.vpn == vpn &&
	    s->tlb_last.asid == asid && permits(s->tlb_last.flags, access)) {
		s->tlb.l1.stats.hits++;
		s->stats.tlb_hits++;
		s->stats.access_time_ns += s->cfg->cost_tlb_hit_ns;
		return CPU_OK;
	}
	/*
	 * A hit that permits the access ends here. The lookup may reorder
	 * L1 or copy an L2 entry into it even when the access then fails, so
	 * the remembered entry is no longer known to be the most recent.
	 */
	s->tlb_last.valid = false;
	if (tlb_lookup(&s->tlb, asid, vpn, &hit) && permits(hit.flags, access)) {
		remember(s, asid, vpn, hit.flags);
		s->stats.tlb_hits++;
		s->stats.access_time_ns += *cost - start;
		return CPU_OK;
	}
	s->stats.tlb_misses++;
	err = walk(s, p, asid, va, access, cost);
	if (err) {
		const struct mm_fault_stats *fs = mm_fault_stats(p->mm);
		uint64_t before = fs->pgfault, cow = fs->cow_faults;

		err = mm_fault(p->mm, va, access, &pfn);
		if (!err) {
			uint64_t fault_ns = s->cfg->cost_fault_ns +
					    s->cfg->cost_zero_page_ns;

			s->stats.pgfault += fs->pgfault - before;
			s->stats.cow_faults += fs->cow_faults - cow;
			s->stats.fault_time_ns += fault_ns;
			*cost += fault_ns;
			err = walk(s, p, asid, va, access, cost);
		}
	}
	s->stats.access_time_ns += *cost - start;
	if (!err)
		return CPU_OK;
	if (err == -ENOMEM)
		return CPU_OOM;
	s->stats.sigsegv++;
	return CPU_SEGV;
}

void cpu_attach(struct sim *s, unsigned pidx)
{
	mm_set_flush(s->procs[pidx].mm, flush_hook, s);
}

void cpu_forget(struct sim *s, unsigned pidx)
{
	s->tlb_last.valid = false;
	if (s->cfg->asid) {
		tlb_flush_asid(&s->tlb, asid_of(s, pidx));
	} else if (s->tlb_user == pidx + 1) {
		tlb_flush_all(&s->tlb);
		s->tlb_user = 0;
	}
}

unsigned cpu_tlb_level(const struct sim *s, unsigned pidx, uint64_t vpn)
{
	/* without ASIDs, the entries are the current user's only */
	if (!s->cfg->asid && s->tlb_user != pidx + 1)
		return 0;
	return tlb_probe(&s->tlb, asid_of(s, pidx), vpn);
}
