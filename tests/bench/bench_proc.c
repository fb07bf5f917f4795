/*
 * bench_proc.c - the discrete-event machine with many processes.
 *
 * event_dispatch_ns: host ns per event sim_run() handles, with 10,000
 * processes on one CPU, each sleeping 1us 100 times: every sleep is a
 * wake event and a step event, a run-queue push and pop, and a context
 * switch (so about 2 million events). context_switch_ns: host ns per
 * simulated context switch, two processes taking turns on one CPU (each
 * switch: a wake, a dispatch with its TLB flush, a step, a sleep).
 * Both are the fastest of ROUNDS rounds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "core/sim.h"
#include "io/config.h"
#include "io/workload.h"

#define ROUNDS 3

/* Host ns for one run of text; *events and *switches from the run. */
static uint64_t run_once(const char *text, uint64_t *events, uint64_t *switches)
{
	struct sim_config cfg;
	struct program prog;
	struct wl_header hdr;
	struct sim sim;
	uint64_t t0, t = UINT64_MAX;

	cfg_defaults(&cfg);
	if (cfg_set(&cfg, "sample_interval_ns=0", "bench") || cfg_check(&cfg, "bench"))
		return t;
	if (wl_parse_string("bench.wl", text, &prog, &hdr))
		return t;
	if (!sim_init(&sim, &cfg)) {
		sim.dump_out = NULL;
		if (!sim_add_process(&sim, &prog)) {
			t0 = bench_now_ns();
			if (sim_run(&sim) == SIM_OK) {
				t = bench_now_ns() - t0;
				*events = sim.nr_events;
				*switches = sim.stats.context_switches;
			}
		}
		sim_destroy(&sim);
	}
	program_free(&prog);
	wl_header_free(&hdr);
	return t;
}

static char *processes(unsigned n, unsigned sleeps)
{
	static const char fmt[] = "spawn p {\n  repeat %u {\n    sleep 1us\n  }\n}\n";
	size_t one = sizeof(fmt) + 16, len = 0;
	char *text = malloc(one * n + 1);

	if (!text)
		return NULL;
	for (unsigned i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, one, fmt, sleeps);
	return text;
}

BENCH(proc)
{
	char *many = processes(10000, 100), *two = processes(2, 100000);
	uint64_t best = UINT64_MAX, events = 0, sw = 0, t;
	double per_event = 0, per_switch = 0;

	if (!many || !two)
		goto out;
	for (int r = 0; r < ROUNDS; r++) {
		t = run_once(many, &events, &sw);
		if (t < best && events) {
			best = t;
			per_event = (double)t / (double)events;
		}
	}
	best = UINT64_MAX;
	for (int r = 0; r < ROUNDS; r++) {
		t = run_once(two, &events, &sw);
		if (t < best && sw) {
			best = t;
			per_switch = (double)t / (double)sw;
		}
	}
	bench_report("event_dispatch_ns", per_event, "ns");
	bench_report("context_switch_ns", per_switch, "ns");
out:
	free(many);
	free(two);
}
