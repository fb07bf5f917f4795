/*
 * pt.c - the radix page table (see pt.h for the geometry and the memory
 * layout). Mirrors what Linux splits over mm/memory.c: the table
 * allocation of __pte_alloc/__pmd_alloc on the fault path, the PTE
 * clearing of zap_pte_range and the freeing of empty tables of
 * free_pgtables on munmap, change_pte_range for mprotect, and the
 * hardware's own walk, which sets the accessed and dirty bits.
 *
 * A walk from the root:
 *
 *     va:  [ idx0 | idx1 | ... | idx(L-1) | page offset ]
 *     t = root
 *     for level 0 .. L-2:   e = t->entries[idx]; not present -> fault
 *                           t = t->child[idx]    (the table at pfn(e))
 *     leaf:                 e = t->entries[idx(L-1)] -> pfn(e), flags(e)
 */
#include "mmu/pt.h"
#include "lib/validate.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/compiler.h"

/* The entry a non-leaf level holds: Linux's _PAGE_TABLE. */
#define PTE_TABLE (PTE_PRESENT | PTE_WRITE | PTE_USER)

static unsigned log2u64(uint64_t v)
{
	return 63u - (unsigned)__builtin_clzll(v);
}

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

int pt_geometry_init(struct pt_geometry *g, unsigned va_bits,
		     uint64_t page_size, unsigned pte_size, unsigned levels)
{
	unsigned bits_left, derived, level;

	memset(g, 0, sizeof(*g));
	if ((pte_size != 4 && pte_size != 8) || !is_pow2(page_size) ||
	    page_size < 2ull * pte_size)
		return -EINVAL;
	g->page_size = page_size;
	g->page_shift = log2u64(page_size);
	g->pte_size = pte_size;
	if (va_bits <= g->page_shift || va_bits > 64)
		return -EINVAL;
	/* A 4-byte entry's frame address must fit its 32 bits, flags below. */
	if (g->page_shift >= pte_size * 8u)
		return -EINVAL;
	g->va_bits = va_bits;
	g->entries = page_size / pte_size;
	g->bits_per_level = log2u64(g->entries);
	derived = (va_bits - g->page_shift + g->bits_per_level - 1) /
		  g->bits_per_level;
	g->derived_levels = derived;
	if (!levels)
		levels = derived;
	if (levels < derived || levels > PT_MAX_LEVELS || derived > PT_MAX_LEVELS)
		return -EINVAL;
	g->levels = levels;

	/* Fill from the leaf up: full levels, then the rest, then folded. */
	bits_left = va_bits - g->page_shift;
	for (level = levels; level-- > 0;) {
		unsigned b = bits_left < g->bits_per_level ? bits_left
							   : g->bits_per_level;

		g->bits[level] = b;
		g->shift[level] = va_bits - bits_left;
		bits_left -= b;
	}
	/*
	 * Folded levels got shift = va_bits and bits = 0; pt_index() of a
	 * 0-bit level is 0, but a shift of 64 is undefined in C: keep it 63.
	 */
	for (level = 0; level < levels; level++)
		if (g->shift[level] > 63)
			g->shift[level] = 63;

	g->nx = va_bits > 32 && pte_size == 8;
	g->pte_flag_mask = PTE_PRESENT | PTE_WRITE | PTE_USER | PTE_ACCESSED |
			   PTE_DIRTY | (g->nx ? PTE_NX : 0);
	/* x86-64 entries hold physical address bits 12..51. */
	g->max_pfn = pte_size == 4 ? (1ull << (32 - g->page_shift)) - 1
				   : (1ull << (52 - g->page_shift)) - 1;
	return 0;
}

/* ---- table pages --------------------------------------------------- */

/* Host memory of one table page: the struct, its entries, its children. */
static struct pt_table *table_new(const struct pt *pt, unsigned level,
				  uint64_t pfn)
{
	const struct pt_geometry *g = &pt->g;
	bool leaf = level == g->levels - 1;
	struct pt_table *t;

	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->entries = calloc(g->entries, sizeof(*t->entries));
	if (!leaf)
		t->child = calloc(g->entries, sizeof(*t->child));
	if (!t->entries || (!leaf && !t->child)) {
		free(t->entries);
		free(t->child);
		free(t);
		return NULL;
	}
	t->pfn = pfn;
	t->level = level;
	return t;
}

