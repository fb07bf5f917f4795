/*
 * test_buddy.c - the buddy allocator (sim/phys/buddy.c) and its
 * fragmentation reports (sim/phys/frag.c).
 *
 * Exact states first (the seed's worked example, carving, boundaries,
 * error paths, report formats), then seeded random operations checked
 * against a naive model: a bitmap of frames.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "lib/compiler.h"
#include "phys/buddy.h"
#include "phys/frag.h"

#define K 1024ull
#define M (1024ull * 1024)

static void assert_valid(const struct zone *z)
{
	char why[256] = "";

	cr_assert_eq(buddy_validate(z, why, sizeof(why)), 0,
		     "buddy_validate: %s", why);
}

/*
 * Checks every free list against spec: one field per order 0..max_order,
 * separated by '|', each a list of block addresses in KiB, in list order.
 * "64 | 128 | 256 | 512 |" means order 0 holds the block at 64K, ...,
 * order 4 is empty.
 */
static void assert_lists(const struct zone *z, const char *spec)
{
	const char *p = spec;

	for (unsigned o = 0; o <= z->max_order; o++) {
		uint64_t pfn = buddy_free_first(z, o);
		uint64_t count = 0;
		char *end;

		for (;;) {
			unsigned long long kib;

			while (*p == ' ')
				p++;
			if (*p == '|' || *p == '\0')
				break;
			kib = strtoull(p, &end, 10);
			cr_assert_neq(end, p, "bad spec at \"%s\"", p);
			p = end;
			cr_assert_neq(pfn, BUDDY_PFN_NONE,
				      "order %u: list ends before %lluK "
				      "(spec \"%s\")", o, kib, spec);
			cr_assert_eq(pfn * z->page_size, kib * K,
				     "order %u entry %llu: block at %lluK, "
				     "expected %lluK (spec \"%s\")", o,
				     (unsigned long long)count,
				     (unsigned long long)(pfn * z->page_size / K),
				     kib, spec);
			count++;
			pfn = buddy_free_next(z, pfn);
		}
		cr_assert_eq(pfn, BUDDY_PFN_NONE,
			     "order %u: extra block at %lluK (spec \"%s\")", o,
			     (unsigned long long)(pfn * z->page_size / K),
			     spec);
		cr_assert_eq(z->free_area[o].nr_free, count,
			     "order %u: nr_free %llu, expected %llu", o,
			     (unsigned long long)z->free_area[o].nr_free,
			     (unsigned long long)count);
		if (*p == '|')
			p++;
	}
	while (*p == ' ')
		p++;
	cr_assert_eq(*p, '\0', "spec has more orders than the zone: \"%s\"",
		     spec);
	assert_valid(z);
}

/* Captures one of the printers into buf. */
static void capture(const struct zone *z,
		    void (*print)(const struct zone *, FILE *), char *buf,
		    size_t len)
{
	FILE *f = fmemopen(buf, len, "w");

	cr_assert_not_null(f);
	print(z, f);
	fclose(f);
}

/* Allocates bytes and checks where the block went. */
static uint64_t alloc_at(struct zone *z, uint64_t bytes, uint32_t owner,
			 uint64_t want_kib, unsigned want_order)
{
	uint64_t pfn = BUDDY_PFN_NONE;
	unsigned order = 99;

	cr_assert_eq(buddy_alloc_bytes(z, bytes, owner, &pfn, &order), 0);
	cr_assert_eq(pfn * z->page_size, want_kib * K,
		     "%lluK went to %lluK, expected %lluK",
		     (unsigned long long)(bytes / K),
		     (unsigned long long)(pfn * z->page_size / K),
		     (unsigned long long)want_kib);
	cr_assert_eq(order, want_order);
	return pfn;
}

/*
 * The seed's example: 1024K of memory, 64K minimum block. Requests
 * A=34K, B=66K, C=35K, D=67K, then free B, free D (the seed's seven
 * states), then free A, free C back to one order-4 block.
 */
