/*
 * test_mm.c - the memory syscalls of sim/mm (mmap.c): exact layouts after
 * each kind of call, named after the Linux rule they check. The merge
 * cases carry the numbers of the table at the top of sim/mm/mmap.c.
 *
 * Layouts are compared as /proc/<pid>/maps text, so every test also checks
 * the printer. mm_validate runs after every call (the mm is created with
 * validation on).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "mm_common.h"

#define KB 1024ULL
#define MB (1024ULL * 1024)
#define PA (MAP_PRIVATE | MAP_ANONYMOUS)

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

/* The maps text of mm (caller frees). */
static char *maps(const struct mm_struct *mm)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	mm_print_maps(mm, f);
	fclose(f);
	return buf;
}

#define assert_maps(mm, expect)                                          \
	do {                                                             \
		char *got_ = maps(mm);                                   \
		cr_assert_str_eq(got_, expect, "maps:\n%s", got_);       \
		free(got_);                                              \
	} while (0)

static uint64_t do_mmap(struct mm_struct *mm, uint64_t addr, uint64_t len,
			int prot, int flags)
{
	uint64_t out = 0;

	cr_assert_eq(mm_mmap(mm, addr, len, prot, flags, NULL, 0, &out), 0,
		     "mmap(%#llx, %#llx)", (unsigned long long)addr,
		     (unsigned long long)len);
	return out;
}

#define A(x) "0000000" #x
#define LINE(s, e, perms) s "-" e " " perms " 00000000 00:00 0 \n"

/* --- mmap placement ------------------------------------------------ */

Test(mm, mmap_without_hint_goes_below_mmap_base_top_down)
{
	struct mm_struct *mm = new_mm();

	cr_assert_eq(do_mmap(mm, 0, 3 * PG, RW, PA), 0x7ffff7ffc000ULL);
	cr_assert_eq(do_mmap(mm, 0, PG, PROT_READ, PA), 0x7ffff7ffb000ULL);
	cr_assert_eq(mm_nr_vmas(mm), 2);
	mm_destroy(mm);
}

Test(mm, mmap_takes_the_highest_gap_that_fits)
{
	struct mm_struct *mm = new_mm();
	uint64_t top = 0x7ffff7fff000ULL;

	do_mmap(mm, top - 4 * PG, 4 * PG, RW, PAF);
	do_mmap(mm, top - 8 * PG, 2 * PG, PROT_READ, PAF);	/* 2-page hole above */
	do_mmap(mm, top - 24 * PG, 4 * PG, PROT_READ, PAF);	/* 12-page hole above */
	cr_assert_eq(do_mmap(mm, 0, 3 * PG, PROT_EXEC, PA), top - 11 * PG);
	cr_assert_eq(do_mmap(mm, 0, 2 * PG, PROT_EXEC, PA), top - 6 * PG);
	mm_destroy(mm);
}

Test(mm, mmap_len_zero_is_einval_and_unaligned_fixed_is_einval)
{
	struct mm_struct *mm = new_mm();
	uint64_t out;

	cr_assert_eq(mm_mmap(mm, 0, 0, RW, PA, NULL, 0, &out), -EINVAL);
	cr_assert_eq(mm_mmap(mm, 0x300000800, PG, RW, PAF, NULL, 0, &out), -EINVAL);
	cr_assert_eq(mm_mmap(mm, 0, PG, RW, PA, NULL, 100, &out), -EINVAL);
	cr_assert_eq(mm_mmap(mm, 0, PG, RW, MAP_ANONYMOUS, NULL, 0, &out), -EINVAL);
	cr_assert_eq(mm_mmap(mm, 0, PG, RW, MAP_PRIVATE, NULL, 0, &out), -EBADF);
	cr_assert_eq(mm_mmap(mm, 0x7ffffffff000, PG, RW, PAF, NULL, 0, &out), -ENOMEM);
	cr_assert_eq(mm_nr_vmas(mm), 0);
	mm_destroy(mm);
}

Test(mm, hint_is_used_when_free_and_ignored_when_taken)
{
	struct mm_struct *mm = new_mm();

	cr_assert_eq(do_mmap(mm, 0x300000000, 2 * PG, RW, PA), 0x300000000ULL);
	/* Taken: falls back to the top-down search. */
	cr_assert_eq(do_mmap(mm, 0x300001000, PG, PROT_READ, PA), 0x7ffff7ffe000ULL);
	/* An unaligned hint is rounded down; below mmap_min_addr, up. */
	cr_assert_eq(do_mmap(mm, 0x400000123, PG, PROT_READ, PA), 0x400000000ULL);
	cr_assert_eq(do_mmap(mm, 0x1000, PG, PROT_READ, PA), 0x10000ULL);
	mm_destroy(mm);
}

