/*
 * buddy.h - physical memory: the binary buddy page allocator of one zone.
 *
 * Models Linux mm/page_alloc.c for a single zone, one migrate type, no
 * per-CPU lists and no watermarks: __rmqueue_smallest() + expand() on
 * allocation, __free_one_page() on free, one `struct page` per frame and
 * one free list per order with its nr_free.
 *
 * Memory layout (frames are numbered by pfn from 0):
 *
 *   zone.pages  [ page 0 | page 1 | ... | page nr_frames-1 ]   16 B each
 *                  ^ head of a block: flags, order, owner, and either the
 *                    free-list links (free) or the requested size (in use)
 *
 *   free_area[o].head -> pfn -> pfn -> ... -> BUDDY_PFN_NONE
 *                        (links are 32-bit pfns inside the pages array,
 *                         not pointers: this keeps a frame at 16 bytes,
 *                         so 64 GiB of 4K pages costs 256 MiB)
 *
 * Only the first frame of a block (its head) carries state; every other
 * frame of the block has flags 0. The descriptor array is allocated once by
 * buddy_init(); allocation and free allocate nothing.
 *
 * Memory that is not a power of two pages is carved at init from frame 0
 * upward into the largest aligned blocks that fit (2000K of 4K pages ->
 * 1024K+512K+256K+128K+64K+16K), so every whole frame is managed. A
 * trailing partial page (memory not a multiple of page_size) is not
 * managed: it is reported in unmanaged_bytes and never handed out.
 *
 * Initial free lists are in ascending pfn order, as Linux puts boot memory
 * at the list tail (__free_pages_core, FPI_TO_TAIL): the first allocation
 * comes from the lowest address.
 *
 * Accounting follows Linux vmstat names where they exist: pgalloc and pgfree
 * count pages (Linux counts 1 << order per call); nr_allocs / nr_frees count
 * calls. Internal fragmentation is kept per live block: the head of an
 * allocated block stores the bytes that were requested, so buddy_free()
 * needs only the pfn.
 */
#ifndef SIM_PHYS_BUDDY_H
#define SIM_PHYS_BUDDY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Orders 0..BUDDY_ORDER_LIMIT: a block of order 31 is 2^31 frames. */
#define BUDDY_ORDER_LIMIT 31
#define BUDDY_NR_ORDERS   (BUDDY_ORDER_LIMIT + 1)
/* Most frames a zone manages: pfns and links are 32-bit, all-ones is "none". */
#define BUDDY_MAX_FRAMES  0xffffffffULL
#define BUDDY_PFN_NONE    UINT64_MAX  /* "no block", from the iterators */

/* page.flags: only block heads carry one (Linux PageBuddy / PageHead). */
enum {
	PG_buddy = 1u << 0,        /* head of a free block, on free_area[order] */
	PG_head  = 1u << 1,        /* head of an allocated block */
};

/* One physical frame. 16 bytes: see the budget in the file comment. */
struct page {
	union {
		struct {
			uint32_t next;     /* PG_buddy: next pfn on the free list */
			uint32_t prev;     /* PG_buddy: previous pfn, or none */
		} lru;
		uint64_t requested;        /* PG_head: bytes asked for */
	};
	uint32_t owner;                    /* PG_head: caller's tag (pid, ...) */
	uint8_t order;                     /* block order, on heads only */
	uint8_t flags;                     /* PG_buddy, PG_head or 0 */
	uint16_t shares;                   /* PG_head: holders beyond the first
					    * (pages shared copy-on-write) */
};

/* One free list (Linux struct free_area, a single migrate type). */
struct free_area {
	uint32_t head;                     /* first free block's pfn, or none */
	uint64_t nr_free;                  /* free blocks of this order */
};

/* Counters; page counts use Linux's vmstat meaning. */
struct buddy_stats {
	uint64_t pgalloc;                  /* pages handed out (sum of 2^order) */
	uint64_t pgfree;                   /* pages given back */
	uint64_t nr_allocs;                /* successful allocation calls */
	uint64_t nr_frees;                 /* successful free calls */
	uint64_t alloc_fail;               /* allocations refused: -ENOMEM */
	uint64_t requested_bytes;          /* bytes asked for by live blocks */
	uint64_t internal_frag_bytes;      /* block size - requested, live blocks */
};

/* A zone of physical memory and its buddy allocator. */
struct zone {
	struct page *pages;                /* nr_frames descriptors, one array */
	uint64_t nr_frames;                /* managed frames */
	uint64_t page_size;                /* bytes per frame (power of two) */
	unsigned page_shift;               /* log2(page_size) */
	unsigned max_order;                /* largest order handed out */
	uint32_t free_mask;                /* bit o set: free_area[o] non-empty */
	uint64_t nr_free_pages;            /* frames in free blocks */
	uint64_t unmanaged_bytes;          /* trailing partial page, not managed */
	unsigned validate_every;           /* run buddy_validate every N ops, 0 off */
	unsigned validate_countdown;       /* ops left until the next validate */
	struct free_area free_area[BUDDY_NR_ORDERS]; /* 0..max_order in use */
	struct buddy_stats stats;          /* counters, see struct buddy_stats */
};