/* Takes a frame from the buddy allocator and builds a table on it. */
static int table_alloc(struct pt *pt, unsigned level, struct pt_table **out)
{
	uint64_t pfn;
	struct pt_table *t;
	int err;

	err = buddy_alloc(pt->zone, 0, pt->owner, &pfn);
	if (err)
		return err;
	t = table_new(pt, level, pfn);
	if (!t) {
		buddy_free(pt->zone, pfn);
		return -ENOMEM;
	}
	pt->stats.nr_page_table_pages++;
	pt->stats.table_allocs++;
	*out = t;
	return 0;
}

static void table_free(struct pt *pt, struct pt_table *t)
{
	int err = buddy_free(pt->zone, t->pfn);

	SIM_BUG_ON(err, "page table pfn %" PRIu64 ": buddy_free %d", t->pfn,
		   err);
	pt->stats.nr_page_table_pages--;
	pt->stats.table_frees++;
	free(t->entries);
	free(t->child);
	free(t);
}

int pt_create(struct pt *pt, const struct pt_geometry *g, struct zone *zone,
	      uint32_t owner)
{
	memset(pt, 0, sizeof(*pt));
	if (!g->levels || zone->page_size != g->page_size ||
	    (zone->nr_frames && zone->nr_frames - 1 > g->max_pfn))
		return -EINVAL;
	pt->g = *g;
	pt->zone = zone;
	pt->owner = owner;
	if (table_alloc(pt, 0, &pt->root)) {
		pt->stats.alloc_fail++;
		return -ENOMEM;
	}
	return 0;
}

/* Frees t and everything below it, reporting mapped leaves to fn. */
static void destroy_table(struct pt *pt, struct pt_table *t, uint64_t base,
			  pt_pte_fn fn, void *arg)
{
	const struct pt_geometry *g = &pt->g;
	bool leaf = t->level == g->levels - 1;
	unsigned sh = g->shift[t->level];
	uint64_t n = 1ull << g->bits[t->level];

	for (uint64_t i = 0; i < n && t->nr_present; i++) {
		uint64_t e = t->entries[i];

		if (!(e & PTE_PRESENT))
			continue;
		if (leaf) {
			if (fn)
				fn(arg, base + (i << sh), e);
			pt->stats.nr_mapped--;
		} else {
			destroy_table(pt, t->child[i], base + (i << sh), fn,
				      arg);
		}
		t->entries[i] = 0;
		t->nr_present--;
	}
	table_free(pt, t);
}

void pt_destroy(struct pt *pt, pt_pte_fn fn, void *arg)
{
	if (!pt->root)
		return;
	destroy_table(pt, pt->root, 0, fn, arg);
	pt->root = NULL;
	SIM_BUG_ON(pt->stats.nr_page_table_pages || pt->stats.nr_mapped,
		   "pt destroyed with %" PRIu64 " tables, %" PRIu64
		   " pages left", pt->stats.nr_page_table_pages,
		   pt->stats.nr_mapped);
}

/* ---- map, remap ---------------------------------------------------- */

static bool va_ok(const struct pt_geometry *g, uint64_t va)
{
	return !(va & (g->page_size - 1)) &&
	       (g->va_bits == 64 || va < (1ull << g->va_bits));
}

static int check_map_args(const struct pt *pt, uint64_t va, uint64_t pfn,
			  uint64_t flags)
{
	if (!va_ok(&pt->g, va) || pfn > pt->g.max_pfn ||
	    pfn >= pt->zone->nr_frames || (flags & ~PTE_CALLER_BITS))
		return -EINVAL;
	return 0;
}

static uint64_t make_leaf(const struct pt_geometry *g, uint64_t pfn,
			  uint64_t flags)
{
	return pfn << g->page_shift | ((flags | PTE_PRESENT) & g->pte_flag_mask);
}

/* The leaf table that maps va, or NULL when a level above is missing. */
static struct pt_table *leaf_table(const struct pt *pt, uint64_t va)
{
	const struct pt_geometry *g = &pt->g;
	struct pt_table *t = pt->root;

	for (unsigned level = 0; level + 1 < g->levels; level++) {
		uint64_t i = pt_index(g, level, va);

		if (!(t->entries[i] & PTE_PRESENT))
			return NULL;
		t = t->child[i];
	}
	return t;
}

