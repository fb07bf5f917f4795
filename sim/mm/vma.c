/*
 * vma.c - the VMA set of an address space: a list sorted by address and a
 * red-black tree keyed by address, augmented with rb_subtree_gap, as Linux
 * 3.8-6.0 kept them (mm/mmap.c: __vma_link_rb, vma_gap_update,
 * find_vma, unmapped_area, unmapped_area_topdown, __split_vma,
 * validate_mm).
 *
 * The gap of a VMA is the free space just below it:
 *
 *        prev                 gap                  vma
 *   |-----------|..........................|==================|
 *           prev->vm_end                  vma->vm_start
 *
 * (the raw gap: a growsdown VMA's guard gap is handled by the searches,
 * as Linux 6.x does, not by the cached values)
 *
 * rb_subtree_gap is the largest gap of any VMA in the node's subtree, so a
 * search for a free range of length L skips every subtree whose value is
 * below L: O(log n). The gap above the highest VMA belongs to no node;
 * mm->highest_vm_end records where it starts.
 *
 * Every change of a VMA's bounds goes through vma_link, vma_remove or
 * vma_set_range here, which keep list, tree, gaps and the page counters
 * together. mm_validate() checks all of it from scratch.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "lib/rbtree_augmented.h"
#include "lib/validate.h"
#include "mm/internal.h"

/*
 * The free space just below v. It is the raw gap, guard gap included:
 * Linux 6.x (maple tree) searches raw gaps and deals with a growsdown VMA's
 * guard gap afterwards (see vma_unmapped_area_topdown), and placement must
 * follow it, so the tree keeps what the maple tree keeps.
 *
 * Like the space above the highest VMA, the space below the lowest one is
 * not in the tree (its gap counts as 0 there): the searches look at it
 * through the list head. Mappings most often land next to the lowest VMA,
 * and this way a new lowest VMA changes no ancestor's rb_subtree_gap, so
 * linking and unlinking it stop propagating at once.
 */
static inline uint64_t vma_compute_gap(struct vma *v)
{
	struct mm_struct *mm = v->vm_mm;
	uint64_t gap_end = v->vm_start;
	uint64_t gap_start;

	if (v->vm_list.prev == &mm->mmap)
		return 0;
	gap_start = list_entry(v->vm_list.prev, struct vma, vm_list)->vm_end;
	return gap_end > gap_start ? gap_end - gap_start : 0;
}

RB_DECLARE_CALLBACKS_MAX(static, vma_gap_callbacks, struct vma, vm_rb,
			 uint64_t, rb_subtree_gap, vma_compute_gap);

static void vma_gap_update(struct vma *v)
{
	vma_gap_callbacks_propagate(&v->vm_rb, NULL);
}

/* ---------------------------------------------------------------------
 * The VMA cache.
 */

struct vma *vma_alloc(struct mm_struct *mm)
{
	struct vma *v = mm->free_vmas;

	if (unlikely(!v)) {
		struct vma_chunk *c = malloc(sizeof(*c));

		if (!c)
			return NULL;
		c->next = mm->chunks;
		mm->chunks = c;
		for (size_t i = VMA_CHUNK; i-- > 0;) {
			c->vmas[i].vm_rb.rb_right = mm->free_vmas ?
				&mm->free_vmas->vm_rb : NULL;
			mm->free_vmas = &c->vmas[i];
		}
		v = mm->free_vmas;
	}
	mm->free_vmas = v->vm_rb.rb_right ?
		rb_entry(v->vm_rb.rb_right, struct vma, vm_rb) : NULL;
	memset(v, 0, sizeof(*v));
	v->vm_mm = mm;
	/* the kernel's vm_area_struct, from its slab cache */
	if (mm->vma_slab && slab_alloc(mm->vma_slab, &v->slab_obj)) {
		v->vm_rb.rb_right = mm->free_vmas ? &mm->free_vmas->vm_rb : NULL;
		mm->free_vmas = v;
		return NULL;
	}
	return v;
}