Test(buddy, seed_example_reproduces_every_state)
{
	struct zone z;
	uint64_t a, b, c, d;
	struct buddy_block info;
	char line[256];

	cr_assert_eq(buddy_init(&z, 1024 * K, 64 * K, 10), 0);
	cr_assert_eq(z.nr_frames, 16);
	cr_assert_eq(z.max_order, 4);
	/* 1: all of memory is one order-4 block. */
	assert_lists(&z, "|||| 0");
	capture(&z, buddy_print_buddyinfo, line, sizeof(line));
	cr_assert_str_eq(line, "Node 0, zone   Normal "
			 "     0      0      0      0      1 \n");

	/* 2: A=34K splits 1024K down to 64K at 0; the upper halves stay. */
	a = alloc_at(&z, 34 * K, 1, 0, 0);
	assert_lists(&z, "64 | 128 | 256 | 512 |");
	cr_assert_eq(z.stats.internal_frag_bytes, 30 * K);

	/* 3: B=66K needs 128K: the order-1 block at 128K. */
	b = alloc_at(&z, 66 * K, 2, 128, 1);
	assert_lists(&z, "64 | | 256 | 512 |");
	cr_assert_eq(z.stats.internal_frag_bytes, (30 + 62) * K);

	/* 4: C=35K takes the 64K block at 64K. */
	c = alloc_at(&z, 35 * K, 3, 64, 0);
	assert_lists(&z, "| | 256 | 512 |");
	cr_assert_eq(z.stats.internal_frag_bytes, (30 + 62 + 29) * K);

	/* 5: D=67K splits 256K: D at 256K, 384K goes on the order-1 list. */
	d = alloc_at(&z, 67 * K, 4, 256, 1);
	assert_lists(&z, "| 384 | | 512 |");
	cr_assert_eq(z.stats.internal_frag_bytes, (30 + 62 + 29 + 61) * K);
	cr_assert_eq(z.stats.requested_bytes, (34 + 66 + 35 + 67) * K);
	cr_assert_eq(z.nr_free_pages, 16 - 1 - 2 - 1 - 2);

	/* 6: free B: its buddy (A's half, 0..127K) is in use, no merge. */
	cr_assert_eq(buddy_free(&z, b), 0);
	assert_lists(&z, "| 128 384 | | 512 |");
	cr_assert_eq(z.stats.internal_frag_bytes, (30 + 29 + 61) * K);

	/* 7: free D: merges with 384K into 256K..511K, whose buddy is busy. */
	cr_assert_eq(buddy_free(&z, d), 0);
	assert_lists(&z, "| 128 | 256 | 512 |");
	cr_assert_eq(z.stats.internal_frag_bytes, (30 + 29) * K);
	capture(&z, buddy_print_buddyinfo, line, sizeof(line));
	cr_assert_str_eq(line, "Node 0, zone   Normal "
			 "     0      1      1      1      0 \n");

	/* Continuing: free A, its buddy C is busy. */
	cr_assert_eq(buddy_block_info(&z, c, &info), 0);
	cr_assert(info.allocated);
	cr_assert_eq(info.owner, 3);
	cr_assert_eq(info.requested, 35 * K);
	cr_assert_eq(buddy_free(&z, a), 0);
	assert_lists(&z, "0 | 128 | 256 | 512 |");
	cr_assert_eq(z.stats.internal_frag_bytes, 29 * K);

	/* Free C: 0+64K, +128K, +256K, +512K merge into one order-4 block. */
	cr_assert_eq(buddy_free(&z, c), 0);
	assert_lists(&z, "|||| 0");
	cr_assert_eq(z.nr_free_pages, 16);
	cr_assert_eq(z.stats.internal_frag_bytes, 0);
	cr_assert_eq(z.stats.requested_bytes, 0);
	cr_assert_eq(z.stats.nr_allocs, 4);
	cr_assert_eq(z.stats.nr_frees, 4);
	cr_assert_eq(z.stats.pgalloc, 6);
	cr_assert_eq(z.stats.pgfree, 6);
	cr_assert_eq(z.stats.alloc_fail, 0);
	buddy_destroy(&z);
}

Test(buddy, carves_2000k_into_largest_aligned_blocks)
{
	struct zone z;

	cr_assert_eq(buddy_init(&z, 2000 * K, 4 * K, 10), 0);
	cr_assert_eq(z.nr_frames, 500);
	cr_assert_eq(z.max_order, 8);
	cr_assert_eq(z.nr_free_pages, 500);
	cr_assert_eq(z.unmanaged_bytes, 0);
	/* 1024K + 512K + 256K + 128K + 64K + 16K */
	assert_lists(&z, "| | 1984 | | 1920 | 1792 | 1536 | 1024 | 0");
	buddy_destroy(&z);
}

