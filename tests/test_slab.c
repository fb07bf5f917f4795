/*
 * test_slab.c - slab caches on the buddy allocator (sim/phys/slab.c):
 * the geometry Linux's /proc/slabinfo shows for the three caches vmsim
 * keeps, slabs taken and given back exactly when they should be, the
 * slabinfo text, exhaustion, and a seeded random run against a model
 * (a bitmap of live objects).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "phys/buddy.h"
#include "phys/slab.h"

TestSuite(slab);

#define K 1024ull
#define M (1024 * K)

static struct zone z;
static struct slab_cache c;

static void assert_valid(void)
{
	char why[256];

	cr_assert_eq(slab_validate(&c, why, sizeof(why)), 0, "%s", why);
	cr_assert_eq(buddy_validate(&z, why, sizeof(why)), 0, "%s", why);
}

static void done(void)
{
	slab_cache_destroy(&c);
	buddy_destroy(&z);
}

/* Linux 6.18 x86-64, /proc/slabinfo: objsize, objperslab, pagesperslab. */
Test(slab, geometry_is_linux_s_for_4k_pages, .fini = done)
{
	static const struct { const char *name; uint32_t size, per, pages; } want[] = {
		{ "vm_area_struct", 192, 21, 1 },
		{ "mm_struct", 1600, 20, 8 },
		{ "task_struct", 5824, 5, 8 },
	};

	cr_assert_eq(buddy_init(&z, 64 * M, 4 * K, 10), 0);
	for (size_t i = 0; i < 3; i++) {
		cr_assert_eq(slab_cache_init(&c, want[i].name, want[i].size, &z, 0), 0);
		cr_expect_eq(c.objs_per_slab, want[i].per, "%s", want[i].name);
		cr_expect_eq(1u << c.order, want[i].pages, "%s", want[i].name);
		slab_cache_destroy(&c);
	}
	/* 8K pages: 16 vm_area_structs fit one page; the rest at order 2 */
	buddy_destroy(&z);
	cr_assert_eq(buddy_init(&z, 64 * M, 8 * K, 10), 0);
	cr_assert_eq(slab_cache_init(&c, "vm_area_struct", 192, &z, 0), 0);
	cr_expect_eq(c.objs_per_slab, 42);
	cr_expect_eq(c.order, 0);
	slab_cache_destroy(&c);
	cr_assert_eq(slab_cache_init(&c, "mm_struct", 1600, &z, 0), 0);
	cr_expect_eq(c.order, 2);
	cr_expect_eq(c.objs_per_slab, 20);
}

/* 21 objects fill one slab; the 22nd takes a second; freeing empties give pages back. */
Test(slab, slabs_come_and_go_with_their_objects, .fini = done)
{
	uint64_t obj[43];

	cr_assert_eq(buddy_init(&z, 1 * M, 4 * K, 10), 0);
	cr_assert_eq(slab_cache_init(&c, "vm_area_struct", 192, &z, 0), 0);
	for (int i = 0; i < 21; i++)
		cr_assert_eq(slab_alloc(&c, &obj[i]), 0);
	cr_expect_eq(c.nr_slabs, 1);
	cr_expect_eq(z.nr_free_pages, 255);
	cr_assert_eq(slab_alloc(&c, &obj[21]), 0);
	cr_expect_eq(c.nr_slabs, 2);
	cr_expect_eq(slab_cache_bytes(&c), 8 * K);
	assert_valid();
	/* the second slab's only object goes: its page goes back */
	slab_free(&c, obj[21]);
	cr_expect_eq(c.nr_slabs, 1);
	cr_expect_eq(z.nr_free_pages, 255);
	/* a freed object is handed out again before any new slab */
	slab_free(&c, obj[5]);
	cr_assert_eq(slab_alloc(&c, &obj[5]), 0);
	cr_expect_eq(c.nr_slabs, 1);
	for (int i = 0; i < 21; i++)
		slab_free(&c, obj[i]);
	cr_expect_eq(c.nr_slabs, 0);
	cr_expect_eq(c.active_objs, 0);
	cr_expect_eq(z.nr_free_pages, 256);
	assert_valid();
}

