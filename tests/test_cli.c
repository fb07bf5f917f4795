/*
 * test_cli.c - one workload from file to results/ (sim/io/run.c) and the
 * command line around it (sim/main.c).
 *
 * run_workload() is called directly with a fresh temporary output
 * directory per test; the CSV files it leaves are compared exactly. The
 * exit codes of the program itself are checked by running the vmsim
 * binary of the same build variant (scons builds it before the tests).
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "core/stats.h"
#include "io/config.h"
#include "io/diag.h"
#include "io/run.h"

TestSuite(cli);

static char out_dir[64];
static char *diag_buf;
static size_t diag_len;

static void diag_capture(void)
{
	diag_stream = open_memstream(&diag_buf, &diag_len);
	cr_assert_not_null(diag_stream);
}

static const char *diag_text(void)
{
	if (diag_stream) {
		fclose(diag_stream);
		diag_stream = NULL;
	}
	return diag_buf ? diag_buf : "";
}

static void rm_rf(const char *path)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	cr_assert_eq(system(cmd), 0);
}

static void setup(void)
{
	snprintf(out_dir, sizeof(out_dir), "/tmp/vmsim-test-cli-XXXXXX");
	cr_assert_not_null(mkdtemp(out_dir));
}

static void teardown(void)
{
	if (diag_stream)
		fclose(diag_stream);
	diag_stream = NULL;
	free(diag_buf);
	diag_buf = NULL;
	if (out_dir[0])
		rm_rf(out_dir);
}

static char *result(const char *dir, const char *workload, const char *file)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s/%s", dir, workload, file);
	return test_slurp(path);
}

/* Names in dir (hidden ones too), sorted, joined with spaces. */
static void list_dir(const char *dir, char *out, size_t len)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);

	out[0] = '\0';
	cr_assert_geq(n, 0, "scandir %s: %s", dir, strerror(errno));
	for (int i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, "..")) {
			if (out[0])
				strncat(out, " ", len - strlen(out) - 1);
			strncat(out, names[i]->d_name, len - strlen(out) - 1);
		}
		free(names[i]);
	}
	free(names);
}

static int run(const char *workload, const char *const *sets, size_t nr_sets,
	       bool events, const char *dir)
{
	struct run_opts o = {
		.sets = sets, .nr_sets = nr_sets, .out_dir = dir,
		.events = events, .dump_out = NULL,
	};

	return run_workload(&o, workload);
}

/* Splits one CSV line (no quoting in these files) into fields. */
static unsigned split(char *line, char **field, unsigned max)
{
	unsigned n = 0;

	for (char *s = line; n < max; ) {
		field[n++] = s;
		s = strchr(s, ',');
		if (!s)
			break;
		*s++ = '\0';
	}
	return n;
}

/* ---- the seed workload's results ---- */