Test(mm, hint_inside_the_guard_gap_of_a_growsdown_vma_is_refused)
{
	struct mm_struct *mm = new_mm();

	do_mmap(mm, 0x300200000, PG, RW, PAF | MAP_GROWSDOWN);
	/* Ends 1 page below the stack: inside its 1 MiB guard gap. */
	cr_assert_neq(do_mmap(mm, 0x3001fe000, PG, RW, PA), 0x3001fe000ULL);
	/* Ends exactly at the guard gap: fine. */
	cr_assert_eq(do_mmap(mm, 0x3000ff000, PG, RW, PA), 0x3000ff000ULL);
	/* MAP_FIXED ignores the guard gap. */
	cr_assert_eq(do_mmap(mm, 0x3001ff000, PG, RW, PAF), 0x3001ff000ULL);
	mm_destroy(mm);
}

Test(mm, search_skips_every_gap_within_the_guard_distance_of_a_growsdown_vma)
{
	struct mm_struct *mm = new_mm();
	uint64_t top = 0x7ffff7fff000ULL;

	/* A growsdown VMA 16 pages below mmap_base, holes under it. */
	do_mmap(mm, top - 16 * PG, 4 * PG, PROT_READ, PAF | MAP_GROWSDOWN);
	do_mmap(mm, top - 40 * PG, 8 * PG, PROT_READ, PAF);
	/*
	 * 12 pages above the stack fit 8: taken. Then the search lands just
	 * below the growsdown VMA and, as Linux 6.x, restarts below its guard
	 * gap, skipping the 16-page hole between the two VMAs as well.
	 */
	cr_assert_eq(do_mmap(mm, 0, 8 * PG, RW, PA), top - 8 * PG);
	cr_assert_eq(do_mmap(mm, 0, 8 * PG, RW, PA),
		     top - 16 * PG - 1 * MB - 8 * PG);
	mm_destroy(mm);
}

Test(mm, fixed_noreplace_over_a_mapping_is_eexist)
{
	struct mm_struct *mm = new_mm();
	uint64_t out;

	do_mmap(mm, 0x300001000, PG, RW, PAF);
	cr_assert_eq(mm_mmap(mm, 0x300000000, 2 * PG, RW,
			     PA | MAP_FIXED_NOREPLACE, NULL, 0, &out), -EEXIST);
	cr_assert_eq(do_mmap(mm, 0x300002000, PG, PROT_READ,
			     PA | MAP_FIXED_NOREPLACE), 0x300002000ULL);
	mm_destroy(mm);
}

Test(mm, fixed_over_several_vmas_replaces_them_and_merges_with_the_rest)
{
	struct mm_struct *mm = new_mm();

	do_mmap(mm, 0x300000000, 4 * PG, RW, PAF);
	do_mmap(mm, 0x300001000, PG, PROT_READ, PAF);
	do_mmap(mm, 0x300004000, 2 * PG, PROT_EXEC, PAF);
	do_mmap(mm, 0x300007000, PG, PROT_NONE, PAF);
	/* Covers the tail of the first, all of the second, part of the third. */
	do_mmap(mm, 0x300002000, 6 * PG, RW, PAF);
	assert_maps(mm,
		    LINE("300000000", "300001000", "rw-p")
		    LINE("300001000", "300002000", "r--p")
		    LINE("300002000", "300008000", "rw-p"));
	mm_destroy(mm);
}

Test(mm, thp_sized_anonymous_mapping_is_2mib_aligned)
{
	struct mm_struct *mm = new_mm();
	uint64_t a = do_mmap(mm, 0, 2 * MB, RW, PA);

	/* 4 MiB searched, the aligned 2 MiB inside it taken. */
	cr_assert_eq(a & (2 * MB - 1), 0, "%#llx", (unsigned long long)a);
	cr_assert_eq(a, 0x7ffff7c00000ULL);
	/* Not a 2 MiB multiple: plain top-down (the 2 MiB - 4K above is too small). */
	cr_assert_eq(do_mmap(mm, 0, 3 * MB - PG, RW, PA) + 3 * MB - PG,
		     0x7ffff7c00000ULL);
	mm_destroy(mm);
}

