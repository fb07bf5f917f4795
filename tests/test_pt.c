/*
 * test_pt.c - the radix page table of sim/mmu (pt.c): geometry of every
 * preset worked out by hand, exact table-page counts as pages are touched
 * and unmapped, the hardware walk (memory references, accessed and dirty
 * bits, permission faults), exhaustion of the buddy allocator, and a
 * seeded random differential test against a naive model (an array of
 * virtual page -> frame). pt_validate runs after every change.
 */
#include <errno.h>
#include <stdlib.h>

#include "common.h"
#include "mmu/pt.h"
#include "phys/buddy.h"

#define K 1024ull
#define M (1024ull * 1024)
#define G (1024ull * M)

struct fixture {
	struct zone zone;
	struct pt pt;
};

static void assert_pt_valid(const struct pt *pt)
{
	char why[256];

	cr_assert_eq(pt_validate(pt, why, sizeof(why)), 0, "pt: %s", why);
}

/* A zone of memory bytes and an empty page table of the given shape. */
static void setup(struct fixture *f, unsigned va_bits, uint64_t page_size,
		  unsigned pte_size, uint64_t memory)
{
	struct pt_geometry g;

	cr_assert_eq(buddy_init(&f->zone, memory, page_size, 10), 0);
	cr_assert_eq(pt_geometry_init(&g, va_bits, page_size, pte_size, 0), 0);
	cr_assert_eq(pt_create(&f->pt, &g, &f->zone, 7), 0);
	assert_pt_valid(&f->pt);
}

static void teardown(struct fixture *f)
{
	pt_destroy(&f->pt, NULL, NULL);
	cr_assert_eq(f->zone.nr_free_pages, f->zone.nr_frames,
		     "table pages not returned");
	buddy_destroy(&f->zone);
}

static void map(struct fixture *f, uint64_t va, uint64_t pfn, uint64_t flags)
{
	cr_assert_eq(pt_map(&f->pt, va, pfn, flags), 0, "map %#llx",
		     (unsigned long long)va);
	assert_pt_valid(&f->pt);
}

/* ---- geometry ------------------------------------------------------- */

static void assert_geometry(unsigned va_bits, uint64_t page_size,
			    unsigned pte_size, unsigned levels,
			    const unsigned *bits, const unsigned *shift)
{
	struct pt_geometry g;

	cr_assert_eq(pt_geometry_init(&g, va_bits, page_size, pte_size, 0), 0);
	cr_expect_eq(g.levels, levels, "%u-bit %llu/%u: levels %u",
		     va_bits, (unsigned long long)page_size, pte_size, g.levels);
	cr_expect_eq(g.entries, page_size / pte_size);
	for (unsigned l = 0; l < levels; l++) {
		cr_expect_eq(g.bits[l], bits[l], "level %u bits %u", l, g.bits[l]);
		cr_expect_eq(g.shift[l], shift[l], "level %u shift %u", l,
			     g.shift[l]);
	}
}

Test(pt, geometry_of_the_presets)
{
	/* i386 4K: 10 | 10 | 12 */
	assert_geometry(32, 4 * K, 4, 2, (unsigned[]){ 10, 10 },
			(unsigned[]){ 22, 12 });
	/* i386 8K: 8 | 11 | 13, the top table a quarter used */
	assert_geometry(32, 8 * K, 4, 2, (unsigned[]){ 8, 11 },
			(unsigned[]){ 24, 13 });
	/* x86_64 4K: 9 | 9 | 9 | 9 | 12 */
	assert_geometry(48, 4 * K, 8, 4, (unsigned[]){ 9, 9, 9, 9 },
			(unsigned[]){ 39, 30, 21, 12 });
	/* x86_64 8K: 5 | 10 | 10 | 10 | 13 */
	assert_geometry(48, 8 * K, 8, 4, (unsigned[]){ 5, 10, 10, 10 },
			(unsigned[]){ 43, 33, 23, 13 });
	/* 57-bit 4K: five levels, as LA57 */
	assert_geometry(57, 4 * K, 8, 5, (unsigned[]){ 9, 9, 9, 9, 9 },
			(unsigned[]){ 48, 39, 30, 21, 12 });
}