void vma_free(struct mm_struct *mm, struct vma *v)
{
	if (mm->vma_slab)
		slab_free(mm->vma_slab, v->slab_obj);
	v->vm_rb.rb_right = mm->free_vmas ? &mm->free_vmas->vm_rb : NULL;
	mm->free_vmas = v;
}

/* ---------------------------------------------------------------------
 * Accounting: total_vm, data_vm, locked_vm follow every change of bounds
 * or flags.
 */

/* Linux is_data_mapping(): private writable, not a stack. */
static inline bool is_data_flags(uint64_t f)
{
	return (f & (VM_WRITE | VM_SHARED | VM_GROWSDOWN)) == VM_WRITE;
}

static void vma_acct(struct mm_struct *mm, const struct vma *v, int sign)
{
	uint64_t n = (v->vm_end - v->vm_start) >> mm->page_shift;

	if (sign < 0)
		n = -n;
	mm->cnt.total_vm += n;
	if (is_data_flags(v->vm_flags))
		mm->data_vm += n;
	if (v->vm_flags & VM_LOCKED)
		mm->cnt.locked_vm += n;
}

/*
 * Links v into list and tree right after prev (NULL: as the first VMA).
 * The tree slot is found from prev without a key descent: the in-order
 * successor slot of prev is its right child if free, else the left end of
 * its right subtree.
 */
void vma_link(struct mm_struct *mm, struct vma *v, struct vma *prev)
{
	struct rb_node **link, *parent = NULL;
	struct vma *next;

	if (prev) {
		list_add(&v->vm_list, &prev->vm_list);
		parent = &prev->vm_rb;
		link = &prev->vm_rb.rb_right;
	} else if (!list_empty(&mm->mmap)) {
		/* before the lowest VMA, the leftmost node: its left slot */
		parent = &list_first_entry(&mm->mmap, struct vma, vm_list)->vm_rb;
		link = &parent->rb_left;
		list_add(&v->vm_list, &mm->mmap);
	} else {
		list_add(&v->vm_list, &mm->mmap);
		link = &mm->mm_rb.rb_node;
	}
	while (*link) {
		parent = *link;
		link = &parent->rb_left;
	}
	/*
	 * The gap before next shrank: bring the tree up to date with the
	 * list before inserting, so that every value the insertion's
	 * rotations copy is right (Linux __vma_link_rb does the same).
	 */
	next = vma_next_entry(mm, v);
	if (next)
		vma_gap_update(next);
	else
		mm->highest_vm_end = v->vm_end;
	v->rb_subtree_gap = 0;	/* covered by every ancestor: see rb_insert_augmented */
	rb_link_node(&v->vm_rb, parent, link);
	rb_insert_augmented(&v->vm_rb, &mm->mm_rb, &vma_gap_callbacks);
	mm->map_count++;
	vma_acct(mm, v, +1);
	mm->mmap_cache = v;	/* a new mapping is usually used next */
}

void vma_remove(struct mm_struct *mm, struct vma *v)
{
	struct vma *next = vma_next_entry(mm, v);
	struct vma *prev = vma_prev_entry(mm, v);

	vma_acct(mm, v, -1);
	/* Erase while the list still holds v: the tree's values match it. */
	rb_erase_augmented(&v->vm_rb, &mm->mm_rb, &vma_gap_callbacks);
	list_del(&v->vm_list);
	mm->mmap_cache = next;
	if (next)
		vma_gap_update(next);
	else
		mm->highest_vm_end = prev ? prev->vm_end : 0;
	mm->map_count--;
	mm_file_put(v->vm_file);
	vma_free(mm, v);
}

void vma_start_changed(struct mm_struct *mm, struct vma *v)
{
	(void)mm;
	vma_gap_update(v);
}

void vma_end_changed(struct mm_struct *mm, struct vma *v)
{
	struct vma *next = vma_next_entry(mm, v);

	if (next)
		vma_gap_update(next);
	else
		mm->highest_vm_end = v->vm_end;
}

/*
 * Moves v's bounds to [start, end). The caller keeps the set ordered (a
 * neighbour may overlap v until the caller's next vma_set_range, which
 * fixes the gaps it computed meanwhile).
 */
