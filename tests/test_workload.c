/*
 * test_workload.c - the workload language parser (sim/io/workload.c).
 *
 * Each operation form is parsed to its exact struct op fields; repeat
 * blocks to their exact OP_REPEAT/OP_END links; header lines to struct
 * wl_header. Each kind of bad input (fixtures in tests/fixtures/bad/, NAME.wl)
 * gives its exact "file:line:col: error: ..." text, and an error leaves
 * the program empty.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "common.h"
#include "diag_capture.h"
#include "io/diag.h"
#include "io/workload.h"
#include "core/gen.h"
#include "mmu/pt.h"

TestSuite(workload);


static struct program prog;
static struct wl_header hdr;

static void parse_ok(const char *text)
{
	diag_capture();
	cr_assert_eq(wl_parse_string("t.wl", text, &prog, &hdr), 0,
		     "parse failed: %s", diag_text());
	assert_diag("");
}

static void cleanup(void)
{
	program_free(&prog);
	wl_header_free(&hdr);
	diag_reset();
}

static uint32_t id_of(const char *name)
{
	for (uint32_t i = 0; i < prog.nr_names; i++)
		if (!strcmp(prog.names[i], name))
			return i;
	cr_assert_fail("name %s not interned", name);
	return NAME_NONE;
}

#define assert_op(i, k, l, c) do {					\
	const struct op *o_ = &prog.ops[i];				\
	cr_assert_eq(o_->kind, (k), "op %d kind %u", (int)(i), o_->kind);	\
	cr_assert_eq(o_->line, (l), "op %d line %u", (int)(i), o_->line);	\
	cr_assert_eq(o_->col, (c), "op %d col %u", (int)(i), o_->col);	\
} while (0)

#define assert_ref(r, name, idx, dep) do {				\
	cr_assert_eq((r).id, id_of(name));				\
	cr_assert_eq((r).indexed, (idx));				\
	cr_assert_eq((r).depth, (dep));					\
} while (0)

/* ---- operation forms ---- */

Test(workload, kalloc_both_forms, .fini = cleanup)
{
	parse_ok("kalloc A 34K\n"
		 "  B = kalloc 0x10800   # 66K\n"
		 "kfree A\n");
	cr_assert_eq(prog.nr_ops, 3);
	cr_assert_str_eq(prog.file, "t.wl");
	assert_op(0, OP_KALLOC, 1, 1);
	assert_ref(prog.ops[0].def, "A", false, 0);
	cr_assert_eq(prog.ops[0].ref.id, NAME_NONE);
	cr_assert_eq(prog.ops[0].arg[0], 34816);
	assert_op(1, OP_KALLOC, 2, 7);     /* the column of the keyword */
	assert_ref(prog.ops[1].def, "B", false, 0);
	cr_assert_eq(prog.ops[1].arg[0], 67584);
	assert_op(2, OP_KFREE, 3, 1);
	assert_ref(prog.ops[2].ref, "A", false, 0);
	cr_assert_eq(prog.ops[2].def.id, NAME_NONE);
	cr_assert_eq(prog.nr_names, 2);
	cr_assert_eq(prog.max_depth, 0);
}