Test(cli, seed_summary_has_config_columns_then_exact_counters,
     .init = setup, .fini = teardown)
{
	char *text, *nl, *head[128], *row[128];
	unsigned nh, nr;
	struct sim_config cfg;
	static const struct { const char *col, *value; } want[] = {
		{ "page_size", "65536" }, { "memory_size", "1048576" },
		{ "max_order", "10" }, { "sample_interval_ns", "100" },
		{ "cost_kalloc_ns", "100" }, { "cost_kfree_ns", "80" },
		{ "stack_rlimit", "8388608" }, { "address_space_limit", "unlimited" },
		{ "mmap_layout", "topdown" }, { "validate", "false" },
		{ "task_size", "140737488289792" },   /* derived by cfg_check */
		{ "workload", "seed-buddy" }, { "process", "total" },
		{ "sim_time_ns", "720" }, { "ops", "18" }, { "kalloc", "4" },
		{ "kfree", "4" }, { "kalloc_fail", "0" }, { "pgalloc", "6" },
		{ "pgfree", "6" }, { "nr_free_pages", "16" },
		{ "nr_alloc_pages", "0" }, { "requested_bytes", "0" },
		{ "internal_frag_bytes", "0" }, { "kalloc_time_ns", "720" },
	};

	cr_assert_eq(run("workloads/seed-buddy.wl", NULL, 0, false, out_dir), 0);
	text = result(out_dir, "seed-buddy", "summary.csv");
	cr_assert_not_null(text);
	cr_assert_eq(strncmp(text, "page_size,memory_size,", 22), 0, "%s", text);
	nl = strchr(text, '\n');
	cr_assert_not_null(nl);
	*nl = '\0';
	cr_assert_str_empty(strchr(nl + 1, '\n') + 1, "one row only");
	*strchr(nl + 1, '\n') = '\0';
	nh = split(text, head, 128);
	nr = split(nl + 1, row, 128);
	cr_assert_eq(nh, nr, "%u columns, %u values", nh, nr);
	/* every config key is a column, with the value cfg_format gives */
	cfg_defaults(&cfg);
	cr_assert_geq(nh, cfg_nr_keys() + 2);
	for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		unsigned c;

		for (c = 0; c < nh && strcmp(head[c], want[i].col); c++)
			;
		cr_assert_lt(c, nh, "no column %s", want[i].col);
		cr_assert_str_eq(row[c], want[i].value, "column %s", want[i].col);
	}
	for (unsigned k = 0; k < cfg_nr_keys(); k++) {
		unsigned c;

		for (c = 0; c < nh && strcmp(head[c], cfg_key_name(k)); c++)
			;
		cr_assert_lt(c, nh, "no column for key %s", cfg_key_name(k));
	}
	/* the config columns come first, in key-table order after page_size */
	for (unsigned k = 0, c = 1; k < cfg_nr_keys(); k++) {
		if (!strcmp(cfg_key_name(k), "page_size"))
			continue;
		cr_assert_str_eq(head[c], cfg_key_name(k));
		c++;
	}
	cr_assert_str_eq(head[cfg_nr_keys()], "workload");
	free(text);
}

static const char seed_timeseries[] =
	"time_ns,process,pid,nr_free_pages,free_blocks_order0,free_blocks_order1,free_blocks_order2,free_blocks_order3,free_blocks_order4,internal_frag_bytes,unusable_index_order0,unusable_index_order1,unusable_index_order2,unusable_index_order3,unusable_index_order4,slab_bytes,page_table_bytes,accesses,tlb_misses,pgfault,cow_faults,sigsegv,rss_pages,nr_vmas,nr_page_table_pages\n"
	"0,total,,16,0,0,0,0,1,0,0.000,0.000,0.000,0.000,0.000,0,0,0,0,0,0,0,0,0,0\n"
	"100,total,,15,1,1,1,1,0,30720,0.000,0.067,0.200,0.467,1.000,0,0,0,0,0,0,0,0,0,0\n"
	"200,total,,13,1,0,1,1,0,94208,0.000,0.077,0.077,0.385,1.000,0,0,0,0,0,0,0,0,0,0\n"
	"300,total,,12,0,0,1,1,0,123904,0.000,0.000,0.000,0.333,1.000,0,0,0,0,0,0,0,0,0,0\n"
	"400,total,,10,0,1,0,1,0,186368,0.000,0.000,0.200,0.200,1.000,0,0,0,0,0,0,0,0,0,0\n"
	"500,total,,14,0,1,1,1,0,60416,0.000,0.000,0.143,0.429,1.000,0,0,0,0,0,0,0,0,0,0\n"
	"600,total,,15,1,1,1,1,0,29696,0.000,0.067,0.200,0.467,1.000,0,0,0,0,0,0,0,0,0,0\n"
	"700,total,,16,0,0,0,0,1,0,0.000,0.000,0.000,0.000,0.000,0,0,0,0,0,0,0,0,0,0\n"
	"720,total,,16,0,0,0,0,1,0,0.000,0.000,0.000,0.000,0.000,0,0,0,0,0,0,0,0,0,0\n";

Test(cli, seed_timeseries_rows_are_exact, .init = setup, .fini = teardown)
{
	char *text;

	cr_assert_eq(run("workloads/seed-buddy.wl", NULL, 0, false, out_dir), 0);
	text = result(out_dir, "seed-buddy", "timeseries.csv");
	cr_assert_not_null(text);
	cr_assert_str_eq(text, seed_timeseries);
	free(text);
}

