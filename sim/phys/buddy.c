/*
 * buddy.c - the binary buddy allocator of one zone (Linux mm/page_alloc.c:
 * __rmqueue_smallest, expand, __free_one_page, page_is_buddy).
 *
 * The buddy arithmetic. A block of order o starts at a pfn aligned to 2^o.
 * Its buddy is the other half of the order-(o+1) block that contains it:
 *
 *     buddy_pfn    = pfn ^ (1 << o)       flip the bit that picks the half
 *     combined_pfn = pfn & ~(1 << o)      clear it: the lower half starts it
 *
 *     order 2:   [ 0  1  2  3 ][ 4  5  6  7 ]     buddy(0) = 4, buddy(4) = 0
 *     order 3:   [ 0  1  2  3  4  5  6  7 ]       combined(4) = 0
 *
 * Allocation (__rmqueue_smallest + expand): take the head of the smallest
 * non-empty free list of order >= the request; while the block is too big,
 * split it, keep the lower half and push the upper half on the head of the
 * list one order lower:
 *
 *     order 3 at 0, want order 1:
 *       [ 0 .. 7 ]  ->  keep [0..3], push [4..7] on order 2
 *       [ 0 .. 3 ]  ->  keep [0..1], push [2..3] on order 1
 *       hand out [0..1]
 *
 * Free (__free_one_page): while the buddy is free and of the same order,
 * take it off its list and merge; push the result on the head of its list.
 *
 * Finding the smallest non-empty list is one count-trailing-zeros over a
 * mask of non-empty orders, and list operations are O(1) on 32-bit pfn
 * links, so an allocation or a free costs O(max_order) at worst.
 */
#include "phys/buddy.h"
#include "lib/validate.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lib/compiler.h"

#define NIL UINT32_MAX                 /* end of a free list */

_Static_assert(sizeof(struct page) == 16,
	       "struct page is the per-frame budget: 16 bytes");

static inline uint64_t order_bytes(const struct zone *z, unsigned order)
{
	return z->page_size << order;
}

/* Pushes the free block at pfn on the head of free_area[order]. */
static inline void free_list_add(struct zone *z, uint32_t pfn, unsigned order)
{
	struct free_area *area = &z->free_area[order];
	struct page *page = &z->pages[pfn];

	page->lru.next = area->head;
	page->lru.prev = NIL;
	page->order = (uint8_t)order;
	page->flags = PG_buddy;
	if (area->head != NIL)
		z->pages[area->head].lru.prev = pfn;
	area->head = pfn;
	area->nr_free++;
	z->free_mask |= 1u << order;
}

/* Takes the free block at pfn off free_area[order]; it keeps no flag. */
static inline void free_list_del(struct zone *z, uint32_t pfn, unsigned order)
{
	struct free_area *area = &z->free_area[order];
	struct page *page = &z->pages[pfn];

	if (page->lru.prev != NIL)
		z->pages[page->lru.prev].lru.next = page->lru.next;
	else
		area->head = page->lru.next;
	if (page->lru.next != NIL)
		z->pages[page->lru.next].lru.prev = page->lru.prev;
	page->flags = 0;
	if (--area->nr_free == 0)
		z->free_mask &= ~(1u << order);
}

/*
 * page_is_buddy: the block at buddy_pfn can merge with an order-o block
 * when (a) it lies within the managed frames, (b) it is the head of a free
 * block (PG_buddy), and (c) that block has the same order o. Linux also
 * asks (d) same zone; vmsim has one zone. Frames beyond the carved end are
 * never free heads, so a block at the end of non-power-of-two memory simply
 * finds no buddy.
 */
static inline int page_is_buddy(const struct zone *z, uint64_t buddy_pfn,
				unsigned order)
{
	const struct page *buddy;

	if (buddy_pfn >= z->nr_frames)
		return 0;
	buddy = &z->pages[buddy_pfn];
	return buddy->flags == PG_buddy && buddy->order == order;
}

/* Runs the full validator when asked to (debug builds: every operation). */
static void buddy_debug_check(struct zone *z)
{
	char why[200];

	if (likely(z->validate_every == 0))
		return;
	if (--z->validate_countdown > 0)
		return;
	z->validate_countdown = z->validate_every;
	SIM_BUG_ON(buddy_validate(z, why, sizeof(why)) != 0, "zone: %s", why);
}

static unsigned floor_log2(uint64_t x)
{
	return 63u - (unsigned)__builtin_clzll(x);
}