Test(workload, dump_sleep_and_at, .fini = cleanup)
{
	parse_ok("dump buddyinfo\n"
		 "dump fragindex\n"
		 "dump maps\n"
		 "sleep 10us\n"
		 "@ 2ms\n"
		 "@1s dump buddyinfo\n"
		 "  @ 500 kalloc X 1\n");
	cr_assert_eq(prog.nr_ops, 9);
	assert_op(0, OP_DUMP, 1, 1);
	cr_assert_eq(prog.ops[0].arg[0], DUMP_BUDDYINFO);
	cr_assert_eq(prog.ops[1].arg[0], DUMP_FRAGINDEX);
	cr_assert_eq(prog.ops[2].arg[0], DUMP_MAPS);
	assert_op(3, OP_SLEEP, 4, 1);
	cr_assert_eq(prog.ops[3].arg[0], 10000);
	assert_op(4, OP_AT, 5, 1);
	cr_assert_eq(prog.ops[4].arg[0], 2000000);
	/* `@TIME op` is an OP_AT followed by the op, both on that line */
	assert_op(5, OP_AT, 6, 1);
	cr_assert_eq(prog.ops[5].arg[0], 1000000000);
	assert_op(6, OP_DUMP, 6, 5);
	assert_op(7, OP_AT, 7, 3);
	cr_assert_eq(prog.ops[7].arg[0], 500);
	assert_op(8, OP_KALLOC, 7, 9);
	assert_ref(prog.ops[8].def, "X", false, 0);
	cr_assert_eq(prog.ops[8].arg[0], 1);
}

Test(workload, mmap_forms, .fini = cleanup)
{
	parse_ok("m = mmap any 8K rw private,anon\n"
		 "f = mmap 0x400000 4K r-x MAP_PRIVATE|MAP_FIXED file \"/bin/ls\" 8K\n"
		 "g = mmap m+4K 1M PROT_READ|PROT_WRITE shared,anonymous,noreserve\n"
		 "s = mmap any 128K none private,anon,growsdown,stack\n"
		 "h = mmap any 4K --- shared file data.bin\n");
	cr_assert_eq(prog.nr_ops, 5);
	assert_op(0, OP_MMAP, 1, 5);
	assert_ref(prog.ops[0].def, "m", false, 0);
	cr_assert(prog.ops[0].addr.any);
	cr_assert_eq(prog.ops[0].addr.name.id, NAME_NONE);
	cr_assert_eq(prog.ops[0].arg[0], 8192);
	cr_assert_eq(prog.ops[0].arg[1], PROT_READ | PROT_WRITE);
	cr_assert_eq(prog.ops[0].arg[2], MAP_PRIVATE | MAP_ANONYMOUS);
	cr_assert_null(prog.ops[0].path);

	cr_assert_not(prog.ops[1].addr.any);
	cr_assert_eq(prog.ops[1].addr.value, 0x400000);
	cr_assert_eq(prog.ops[1].addr.name.id, NAME_NONE);
	cr_assert_eq(prog.ops[1].arg[1], PROT_READ | PROT_EXEC);
	cr_assert_eq(prog.ops[1].arg[2], MAP_PRIVATE | MAP_FIXED);
	cr_assert_str_eq(prog.ops[1].path, "/bin/ls");
	cr_assert_eq(prog.ops[1].arg[3], 8192);

	assert_ref(prog.ops[2].addr.name, "m", false, 0);
	cr_assert_eq(prog.ops[2].addr.value, 4096);
	cr_assert_eq(prog.ops[2].arg[0], 1 << 20);
	cr_assert_eq(prog.ops[2].arg[1], PROT_READ | PROT_WRITE);
	cr_assert_eq(prog.ops[2].arg[2], MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE);

	cr_assert_eq(prog.ops[3].arg[1], PROT_NONE);
	cr_assert_eq(prog.ops[3].arg[2],
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_STACK);

	cr_assert_eq(prog.ops[4].arg[1], PROT_NONE);
	cr_assert_eq(prog.ops[4].arg[2], MAP_SHARED);
	cr_assert_str_eq(prog.ops[4].path, "data.bin");
	cr_assert_eq(prog.ops[4].arg[3], 0);
}

