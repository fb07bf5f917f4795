/*
 * pt.h - the radix page table of one address space (the hardware format an
 * x86 MMU walks; Linux's pgd/p4d/pud/pmd/pte levels, arch/x86 pgtable
 * types, and the table-page allocation and freeing of mm/memory.c:
 * __pte_alloc, zap_pte_range and free_pgtables).
 *
 * Geometry. One table fills one page, so a table has
 * entries = page_size / pte_size slots and each level resolves
 * bits_per_level = log2(entries) bits of the virtual address; the offset
 * inside the page takes page_shift bits, and
 *
 *     levels = ceil((va_bits - page_shift) / bits_per_level)
 *
 * The top level takes whatever bits are left, so it may be partly used:
 *
 *     i386 4K, 4-byte PTE     10 | 10 | 12                  2 levels
 *     i386 8K, 4-byte PTE      8 | 11 | 13  (top: 256 of 2048 slots)
 *     x86_64 4K, 8-byte PTE    9 |  9 |  9 |  9 | 12        4 levels
 *     x86_64 8K, 8-byte PTE    5 | 10 | 10 | 10 | 13  (top: 32 of 1024)
 *
 * A levels override larger than that derived number adds folded levels at
 * the top: they resolve 0 bits, use slot 0 only, and still cost one table
 * page and one memory reference per walk (as if Linux did not fold its
 * p4d). An override smaller than the derived number cannot cover the
 * address space and is refused.
 *
 * Level 0 is the root (Linux's pgd, the table CR3 points at); level
 * levels-1 is the leaf table whose entries map pages.
 *
 * Memory. Every table page is a frame of order 0 from the buddy allocator,
 * tagged with the owner the caller gives (nr_page_table_pages counts them;
 * the root is allocated by pt_create()). Its entries are plain integers in
 * a host array, in hardware format:
 *
 *     entry = pfn << page_shift | flags         (flags: PTE_* below)
 *
 *     struct pt_table (host)      simulated frame `pfn`
 *     +-------------------+       +-------------------------------+
 *     | entries ----------+-----> | entry 0 | entry 1 | ...       |
 *     | child   ----+     |       +-------------------------------+
 *     | pfn, level, |     |
 *     | nr_present  |     |       child[i]: the host table whose frame is
 *     +-------------+-----+       the pfn in entry i (non-leaf levels)
 *                   v
 *     [ child 0 | child 1 | ... ]
 *
 * The entry is authoritative; child[] is the simulator's way from a pfn to
 * that frame's host memory (what a physical load would do), and
 * pt_validate() checks that the two agree. Host entries are 64-bit even
 * when pte_size is 4: pte_size decides the geometry and which pfns and
 * flags fit, not the host storage.
 *
 * Permissions live in the leaf PTE. Intermediate entries are always
 * present | writable | user (Linux's _PAGE_TABLE), so the AND of the
 * levels that x86 computes equals the leaf's bits. PTE_NX exists only
 * where va_bits > 32 and PTEs are 8 bytes (as on x86, where the NX bit is
 * bit 63 of a 64-bit entry); elsewhere it is 0, as Linux defines _PAGE_NX
 * on non-PAE i386, and a mapping is executable whenever it is readable.
 */
#ifndef SIM_MMU_PT_H
#define SIM_MMU_PT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "phys/buddy.h"

#define PT_MAX_LEVELS 8

/* PTE bits (x86 positions). */
#define PTE_PRESENT  (1ull << 0)    /* maps a frame (or, above a leaf, a table) */
#define PTE_WRITE    (1ull << 1)    /* writes allowed (x86 R/W) */
#define PTE_USER     (1ull << 2)    /* user-mode access allowed (x86 U/S) */
#define PTE_ACCESSED (1ull << 5)    /* set by a walk that uses the entry */
#define PTE_DIRTY    (1ull << 6)    /* set by a walk for a write (leaf only) */
#define PTE_NX       (1ull << 63)   /* no instruction fetch (8-byte PTEs only) */

/* Bits a caller may pass to pt_map()/pt_remap(). */
#define PTE_CALLER_BITS (PTE_WRITE | PTE_USER | PTE_ACCESSED | PTE_DIRTY | PTE_NX)
/* The permission bits pt_protect_range() replaces. */
#define PTE_PROT_BITS   (PTE_WRITE | PTE_USER | PTE_NX)

/* An access, as the MMU checks it against a PTE. */
enum pt_access {
	PT_READ,                   /* data load */
	PT_WRITE,                  /* data store */
	PT_EXEC,                   /* instruction fetch */
};

