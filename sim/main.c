/*
 * main.c - the vmsim command line, and nothing else.
 *
 *   vmsim run    [-c CONFIG] [--set K=V]... [-o DIR] [--events] WORKLOAD...
 *   vmsim check  [-c CONFIG] [--set K=V]... WORKLOAD...
 *   vmsim replay [-c CONFIG] [--set K=V]... [--maps START] --strace LOG [--pid N] [-o DIR]
 *   vmsim replay [-c CONFIG] [--set K=V]... [--maps START] --lackey TRACE [-o DIR]
 *   vmsim sweep  --vary K=V1,V2... [-c CONFIG] [--set K=V]... [-j N] [-o DIR]
 *                [--jobs-file FILE] WORKLOAD...
 *   vmsim merge  [-o OUT] DIR...
 *
 * All knowledge of arguments lives here; the work is in sim/io (run.c,
 * replay.c). Exit codes: 0 success, 1 simulation error, 2 bad input/usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/config.h"
#include "io/csv_out.h"
#include "io/diag.h"
#include "io/run.h"
#include "io/sweep.h"

#define VMSIM_VERSION "0.1.0"

static const char usage_main[] =
	"usage: vmsim COMMAND [OPTIONS] ...\n"
	"\n"
	"commands:\n"
	"  run       simulate workloads, write CSV into results/\n"
	"  check     parse and validate workloads, write nothing\n"
	"  replay    replay a real strace log from a /proc maps snapshot\n"
	"  sweep     run workloads under every combination of varied keys\n"
	"  merge     combine a sweep's points run elsewhere (GNU parallel)\n"
	"\n"
	"vmsim COMMAND --help shows a command's options; vmsim --version.\n";

static const char usage_run[] =
	"usage: vmsim run [-c CONFIG] [--set KEY=VALUE]... [-o DIR] [--events] WORKLOAD...\n"
	"\n"
	"Simulates each workload and writes DIR/<workload>/summary.csv and\n"
	"timeseries.csv (and events.csv with --events). dump operations print\n"
	"to standard output.\n"
	"\n"
	"  -c, --config FILE     machine config (INI); default: the workload's\n"
	"                        `config` line, else the built-in x86-64 defaults\n"
	"  -s, --set KEY=VALUE   override one config key (repeatable)\n"
	"  -o, --output DIR      results directory (default: results)\n"
	"  -e, --events          also write events.csv, one row per operation\n"
	"  -q, --quiet           no progress line, no dump output\n"
	"      --list-keys       print every config key with its default\n"
	"  -h, --help            this text\n";

static const char usage_check[] =
	"usage: vmsim check [-c CONFIG] [--set KEY=VALUE]... WORKLOAD...\n"
	"\n"
	"Parses each workload and runs it without writing anything, reporting\n"
	"every error as file:line:col. Exit 0 when all are valid, 2 otherwise.\n";

static const char usage_replay[] =
	"usage: vmsim replay [-c CONFIG] [--set KEY=VALUE]... [--maps START] --strace LOG\n"
	"                    [--pid N] [-o DIR] [--events]\n"
	"       vmsim replay [-c CONFIG] [--set KEY=VALUE]... [--maps START] --lackey TRACE\n"
	"                    [-o DIR]\n"
	"\n"
	"With --strace: rebuilds the address space of a traced program from a\n"
	"/proc/<pid>/maps or smaps snapshot, re-runs every memory call of an\n"
	"`strace -f -y` log through vmsim's mm, compares each result with the\n"
	"kernel's, and prints the final /proc/<pid>/maps on standard output.\n"
	"With --lackey: runs every access of a `valgrind --tool=lackey\n"
	"--trace-mem=yes` trace through the TLB, page tables and page faults.\n"
	"\n"
	"  -m, --maps FILE       starting snapshot (maps or smaps); default: empty\n"
	"  -t, --strace FILE     the strace log\n"
	"  -l, --lackey FILE     a valgrind lackey memory trace\n"
	"  -p, --pid N           print this pid's address space (default: the first)\n"
	"  -o, --output DIR      write DIR/summary.csv (replay_mismatches, ...)\n"
	"  -e, --events          also write DIR/events.csv, both results per call\n"
	"  -c, --config FILE     machine config (INI); default x86-64\n"
	"  -s, --set KEY=VALUE   override one config key (e.g. stack_rlimit=1G)\n"
	"  -h, --help            this text\n";

static const char usage_sweep[] =
	"usage: vmsim sweep --vary KEY=V1,V2,... [--vary KEY=...]... [-c CONFIG]\n"
	"                   [--set KEY=VALUE]... [-j N] [-o DIR] [--jobs-file FILE]\n"
	"                   WORKLOAD...\n"
	"\n"
	"Runs every workload under every combination of the varied keys (the\n"
	"first --vary slowest, workloads fastest), N at a time, each point into\n"
	"DIR/points/NNNN/, then writes DIR/summary.csv and DIR/timeseries.csv\n"
	"with the varied keys as the first columns (page_size first). The rows\n"
	"come in point order, so any -j gives the same bytes.\n"
	"\n"
	"  -v, --vary KEY=V,...  a config key and its values (repeatable)\n"
	"  -c, --config FILE     machine config for every point\n"
	"  -s, --set KEY=VALUE   override one key in every point (repeatable)\n"
	"  -j, --jobs N          points at a time (default: online CPUs)\n"
	"  -o, --output DIR      results directory (default: results/sweep)\n"
	"      --jobs-file FILE  write one `vmsim run` command per point to FILE\n"
	"                        instead of running them (for GNU parallel or a\n"
	"                        job array); then `vmsim merge DIR`\n"
	"  -q, --quiet           no progress bar\n"
	"  -h, --help            this text\n";

static const char usage_merge[] =
	"usage: vmsim merge [-o OUT] DIR...\n"
	"\n"
	"Combines the points of the sweep planned in DIR (DIR/sweep.plan, from\n"
	"`vmsim sweep --jobs-file`) into OUT/summary.csv and OUT/timeseries.csv,\n"
	"the same bytes a local sweep writes. Each point's results are looked\n"
	"for in every DIR in turn (results copied back from several hosts).\n"
	"\n"
	"  -o, --output OUT      where the combined files go (default: the first DIR)\n"
	"  -h, --help            this text\n";

enum { OPT_LIST_KEYS = 256, OPT_VERSION, OPT_JOBS_FILE };

static const struct option sweep_options[] = {
	{ "vary", required_argument, NULL, 'v' },
	{ "config", required_argument, NULL, 'c' },
	{ "set", required_argument, NULL, 's' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "output", required_argument, NULL, 'o' },
	{ "jobs-file", required_argument, NULL, OPT_JOBS_FILE },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const struct option merge_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const struct option replay_options[] = {
	{ "maps", required_argument, NULL, 'm' },
	{ "strace", required_argument, NULL, 't' },
	{ "lackey", required_argument, NULL, 'l' },
	{ "pid", required_argument, NULL, 'p' },
	{ "output", required_argument, NULL, 'o' },
	{ "events", no_argument, NULL, 'e' },
	{ "config", required_argument, NULL, 'c' },
	{ "set", required_argument, NULL, 's' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const struct option run_options[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "set", required_argument, NULL, 's' },
	{ "output", required_argument, NULL, 'o' },
	{ "events", no_argument, NULL, 'e' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "list-keys", no_argument, NULL, OPT_LIST_KEYS },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void list_keys(void)
{
	printf("%-24s %-16s %s\n", "key", "default", "meaning");
	for (unsigned i = 0; i < cfg_nr_keys(); i++)
		printf("%-24s %-16s %s\n", cfg_key_name(i), cfg_key_default(i),
		       cfg_key_help(i));
}

static int usage_error(const char *usage, const char *fmt, const char *arg)
{
	fprintf(stderr, "vmsim: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n%s", usage);
	return VMSIM_EXIT_INPUT;
}

static int cmd_run(int argc, char **argv, bool check)
{
	const char *usage = check ? usage_check : usage_run;
	struct run_opts o = { .out_dir = "results", .dump_out = stdout,
			      .check_only = check };
	const char **sets = calloc((size_t)argc, sizeof(*sets));
	bool quiet = false;
	int c, worst = VMSIM_EXIT_OK;

	if (!sets)
		return VMSIM_EXIT_SIM;
	o.sets = sets;
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:s:o:eqh", run_options, NULL)) != -1) {
		switch (c) {
		case 'c': o.config_path = optarg; break;
		case 's': sets[o.nr_sets++] = optarg; break;
		case 'o': o.out_dir = optarg; break;
		case 'e': o.events = true; break;
		case 'q': quiet = true; break;
		case OPT_LIST_KEYS: list_keys(); free(sets); return 0;
		case 'h': fputs(usage, stdout); free(sets); return 0;
		default: fputs(usage, stderr); free(sets); return VMSIM_EXIT_INPUT;
		}
	}
	if (optind == argc) {
		free(sets);
		return usage_error(usage, "%s: no workload given", check ? "check" : "run");
	}
	if (quiet)
		o.dump_out = NULL;
	o.progress = !quiet && isatty(STDERR_FILENO);
	for (int i = optind; i < argc; i++) {
		int rc = run_workload(&o, argv[i]);

		if (rc > worst)
			worst = rc;
	}
	free(sets);
	return worst;
}

static int cmd_replay(int argc, char **argv)
{
	struct replay_cli c = { .maps_out = stdout };
	const char **sets = calloc((size_t)argc, sizeof(*sets));
	char *end;
	long pid;
	int opt, rc;

	if (!sets)
		return VMSIM_EXIT_SIM;
	c.sets = sets;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "m:t:l:p:o:ec:s:h", replay_options, NULL)) != -1) {
		switch (opt) {
		case 'm': c.maps_path = optarg; break;
		case 't': c.strace_path = optarg; break;
		case 'l': c.lackey_path = optarg; break;
		case 'p':
			pid = strtol(optarg, &end, 10);
			if (*end || pid <= 0 || pid > 0x7fffffff) {
				free(sets);
				return usage_error(usage_replay, "--pid: '%s' is not a pid", optarg);
			}
			c.pid = (int)pid;
			break;
		case 'o': c.out_dir = optarg; break;
		case 'e': c.events = true; break;
		case 'c': c.config_path = optarg; break;
		case 's': sets[c.nr_sets++] = optarg; break;
		case 'h': fputs(usage_replay, stdout); free(sets); return 0;
		default: fputs(usage_replay, stderr); free(sets); return VMSIM_EXIT_INPUT;
		}
	}
	if (optind < argc) {
		free(sets);
		return usage_error(usage_replay, "replay: unexpected argument '%s'", argv[optind]);
	}
	if (c.strace_path && c.lackey_path) {
		free(sets);
		return usage_error(usage_replay, "%s: --strace and --lackey cannot be "
				   "replayed together (their times are not related)", "replay");
	}
	if (!c.strace_path && !c.lackey_path) {
		free(sets);
		return usage_error(usage_replay, "%s: --strace LOG or --lackey TRACE is required",
				   "replay");
	}
	rc = c.lackey_path ? run_lackey(&c) : run_replay(&c);
	free(sets);
	return rc;
}

static int cmd_sweep(int argc, char **argv)
{
	struct sweep_plan p = { 0 };
	struct sweep_opts o = { .out_dir = "results/sweep" };
	bool quiet = false;
	int c, rc = 0;
	char *end;
	unsigned long jobs;

	optind = 1;
	while (!rc && (c = getopt_long(argc, argv, "v:c:s:j:o:qh", sweep_options,
					NULL)) != -1) {
		switch (c) {
		case 'v': rc = sweep_add_axis(&p, optarg) ? VMSIM_EXIT_INPUT : 0; break;
		case 'c': rc = sweep_set_config(&p, optarg) ? VMSIM_EXIT_SIM : 0; break;
		case 's': rc = sweep_add_set(&p, optarg) ? VMSIM_EXIT_SIM : 0; break;
		case 'j':
			jobs = strtoul(optarg, &end, 10);
			if (*end || !*optarg || jobs == 0 || jobs > 4096) {
				sweep_plan_free(&p);
				return usage_error(usage_sweep, "-j: '%s' is not a number "
						   "of jobs from 1 to 4096", optarg);
			}
			o.jobs = (unsigned)jobs;
			break;
		case 'o': o.out_dir = optarg; break;
		case OPT_JOBS_FILE: o.jobs_file = optarg; break;
		case 'q': quiet = true; break;
		case 'h': fputs(usage_sweep, stdout); sweep_plan_free(&p); return 0;
		default: fputs(usage_sweep, stderr); rc = VMSIM_EXIT_INPUT; break;
		}
	}
	for (int i = optind; !rc && i < argc; i++)
		rc = sweep_add_workload(&p, argv[i]) ? VMSIM_EXIT_SIM : 0;
	if (!rc && !p.nr_workloads)
		rc = usage_error(usage_sweep, "%s: no workload given", "sweep");
	else if (!rc && !p.nr_axes)
		rc = usage_error(usage_sweep, "%s: nothing to vary (--vary KEY=V1,V2)",
				 "sweep");
	if (!rc) {
		o.progress = !quiet && !o.jobs_file && isatty(STDERR_FILENO);
		rc = sweep_run(&p, &o);
	}
	sweep_plan_free(&p);
	return rc;
}

static int cmd_merge(int argc, char **argv)
{
	const char *out = NULL;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", merge_options, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'h': fputs(usage_merge, stdout); return 0;
		default: fputs(usage_merge, stderr); return VMSIM_EXIT_INPUT;
		}
	}
	if (optind == argc)
		return usage_error(usage_merge, "%s: no sweep directory given", "merge");
	return sweep_merge((const char *const *)argv + optind, (size_t)(argc - optind),
			   out ? out : argv[optind]);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (!cmd) {
		fputs(usage_main, stderr);
		return VMSIM_EXIT_INPUT;
	}
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		fputs(usage_main, stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
		printf("vmsim %s\n", VMSIM_VERSION);
		return 0;
	}
	csv_remove_on_signals();
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 1, argv + 1, false);
	if (!strcmp(cmd, "check"))
		return cmd_run(argc - 1, argv + 1, true);
	if (!strcmp(cmd, "replay"))
		return cmd_replay(argc - 1, argv + 1);
	if (!strcmp(cmd, "sweep"))
		return cmd_sweep(argc - 1, argv + 1);
	if (!strcmp(cmd, "merge"))
		return cmd_merge(argc - 1, argv + 1);
	return usage_error(usage_main, "unknown command '%s'", cmd);
}