Test(workload, munmap_mprotect_brk_sbrk, .fini = cleanup)
{
	parse_ok("m = mmap any 16K rw private,anon\n"
		 "munmap m+4K 4K\n"
		 "munmap m\n"
		 "mprotect m 8K r\n"
		 "mprotect m rwx\n"
		 "brk 0x800000\n"
		 "top = sbrk +4K\n"
		 "sbrk -8K\n"
		 "sbrk 0\n");
	cr_assert_eq(prog.nr_ops, 9);
	assert_op(1, OP_MUNMAP, 2, 1);
	assert_ref(prog.ops[1].addr.name, "m", false, 0);
	cr_assert_eq(prog.ops[1].addr.value, 4096);
	cr_assert_eq(prog.ops[1].arg[0], 4096);
	/* LEN omitted: 0 */
	assert_ref(prog.ops[2].addr.name, "m", false, 0);
	cr_assert_eq(prog.ops[2].addr.value, 0);
	cr_assert_eq(prog.ops[2].arg[0], 0);
	assert_op(3, OP_MPROTECT, 4, 1);
	cr_assert_eq(prog.ops[3].arg[0], 8192);
	cr_assert_eq(prog.ops[3].arg[1], PROT_READ);
	cr_assert_eq(prog.ops[4].arg[0], 0);
	cr_assert_eq(prog.ops[4].arg[1], PROT_READ | PROT_WRITE | PROT_EXEC);
	assert_op(5, OP_BRK, 6, 1);
	cr_assert_eq(prog.ops[5].addr.value, 0x800000);
	assert_op(6, OP_SBRK, 7, 7);
	assert_ref(prog.ops[6].def, "top", false, 0);
	cr_assert_eq(prog.ops[6].arg[0], 4096);
	cr_assert_eq(prog.ops[7].def.id, NAME_NONE);
	cr_assert_eq((int64_t)prog.ops[7].arg[0], -8192);
	cr_assert_eq(prog.ops[8].arg[0], 0);
}

Test(workload, repeat_blocks_link_and_nest, .fini = cleanup)
{
	parse_ok("repeat 3 {\n"                  /* 0 */
		 "  kalloc a$i 4K\n"             /* 1 */
		 "  repeat 0x10 blk {\n"         /* 2 */
		 "    kalloc b$blk 8K\n"         /* 3 */
		 "    kalloc c$i 1K\n"           /* 4 */
		 "    kfree b$blk\n"             /* 5 */
		 "  }\n"                          /* 6 */
		 "  repeat 0 {\n"                /* 7: default variable j */
		 "    kfree c$j\n"               /* 8 */
		 "  }\n"                          /* 9 */
		 "}\n"                            /* 10 */
		 "kfree a\n");                    /* 11 */
	cr_assert_eq(prog.nr_ops, 12);
	cr_assert_eq(prog.max_depth, 2);
	assert_op(0, OP_REPEAT, 1, 1);
	cr_assert_eq(prog.ops[0].arg[0], 3);
	cr_assert_eq(prog.ops[0].arg[1], 10);
	assert_op(10, OP_END, 11, 1);
	cr_assert_eq(prog.ops[10].arg[1], 0);
	assert_op(2, OP_REPEAT, 3, 3);
	cr_assert_eq(prog.ops[2].arg[0], 16);
	cr_assert_eq(prog.ops[2].arg[1], 6);
	assert_op(6, OP_END, 7, 3);
	cr_assert_eq(prog.ops[6].arg[1], 2);
	cr_assert_eq(prog.ops[7].arg[0], 0);
	cr_assert_eq(prog.ops[7].arg[1], 9);
	cr_assert_eq(prog.ops[9].arg[1], 7);
	/* a$i: indexed by the outer loop (depth 0) */
	assert_ref(prog.ops[1].def, "a", true, 0);
	/* b$blk: the inner loop's variable (depth 1) */
	assert_ref(prog.ops[3].def, "b", true, 1);
	assert_ref(prog.ops[5].ref, "b", true, 1);
	/* c$i inside the inner loop still names the outer counter */
	assert_ref(prog.ops[4].def, "c", true, 0);
	/* the second level's default variable is j */
	assert_ref(prog.ops[8].ref, "c", true, 1);
	/* unindexed use of a name bound indexed is allowed */
	assert_ref(prog.ops[11].ref, "a", false, 0);
}

