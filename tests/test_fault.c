/*
 * test_fault.c - the pages of an address space (sim/mm/fault.c): page
 * faults drawing frames and table pages from the buddy allocator, SIGSEGV
 * cases, stack growth, and the pages following munmap, mprotect, mremap,
 * MADV_DONTNEED and exit; everything given back exactly.
 */
#include <errno.h>
#include <sys/mman.h>

#include "mm_common.h"
#include "phys/buddy.h"

#define PA (MAP_PRIVATE | MAP_ANONYMOUS)

struct fx {
	struct zone zone;
	struct mm_struct *mm;
	uint64_t free0;		/* free frames before the page table */
};

static void setup(struct fx *f, uint64_t memory)
{
	struct pt_geometry g;

	cr_assert_eq(buddy_init(&f->zone, memory, PG, 10), 0);
	f->free0 = f->zone.nr_free_pages;
	f->mm = new_mm();
	cr_assert_eq(pt_geometry_init(&g, 48, PG, 8, 0), 0);
	cr_assert_eq(mm_attach_pt(f->mm, &f->zone, &g, 1), 0);
	cr_assert_eq(mm_attach_pt(f->mm, &f->zone, &g, 1), -EEXIST);
}

static void teardown(struct fx *f)
{
	char why[256];

	cr_assert_eq(pt_validate(mm_pt(f->mm), why, sizeof(why)), 0, "%s", why);
	mm_destroy(f->mm);
	cr_assert_eq(f->zone.nr_free_pages, f->free0, "frames not given back");
	buddy_destroy(&f->zone);
}

static uint64_t fault(struct fx *f, uint64_t addr, enum pt_access a)
{
	uint64_t pfn = ~0ull;

	cr_assert_eq(mm_fault(f->mm, addr, a, &pfn), 0, "fault at %#llx",
		     (unsigned long long)addr);
	return pfn;
}

Test(fault, touching_n_pages_takes_n_frames_and_the_tables_for_them)
{
	struct fx f;
	uint64_t a, after_root;

	setup(&f, 16 * 1024 * 1024);
	after_root = f.zone.nr_free_pages;
	cr_assert_eq(mm_mmap(f.mm, 0, 16 * PG, RW, PA, NULL, 0, &a), 0);
	for (int i = 0; i < 16; i++)
		fault(&f, a + i * PG + 8, PT_WRITE);
	cr_expect_eq(mm_fault_stats(f.mm)->pgfault, 16);
	cr_expect_eq(mm_rss_pages(f.mm), 16);
	/* 16 pages below mmap_base share one leaf: root + 3 tables */
	cr_expect_eq(pt_nr_table_pages(mm_pt(f.mm)), 4);
	cr_expect_eq(after_root - f.zone.nr_free_pages, 16 + 3);
	/* the PTE: user, writable, not executable */
	uint64_t pte = pt_lookup(mm_pt(f.mm), a, NULL);
	cr_expect_eq(pte & (PTE_USER | PTE_WRITE | PTE_NX),
		     PTE_USER | PTE_WRITE | PTE_NX);

	/* munmap of the upper half gives 8 frames back, the tables stay */
	cr_assert_eq(mm_munmap(f.mm, a + 8 * PG, 8 * PG), 0);
	cr_expect_eq(mm_rss_pages(f.mm), 8);
	cr_expect_eq(mm_fault_stats(f.mm)->pgfree, 8);
	cr_expect_eq(after_root - f.zone.nr_free_pages, 8 + 3);
	/* the rest goes, and the empty tables with it */
	cr_assert_eq(mm_munmap(f.mm, a, 8 * PG), 0);
	cr_expect_eq(pt_nr_table_pages(mm_pt(f.mm)), 1);
	cr_expect_eq(f.zone.nr_free_pages, after_root);
	teardown(&f);
}

