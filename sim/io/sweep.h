/*
 * sweep.h - many simulations of the same workloads under varied configs.
 *
 * A sweep is the Cartesian product of the varied keys' values (the first
 * --vary slowest) and the workloads (fastest): point i is one independent
 * `vmsim run` into DIR/points/NNNN/. Points run N at a time in child
 * processes; the combined DIR/summary.csv and DIR/timeseries.csv are then
 * built from the points' files in point order, so they are byte-identical
 * whatever N is. The plan is written to DIR/sweep.plan, which is all
 * `vmsim merge` needs to combine points that were run elsewhere (GNU
 * parallel over ssh, a batch job array).
 */
#ifndef SIM_IO_SWEEP_H
#define SIM_IO_SWEEP_H

#include <stdbool.h>
#include <stddef.h>

struct sweep_axis {
	char *key;            /* config key */
	char **values;        /* its values, as given */
	size_t nr_values;
};

struct sweep_plan {
	struct sweep_axis *axes;   /* in --vary order */
	size_t nr_axes;
	char **workloads;          /* workload paths */
	size_t nr_workloads;
	char *config_path;         /* -c CONFIG, or NULL */
	char **sets;               /* --set KEY=VALUE for every point */
	size_t nr_sets;
};

struct sweep_opts {
	const char *out_dir;       /* DIR */
	unsigned jobs;             /* points at a time (0: online CPUs) */
	const char *jobs_file;     /* write commands here instead of running */
	bool progress;             /* progress line on stderr */
};

/* Adds an axis from "KEY=V1,V2,...". Returns 0, or -1 after an error. */
int sweep_add_axis(struct sweep_plan *p, const char *arg);
int sweep_add_workload(struct sweep_plan *p, const char *path);
int sweep_add_set(struct sweep_plan *p, const char *assignment);
int sweep_set_config(struct sweep_plan *p, const char *path);
void sweep_plan_free(struct sweep_plan *p);

/* Points in the plan: product of axis sizes x workloads. */
size_t sweep_nr_points(const struct sweep_plan *p);

/*
 * Validates every point (config and workload) before anything runs, then
 * runs them (or writes the jobs file) and combines the results.
 * Returns the exit code: 0, 1 (a point failed), 2 (bad input).
 */
int sweep_run(const struct sweep_plan *p, const struct sweep_opts *o);

/*
 * Combines the points of the plan in dirs[0]/sweep.plan, looking for each
 * point's results in every dir in turn, into out_dir/summary.csv and
 * timeseries.csv. Returns the exit code.
 */
int sweep_merge(const char *const *dirs, size_t nr_dirs, const char *out_dir);

#endif