Test(workload, header_lines_config_and_set, .fini = cleanup)
{
	parse_ok("# header\n"
		 "config ../config/seed-buddy.ini\n"
		 "set page_size=8K\n"
		 "  set   memory_size=2M   # comment\n"
		 "dump buddyinfo\n");
	cr_assert_eq(prog.nr_ops, 1);
	cr_assert_str_eq(hdr.config, "./../config/seed-buddy.ini");
	cr_assert_eq(hdr.nr_settings, 2);
	cr_assert_str_eq(hdr.settings[0].assignment, "page_size=8K");
	cr_assert_str_eq(hdr.settings[0].where, "t.wl:3:5");
	cr_assert_str_eq(hdr.settings[1].assignment, "memory_size=2M");
	cr_assert_str_eq(hdr.settings[1].where, "t.wl:4:9");
}

Test(workload, config_path_is_relative_to_the_workload, .fini = cleanup)
{
	diag_capture();
	cr_assert_eq(wl_parse_file("workloads/seed-buddy.wl", &prog, &hdr), 0,
		     "%s", diag_text());
	assert_diag("");
	cr_assert_str_eq(hdr.config, "workloads/../config/seed-buddy.ini");
	cr_assert_eq(hdr.nr_settings, 0);
	cr_assert_str_eq(prog.file, "workloads/seed-buddy.wl");
	/* 9 dumps of buddyinfo, 4 kalloc, 4 kfree, 1 dump fragindex */
	cr_assert_eq(prog.nr_ops, 18);
	assert_op(1, OP_KALLOC, 8, 1);
	cr_assert_eq(prog.ops[1].arg[0], 34 * 1024);
	assert_op(17, OP_DUMP, 24, 1);
	cr_assert_eq(prog.ops[17].arg[0], DUMP_FRAGINDEX);
}

Test(workload, comments_blank_lines_and_crlf, .fini = cleanup)
{
	parse_ok("\n"
		 "   \t \n"
		 "# only a comment\n"
		 "kalloc A 4K# glued comment\r\n"
		 "kfree A\r\n"
		 "\n");
	cr_assert_eq(prog.nr_ops, 2);
	assert_op(0, OP_KALLOC, 4, 1);
	cr_assert_eq(prog.ops[0].arg[0], 4096);
	assert_op(1, OP_KFREE, 5, 1);
}

Test(workload, empty_workload_parses_to_no_ops, .fini = cleanup)
{
	parse_ok("");
	cr_assert_eq(prog.nr_ops, 0);
	cleanup();
	parse_ok("# nothing\n\n");
	cr_assert_eq(prog.nr_ops, 0);
}

/* ---- bad workloads: exact messages ---- */

static void assert_bad(const char *name, const char *want_tail)
{
	char path[256], want[1024];

	snprintf(path, sizeof(path), "tests/fixtures/bad/%s", name);
	snprintf(want, sizeof(want), "%s:%s", path, want_tail);
	diag_capture();
	cr_assert_eq(wl_parse_file(path, &prog, &hdr), -1, "%s parsed", path);
	assert_diag(want);
	/* nothing is left behind */
	cr_assert_eq(prog.nr_ops, 0);
	cr_assert_null(prog.ops);
	cr_assert_eq(prog.nr_names, 0);
	cr_assert_null(hdr.config);
	cr_assert_eq(hdr.nr_settings, 0);
}

Test(workload, bad_unknown_op_suggests_the_nearest, .fini = cleanup)
{
	assert_bad("unknown-op.wl",
		   "2:1: error: unknown operation 'kallok' (did you mean 'kalloc'?)\n");
}

Test(workload, bad_size, .fini = cleanup)
{
	assert_bad("bad-size.wl", "1:10: error: '34Q' is not a size (e.g. 4096, 34K, 2M)\n");
}

Test(workload, bad_missing_argument, .fini = cleanup)
{
	assert_bad("missing-arg.wl",
		   "2:8: error: kalloc: missing argument (usage: kalloc NAME SIZE  or  NAME = kalloc SIZE)\n");
}