Test(slab, slabinfo_prints_as_proc_slabinfo, .fini = done)
{
	const struct slab_cache *caches[1] = { &c };
	uint64_t obj;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_eq(buddy_init(&z, 1 * M, 4 * K, 10), 0);
	cr_assert_eq(slab_cache_init(&c, "mm_struct", 1600, &z, 0), 0);
	for (int i = 0; i < 3; i++)
		cr_assert_eq(slab_alloc(&c, &obj), 0);
	slab_print_slabinfo(caches, 1, f);
	fclose(f);
	cr_assert_str_eq(buf,
		"slabinfo - version: 2.1\n"
		"# name            <active_objs> <num_objs> <objsize> <objperslab> "
		"<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : "
		"slabdata <active_slabs> <num_slabs> <sharedavail>\n"
		"mm_struct              3     20   1600   20    8 : tunables    0    0    0"
		" : slabdata      1      1      0\n");
	free(buf);
}

/* No block for a new slab: -ENOMEM, nothing changed. */
Test(slab, exhaustion_is_enomem_and_changes_nothing, .fini = done)
{
	uint64_t obj[11];

	cr_assert_eq(buddy_init(&z, 64 * K, 4 * K, 10), 0);   /* 16 pages: two order-3 blocks */
	cr_assert_eq(slab_cache_init(&c, "task_struct", 5824, &z, 0), 0);
	for (int i = 0; i < 10; i++)
		cr_assert_eq(slab_alloc(&c, &obj[i]), 0);
	cr_expect_eq(z.nr_free_pages, 0);
	cr_expect_eq(slab_alloc(&c, &obj[10]), -ENOMEM);
	cr_expect_eq(c.active_objs, 10);
	cr_expect_eq(c.nr_slabs, 2);
	assert_valid();
}

/* An object too large for the zone's largest block. */
Test(slab, an_object_larger_than_any_block_is_refused)
{
	struct slab_cache big;

	cr_assert_eq(buddy_init(&z, 64 * K, 4 * K, 2), 0);    /* 16K blocks at most */
	cr_expect_eq(slab_cache_init(&big, "huge", 20000, &z, 0), -EINVAL);
	buddy_destroy(&z);
}

/* 200,000 random allocs and frees against a bitmap of live objects. */
Test(slab, random_run_matches_a_model, .fini = done)
{
	uint64_t seed = 20261204, st = seed, *live = NULL;
	size_t nr_live = 0, cap = 0;
	uint8_t *used = calloc(64 * 1024, 1);   /* slab index * 32 + object */

	TEST_SEED(seed);
	cr_assert_not_null(used);
	cr_assert_eq(buddy_init(&z, 16 * M, 4 * K, 10), 0);
	cr_assert_eq(slab_cache_init(&c, "vm_area_struct", 192, &z, 0), 0);
	for (int i = 0; i < 200000; i++) {
		bool grow = test_rand_below(&st, 100) < (i < 100000 ? 60 : 40);

		if (grow || !nr_live) {
			uint64_t o;
			size_t key;

			cr_assert_eq(slab_alloc(&c, &o), 0);
			key = (size_t)(o >> 32) * 32 + (uint32_t)o;
			cr_assert_lt(key, 64 * 1024);
			cr_assert_eq(used[key], 0, "object %#lx handed out twice", (unsigned long)o);
			used[key] = 1;
			if (nr_live == cap) {
				cap = cap ? cap * 2 : 1024;
				live = realloc(live, cap * sizeof(*live));
				cr_assert_not_null(live);
			}
			live[nr_live++] = o;
		} else {
			size_t k = (size_t)test_rand_below(&st, nr_live);
			uint64_t o = live[k];

			live[k] = live[--nr_live];
			used[(size_t)(o >> 32) * 32 + (uint32_t)o] = 0;
			slab_free(&c, o);
		}
		cr_assert_eq(c.active_objs, nr_live);
		if (i % 10000 == 0)
			assert_valid();
	}
	/* never more slabs than the live objects need, plus partly used ones */
	cr_expect_geq(c.nr_slabs * 21, nr_live);
	while (nr_live)
		slab_free(&c, live[--nr_live]);
	cr_expect_eq(c.nr_slabs, 0);
	cr_expect_eq(z.nr_free_pages, z.nr_frames);
	assert_valid();
	free(live);
	free(used);
}
