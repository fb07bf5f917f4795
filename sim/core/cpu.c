/*
 * cpu.c - the translation path of one access (see cpu.h).
 */
#include <errno.h>

#include "lib/compiler.h"
#include "core/cpu.h"
#include "core/sim.h"

/* The ASID slot process pidx holds on c (0-based), or -1. */
static int asid_slot(const struct sim *s, const struct sim_cpu *c, unsigned pidx)
{
	for (unsigned k = 0; k < s->cfg->nr_asids; k++)
		if (c->asid_owner[k] == pidx + 1)
			return (int)k;
	return -1;
}

void cpu_switch_in(struct sim *s, unsigned cpu, unsigned pidx)
{
	struct sim_cpu *c = &s->cpus[cpu];
	struct proc *p = &s->procs[pidx];
	int k;

	p->cpu = cpu + 1;
	if (s->cfg->asid) {
		/*
		 * Linux x86's PCIDs: a few ASIDs per CPU, each remembering
		 * which mm it last served. A process that still has one keeps
		 * its entries; a newcomer takes the next slot round robin,
		 * whose old entries are flushed.
		 */
		k = asid_slot(s, c, pidx);
		if (k < 0) {
			k = (int)(c->next_asid++ % s->cfg->nr_asids);
			if (c->asid_owner[k])
				tlb_flush_asid(&c->tlb, (uint16_t)(k + 1));
			c->asid_owner[k] = pidx + 1;
		}
		p->asid = (uint16_t)(k + 1);
	} else if (c->tlb_user != pidx + 1) {
		/* the CR3 write of a switch: every entry goes */
		if (c->tlb_user)
			tlb_flush_all(&c->tlb);
		c->tlb_user = pidx + 1;
		p->asid = 0;
	}
}

static inline bool permits(uint64_t flags, enum pt_access access)
{
	/* a first write through a clean entry walks to set the dirty bit */
	return pte_permits(flags, access, true) &&
	       (access != PT_WRITE || (flags & PTE_DIRTY));
}

/* The walk, counted; fills the TLB when it translates. */
static int walk(struct sim *s, struct sim_cpu *c, struct proc *p, uint16_t asid,
		uint64_t va, enum pt_access access, uint64_t *ns)
{
	struct pt *pt = mm_pt(p->mm);
	uint64_t pte, walk_ns;
	unsigned levels = 0;
	int err = pt_walk(pt, va, access, true, &pte, &levels);

	walk_ns = levels * s->cfg->cost_walk_level_ns;
	s->stats.page_walks++;
	s->stats.walk_mem_refs += levels;
	s->stats.walk_time_ns += walk_ns;
	*ns += walk_ns;
	if (!err) {
		uint64_t flags = pte & (PTE_WRITE | PTE_USER | PTE_NX | PTE_DIRTY);

		tlb_fill(&c->tlb, asid, va >> pt->g.page_shift,
			 pte_pfn(&pt->g, pte), flags);
	}
	return err;
}

/*
 * Drops the TLB entries of process pidx for [start, end) (bytes) on every
 * CPU that may hold them: with ASIDs, each CPU where the process still
 * has an ASID; without, the CPU whose TLB it last filled (an idle CPU
 * keeps the entries of what ran last, Linux's lazy TLB). Each CPU other
 * than the one the process runs on is a shootdown (an IPI in Linux).
 */
static void invalidate(struct sim *s, unsigned pidx, uint64_t start,
			uint64_t end)
{
	unsigned shift = s->zone.page_shift, here = s->procs[pidx].cpu;
	uint64_t mask = ((uint64_t)1 << shift) - 1;

	for (unsigned i = 0; i < s->nr_cpus; i++) {
		struct sim_cpu *c = &s->cpus[i];
		uint16_t asid = 0;
		int k;

		if (s->cfg->asid) {
			k = asid_slot(s, c, pidx);
			if (k < 0)
				continue;
			asid = (uint16_t)(k + 1);
		} else if (c->tlb_user != pidx + 1) {
			continue;
		}
		if (end > start)
			tlb_invalidate_range(&c->tlb, asid, start >> shift,
					     (end + mask) >> shift);
		if (here && i + 1 != here)
			s->stats.tlb_shootdowns++;
	}
}

/* mm tells of changed PTEs; owner is the process index + 1. */
static void flush_hook(void *arg, uint32_t owner, uint64_t start, uint64_t end)
{
	invalidate(arg, owner - 1, start, end);
}

/* An access the TLB served (L1 or L2): counted, and its cost ns charged. */
static inline enum cpu_result tlb_served(struct sim *s, uint64_t ns,
					 uint64_t *cost)
{
	s->stats.tlb_hits++;
	s->stats.access_time_ns += ns;
	*cost += ns;
	return CPU_OK;
}

