/*
 * test_sweep.c - `vmsim sweep` and `vmsim merge` (sim/io/sweep.c), run as
 * the vmsim binary of the same build variant: point order, the combined
 * files' exact columns and rows, -j 1 against -j 2 byte for byte, a jobs
 * file run by GNU parallel then merged, bad input, and an interrupt.
 */
#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "io/csv_in.h"

#ifdef SIM_DEBUG
#define VMSIM "build/debug/vmsim"
#else
#define VMSIM "build/release/vmsim"
#endif

#define WL_A "tests/fixtures/ok/sweep-a.wl"
#define WL_B "tests/fixtures/ok/sweep-b.wl"

TestSuite(sweep);

static char dir[64];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/vmsim-test-sweep-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

/* Runs a shell command line; returns its exit code. */
static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	cr_assert(WIFEXITED(st), "%s: did not exit", cmd);
	return WEXITSTATUS(st);
}

static char *slurp(const char *path)
{
	char *text = test_slurp(path);

	cr_assert_not_null(text, "cannot read %s", path);
	return text;
}

static void assert_same_file(const char *a, const char *b)
{
	char *x = slurp(a), *y = slurp(b);

	cr_assert(strlen(x) > 0, "%s is empty", a);
	cr_assert_str_eq(x, y, "%s and %s differ", a, b);
	free(x);
	free(y);
}

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static const char *field(const struct csv_table *t, size_t row, const char *col)
{
	long k = csv_column(t, col);

	cr_assert_geq(k, 0, "no column %s", col);
	cr_assert_lt(row, t->nr_rows);
	return t->rows[row].fields[k];
}

static void read_table(const char *sub, const char *file, struct csv_table *t)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s/%s", dir, sub, file);
	cr_assert_eq(csv_read(path, t), 0);
}

Test(sweep, page_size_rows_in_point_order_with_exact_counters,
     .init = setup, .fini = teardown)
{
	struct csv_table t;
	char path[256], *plan;
	/* 100K mapped: 25 or 13 pages; a 42K heap: 2K or 6K of its last page unused */
	static const char *const want[4][6] = {
		/* page_size, workload, pgfault, tlb_misses, accesses, vm_internal_frag */
		{ "4096", "sweep-a", "25", "25", "2025", "0" },
		{ "4096", "sweep-b", "10", "10", "10", "2048" },
		{ "8192", "sweep-a", "13", "13", "2025", "4096" },
		{ "8192", "sweep-b", "5", "5", "10", "6144" },
	};

	cr_assert_eq(sh(VMSIM " sweep -q -j 2 --vary page_size=4K,8K -o %s/s "
			WL_A " " WL_B, dir), 0);
	read_table("s", "summary.csv", &t);
	cr_assert_eq(t.nr_rows, 5);
	cr_assert_str_eq(t.rows[0].fields[0], "page_size");
	cr_assert_str_eq(t.rows[0].fields[1], "memory_size");
	/* the axis leads and is not repeated among the config columns */
	for (size_t i = 1; i < t.rows[0].nr_fields; i++)
		cr_assert_str_neq(t.rows[0].fields[i], "page_size");
	for (size_t r = 0; r < 4; r++) {
		cr_assert_str_eq(field(&t, r + 1, "page_size"), want[r][0]);
		cr_assert_str_eq(field(&t, r + 1, "workload"), want[r][1]);
		cr_assert_str_eq(field(&t, r + 1, "process"), "total");
		cr_assert_str_eq(field(&t, r + 1, "pgfault"), want[r][2]);
		cr_assert_str_eq(field(&t, r + 1, "tlb_misses"), want[r][3]);
		cr_assert_str_eq(field(&t, r + 1, "accesses"), want[r][4]);
		cr_assert_str_eq(field(&t, r + 1, "vm_internal_frag_bytes"), want[r][5]);
	}
	csv_table_free(&t);

	read_table("s", "timeseries.csv", &t);
	cr_assert_str_eq(t.rows[0].fields[0], "page_size");
	cr_assert_str_eq(t.rows[0].fields[1], "workload");
	cr_assert_str_eq(t.rows[0].fields[2], "time_ns");
	/* each point's samples, points in order: the last row is sweep-b at 8K */
	cr_assert_str_eq(field(&t, 1, "page_size"), "4096");
	cr_assert_str_eq(field(&t, 1, "workload"), "sweep-a");
	cr_assert_str_eq(field(&t, 1, "time_ns"), "0");
	cr_assert_str_eq(field(&t, t.nr_rows - 1, "page_size"), "8192");
	cr_assert_str_eq(field(&t, t.nr_rows - 1, "workload"), "sweep-b");
	cr_assert_str_eq(field(&t, t.nr_rows - 1, "pgfault"), "5");
	csv_table_free(&t);

	snprintf(path, sizeof(path), "%s/s/sweep.plan", dir);
	plan = slurp(path);
	cr_assert_str_eq(plan, "vmsim-sweep-plan 1\n"
			 "# written by vmsim sweep; vmsim merge reads it\n"
			 "vary page_size=4K,8K\n"
			 "workload " WL_A "\n"
			 "workload " WL_B "\n");
	free(plan);
}