Test(buddy, max_order_caps_the_largest_block)
{
	struct zone z;
	char spec[1024], *p = spec;

	cr_assert_eq(buddy_init(&z, 64 * M, 4 * K, 10), 0);
	cr_assert_eq(z.max_order, 10);
	p += sprintf(p, "|||||||||| ");
	for (unsigned i = 0; i < 16; i++)
		p += sprintf(p, "%u ", i * 4096);
	assert_lists(&z, spec);   /* 16 order-10 blocks, lowest first */
	buddy_destroy(&z);

	cr_assert_eq(buddy_init(&z, 64 * M, 4 * K, 3), 0);
	cr_assert_eq(z.max_order, 3);
	cr_assert_eq(z.free_area[3].nr_free, 2048);
	assert_valid(&z);
	buddy_destroy(&z);
}

Test(buddy, partial_page_is_not_managed)
{
	struct zone z;

	cr_assert_eq(buddy_init(&z, 10000, 4096, 10), 0);
	cr_assert_eq(z.nr_frames, 2);
	cr_assert_eq(z.unmanaged_bytes, 10000 - 8192);
	assert_lists(&z, "| 0");
	buddy_destroy(&z);
}

Test(buddy, init_rejects_bad_geometry)
{
	struct zone z;

	cr_assert_eq(buddy_init(&z, 1 * M, 0, 10), -EINVAL);
	cr_assert_eq(buddy_init(&z, 1 * M, 3000, 10), -EINVAL);
	cr_assert_eq(buddy_init(&z, 4095, 4096, 10), -EINVAL);
	cr_assert_eq(buddy_init(&z, 0, 4096, 10), -EINVAL);
	cr_assert_eq(buddy_init(&z, 1ull << 45, 4096, 10), -E2BIG);
}