void vma_set_range(struct mm_struct *mm, struct vma *v, uint64_t start,
		   uint64_t end)
{
	bool sc = start != v->vm_start, ec = end != v->vm_end;

	vma_acct(mm, v, -1);
	v->vm_start = start;
	v->vm_end = end;
	vma_acct(mm, v, +1);
	if (sc)
		vma_start_changed(mm, v);
	if (ec)
		vma_end_changed(mm, v);
}

/* Flags do not enter the (raw) gaps: only the counters follow. */
void vma_set_flags(struct mm_struct *mm, struct vma *v, uint64_t flags)
{
	vma_acct(mm, v, -1);
	v->vm_flags = flags;
	vma_acct(mm, v, +1);
}

/* ---------------------------------------------------------------------
 * Lookup.
 */

/*
 * Look up the first VMA which satisfies addr < vm_end, NULL if none.
 * The last answer is cached (as Linux's mm->mmap_cache was before the
 * per-thread vmacache): it is the answer again when addr is below its end
 * and not below the end of the VMA before it. The cache is a hint, not
 * state, so a const lookup may update it.
 */
struct vma *mm_find_vma(const struct mm_struct *mm, uint64_t addr)
{
	struct rb_node *node = mm->mm_rb.rb_node;
	struct vma *found = mm->mmap_cache;

	if (found && addr < found->vm_end) {
		struct vma *prev = vma_prev_entry(mm, found);

		if (!prev || prev->vm_end <= addr)
			return found;
	}
	found = NULL;

	while (node) {
		struct vma *v = rb_entry(node, struct vma, vm_rb);

		if (v->vm_end > addr) {
			found = v;
			if (v->vm_start <= addr)
				break;
			node = node->rb_left;
		} else {
			node = node->rb_right;
		}
	}
	if (found)
		((struct mm_struct *)mm)->mmap_cache = found;
	return found;
}

struct vma *vma_find_prev(const struct mm_struct *mm, uint64_t addr,
			  struct vma **prev)
{
	struct vma *v = mm_find_vma(mm, addr);

	if (v)
		*prev = vma_prev_entry(mm, v);
	else
		*prev = list_empty(&mm->mmap) ? NULL :
			list_last_entry(&mm->mmap, struct vma, vm_list);
	return v;
}

struct vma *mm_find_vma_intersection(const struct mm_struct *mm,
				     uint64_t start, uint64_t end)
{
	struct vma *v = mm_find_vma(mm, start);

	return (v && v->vm_start < end) ? v : NULL;
}

struct vma *mm_first_vma(const struct mm_struct *mm)
{
	return list_first_entry_or_null(&mm->mmap, struct vma, vm_list);
}

struct vma *mm_next_vma(const struct mm_struct *mm, const struct vma *v)
{
	return vma_next_entry(mm, v);
}

struct vma *mm_prev_vma(const struct mm_struct *mm, const struct vma *v)
{
	return vma_prev_entry(mm, v);
}

uint64_t mm_nr_vmas(const struct mm_struct *mm)
{
	return mm->map_count;
}

uint64_t vma_start(const struct vma *v) { return v->vm_start; }
uint64_t vma_end(const struct vma *v) { return v->vm_end; }
uint64_t vma_flags(const struct vma *v) { return v->vm_flags; }
uint64_t vma_pgoff(const struct vma *v) { return v->vm_pgoff; }
struct mm_file *vma_file(const struct vma *v) { return v->vm_file; }
bool vma_has_anon_vma(const struct vma *v) { return v->anon_vma != 0; }

int vma_prot(const struct vma *v)
{
	return (v->vm_flags & VM_READ ? PROT_READ : 0) |
	       (v->vm_flags & VM_WRITE ? PROT_WRITE : 0) |
	       (v->vm_flags & VM_EXEC ? PROT_EXEC : 0);
}

/* ---------------------------------------------------------------------
 * Free-area search.
 */

static inline uint64_t gap_start_of(const struct mm_struct *mm,
				    const struct vma *v)
{
	const struct vma *prev = vma_prev_entry(mm, v);

	return prev ? prev->vm_end : 0;
}

static inline struct vma *node_vma(struct rb_node *n)
{
	return n ? rb_entry(n, struct vma, vm_rb) : NULL;
}