Test(mm, legacy_layout_places_bottom_up_from_a_third_of_task_size)
{
	struct mm_params p;
	struct mm_struct *mm;

	mm_params_default(&p);
	p.legacy_layout = true;
	cr_assert_eq(mm_create(&p, &mm), 0);
	cr_assert_eq(do_mmap(mm, 0, PG, RW, PA), 0x2aaaaaaab000ULL);
	cr_assert_eq(do_mmap(mm, 0, PG, PROT_READ, PA), 0x2aaaaaaac000ULL);
	mm_destroy(mm);
}

Test(mm, fixed_at_zero_works_when_privileged_only)
{
	struct mm_params p;
	struct mm_struct *mm;
	uint64_t out;

	mm_params_default(&p);
	cr_assert_eq(mm_create(&p, &mm), 0);
	cr_assert_eq(mm_mmap(mm, 0, PG, RW, PAF, NULL, 0, &out), 0);
	cr_assert_eq(out, 0);
	mm_destroy(mm);
	p.privileged = false;
	cr_assert_eq(mm_create(&p, &mm), 0);
	cr_assert_eq(mm_mmap(mm, 0, PG, RW, PAF, NULL, 0, &out), -EPERM);
	mm_destroy(mm);
}

/* --- merging: new ranges (cases 1-3) ------------------------------- */

Test(mm, case1_new_range_merges_prev_and_next)
{
	struct mm_struct *mm = new_mm();

	do_mmap(mm, 0x300000000, 2 * PG, RW, PAF);
	do_mmap(mm, 0x300003000, 2 * PG, RW, PAF);
	do_mmap(mm, 0x300002000, PG, RW, PAF);
	assert_maps(mm, LINE("300000000", "300005000", "rw-p"));
	mm_destroy(mm);
}

Test(mm, case1_fails_on_anon_vmas_and_joins_only_prev)
{
	struct mm_struct *mm = new_mm();

	do_mmap(mm, 0x300000000, 2 * PG, RW, PAF);
	do_mmap(mm, 0x300003000, 2 * PG, RW, PAF);
	cr_assert_eq(mm_touch(mm, 0x300000000, true), 0);
	cr_assert_eq(mm_touch(mm, 0x300003000, true), 0);
	do_mmap(mm, 0x300002000, PG, RW, PAF);
	assert_maps(mm,
		    LINE("300000000", "300003000", "rw-p")
		    LINE("300003000", "300005000", "rw-p"));
	mm_destroy(mm);
}

Test(mm, case2_and_case3_merge_one_side)
{
	struct mm_struct *mm = new_mm();

	do_mmap(mm, 0x300000000, PG, RW, PAF);
	do_mmap(mm, 0x300001000, PG, RW, PAF);		/* case 2 */
	do_mmap(mm, 0x300005000, PG, PROT_READ, PAF);
	do_mmap(mm, 0x300004000, PG, PROT_READ, PAF);	/* case 3 */
	assert_maps(mm,
		    LINE("300000000", "300002000", "rw-p")
		    LINE("300004000", "300006000", "r--p"));
	mm_destroy(mm);
}

Test(mm, shared_anonymous_and_growsdown_and_map_stack_do_not_merge)
{
	struct mm_struct *mm = new_mm();

	do_mmap(mm, 0x300000000, PG, RW, PAF);
	do_mmap(mm, 0x300001000, PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED);
	do_mmap(mm, 0x300002000, PG, RW, PAF | MAP_GROWSDOWN);
	do_mmap(mm, 0x300003000, PG, RW, PAF | MAP_GROWSDOWN);	/* merges: both gd */
	do_mmap(mm, 0x300004000, PG, RW, PAF | MAP_STACK);
	do_mmap(mm, 0x300005000, PG, RW, PAF | MAP_NORESERVE);
	do_mmap(mm, 0x300006000, PG, RW, PAF);
	cr_assert_eq(mm_nr_vmas(mm), 6);
	mm_destroy(mm);
}

/* --- merging: existing ranges (cases 4-8) -------------------------- */

static struct mm_struct *three_vmas(void)
{
	struct mm_struct *mm = new_mm();

	do_mmap(mm, 0x300000000, 2 * PG, PROT_READ, PAF);
	do_mmap(mm, 0x300002000, 2 * PG, RW, PAF);
	do_mmap(mm, 0x300004000, 2 * PG, PROT_READ, PAF);
	cr_assert_eq(mm_nr_vmas(mm), 3);
	return mm;
}

