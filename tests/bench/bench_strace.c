/*
 * bench_strace.c - how fast the strace log parser reads.
 *
 * The 2000-call synthetic/3003 conformance log, concatenated 200 times in
 * memory (400k lines, one pid, every memory call form), parsed end to end
 * with strace_next(); the fastest of 5 rounds is reported, as million
 * lines per second and MB per second.
 *
 * replay_3003: the whole replay of that case (snapshot import, two passes
 * over the log, 2000 calls through mm, final maps to /dev/null), fastest
 * of 5, as replayed calls per second.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "io/replay.h"
#include "io/strace.h"

#define STRACE_BENCH_LOG "tests/fixtures/conformance/synthetic/3003/strace.log"
#define STRACE_BENCH_COPIES 200

BENCH(strace_parse)
{
	FILE *f = fopen(STRACE_BENCH_LOG, "rb");
	char *one, *all;
	long len;
	uint64_t best = UINT64_MAX, lines = 0, calls = 0;

	if (!f) {
		fprintf(stderr, "bench strace_parse: cannot open %s\n", STRACE_BENCH_LOG);
		return;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	one = malloc((size_t)len);
	all = malloc((size_t)len * STRACE_BENCH_COPIES);
	if (!one || !all || fread(one, 1, (size_t)len, f) != (size_t)len) {
		fclose(f);
		free(one);
		free(all);
		return;
	}
	fclose(f);
	for (int i = 0; i < STRACE_BENCH_COPIES; i++)
		memcpy(all + (size_t)i * (size_t)len, one, (size_t)len);

	for (int round = 0; round < 5; round++) {
		struct strace_parser p;
		struct strace_rec r;
		uint64_t t0 = bench_now_ns(), dt;

		calls = 0;
		strace_open_buf(&p, "bench", all, (size_t)len * STRACE_BENCH_COPIES);
		while (strace_next(&p, &r) == 1)
			calls += strace_is_mem(r.sys);
		dt = bench_now_ns() - t0;
		lines = p.nr_lines;
		strace_close(&p);
		if (dt < best)
			best = dt;
	}
	bench_report("strace_parse_lines", (double)lines, "lines");
	bench_report("strace_parse_mem_calls", (double)calls, "calls");
	bench_report("strace_parse_mlines_s", (double)lines / ((double)best / 1e3), "Mlines/s");
	bench_report("strace_parse_mb_s",
		     (double)len * STRACE_BENCH_COPIES / ((double)best / 1e3), "MB/s");
	free(one);
	free(all);
}

BENCH(replay_3003)
{
	struct sim_config cfg;
	struct replay_result r;
	struct replay_opts o = {
		.maps_path = "tests/fixtures/conformance/synthetic/3003/start.smaps",
		.strace_path = STRACE_BENCH_LOG,
		.cfg = &cfg,
	};
	uint64_t best = UINT64_MAX, calls = 0;

	cfg_defaults(&cfg);
	o.out = fopen("/dev/null", "w");
	for (int round = 0; round < 5; round++) {
		uint64_t t0 = bench_now_ns(), dt;

		if (replay_run(&o, &r)) {
			replay_result_free(&r);
			break;
		}
		dt = bench_now_ns() - t0;
		calls = r.calls;
		replay_result_free(&r);
		if (dt < best)
			best = dt;
	}
	if (o.out)
		fclose(o.out);
	if (best == UINT64_MAX)
		return;
	bench_report("replay_3003_ms", (double)best / 1e6, "ms");
	bench_report("replay_calls_s", (double)calls / ((double)best / 1e9), "calls/s");
}
