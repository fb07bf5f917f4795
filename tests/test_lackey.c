/*
 * test_lackey.c - valgrind lackey traces (io/lackey.c) and their replay
 * through the translation path (run_lackey in io/run.c): every record
 * form, valgrind's own lines, exact errors for bad and truncated input,
 * and the counters of a small trace worked out by hand.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "diag_capture.h"
#include "io/csv_in.h"
#include "io/diag.h"
#include "io/lackey.h"
#include "io/run.h"
#include "lib/compiler.h"

TestSuite(lackey);

struct seen {
	struct lackey_rec r[16];
	int n;
};

static int keep(void *arg, const struct lackey_rec *r)
{
	struct seen *s = arg;

	cr_assert_lt(s->n, 16);
	s->r[s->n++] = *r;
	return 0;
}

Test(lackey, every_record_form_and_valgrind_lines)
{
	static const char text[] =
		"==42== Lackey, an example Valgrind tool\n"
		"I  0401ab70,3\n"
		" L 1fff000620,8\n"
		" S 7ff000398,16\r\n"
		"\n"
		" M ffffffffff600000,4\n"
		"==42== \n";
	struct seen s = { .n = 0 };
	uint64_t n;

	cr_assert_eq(lackey_parse("t", text, strlen(text), keep, &s, &n), 0);
	cr_assert_eq(n, 4);
	cr_expect_eq(s.r[0].kind, 'I');
	cr_expect_eq(s.r[0].addr, 0x401ab70);
	cr_expect_eq(s.r[0].size, 3);
	cr_expect_eq(s.r[0].line, 2);
	cr_expect_eq(s.r[1].kind, 'L');
	cr_expect_eq(s.r[1].addr, 0x1fff000620);
	cr_expect_eq(s.r[2].kind, 'S');
	cr_expect_eq(s.r[2].size, 16);
	cr_expect_eq(s.r[3].kind, 'M');
	cr_expect_eq(s.r[3].addr, 0xffffffffff600000);
	cr_expect_eq(s.r[3].line, 6);
}

static void assert_bad(const char *text, const char *want)
{
	struct seen s = { .n = 0 };

	diag_capture();
	cr_assert_eq(lackey_parse("t.lackey", text, strlen(text), keep, &s, NULL), -1,
		     "parsed: %s", text);
	assert_diag(want);
}

Test(lackey, bad_records_name_their_place)
{
	assert_bad("I  0401ab70,3\nX  0401ab70,3\n",
		   "t.lackey:2:1: error: not a lackey record (expected 'I  ADDR,SIZE' or ' L|S|M ADDR,SIZE')\n");
	assert_bad(" L zz,8\n", "t.lackey:1:4: error: bad address (hex, at most 16 digits)\n");
	assert_bad(" L 12345678901234567,8\n",
		   "t.lackey:1:4: error: bad address (hex, at most 16 digits)\n");
	assert_bad(" S 1000;8\n", "t.lackey:1:8: error: expected ',' after the address\n");
	assert_bad(" S 1000,0\n", "t.lackey:1:9: error: bad size (a positive decimal number)\n");
	assert_bad(" S 1000,8 x\n", "t.lackey:1:10: error: unexpected text after the size\n");
	assert_bad("I  0401ab70,3\nI  0401ab", "t.lackey:2:10: error: truncated record\n");
	assert_bad("I  0401ab70,3\nI  0401ab73,", "t.lackey:2:13: error: truncated record\n");
	assert_bad("I  0401ab70,3", "t.lackey:1:14: error: truncated record (no end of line)\n");
}

/* Appends len bytes of src at text + n; returns the new length. */
static size_t put(char *text, size_t n, const char *src, size_t len)
{
	memcpy(text + n, src, len);
	return n + len;
}

/*
 * Every byte value at every place of addresses of 1 to 17 characters
 * (the other places random hex digits of either case, or decimal ones
 * only), each record once with text after it and once at the end of the
 * buffer: a hex byte gives the address strtoull reads (17 digits are too
 * many), any other byte the error at its place.
 */