static const char seed_events[] =
	"time_ns,pid,op,name,size_bytes,order,phys_addr,result,latency_ns\n"
	"0,1,dump,,0,,,0,0\n"
	"0,1,kalloc,A,34816,0,0x0,0,100\n"
	"100,1,dump,,0,,,0,0\n"
	"100,1,kalloc,B,67584,1,0x20000,0,100\n"
	"200,1,dump,,0,,,0,0\n"
	"200,1,kalloc,C,35840,0,0x10000,0,100\n"
	"300,1,dump,,0,,,0,0\n"
	"300,1,kalloc,D,68608,1,0x40000,0,100\n"
	"400,1,dump,,0,,,0,0\n"
	"400,1,kfree,B,67584,1,0x20000,0,80\n"
	"480,1,dump,,0,,,0,0\n"
	"480,1,kfree,D,68608,1,0x40000,0,80\n"
	"560,1,dump,,0,,,0,0\n"
	"560,1,kfree,A,34816,0,0x0,0,80\n"
	"640,1,dump,,0,,,0,0\n"
	"640,1,kfree,C,35840,0,0x10000,0,80\n"
	"720,1,dump,,0,,,0,0\n"
	"720,1,dump,,0,,,0,0\n";

Test(cli, events_csv_only_with_events, .init = setup, .fini = teardown)
{
	char listing[512], sub[512], *text;

	cr_assert_eq(run("workloads/seed-buddy.wl", NULL, 0, false, out_dir), 0);
	snprintf(sub, sizeof(sub), "%s/seed-buddy", out_dir);
	list_dir(sub, listing, sizeof(listing));
	cr_assert_str_eq(listing, "summary.csv timeseries.csv");

	cr_assert_eq(run("workloads/seed-buddy.wl", NULL, 0, true, out_dir), 0);
	list_dir(sub, listing, sizeof(listing));
	cr_assert_str_eq(listing, "events.csv summary.csv timeseries.csv");
	text = result(out_dir, "seed-buddy", "events.csv");
	cr_assert_not_null(text);
	cr_assert_str_eq(text, seed_events);
	free(text);
}

Test(cli, dump_output_goes_to_dump_out, .init = setup, .fini = teardown)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct run_opts o = { .out_dir = out_dir, .dump_out = f };

	cr_assert_eq(run_workload(&o, "workloads/seed-buddy.wl"), 0);
	fclose(f);
	cr_assert_eq(strncmp(buf,
			     "Node 0, zone   Normal      0      0      0      0      1 \n"
			     "Node 0, zone   Normal      1      1      1      1      0 \n", 114), 0,
		     "%s", buf);
	free(buf);
}

Test(cli, set_page_size_changes_the_summary_column, .init = setup, .fini = teardown)
{
	static const char *const sets[] = { "page_size=8K" };
	char *text, *nl, *head[128], *row[128];
	unsigned nh;

	cr_assert_eq(run("workloads/seed-buddy.wl", sets, 1, false, out_dir), 0);
	text = result(out_dir, "seed-buddy", "summary.csv");
	cr_assert_not_null(text);
	nl = strchr(text, '\n');
	*nl = '\0';
	*strchr(nl + 1, '\n') = '\0';
	nh = split(text, head, 128);
	cr_assert_eq(split(nl + 1, row, 128), nh);
	cr_assert_str_eq(head[0], "page_size");
	cr_assert_str_eq(row[0], "8192");
	/* 1024K of 8K pages: 128 frames, all free again at the end */
	for (unsigned c = 0; c < nh; c++)
		if (!strcmp(head[c], "nr_free_pages"))
			cr_assert_str_eq(row[c], "128");
	free(text);
}

Test(cli, two_runs_give_byte_identical_csv, .init = setup, .fini = teardown)
{
	static const char *const files[] = { "summary.csv", "timeseries.csv", "events.csv" };
	char second[600];

	snprintf(second, sizeof(second), "%s/again", out_dir);
	cr_assert_eq(run("workloads/seed-buddy.wl", NULL, 0, true, out_dir), 0);
	cr_assert_eq(run("workloads/seed-buddy.wl", NULL, 0, true, second), 0);
	for (unsigned i = 0; i < 3; i++) {
		char *a = result(out_dir, "seed-buddy", files[i]);
		char *b = result(second, "seed-buddy", files[i]);

		cr_assert_not_null(a);
		cr_assert_not_null(b);
		cr_assert_str_eq(a, b, "%s differs", files[i]);
		free(a);
		free(b);
	}
}

/* ---- bad input: exit 2, nothing written ---- */

