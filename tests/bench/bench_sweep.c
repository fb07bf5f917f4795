/*
 * bench_sweep.c - `vmsim sweep` scale-out on this machine: the same
 * 8-point sweep (page_size 4K/8K x tlb_entries 16/64/256/1024 over one
 * workload of about 0.1 s) with -j 1 and then -j 2, in one run.
 * sweep_speedup_j2 is the -j 2 wall time over the -j 1 wall time (the
 * target is <= 0.6 on two cores); both times are printed too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench.h"
#include "io/sweep.h"

static const char workload[] =
	"big = mmap any 16M rw private,anon\n"
	"access write seq big 16M 4096 4K\n"
	"access read uniform big 16M 3000000\n";

static double sweep_s(const struct sweep_plan *p, unsigned jobs, const char *out)
{
	struct sweep_opts o = { .out_dir = out, .jobs = jobs };
	uint64_t t0 = bench_now_ns();

	if (sweep_run(p, &o))
		return -1;
	return (double)(bench_now_ns() - t0) / 1e9;
}

BENCH(sweep)
{
	char dir[] = "/tmp/vmsim-bench-sweep-XXXXXX", path[64], out[64], cmd[96];
	struct sweep_plan p = { 0 };
	double j1, j2;
	FILE *f;

	if (!mkdtemp(dir))
		return;
	snprintf(path, sizeof(path), "%s/point.wl", dir);
	f = fopen(path, "w");
	if (!f)
		return;
	fputs(workload, f);
	fclose(f);
	if (sweep_add_axis(&p, "page_size=4K,8K") ||
	    sweep_add_axis(&p, "tlb_entries=16,64,256,1024") ||
	    sweep_add_workload(&p, path))
		goto out;
	snprintf(out, sizeof(out), "%s/j1", dir);
	j1 = sweep_s(&p, 1, out);
	snprintf(out, sizeof(out), "%s/j2", dir);
	j2 = sweep_s(&p, 2, out);
	if (j1 > 0 && j2 > 0) {
		bench_report("sweep_8_points_j1_s", j1, "s");
		bench_report("sweep_8_points_j2_s", j2, "s");
		bench_report("sweep_speedup_j2", j2 / j1, "ratio");
	}
out:
	sweep_plan_free(&p);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		fprintf(stderr, "bench: could not remove %s\n", dir);
}
