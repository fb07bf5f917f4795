/*
 * test_seg.c - segmentation of sim/mmu (seg.c): flat mode (logical =
 * linear), and a segmented table of logical -> linear cases worked out by
 * hand, with limit, type, privilege and null-selector faults and an
 * expand-down stack segment.
 */
#include <errno.h>

#include "common.h"
#include "mmu/seg.h"

struct seg_case {
	unsigned idx;
	uint64_t offset;
	enum pt_access access;
	unsigned cpl;
	enum seg_result want;
	uint64_t linear;		/* when want == SEG_OK */
};

static void run_cases(const struct seg_table *t, const struct seg_case *c,
		      size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t lin = 0xdead;
		enum seg_result r = seg_translate(t, c[i].idx, c[i].offset,
						  c[i].access, c[i].cpl, &lin);

		cr_expect_eq(r, c[i].want, "case %zu (%s:%#llx): %s, want %s", i,
			     seg_name(c[i].idx), (unsigned long long)c[i].offset,
			     seg_result_name(r), seg_result_name(c[i].want));
		cr_expect_eq(lin, c[i].want == SEG_OK ? c[i].linear : 0xdead,
			     "case %zu: linear %#llx", i, (unsigned long long)lin);
	}
}

Test(seg, flat_mode_is_the_identity)
{
	struct seg_table t;
	static const struct seg_case c[] = {
		{ SEG_TEXT, 0x08048000, PT_EXEC, 3, SEG_OK, 0x08048000 },
		{ SEG_DATA, 0xbffff000, PT_WRITE, 3, SEG_OK, 0xbffff000 },
		{ SEG_STACK, 0xffffffff, PT_WRITE, 3, SEG_OK, 0xffffffff },
		{ SEG_DATA, 0x100000000ull, PT_READ, 3, SEG_ERR_LIMIT, 0 },
		{ SEG_TEXT, 0x1000, PT_WRITE, 3, SEG_ERR_TYPE, 0 },
		{ SEG_KDATA, 0xc0000000, PT_READ, 3, SEG_ERR_PRIV, 0 },
		{ SEG_KDATA, 0xc0000000, PT_WRITE, 0, SEG_OK, 0xc0000000 },
		{ SEG_NULL, 0, PT_READ, 3, SEG_ERR_NULL, 0 },
		{ 6, 0, PT_READ, 3, SEG_ERR_NOT_PRESENT, 0 },
		{ SEG_MAX, 0, PT_READ, 3, SEG_ERR_NULL, 0 },
	};

	cr_assert_eq(seg_table_init_flat(&t, 32), 0);
	run_cases(&t, c, sizeof(c) / sizeof(c[0]));
}

/*
 * The textbook picture: text at 4M (64K), data at 8M (1M), a 64K stack
 * whose top is 3G. The stack is expand-down: base 3G, valid offsets are
 * the last 64K of the 32-bit offset space (0xffff0000 .. 0xffffffff),
 * i.e. linear 3G-64K .. 3G-1.
 */