Test(sweep, j1_and_j2_write_the_same_bytes, .init = setup, .fini = teardown)
{
	char a[128], b[128];

	cr_assert_eq(sh(VMSIM " sweep -q -j 1 --vary page_size=4K,8K --vary "
			"tlb_entries=16,64 -o %s/j1 " WL_A " " WL_B, dir), 0);
	cr_assert_eq(sh(VMSIM " sweep -q -j 2 --vary page_size=4K,8K --vary "
			"tlb_entries=16,64 -o %s/j2 " WL_A " " WL_B, dir), 0);
	for (int i = 0; i < 2; i++) {
		const char *f = i ? "timeseries.csv" : "summary.csv";

		snprintf(a, sizeof(a), "%s/j1/%s", dir, f);
		snprintf(b, sizeof(b), "%s/j2/%s", dir, f);
		assert_same_file(a, b);
	}
}

/*
 * The first --vary is the slowest; page_size still leads the columns.
 * max_order 9 has no free_blocks_order10 column: the combined time
 * series keeps it after order9 and leaves it empty there.
 */
Test(sweep, two_axes_order_and_column_union, .init = setup, .fini = teardown)
{
	struct csv_table t;
	static const char *const ps[] = { "4096", "8192", "4096", "8192" };
	static const char *const mo[] = { "9", "9", "10", "10" };
	long o9, o10;

	cr_assert_eq(sh(VMSIM " sweep -q --vary max_order=9,10 --vary "
			"page_size=4K,8K -o %s/s " WL_B, dir), 0);
	read_table("s", "summary.csv", &t);
	cr_assert_eq(t.nr_rows, 5);
	cr_assert_str_eq(t.rows[0].fields[0], "page_size");
	cr_assert_str_eq(t.rows[0].fields[1], "max_order");
	cr_assert_str_eq(t.rows[0].fields[2], "memory_size");
	for (size_t r = 0; r < 4; r++) {
		cr_assert_str_eq(field(&t, r + 1, "page_size"), ps[r]);
		cr_assert_str_eq(field(&t, r + 1, "max_order"), mo[r]);
	}
	csv_table_free(&t);

	read_table("s", "timeseries.csv", &t);
	o9 = csv_column(&t, "free_blocks_order9");
	o10 = csv_column(&t, "free_blocks_order10");
	cr_assert_eq(o10, o9 + 1);
	cr_assert_str_eq(field(&t, 1, "max_order"), "9");
	cr_assert_str_eq(t.rows[1].fields[o10], "");
	cr_assert_str_eq(field(&t, t.nr_rows - 1, "max_order"), "10");
	cr_assert_str_neq(t.rows[t.nr_rows - 1].fields[o10], "");
	csv_table_free(&t);
}

static unsigned count_lines(const char *text)
{
	unsigned n = 0;

	for (; *text; text++)
		n += *text == '\n';
	return n;
}

