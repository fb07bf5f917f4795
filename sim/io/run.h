/*
 * run.h - one simulation of one workload, from files to results/.
 *
 * run_workload() is everything `vmsim run` does for one workload file:
 * settle the config (defaults, then the workload's `config` file or -c,
 * then the workload's `set` lines, then --set), parse, simulate, and write
 * OUT/<workload>/summary.csv, timeseries.csv and (with events) events.csv.
 * On bad input nothing is written.
 */
#ifndef SIM_IO_RUN_H
#define SIM_IO_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/params.h"

struct run_opts {
	const char *config_path;   /* -c CONFIG, or NULL */
	const char *const *sets;   /* --set KEY=VALUE, in order */
	size_t nr_sets;
	const char *out_dir;       /* -o DIR (results) */
	bool events;               /* write events.csv */
	bool check_only;           /* parse and validate, write nothing */
	FILE *dump_out;            /* where `dump` prints; NULL: discard */
	bool progress;             /* draw a progress line on stderr */
};

/*
 * Settles the config for a workload as run_workload() would: defaults,
 * then config_path (or hdr_config), then hdr settings, then sets.
 * Returns 0, or -1 after printing the error.
 */
struct wl_header;
int run_settle_config(struct sim_config *cfg, const struct run_opts *o,
		      const struct wl_header *hdr);

/*
 * Parses a workload and settles its config without simulating. Returns
 * the exit code: 0, or 2 after printing the error.
 */
int run_validate(const struct run_opts *o, const char *path);

/* The results subdirectory of a workload: "dir/x.wl" -> "x". */
void run_workload_name(const char *path, char *out, size_t len);

/* mkdir -p. Returns 0 or -errno. */
int run_make_dir(const char *dir);

/* Runs one workload. Returns the exit code: 0, 1 (simulation), 2 (input). */
int run_workload(const struct run_opts *o, const char *path);

#endif

/* What `vmsim replay` was asked to do. */
struct replay_cli {
	const char *config_path;   /* -c CONFIG, or NULL */
	const char *const *sets;   /* --set KEY=VALUE */
	size_t nr_sets;
	const char *maps_path;     /* --maps START, or NULL */
	const char *strace_path;   /* --strace LOG, or NULL */
	const char *lackey_path;   /* --lackey TRACE, or NULL */
	int pid;                   /* --pid N, 0 = the log's first */
	const char *out_dir;       /* -o DIR: summary.csv (and events.csv) */
	bool events;               /* --events */
	FILE *maps_out;            /* where the final maps go (stdout) */
};

/*
 * Replays a strace log (io/replay.c), prints the final maps, and with
 * out_dir writes summary.csv (config columns, then the replay counters)
 * and, with events, events.csv (one row per memory call: both results).
 * Returns the exit code: 0, 1, or 2 for bad input.
 */
int run_replay(const struct replay_cli *c);

/*
 * Runs a valgrind lackey trace (io/lackey.h) through the simulated
 * machine: one process, its address space from --maps or, without one,
 * every page the trace touches outside a VMA mapped for it (rwx private
 * anonymous, counted in adopted_pages). I, L, S are an exec, read, write
 * access; M a read then a write; an access that spans two pages touches
 * both. With out_dir writes summary.csv. Returns the exit code.
 */
int run_lackey(const struct replay_cli *c);
