/*
 * tlb.h - the translation lookaside buffer of one CPU: one or two levels,
 * each set-associative with LRU replacement inside a set, entries tagged
 * with an address-space id when ASIDs (x86 PCIDs) are on.
 *
 * What it models, and from where:
 *  - x86's L1 dTLB and unified second-level STLB (default geometry from
 *    the config: 64 entries 4-way, 1536 entries 12-way).
 *  - Linux's flushes: a CR3 write without PCID drops every entry
 *    (switch_mm_irqs_off -> tlb_flush_all here); with PCIDs the entries of
 *    other address spaces survive and one ASID can be dropped alone
 *    (tlb_flush_asid); munmap/mprotect invalidate their range
 *    (flush_tlb_mm_range -> tlb_invalidate_range). Linux turns a range of
 *    more than 33 pages into a full flush; this TLB always invalidates
 *    exactly the pages of the range, so results do not depend on that
 *    tuning knob.
 *
 * Set index = the low bits of the virtual page number (sets are a power
 * of two). An entry caches a translation: the frame and the PTE bits that
 * decide an access (PTE_WRITE, PTE_USER, PTE_NX, PTE_DIRTY). Only present
 * translations are cached, never faults.
 *
 * Two levels. A lookup that misses L1 tries L2; an L2 hit copies the
 * entry into L1. A fill (after a page walk) goes into both. Evictions are
 * independent: an entry evicted from L2 may stay in L1 and the other way
 * round, so the hierarchy is neither inclusive nor exclusive (NINE), as
 * Intel's STLB is documented to be. Flushes and invalidations apply to
 * both levels.
 *
 * Inside a level, entries are found through a hash of (vpn, asid) with
 * chains of entry indices. Recency is a stamp: each use of an entry
 * writes the level's next clock value into it, so a hit is one store and
 * no list surgery. The victim of a fill is an empty way of the set if
 * there is one (each set keeps a stack of them), else the way with the
 * oldest stamp: in a set of at most 16 ways, found by looking at each;
 * in a larger one, through the set's "age order": its ways sorted by
 * stamp when last sorted. A way whose stamp has changed since (used,
 * dropped or refilled) is newer than every unchanged one, so the first
 * unchanged way in that order is the exact LRU; when none is left the set
 * is sorted again. Each sort of w ways follows at least w evictions, uses
 * or drops of that set, so LRU replacement costs O(log w) per operation,
 * amortized, whatever the associativity, including a fully associative
 * 1536-entry level. Nothing is allocated after tlb_init().
 */
#ifndef SIM_MMU_TLB_H
#define SIM_MMU_TLB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TLB_ASID_BITS 12           /* x86 PCID width */
#define TLB_NR_ASIDS (1u << TLB_ASID_BITS)

/* Geometry, from plain numbers (the lead maps the config to it). */
struct tlb_params {
	unsigned entries;          /* L1 entries */
	unsigned ways;             /* L1 associativity (= entries: fully) */
	unsigned l2_entries;       /* L2 entries, 0: no second level */
	unsigned l2_ways;          /* L2 associativity */
	bool asid;                 /* entries tagged by address-space id */
};

/*
 * Checks and fills p: entries >= 1, ways divides entries, entries / ways
 * a power of two, the same for L2 when l2_entries > 0. Returns 0 or
 * -EINVAL.
 */
int tlb_params_init(struct tlb_params *p, unsigned entries, unsigned ways,
		    unsigned l2_entries, unsigned l2_ways, bool asid);

/* One cached translation. */
struct tlb_entry {
	uint64_t key;              /* vpn << TLB_ASID_BITS | asid; ~0: empty */
	uint64_t pfn;              /* frame */
	uint64_t flags;            /* cached PTE bits (write, user, nx, dirty) */
	uint32_t hnext;            /* next entry on its hash chain */
};

/* A way of a set and its stamp when the set was last sorted by age. */
struct tlb_age {
	uint64_t stamp;
	uint32_t idx;
};

/* The replacement state of one set. */
struct tlb_set {
	uint32_t nr_free;          /* empty ways, on the set's free stack */
	uint32_t pos;              /* next candidate in the set's age order */
	uint32_t len;              /* ways in the age order */
};

/* Counters of one level. */
struct tlb_level_stats {
	uint64_t hits;             /* lookups served */
	uint64_t misses;           /* lookups not served */
	uint64_t fills;            /* entries written */
	uint64_t evictions;        /* valid entries replaced by a fill */
};