/* README's recipe, on this machine: the jobs file through GNU parallel. */
Test(sweep, gnu_parallel_then_merge_equals_local_sweep, .init = setup,
     .fini = teardown)
{
	char path[256], a[128], b[128];
	char *jobs;

	cr_assert_eq(sh("command -v parallel >/dev/null"), 0,
		     "GNU parallel is not installed (.ci/run installs it)");
	cr_assert_eq(sh(VMSIM " sweep -q --vary page_size=4K,8K -o %s/local "
			WL_A " " WL_B, dir), 0);
	cr_assert_eq(sh(VMSIM " sweep --vary page_size=4K,8K --jobs-file "
			"%s/jobs.txt -o %s/remote " WL_A " " WL_B, dir, dir), 0);
	/* nothing ran yet: the plan is there, the points are not */
	snprintf(path, sizeof(path), "%s/remote/sweep.plan", dir);
	cr_assert(exists(path));
	snprintf(path, sizeof(path), "%s/remote/points", dir);
	cr_assert(!exists(path));
	snprintf(path, sizeof(path), "%s/jobs.txt", dir);
	jobs = slurp(path);
	cr_assert_eq(count_lines(jobs), 4);
	cr_assert_eq(jobs[0], '/', "commands start with an absolute vmsim: %s", jobs);
	cr_assert_not_null(strstr(jobs, " run -q --set page_size=8K -o /"));
	free(jobs);

	cr_assert_eq(sh("cd / && parallel --will-cite -j 2 < %s/jobs.txt", dir), 0);
	cr_assert_eq(sh(VMSIM " merge %s/remote", dir), 0);
	for (int i = 0; i < 2; i++) {
		const char *f = i ? "timeseries.csv" : "summary.csv";

		snprintf(a, sizeof(a), "%s/local/%s", dir, f);
		snprintf(b, sizeof(b), "%s/remote/%s", dir, f);
		assert_same_file(a, b);
	}
}

/* Results copied back from two hosts into two trees; one point missing. */
Test(sweep, merge_looks_in_every_dir_and_names_a_missing_point,
     .init = setup, .fini = teardown)
{
	char a[128], b[128], *err;

	cr_assert_eq(sh(VMSIM " sweep -q --vary page_size=4K,8K -o %s/local "
			WL_A " " WL_B, dir), 0);
	cr_assert_eq(sh(VMSIM " sweep --vary page_size=4K,8K --jobs-file "
			"%s/jobs.txt -o %s/h1 " WL_A " " WL_B, dir, dir), 0);
	cr_assert_eq(sh("sh %s/jobs.txt", dir), 0);
	cr_assert_eq(sh("mkdir -p %s/h2/points && mv %s/h1/points/0001 "
			"%s/h1/points/0003 %s/h2/points/", dir, dir, dir, dir), 0);
	cr_assert_eq(sh(VMSIM " merge %s/h1 2>%s/err", dir, dir), 2);
	snprintf(a, sizeof(a), "%s/err", dir);
	err = slurp(a);
	cr_assert_not_null(strstr(err, "point 1 (" WL_B ") has no results"), "%s", err);
	free(err);
	snprintf(a, sizeof(a), "%s/h1/summary.csv", dir);
	cr_assert(!exists(a));

	cr_assert_eq(sh(VMSIM " merge -o %s/all %s/h1 %s/h2", dir, dir, dir), 0);
	snprintf(a, sizeof(a), "%s/local/summary.csv", dir);
	snprintf(b, sizeof(b), "%s/all/summary.csv", dir);
	assert_same_file(a, b);
	snprintf(a, sizeof(a), "%s/local/timeseries.csv", dir);
	snprintf(b, sizeof(b), "%s/all/timeseries.csv", dir);
	assert_same_file(a, b);
}