Test(lackey, every_byte_at_every_place_of_an_address)
{
	static const char hex[] = "0123456789abcdefABCDEF";
	uint64_t seed = 20261204, rng = seed;
	char text[128], addr[18], want[128];

	TEST_SEED(seed);
	for (unsigned len = 1; len <= 17; len++)
		for (unsigned pos = 0; pos < len; pos++)
			for (unsigned b = 0; b < 256; b++) {
				bool is_hex = b && strchr(hex, (int)b);

				if (b == ',' || b == '\n' || b == '\r')
					continue;
				/* decimal digits only around odd bytes */
				for (unsigned i = 0; i < len; i++)
					addr[i] = hex[test_rand_below(&rng,
								      b & 1 ? 10 : 22)];
				addr[pos] = (char)b;
				addr[len] = 0;
				for (int tail = 0; tail < 2; tail++) {
					static const char after[] = "I  0401ab70,3\n";
					struct seen s = { .n = 0 };
					size_t n = 0;

					/* by length, not as a string: b may be NUL */
					n = put(text, n, " L ", 3);
					n = put(text, n, addr, len);
					n = put(text, n, ",8\n", 3);
					if (tail)
						n = put(text, n, after, strlen(after));
					if (is_hex && len <= 16) {
						cr_assert_eq(lackey_parse("t", text, n, keep,
									  &s, NULL), 0,
							     "%s", text);
						cr_assert_eq(s.r[0].addr,
							     strtoull(addr, NULL, 16),
							     "%s", text);
						continue;
					}
					snprintf(want, sizeof(want), "t:1:%u: error: %s\n",
						 is_hex || !pos ? 4 : 4 + pos,
						 is_hex || !pos ?
						 "bad address (hex, at most 16 digits)" :
						 "expected ',' after the address");
					diag_capture();
					cr_assert_eq(lackey_parse("t", text, n, keep, &s,
								  NULL), -1,
						     "len %u pos %u byte %u", len, pos, b);
					assert_diag(want);
				}
			}
}

/* keeps the memory calls of a trace, as the parser hands them out */
struct calls {
	struct strace_rec c[8];
	char kind[8];
	int n;
};

static int keep_calls(void *arg, const struct lackey_rec *r)
{
	struct calls *k = arg;

	cr_assert_lt(k->n, 8);
	k->kind[k->n] = r->kind;
	if (r->kind == 'Y')
		k->c[k->n] = *r->call;
	k->n++;
	return 0;
}

/*
 * valgrind --trace-syscalls=yes lines: the memory calls come back as 'Y'
 * records with their numbers and result (-errno on failure); other
 * calls, async completions and the second half of a broken line are
 * skipped.
 */