static void assert_nothing_written(void)
{
	char listing[512];

	list_dir(out_dir, listing, sizeof(listing));
	cr_assert_str_eq(listing, "", "left in the output dir: %s", listing);
}

Test(cli, parse_error_exits_2_and_writes_nothing, .init = setup, .fini = teardown)
{
	diag_capture();
	cr_assert_eq(run("tests/fixtures/bad/unknown-op.wl", NULL, 0, true, out_dir), 2);
	cr_assert_str_eq(diag_text(),
			 "tests/fixtures/bad/unknown-op.wl:2:1: error: unknown operation 'kallok' (did you mean 'kalloc'?)\n");
	assert_nothing_written();
}

Test(cli, runtime_workload_error_exits_2_and_leaves_no_files,
     .init = setup, .fini = teardown)
{
	diag_capture();
	cr_assert_eq(run("tests/fixtures/bad/kfree-twice.wl", NULL, 0, true, out_dir), 2);
	cr_assert_str_eq(diag_text(),
			 "tests/fixtures/bad/kfree-twice.wl:3:1: error: kfree: 'A' was already freed\n");
	/* the results directory was made for the run and removed again,
	 * with no .tmp left inside or beside it */
	assert_nothing_written();
}

Test(cli, runtime_error_keeps_earlier_results, .init = setup, .fini = teardown)
{
	char dir[600], path[700], listing[512], *after;
	FILE *f;

	/* results of an earlier run of a workload of the same name */
	snprintf(dir, sizeof(dir), "%s/kfree-twice", out_dir);
	cr_assert_eq(mkdir(dir, 0777), 0);
	snprintf(path, sizeof(path), "%s/summary.csv", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("kept", f);
	fclose(f);
	diag_capture();
	cr_assert_eq(run("tests/fixtures/bad/kfree-twice.wl", NULL, 0, true, out_dir), 2);
	list_dir(dir, listing, sizeof(listing));
	cr_assert_str_eq(listing, "summary.csv");
	after = result(out_dir, "kfree-twice", "summary.csv");
	cr_assert_str_eq(after, "kept");
	free(after);
}

Test(cli, bad_config_exits_2_and_writes_nothing, .init = setup, .fini = teardown)
{
	static const char *const sets[] = { "page_size=12K" };
	static const char *const unknown[] = { "pagesize=8K" };

	diag_capture();
	cr_assert_eq(run("workloads/seed-buddy.wl", sets, 1, false, out_dir), 2);
	cr_assert_eq(run("workloads/seed-buddy.wl", unknown, 1, false, out_dir), 2);
	cr_assert_eq(run("tests/fixtures/bad/set-unknown-key.wl", NULL, 0, false, out_dir), 2);
	cr_assert_str_eq(diag_text(),
			 "--set: error: page_size = '12K': not a power of two of at least 256 bytes\n"
			 "--set: error: unknown config key 'pagesize'\n"
			 "tests/fixtures/bad/set-unknown-key.wl:2:5: error: unknown config key 'page_sise'\n");
	assert_nothing_written();
}

Test(cli, missing_workload_exits_2, .init = setup, .fini = teardown)
{
	diag_capture();
	cr_assert_eq(run("tests/fixtures/no-such.wl", NULL, 0, false, out_dir), 2);
	cr_assert_str_eq(diag_text(),
			 "tests/fixtures/no-such.wl: error: cannot open workload: No such file or directory\n");
	assert_nothing_written();
}

Test(cli, unwritable_output_exits_1, .init = setup, .fini = teardown)
{
	diag_capture();
	cr_assert_eq(run("workloads/seed-buddy.wl", NULL, 0, false, "/dev/null/x"), 1);
	cr_assert_str_eq(diag_text(),
			 "/dev/null/x/seed-buddy: error: cannot write results: Not a directory\n");
}

Test(cli, check_only_runs_and_writes_nothing, .init = setup, .fini = teardown)
{
	struct run_opts o = { .out_dir = out_dir, .check_only = true, .dump_out = stdout };

	cr_assert_eq(run_workload(&o, "workloads/seed-buddy.wl"), 0);
	assert_nothing_written();
	diag_capture();
	cr_assert_eq(run_workload(&o, "tests/fixtures/bad/kfree-twice.wl"), 2);
	cr_assert_str_eq(diag_text(),
			 "tests/fixtures/bad/kfree-twice.wl:3:1: error: kfree: 'A' was already freed\n");
	assert_nothing_written();
}

/*
 * events.csv cannot be opened after timeseries.csv was: the run fails
 * with exit 1, and the timeseries temporary is removed, not left behind
 * (and its FILE not leaked).
 */
Test(cli, failed_events_open_leaves_no_tmp, .init = setup, .fini = teardown)
{
	char dir[600], block[700], listing[512], want[700];

	snprintf(dir, sizeof(dir), "%s/seed-buddy", out_dir);
	cr_assert_eq(mkdir(dir, 0777), 0);
	/* a directory where the temporary events file would go */
	snprintf(block, sizeof(block), "%s/.events.csv.tmp", dir);
	cr_assert_eq(mkdir(block, 0777), 0);
	diag_capture();
	cr_assert_eq(run("workloads/seed-buddy.wl", NULL, 0, true, out_dir), 1);
	snprintf(want, sizeof(want), "%s: error: cannot write results: Is a directory\n", dir);
	cr_assert_str_eq(diag_text(), want);
	list_dir(dir, listing, sizeof(listing));
	cr_assert_str_eq(listing, ".events.csv.tmp");
}

/* ---- the program: exit codes ---- */

#ifdef SIM_DEBUG
#define VMSIM "build/debug/vmsim"
#else
#define VMSIM "build/release/vmsim"
#endif

/* Runs the vmsim of this build variant; returns its exit code. */
static int vmsim(const char *args)
{
	char cmd[1024];
	int st;

	if (access(VMSIM, X_OK))
		cr_skip_test("%s not built (scons builds it before the tests)", VMSIM);
	snprintf(cmd, sizeof(cmd), "%s %s >/dev/null 2>&1", VMSIM, args);
	st = system(cmd);
	cr_assert(WIFEXITED(st), "%s: did not exit", cmd);
	return WEXITSTATUS(st);
}

Test(cli, program_exit_codes, .init = setup, .fini = teardown)
{
	char args[512];

	/* each run costs ~0.15 s under ASan (its leak check at exit, which
	 * turns a leak into exit code 23 here): one call per exit path */
	cr_assert_eq(vmsim(""), 2);
	cr_assert_eq(vmsim("--version"), 0);
	cr_assert_eq(vmsim("run --bogus workloads/seed-buddy.wl"), 2);
	cr_assert_eq(vmsim("check workloads/seed-buddy.wl"), 0);
	cr_assert_eq(vmsim("check tests/fixtures/bad/kfree-twice.wl"), 2);
	snprintf(args, sizeof(args), "run -q -o %s --set page_size=3000 workloads/seed-buddy.wl", out_dir);
	cr_assert_eq(vmsim(args), 2);
	assert_nothing_written();
	cr_assert_eq(vmsim("run -q -o /dev/null/x workloads/seed-buddy.wl"), 1);
	/* several workloads: the worst exit code wins */
	snprintf(args, sizeof(args),
		 "run -q -o %s workloads/seed-buddy.wl tests/fixtures/bad/unknown-op.wl", out_dir);
	cr_assert_eq(vmsim(args), 2);
	snprintf(args, sizeof(args), "run -q -e -o %s --set page_size=8K workloads/seed-buddy.wl",
		 out_dir);
	cr_assert_eq(vmsim(args), 0);
	{
		char listing[512], sub[600];

		snprintf(sub, sizeof(sub), "%s/seed-buddy", out_dir);
		list_dir(sub, listing, sizeof(listing));
		cr_assert_str_eq(listing, "events.csv summary.csv timeseries.csv");
	}
}

/* summary.csv's header names each column once (config keys and counters). */
Test(cli, summary_column_names_are_unique)
{
	const char *names[256];
	unsigned n = 0;

	for (unsigned i = 0; i < cfg_nr_keys(); i++)
		names[n++] = cfg_key_name(i);
	names[n++] = "workload";
	names[n++] = "process";
	names[n++] = "pid";
	for (unsigned i = 0; i < stats_nr_fields; i++)
		names[n++] = stats_fields[i].name;
	cr_assert_leq(n, 256);
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = i + 1; j < n; j++)
			cr_expect_str_neq(names[i], names[j], "column %u and %u", i, j);
}