Test(buddy, order_for_size_takes_exact_powers_at_their_order)
{
	struct zone z;
	unsigned o = 99;

	cr_assert_eq(buddy_init(&z, 64 * M, 4 * K, 10), 0);
	struct { uint64_t bytes; unsigned order; } cases[] = {
		{ 1, 0 }, { 4096, 0 }, { 4097, 1 }, { 8192, 1 },
		{ 8193, 2 }, { 12288, 2 }, { 16384, 2 }, { 16385, 3 },
		{ 2 * M, 9 }, { 2 * M + 1, 10 }, { 4 * M, 10 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		cr_assert_eq(buddy_order_for_size(&z, cases[i].bytes, &o), 0);
		cr_assert_eq(o, cases[i].order, "%llu bytes: order %u, "
			     "expected %u", (unsigned long long)cases[i].bytes,
			     o, cases[i].order);
	}
	cr_assert_eq(buddy_order_for_size(&z, 0, &o), -EINVAL);
	cr_assert_eq(buddy_order_for_size(&z, 4 * M + 1, &o), -EINVAL);
	cr_assert_eq(buddy_order_for_size(&z, UINT64_MAX, &o), -EINVAL);
	buddy_destroy(&z);

	/* The seed's 64K minimum block: 34K -> 64K, 66K -> 128K. */
	cr_assert_eq(buddy_init(&z, 1024 * K, 64 * K, 10), 0);
	cr_assert_eq(buddy_order_for_size(&z, 34 * K, &o), 0);
	cr_assert_eq(o, 0);
	cr_assert_eq(buddy_order_for_size(&z, 66 * K, &o), 0);
	cr_assert_eq(o, 1);
	cr_assert_eq(buddy_order_for_size(&z, 1024 * K, &o), 0);
	cr_assert_eq(o, 4);
	cr_assert_eq(buddy_order_for_size(&z, 1024 * K + 1, &o), -EINVAL);
	buddy_destroy(&z);
}

Test(buddy, impossible_requests_are_einval_not_counted)
{
	struct zone z;
	uint64_t pfn;

	cr_assert_eq(buddy_init(&z, 1024 * K, 64 * K, 10), 0);
	cr_assert_eq(buddy_alloc(&z, 5, 0, &pfn), -EINVAL);
	cr_assert_eq(buddy_alloc_bytes(&z, 0, 0, &pfn, NULL), -EINVAL);
	cr_assert_eq(buddy_alloc_bytes(&z, 2 * M, 0, &pfn, NULL), -EINVAL);
	cr_assert_eq(z.stats.alloc_fail, 0);
	cr_assert_eq(z.stats.nr_allocs, 0);
	assert_lists(&z, "|||| 0");
	buddy_destroy(&z);
}

Test(buddy, alloc_fails_when_exhausted)
{
	struct zone z;
	uint64_t pfn, pfns[16];

	cr_assert_eq(buddy_init(&z, 16 * 4 * K, 4 * K, 10), 0);
	for (unsigned i = 0; i < 16; i++) {
		cr_assert_eq(buddy_alloc(&z, 0, i, &pfns[i]), 0);
		cr_assert_eq(pfns[i], i, "order-0 blocks go lowest first");
	}
	cr_assert_eq(z.nr_free_pages, 0);
	pfn = 12345;
	cr_assert_eq(buddy_alloc(&z, 0, 0, &pfn), -ENOMEM);
	cr_assert_eq(pfn, 12345, "a failed allocation leaves *pfn alone");
	cr_assert_eq(z.stats.alloc_fail, 1);
	assert_lists(&z, "||||");

	/* Half free but only as single pages: order 1 fails, order 0 works. */
	for (unsigned i = 0; i < 16; i += 2)
		cr_assert_eq(buddy_free(&z, pfns[i]), 0);
	cr_assert_eq(z.nr_free_pages, 8);
	assert_lists(&z, "56 48 40 32 24 16 8 0 ||||");
	cr_assert_eq(buddy_alloc(&z, 1, 0, &pfn), -ENOMEM);
	cr_assert_eq(z.stats.alloc_fail, 2);
	cr_assert_eq(buddy_alloc(&z, 0, 0, &pfn), 0);
	cr_assert_eq(pfn, 14, "LIFO: the last freed block goes first");
	cr_assert_eq(buddy_free(&z, pfn), 0);

	for (unsigned i = 1; i < 16; i += 2)
		cr_assert_eq(buddy_free(&z, pfns[i]), 0);
	assert_lists(&z, "|||| 0");
	cr_assert_eq(z.stats.alloc_fail, 2);
	buddy_destroy(&z);
}

Test(buddy, bad_free_is_einval_and_changes_nothing)
{
	struct zone z;
	uint64_t a, b;
	struct buddy_stats before;

	cr_assert_eq(buddy_init(&z, 1024 * K, 64 * K, 10), 0);
	cr_assert_eq(buddy_alloc(&z, 2, 7, &a), 0);   /* frames 0..3 */
	cr_assert_eq(buddy_alloc(&z, 0, 7, &b), 0);   /* frame 4 */
	before = z.stats;

	cr_assert_eq(buddy_free(&z, a + 1), -EINVAL, "tail frame");
	cr_assert_eq(buddy_free(&z, a + 3), -EINVAL, "tail frame");
	cr_assert_eq(buddy_free(&z, 5), -EINVAL, "a free block's head");
	cr_assert_eq(buddy_free(&z, 6), -EINVAL, "a free block's head");
	cr_assert_eq(buddy_free(&z, 9), -EINVAL, "inside a free block");
	cr_assert_eq(buddy_free(&z, 16), -EINVAL, "past the end");
	cr_assert_eq(buddy_free(&z, UINT64_MAX), -EINVAL, "past the end");
	cr_assert_eq(memcmp(&before, &z.stats, sizeof(before)), 0);
	assert_lists(&z, "320 | 384 | | 512 |");

	cr_assert_eq(buddy_free(&z, b), 0);
	cr_assert_eq(buddy_free(&z, b), -EINVAL, "double free");
	cr_assert_eq(buddy_free(&z, a), 0);
	cr_assert_eq(buddy_free(&z, a), -EINVAL, "double free after merge");
	assert_lists(&z, "|||| 0");
	cr_assert_eq(z.stats.nr_frees, 2);
	buddy_destroy(&z);
}

Test(buddy, block_info_reports_heads_only)
{
	struct zone z;
	struct buddy_block info;
	uint64_t pfn;

	cr_assert_eq(buddy_init(&z, 64 * K, 4 * K, 10), 0);
	cr_assert_eq(buddy_alloc_bytes(&z, 5000, 42, &pfn, NULL), 0);
	cr_assert_eq(buddy_block_info(&z, pfn, &info), 0);
	cr_assert_eq(info.order, 1);
	cr_assert(info.allocated);
	cr_assert_eq(info.owner, 42);
	cr_assert_eq(info.requested, 5000);
	cr_assert_eq(z.stats.internal_frag_bytes, 8192 - 5000);
	cr_assert_eq(buddy_block_info(&z, pfn + 1, &info), -EINVAL);
	cr_assert_eq(buddy_block_info(&z, 2, &info), 0);
	cr_assert_not(info.allocated);
	cr_assert_eq(info.order, 1);
	cr_assert_eq(buddy_block_info(&z, 16, &info), -EINVAL);
	cr_assert_eq(buddy_free(&z, pfn), 0);
	buddy_destroy(&z);
}

Test(buddy, free_everything_returns_to_the_carved_state)
{
	struct zone z;
	uint64_t rng = 20261125, pfns[600];
	unsigned n = 0;
	char before[256], after[256];

	TEST_SEED(rng);
	cr_assert_eq(buddy_init(&z, 2000 * K, 4 * K, 10), 0);
	capture(&z, buddy_print_buddyinfo, before, sizeof(before));
	for (;;) {
		unsigned o = (unsigned)test_rand_below(&rng, 4);

		if (buddy_alloc(&z, o, 0, &pfns[n]) != 0 &&
		    buddy_alloc(&z, 0, 0, &pfns[n]) != 0)
			break;
		n++;
	}
	cr_assert_eq(z.nr_free_pages, 0);
	/* Free in a random order. */
	for (unsigned i = n; i > 1; i--) {
		unsigned j = (unsigned)test_rand_below(&rng, i);
		uint64_t t = pfns[i - 1];

		pfns[i - 1] = pfns[j];
		pfns[j] = t;
	}
	for (unsigned i = 0; i < n; i++)
		cr_assert_eq(buddy_free(&z, pfns[i]), 0);
	capture(&z, buddy_print_buddyinfo, after, sizeof(after));
	cr_assert_str_eq(after, before);
	cr_assert_eq(z.nr_free_pages, 500);
	cr_assert_eq(z.stats.pgalloc, 500);
	cr_assert_eq(z.stats.pgfree, 500);
	assert_valid(&z);
	buddy_destroy(&z);
}

Test(buddy, buddyinfo_prints_like_proc)
{
	struct zone z;
	uint64_t pfn;
	char line[512];

	cr_assert_eq(buddy_init(&z, 2000 * K, 4 * K, 10), 0);
	capture(&z, buddy_print_buddyinfo, line, sizeof(line));
	cr_assert_str_eq(line, "Node 0, zone   Normal "
			 "     0      0      1      0      1      1      1 "
			 "     1      1 \n");
	buddy_destroy(&z);

	/* Counts wider than the field push the columns, as in Linux. */
	cr_assert_eq(buddy_init(&z, 4 * M, 4 * K, 0), 0);
	cr_assert_eq(buddy_alloc(&z, 0, 0, &pfn), 0);
	capture(&z, buddy_print_buddyinfo, line, sizeof(line));
	cr_assert_str_eq(line, "Node 0, zone   Normal   1023 \n");
	buddy_destroy(&z);
	cr_assert_eq(buddy_init(&z, 4 * 1024 * M, 4 * K, 0), 0);
	capture(&z, buddy_print_buddyinfo, line, sizeof(line));
	cr_assert_str_eq(line, "Node 0, zone   Normal 1048576 \n");
	buddy_destroy(&z);
}

Test(buddy, fragmentation_indices_match_linux)
{
	struct zone z;
	uint64_t a, b, c, d, e;
	char line[512];

	/* The seed's state 7: free 128K(o1), 256K(o2), 512K(o3) of 1024K. */
	cr_assert_eq(buddy_init(&z, 1024 * K, 64 * K, 10), 0);
	cr_assert_eq(buddy_alloc_bytes(&z, 34 * K, 0, &a, NULL), 0);
	cr_assert_eq(buddy_alloc_bytes(&z, 66 * K, 0, &b, NULL), 0);
	cr_assert_eq(buddy_alloc_bytes(&z, 35 * K, 0, &c, NULL), 0);
	cr_assert_eq(buddy_alloc_bytes(&z, 67 * K, 0, &d, NULL), 0);
	cr_assert_eq(buddy_free(&z, b), 0);
	cr_assert_eq(buddy_free(&z, d), 0);

	struct buddy_contig_info info;
	buddy_contig_info(&z, 2, &info);
	cr_assert_eq(info.free_pages, 14);
	cr_assert_eq(info.free_blocks_total, 3);
	cr_assert_eq(info.free_blocks_suitable, 3);

	/* unusable(o) = (14 - suitable pages) / 14 */
	cr_assert_eq(buddy_unusable_index_milli(&z, 0), 0);
	cr_assert_eq(buddy_unusable_index_milli(&z, 1), 0);
	cr_assert_eq(buddy_unusable_index_milli(&z, 2), 142);  /* 2/14 */
	cr_assert_eq(buddy_unusable_index_milli(&z, 3), 428);  /* 6/14 */
	cr_assert_eq(buddy_unusable_index_milli(&z, 4), 1000);
	cr_assert_float_eq(buddy_unusable_index(&z, 3), 6.0 / 14, 1e-12);
	capture(&z, buddy_print_unusable_index, line, sizeof(line));
	cr_assert_str_eq(line, "Node 0, zone   Normal "
			 "0.000 0.000 0.142 0.428 1.000 \n");

	/* Order 4 fails: 1000 - (1000 + 14*1000/16) / 3 = 375. */
	for (unsigned o = 0; o < 4; o++)
		cr_assert_eq(buddy_extfrag_index_milli(&z, o), -1000);
	cr_assert_eq(buddy_extfrag_index_milli(&z, 4), 375);
	cr_assert_float_eq(buddy_extfrag_index(&z, 4),
			   1.0 - (1.0 + 14.0 / 16) / 3, 1e-12);
	cr_assert_float_eq(buddy_extfrag_index(&z, 0), -1.0, 0);
	capture(&z, buddy_print_extfrag_index, line, sizeof(line));
	cr_assert_str_eq(line, "Node 0, zone   Normal "
			 "-1.000 -1.000 -1.000 -1.000  0.375 \n");
	cr_assert_eq(buddy_free(&z, a), 0);
	cr_assert_eq(buddy_free(&z, c), 0);

	/* One free block too small: Linux's formula goes negative. */
	cr_assert_eq(buddy_alloc(&z, 3, 0, &e), 0);
	cr_assert_eq(buddy_extfrag_index_milli(&z, 4), -500);
	capture(&z, buddy_print_extfrag_index, line, sizeof(line));
	cr_assert_str_eq(line, "Node 0, zone   Normal "
			 "-1.000 -1.000 -1.000 -1.000  0.-500 \n");

	/* Nothing free: unusable 1.000, extfrag 0 everywhere. */
	cr_assert_eq(buddy_alloc(&z, 3, 0, &a), 0);
	capture(&z, buddy_print_unusable_index, line, sizeof(line));
	cr_assert_str_eq(line, "Node 0, zone   Normal "
			 "1.000 1.000 1.000 1.000 1.000 \n");
	capture(&z, buddy_print_extfrag_index, line, sizeof(line));
	cr_assert_str_eq(line, "Node 0, zone   Normal "
			 " 0.000  0.000  0.000  0.000  0.000 \n");
	cr_assert_eq(buddy_extfrag_index_milli(&z, 5), 0, "order > max");
	buddy_destroy(&z);
}

Test(buddy, validate_reports_broken_zones)
{
	struct zone z;
	uint64_t pfn;
	char why[256];

	cr_assert_eq(buddy_init(&z, 1024 * K, 64 * K, 10), 0);
	buddy_set_validate(&z, 0);   /* we break it on purpose */
	cr_assert_eq(buddy_alloc(&z, 0, 0, &pfn), 0);

	z.pages[3].flags = PG_head;        /* a stray head inside a block */
	cr_assert_eq(buddy_validate(&z, why, sizeof(why)), -EINVAL);
	cr_assert(strstr(why, "tail") != NULL, "%s", why);
	z.pages[3].flags = 0;

	z.free_area[1].nr_free++;
	cr_assert_eq(buddy_validate(&z, why, sizeof(why)), -EINVAL);
	cr_assert(strstr(why, "nr_free") != NULL, "%s", why);
	z.free_area[1].nr_free--;

	z.nr_free_pages--;
	cr_assert_eq(buddy_validate(&z, why, sizeof(why)), -EINVAL);
	cr_assert(strstr(why, "nr_free_pages") != NULL, "%s", why);
	z.nr_free_pages++;

	/* Frame 0 freed by hand, not merged with its free buddy at 1. */
	z.pages[0].flags = PG_buddy;
	z.stats.pgfree++;
	z.stats.requested_bytes = 0;
	z.stats.internal_frag_bytes = 0;
	cr_assert_eq(buddy_validate(&z, why, 0), -EINVAL);
	cr_assert_eq(buddy_validate(&z, why, sizeof(why)), -EINVAL);
	cr_assert(strstr(why, "not merged") != NULL, "%s", why);
	buddy_destroy(&z);
}

/* The naive model: one bit per frame, 1 = allocated. */
struct model {
	uint64_t *bits;                    /* frames, padded with 1s */
	uint64_t nr_frames;                /* managed frames */
	uint64_t nr_words;                 /* words in bits */
	uint64_t nr_free;                  /* clear bits below nr_frames */
	uint64_t requested, frag;          /* sums over live blocks */
	struct live { uint64_t pfn, bytes; unsigned order; } *live;
	uint64_t nr_live;                  /* entries in live */
	int32_t *live_at;                  /* per frame: index in live, or -1 */
};

static void model_init(struct model *m, uint64_t nr_frames)
{
	m->nr_frames = nr_frames;
	m->nr_words = (nr_frames + 63) / 64;
	m->bits = calloc(m->nr_words, sizeof(uint64_t));
	m->live = calloc(nr_frames, sizeof(*m->live));
	m->live_at = malloc(nr_frames * sizeof(int32_t));
	cr_assert(m->bits && m->live && m->live_at);
	memset(m->live_at, 0xff, nr_frames * sizeof(int32_t));
	if (nr_frames % 64)
		m->bits[m->nr_words - 1] = ~0ull << (nr_frames % 64);
	m->nr_free = nr_frames;
	m->requested = m->frag = m->nr_live = 0;
}

static void model_fini(struct model *m)
{
	free(m->bits);
	free(m->live);
	free(m->live_at);
}

static int model_bit(const struct model *m, uint64_t f)
{
	return (int)(m->bits[f / 64] >> (f % 64) & 1);
}

/* Is some 2^order-aligned run of 2^order frames entirely free? */
static int model_has_free_run(const struct model *m, unsigned order)
{
	if (order >= 6) {
		uint64_t step = 1ull << (order - 6);

		for (uint64_t w = 0; w + step <= m->nr_words; w += step) {
			uint64_t any = 0;

			for (uint64_t i = 0; i < step; i++)
				any |= m->bits[w + i];
			if (!any)
				return 1;
		}
		return 0;
	}
	/* Bit i of spread = OR of bits i .. i+2^order-1; test aligned i. */
	uint64_t aligned = 0;
	for (unsigned i = 0; i < 64; i += 1u << order)
		aligned |= 1ull << i;
	for (uint64_t w = 0; w < m->nr_words; w++) {
		uint64_t spread = m->bits[w];

		for (unsigned s = 1; s < (1u << order); s <<= 1)
			spread |= spread >> s;
		if (~spread & aligned)
			return 1;
	}
	return 0;
}

static void model_alloc(struct model *m, uint64_t pfn, unsigned order,
			uint64_t bytes, uint64_t page_size)
{
	uint64_t size = 1ull << order;

	cr_assert_eq(pfn & (size - 1), 0, "pfn %llu not aligned to order %u",
		     (unsigned long long)pfn, order);
	cr_assert_leq(pfn + size, m->nr_frames);
	for (uint64_t f = pfn; f < pfn + size; f++) {
		cr_assert_eq(model_bit(m, f), 0,
			     "frame %llu handed out twice (block %llu order "
			     "%u)", (unsigned long long)f,
			     (unsigned long long)pfn, order);
		m->bits[f / 64] |= 1ull << (f % 64);
	}
	m->nr_free -= size;
	m->requested += bytes;
	m->frag += (page_size << order) - bytes;
	m->live[m->nr_live] = (struct live){ pfn, bytes, order };
	m->live_at[pfn] = (int32_t)m->nr_live++;
}

static void model_free(struct model *m, uint64_t idx, uint64_t page_size)
{
	struct live l = m->live[idx];
	uint64_t size = 1ull << l.order;

	for (uint64_t f = l.pfn; f < l.pfn + size; f++)
		m->bits[f / 64] &= ~(1ull << (f % 64));
	m->nr_free += size;
	m->requested -= l.bytes;
	m->frag -= (page_size << l.order) - l.bytes;
	m->live_at[l.pfn] = -1;
	m->live[idx] = m->live[--m->nr_live];
	if (idx < m->nr_live)
		m->live_at[m->live[idx].pfn] = (int32_t)idx;
}

/*
 * nr_ops seeded operations on a zone, each checked against the model:
 * allocations (by order or by bytes, orders geometric so small ones
 * dominate) land on frames the model has free and fail only when no
 * aligned free run of that order exists; frees of random live blocks;
 * now and then a free of a pfn that is no live head, which must fail.
 */
static void run_random(uint64_t memory, unsigned max_order, uint64_t nr_ops,
		       unsigned validate_every, uint64_t seed)
{
	struct zone z;
	struct model m;
	uint64_t rng = seed, fails = 0, bad_frees = 0;
	const uint64_t page_size = 4 * K;

	cr_assert_eq(buddy_init(&z, memory, page_size, max_order), 0);
	buddy_set_validate(&z, validate_every);
	model_init(&m, z.nr_frames);

	for (uint64_t op = 0; op < nr_ops; op++) {
		uint64_t r = test_rand(&rng);

		if ((r & 15) == 0) {
			uint64_t pfn = test_rand_below(&rng, z.nr_frames + 2);

			if (pfn >= z.nr_frames || m.live_at[pfn] < 0) {
				cr_assert_eq(buddy_free(&z, pfn), -EINVAL);
				bad_frees++;
			}
		} else if (m.nr_live == 0 || (r & 16)) {
			unsigned order = (unsigned)__builtin_ctzll(r >> 5 | 1ull << 40);
			uint64_t pfn, bytes;
			int err;

			if (order > z.max_order)
				order = z.max_order;
			bytes = page_size << order;
			if (r & 32) {
				err = buddy_alloc(&z, order, 1, &pfn);
			} else {
				uint64_t lo = order ? bytes / 2 : 0;
				unsigned got;

				bytes = lo + 1 + test_rand_below(&rng, bytes - lo);
				err = buddy_alloc_bytes(&z, bytes, 1, &pfn, &got);
				if (!err)
					cr_assert_eq(got, order);
			}
			if (err) {
				cr_assert_eq(err, -ENOMEM);
				cr_assert_not(model_has_free_run(&m, order),
					      "op %llu: order %u refused but the "
					      "model has a free aligned run",
					      (unsigned long long)op, order);
				fails++;
			} else {
				model_alloc(&m, pfn, order, bytes, page_size);
			}
		} else {
			uint64_t idx = test_rand_below(&rng, m.nr_live);

			cr_assert_eq(buddy_free(&z, m.live[idx].pfn), 0);
			model_free(&m, idx, page_size);
		}
		cr_assert_eq(z.nr_free_pages, m.nr_free, "op %llu",
			     (unsigned long long)op);
	}
	cr_assert_eq(z.stats.alloc_fail, fails);
	cr_assert_eq(z.stats.requested_bytes, m.requested);
	cr_assert_eq(z.stats.internal_frag_bytes, m.frag);
	cr_assert_gt(fails, 0, "the run never reached exhaustion");
	cr_assert_gt(bad_frees, 0);
	assert_valid(&z);

	while (m.nr_live) {
		cr_assert_eq(buddy_free(&z, m.live[m.nr_live - 1].pfn), 0);
		model_free(&m, m.nr_live - 1, page_size);
	}
	assert_valid(&z);
	cr_assert_eq(z.nr_free_pages, z.nr_frames);
	cr_assert_eq(z.stats.pgalloc, z.stats.pgfree);
	model_fini(&m);
	buddy_destroy(&z);
}

Test(buddy, random_ops_match_bitmap_model)
{
	const uint64_t seed = 0x5eed0b0dd1e5ull;

	TEST_SEED(seed);
	run_random(16 * M, 10, 1000000, 1000, seed);
}

Test(buddy, random_ops_on_odd_memory_validated_every_op)
{
	const uint64_t seed = 42;

	TEST_SEED(seed);
	run_random(1000 * 4 * K, 10, 100000, 1, seed);
}
