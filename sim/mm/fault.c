/*
 * fault.c - the pages of an address space: its page table, the page-fault
 * handler, and the teardown of pages when the layout changes.
 *
 * Linux's handle_mm_fault path for anonymous memory (mm/memory.c:
 * do_anonymous_page): the architecture's fault handler finds the VMA
 * (growing a stack), checks the access against vm_flags, and the fault
 * handler takes a zeroed frame from the page allocator and installs the
 * PTE, with the write bit if the VMA is writable and NX if it is not
 * executable. A page is mapped only by a fault: munmap (zap_page_range),
 * MADV_DONTNEED and exit give the frames back, mprotect rewrites the PTEs
 * (change_protection), mremap moves them (move_page_tables).
 *
 * File mappings are anonymous here too: a fault gives a zeroed frame, as
 * if the page cache read zeros (no page cache is modelled).
 *
 * The page table is optional: an mm without one (replay of strace logs)
 * keeps its layout only, and every hook below does nothing.
 */
#include <errno.h>
#include <stdlib.h>

#include "mm/internal.h"

struct mm_pages {
	struct pt pt;		/* the page table (mmu/) */
	struct zone *zone;	/* where frames come from */
	uint32_t owner;		/* buddy owner tag of data and table pages */
	mm_flush_fn flush;	/* told of every PTE change, or NULL */
	void *flush_arg;
	struct mm_fault_stats stats;
};

int mm_attach_pt(struct mm_struct *mm, struct zone *zone,
		 const struct pt_geometry *g, uint32_t owner)
{
	struct mm_pages *pg;
	int err;

	if (mm->pages)
		return -EEXIST;
	pg = calloc(1, sizeof(*pg));
	if (!pg)
		return -ENOMEM;
	err = pt_create(&pg->pt, g, zone, owner);
	if (err) {
		free(pg);
		return err;
	}
	pg->zone = zone;
	pg->owner = owner;
	mm->pages = pg;
	return 0;
}

/* A mapping of a frame goes: the frame is freed with its last holder. */
static void free_frame(void *arg, uint64_t va, uint64_t pte)
{
	struct mm_pages *pg = arg;

	(void)va;
	if (buddy_put(pg->zone, pte_pfn(&pg->pt.g, pte)) == 1)
		pg->stats.pgfree++;
}

void mm_pages_destroy(struct mm_struct *mm)
{
	if (!mm->pages)
		return;
	pt_destroy(&mm->pages->pt, free_frame, mm->pages);
	free(mm->pages);
	mm->pages = NULL;
}

void mm_set_flush(struct mm_struct *mm, mm_flush_fn fn, void *arg)
{
	if (mm->pages) {
		mm->pages->flush = fn;
		mm->pages->flush_arg = arg;
	}
}

static void flush(struct mm_pages *pg, uint64_t start, uint64_t end)
{
	if (pg->flush)
		pg->flush(pg->flush_arg, pg->owner, start, end);
}

struct pt *mm_pt(struct mm_struct *mm)
{
	return mm->pages ? &mm->pages->pt : NULL;
}

const struct mm_fault_stats *mm_fault_stats(const struct mm_struct *mm)
{
	static const struct mm_fault_stats none;

	return mm->pages ? &mm->pages->stats : &none;
}

uint64_t mm_rss_pages(const struct mm_struct *mm)
{
	return mm->pages ? mm->pages->pt.stats.nr_mapped : 0;
}

/* The PTE permission bits vm_flags give (Linux vm_get_page_prot). */
static uint64_t pte_prot(uint64_t vm_flags)
{
	uint64_t prot = PTE_USER;

	if (vm_flags & VM_WRITE)
		prot |= PTE_WRITE;
	if (!(vm_flags & VM_EXEC))
		prot |= PTE_NX;
	return prot;
}