/* Bad input: exit 2, a message naming the fault, nothing written. */
Test(sweep, bad_input_exits_2_and_writes_nothing, .init = setup, .fini = teardown)
{
	static const struct {
		const char *args, *msg;
	} cases[] = {
		{ "--vary pagesize=4K " WL_A, "--vary: error: unknown config key 'pagesize'" },
		{ "--vary page_size=4K,,8K " WL_A, "empty value at column 14" },
		{ "--vary page_size=4K,3K " WL_A, "--vary: error: page_size = '3K'" },
		{ "--vary page_size=4K --vary page_size=8K " WL_A, "'page_size' is varied twice" },
		{ "--vary page_size " WL_A, "'page_size' is not KEY=V1,V2" },
		{ "--vary page_size=4K tests/fixtures/no-such.wl", "no-such.wl: error: cannot open" },
		{ "--vary page_size=4K tests/fixtures/bad/bad-size.wl", "bad-size.wl:" },
		{ "-j 0 --vary page_size=4K " WL_A, "-j: '0' is not a number" },
		{ WL_A, "nothing to vary" },
		{ "--vary page_size=4K", "no workload given" },
	};
	char out[128], err[128];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *text;

		snprintf(out, sizeof(out), "%s/out%zu", dir, i);
		snprintf(err, sizeof(err), "%s/err%zu", dir, i);
		cr_assert_eq(sh(VMSIM " sweep -q %s -o %s 2>%s", cases[i].args, out, err),
			     2, "case %zu: %s", i, cases[i].args);
		text = slurp(err);
		cr_assert_not_null(strstr(text, cases[i].msg), "case %zu: %s", i, text);
		free(text);
		cr_assert(!exists(out), "case %zu wrote %s", i, out);
	}
	cr_assert_eq(sh(VMSIM " merge %s 2>%s/err", dir, dir), 2);
}

/* Every name under root, recursively, that ends in .tmp. */
static unsigned count_tmp(const char *root)
{
	DIR *d = opendir(root);
	struct dirent *e;
	unsigned n = 0;
	char path[512];

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", root, e->d_name);
		if (len > 4 && !strcmp(e->d_name + len - 4, ".tmp"))
			n++;
		if (e->d_type == DT_DIR)
			n += count_tmp(path);
	}
	closedir(d);
	return n;
}

/* Ctrl-C in the middle: the whole process group gets SIGINT. */
Test(sweep, interrupt_leaves_only_whole_files, .init = setup, .fini = teardown)
{
	char out[128], wl[128];
	struct timespec pause = { 0, 300 * 1000 * 1000 };
	FILE *f;
	pid_t pid;
	int st;

	/* long enough to be caught half way in either build */
	snprintf(wl, sizeof(wl), "%s/long.wl", dir);
	f = fopen(wl, "w");
	cr_assert_not_null(f);
	fputs("big = mmap any 64M rw private,anon\n"
	      "access write uniform big 64M 100000000\n", f);
	fclose(f);
	snprintf(out, sizeof(out), "%s/s", dir);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		setpgid(0, 0);
		execl(VMSIM, "vmsim", "sweep", "-q", "-j", "2", "--vary",
		      "page_size=4K,8K", "-o", out, wl, (char *)NULL);
		_exit(127);
	}
	setpgid(pid, pid);
	nanosleep(&pause, NULL);
	cr_assert_eq(kill(-pid, SIGINT), 0);
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGINT, "status %#x", st);
	/* the sweep reaped its points before it died */
	cr_assert_eq(kill(-pid, 0), -1, "points still running");
	cr_assert_eq(count_tmp(out), 0);
	snprintf(out, sizeof(out), "%s/s/summary.csv", dir);
	cr_assert(!exists(out));
}

/*
 * The bundled workloads at 4K and 8K pages go the way page size should
 * take them: no more faults or page-table pages at 8K, no less internal
 * fragmentation (page rounding and buddy block slack); strictly so for
 * every workload that faults at all, and in the totals.
 */