Test(lackey, memory_calls_of_trace_syscalls)
{
	static const char text[] =
		"SYSCALL[7,1](9) sys_mmap ( 0x0, 8192, 3, 34, 4294967295, 0 ) "
		"--> [pre-success] Success(0x4835000) \n"
		"I  0401ab70,3\n"
		"SYSCALL[7,1](0) sys_read ( 4, 0x1ffeffecd8, 832 ) --> [async] ... \n"
		"SYSCALL[7,1](0) ... [async] --> Success(0x340) \n"
		"SYSCALL[7,1](334) unimplemented (by the kernel) syscall: 334! (ni_syscall)\n"
		" --> [pre-fail] Failure(0x26) \n"
		"SYSCALL[7,2](11) sys_munmap ( 0x483c000, 44887 )[sync] --> Success(0x0) \r\n"
		"SYSCALL[7,1](10) sys_mprotect ( 0x9000000, 4096, 1 )[sync] --> Failure(0xc) \n"
		"SYSCALL[7,1](12) sys_brk ( 0x0 ) --> [pre-success] Success(0x4035000) \n";
	struct calls k = { .n = 0 };
	uint64_t n;

	cr_assert_eq(lackey_parse("t", text, strlen(text), keep_calls, &k, &n), 0);
	cr_assert_eq(n, 1);             /* access records only */
	cr_assert_eq(k.n, 5);
	cr_expect_eq(k.kind[0], 'Y');
	cr_expect_eq(k.c[0].sys, STRACE_SYS_MMAP);
	cr_expect_eq(k.c[0].nr_args, 6);
	cr_expect_eq(k.c[0].arg[1], 8192);
	cr_expect_eq(k.c[0].arg[3], 34);
	cr_expect_eq((int)(int64_t)k.c[0].arg[4], -1);
	cr_expect_eq(k.c[0].ret, 0x4835000);
	cr_expect_eq(k.c[0].line, 1);
	cr_expect_eq(k.kind[1], 'I');
	cr_expect_eq(k.c[2].sys, STRACE_SYS_MUNMAP);
	cr_expect_eq(k.c[2].pid, 7);
	cr_expect_eq(k.c[2].ret, 0);
	cr_expect_eq(k.c[2].line, 7);
	cr_expect_eq(k.c[3].sys, STRACE_SYS_MPROTECT);
	cr_expect_eq(k.c[3].ret, -ENOMEM);
	cr_expect_eq(k.c[4].sys, STRACE_SYS_BRK);
	cr_expect_eq(k.c[4].nr_args, 1);
	cr_expect_eq(k.c[4].ret, 0x4035000);

	assert_bad("SYSCALL[7,1](9) sys_mmap ( 0x0, zz ) --> Success(0x0)\n",
		   "t.lackey:1:33: error: bad argument (a number)\n");
	assert_bad("SYSCALL[7,1](11) sys_munmap ( 0x1000, 4096 ) --> Done \n",
		   "t.lackey:1:50: error: a memory call without its result "
		   "(expected Success(...) or Failure(...))\n");
	assert_bad("SYSCALL[7,1](11) sys_munmap ( 0x1000, 4096 )\n",
		   "t.lackey:1:45: error: a memory call without its result\n");
	assert_bad("SYSCALL[7,1]x\n", "t.lackey:1:13: error: not a valgrind SYSCALL line\n");
}

/*
 * Found in review, on real valgrind output: madvise may block, so its
 * result comes on a later "... [async] -->" line of the same thread; a
 * brk that valgrind refuses is cut by its "==pid==" message and ends on a
 * " --> " line; an fd of -1 may be printed signed; "--pid--" notes are
 * valgrind's own lines. A 32-bit trace's mmap2 is read as strace reads it.
 */
Test(lackey, memory_calls_whose_result_comes_later)
{
	static const char text[] =
		"SYSCALL[7,1](28) sys_madvise ( 0x4a2c000, 1048576, 4 ) --> [async] ... \n"
		"SYSCALL[7,2](0) sys_read ( 4, 0x1ffeffecd8, 832 ) --> [async] ... \n"
		"I  0401ab70,3\n"
		"SYSCALL[7,2](0) ... [async] --> Success(0x340) \n"
		"SYSCALL[7,1](28) ... [async] --> Success(0x0) \n"
		"SYSCALL[7,1](12) sys_brk ( 0x4854000 )==7== brk segment overflow "
		"in thread #1: can't grow to 0x4854000\n"
		"==7== (see section Limitations in user manual)\n"
		" --> [pre-success] Success(0x4833000) \n"
		"--7-- WARNING: unhandled amd64-linux syscall: 999\n"
		"SYSCALL[7,1](9) sys_mmap ( 0x0, 4096, 3, 34, -1, 0 ) "
		"--> [pre-success] Success(0x483c000) \n"
		"SYSCALL[7,1](192) sys_mmap2 ( 0x0, 4096, 1, 2, 3, 5 ) "
		"--> [pre-success] Success(0x483d000) \n";
	struct calls k = { .n = 0 };

	cr_assert_eq(lackey_parse("t", text, strlen(text), keep_calls, &k, NULL), 0);
	cr_assert_eq(k.n, 5);
	cr_expect_eq(k.kind[0], 'I');
	cr_expect_eq(k.c[1].sys, STRACE_SYS_MADVISE);
	cr_expect_eq(k.c[1].arg[1], 1048576);
	cr_expect_eq(k.c[1].arg[2], 4);
	cr_expect_eq(k.c[1].ret, 0);
	cr_expect_eq(k.c[2].sys, STRACE_SYS_BRK);
	cr_expect_eq(k.c[2].arg[0], 0x4854000);
	cr_expect_eq(k.c[2].ret, 0x4833000);
	cr_expect_eq(k.c[3].sys, STRACE_SYS_MMAP);
	cr_expect_eq((int)(int64_t)k.c[3].arg[4], -1);
	cr_expect_eq(k.c[3].ret, 0x483c000);
	/* 32-bit valgrind: mmap2's offset is in 4096-byte units, as in strace */
	cr_expect_eq(k.c[4].sys, STRACE_SYS_MMAP);
	cr_expect_eq(k.c[4].arg[5], 5 * 4096);
}