/* A private writable VMA: its shared pages are copied on write. */
static bool cow_vma(const struct vma *v)
{
	return (v->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE;
}

/* The PTE bits a page of a VMA gets: no write while fork shares it. */
static uint64_t page_prot(const struct mm_pages *pg, uint64_t vm_flags,
			  uint64_t pte)
{
	uint64_t prot = pte_prot(vm_flags);

	if ((vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE &&
	    buddy_shares(pg->zone, pte_pfn(&pg->pt.g, pte)))
		prot &= ~PTE_WRITE;
	return prot;
}

/*
 * A write to a page fork shares (do_wp_page): copy it into a frame of
 * this process's own, or, when the other holders have let it go, keep it
 * and make it writable (wp_page_reuse).
 */
static int cow_break(struct mm_pages *pg, const struct vma *v, uint64_t page,
		     uint64_t pte, uint64_t *pfn)
{
	uint64_t old = pte_pfn(&pg->pt.g, pte), frame;
	uint64_t keep = pte_flags(&pg->pt.g, pte) & (PTE_ACCESSED | PTE_DIRTY);
	int err;

	if (!buddy_shares(pg->zone, old)) {
		err = pt_remap(&pg->pt, page, old, pte_prot(v->vm_flags) | keep, NULL);
		*pfn = old;
		flush(pg, page, page + pg->pt.g.page_size);
		return err;
	}
	if (buddy_alloc(pg->zone, 0, pg->owner, &frame)) {
		pg->stats.oom++;
		pg->stats.pgfault--;    /* it did not map a page */
		return -ENOMEM;
	}
	err = pt_remap(&pg->pt, page, frame, pte_prot(v->vm_flags) | keep, NULL);
	if (err) {
		buddy_free(pg->zone, frame);
		return err;
	}
	buddy_put(pg->zone, old);
	pg->stats.cow_faults++;
	pg->stats.pgalloc++;
	flush(pg, page, page + pg->pt.g.page_size);
	*pfn = frame;
	return 0;
}

int mm_fault(struct mm_struct *mm, uint64_t addr, enum pt_access access,
	     uint64_t *pfn)
{
	struct mm_pages *pg = mm->pages;
	uint64_t page = addr & ~(mm->p.page_size - 1), frame, pte;
	struct vma *v;
	int err;

	if (!pg)
		return -EINVAL;
	err = mm_touch(mm, addr, access == PT_WRITE);
	/* without NX (4-byte PTEs) every readable page executes, as x86 does */
	if (!err && access == PT_EXEC && pg->pt.g.nx) {
		v = mm_find_vma(mm, addr);
		if (!(v->vm_flags & VM_EXEC))
			err = -EACCES;
	}
	if (err) {
		pg->stats.segv++;
		return err == -EACCES ? -EACCES : -EFAULT;
	}
	v = mm_find_vma(mm, addr);
	pte = pt_lookup(&pg->pt, page, NULL);
	if (pte) {
		pg->stats.pgfault++;
		if (access == PT_WRITE && !(pte & PTE_WRITE) && cow_vma(v))
			return cow_break(pg, v, page, pte, pfn);
		/* the PTE is behind the VMA's permissions (a race Linux
		 * retries); bring it up to date */
		err = pt_protect_range(&pg->pt, page, page + mm->p.page_size,
				       page_prot(pg, v->vm_flags, pte), NULL);
		*pfn = pte_pfn(&pg->pt.g, pte);
		return err;
	}
	if (buddy_alloc(pg->zone, 0, pg->owner, &frame)) {
		pg->stats.oom++;
		return -ENOMEM;
	}
	err = pt_map(&pg->pt, page, frame, pte_prot(v->vm_flags));
	if (err) {
		buddy_free(pg->zone, frame);
		pg->stats.oom += err == -ENOMEM;
		return err;
	}
	pg->stats.pgfault++;
	pg->stats.pgalloc++;
	*pfn = frame;
	return 0;
}

void mm_zap_range(struct mm_struct *mm, uint64_t start, uint64_t end)
{
	struct mm_pages *pg = mm->pages;

	if (pg && start < end) {
		pt_unmap_range(&pg->pt, start, end, free_frame, pg);
		flush(pg, start, end);
	}
}

/* mprotect gave write to a page fork still shares: take it back. */
static void unshare_write(void *arg, uint64_t va, uint64_t pte)
{
	struct mm_pages *pg = arg;

	if ((pte & PTE_WRITE) && buddy_shares(pg->zone, pte_pfn(&pg->pt.g, pte)))
		pt_remap(&pg->pt, va, pte_pfn(&pg->pt.g, pte),
			 (pte_flags(&pg->pt.g, pte) & PTE_CALLER_BITS) & ~PTE_WRITE,
			 NULL);
}

void mm_protect_pages(struct mm_struct *mm, uint64_t start, uint64_t end,
		      uint64_t vm_flags)
{
	struct mm_pages *pg = mm->pages;

	if (pg && start < end) {
		pt_protect_range(&pg->pt, start, end, pte_prot(vm_flags), NULL);
		if ((vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE)
			pt_for_each(&pg->pt, start, end, unshare_write, pg);
		flush(pg, start, end);
	}
}

struct move_ctx {
	struct mm_pages *pg;
	uint64_t delta;		/* new - old */
	uint64_t *vas, *ptes;
	size_t n, cap;
	bool nomem;
};

static void collect(void *arg, uint64_t va, uint64_t pte)
{
	struct move_ctx *c = arg;

	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 64;
		uint64_t *v = realloc(c->vas, cap * sizeof(*v));
		uint64_t *p = v ? realloc(c->ptes, cap * sizeof(*p)) : NULL;

		if (v)
			c->vas = v;
		if (!p) {
			c->nomem = true;
			return;
		}
		c->ptes = p;
		c->cap = cap;
	}
	c->vas[c->n] = va;
	c->ptes[c->n++] = pte;
}

int mm_move_pages(struct mm_struct *mm, uint64_t old, uint64_t new_addr,
		  uint64_t len)
{
	struct mm_pages *pg = mm->pages;
	struct move_ctx c = { .pg = pg };
	size_t i;

	if (!pg || !len)
		return 0;
	pt_for_each(&pg->pt, old, old + len, collect, &c);
	if (c.nomem) {
		/* no host memory to move them: the pages are dropped */
		mm_zap_range(mm, old, old + len);
		free(c.vas);
		free(c.ptes);
		return 0;
	}
	/*
	 * Map at the new place first (the ranges do not overlap): when a
	 * table page is missing there, nothing has left the old place yet,
	 * and the new entries go again, with the tables they needed.
	 */
	for (i = 0; i < c.n; i++) {
		uint64_t flags = pte_flags(&pg->pt.g, c.ptes[i]) & PTE_CALLER_BITS;

		if (pt_map(&pg->pt, c.vas[i] - old + new_addr,
			   pte_pfn(&pg->pt.g, c.ptes[i]), flags))
			break;
	}
	free(c.vas);
	free(c.ptes);
	if (i < c.n) {
		pt_unmap_range(&pg->pt, new_addr, new_addr + len, NULL, NULL);
		return -ENOMEM;
	}
	/* detach from the old place, frames kept */
	pt_unmap_range(&pg->pt, old, old + len, NULL, NULL);
	flush(pg, old, old + len);
	return 0;
}

int mm_fork_pages(struct mm_struct *child, struct mm_struct *parent,
		  uint32_t owner)
{
	struct mm_pages *pp = parent->pages, *cp;
	struct move_ctx c = { .pg = pp };
	int err = 0;

	if (!pp)
		return 0;       /* nothing mapped yet: the child starts alike */
	err = mm_attach_pt(child, pp->zone, &pp->pt.g, owner);
	if (err)
		return err;
	cp = child->pages;
	pt_for_each(&pp->pt, 0, parent->p.task_size, collect, &c);
	if (c.nomem)
		err = -ENOMEM;
	for (size_t i = 0; i < c.n && !err; i++) {
		uint64_t va = c.vas[i], pte = c.ptes[i];
		uint64_t pfn = pte_pfn(&pp->pt.g, pte);
		uint64_t flags = pte_flags(&pp->pt.g, pte) & PTE_CALLER_BITS;
		struct vma *v = mm_find_vma(child, va);

		if (!v || v->vm_start > va)
			continue;       /* MADV_DONTFORK: not in the child */
		if (cow_vma(v) && (flags & PTE_WRITE)) {
			flags &= ~PTE_WRITE;
			pt_remap(&pp->pt, va, pfn, flags, NULL);
			flush(pp, va, va + pp->pt.g.page_size);
		}
		err = buddy_get(pp->zone, pfn);
		if (!err) {
			err = pt_map(&cp->pt, va, pfn, flags);
			if (err)
				buddy_put(pp->zone, pfn);
		}
	}
	free(c.vas);
	free(c.ptes);
	return err;
}