/*
 * The rest of an access L1 did not serve: L2 (unless L1 held the page
 * but forbade the access), then the walk, and on a fault mm maps the
 * page and the walk is repeated.
 */
static noinline enum cpu_result access_miss(struct sim *s, struct proc *p,
					    struct sim_cpu *c, uint64_t va,
					    enum pt_access access,
					    uint64_t *cost, bool try_l2)
{
	uint64_t ns = s->cfg->cost_tlb_hit_ns, pfn;
	const struct tlb_entry *e;
	int err;

	if (try_l2) {
		e = tlb_lookup_l2(&c->tlb, p->asid, va >> s->zone.page_shift);
		if (e && permits(e->flags, access))
			return tlb_served(s, ns, cost);
	}
	s->stats.tlb_misses++;
	err = walk(s, c, p, p->asid, va, access, &ns);
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
			ns += fault_ns;
			err = walk(s, c, p, p->asid, va, access, &ns);
		}
	}
	s->stats.access_time_ns += ns;
	*cost += ns;
	if (!err)
		return CPU_OK;
	if (err == -ENOMEM)
		return CPU_OOM;
	s->stats.sigsegv++;
	return CPU_SEGV;
}

/* The first access of a process that has no CPU or no page table yet. */
static noinline enum cpu_result access_first(struct sim *s, unsigned pidx,
					     uint64_t va, enum pt_access access,
					     uint64_t *cost)
{
	struct proc *p = &s->procs[pidx];

	/* not dispatched by the scheduler (a trace replay): CPU 0 */
	if (!p->cpu)
		cpu_switch_in(s, 0, pidx);
	/* the page table is made on first use, its root from the zone */
	if (!p->has_pt) {
		if (mm_attach_pt(p->mm, &s->zone, &s->geom, pidx + 1))
			return CPU_OOM;
		mm_set_flush(p->mm, flush_hook, s);
		p->has_pt = true;
	}
	return cpu_access(s, pidx, va, access, cost);
}

/*
 * The TLB hit is the common case and stays short: everything else (the
 * first access, the miss, the walk, the fault) is out of line.
 */
enum cpu_result cpu_access(struct sim *s, unsigned pidx, uint64_t va,
			   enum pt_access access, uint64_t *cost)
{
	struct proc *p = &s->procs[pidx];
	uint64_t ns = s->cfg->cost_tlb_hit_ns;
	uint64_t vpn = va >> s->zone.page_shift;
	const struct tlb_entry *e;
	struct sim_cpu *c;

	if (unlikely(!p->cpu || !p->has_pt))
		return access_first(s, pidx, va, access, cost);
	c = &s->cpus[p->cpu - 1];
	s->stats.accesses++;
	/* beyond the linear address space: no page table entry covers it */
	if (unlikely(s->geom.va_bits < 64 && (va >> s->geom.va_bits))) {
		s->stats.sigsegv++;
		return CPU_SEGV;
	}
	e = tlb_lookup_l1(&c->tlb, p->asid, vpn);
	if (unlikely(!e))
		return access_miss(s, p, c, va, access, cost, true);
	if (unlikely(!permits(e->flags, access)))
		return access_miss(s, p, c, va, access, cost, false);
	return tlb_served(s, ns, cost);
}

void cpu_attach(struct sim *s, unsigned pidx)
{
	mm_set_flush(s->procs[pidx].mm, flush_hook, s);
}

void cpu_forget(struct sim *s, unsigned pidx)
{
	for (unsigned i = 0; i < s->nr_cpus; i++) {
		struct sim_cpu *c = &s->cpus[i];
		int k = s->cfg->asid ? asid_slot(s, c, pidx) : -1;

		if (k >= 0) {
			tlb_flush_asid(&c->tlb, (uint16_t)(k + 1));
			c->asid_owner[k] = 0;
		} else if (!s->cfg->asid && c->tlb_user == pidx + 1) {
			tlb_flush_all(&c->tlb);
			c->tlb_user = 0;
		}
	}
	/* p->cpu stays: the scheduler frees that CPU when the op is done */
}

unsigned cpu_tlb_level(const struct sim *s, unsigned pidx, uint64_t vpn)
{
	const struct proc *p = &s->procs[pidx];
	const struct sim_cpu *c = &s->cpus[p->cpu ? p->cpu - 1 : 0];
	int k;

	if (!s->cfg->asid)
		return c->tlb_user == pidx + 1 ? tlb_probe(&c->tlb, 0, vpn) : 0;
	k = asid_slot(s, c, pidx);
	return k < 0 ? 0 : tlb_probe(&c->tlb, (uint16_t)(k + 1), vpn);
}