Test(pt, geometry_levels_override_and_bad_shapes)
{
	struct pt_geometry g;

	/* a fifth level on 48-bit is folded: 0 bits, slot 0 only */
	cr_assert_eq(pt_geometry_init(&g, 48, 4 * K, 8, 5), 0);
	cr_expect_eq(g.levels, 5);
	cr_expect_eq(g.derived_levels, 4);
	cr_expect_eq(g.bits[0], 0);
	cr_expect_eq(g.bits[1], 9);
	cr_expect_eq(pt_index(&g, 0, 0xffffffffffffull), 0);
	/* fewer levels than needed cannot cover the space */
	cr_expect_eq(pt_geometry_init(&g, 48, 4 * K, 8, 3), -EINVAL);
	cr_expect_eq(pt_geometry_init(&g, 48, 4 * K, 3, 0), -EINVAL);
	cr_expect_eq(pt_geometry_init(&g, 48, 3 * K, 8, 0), -EINVAL);
	cr_expect_eq(pt_geometry_init(&g, 12, 4 * K, 8, 0), -EINVAL);
	cr_expect_eq(pt_geometry_init(&g, 65, 4 * K, 8, 0), -EINVAL);
	cr_expect_eq(pt_geometry_init(&g, 48, 4 * K, 8, PT_MAX_LEVELS + 1),
		     -EINVAL);
	/* NX only with 8-byte entries above 32 bits */
	cr_assert_eq(pt_geometry_init(&g, 32, 4 * K, 4, 0), 0);
	cr_expect(!g.nx);
	cr_assert_eq(pt_geometry_init(&g, 48, 4 * K, 8, 0), 0);
	cr_expect(g.nx);
}

/* ---- table pages ---------------------------------------------------- */

/*
 * x86_64 4K: one leaf table maps 2 MiB, one PMD table 1 GiB, one PUD
 * table 512 GiB. The root is there from the start.
 */
Test(pt, table_pages_follow_the_touched_pages_x86_64)
{
	struct fixture f;
	uint64_t before;

	setup(&f, 48, 4 * K, 8, 64 * M);
	before = f.zone.nr_free_pages;
	cr_expect_eq(pt_nr_table_pages(&f.pt), 1);
	for (uint64_t i = 0; i < 512; i++)
		map(&f, i * 4 * K, 100 + i, PTE_USER | PTE_WRITE);
	cr_expect_eq(pt_nr_table_pages(&f.pt), 4);   /* root, PUD, PMD, PTE */
	map(&f, 2 * M, 1000, PTE_USER);
	cr_expect_eq(pt_nr_table_pages(&f.pt), 5);   /* + a leaf */
	map(&f, 1 * G, 1001, PTE_USER);
	cr_expect_eq(pt_nr_table_pages(&f.pt), 7);   /* + PMD + leaf */
	map(&f, 512 * G, 1002, PTE_USER);
	cr_expect_eq(pt_nr_table_pages(&f.pt), 10);  /* + PUD + PMD + leaf */
	cr_expect_eq(f.pt.stats.nr_mapped, 515);
	cr_expect_eq(before - f.zone.nr_free_pages, 9, "table pages come from buddy");
	cr_expect_eq(pt_map(&f.pt, 2 * M, 5, PTE_USER), -EEXIST);
	cr_expect_eq(pt_map(&f.pt, 3 * M, f.zone.nr_frames, PTE_USER), -EINVAL);
	cr_expect_eq(pt_map(&f.pt, 3 * M + 1, 5, PTE_USER), -EINVAL);
	cr_expect_eq(pt_map(&f.pt, 1ull << 48, 5, PTE_USER), -EINVAL);
	cr_expect_eq(pt_map(&f.pt, 3 * M, 5, PTE_PRESENT), -EINVAL);
	cr_expect_eq(pt_nr_table_pages(&f.pt), 10);

	/* unmapping empties tables, which go back; the root stays */
	cr_assert_eq(pt_unmap_range(&f.pt, 512 * G, 512 * G + 4 * K, NULL, NULL), 0);
	assert_pt_valid(&f.pt);
	cr_expect_eq(pt_nr_table_pages(&f.pt), 7);
	cr_assert_eq(pt_unmap_range(&f.pt, 0, 4 * K, NULL, NULL), 0);
	cr_expect_eq(pt_nr_table_pages(&f.pt), 7);   /* 511 left in that leaf */
	cr_assert_eq(pt_unmap_range(&f.pt, 0, 2 * G, NULL, NULL), 0);
	assert_pt_valid(&f.pt);
	cr_expect_eq(pt_nr_table_pages(&f.pt), 1);
	cr_expect_eq(f.pt.stats.nr_mapped, 0);
	cr_expect_eq(f.zone.nr_free_pages, before);
	teardown(&f);
}