Test(workload, bad_extra_argument, .fini = cleanup)
{
	assert_bad("extra-arg.wl", "2:9: error: kfree: unexpected 'B' (usage: kfree NAME)\n");
}

Test(workload, bad_kfree_of_a_name_never_bound, .fini = cleanup)
{
	assert_bad("kfree-unbound.wl", "2:7: error: 'Z' is not bound by any operation above\n");
}

Test(workload, bad_unclosed_repeat_points_at_its_opening, .fini = cleanup)
{
	assert_bad("unclosed-repeat.wl",
		   "2:3: error: repeat block opened here is never closed with '}'\n");
}

Test(workload, bad_stray_closing_brace, .fini = cleanup)
{
	assert_bad("stray-brace.wl", "2:1: error: '}' without an open repeat, spawn or fork\n");
}

Test(workload, bad_time, .fini = cleanup)
{
	assert_bad("bad-time.wl",
		   "1:7: error: '10xs' is not a time (e.g. 500ns, 10us, 2ms, 1s)\n");
	cleanup();
	assert_bad("bad-at-time.wl",
		   "1:3: error: 'soon' is not a time (e.g. 500ns, 10us, 2ms, 1s)\n");
}

Test(workload, bad_loop_variable, .fini = cleanup)
{
	assert_bad("bad-loop-var.wl", "1:10: error: '9x' is not a valid loop variable\n"
		   "tests/fixtures/bad/bad-loop-var.wl:2:1: error: '}' without an open repeat, spawn or fork\n");
	cleanup();
	assert_bad("unknown-loop-var.wl",
		   "2:11: error: '$k' is not the variable of an enclosing repeat\n");
}

Test(workload, bad_set_after_an_operation, .fini = cleanup)
{
	assert_bad("set-after-op.wl",
		   "2:1: error: 'set' must come before the first operation\n");
}

Test(workload, bad_unterminated_string, .fini = cleanup)
{
	assert_bad("unterminated-string.wl", "1:32: error: unterminated string\n");
}

Test(workload, bad_too_many_words, .fini = cleanup)
{
	assert_bad("too-many-words.wl",
		   "1:43: error: too many words on one line (at most 16)\n");
}

Test(workload, bad_unknown_mmap_flag_points_into_the_list, .fini = cleanup)
{
	assert_bad("unknown-mmap-flag.wl",
		   "1:33: error: unknown mmap flag 'huge' (private, shared, anon, fixed, noreplace, growsdown, stack, noreserve, populate)\n");
}

Test(workload, bad_prot, .fini = cleanup)
{
	assert_bad("bad-prot.wl",
		   "1:17: error: 'rwz' is not a protection (r, rw, rx, rwx, none)\n");
}

Test(workload, bad_name_bound_to_an_op_without_a_value, .fini = cleanup)
{
	assert_bad("bind-no-value.wl",
		   "1:5: error: kfree does not produce a value to name\n");
}

Test(workload, unreadable_file, .fini = cleanup)
{
	assert_bad("no-such-workload.wl",
		   " error: cannot open workload: No such file or directory\n");
}