int pt_map(struct pt *pt, uint64_t va, uint64_t pfn, uint64_t flags)
{
	const struct pt_geometry *g = &pt->g;
	struct pt_table *fresh[PT_MAX_LEVELS], *t;
	unsigned level, missing_from, nr_fresh = 0;
	int err;

	err = check_map_args(pt, va, pfn, flags);
	if (err)
		return err;

	/* Find the first missing level; below it every level is missing. */
	t = pt->root;
	for (level = 0; level + 1 < g->levels; level++) {
		uint64_t i = pt_index(g, level, va);

		if (!(t->entries[i] & PTE_PRESENT))
			break;
		t = t->child[i];
	}
	missing_from = level;
	if (missing_from == g->levels - 1 &&
	    (t->entries[pt_index(g, level, va)] & PTE_PRESENT))
		return -EEXIST;

	/* Allocate every missing table first, so failure changes nothing. */
	for (level = missing_from + 1; level < g->levels; level++) {
		err = table_alloc(pt, level, &fresh[nr_fresh]);
		if (err) {
			while (nr_fresh)
				table_free(pt, fresh[--nr_fresh]);
			pt->stats.alloc_fail++;
			return -ENOMEM;
		}
		nr_fresh++;
	}
	for (unsigned k = 0; k < nr_fresh; k++) {
		uint64_t i = pt_index(g, t->level, va);

		t->entries[i] = fresh[k]->pfn << g->page_shift | PTE_TABLE;
		t->child[i] = fresh[k];
		t->nr_present++;
		t = fresh[k];
	}
	t->entries[pt_index(g, t->level, va)] = make_leaf(g, pfn, flags);
	t->nr_present++;
	pt->stats.nr_mapped++;
	return 0;
}

int pt_remap(struct pt *pt, uint64_t va, uint64_t pfn, uint64_t flags,
	     uint64_t *old)
{
	struct pt_table *t;
	uint64_t *slot;
	int err;

	err = check_map_args(pt, va, pfn, flags);
	if (err)
		return err;
	t = leaf_table(pt, va);
	if (!t)
		return -ENOENT;
	slot = &t->entries[pt_index(&pt->g, t->level, va)];
	if (!(*slot & PTE_PRESENT))
		return -ENOENT;
	if (old)
		*old = *slot;
	*slot = make_leaf(&pt->g, pfn, flags);
	return 0;
}

/* ---- range operations ---------------------------------------------- */

static int check_range(const struct pt_geometry *g, uint64_t start,
		       uint64_t end)
{
	uint64_t mask = g->page_size - 1;

	if ((start & mask) || (end & mask) || start > end)
		return -EINVAL;
	if (g->va_bits < 64 && end > (1ull << g->va_bits))
		return -EINVAL;
	return 0;
}

enum range_op { RANGE_UNMAP, RANGE_PROTECT, RANGE_VISIT };

struct range_ctx {
	struct pt *pt;             /* the table (const for RANGE_VISIT) */
	enum range_op op;          /* what to do with each present leaf */
	pt_pte_fn fn;              /* unmap / visit callback, may be NULL */
	void *arg;                 /* its argument */
	uint64_t prot;             /* RANGE_PROTECT: new permission bits */
	uint64_t nr;               /* leaves visited */
};

/*
 * Applies the op to the leaves of t (covering va from base) that lie in
 * [start, last], last inclusive so a range ending at 2^64 fits. Frees the
 * child tables that an unmap empties.
 */
static void range_table(struct range_ctx *c, struct pt_table *t,
			uint64_t base, uint64_t start, uint64_t last)
{
	const struct pt_geometry *g = &c->pt->g;
	bool leaf = t->level == g->levels - 1;
	unsigned sh = g->shift[t->level];
	/* A folded level (0 bits) spans the whole address space. */
	unsigned top = g->bits[t->level] ? sh + g->bits[t->level] : g->va_bits;
	uint64_t span_last = top >= 64 ? UINT64_MAX : (1ull << top) - 1;
	uint64_t lo = start > base ? start : base;
	uint64_t hi = last < base + span_last ? last : base + span_last;
	uint64_t first = (lo - base) >> sh, final = (hi - base) >> sh;

	for (uint64_t i = first; i <= final && t->nr_present; i++) {
		uint64_t *slot = &t->entries[i];
		uint64_t va = base + (i << sh);

		if (!(*slot & PTE_PRESENT))
			continue;
		if (!leaf) {
			struct pt_table *child = t->child[i];

			range_table(c, child, va, start, last);
			if (c->op == RANGE_UNMAP && !child->nr_present) {
				*slot = 0;
				t->child[i] = NULL;
				t->nr_present--;
				table_free(c->pt, child);
			}
			continue;
		}
		c->nr++;
		switch (c->op) {
		case RANGE_UNMAP:
			if (c->fn)
				c->fn(c->arg, va, *slot);
			*slot = 0;
			t->nr_present--;
			c->pt->stats.nr_mapped--;
			break;
		case RANGE_PROTECT:
			*slot = (*slot & ~PTE_PROT_BITS) |
				(c->prot & g->pte_flag_mask);
			break;
		case RANGE_VISIT:
			if (c->fn)
				c->fn(c->arg, va, *slot);
			break;
		}
	}
}

