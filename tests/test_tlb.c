/*
 * test_tlb.c - the TLB of sim/mmu (tlb.c): miss counts of scans worked
 * out by hand for fully and set-associative LRU geometries, the second
 * level, ASID tagging and flushes, range invalidation, bad geometries, and
 * a seeded random differential test against a naive LRU model (an array
 * of ways with last-use times). tlb_validate runs throughout.
 */
#include <errno.h>
#include <stdlib.h>

#include "common.h"
#include "mmu/tlb.h"

static void assert_tlb_valid(const struct tlb *t)
{
	char why[256];

	cr_assert_eq(tlb_validate(t, why, sizeof(why)), 0, "tlb: %s", why);
}

static void make(struct tlb *t, unsigned entries, unsigned ways,
		 unsigned l2_entries, unsigned l2_ways, bool asid)
{
	struct tlb_params p;

	cr_assert_eq(tlb_params_init(&p, entries, ways, l2_entries, l2_ways,
				     asid), 0);
	cr_assert_eq(tlb_init(t, &p), 0);
	assert_tlb_valid(t);
}

/* One access: a hit, or a miss followed by the fill a page walk makes. */
static bool access_page(struct tlb *t, uint16_t asid, uint64_t vpn)
{
	const struct tlb_entry *h = tlb_lookup(t, asid, vpn);

	if (h) {
		cr_assert_eq(h->pfn, vpn + 1000 * asid);
		return true;
	}
	tlb_fill(t, asid, vpn, vpn + 1000 * asid, 0);
	return false;
}

/* misses of `passes` sequential scans over `pages` pages */
static uint64_t scan_misses(struct tlb *t, uint64_t pages, unsigned passes,
			    uint64_t stride)
{
	uint64_t misses = 0;

	for (unsigned r = 0; r < passes; r++)
		for (uint64_t i = 0; i < pages; i++)
			misses += !access_page(t, 0, i * stride);
	assert_tlb_valid(t);
	return misses;
}

Test(tlb, sequential_scans_on_a_fully_associative_lru)
{
	struct tlb t;

	/* 64 pages fit 64 entries: only the first pass misses */
	make(&t, 64, 64, 0, 0, false);
	cr_expect_eq(scan_misses(&t, 64, 10, 1), 64);
	cr_expect_eq(t.l1.stats.hits, 576);
	tlb_destroy(&t);
	/* 65 pages: LRU evicts each page just before it is needed again */
	make(&t, 64, 64, 0, 0, false);
	cr_expect_eq(scan_misses(&t, 65, 10, 1), 650);
	cr_expect_eq(t.l1.stats.evictions, 650 - 64);
	tlb_destroy(&t);
}

Test(tlb, set_conflicts_on_a_4_way_tlb)
{
	struct tlb t;

	/* 64 entries, 4 ways: 16 sets; a stride of 16 pages hits one set */
	make(&t, 64, 4, 0, 0, false);
	cr_expect_eq(scan_misses(&t, 4, 10, 16), 4);
	tlb_destroy(&t);
	make(&t, 64, 4, 0, 0, false);
	cr_expect_eq(scan_misses(&t, 5, 10, 16), 50);
	tlb_destroy(&t);
	/* stride 1 spreads 64 pages over all sets: they fit */
	make(&t, 64, 4, 0, 0, false);
	cr_expect_eq(scan_misses(&t, 64, 10, 1), 64);
	tlb_destroy(&t);
}

Test(tlb, lru_evicts_the_least_recently_used_way)
{
	struct tlb t;

	make(&t, 2, 2, 0, 0, false);
	cr_expect(!access_page(&t, 0, 1));
	cr_expect(!access_page(&t, 0, 2));
	cr_expect(access_page(&t, 0, 1));     /* 2 is now the LRU */
	cr_expect(!access_page(&t, 0, 3));    /* evicts 2 */
	cr_expect(access_page(&t, 0, 1));
	cr_expect(!access_page(&t, 0, 2));    /* evicts 3, the LRU now */
	cr_expect_eq(tlb_probe(&t, 0, 3), 0);
	cr_expect_eq(tlb_probe(&t, 0, 1), 1);
	assert_tlb_valid(&t);
	tlb_destroy(&t);
}