int buddy_init(struct zone *z, uint64_t memory_bytes, uint64_t page_size,
	       unsigned max_order)
{
	uint32_t last[BUDDY_NR_ORDERS];   /* tail of each list while carving */
	uint64_t nr_frames, pfn;

	memset(z, 0, sizeof(*z));
	if (page_size == 0 || (page_size & (page_size - 1)))
		return -EINVAL;
	nr_frames = memory_bytes / page_size;
	if (nr_frames == 0)
		return -EINVAL;
	if (nr_frames > BUDDY_MAX_FRAMES)
		return -E2BIG;

	z->pages = calloc(nr_frames, sizeof(struct page));
	if (!z->pages)
		return -ENOMEM;
	z->nr_frames = nr_frames;
	z->page_size = page_size;
	z->page_shift = floor_log2(page_size);
	z->max_order = floor_log2(nr_frames);
	if (z->max_order > max_order)
		z->max_order = max_order;
	z->unmanaged_bytes = memory_bytes - nr_frames * page_size;
	for (unsigned o = 0; o < BUDDY_NR_ORDERS; o++) {
		z->free_area[o].head = NIL;
		last[o] = NIL;
	}

	/*
	 * Carve [0, nr_frames) from frame 0 upward into the largest blocks
	 * that are aligned at pfn and fit before the end. Each is appended
	 * at its list's tail, so lists run in ascending pfn order.
	 */
	for (pfn = 0; pfn < nr_frames; ) {
		unsigned o = z->max_order;
		struct page *page;

		while (o > 0 && ((pfn & ((1ull << o) - 1)) ||
				 pfn + (1ull << o) > nr_frames))
			o--;
		page = &z->pages[pfn];
		page->order = (uint8_t)o;
		page->flags = PG_buddy;
		page->lru.next = NIL;
		page->lru.prev = last[o];
		if (last[o] == NIL)
			z->free_area[o].head = (uint32_t)pfn;
		else
			z->pages[last[o]].lru.next = (uint32_t)pfn;
		last[o] = (uint32_t)pfn;
		z->free_area[o].nr_free++;
		z->free_mask |= 1u << o;
		pfn += 1ull << o;
	}
	z->nr_free_pages = nr_frames;
	buddy_set_validate(z, SIM_VALIDATE ? 1 : 0);
	return 0;
}

void buddy_destroy(struct zone *z)
{
	free(z->pages);
	memset(z, 0, sizeof(*z));
}

void buddy_set_validate(struct zone *z, unsigned every)
{
	z->validate_every = every;
	z->validate_countdown = every;
}

int buddy_order_for_size(const struct zone *z, uint64_t bytes,
			 unsigned *order)
{
	uint64_t frames;
	unsigned o;

	if (bytes == 0)
		return -EINVAL;
	frames = ((bytes - 1) >> z->page_shift) + 1;   /* no overflow */
	o = frames == 1 ? 0 : floor_log2(frames - 1) + 1;
	if (o > z->max_order)
		return -EINVAL;
	*order = o;
	return 0;
}

/* __rmqueue_smallest + expand, then the head's bookkeeping. */
static int buddy_alloc_common(struct zone *z, unsigned order, uint32_t owner,
			      uint64_t requested, uint64_t *pfn_out)
{
	uint32_t avail, pfn;
	unsigned cur;
	struct page *page;

	if (order > z->max_order)
		return -EINVAL;
	avail = z->free_mask & (UINT32_MAX << order);
	if (unlikely(avail == 0)) {
		z->stats.alloc_fail++;
		return -ENOMEM;
	}
	cur = (unsigned)__builtin_ctz(avail);
	pfn = z->free_area[cur].head;
	SIM_BUG_ON(z->pages[pfn].flags != PG_buddy ||
		   z->pages[pfn].order != cur,
		   "order %u list head pfn %" PRIu32 ": flags %#x order %u, "
		   "not a free block of that order", cur, pfn,
		   z->pages[pfn].flags, z->pages[pfn].order);
	free_list_del(z, pfn, cur);

	/* expand: keep the lower half, the upper half goes one order down. */
	while (cur > order) {
		cur--;
		free_list_add(z, pfn + (1u << cur), cur);
	}

	page = &z->pages[pfn];
	page->flags = PG_head;
	page->order = (uint8_t)order;
	page->owner = owner;
	page->requested = requested;

	z->nr_free_pages -= 1ull << order;
	z->stats.pgalloc += 1ull << order;
	z->stats.nr_allocs++;
	z->stats.requested_bytes += requested;
	z->stats.internal_frag_bytes += order_bytes(z, order) - requested;
	*pfn_out = pfn;
	buddy_debug_check(z);
	return 0;
}

int buddy_alloc(struct zone *z, unsigned order, uint32_t owner,
		uint64_t *pfn)
{
	if (order > z->max_order)
		return -EINVAL;   /* before order_bytes() could overflow */
	return buddy_alloc_common(z, order, owner, order_bytes(z, order), pfn);
}