Test(lackey, missing_file_is_an_error)
{
	struct seen s = { .n = 0 };

	diag_capture();
	cr_assert_eq(lackey_parse_file("tests/fixtures/ok/none.lackey", keep, &s, NULL), -1);
	cr_assert_str_eq(diag_text(), "tests/fixtures/ok/none.lackey: error: cannot open: "
			 "No such file or directory\n");
	diag_reset();
}

/*
 * Runs c and reads back its summary.csv (one header, one row) with the
 * project's CSV reader.
 */
static void lackey_summary(const struct replay_cli *c, struct csv_table *t)
{
	char path[256];

	cr_assert_eq(run_lackey(c), 0);
	snprintf(path, sizeof(path), "%s/summary.csv", c->out_dir);
	cr_assert_eq(csv_read(path, t), 0);
	cr_assert_eq(t->nr_rows, 2);
}

/* The value of column name in the summary's row. */
static uint64_t column(const struct csv_table *t, const char *name)
{
	long col = csv_column(t, name);

	cr_assert_geq(col, 0, "no column %s", name);
	return strtoull(t->rows[1].fields[col], NULL, 10);
}

/*
 * small.lackey on x86-64, no snapshot (pages adopted on first touch):
 *   I 400000   page 0x400 adopted, fault; TLB miss
 *   I 400004   hit
 *   L 7ff000ff8  page 0x7ff000 adopted, fault; miss
 *   S 7ff000ff8  a write through the clean entry: miss (walk sets D)
 *   M 7ff000ffc,8  spans two pages: 0x7ff000 read hit, write hit;
 *              0x7ff001 adopted: read miss + fault, write miss (clean)
 * 5 records, 8 accesses, 3 hits, 5 misses, 3 faults, 3 adopted pages.
 */
Test(lackey, a_small_trace_counts_as_worked_out)
{
	const char *sets[] = { "tlb2_entries=0" };
	struct replay_cli c = {
		.config_path = "config/x86_64.ini", .sets = sets, .nr_sets = 1,
		.lackey_path = "tests/fixtures/ok/small.lackey",
		.out_dir = "build/test-lackey",
	};
	struct csv_table csv;

	lackey_summary(&c, &csv);
	cr_expect_eq(column(&csv, "trace_records"), 5);
	cr_expect_eq(column(&csv, "accesses"), 8);
	cr_expect_eq(column(&csv, "tlb_hits"), 3);
	cr_expect_eq(column(&csv, "tlb_misses"), 5);
	cr_expect_eq(column(&csv, "pgfault"), 3);
	cr_expect_eq(column(&csv, "adopted_pages"), 3);
	cr_expect_eq(column(&csv, "sigsegv"), 0);
	cr_expect_eq(column(&csv, "rss_pages"), 3);
	csv_table_free(&csv);
}

/*
 * The same trace's time series. A row is taken before the first record
 * and at each record boundary where another sample_interval_ns has
 * passed, then one at the end. The times are the costs of the worked-out
 * records (hit 1, each level read 20, fault 1000 + 250 zeroing):
 *   I 400000     1 + 20 (PGD empty) + 1250 + 80                 = 1351
 *   I 400004     1                                              = 1352
 *   L 7ff000ff8  1 + 40 (PGD, then PUD empty) + 1250 + 80       = 2723
 *   S 7ff000ff8  1 + 80 (the walk that sets D)                  = 2804
 *   M 7ff000ffc  1 + 1, then 1 + 80 + 1250 + 80, then 1 + 80    = 4298
 * so with a 1 ns interval there is a row at every boundary, and with the
 * default 10 us only the first and the last.
 */