/*
 * 4 L1 entries and 16 L2 entries, both fully associative, 8 pages
 * scanned 5 times: L1 thrashes (40 misses), L2 misses only in pass 1.
 */
Test(tlb, second_level_catches_what_the_first_loses)
{
	struct tlb t;

	make(&t, 4, 4, 16, 16, false);
	cr_expect_eq(scan_misses(&t, 8, 5, 1), 8);
	cr_expect_eq(t.l1.stats.misses, 40);
	cr_expect_eq(t.l2.stats.misses, 8);
	cr_expect_eq(t.l2.stats.hits, 32);
	tlb_flush_all(&t);
	cr_expect_eq(t.l1.nr_valid + t.l2.nr_valid, 0);
	cr_expect_eq(t.stats.entries_dropped, 4 + 8);
	assert_tlb_valid(&t);
	tlb_destroy(&t);
}

Test(tlb, asids_keep_address_spaces_apart)
{
	struct tlb t;

	make(&t, 16, 4, 0, 0, true);
	cr_expect(!access_page(&t, 1, 5));
	cr_expect(!access_page(&t, 2, 5));
	cr_expect(access_page(&t, 1, 5));     /* pfn 1005, checked inside */
	cr_expect(access_page(&t, 2, 5));     /* pfn 2005 */
	tlb_flush_asid(&t, 1);
	cr_expect_eq(tlb_probe(&t, 1, 5), 0);
	cr_expect_eq(tlb_probe(&t, 2, 5), 1);
	assert_tlb_valid(&t);
	tlb_destroy(&t);

	/* without ASIDs the tag is ignored: one entry for both */
	make(&t, 16, 4, 0, 0, false);
	tlb_fill(&t, 1, 5, 77, 0);
	cr_expect_eq(tlb_probe(&t, 2, 5), 1);
	tlb_destroy(&t);
}

Test(tlb, invalidate_range_drops_exactly_its_pages)
{
	struct tlb t;

	make(&t, 64, 64, 0, 0, true);
	for (uint64_t v = 0; v < 32; v++) {
		tlb_fill(&t, 1, v, v, 0);
		tlb_fill(&t, 2, v, v, 0);
	}
	tlb_invalidate_range(&t, 1, 8, 16);
	for (uint64_t v = 0; v < 32; v++) {
		cr_expect_eq(tlb_probe(&t, 1, v), v >= 8 && v < 16 ? 0u : 1u,
			     "vpn %llu", (unsigned long long)v);
		cr_expect_eq(tlb_probe(&t, 2, v), 1);
	}
	/* a range larger than the TLB scans the entries instead */
	tlb_invalidate_range(&t, 2, 0, 1000000);
	cr_expect_eq(t.l1.nr_valid, 24);
	cr_expect_eq(t.stats.entries_dropped, 8 + 32);
	assert_tlb_valid(&t);
	tlb_destroy(&t);
}

Test(tlb, bad_geometries_are_einval)
{
	struct tlb_params p;

	cr_expect_eq(tlb_params_init(&p, 0, 0, 0, 0, false), -EINVAL);
	cr_expect_eq(tlb_params_init(&p, 64, 5, 0, 0, false), -EINVAL);
	cr_expect_eq(tlb_params_init(&p, 48, 4, 0, 0, false), -EINVAL); /* 12 sets */
	cr_expect_eq(tlb_params_init(&p, 64, 128, 0, 0, false), -EINVAL);
	cr_expect_eq(tlb_params_init(&p, 64, 4, 1536, 7, false), -EINVAL);
	cr_expect_eq(tlb_params_init(&p, 64, 4, 1536, 12, false), 0); /* 128 sets */
	cr_expect_eq(tlb_params_init(&p, 64, 64, 0, 0, false), 0);
}

/* ---- differential: one level against a naive LRU ------------------- */

#define MODEL_MAX 256