static int range_run(struct range_ctx *c, uint64_t start, uint64_t end)
{
	int err = check_range(&c->pt->g, start, end);

	if (err)
		return err;
	if (start < end && c->pt->root)
		range_table(c, c->pt->root, 0, start, end - 1);
	return 0;
}

int pt_unmap_range(struct pt *pt, uint64_t start, uint64_t end,
		   pt_pte_fn fn, void *arg)
{
	struct range_ctx c = { .pt = pt, .op = RANGE_UNMAP, .fn = fn,
			       .arg = arg };

	return range_run(&c, start, end);
}

int pt_protect_range(struct pt *pt, uint64_t start, uint64_t end,
		     uint64_t prot, uint64_t *nr)
{
	struct range_ctx c = { .pt = pt, .op = RANGE_PROTECT, .prot = prot };
	int err;

	if (prot & ~PTE_PROT_BITS)
		return -EINVAL;
	err = range_run(&c, start, end);
	if (nr)
		*nr = c.nr;
	return err;
}

int pt_for_each(const struct pt *pt, uint64_t start, uint64_t end,
		pt_pte_fn fn, void *arg)
{
	/* RANGE_VISIT writes nothing through c.pt. */
	struct range_ctx c = { .pt = (struct pt *)pt, .op = RANGE_VISIT,
			       .fn = fn, .arg = arg };

	return range_run(&c, start, end);
}

/* ---- walks --------------------------------------------------------- */

uint64_t pt_lookup(const struct pt *pt, uint64_t va, struct pt_trace *trace)
{
	const struct pt_geometry *g = &pt->g;
	const struct pt_table *t = pt->root;
	uint64_t e = 0;

	if (trace)
		trace->nr_levels = 0;
	if (!t || (g->va_bits < 64 && va >= (1ull << g->va_bits)))
		return 0;
	for (unsigned level = 0; level < g->levels; level++) {
		uint64_t i = pt_index(g, level, va);

		e = t->entries[i];
		if (trace) {
			trace->index[level] = i;
			trace->table_pfn[level] = t->pfn;
			trace->entry[level] = e;
			trace->nr_levels = level + 1;
		}
		if (!(e & PTE_PRESENT))
			return 0;
		if (level + 1 < g->levels)
			t = t->child[i];
	}
	return e;
}

int pt_walk(struct pt *pt, uint64_t va, enum pt_access access, bool user,
	    uint64_t *pte, unsigned *levels)
{
	const struct pt_geometry *g = &pt->g;
	struct pt_table *t = pt->root;
	unsigned last = g->levels - 1, level;
	uint64_t *slot;

	pt->stats.walks++;
	for (level = 0; level < last; level++) {
		uint64_t i = pt_index(g, level, va);

		slot = &t->entries[i];
		if (unlikely(!(*slot & PTE_PRESENT))) {
			pt->stats.walk_mem_refs += level + 1;
			*levels = level + 1;
			*pte = 0;
			return -ENOENT;
		}
		if (!(*slot & PTE_ACCESSED))
			*slot |= PTE_ACCESSED;
		t = t->child[i];
	}
	slot = &t->entries[pt_index(g, last, va)];
	pt->stats.walk_mem_refs += g->levels;
	*levels = g->levels;
	if (unlikely(!(*slot & PTE_PRESENT))) {
		*pte = 0;
		return -ENOENT;
	}
	if (unlikely(!pte_permits(*slot, access, user))) {
		*pte = *slot;
		return -EACCES;
	}
	*slot |= PTE_ACCESSED | (access == PT_WRITE ? PTE_DIRTY : 0);
	*pte = *slot;
	return 0;
}

/* ---- validation ---------------------------------------------------- */