/* i386 4K: one leaf table maps 4 MiB; 8K pages: one leaf maps 16 MiB. */
Test(pt, table_pages_follow_the_touched_pages_i386_4k_and_8k)
{
	struct fixture f;

	setup(&f, 32, 4 * K, 4, 16 * M);
	for (uint64_t i = 0; i < 1024; i++)
		map(&f, i * 4 * K, i, PTE_USER);
	cr_expect_eq(pt_nr_table_pages(&f.pt), 2);
	map(&f, 4 * M, 7, PTE_USER);
	cr_expect_eq(pt_nr_table_pages(&f.pt), 3);
	map(&f, 0xbffff000ull, 8, PTE_USER);
	cr_expect_eq(pt_nr_table_pages(&f.pt), 4);
	teardown(&f);

	/* the same 4 MiB in 8K pages: 512 PTEs in one leaf */
	setup(&f, 32, 8 * K, 4, 16 * M);
	for (uint64_t i = 0; i < 512; i++)
		map(&f, i * 8 * K, i, PTE_USER);
	cr_expect_eq(pt_nr_table_pages(&f.pt), 2);
	map(&f, 4 * M, 7, PTE_USER);
	cr_expect_eq(pt_nr_table_pages(&f.pt), 2);   /* same 16 MiB leaf */
	map(&f, 16 * M, 9, PTE_USER);
	cr_expect_eq(pt_nr_table_pages(&f.pt), 3);
	teardown(&f);
}

/* ---- the walk --------------------------------------------------------- */

Test(pt, walk_reads_one_entry_per_level_and_sets_accessed_and_dirty)
{
	struct fixture f;
	struct pt_trace t;
	uint64_t pte;
	unsigned levels;

	setup(&f, 48, 4 * K, 8, 64 * M);
	map(&f, 0x7ffff7ff0000ull, 42, PTE_USER | PTE_WRITE | PTE_NX);
	cr_assert_eq(pt_walk(&f.pt, 0x7ffff7ff0123ull, PT_READ, true, &pte,
			     &levels), 0);
	cr_expect_eq(levels, 4);
	cr_expect_eq(pte_pfn(&f.pt.g, pte), 42);
	cr_expect(pte & PTE_ACCESSED);
	cr_expect(!(pte & PTE_DIRTY));
	cr_assert_eq(pt_walk(&f.pt, 0x7ffff7ff0000ull, PT_WRITE, true, &pte,
			     &levels), 0);
	cr_expect(pte & PTE_DIRTY);
	cr_expect_eq(f.pt.stats.walks, 2);
	cr_expect_eq(f.pt.stats.walk_mem_refs, 8);
	/* no exec through NX, a fault that changes nothing */
	cr_expect_eq(pt_walk(&f.pt, 0x7ffff7ff0000ull, PT_EXEC, true, &pte,
			     &levels), -EACCES);
	/* a hole: the walk stops at the first absent level (the PMD's slot) */
	cr_expect_eq(pt_walk(&f.pt, 0x7ffff8000000ull, PT_READ, true, &pte,
			     &levels), -ENOENT);
	cr_expect_eq(levels, 3);
	/* the software lookup shows each level and moves no counter */
	cr_assert_eq(pte_pfn(&f.pt.g, pt_lookup(&f.pt, 0x7ffff7ff0000ull, &t)), 42);
	cr_expect_eq(t.nr_levels, 4);
	cr_expect_eq(t.index[0], 0xff);
	cr_expect_eq(t.index[1], 0x1ff);
	cr_expect_eq(t.index[2], 0x1bf);
	cr_expect_eq(t.index[3], 0x1f0);
	cr_expect_eq(t.table_pfn[0], f.pt.root->pfn);
	cr_expect_eq(f.pt.stats.walks, 4);
	teardown(&f);
}

Test(pt, supervisor_and_read_only_pages_fault_user_writes)
{
	struct fixture f;
	uint64_t pte;
	unsigned levels;

	setup(&f, 32, 4 * K, 4, 16 * M);
	map(&f, 0xc0000000ull, 1, PTE_WRITE);          /* kernel half */
	map(&f, 0x08048000ull, 2, PTE_USER);           /* text: read-only */
	cr_expect_eq(pt_walk(&f.pt, 0xc0000000ull, PT_READ, true, &pte, &levels),
		     -EACCES);
	cr_expect_eq(pt_walk(&f.pt, 0xc0000000ull, PT_WRITE, false, &pte, &levels),
		     0);
	cr_expect_eq(pt_walk(&f.pt, 0x08048000ull, PT_WRITE, true, &pte, &levels),
		     -EACCES);
	cr_expect(!(pt_lookup(&f.pt, 0x08048000ull, NULL) & PTE_DIRTY));
	/* no NX on 4-byte entries: every readable page executes */
	cr_expect_eq(pt_walk(&f.pt, 0x08048000ull, PT_EXEC, true, &pte, &levels),
		     0);
	/* mprotect: the write bit comes and goes, pfn and dirty stay */
	cr_assert_eq(pt_protect_range(&f.pt, 0x08048000ull, 0x08049000ull,
				      PTE_USER | PTE_WRITE, NULL), 0);
	cr_expect_eq(pt_walk(&f.pt, 0x08048000ull, PT_WRITE, true, &pte, &levels),
		     0);
	cr_expect_eq(pte_pfn(&f.pt.g, pte), 2);
	teardown(&f);
}