Test(fault, accesses_outside_a_vma_or_its_flags_are_sigsegv)
{
	struct fx f;
	uint64_t ro, none, pfn;

	setup(&f, 1024 * 1024);
	cr_assert_eq(mm_mmap(f.mm, 0, PG, PROT_READ, PA, NULL, 0, &ro), 0);
	cr_assert_eq(mm_mmap(f.mm, 0, PG, PROT_NONE, PA, NULL, 0, &none), 0);
	cr_expect_eq(mm_fault(f.mm, 0x10000, PT_READ, &pfn), -EFAULT);
	cr_expect_eq(mm_fault(f.mm, ro, PT_WRITE, &pfn), -EACCES);
	cr_expect_eq(mm_fault(f.mm, ro, PT_EXEC, &pfn), -EACCES);
	cr_expect_eq(mm_fault(f.mm, none, PT_READ, &pfn), -EACCES);
	cr_expect_eq(mm_fault_stats(f.mm)->segv, 4);
	cr_expect_eq(mm_fault_stats(f.mm)->pgfault, 0);
	cr_expect_eq(mm_rss_pages(f.mm), 0);
	/* a read of the read-only page is fine: no write bit in its PTE */
	fault(&f, ro, PT_READ);
	cr_expect_eq(pt_lookup(mm_pt(f.mm), ro, NULL) & PTE_WRITE, 0);
	teardown(&f);
}

Test(fault, a_fault_below_a_growsdown_stack_grows_it)
{
	struct fx f;
	uint64_t top = 0x7ffffffff000ull, s;

	setup(&f, 1024 * 1024);
	cr_assert_eq(mm_mmap(f.mm, top - 4 * PG, 4 * PG, RW,
			     PA | MAP_FIXED | MAP_GROWSDOWN, NULL, 0, &s), 0);
	fault(&f, top - 6 * PG + 16, PT_WRITE);
	cr_expect_eq(vma_start(mm_find_vma(f.mm, top - PG)), top - 6 * PG);
	cr_expect_eq(mm_rss_pages(f.mm), 1);
	teardown(&f);
}

Test(fault, pages_follow_mprotect_mremap_and_dontneed)
{
	struct fx f;
	uint64_t a, b, pfn0, pte;
	unsigned levels;

	setup(&f, 1024 * 1024);
	cr_assert_eq(mm_mmap(f.mm, 0, 4 * PG, RW, PA, NULL, 0, &a), 0);
	pfn0 = fault(&f, a, PT_WRITE);
	fault(&f, a + PG, PT_WRITE);
	/* mprotect read-only: the walk now refuses a write */
	cr_assert_eq(mm_mprotect(f.mm, a, 4 * PG, PROT_READ), 0);
	cr_expect_eq(pt_walk(mm_pt(f.mm), a, PT_WRITE, true, &pte, &levels),
		     -EACCES);
	cr_assert_eq(mm_mprotect(f.mm, a, 4 * PG, RW), 0);
	cr_expect_eq(pt_walk(mm_pt(f.mm), a, PT_WRITE, true, &pte, &levels), 0);
	/* mremap moves the pages with the mapping (a blocker sits above) */
	cr_assert_eq(mm_mmap(f.mm, a + 4 * PG, PG, PROT_READ, PA | MAP_FIXED,
			     NULL, 0, &b), 0);
	cr_assert_eq(mm_mremap(f.mm, a, 4 * PG, 64 * PG, MREMAP_MAYMOVE, 0, &b),
		     0);
	cr_assert_neq(b, a);
	cr_expect_eq(pte_pfn(&mm_pt(f.mm)->g, pt_lookup(mm_pt(f.mm), b, NULL)),
		     pfn0);
	cr_expect_eq(pt_lookup(mm_pt(f.mm), a, NULL), 0);
	cr_expect_eq(mm_rss_pages(f.mm), 2);
	/* MADV_DONTNEED drops them, the VMA stays */
	cr_assert_eq(mm_madvise(f.mm, b, 64 * PG, MADV_DONTNEED), 0);
	cr_expect_eq(mm_rss_pages(f.mm), 0);
	cr_expect_eq(mm_nr_vmas(f.mm), 2);
	teardown(&f);
}

/*
 * 64K of memory is 16 frames: the root and three tables take 4, so 12
 * pages fault in and the 13th is out of memory, counted, nothing leaked.
 */
Test(fault, out_of_memory_is_counted_and_leaks_nothing)
{
	struct fx f;
	uint64_t a, pfn;
	int i, err = 0;

	setup(&f, 64 * 1024);
	cr_assert_eq(mm_mmap(f.mm, 0, 32 * PG, RW, PA, NULL, 0, &a), 0);
	for (i = 0; i < 32 && !err; i++)
		err = mm_fault(f.mm, a + i * PG, PT_WRITE, &pfn);
	cr_expect_eq(err, -ENOMEM);
	cr_expect_eq(i, 13);
	cr_expect_eq(mm_rss_pages(f.mm), 12);
	cr_expect_eq(mm_fault_stats(f.mm)->oom, 1);
	cr_expect_eq(f.zone.nr_free_pages, 0);
	teardown(&f);
}