struct model_way {
	uint64_t key;		/* vpn << 12 | asid, ~0 empty */
	uint64_t pfn;
	uint64_t used;		/* last use, larger = more recent */
};

/*
 * 200,000 seeded lookups, fills, range invalidations and ASID flushes on
 * one level of entries / ways, against the model; npages distinct pages
 * per ASID decide how often sets overflow.
 */
static void run_against_model(unsigned entries, unsigned ways,
			      uint64_t npages, uint64_t seed)
{
	uint64_t rng = seed, clock = 0;
	static struct model_way m[MODEL_MAX];
	const unsigned sets = entries / ways;
	struct tlb t;

	cr_assert_leq(entries, MODEL_MAX);
	TEST_SEED(seed);
	make(&t, entries, ways, 0, 0, true);
	for (unsigned i = 0; i < entries; i++)
		m[i].key = ~0ull;
	for (int op = 0; op < 200000; op++) {
		uint16_t asid = (uint16_t)test_rand_below(&rng, 3);
		uint64_t vpn = test_rand_below(&rng, npages);
		uint64_t key = vpn << TLB_ASID_BITS | asid;
		struct model_way *set = &m[(vpn % sets) * ways];
		unsigned k = (unsigned)test_rand_below(&rng, 100), w, victim = 0;
		const struct tlb_entry *h;
		bool hit;

		clock++;
		for (w = 0; w < ways && set[w].key != key; w++)
			;
		if (k < 70) {                          /* lookup */
			h = tlb_lookup(&t, asid, vpn);
			hit = h != NULL;
			cr_assert_eq(hit, w < ways, "op %d vpn %llu", op,
				     (unsigned long long)vpn);
			if (hit) {
				cr_assert_eq(h->pfn, set[w].pfn);
				set[w].used = clock;
			}
		} else if (k < 97) {                   /* fill */
			uint64_t pfn = test_rand(&rng) & 0xffffff;

			tlb_fill(&t, asid, vpn, pfn, 0);
			if (w == ways) {
				for (w = 0; w < ways; w++) {
					if (set[w].key == ~0ull) {
						victim = w;
						break;
					}
					if (set[w].used < set[victim].used)
						victim = w;
				}
				w = victim;
			}
			set[w] = (struct model_way){ key, pfn, clock };
		} else if (k < 99) {                   /* invalidate a range */
			uint64_t end = vpn + test_rand_below(&rng, 40);

			tlb_invalidate_range(&t, asid, vpn, end);
			for (unsigned i = 0; i < entries; i++)
				if (m[i].key != ~0ull &&
				    (m[i].key & (TLB_NR_ASIDS - 1)) == asid &&
				    (m[i].key >> TLB_ASID_BITS) >= vpn &&
				    (m[i].key >> TLB_ASID_BITS) < end)
					m[i].key = ~0ull;
		} else {                               /* flush an asid */
			tlb_flush_asid(&t, asid);
			for (unsigned i = 0; i < entries; i++)
				if (m[i].key != ~0ull &&
				    (m[i].key & (TLB_NR_ASIDS - 1)) == asid)
					m[i].key = ~0ull;
		}
		if (op % 1009 == 0)
			assert_tlb_valid(&t);
	}
	assert_tlb_valid(&t);
	tlb_destroy(&t);
}

Test(tlb, random_ops_match_a_naive_lru_model, .timeout = 120)
{
	run_against_model(128, 8, 600, 4096);
}

/* one set of 128 ways: the age order is sorted, consumed and re-sorted */
Test(tlb, random_ops_match_a_naive_lru_model_fully_associative,
     .timeout = 120)
{
	run_against_model(128, 128, 200, 4097);
}

/* direct mapped: every fill of a full set replaces its one way */
Test(tlb, random_ops_match_a_naive_lru_model_direct_mapped, .timeout = 120)
{
	run_against_model(64, 1, 300, 4098);
}

/* 12 ways, as the x86_64 preset's second level: sorts of a length
 * that is no power of two */
Test(tlb, random_ops_match_a_naive_lru_model_12_way, .timeout = 120)
{
	run_against_model(96, 12, 400, 4099);
}