int buddy_alloc_bytes(struct zone *z, uint64_t bytes, uint32_t owner,
		      uint64_t *pfn, unsigned *order)
{
	unsigned o;
	int err = buddy_order_for_size(z, bytes, &o);

	if (err)
		return err;
	err = buddy_alloc_common(z, o, owner, bytes, pfn);
	if (err == 0 && order)
		*order = o;
	return err;
}

int buddy_get(struct zone *z, uint64_t pfn)
{
	if (pfn >= z->nr_frames || z->pages[pfn].flags != PG_head)
		return -EINVAL;
	if (z->pages[pfn].shares == UINT16_MAX)
		return -EOVERFLOW;
	z->pages[pfn].shares++;
	return 0;
}

int buddy_put(struct zone *z, uint64_t pfn)
{
	if (pfn >= z->nr_frames || z->pages[pfn].flags != PG_head)
		return -EINVAL;
	if (z->pages[pfn].shares) {
		z->pages[pfn].shares--;
		return 0;
	}
	return buddy_free(z, pfn) ? -EINVAL : 1;
}

int buddy_free(struct zone *z, uint64_t pfn_in)
{
	struct page *page;
	unsigned order;
	uint32_t pfn;

	if (pfn_in >= z->nr_frames)
		return -EINVAL;
	pfn = (uint32_t)pfn_in;
	page = &z->pages[pfn];
	if (page->flags != PG_head)
		return -EINVAL;   /* double free, tail frame or free block */

	order = page->order;
	z->nr_free_pages += 1ull << order;
	z->stats.pgfree += 1ull << order;
	z->stats.nr_frees++;
	z->stats.requested_bytes -= page->requested;
	z->stats.internal_frag_bytes -= order_bytes(z, order) - page->requested;
	page->flags = 0;
	page->owner = 0;
	page->shares = 0;

	/* __free_one_page: merge upward while the buddy is free. */
	while (order < z->max_order) {
		uint32_t buddy_pfn = pfn ^ (1u << order);

		if (!page_is_buddy(z, buddy_pfn, order))
			break;
		free_list_del(z, buddy_pfn, order);
		pfn &= ~(1u << order);         /* combined_pfn */
		order++;
	}
	free_list_add(z, pfn, order);
	buddy_debug_check(z);
	return 0;
}

int buddy_block_info(const struct zone *z, uint64_t pfn,
		     struct buddy_block *out)
{
	const struct page *page;

	if (pfn >= z->nr_frames)
		return -EINVAL;
	page = &z->pages[pfn];
	if (page->flags == PG_buddy) {
		*out = (struct buddy_block){ .order = page->order };
		return 0;
	}
	if (page->flags == PG_head) {
		*out = (struct buddy_block){
			.order = page->order,
			.allocated = true,
			.owner = page->owner,
			.requested = page->requested,
		};
		return 0;
	}
	return -EINVAL;
}

uint64_t buddy_free_first(const struct zone *z, unsigned order)
{
	if (order > z->max_order || z->free_area[order].head == NIL)
		return BUDDY_PFN_NONE;
	return z->free_area[order].head;
}

uint64_t buddy_free_next(const struct zone *z, uint64_t pfn)
{
	const struct page *page;

	if (pfn >= z->nr_frames)
		return BUDDY_PFN_NONE;
	page = &z->pages[pfn];
	if (page->flags != PG_buddy || page->lru.next == NIL)
		return BUDDY_PFN_NONE;
	return page->lru.next;
}