/* More bad forms, from strings: each line alone, "t.wl:1:COL: error: MSG". */
Test(workload, bad_forms_from_strings, .fini = cleanup)
{
	static const struct { const char *text, *msg; } cases[] = {
		{ "kalloc 9A 4K", "1:8: error: '9A' is not a valid name (a letter, then letters, digits, _ . -)" },
		{ "kalloc A 0x", "1:10: error: '0x' is not a size (e.g. 4096, 34K, 2M)" },
		{ "kfree", "1:6: error: kfree: missing argument (usage: kfree NAME)" },
		{ "dump memory", "1:6: error: cannot dump 'memory' (buddyinfo, fragindex, maps, slabinfo)" },
		{ "A =", "1:3: error: '=' needs an operation after it" },
		{ "@", "1:1: error: '@' needs a time (e.g. @ 10us)" },
		{ "frobnicate", "1:1: error: unknown operation 'frobnicate'" },
		{ "dumb maps", "1:1: error: unknown operation 'dumb' (did you mean 'dump'?)" },
		{ "repeat 3", "1:1: error: usage: repeat COUNT [VAR] {" },
		{ "repeat many {", "1:8: error: 'many' is not a count" },
		{ "repeat 2 { x", "1:1: error: usage: repeat COUNT [VAR] {" },
		{ "mmap any 4K rw private,anon", "1:1: error: mmap needs a name for its result: NAME = mmap ..." },
		{ "m = mmap any 4K rw private", "1:20: error: mmap: flags need 'anon', or the mapping needs 'file PATH'" },
		{ "m = mmap any 4K rw anon", "1:20: error: mmap flags need 'private' or 'shared'" },
		{ "m = mmap any 4K rw private,anon file /x", "1:33: error: mmap: a file mapping cannot be 'anon'" },
		{ "m = mmap any 4K rw private file", "1:28: error: mmap: 'file' needs a PATH" },
		{ "m = mmap any 4K rw private file /x 1Q", "1:36: error: '1Q' is not a file offset" },
		{ "m = mmap here 4K rw private,anon", "1:10: error: 'here' is not bound by any operation above" },
		{ "sbrk ++4K", "1:6: error: '++4K' is not a size change (e.g. +4K, -8K)" },
		{ "set page_size", "1:5: error: set: expected KEY=VALUE, got 'page_size'" },
		{ "set a=1 b=2", "1:1: error: usage: set KEY=VALUE" },
		{ "config", "1:1: error: usage: config PATH" },
	};

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char want[512];

		snprintf(want, sizeof(want), "t.wl:%s\n", cases[i].msg);
		diag_capture();
		cr_assert_eq(wl_parse_string("t.wl", cases[i].text, &prog, &hdr), -1,
			     "'%s' parsed", cases[i].text);
		assert_diag(want);
		cr_assert_eq(prog.nr_ops, 0);
	}
}

Test(workload, every_error_is_reported_up_to_twenty, .fini = cleanup)
{
	char text[2048] = "";
	char want[4096] = "";

	/* 25 bad lines: 20 shown, then a count */
	for (int i = 1; i <= 25; i++)
		strcat(text, "kallok A 1\n");
	for (int i = 1; i <= 20; i++)
		snprintf(want + strlen(want), sizeof(want) - strlen(want),
			 "t.wl:%d:1: error: unknown operation 'kallok' (did you mean 'kalloc'?)\n", i);
	strcat(want, "t.wl: error: 5 more errors not shown\n");
	diag_capture();
	cr_assert_eq(wl_parse_string("t.wl", text, &prog, &hdr), -1);
	assert_diag(want);
}

Test(workload, nesting_deeper_than_eight_is_refused, .fini = cleanup)
{
	char text[512] = "";

	for (int i = 0; i < 9; i++)
		strcat(text, "repeat 2 {\n");
	for (int i = 0; i < 9; i++)
		strcat(text, "}\n");
	diag_capture();
	cr_assert_eq(wl_parse_string("t.wl", text, &prog, &hdr), -1);
	assert_diag("t.wl:9:1: error: repeat blocks nest at most 8 deep\n"
		    "t.wl:18:1: error: '}' without an open repeat, spawn or fork\n");
}