/*
 * The highest raw gap [gs, ge) whose part inside [low, high) holds len
 * bytes: O(log n), right subtrees first, pruned by rb_subtree_gap. Gives
 * the gap's end (clipped to high) and the VMA just above it (NULL for the
 * space above every VMA).
 */
static int highest_gap(const struct mm_struct *mm, uint64_t len, uint64_t low,
		       uint64_t high, uint64_t *end, struct vma **above)
{
	uint64_t high_limit, low_limit, gap_start, gap_end;
	struct vma *v;

	if (high < len)
		return -ENOMEM;
	high_limit = high - len;		/* highest acceptable start */
	if (low > high_limit)
		return -ENOMEM;
	low_limit = low + len;			/* lowest acceptable gap end */

	if (mm->highest_vm_end <= high_limit) {
		*end = high;
		*above = NULL;
		return 0;
	}
	v = node_vma(mm->mm_rb.rb_node);
	if (!v || v->rb_subtree_gap < len)
		goto check_lowest;
	for (;;) {
		struct vma *right = node_vma(v->vm_rb.rb_right);

		gap_start = gap_start_of(mm, v);
		if (gap_start <= high_limit && right &&
		    right->rb_subtree_gap >= len) {
			v = right;
			continue;
		}
check_current:
		gap_end = v->vm_start;
		if (gap_end < low_limit)
			return -ENOMEM;
		if (gap_start <= high_limit && gap_end - gap_start >= len) {
			*end = gap_end < high ? gap_end : high;
			*above = v;
			return 0;
		}
		{
			struct vma *left = node_vma(v->vm_rb.rb_left);

			if (left && left->rb_subtree_gap >= len) {
				v = left;
				continue;
			}
		}
		/* Climb to the first ancestor we reached from its right. */
		for (;;) {
			struct rb_node *from = &v->vm_rb;
			struct rb_node *up = rb_parent(from);

			if (!up)
				goto check_lowest;
			v = node_vma(up);
			if (from == up->rb_right) {
				gap_start = gap_start_of(mm, v);
				goto check_current;
			}
		}
	}
check_lowest:
	/* the space below the lowest VMA, kept out of the tree */
	v = list_first_entry(&mm->mmap, struct vma, vm_list);
	gap_end = v->vm_start;
	if (gap_end < low_limit || gap_end < len)
		return -ENOMEM;
	*end = gap_end < high ? gap_end : high;
	*above = v;
	return 0;
}

/*
 * unmapped_area_topdown (6.x): the highest fitting raw gap; when the VMA
 * above it grows down and its guard gap reaches into the range, search
 * again below that guard gap. Note what this means (and the recorded
 * kernel does): every gap within the guard distance below a growsdown VMA
 * is skipped once the search lands just below it, not only the adjacent
 * one.
 */
int vma_unmapped_area_topdown(const struct mm_struct *mm, uint64_t len,
			      uint64_t low, uint64_t high, uint64_t *out)
{
	for (;;) {
		uint64_t end;
		struct vma *above;
		int err = highest_gap(mm, len, low, high, &end, &above);

		if (err)
			return err;
		if (above && (above->vm_flags & VM_GROWSDOWN) &&
		    vm_start_gap(above) < end) {
			high = vm_start_gap(above);
			continue;
		}
		*out = end - len;
		return 0;
	}
}