Test(lackey, a_trace_has_a_time_series)
{
	static const uint64_t want[][4] = {
		/* time_ns, accesses, pgfault, rss_pages */
		{ 0, 0, 0, 0 },       { 1351, 1, 1, 1 }, { 1352, 2, 1, 1 },
		{ 2723, 3, 2, 2 },    { 2804, 4, 2, 2 }, { 4298, 8, 3, 3 },
	};
	const char *sets[] = { "tlb2_entries=0", "sample_interval_ns=1" };
	struct replay_cli c = {
		.config_path = "config/x86_64.ini", .sets = sets, .nr_sets = 2,
		.lackey_path = "tests/fixtures/ok/small.lackey",
		.out_dir = "build/test-lackey-ts",
	};
	const char *cols[] = { "time_ns", "accesses", "pgfault", "rss_pages" };
	struct csv_table t;

	for (int pass = 0; pass < 2; pass++) {
		size_t rows = pass ? 2 : ARRAY_SIZE(want);

		c.nr_sets = pass ? 1 : 2;
		cr_assert_eq(run_lackey(&c), 0);
		cr_assert_eq(csv_read("build/test-lackey-ts/timeseries.csv", &t), 0);
		cr_assert_eq(t.nr_rows, 1 + rows);
		for (size_t r = 0; r < rows; r++) {
			size_t w = pass && r ? ARRAY_SIZE(want) - 1 : r;

			cr_expect_str_eq(t.rows[1 + r].fields[csv_column(&t, "process")],
					 "total");
			for (size_t k = 0; k < ARRAY_SIZE(cols); k++)
				cr_expect_eq(strtoull(t.rows[1 + r].fields[
						csv_column(&t, cols[k])], NULL, 10),
					     want[w][k], "pass %d row %zu %s", pass,
					     r, cols[k]);
		}
		csv_table_free(&t);
	}
}

/*
 * calls.lackey, recorded with --trace-syscalls=yes (by hand): the fetch
 * at 0x400000 adopts its page (fault 1); mmap gives 0x5000000, whose two
 * pages are stored to (faults 2, 3) and then unmapped; brk(0) shows the
 * heap at 0x600000 and brk(0x602000) grows it; the store there is a
 * fault in the heap (4), not an adoption. munmap of nothing and a failed
 * mprotect change nothing, and the read, its completion and the
 * unimplemented call are not memory calls. At the end: the adopted page
 * and the heap page are resident, in two VMAs.
 */
Test(lackey, memory_calls_in_the_trace_shape_the_address_space)
{
	const char *sets[] = { "tlb2_entries=0" };
	struct replay_cli c = {
		.config_path = "config/x86_64.ini", .sets = sets, .nr_sets = 1,
		.lackey_path = "tests/fixtures/ok/calls.lackey",
		.out_dir = "build/test-lackey-calls",
	};
	struct csv_table csv;

	lackey_summary(&c, &csv);
	cr_expect_eq(column(&csv, "trace_records"), 4);
	cr_expect_eq(column(&csv, "trace_calls"), 6);
	cr_expect_eq(column(&csv, "adopted_pages"), 1);
	cr_expect_eq(column(&csv, "pgfault"), 4);
	cr_expect_eq(column(&csv, "rss_pages"), 2);
	cr_expect_eq(column(&csv, "nr_vmas"), 2);
	cr_expect_eq(column(&csv, "sigsegv"), 0);
	csv_table_free(&csv);
}

/* Found in review: when accesses cost no simulated time, the last row
 * still shows the end (it was skipped for lack of a later time). */