Test(workload, long_loop_variable_is_refused_not_truncated, .fini = cleanup)
{
	/* 32 characters: would not fit the parser's table and never match */
	diag_capture();
	cr_assert_eq(wl_parse_string("t.wl",
				     "repeat 2 abcdefghijklmnopqrstuvwxyz012345 {\n"
				     "  kalloc x$abcdefghijklmnopqrstuvwxyz012345 4K\n"
				     "}\n", &prog, &hdr), -1);
	assert_diag("t.wl:1:10: error: loop variable 'abcdefghijklmnopqrstuvwxyz012345' is longer than 31 characters\n"
		    "t.wl:2:11: error: '$abcdefghijklmnopqrstuvwxyz012345' is not the variable of an enclosing repeat\n"
		    "t.wl:3:1: error: '}' without an open repeat, spawn or fork\n");
	cleanup();
	/* 31 is fine */
	parse_ok("repeat 2 abcdefghijklmnopqrstuvwxyz01234 {\n"
		 "  kalloc x$abcdefghijklmnopqrstuvwxyz01234 4K\n"
		 "}\n");
	assert_ref(prog.ops[1].def, "x", true, 0);
}

Test(workload, at_prefix_before_a_binding, .fini = cleanup)
{
	parse_ok("@ 10us A = kalloc 4K\n"
		 "@20us kfree A\n");
	cr_assert_eq(prog.nr_ops, 4);
	assert_op(0, OP_AT, 1, 1);
	cr_assert_eq(prog.ops[0].arg[0], 10000);
	assert_op(1, OP_KALLOC, 1, 12);
	assert_ref(prog.ops[1].def, "A", false, 0);
	cr_assert_eq(prog.ops[1].arg[0], 4096);
	assert_op(2, OP_AT, 2, 1);
	cr_assert_eq(prog.ops[2].arg[0], 20000);
	assert_op(3, OP_KFREE, 2, 7);
}

Test(workload, bad_access_mode, .fini = cleanup)
{
	assert_bad("access-mode.wl",
		   "2:8: error: 'wrte' is not an access mode (read, write, exec)\n");
}

Test(workload, bad_access_pattern, .fini = cleanup)
{
	assert_bad("access-pattern.wl",
		   "2:13: error: 'zipff' is not an access pattern (seq, uniform, zipf)\n");
}

Test(workload, bad_access_missing_count, .fini = cleanup)
{
	assert_bad("access-missing.wl",
		   "2:19: error: access: missing argument (usage: access read|write|exec seq|uniform|zipf ADDR LEN COUNT [STEP])\n");
}

Test(workload, access_ops_parse_to_their_arguments, .fini = cleanup)
{
	parse_ok("a = mmap any 1M rw private,anon\n"
		 "read a+8\n"
		 "write 0x1000\n"
		 "exec a\n"
		 "access write zipf a 1M 500 4K\n"
		 "access read seq a+4K 64K 16\n");
	cr_assert_eq(prog.nr_ops, 6);
	assert_op(1, OP_READ, 2, 1);
	cr_assert_eq(prog.ops[1].addr.value, 8);
	assert_op(2, OP_WRITE, 3, 1);
	cr_assert_eq(prog.ops[2].addr.value, 0x1000);
	assert_op(3, OP_EXEC, 4, 1);
	assert_op(4, OP_ACCESS, 5, 1);
	cr_assert_eq(prog.ops[4].arg[0], PT_WRITE);
	cr_assert_eq(prog.ops[4].arg[1], GEN_ZIPF);
	cr_assert_eq(prog.ops[4].arg[2], 1 << 20);
	cr_assert_eq(prog.ops[4].arg[3], 500);
	cr_assert_eq(prog.ops[4].arg[4], 4096);
	cr_assert_eq(prog.ops[5].arg[1], GEN_SEQ);
	cr_assert_eq(prog.ops[5].arg[4], 0);    /* default step */
	cr_assert_eq(prog.ops[5].addr.value, 4096);
}

Test(workload, bad_segment_addresses, .fini = cleanup)
{
	assert_bad("seg-on-mmap.wl",
		   "1:10: error: mmap: a SEG:OFFSET address is for read, write, exec, access and explain\n");
	cleanup();
	assert_bad("seg-unknown.wl",
		   "1:6: error: 'es' is not a segment (cs, ds, ss, kcs, kds or 6, 7)\n");
}