/* The shape of a page table, derived by pt_geometry_init(). */
struct pt_geometry {
	uint64_t page_size;        /* bytes per page (power of two) */
	unsigned page_shift;       /* log2(page_size) */
	unsigned pte_size;         /* bytes per entry: 4 or 8 */
	unsigned va_bits;          /* virtual address bits translated */
	unsigned levels;           /* table levels, root = 0 */
	unsigned derived_levels;   /* levels without the override */
	unsigned bits_per_level;   /* log2(entries): index bits of a full level */
	uint64_t entries;          /* slots per table page */
	unsigned bits[PT_MAX_LEVELS];  /* index bits resolved at each level */
	unsigned shift[PT_MAX_LEVELS]; /* lowest va bit of each level's index */
	uint64_t pte_flag_mask;    /* PTE flag bits this format has */
	uint64_t max_pfn;          /* largest pfn an entry can hold */
	bool nx;                   /* PTE_NX exists */
};

/*
 * Derives the geometry from plain numbers: va_bits (page_shift < va_bits
 * <= 64), page_size (a power of two, at least 2 * pte_size), pte_size
 * (4 or 8) and levels (0: derived, else at least the derived number and
 * at most PT_MAX_LEVELS). Returns 0 or -EINVAL.
 */
int pt_geometry_init(struct pt_geometry *g, unsigned va_bits,
		     uint64_t page_size, unsigned pte_size, unsigned levels);

/* The index a level uses for va. */
static inline uint64_t pt_index(const struct pt_geometry *g, unsigned level,
				uint64_t va)
{
	return (va >> g->shift[level]) & ((1ull << g->bits[level]) - 1);
}

/* One table page of simulated memory (see the file comment). */
struct pt_table {
	uint64_t *entries;         /* geometry.entries PTEs, hardware format */
	struct pt_table **child;   /* non-leaf: host table of each present slot */
	uint64_t pfn;              /* frame holding this table */
	uint32_t nr_present;       /* present slots */
	uint32_t level;            /* 0 = root */
};

/* Counters of one page table. */
struct pt_stats {
	uint64_t nr_page_table_pages; /* table pages now allocated (root too) */
	uint64_t nr_mapped;        /* present leaf PTEs: resident pages */
	uint64_t table_allocs;     /* table pages taken from the buddy allocator */
	uint64_t table_frees;      /* table pages given back */
	uint64_t alloc_fail;       /* pt_map()s refused with -ENOMEM */
	uint64_t walks;            /* hardware walks (pt_walk) */
	uint64_t walk_mem_refs;    /* table entries those walks read */
};

/* The page table of one address space. Embed it; pt_create() sets it up. */
struct pt {
	struct pt_geometry g;      /* shape, copied at create */
	struct zone *zone;         /* where table pages come from */
	uint32_t owner;            /* buddy owner tag of the table pages */
	struct pt_table *root;     /* level 0 (Linux pgd) */
	struct pt_stats stats;     /* counters, see struct pt_stats */
};

/* Called for each present leaf PTE that pt_unmap_range()/pt_destroy()
 * clears or pt_for_each() visits: the page's va and the PTE (its pfn is
 * pte_pfn()); an unmap callback frees the frame or keeps it. */
typedef void (*pt_pte_fn)(void *arg, uint64_t va, uint64_t pte);

/* What pt_lookup() saw at each level, for explain. */
struct pt_trace {
	unsigned nr_levels;        /* levels read (stops at a non-present entry) */
	uint64_t index[PT_MAX_LEVELS];     /* slot used at each level */
	uint64_t table_pfn[PT_MAX_LEVELS]; /* frame of the table read */
	uint64_t entry[PT_MAX_LEVELS];     /* entry read */
};

static inline uint64_t pte_pfn(const struct pt_geometry *g, uint64_t pte)
{
	return (pte & ~PTE_NX) >> g->page_shift;
}

static inline uint64_t pte_flags(const struct pt_geometry *g, uint64_t pte)
{
	return pte & g->pte_flag_mask;
}

/*
 * Whether a present PTE (or the flags a TLB caches from it) allows an
 * access: user mode needs PTE_USER; a write needs PTE_WRITE in either mode
 * (Linux runs with CR0.WP set); an instruction fetch needs PTE_NX clear.
 */