/* What buddy_block_info() reports about the block headed by a pfn. */
struct buddy_block {
	unsigned order;                    /* block order */
	bool allocated;                    /* true: allocated, false: free */
	uint32_t owner;                    /* allocated: caller's tag */
	uint64_t requested;                /* allocated: bytes asked for */
};

/*
 * Sets up a zone of memory_bytes / page_size frames (page_size a power of
 * two), every frame free, carved into the largest aligned blocks that fit.
 * The zone's max order is the largest x with page_size * 2^x <= memory,
 * capped by max_order (Linux: 10; orders 0..max_order are used).
 * Returns 0; -EINVAL for a page size that is not a power of two or memory
 * smaller than one page; -E2BIG for more than BUDDY_MAX_FRAMES frames;
 * -ENOMEM if the descriptor array cannot be allocated.
 * Validation after every operation is on when SIM_DEBUG is defined.
 */
int buddy_init(struct zone *z, uint64_t memory_bytes, uint64_t page_size,
	       unsigned max_order);

/* Releases the descriptor array; the zone must be initialised again to use. */
void buddy_destroy(struct zone *z);

/*
 * Runs buddy_validate() after every `every` allocations and frees (1: each
 * one; 0: never), and SIM_BUG_ON()s on a failure. The config's `validate`
 * switch sets 1 in a release run.
 */
void buddy_set_validate(struct zone *z, unsigned every);

/*
 * The smallest order x with bytes <= page_size * 2^x (an exact power of two
 * takes order x). Returns 0, or -EINVAL when bytes is 0 or larger than the
 * zone's largest block.
 */
int buddy_order_for_size(const struct zone *z, uint64_t bytes,
			 unsigned *order);

/*
 * Allocates a block of 2^order frames tagged with owner; its first pfn goes
 * to *pfn. Returns 0; -EINVAL if order > max_order; -ENOMEM when no free
 * block is large enough (counted in alloc_fail; no block changes).
 */
int buddy_alloc(struct zone *z, unsigned order, uint32_t owner,
		uint64_t *pfn);

/*
 * Allocates the smallest block that holds bytes and records bytes, so the
 * block's internal fragmentation is counted until it is freed. *order (may
 * be NULL) gets the block's order. Errors as buddy_order_for_size() and
 * buddy_alloc().
 */
int buddy_alloc_bytes(struct zone *z, uint64_t bytes, uint32_t owner,
		      uint64_t *pfn, unsigned *order);

/*
 * Frees the allocated block whose head is pfn, merging it with free buddies.
 * Returns 0, or -EINVAL (zone unchanged) if pfn is out of range or not the
 * head of an allocated block: a double free, a tail frame, a free block.
 */
int buddy_free(struct zone *z, uint64_t pfn);

/*
 * A second holder of an allocated block (fork sharing a page copy-on-
 * write: Linux's get_page). Returns 0, -EINVAL if pfn is not the head of
 * an allocated block, -EOVERFLOW past 65535 extra holders.
 */
int buddy_get(struct zone *z, uint64_t pfn);

/*
 * One holder lets go (put_page): the block is freed when it was the last.
 * Returns 1 if it was freed, 0 if others still hold it, -EINVAL as
 * buddy_free().
 */
int buddy_put(struct zone *z, uint64_t pfn);

/* Holders of an allocated block beyond the first (0: it is exclusive). */
static inline unsigned buddy_shares(const struct zone *z, uint64_t pfn)
{
	return z->pages[pfn].shares;
}

/*
 * Describes the block headed by pfn. Returns 0, or -EINVAL when pfn is not
 * the head of a block (out of range, or inside one).
 */
int buddy_block_info(const struct zone *z, uint64_t pfn,
		     struct buddy_block *out);

/*
 * Free blocks of one order in list order (the order allocation takes them):
 *   for (pfn = buddy_free_first(z, o); pfn != BUDDY_PFN_NONE;
 *        pfn = buddy_free_next(z, pfn))
 * Returns BUDDY_PFN_NONE at the end, or for an order above max_order.
 */
uint64_t buddy_free_first(const struct zone *z, unsigned order);
uint64_t buddy_free_next(const struct zone *z, uint64_t pfn);

/* Frames in allocated blocks. */
static inline uint64_t buddy_nr_alloc_pages(const struct zone *z)
{
	return z->nr_frames - z->nr_free_pages;
}

/* Bytes of simulated memory one frame costs the simulator (its descriptor). */
static inline size_t buddy_bytes_per_frame(void)
{
	return sizeof(struct page);
}

/*
 * Checks the whole zone: every frame belongs to exactly one block (heads
 * aligned to their order, tails flagged 0), each free list holds exactly
 * the free heads of its order with consistent links and nr_free, no two
 * free buddies of one order are left unmerged, the free mask matches the
 * lists, free + allocated = total, and the live blocks' requested bytes and
 * internal fragmentation add up to the counters. Returns 0, or -EINVAL
 * with the first broken rule written to why (len bytes, may be 0).
 */
int buddy_validate(const struct zone *z, char *why, size_t len);

/*
 * Prints the zone as one /proc/buddyinfo line: "Node 0, zone   Normal "
 * then "%6lu " per order 0..max_order, then a newline (mm/vmstat.c
 * frag_show_print).
 */
void buddy_print_buddyinfo(const struct zone *z, FILE *out);

#endif /* SIM_PHYS_BUDDY_H */