Test(lackey, the_last_row_shows_the_end_when_time_stands_still)
{
	const char *sets[] = { "cost_tlb_hit_ns=0", "cost_walk_level_ns=0",
			       "cost_fault_ns=0", "cost_zero_page_ns=0" };
	struct replay_cli c = {
		.config_path = "config/x86_64.ini", .sets = sets, .nr_sets = 4,
		.lackey_path = "tests/fixtures/ok/small.lackey",
		.out_dir = "build/test-lackey-ts0",
	};
	struct csv_table t;

	cr_assert_eq(run_lackey(&c), 0);
	cr_assert_eq(csv_read("build/test-lackey-ts0/timeseries.csv", &t), 0);
	cr_assert_eq(t.nr_rows, 3);
	cr_expect_str_eq(t.rows[2].fields[csv_column(&t, "time_ns")], "0");
	cr_expect_str_eq(t.rows[2].fields[csv_column(&t, "rss_pages")], "3");
	cr_expect_str_eq(t.rows[2].fields[csv_column(&t, "accesses")], "8");
	csv_table_free(&t);
}

/* With a snapshot, nothing is adopted: a touch outside it is SIGSEGV. */
Test(lackey, with_a_snapshot_outside_accesses_are_segv)
{
	struct replay_cli c = {
		.config_path = "config/x86_64.ini",
		.maps_path = "tests/fixtures/conformance/synthetic/1001/start.maps",
		.lackey_path = "tests/fixtures/ok/small.lackey",
		.out_dir = "build/test-lackey-maps",
	};
	struct csv_table csv;

	lackey_summary(&c, &csv);
	cr_expect_eq(column(&csv, "adopted_pages"), 0);
	cr_expect_eq(column(&csv, "sigsegv"), 8);
	cr_expect_eq(column(&csv, "pgfault"), 0);
	csv_table_free(&csv);
}

/* A real trace (the start of valgrind --tool=lackey on /bin/true). */
Test(lackey, a_real_trace_replays)
{
	struct replay_cli c = {
		.lackey_path = "tests/fixtures/ok/true.lackey",
		.out_dir = "build/test-lackey-true",
	};
	struct csv_table csv;

	lackey_summary(&c, &csv);
	cr_expect_gt(column(&csv, "trace_records"), 10000);
	cr_expect_eq(column(&csv, "sigsegv"), 0);
	cr_expect_eq(column(&csv, "pgfault"), column(&csv, "adopted_pages"));
	cr_expect_eq(column(&csv, "tlb_hits") + column(&csv, "tlb_misses"),
		     column(&csv, "accesses"));
	csv_table_free(&csv);
}

/*
 * /bin/true under valgrind 3.19 with --trace-syscalls=yes: 171,444 access
 * records and 18 memory calls (12 mmap, 4 mprotect, 1 munmap, 1 brk, as
 * grep counts them). The calls map the libraries, so some faults land in
 * VMAs they made rather than in adopted pages.
 */
Test(lackey, a_real_trace_with_its_memory_calls_replays)
{
	struct replay_cli c = {
		.lackey_path = "tests/fixtures/ok/true-syscalls.lackey.gz",
		.out_dir = "build/test-lackey-true-calls",
	};
	struct csv_table csv;

	lackey_summary(&c, &csv);
	cr_expect_eq(column(&csv, "trace_records"), 171444);
	cr_expect_eq(column(&csv, "trace_calls"), 18);
	cr_expect_eq(column(&csv, "sigsegv"), 0);
	cr_expect_gt(column(&csv, "pgfault"), column(&csv, "adopted_pages"));
	csv_table_free(&csv);
}

/* Found in review: a size past 32 bits is an error, not a wrapped value. */
Test(lackey, a_size_past_32_bits_is_an_error)
{
	assert_bad(" L 1000,4294967297\n",
		   "t.lackey:1:9: error: bad size (a positive decimal number)\n");
}