/* One level: a set-associative array. */
struct tlb_level {
	struct tlb_entry *e;       /* sets * ways entries, set s at s * ways */
	uint32_t *bucket;          /* hash heads, nr_buckets of them */
	uint64_t *stamp;           /* per entry: the clock at its last use; 0: empty */
	struct tlb_set *set;       /* per set: replacement state */
	uint32_t *free;            /* per set at s * ways: its empty ways */
	struct tlb_age *age;       /* per set at s * ways: its age order (NULL
				      when sets are small enough to scan) */
	struct tlb_age *sort_tmp;  /* ways records, for sorting one set (idem) */
	uint64_t clock;            /* the last stamp given */
	unsigned entries;          /* sets * ways */
	unsigned ways;             /* entries per set */
	unsigned sets;             /* a power of two */
	unsigned bucket_bits;      /* log2(number of hash buckets) */
	uint64_t nr_valid;         /* entries holding a translation */
	struct tlb_level_stats stats; /* counters */
};

/* Counters of the whole TLB. */
struct tlb_stats {
	uint64_t flushes;          /* tlb_flush_all calls */
	uint64_t asid_flushes;     /* tlb_flush_asid calls */
	uint64_t invalidations;    /* tlb_invalidate_range/page calls */
	uint64_t entries_dropped;  /* valid entries those three removed */
};

struct tlb {
	struct tlb_params p;       /* geometry */
	struct tlb_level l1;       /* first level */
	struct tlb_level l2;       /* second level (entries 0: none) */
	struct tlb_stats stats;    /* counters */
};

/* Allocates the arrays, every entry empty. Returns 0 or -ENOMEM. */
int tlb_init(struct tlb *tlb, const struct tlb_params *p);
void tlb_destroy(struct tlb *tlb);

/*
 * Looks up vpn for asid (ignored, taken as 0, without ASIDs). Returns the
 * L1 entry that serves it (an L2 hit is copied into L1 first), made the
 * most recent of its set, or NULL on a miss in every level; the entry is
 * valid until the next fill, flush or invalidation. Counts hits and
 * misses per level.
 */
const struct tlb_entry *tlb_lookup(struct tlb *tlb, uint16_t asid,
				   uint64_t vpn);

/*
 * tlb_lookup() in two halves, for a caller whose L1 hit path must stay
 * short: tlb_lookup_l1() looks in L1 alone, counting its hit or miss;
 * after its miss, tlb_lookup_l2() looks in L2 (if any) and copies a hit
 * into L1.
 */
const struct tlb_entry *tlb_lookup_l1(struct tlb *tlb, uint16_t asid,
				      uint64_t vpn);
const struct tlb_entry *tlb_lookup_l2(struct tlb *tlb, uint16_t asid,
				      uint64_t vpn);

/* Whether vpn is cached at some level, without any LRU or counter change
 * (explain uses it). Returns 0 (no), 1 or 2 (the first level holding it). */
unsigned tlb_probe(const struct tlb *tlb, uint16_t asid, uint64_t vpn);

/*
 * Caches vpn -> pfn with flags in every level, replacing the entry for the
 * same (vpn, asid) if there is one, else the LRU way of the set; the entry
 * becomes the most recent.
 */
void tlb_fill(struct tlb *tlb, uint16_t asid, uint64_t vpn, uint64_t pfn,
	      uint64_t flags);

/* Drops every entry (a CR3 write without PCIDs). */
void tlb_flush_all(struct tlb *tlb);

/* Drops every entry of asid (INVPCID single-context). */
void tlb_flush_asid(struct tlb *tlb, uint16_t asid);

/*
 * Drops the entries of asid whose page lies in [start_vpn, end_vpn) (page
 * numbers: the caller shifts its byte range). Ranges with more pages than
 * the TLB has entries scan the entries instead of probing each page.
 */
void tlb_invalidate_range(struct tlb *tlb, uint16_t asid, uint64_t start_vpn,
			  uint64_t end_vpn);

/*
 * Checks each level: an entry is empty exactly when its stamp is 0, and
 * valid stamps are distinct and at most the clock; each set's free stack
 * holds exactly its empty ways; its age order, from pos on, holds ways of
 * the set with rising stamps; the hash chains hold exactly the valid
 * entries, each in the set its vpn selects, no key twice; nr_valid. Returns 0, or
 * -EINVAL with the first broken rule in why (len bytes, may be 0).
 */
int tlb_validate(const struct tlb *tlb, char *why, size_t len);

#endif /* SIM_MMU_TLB_H */