Test(mm, case4_mprotect_of_the_middle_merges_all_three)
{
	struct mm_struct *mm = three_vmas();

	cr_assert_eq(mm_mprotect(mm, 0x300002000, 2 * PG, PROT_READ), 0);
	assert_maps(mm, LINE("300000000", "300006000", "r--p"));
	mm_destroy(mm);
}

Test(mm, case5_prev_takes_all_of_the_vma)
{
	struct mm_struct *mm = new_mm();

	do_mmap(mm, 0x300000000, 2 * PG, PROT_READ, PAF);
	do_mmap(mm, 0x300002000, 2 * PG, PROT_EXEC, PAF);
	cr_assert_eq(mm_mprotect(mm, 0x300002000, 2 * PG, PROT_READ), 0);
	assert_maps(mm, LINE("300000000", "300004000", "r--p"));
	mm_destroy(mm);
}

Test(mm, case6_prev_takes_the_head)
{
	struct mm_struct *mm = three_vmas();

	cr_assert_eq(mm_mprotect(mm, 0x300002000, PG, PROT_READ), 0);
	assert_maps(mm,
		    LINE("300000000", "300003000", "r--p")
		    LINE("300003000", "300004000", "rw-p")
		    LINE("300004000", "300006000", "r--p"));
	mm_destroy(mm);
}

Test(mm, case7_next_takes_all_of_the_vma)
{
	struct mm_struct *mm = new_mm();

	do_mmap(mm, 0x300000000, 2 * PG, PROT_EXEC, PAF);
	do_mmap(mm, 0x300002000, 2 * PG, PROT_READ, PAF);
	cr_assert_eq(mm_mprotect(mm, 0x300000000, 2 * PG, PROT_READ), 0);
	assert_maps(mm, LINE("300000000", "300004000", "r--p"));
	mm_destroy(mm);
}

Test(mm, case8_next_takes_the_tail)
{
	struct mm_struct *mm = three_vmas();

	cr_assert_eq(mm_mprotect(mm, 0x300003000, PG, PROT_READ), 0);
	assert_maps(mm,
		    LINE("300000000", "300002000", "r--p")
		    LINE("300002000", "300003000", "rw-p")
		    LINE("300003000", "300006000", "r--p"));
	mm_destroy(mm);
}

Test(mm, mprotect_in_the_middle_splits_in_three)
{
	struct mm_struct *mm = new_mm();

	do_mmap(mm, 0x300000000, 4 * PG, RW, PAF);
	cr_assert_eq(mm_mprotect(mm, 0x300001000, 2 * PG, PROT_NONE), 0);
	assert_maps(mm,
		    LINE("300000000", "300001000", "rw-p")
		    LINE("300001000", "300003000", "---p")
		    LINE("300003000", "300004000", "rw-p"));
	/* And back: both neighbours merge again (case 4, unwritten). */
	cr_assert_eq(mm_mprotect(mm, 0x300001000, 2 * PG, RW), 0);
	assert_maps(mm, LINE("300000000", "300004000", "rw-p"));
	mm_destroy(mm);
}

Test(mm, mprotect_to_the_same_flags_does_not_merge)
{
	struct mm_struct *mm = new_mm();
	struct mm_vma_desc d = { .start = 0x300000000, .end = 0x300001000,
				 .prot = RW };

	/* Two mergeable VMAs side by side, as a snapshot may show them. */
	cr_assert_eq(mm_import_vma(mm, &d), 0);
	d.start = 0x300001000;
	d.end = 0x300002000;
	cr_assert_eq(mm_import_vma(mm, &d), 0);
	cr_assert_eq(mm_mprotect(mm, 0x300000000, 2 * PG, RW), 0);
	cr_assert_eq(mm_nr_vmas(mm), 2);
	/* A real change merges them (case 5 after case 6). */
	cr_assert_eq(mm_mprotect(mm, 0x300000000, 2 * PG, PROT_READ), 0);
	cr_assert_eq(mm_nr_vmas(mm), 1);
	mm_destroy(mm);
}