struct validate_ctx {
	const struct pt *pt;       /* the table checked */
	uint64_t tables;           /* tables seen */
	uint64_t leaves;           /* present leaf PTEs seen */
	char *why;                 /* where the first failure goes */
	size_t len;                /* its size */
};

static int validate_table(struct validate_ctx *c, const struct pt_table *t,
			  unsigned level)
{
	const struct pt_geometry *g = &c->pt->g;
	bool leaf = level == g->levels - 1;
	uint64_t used = 1ull << g->bits[level], present = 0;
	struct buddy_block blk;
	int err;

	c->tables++;
	if (t->level != level)
		return validate_fail(c->why, c->len, "table pfn %" PRIu64
			    ": level %u, found at level %u", t->pfn, t->level,
			    level);
	if (buddy_block_info(c->pt->zone, t->pfn, &blk) || !blk.allocated ||
	    blk.order != 0 || blk.owner != c->pt->owner)
		return validate_fail(c->why, c->len, "table pfn %" PRIu64
			    ": not an allocated order-0 frame of owner %u",
			    t->pfn, c->pt->owner);
	for (uint64_t i = 0; i < g->entries; i++) {
		uint64_t e = t->entries[i];

		if (!(e & PTE_PRESENT)) {
			if (e || (!leaf && t->child[i]))
				return validate_fail(c->why, c->len, "table pfn %" PRIu64
					    " slot %" PRIu64 ": not present but "
					    "not clear", t->pfn, i);
			continue;
		}
		if (i >= used)
			return validate_fail(c->why, c->len, "table pfn %" PRIu64
				    " slot %" PRIu64 ": beyond the %" PRIu64
				    " slots its level uses", t->pfn, i, used);
		if ((e & (g->page_size - 1) & ~g->pte_flag_mask) ||
		    (e & PTE_NX & ~g->pte_flag_mask))
			return validate_fail(c->why, c->len, "table pfn %" PRIu64
				    " slot %" PRIu64 ": unknown flag bits in "
				    "0x%" PRIx64, t->pfn, i, e);
		present++;
		if (leaf) {
			c->leaves++;
			if (pte_pfn(g, e) >= c->pt->zone->nr_frames)
				return validate_fail(c->why, c->len, "pte 0x%" PRIx64
					    ": pfn beyond the zone", e);
			continue;
		}
		if (!t->child[i] || pte_pfn(g, e) != t->child[i]->pfn)
			return validate_fail(c->why, c->len, "table pfn %" PRIu64
				    " slot %" PRIu64 ": entry pfn %" PRIu64
				    " does not match its child table",
				    t->pfn, i, pte_pfn(g, e));
		if ((e & PTE_TABLE) != PTE_TABLE)
			return validate_fail(c->why, c->len, "table pfn %" PRIu64
				    " slot %" PRIu64 ": table entry without "
				    "write|user", t->pfn, i);
		if (!t->child[i]->nr_present)
			return validate_fail(c->why, c->len, "table pfn %" PRIu64
				    ": empty non-root table left linked",
				    t->child[i]->pfn);
		err = validate_table(c, t->child[i], level + 1);
		if (err)
			return err;
	}
	if (present != t->nr_present)
		return validate_fail(c->why, c->len, "table pfn %" PRIu64
			    ": nr_present %u, counted %" PRIu64, t->pfn,
			    t->nr_present, present);
	return 0;
}

int pt_validate(const struct pt *pt, char *why, size_t len)
{
	struct validate_ctx c = { .pt = pt, .why = why, .len = len };
	int err;

	if (!pt->root)
		return pt->stats.nr_page_table_pages ?
			validate_fail(why, len, "no root but %" PRIu64 " tables",
			     pt->stats.nr_page_table_pages) : 0;
	err = validate_table(&c, pt->root, 0);
	if (err)
		return err;
	if (c.tables != pt->stats.nr_page_table_pages)
		return validate_fail(why, len, "nr_page_table_pages %" PRIu64
			    ", counted %" PRIu64,
			    pt->stats.nr_page_table_pages, c.tables);
	if (c.leaves != pt->stats.nr_mapped)
		return validate_fail(why, len, "nr_mapped %" PRIu64 ", counted %" PRIu64,
			    pt->stats.nr_mapped, c.leaves);
	if (pt->stats.table_allocs - pt->stats.table_frees != c.tables)
		return validate_fail(why, len, "table allocs - frees != tables");
	return 0;
}