/* A record at the top of the 64-bit space touches its pages, not page 0. */
Test(lackey, a_record_at_the_top_does_not_wrap_to_page_zero)
{
	FILE *f = fopen("build/test-lackey-top.lackey", "w");
	struct replay_cli c = {
		.config_path = "config/x86_64.ini",
		.lackey_path = "build/test-lackey-top.lackey",
		.out_dir = "build/test-lackey-top",
	};
	struct csv_table csv;

	cr_assert_not_null(f);
	fputs(" L fffffffffffffffc,8\n", f);
	fclose(f);
	lackey_summary(&c, &csv);
	cr_expect_eq(column(&csv, "accesses"), 1);
	cr_expect_eq(column(&csv, "adopted_pages"), 0);   /* beyond va_bits */
	cr_expect_eq(column(&csv, "sigsegv"), 1);
	csv_table_free(&csv);
}

/* A gzip-compressed trace reads as the text it holds (the same counts). */
Test(lackey, a_gzipped_trace_counts_as_the_plain_one)
{
	const char *sets[] = { "tlb2_entries=0" };
	struct replay_cli c = {
		.config_path = "config/x86_64.ini", .sets = sets, .nr_sets = 1,
		.lackey_path = "tests/fixtures/ok/small.lackey.gz",
		.out_dir = "build/test-lackey-gz",
	};
	struct csv_table csv;

	lackey_summary(&c, &csv);
	cr_expect_eq(column(&csv, "trace_records"), 5);
	cr_expect_eq(column(&csv, "accesses"), 8);
	cr_expect_eq(column(&csv, "tlb_misses"), 5);
	cr_expect_eq(column(&csv, "pgfault"), 3);
	csv_table_free(&csv);
}

/* A .gz cut short is bad input, not a shorter trace; nothing is written. */
Test(lackey, a_truncated_gzip_trace_is_an_error)
{
	struct replay_cli c = {
		.lackey_path = "tests/fixtures/bad/truncated.lackey.gz",
		.out_dir = "build/test-lackey-truncated",
	};

	cr_assert_eq(system("rm -rf build/test-lackey-truncated"), 0);
	diag_capture();
	cr_assert_eq(run_lackey(&c), VMSIM_EXIT_INPUT);
	assert_diag("tests/fixtures/bad/truncated.lackey.gz: error: not a whole gzip "
		    "file (gzip -dc exited with 1)\n");
	cr_assert_neq(access("build/test-lackey-truncated", F_OK), 0);
}

/* A workload whose program is a trace: `lackey PATH` beside it. */
Test(lackey, a_trace_workload_runs_like_replay)
{
	struct run_opts o = { .out_dir = "build/test-lackey-wl" };
	struct csv_table csv;

	cr_assert_eq(run_workload(&o, "tests/fixtures/ok/small-trace.wl"), 0);
	cr_assert_eq(csv_read("build/test-lackey-wl/small-trace/summary.csv", &csv), 0);
	cr_assert_eq(csv.nr_rows, 2);
	cr_expect_str_eq(csv.rows[1].fields[csv_column(&csv, "workload")], "small-trace");
	cr_expect_eq(column(&csv, "tlb2_entries"), 0);   /* its `set` line */
	cr_expect_eq(column(&csv, "trace_records"), 5);
	cr_expect_eq(column(&csv, "tlb_misses"), 5);
	cr_expect_eq(column(&csv, "pgfault"), 3);
	csv_table_free(&csv);
}

Test(lackey, a_trace_workload_has_no_operations)
{
	struct run_opts o = { .out_dir = "build/test-lackey-wl-bad" };

	diag_capture();
	cr_assert_eq(run_workload(&o, "tests/fixtures/bad/lackey-with-ops.wl"),
		     VMSIM_EXIT_INPUT);
	assert_diag("tests/fixtures/bad/lackey-with-ops.wl:2:1: error: a workload "
		    "with a `lackey` trace has no operations: the trace is its program\n");
	diag_capture();
	cr_assert_eq(run_workload(&o, "tests/fixtures/bad/maps-without-lackey.wl"),
		     VMSIM_EXIT_INPUT);
	assert_diag("tests/fixtures/bad/maps-without-lackey.wl: error: `maps` gives a "
		    "`lackey` trace its address space, and there is no `lackey` line\n");
}