Test(seg, segmented_table_of_logical_to_linear)
{
	struct seg_table t;
	static const struct seg_case c[] = {
		{ SEG_TEXT, 0x0, PT_EXEC, 3, SEG_OK, 0x400000 },
		{ SEG_TEXT, 0xffff, PT_READ, 3, SEG_OK, 0x40ffff },
		{ SEG_TEXT, 0x10000, PT_EXEC, 3, SEG_ERR_LIMIT, 0 },
		{ SEG_TEXT, 0x100, PT_WRITE, 3, SEG_ERR_TYPE, 0 },
		{ SEG_DATA, 0x1234, PT_WRITE, 3, SEG_OK, 0x801234 },
		{ SEG_DATA, 0xfffff, PT_READ, 3, SEG_OK, 0x8fffff },
		{ SEG_DATA, 0x100000, PT_READ, 3, SEG_ERR_LIMIT, 0 },
		{ SEG_DATA, 0x10, PT_EXEC, 3, SEG_ERR_TYPE, 0 },
		{ SEG_STACK, 0xfffffffc, PT_WRITE, 3, SEG_OK, 0xbffffffc },
		{ SEG_STACK, 0xffff0000, PT_READ, 3, SEG_OK, 0xbfff0000 },
		{ SEG_STACK, 0xfffeffff, PT_READ, 3, SEG_ERR_LIMIT, 0 },
		{ SEG_STACK, 0x0, PT_READ, 3, SEG_ERR_LIMIT, 0 },
		{ SEG_KTEXT, 0xc0100000, PT_EXEC, 3, SEG_ERR_PRIV, 0 },
		{ SEG_KTEXT, 0xc0100000, PT_EXEC, 0, SEG_OK, 0xc0100000 },
	};

	cr_assert_eq(seg_table_init_segmented(&t, 32, 0x400000, 0x10000,
					      0x800000, 0x100000,
					      0xc0000000, 0x10000), 0);
	run_cases(&t, c, sizeof(c) / sizeof(c[0]));

	/* lowering an expand-down limit grows the stack downward */
	struct seg_desc s = t.d[SEG_STACK];
	s.limit -= 0x10000;
	cr_assert_eq(seg_set(&t, SEG_STACK, &s), 0);
	static const struct seg_case grown[] = {
		{ SEG_STACK, 0xfffeffff, PT_READ, 3, SEG_OK, 0xbffeffff },
		{ SEG_STACK, 0xfffe0000, PT_WRITE, 3, SEG_OK, 0xbffe0000 },
		{ SEG_STACK, 0xfffdffff, PT_READ, 3, SEG_ERR_LIMIT, 0 },
	};
	run_cases(&t, grown, sizeof(grown) / sizeof(grown[0]));
}

Test(seg, bad_tables_and_names)
{
	struct seg_table t;
	struct seg_desc d = { .base = 0, .limit = 0xfff, .type = SEG_TYPE_DATA,
			      .dpl = 3, .present = true, .writable = false };
	uint64_t lin;

	cr_expect_eq(seg_table_init_flat(&t, 0), -EINVAL);
	cr_expect_eq(seg_table_init_flat(&t, 65), -EINVAL);
	cr_expect_eq(seg_table_init_segmented(&t, 32, 0, 0, 0, 1, 1 << 20, 1),
		     -EINVAL);		/* empty text */
	cr_assert_eq(seg_table_init_flat(&t, 32), 0);
	cr_expect_eq(seg_set(&t, 0, &d), -EINVAL);
	cr_expect_eq(seg_set(&t, SEG_MAX, &d), -EINVAL);
	d.dpl = 4;
	cr_expect_eq(seg_set(&t, 6, &d), -EINVAL);
	d.dpl = 3;
	d.limit = 1ull << 32;
	cr_expect_eq(seg_set(&t, 6, &d), -EINVAL);
	d.limit = 0xfff;
	cr_assert_eq(seg_set(&t, 6, &d), 0);
	/* a read-only data segment */
	cr_expect_eq(seg_translate(&t, 6, 0x10, PT_WRITE, 3, &lin), SEG_ERR_TYPE);
	cr_expect_eq(seg_translate(&t, 6, 0x10, PT_READ, 3, &lin), SEG_OK);
	cr_expect_eq(seg_by_name("cs"), SEG_TEXT);
	cr_expect_eq(seg_by_name("ss"), SEG_STACK);
	cr_expect_eq(seg_by_name("ds"), SEG_DATA);
	cr_expect_eq(seg_by_name("6"), 6);
	cr_expect_eq(seg_by_name("gs"), -EINVAL);
	cr_expect_str_eq(seg_result_name(SEG_OK), "ok");
	cr_expect_str_eq(seg_name(SEG_STACK), "ss");
}