/* The lowest raw gap whose part inside [low, high) holds len bytes. */
static int lowest_gap(const struct mm_struct *mm, uint64_t len, uint64_t low,
		      uint64_t high, uint64_t *start, struct vma **above)
{
	uint64_t high_limit, low_limit, gap_start, gap_end;
	struct vma *v;

	if (high < len)
		return -ENOMEM;
	high_limit = high - len;
	if (low > high_limit)
		return -ENOMEM;
	low_limit = low + len;

	/* the space below the lowest VMA, kept out of the tree */
	if (!list_empty(&mm->mmap)) {
		v = list_first_entry(&mm->mmap, struct vma, vm_list);
		if (v->vm_start >= low_limit && v->vm_start >= len) {
			*start = low;
			*above = v;
			return 0;
		}
	}
	v = node_vma(mm->mm_rb.rb_node);
	if (!v || v->rb_subtree_gap < len)
		goto check_highest;
	for (;;) {
		struct vma *left = node_vma(v->vm_rb.rb_left);

		gap_end = v->vm_start;
		if (gap_end >= low_limit && left && left->rb_subtree_gap >= len) {
			v = left;
			continue;
		}
		gap_start = gap_start_of(mm, v);
check_current:
		if (gap_start > high_limit)
			return -ENOMEM;
		if (gap_end >= low_limit && gap_end - gap_start >= len) {
			*start = gap_start > low ? gap_start : low;
			*above = v;
			return 0;
		}
		{
			struct vma *right = node_vma(v->vm_rb.rb_right);

			if (right && right->rb_subtree_gap >= len) {
				v = right;
				continue;
			}
		}
		for (;;) {
			struct rb_node *from = &v->vm_rb;
			struct rb_node *up = rb_parent(from);

			if (!up)
				goto check_highest;
			v = node_vma(up);
			if (from == up->rb_left) {
				gap_start = gap_start_of(mm, v);
				gap_end = v->vm_start;
				goto check_current;
			}
		}
	}
check_highest:
	gap_start = mm->highest_vm_end;
	if (gap_start > high_limit)
		return -ENOMEM;
	*start = gap_start > low ? gap_start : low;
	*above = NULL;
	return 0;
}

/*
 * unmapped_area (6.x, bottom-up): the lowest fitting raw gap; when the
 * VMA above it grows down and its guard gap overlaps the range, search
 * again above that VMA.
 */
int vma_unmapped_area(const struct mm_struct *mm, uint64_t len, uint64_t low,
		      uint64_t high, uint64_t *out)
{
	for (;;) {
		uint64_t start;
		struct vma *above;
		int err = lowest_gap(mm, len, low, high, &start, &above);

		if (err)
			return err;
		if (above && (above->vm_flags & VM_GROWSDOWN) &&
		    vm_start_gap(above) < start + len) {
			low = above->vm_end;
			continue;
		}
		*out = start;
		return 0;
	}
}

/* ---------------------------------------------------------------------
 * Split (__split_vma).
 */
struct vma *vma_split(struct mm_struct *mm, struct vma *v, uint64_t addr,
		      bool new_below)
{
	struct vma *n = vma_alloc(mm);
	uint64_t delta = (addr - v->vm_start) >> mm->page_shift;

	SIM_BUG_ON(addr <= v->vm_start || addr >= v->vm_end,
		   "split of %" PRIx64 "-%" PRIx64 " at %" PRIx64,
		   v->vm_start, v->vm_end, addr);
	if (!n)
		return NULL;
	n->vm_flags = v->vm_flags;
	n->vm_file = v->vm_file ? mm_file_get(v->vm_file) : NULL;
	n->vm_name = v->vm_name;
	n->anon_vma = v->anon_vma;
	/*
	 * v gives up part of its range and n takes it at once: no gap opens,
	 * so v's bounds change without a gap update, and vma_link's update of
	 * the VMA after n finds every gap as it was (for new_below, v's gap
	 * becomes 0 and n inherits it).
	 */
	vma_acct(mm, v, -1);
	if (new_below) {
		n->vm_start = v->vm_start;
		n->vm_end = addr;
		n->vm_pgoff = v->vm_pgoff;
		v->vm_pgoff += delta;
		v->vm_start = addr;
		vma_acct(mm, v, +1);
		vma_link(mm, n, vma_prev_entry(mm, v));
	} else {
		n->vm_start = addr;
		n->vm_end = v->vm_end;
		n->vm_pgoff = v->vm_pgoff + delta;
		v->vm_end = addr;
		vma_acct(mm, v, +1);
		vma_link(mm, n, v);
	}
	mm->cnt.nr_splits++;
	return n;
}

/* ---------------------------------------------------------------------
 * Validation (validate_mm, browse_rb).
 */