Test(mm, mprotect_keeps_vm_account_of_a_written_vma)
{
	struct mm_struct *mm = new_mm();

	/* Unwritten: RW -> R drops VM_ACCOUNT, R -> RW adds it: merges. */
	do_mmap(mm, 0x300000000, 2 * PG, PROT_READ, PAF);
	do_mmap(mm, 0x300002000, 2 * PG, RW, PAF);
	cr_assert_eq(mm_mprotect(mm, 0x300002000, 2 * PG, PROT_READ), 0);
	cr_assert_eq(mm_nr_vmas(mm), 1);

	/* Written: RW -> R keeps VM_ACCOUNT, so it cannot join the R VMA. */
	do_mmap(mm, 0x300006000, 2 * PG, PROT_READ, PAF);
	do_mmap(mm, 0x300008000, 2 * PG, RW, PAF);
	cr_assert_eq(mm_touch(mm, 0x300008000, true), 0);
	cr_assert_eq(mm_mprotect(mm, 0x300008000, 2 * PG, PROT_READ), 0);
	assert_maps(mm,
		    LINE("300000000", "300004000", "r--p")
		    LINE("300006000", "300008000", "r--p")
		    LINE("300008000", "30000a000", "r--p"));
	mm_destroy(mm);
}

Test(mm, mprotect_over_a_hole_is_enomem_with_the_part_before_changed)
{
	struct mm_struct *mm = new_mm();

	do_mmap(mm, 0x300000000, 2 * PG, RW, PAF);
	do_mmap(mm, 0x300003000, PG, RW, PAF);
	cr_assert_eq(mm_mprotect(mm, 0x300001000, 3 * PG, PROT_READ), -ENOMEM);
	assert_maps(mm,
		    LINE("300000000", "300001000", "rw-p")
		    LINE("300001000", "300002000", "r--p")
		    LINE("300003000", "300004000", "rw-p"));
	/* Starting in a hole changes nothing. */
	cr_assert_eq(mm_mprotect(mm, 0x300002000, 2 * PG, PROT_NONE), -ENOMEM);
	cr_assert_eq(mm_nr_vmas(mm), 3);
	cr_assert_eq(mm_mprotect(mm, 0x300000800, PG, PROT_NONE), -EINVAL);
	cr_assert_eq(mm_mprotect(mm, 0x300000000, 0, PROT_NONE), 0);
	mm_destroy(mm);
}

Test(mm, mprotect_beyond_vm_may_bits_is_eacces)
{
	struct mm_struct *mm = new_mm();
	struct mm_file *f = mm_file_new("/lib/x.so", 8, 1, 42, MM_FILE_READ);
	uint64_t a;

	cr_assert_eq(mm_mmap(mm, 0, 2 * PG, PROT_READ, MAP_SHARED, f, 0, &a), 0);
	cr_assert_eq(mm_mprotect(mm, a, PG, RW), -EACCES);
	cr_assert_eq(mm_mmap(mm, 0, PG, RW, MAP_SHARED, f, 0, &a), -EACCES);
	mm_file_put(f);
	mm_destroy(mm);
}

/* --- munmap -------------------------------------------------------- */

Test(mm, munmap_splits_at_the_edges)
{
	struct mm_struct *mm = new_mm();

	do_mmap(mm, 0x300000000, 4 * PG, RW, PAF);
	do_mmap(mm, 0x300004000, 2 * PG, PROT_READ, PAF);
	cr_assert_eq(mm_munmap(mm, 0x300001000, 4 * PG), 0);
	assert_maps(mm,
		    LINE("300000000", "300001000", "rw-p")
		    LINE("300005000", "300006000", "r--p"));
	cr_assert_eq(mm_munmap(mm, 0x300010000, PG), 0);	/* nothing there */
	cr_assert_eq(mm_munmap(mm, 0x300000800, PG), -EINVAL);
	cr_assert_eq(mm_munmap(mm, 0x300000000, 0), -EINVAL);
	mm_destroy(mm);
}

Test(mm, split_at_max_map_count_is_enomem)
{
	struct mm_params p;
	struct mm_struct *mm;
	uint64_t out;

	mm_params_default(&p);
	p.max_map_count = 3;
	cr_assert_eq(mm_create(&p, &mm), 0);
	do_mmap(mm, 0x300000000, 8 * PG, RW, PAF);
	do_mmap(mm, 0x300010000, PG, PROT_READ, PAF);
	do_mmap(mm, 0x300020000, PG, PROT_READ, PAF);
	/* A middle split would make 4 > 3. */
	cr_assert_eq(mm_munmap(mm, 0x300001000, PG), -ENOMEM);
	cr_assert_eq(mm_mprotect(mm, 0x300001000, PG, PROT_READ), -ENOMEM);
	/* Trimming an edge does not add a VMA. */
	cr_assert_eq(mm_munmap(mm, 0x300000000, PG), 0);
	cr_assert_eq(mm_nr_vmas(mm), 3);
	/* mmap checks map_count > max before placing. */
	do_mmap(mm, 0x300030000, PG, PROT_EXEC, PAF);
	cr_assert_eq(mm_mmap(mm, 0x300040000, PG, RW, PAF, NULL, 0, &out), -ENOMEM);
	mm_destroy(mm);
}