/* ---- exhaustion --------------------------------------------------- */

/*
 * 16 pages of memory: the root takes one, and every new 2 MiB region of
 * x86_64 needs up to three more. When the zone runs dry, pt_map fails
 * with -ENOMEM and leaves nothing half-built.
 */
Test(pt, exhaustion_fails_cleanly)
{
	struct fixture f;
	uint64_t i, tables;
	int err = 0;

	setup(&f, 48, 4 * K, 8, 64 * K);
	for (i = 0; i < 64 && !err; i++) {
		tables = pt_nr_table_pages(&f.pt);
		err = pt_map(&f.pt, i * G, 0, PTE_USER);
		assert_pt_valid(&f.pt);
	}
	cr_assert_eq(err, -ENOMEM);
	/* 1 root + 1 PUD + 2 tables per GiB region: 7 regions fit in 16 pages */
	cr_expect_eq(i, 8);
	cr_expect_eq(pt_nr_table_pages(&f.pt), tables);
	cr_expect_eq(pt_nr_table_pages(&f.pt), 16);
	cr_expect_eq(f.pt.stats.alloc_fail, 1);
	cr_expect_eq(f.pt.stats.nr_mapped, 7);
	cr_expect_eq(pt_lookup(&f.pt, 7 * G, NULL), 0);
	teardown(&f);
}

/* ---- differential ------------------------------------------------- */

#define DIFF_SLOTS 4096

Test(pt, random_maps_and_unmaps_match_an_array_model, .timeout = 120)
{
	uint64_t seed = 20261204, rng = seed;
	static uint64_t model[DIFF_SLOTS];     /* slot -> pfn + 1, 0 = unmapped */
	uint64_t vas[DIFF_SLOTS];
	struct fixture f;

	TEST_SEED(seed);
	setup(&f, 48, 4 * K, 8, 256 * M);
	/* clustered and scattered pages: shared and private tables */
	for (int i = 0; i < DIFF_SLOTS; i++)
		vas[i] = i < DIFF_SLOTS / 2 ?
			0x555555554000ull + (uint64_t)i * 4 * K :
			(test_rand(&rng) & 0x7fffffffffffull) & ~(4 * K - 1);
	for (int op = 0; op < 100000; op++) {
		int s = (int)test_rand_below(&rng, DIFF_SLOTS);
		uint64_t va = vas[s], pfn = test_rand_below(&rng, f.zone.nr_frames);
		int err;

		switch (test_rand_below(&rng, 3)) {
		case 0:
		case 1:
			err = pt_map(&f.pt, va, pfn, PTE_USER);
			if (model[s]) {
				cr_assert_eq(err, -EEXIST);
			} else {
				cr_assert_eq(err, 0, "op %d map %#llx: %d", op,
					     (unsigned long long)va, err);
				model[s] = pfn + 1;
				/* a scattered va may repeat: one PTE for both */
				for (int o = 0; o < DIFF_SLOTS; o++)
					if (o != s && vas[o] == va)
						model[o] = pfn + 1;
			}
			break;
		default:
			cr_assert_eq(pt_unmap_range(&f.pt, va, va + 4 * K,
						    NULL, NULL), 0);
			for (int o = 0; o < DIFF_SLOTS; o++)
				if (vas[o] == va)
					model[o] = 0;
			break;
		}
		if (op % 997 == 0)
			assert_pt_valid(&f.pt);
	}
	assert_pt_valid(&f.pt);
	for (int s = 0; s < DIFF_SLOTS; s++) {
		uint64_t pte = pt_lookup(&f.pt, vas[s], NULL);

		if (model[s])
			cr_assert_eq(pte_pfn(&f.pt.g, pte) + 1, model[s],
				     "slot %d", s);
		else
			cr_assert_eq(pte, 0, "slot %d", s);
	}
	teardown(&f);
}