Test(sweep, bundled_workloads_4k_against_8k_go_the_expected_ways,
     .init = setup, .fini = teardown, .timeout = 600)
{
	struct csv_table t;
	uint64_t sum[2][3] = { { 0 } };
	size_t n;

	/*
	 * The release program in both variants: the debug one validates
	 * every structure after every change and takes minutes over the
	 * bundled 12-million-access workloads; the counts are the same.
	 */
	cr_assert_eq(sh("build/release/vmsim sweep -q --vary page_size=4K,8K "
			"-o %s/s workloads/*.wl", dir), 0);
	read_table("s", "summary.csv", &t);
	n = (t.nr_rows - 1) / 2;
	cr_assert_geq(n, 8, "%zu workloads", n);
	for (size_t w = 1; w <= n; w++) {
		const char *name = field(&t, w, "workload");
		uint64_t v[2][3];

		cr_assert_str_eq(field(&t, w + n, "workload"), name);
		cr_assert_str_eq(field(&t, w, "page_size"), "4096");
		cr_assert_str_eq(field(&t, w + n, "page_size"), "8192");
		for (int p = 0; p < 2; p++) {
			size_t r = w + (size_t)p * n;

			v[p][0] = strtoull(field(&t, r, "pgfault"), NULL, 10);
			v[p][1] = strtoull(field(&t, r, "nr_page_table_pages"), NULL, 10);
			v[p][2] = strtoull(field(&t, r, "vm_internal_frag_bytes"), NULL, 10) +
				  strtoull(field(&t, r, "internal_frag_bytes"), NULL, 10);
			for (int k = 0; k < 3; k++)
				sum[p][k] += v[p][k];
		}
		cr_expect_leq(v[1][0], v[0][0], "%s: pgfault %lu at 8K, %lu at 4K", name,
			      (unsigned long)v[1][0], (unsigned long)v[0][0]);
		if (v[0][0])
			cr_expect_lt(v[1][0], v[0][0], "%s: pgfault", name);
		cr_expect_leq(v[1][1], v[0][1], "%s: page-table pages", name);
		cr_expect_geq(v[1][2], v[0][2], "%s: internal fragmentation", name);
	}
	cr_expect_lt(sum[1][0], sum[0][0]);
	cr_expect_lt(sum[1][1], sum[0][1]);
	cr_expect_gt(sum[1][2], sum[0][2]);
	csv_table_free(&t);
}

/* On a terminal (script(1) gives it one) a progress bar counts the points. */
Test(sweep, a_terminal_gets_a_progress_bar, .init = setup, .fini = teardown)
{
	char path[128], *text;

	cr_assert_eq(sh("command -v script >/dev/null"), 0, "script(1) is missing");
	cr_assert_eq(sh("script -qec '" VMSIM " sweep --vary page_size=4K,8K -o %s/s "
			WL_A " " WL_B "' /dev/null > %s/tty.txt", dir, dir), 0);
	snprintf(path, sizeof(path), "%s/tty.txt", dir);
	text = slurp(path);
	cr_expect_not_null(strstr(text, "\rsweep [              "), "%s", text);
	cr_expect_not_null(strstr(text, "] 2/4 points"), "%s", text);
	cr_expect_not_null(strstr(text, "ETA"), "%s", text);
	cr_expect_not_null(strstr(text, "[##############################] 4/4 points"), "%s", text);
	free(text);
	/* not on a terminal (every other test here): no bar */
	cr_assert_eq(sh(VMSIM " sweep --vary page_size=4K -o %s/q " WL_A " 2>%s/err.txt",
			dir, dir), 0);
	snprintf(path, sizeof(path), "%s/err.txt", dir);
	text = slurp(path);
	cr_expect_str_eq(text, "");
	free(text);
}

/*
 * Found in review: with sampling off a point's time series is empty, and
 * the sweep then failed; a sweep without any time series must also not
 * leave an earlier sweep's timeseries.csv in the directory.
 */
Test(sweep, no_sampling_gives_no_time_series, .init = setup, .fini = teardown)
{
	char path[128];

	cr_assert_eq(sh(VMSIM " sweep -q --vary page_size=4K,8K -o %s/s " WL_A, dir), 0);
	snprintf(path, sizeof(path), "%s/s/timeseries.csv", dir);
	cr_assert(exists(path));
	cr_assert_eq(sh(VMSIM " sweep -q --vary page_size=4K,8K --set sample_interval_ns=0 "
			"-o %s/s " WL_A, dir), 0);
	cr_expect(!exists(path), "an earlier sweep's time series is left");
	snprintf(path, sizeof(path), "%s/s/summary.csv", dir);
	cr_expect(exists(path));
}