Test(mm, address_space_limit_is_enomem)
{
	struct mm_params p;
	struct mm_struct *mm;
	uint64_t out;

	mm_params_default(&p);
	p.address_space_limit = 4 * PG;
	cr_assert_eq(mm_create(&p, &mm), 0);
	do_mmap(mm, 0x300000000, 3 * PG, RW, PAF);
	cr_assert_eq(mm_mmap(mm, 0, 2 * PG, RW, PA, NULL, 0, &out), -ENOMEM);
	/* Replacing mapped pages does not grow the space. */
	cr_assert_eq(mm_mmap(mm, 0x300000000, 4 * PG, RW, PAF, NULL, 0, &out), 0);
	mm_destroy(mm);
}

/* --- shared anonymous ---------------------------------------------- */

Test(mm, shared_anonymous_prints_dev_zero_with_its_own_offset)
{
	struct mm_struct *mm = new_mm();
	char *m;

	do_mmap(mm, 0x300000000, 4 * PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED);
	cr_assert_eq(mm_munmap(mm, 0x300000000, 2 * PG), 0);
	m = maps(mm);
	cr_assert_eq(strncmp(m, "300002000-300004000 rw-s 00002000 00:01 ", 40), 0,
		     "%s", m);
	cr_assert_neq(strstr(m, "/dev/zero (deleted)\n"), NULL, "%s", m);
	free(m);
	mm_destroy(mm);
}

/* --- brk ----------------------------------------------------------- */

static struct mm_struct *with_heap(uint64_t start_brk)
{
	struct mm_struct *mm = new_mm();
	struct mm_vma_desc bss = {
		.start = start_brk - 2 * PG, .end = start_brk, .prot = RW,
	};

	cr_assert_eq(mm_import_vma(mm, &bss), 0);
	mm_set_brk(mm, start_brk, start_brk);
	return mm;
}

static uint64_t brk(struct mm_struct *mm, uint64_t b)
{
	uint64_t out = 0;

	cr_assert_eq(mm_brk(mm, b, &out), 0);
	return out;
}

Test(mm, brk_grows_and_shrinks_the_heap_and_names_it)
{
	struct mm_struct *mm = with_heap(0x555555b3e000);

	cr_assert_eq(brk(mm, 0), 0x555555b3e000ULL);		/* query */
	cr_assert_eq(brk(mm, 0x555555b41000), 0x555555b41000ULL);
	cr_assert_eq(brk(mm, 0x555555b3f005), 0x555555b3f005ULL);
	assert_maps(mm,
		    LINE("555555b3c000", "555555b3e000", "rw-p")
		    "555555b3e000-555555b40000 rw-p 00000000 00:00 0"
		    "                          [heap]\n");
	cr_assert_eq(brk(mm, 0x555555b3d000), 0x555555b3f005ULL);	/* below start */
	cr_assert_eq(brk(mm, 0x555555b3e000), 0x555555b3e000ULL);
	cr_assert_eq(mm_nr_vmas(mm), 1);
	/* Nothing to free: refused, the break stays. */
	mm_set_brk(mm, 0x555555b3e000, 0x555555b40000);
	cr_assert_eq(brk(mm, 0x555555b3e000), 0x555555b40000ULL);
	mm_destroy(mm);
}

Test(mm, brk_from_an_empty_heap_does_not_merge_with_bss)
{
	struct mm_struct *mm = with_heap(0x555555b3e000);

	brk(mm, 0x555555b40000);
	cr_assert_eq(mm_nr_vmas(mm), 2);
	brk(mm, 0x555555b42000);			/* grows the heap VMA */
	cr_assert_eq(mm_nr_vmas(mm), 2);
	mm_destroy(mm);
}

/* Found in review: a break past task_size (or one whose page rounding
 * wraps) is refused, as Linux's check_brk_limits does, not a VMA that
 * wraps around the address space. */