/* Recomputes the subtree's gap maximum from scratch; -1 on a mismatch. */
static int check_gaps(const struct rb_node *n, uint64_t *max, char *why,
		      size_t len)
{
	struct vma *v;
	uint64_t m, c;

	*max = 0;
	if (!n)
		return 0;
	v = rb_entry(n, struct vma, vm_rb);
	m = vma_compute_gap(v);
	if (check_gaps(n->rb_left, &c, why, len))
		return -1;
	if (c > m)
		m = c;
	if (check_gaps(n->rb_right, &c, why, len))
		return -1;
	if (c > m)
		m = c;
	if (v->rb_subtree_gap != m) {
		validate_fail(why, len, "vma %" PRIx64 "-%" PRIx64 ": rb_subtree_gap %"
		     PRIx64 ", recomputed %" PRIx64, v->vm_start, v->vm_end,
		     v->rb_subtree_gap, m);
		return -1;
	}
	*max = m;
	return 0;
}

int mm_validate(const struct mm_struct *mm, char *why, size_t len)
{
	uint64_t count = 0, prev_end = 0, total = 0, data = 0, locked = 0;
	uint64_t mask = mm->p.page_size - 1, gmax;
	struct rb_node *rb = rb_first(&mm->mm_rb);
	const struct vma *v;
	char rbwhy[128];

	if (rb_validate(&mm->mm_rb, rbwhy, sizeof(rbwhy)) < 0)
		return validate_fail(why, len, "rbtree: %s", rbwhy);
	list_for_each_entry(v, &mm->mmap, vm_list) {
		uint64_t n = (v->vm_end - v->vm_start) >> mm->page_shift;

		if (rb != &v->vm_rb)
			return validate_fail(why, len, "vma %" PRIx64 "-%" PRIx64
				    ": list and tree disagree", v->vm_start,
				    v->vm_end);
		rb = rb_next(rb);
		if (v->vm_mm != mm)
			return validate_fail(why, len, "vma %" PRIx64 ": wrong mm",
				    v->vm_start);
		if (v->vm_start >= v->vm_end || (v->vm_start & mask) ||
		    (v->vm_end & mask))
			return validate_fail(why, len, "vma %" PRIx64 "-%" PRIx64
				    ": empty or unaligned", v->vm_start,
				    v->vm_end);
		if (count && v->vm_start < prev_end)
			return validate_fail(why, len, "vma %" PRIx64 "-%" PRIx64
				    ": overlaps or precedes the previous one"
				    " (ending %" PRIx64 ")", v->vm_start,
				    v->vm_end, prev_end);
		if (v->vm_file && v->vm_file->refcount == 0)
			return validate_fail(why, len, "vma %" PRIx64 ": file with no "
				    "reference", v->vm_start);
		prev_end = v->vm_end;
		count++;
		total += n;
		if (is_data_flags(v->vm_flags))
			data += n;
		if (v->vm_flags & VM_LOCKED)
			locked += n;
	}
	if (rb)
		return validate_fail(why, len, "tree has more nodes than the list");
	if (count != mm->map_count)
		return validate_fail(why, len, "map_count %" PRIu64 ", list holds %"
			    PRIu64, mm->map_count, count);
	if (mm->highest_vm_end != prev_end)
		return validate_fail(why, len, "highest_vm_end %" PRIx64 ", last end %"
			    PRIx64, mm->highest_vm_end, prev_end);
	if (total != mm->cnt.total_vm || data != mm->data_vm ||
	    locked != mm->cnt.locked_vm)
		return validate_fail(why, len, "page counters: total_vm %" PRIu64 "/%"
			    PRIu64 ", data_vm %" PRIu64 "/%" PRIu64
			    ", locked_vm %" PRIu64 "/%" PRIu64,
			    mm->cnt.total_vm, total, mm->data_vm, data,
			    mm->cnt.locked_vm, locked);
	if (check_gaps(mm->mm_rb.rb_node, &gmax, why, len))
		return -EINVAL;
	return 0;
}

void mm_after_op(struct mm_struct *mm, const char *op)
{
	char why[256];

	if (!mm->validate)
		return;
	SIM_BUG_ON(mm_validate(mm, why, sizeof(why)) != 0,
		   "mm %p after %s: %s", (void *)mm, op, why);
}