int buddy_validate(const struct zone *z, char *why, size_t len)
{
	uint64_t heads[BUDDY_NR_ORDERS] = { 0 };  /* free heads per order */
	uint64_t free_pages = 0, requested = 0, frag = 0;
	uint64_t pfn;

	if (!z->pages || z->nr_frames == 0 || z->nr_frames > BUDDY_MAX_FRAMES)
		return validate_fail(why, len, "no frames (%" PRIu64 ")",
			       z->nr_frames);
	if (z->max_order > BUDDY_ORDER_LIMIT ||
	    (1ull << z->max_order) > z->nr_frames)
		return validate_fail(why, len, "max_order %u too large for %"
			       PRIu64 " frames", z->max_order, z->nr_frames);

	/* Walk block by block: every frame must lie in exactly one block. */
	for (pfn = 0; pfn < z->nr_frames; ) {
		const struct page *page = &z->pages[pfn];
		unsigned o = page->order;
		uint64_t size = 1ull << o;

		if (page->flags != PG_buddy && page->flags != PG_head)
			return validate_fail(why, len, "pfn %" PRIu64 ": flags %#x, "
				       "expected a block head", pfn,
				       page->flags);
		if (o > z->max_order)
			return validate_fail(why, len, "pfn %" PRIu64 ": order %u > "
				       "max_order %u", pfn, o, z->max_order);
		if (page->flags == PG_buddy && page->shares)
			return validate_fail(why, len, "pfn %" PRIu64 ": free block "
				       "with %u holders", pfn, page->shares);
		if (pfn & (size - 1))
			return validate_fail(why, len, "pfn %" PRIu64 ": not aligned "
				       "to its order %u", pfn, o);
		if (pfn + size > z->nr_frames)
			return validate_fail(why, len, "pfn %" PRIu64 ": order %u "
				       "block runs past %" PRIu64, pfn, o,
				       z->nr_frames);
		for (uint64_t t = pfn + 1; t < pfn + size; t++)
			if (z->pages[t].flags)
				return validate_fail(why, len, "pfn %" PRIu64 ": tail "
					       "of the block at %" PRIu64
					       " has flags %#x", t, pfn,
					       z->pages[t].flags);
		if (page->flags == PG_buddy) {
			heads[o]++;
			free_pages += size;
			if (o < z->max_order &&
			    page_is_buddy(z, pfn ^ size, o))
				return validate_fail(why, len, "pfn %" PRIu64 " and "
					       "its buddy %" PRIu64 ": both "
					       "free at order %u, not merged",
					       pfn, pfn ^ size, o);
		} else {
			uint64_t bytes = order_bytes(z, o);

			if (page->requested == 0 || page->requested > bytes)
				return validate_fail(why, len, "pfn %" PRIu64 ": "
					       "requested %" PRIu64 " bytes "
					       "in a %" PRIu64 "-byte block",
					       pfn, page->requested, bytes);
			requested += page->requested;
			frag += bytes - page->requested;
		}
		pfn += size;
	}

	/* Each list holds exactly the free heads of its order. */
	for (unsigned o = 0; o < BUDDY_NR_ORDERS; o++) {
		const struct free_area *area = &z->free_area[o];
		uint32_t prev = NIL, cur = area->head;
		uint64_t count = 0;

		while (cur != NIL) {
			const struct page *page;

			if (cur >= z->nr_frames)
				return validate_fail(why, len, "order %u list: pfn %"
					       PRIu32 " out of range", o, cur);
			page = &z->pages[cur];
			if (page->flags != PG_buddy || page->order != o)
				return validate_fail(why, len, "order %u list: pfn %"
					       PRIu32 " is not a free order-%u "
					       "head (flags %#x, order %u)", o,
					       cur, o, page->flags,
					       page->order);
			if (page->lru.prev != prev)
				return validate_fail(why, len, "order %u list: pfn %"
					       PRIu32 " prev %" PRIu32
					       ", expected %" PRIu32, o, cur,
					       page->lru.prev, prev);
			if (++count > heads[o])
				return validate_fail(why, len, "order %u list: more "
					       "entries than the %" PRIu64
					       " free heads (or a cycle)", o,
					       heads[o]);
			prev = cur;
			cur = page->lru.next;
		}
		if (count != heads[o])
			return validate_fail(why, len, "order %u list: %" PRIu64
				       " entries, %" PRIu64 " free heads", o,
				       count, heads[o]);
		if (area->nr_free != count)
			return validate_fail(why, len, "order %u: nr_free %" PRIu64
				       ", list has %" PRIu64, o, area->nr_free,
				       count);
		if (!!(z->free_mask & (1u << o)) != (count != 0))
			return validate_fail(why, len, "order %u: free_mask bit "
				       "disagrees with %" PRIu64 " blocks", o,
				       count);
	}

	if (z->nr_free_pages != free_pages)
		return validate_fail(why, len, "nr_free_pages %" PRIu64 ", free "
			       "blocks hold %" PRIu64, z->nr_free_pages,
			       free_pages);
	if (z->stats.pgalloc - z->stats.pgfree != z->nr_frames - free_pages)
		return validate_fail(why, len, "pgalloc %" PRIu64 " - pgfree %" PRIu64
			       " != %" PRIu64 " allocated pages",
			       z->stats.pgalloc, z->stats.pgfree,
			       z->nr_frames - free_pages);
	if (z->stats.requested_bytes != requested ||
	    z->stats.internal_frag_bytes != frag)
		return validate_fail(why, len, "requested/internal_frag %" PRIu64
			       "/%" PRIu64 ", live blocks give %" PRIu64
			       "/%" PRIu64, z->stats.requested_bytes,
			       z->stats.internal_frag_bytes, requested, frag);
	return 0;
}

void buddy_print_buddyinfo(const struct zone *z, FILE *out)
{
	fprintf(out, "Node %d, zone %8s ", 0, "Normal");
	for (unsigned o = 0; o <= z->max_order; o++)
		fprintf(out, "%6" PRIu64 " ", z->free_area[o].nr_free);
	fputc('\n', out);
}