static inline bool pte_permits(uint64_t pte, enum pt_access access, bool user)
{
	if (user && !(pte & PTE_USER))
		return false;
	if (access == PT_WRITE)
		return pte & PTE_WRITE;
	if (access == PT_EXEC)
		return !(pte & PTE_NX);
	return true;
}

/*
 * Sets up an empty page table: copies the geometry and allocates the root
 * table page from zone, tagged owner. Returns 0; -EINVAL when a PTE of
 * this geometry cannot hold every pfn of the zone; -ENOMEM when the zone
 * (or the host) has no page for the root.
 */
int pt_create(struct pt *pt, const struct pt_geometry *g, struct zone *zone,
	      uint32_t owner);

/*
 * Frees every table page, root included. fn (may be NULL) is called for
 * each page still mapped, in address order, to free or keep its frame.
 */
void pt_destroy(struct pt *pt, pt_pte_fn fn, void *arg);

/*
 * Maps the page at va (page aligned, below 2^va_bits) to frame pfn with
 * flags (PTE_CALLER_BITS; PTE_NX is dropped where the format has none;
 * PTE_PRESENT is implied), allocating the missing intermediate tables.
 * Returns 0; -EINVAL for a bad va, pfn or flag; -EEXIST when va is
 * already mapped; -ENOMEM when the buddy allocator cannot give a table
 * page: then nothing changed (tables are allocated before any is linked).
 */
int pt_map(struct pt *pt, uint64_t va, uint64_t pfn, uint64_t flags);

/*
 * Replaces the mapped PTE at va with pfn and flags (copy-on-write breaks,
 * migration); *old (may be NULL) gets the previous PTE. Returns 0,
 * -EINVAL as pt_map(), or -ENOENT when va is not mapped.
 */
int pt_remap(struct pt *pt, uint64_t va, uint64_t pfn, uint64_t flags,
	     uint64_t *old);

/*
 * Clears every present leaf PTE in [start, end) (page aligned, end <=
 * 2^va_bits), calling fn (may be NULL) for each in address order, and
 * frees each table page that becomes empty (never the root). Absent
 * subtrees are skipped, so a sparse range costs its present tables only.
 * Returns 0 or -EINVAL.
 */
int pt_unmap_range(struct pt *pt, uint64_t start, uint64_t end,
		   pt_pte_fn fn, void *arg);

/*
 * Sets the permission bits (PTE_PROT_BITS) of every present leaf PTE in
 * [start, end) to prot, keeping pfn, accessed and dirty. *nr (may be NULL)
 * gets the number of PTEs visited. Returns 0 or -EINVAL.
 */
int pt_protect_range(struct pt *pt, uint64_t start, uint64_t end,
		     uint64_t prot, uint64_t *nr);

/* Calls fn for each present leaf PTE in [start, end), in address order
 * (fork copies with it). Returns 0 or -EINVAL. */
int pt_for_each(const struct pt *pt, uint64_t start, uint64_t end,
		pt_pte_fn fn, void *arg);

/*
 * Software walk of va: no bit is set and no counter moves. Returns the
 * leaf PTE, or 0 when some level is not present. trace (may be NULL) gets
 * the index, table frame and entry of each level read.
 */
uint64_t pt_lookup(const struct pt *pt, uint64_t va, struct pt_trace *trace);

/*
 * The hardware walk of va (below 2^va_bits) for an access: reads one entry
 * per level (counted in walk_mem_refs), setting PTE_ACCESSED on each
 * entry used; if the leaf permits the access, sets PTE_ACCESSED, and
 * PTE_DIRTY for a write, on the leaf. *levels gets the entries read, *pte
 * the leaf PTE after the update (0 if not present). Returns 0, -ENOENT
 * (not present at some level) or -EACCES (present, access not permitted;
 * the leaf is left unchanged). Allocates nothing.
 */
int pt_walk(struct pt *pt, uint64_t va, enum pt_access access, bool user,
	    uint64_t *pte, unsigned *levels);

/* Table pages allocated now, root included (Linux nr_page_table_pages). */
static inline uint64_t pt_nr_table_pages(const struct pt *pt)
{
	return pt->stats.nr_page_table_pages;
}

/*
 * Checks the whole tree: each table's level and nr_present, child pointers
 * agreeing with the pfns in the entries, only the root may be empty, flags
 * within the format, every table frame allocated at order 0 with the
 * owner tag, and the table and mapping counts. Returns 0, or -EINVAL with
 * the first broken rule in why (len bytes, may be 0).
 */
int pt_validate(const struct pt *pt, char *why, size_t len);

#endif /* SIM_MMU_PT_H */