Test(mm, brk_past_task_size_is_refused)
{
	struct mm_struct *mm = with_heap(0x555555b3e000);

	cr_assert_eq(brk(mm, 0xffffffffffff0000), 0x555555b3e000ULL);
	cr_assert_eq(brk(mm, 0xfffffffffffff001), 0x555555b3e000ULL);
	cr_assert_eq(brk(mm, 0x800000000000), 0x555555b3e000ULL);
	cr_assert_eq(mm_nr_vmas(mm), 1);
	mm_destroy(mm);
}

Test(mm, brk_needs_a_free_page_and_the_guard_gap_above)
{
	struct mm_struct *mm = with_heap(0x555555b3e000);

	do_mmap(mm, 0x555555b41000, PG, PROT_READ, PAF);
	cr_assert_eq(brk(mm, 0x555555b41000), 0x555555b3e000ULL);
	cr_assert_eq(brk(mm, 0x555555b40000), 0x555555b40000ULL);
	cr_assert_eq(brk(mm, 0x555555b40001), 0x555555b40000ULL);
	cr_assert_eq(mm_munmap(mm, 0x555555b41000, PG), 0);
	brk(mm, 0x555555b3e000);
	do_mmap(mm, 0x555555d3e000, PG, RW, PAF | MAP_GROWSDOWN);
	cr_assert_eq(brk(mm, 0x555555c3e000), 0x555555b3e000ULL);
	cr_assert_eq(brk(mm, 0x555555c3d000), 0x555555c3d000ULL);
	mm_destroy(mm);
}

/* --- mremap -------------------------------------------------------- */

Test(mm, mremap_grows_in_place_when_free_and_moves_otherwise)
{
	struct mm_struct *mm = new_mm();
	uint64_t out;

	do_mmap(mm, 0x300000000, 2 * PG, RW, PAF);
	cr_assert_eq(mm_mremap(mm, 0x300000000, 2 * PG, 4 * PG, 0, 0, &out), 0);
	cr_assert_eq(out, 0x300000000ULL);
	assert_maps(mm, LINE("300000000", "300004000", "rw-p"));
	do_mmap(mm, 0x300004000, PG, PROT_READ, PAF);
	cr_assert_eq(mm_mremap(mm, 0x300000000, 4 * PG, 8 * PG, 0, 0, &out), -ENOMEM);
	cr_assert_eq(mm_mremap(mm, 0x300000000, 4 * PG, 8 * PG,
			       MREMAP_MAYMOVE, 0, &out), 0);
	cr_assert_eq(out, 0x7ffff7ff7000ULL);
	assert_maps(mm,
		    LINE("300004000", "300005000", "r--p")
		    LINE("7ffff7ff7000", "7ffff7fff000", "rw-p"));
	mm_destroy(mm);
}

Test(mm, mremap_shrinks_in_place_and_moves_to_a_fixed_address)
{
	struct mm_struct *mm = new_mm();
	uint64_t out;

	do_mmap(mm, 0x300000000, 4 * PG, RW, PAF);
	cr_assert_eq(mm_mremap(mm, 0x300000000, 4 * PG, PG, 0, 0, &out), 0);
	cr_assert_eq(out, 0x300000000ULL);
	do_mmap(mm, 0x400000000, PG, PROT_READ, PAF);
	cr_assert_eq(mm_mremap(mm, 0x300000000, PG, 2 * PG,
			       MREMAP_MAYMOVE | MREMAP_FIXED, 0x400000000, &out), 0);
	cr_assert_eq(out, 0x400000000ULL);
	assert_maps(mm, LINE("400000000", "400002000", "rw-p"));
	cr_assert_eq(mm_mremap(mm, 0x300000000, PG, PG, 0, 0, &out), -EFAULT);
	cr_assert_eq(mm_mremap(mm, 0x400000000, PG, 2 * PG, MREMAP_FIXED,
			       0x500000000, &out), -EINVAL);
	cr_assert_eq(mm_mremap(mm, 0x400000000, 3 * PG, 4 * PG, MREMAP_MAYMOVE,
			       0, &out), -EFAULT);
	mm_destroy(mm);
}

Test(mm, mremap_dontunmap_leaves_the_old_range_mapped)
{
	struct mm_struct *mm = new_mm();
	uint64_t out;

	do_mmap(mm, 0x300000000, 2 * PG, RW, PAF);
	cr_assert_eq(mm_touch(mm, 0x300000000, true), 0);
	cr_assert_eq(mm_mremap(mm, 0x300000000, 2 * PG, 2 * PG,
			       MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0, &out), 0);
	cr_assert_eq(out, 0x7ffff7ffd000ULL);
	cr_assert_eq(mm_nr_vmas(mm), 2);
	mm_destroy(mm);
}

