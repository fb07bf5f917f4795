/*
 * sim_run.h - one simulated machine per test, for the suites that run
 * workload text through it (test_access.c, test_proc.c): preset() loads
 * a config with sampling and slab caches off (the suites count frames and
 * table pages), set() overrides a key, run() and run_dump() parse, build
 * and run, cleanup() (the tests' .fini) tears down.
 */
#ifndef VMSIM_TEST_SIM_RUN_H
#define VMSIM_TEST_SIM_RUN_H

#include <stdbool.h>
#include <stdio.h>

#include "common.h"
#include "core/sim.h"
#include "io/config.h"
#include "io/workload.h"

static struct sim_config cfg;
static struct program prog;
static struct wl_header hdr;
static struct sim sim;
static bool live;

static inline void preset(const char *ini)
{
	cfg_defaults(&cfg);
	cr_assert_eq(cfg_load(&cfg, ini), 0);
	cr_assert_eq(cfg_check(&cfg, ini), 0);
	cfg.sample_interval_ns = 0;
	cfg.slab = false;       /* frames and table pages only: the counts asserted */
}

static inline void set(const char *assignment)
{
	cr_assert_eq(cfg_set(&cfg, assignment, "--set"), 0, "%s", assignment);
	cr_assert_eq(cfg_check(&cfg, "--set"), 0);
}

/* Parses text, builds the machine and its processes, runs; sim_run()'s result. */
static inline int run_to(const char *text, FILE *dump)
{
	cr_assert_eq(wl_parse_string("t.wl", text, &prog, &hdr), 0);
	cr_assert_eq(sim_init(&sim, &cfg), 0);
	live = true;
	sim.dump_out = dump;
	cr_assert_eq(sim_add_process(&sim, &prog), 0);
	return sim_run(&sim);
}

static inline int run(const char *text)
{
	return run_to(text, NULL);
}

/* run() with `dump` and `explain` output caught; the caller frees it. */
static inline char *run_dump(const char *text)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	cr_assert_eq(run_to(text, f), SIM_OK);
	fclose(f);
	return buf;
}

static inline void cleanup(void)
{
	if (live) {
		sim_destroy(&sim);
		program_free(&prog);
		wl_header_free(&hdr);
	}
	live = false;
}

#endif