/* --- madvise ------------------------------------------------------- */

Test(mm, madvise_dontfork_splits_and_blocks_merges_dontneed_keeps)
{
	struct mm_struct *mm = new_mm();

	do_mmap(mm, 0x300000000, 4 * PG, RW, PAF);
	cr_assert_eq(mm_madvise(mm, 0x300001000, PG, MADV_DONTFORK), 0);
	cr_assert_eq(mm_nr_vmas(mm), 3);
	cr_assert_eq(mm_madvise(mm, 0x300000000, 4 * PG, MADV_DONTNEED), 0);
	cr_assert_eq(mm_nr_vmas(mm), 3);
	cr_assert_eq(mm_madvise(mm, 0x300001000, PG, MADV_DOFORK), 0);
	cr_assert_eq(mm_nr_vmas(mm), 1);
	cr_assert_eq(mm_madvise(mm, 0x300000000, PG, 12345), -EINVAL);
	/* Past a hole: applied to what is mapped, -ENOMEM at the end. */
	do_mmap(mm, 0x300005000, PG, RW, PAF);
	cr_assert_eq(mm_madvise(mm, 0x300003000, 3 * PG, MADV_DONTFORK), -ENOMEM);
	cr_assert_eq(mm_nr_vmas(mm), 3);
	mm_destroy(mm);
}

Test(mm, dontfork_vmas_are_not_copied_by_fork)
{
	struct mm_struct *mm = new_mm(), *child;

	do_mmap(mm, 0x300000000, 4 * PG, RW, PAF);
	cr_assert_eq(mm_madvise(mm, 0x300001000, PG, MADV_DONTFORK), 0);
	cr_assert_eq(mm_dup(mm, &child), 0);
	assert_maps(child,
		    LINE("300000000", "300001000", "rw-p")
		    LINE("300002000", "300004000", "rw-p"));
	mm_destroy(child);
	mm_destroy(mm);
}

/* --- faults -------------------------------------------------------- */

Test(mm, touch_below_a_growsdown_vma_grows_it)
{
	struct mm_struct *mm = new_mm();

	do_mmap(mm, 0x300100000, PG, RW, PAF | MAP_GROWSDOWN);
	cr_assert_eq(mm_touch(mm, 0x3000fe123, true), 0);
	assert_maps(mm, LINE("3000fe000", "300101000", "rw-p"));
	cr_assert_eq(mm_touch(mm, 0x200000000, false), -EFAULT);
	do_mmap(mm, 0x400000000, PG, PROT_READ, PAF);
	cr_assert_eq(mm_touch(mm, 0x400000000, true), -EACCES);
	cr_assert_eq(mm_touch(mm, 0x400000000, false), 0);
	mm_destroy(mm);
}

Test(mm, a_first_write_reuses_a_compatible_neighbours_anon_vma)
{
	struct mm_struct *mm = new_mm();

	/* rw- and rwx halves: written one after the other, one anon_vma. */
	do_mmap(mm, 0x300000000, 2 * PG, RW, PAF);
	do_mmap(mm, 0x300002000, 2 * PG, RW | PROT_EXEC, PAF);
	cr_assert_eq(mm_touch(mm, 0x300000000, true), 0);
	cr_assert_eq(mm_touch(mm, 0x300002000, true), 0);
	cr_assert_eq(mm_mprotect(mm, 0x300002000, 2 * PG, RW), 0);
	cr_assert_eq(mm_nr_vmas(mm), 1);

	/* Written apart (not adjacent then): two anon_vmas, no merge. */
	do_mmap(mm, 0x300010000, 2 * PG, RW, PAF);
	do_mmap(mm, 0x300013000, 2 * PG, RW | PROT_EXEC, PAF);
	cr_assert_eq(mm_touch(mm, 0x300010000, true), 0);
	cr_assert_eq(mm_touch(mm, 0x300013000, true), 0);
	do_mmap(mm, 0x300012000, PG, RW, PAF);		/* joins the left one */
	cr_assert_eq(mm_mprotect(mm, 0x300013000, 2 * PG, RW), 0);
	assert_maps(mm,
		    LINE("300000000", "300004000", "rw-p")
		    LINE("300010000", "300013000", "rw-p")
		    LINE("300013000", "300015000", "rw-p"));
	mm_destroy(mm);
}
