/*
 * sweep.c - page-size (and any other key) sweeps: plan, run, combine
 * (see sweep.h).
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "io/config.h"
#include "io/csv_in.h"
#include "io/csv_out.h"
#include "io/diag.h"
#include "io/run.h"
#include "io/sweep.h"

#define PLAN_FILE "sweep.plan"
#define PLAN_MAGIC "vmsim-sweep-plan 1"

/* ---- the plan --------------------------------------------------------- */

static int push_str(char ***v, size_t *n, const char *s, size_t len)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(**v));

	if (!nv)
		return -1;
	*v = nv;
	nv[*n] = strndup(s, len);
	if (!nv[*n])
		return -1;
	(*n)++;
	return 0;
}

static bool is_config_key(const char *key, size_t len)
{
	for (unsigned i = 0; i < cfg_nr_keys(); i++) {
		const char *name = cfg_key_name(i);

		if (strlen(name) == len && !strncmp(name, key, len))
			return true;
	}
	return false;
}

/* A value that no config could take (3K pages) is caught here. */
static int check_value(const char *key, const char *value)
{
	struct sim_config cfg;
	char *assign;
	int rc;

	if (asprintf(&assign, "%s=%s", key, value) < 0)
		return -1;
	cfg_defaults(&cfg);
	rc = cfg_set(&cfg, assign, "--vary");
	free(assign);
	return rc;
}

int sweep_add_axis(struct sweep_plan *p, const char *arg)
{
	const char *eq = strchr(arg, '=');
	struct sweep_axis *axes, *a;
	size_t klen;

	if (!eq || eq == arg) {
		diag_error("--vary", 0, 0, "'%s' is not KEY=V1,V2,...", arg);
		return -1;
	}
	klen = (size_t)(eq - arg);
	if (!is_config_key(arg, klen)) {
		diag_error("--vary", 0, 0, "unknown config key '%.*s' (vmsim run "
			   "--list-keys lists them)", (int)klen, arg);
		return -1;
	}
	for (size_t i = 0; i < p->nr_axes; i++) {
		if (strlen(p->axes[i].key) == klen && !strncmp(p->axes[i].key, arg, klen)) {
			diag_error("--vary", 0, 0, "'%.*s' is varied twice", (int)klen, arg);
			return -1;
		}
	}
	axes = realloc(p->axes, (p->nr_axes + 1) * sizeof(*axes));
	if (!axes)
		return -1;
	p->axes = axes;
	a = &axes[p->nr_axes++];
	memset(a, 0, sizeof(*a));
	a->key = strndup(arg, klen);
	if (!a->key)
		return -1;
	for (const char *v = eq + 1;;) {
		size_t len = strcspn(v, ",");

		if (!len) {
			diag_error("--vary", 0, 0, "'%s': empty value at column %zu",
				   arg, (size_t)(v - arg) + 1);
			return -1;
		}
		if (push_str(&a->values, &a->nr_values, v, len))
			return -1;
		if (check_value(a->key, a->values[a->nr_values - 1]))
			return -1;
		if (!v[len])
			break;
		v += len + 1;
	}
	return 0;
}

int sweep_add_workload(struct sweep_plan *p, const char *path)
{
	return push_str(&p->workloads, &p->nr_workloads, path, strlen(path));
}

int sweep_add_set(struct sweep_plan *p, const char *assignment)
{
	return push_str(&p->sets, &p->nr_sets, assignment, strlen(assignment));
}

int sweep_set_config(struct sweep_plan *p, const char *path)
{
	free(p->config_path);
	p->config_path = strdup(path);
	return p->config_path ? 0 : -1;
}

static void free_strs(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void sweep_plan_free(struct sweep_plan *p)
{
	for (size_t i = 0; i < p->nr_axes; i++) {
		free(p->axes[i].key);
		free_strs(p->axes[i].values, p->axes[i].nr_values);
	}
	free(p->axes);
	free_strs(p->workloads, p->nr_workloads);
	free_strs(p->sets, p->nr_sets);
	free(p->config_path);
	memset(p, 0, sizeof(*p));
}

size_t sweep_nr_points(const struct sweep_plan *p)
{
	size_t n = p->nr_workloads;

	for (size_t i = 0; i < p->nr_axes; i++)
		n *= p->axes[i].nr_values;
	return n;
}

/* A point's workload and the value index on each axis. */
static size_t point_coords(const struct sweep_plan *p, size_t i, size_t *vi)
{
	size_t w = i % p->nr_workloads;

	i /= p->nr_workloads;
	for (size_t a = p->nr_axes; a-- > 0;) {
		vi[a] = i % p->axes[a].nr_values;
		i /= p->axes[a].nr_values;
	}
	return w;
}

/* One point as `vmsim run` options: the plan's sets, then the axes'. */
struct point {
	struct run_opts o;
	const char *workload;
	char **sets;            /* owned "key=value" strings for the axes */
	char dir[PATH_MAX];     /* DIR/points/NNNN */
};

static int point_init(struct point *pt, const struct sweep_plan *p, size_t i,
		      const char *out_dir)
{
	size_t vi[p->nr_axes ? p->nr_axes : 1];
	const char **sets;
	size_t w = point_coords(p, i, vi);

	memset(pt, 0, sizeof(*pt));
	sets = calloc(p->nr_sets + p->nr_axes + 1, sizeof(*sets));
	pt->sets = calloc(p->nr_axes + 1, sizeof(*pt->sets));
	if (!sets || !pt->sets) {
		free(sets);
		free(pt->sets);
		return -1;
	}
	for (size_t k = 0; k < p->nr_sets; k++)
		sets[k] = p->sets[k];
	for (size_t a = 0; a < p->nr_axes; a++) {
		if (asprintf(&pt->sets[a], "%s=%s", p->axes[a].key,
			     p->axes[a].values[vi[a]]) < 0)
			pt->sets[a] = NULL;
		sets[p->nr_sets + a] = pt->sets[a];
	}
	snprintf(pt->dir, sizeof(pt->dir), "%s/points/%04zu", out_dir, i);
	pt->o.config_path = p->config_path;
	pt->o.sets = sets;
	pt->o.nr_sets = p->nr_sets + p->nr_axes;
	pt->o.out_dir = pt->dir;
	pt->workload = p->workloads[w];
	for (size_t a = 0; a < p->nr_axes; a++)
		if (!pt->sets[a])
			return -1;
	return 0;
}

static void point_free(struct point *pt, const struct sweep_plan *p)
{
	if (pt->sets)
		for (size_t a = 0; a < p->nr_axes; a++)
			free(pt->sets[a]);
	free(pt->sets);
	free((void *)pt->o.sets);
	pt->sets = NULL;
	pt->o.sets = NULL;
}

/* ---- the plan file ---------------------------------------------------- */

static int write_plan(const struct sweep_plan *p, const char *dir)
{
	char tmp[PATH_MAX], final[PATH_MAX];
	FILE *f;
	int err = 0;

	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, PLAN_FILE);
	snprintf(final, sizeof(final), "%s/%s", dir, PLAN_FILE);
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	fprintf(f, "%s\n# written by vmsim sweep; vmsim merge reads it\n", PLAN_MAGIC);
	if (p->config_path)
		fprintf(f, "config %s\n", p->config_path);
	for (size_t i = 0; i < p->nr_sets; i++)
		fprintf(f, "set %s\n", p->sets[i]);
	for (size_t a = 0; a < p->nr_axes; a++) {
		fprintf(f, "vary %s=", p->axes[a].key);
		for (size_t v = 0; v < p->axes[a].nr_values; v++)
			fprintf(f, "%s%s", v ? "," : "", p->axes[a].values[v]);
		fputc('\n', f);
	}
	for (size_t w = 0; w < p->nr_workloads; w++)
		fprintf(f, "workload %s\n", p->workloads[w]);
	if (ferror(f))
		err = -EIO;
	if (fclose(f) && !err)
		err = -errno;
	if (!err && rename(tmp, final))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

static int read_plan(const char *dir, struct sweep_plan *p)
{
	char path[PATH_MAX];
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned lineno = 0;
	FILE *f;
	int rc = 0;

	memset(p, 0, sizeof(*p));
	snprintf(path, sizeof(path), "%s/%s", dir, PLAN_FILE);
	f = fopen(path, "r");
	if (!f) {
		diag_error(path, 0, 0, "cannot read the sweep plan: %s (is %s the -o "
			   "directory of a vmsim sweep?)", strerror(errno), dir);
		return -1;
	}
	while (!rc && (len = getline(&line, &cap, f)) >= 0) {
		char *arg;

		lineno++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (lineno == 1) {
			if (strcmp(line, PLAN_MAGIC)) {
				diag_error(path, 1, 1, "not a vmsim sweep plan "
					   "(expected '%s')", PLAN_MAGIC);
				rc = -1;
			}
			continue;
		}
		if (!line[0] || line[0] == '#')
			continue;
		arg = strchr(line, ' ');
		if (!arg || !arg[1]) {
			diag_error(path, lineno, 1, "expected 'WORD VALUE'");
			rc = -1;
			break;
		}
		*arg++ = '\0';
		if (!strcmp(line, "config"))
			rc = sweep_set_config(p, arg);
		else if (!strcmp(line, "set"))
			rc = sweep_add_set(p, arg);
		else if (!strcmp(line, "vary")) {
			rc = sweep_add_axis(p, arg);
			if (rc)
				diag_error(path, lineno, 6, "bad vary line (see above)");
		}
		else if (!strcmp(line, "workload"))
			rc = sweep_add_workload(p, arg);
		else {
			diag_error(path, lineno, 1, "unknown plan line '%s'", line);
			rc = -1;
		}
	}
	free(line);
	fclose(f);
	if (!rc && lineno == 0) {
		diag_error(path, 0, 0, "empty sweep plan");
		rc = -1;
	}
	if (!rc && !p->nr_workloads) {
		diag_error(path, 0, 0, "the plan names no workload");
		rc = -1;
	}
	if (rc)
		sweep_plan_free(p);
	return rc;
}

/* ---- combining the points' CSV ---------------------------------------- */

/* An ordered set of column names that grows as points' headers arrive. */
struct columns {
	char **names;
	size_t nr;
};

static long col_find(const struct columns *c, const char *name)
{
	for (size_t i = 0; i < c->nr; i++)
		if (!strcmp(c->names[i], name))
			return (long)i;
	return -1;
}

static int col_insert(struct columns *c, size_t at, const char *name)
{
	char **nv = realloc(c->names, (c->nr + 1) * sizeof(*nv));

	if (!nv)
		return -1;
	c->names = nv;
	memmove(nv + at + 1, nv + at, (c->nr - at) * sizeof(*nv));
	nv[at] = strdup(name);
	c->nr++;
	return nv[at] ? 0 : -1;
}

/*
 * Adds the columns of a header that c lacks, each right after the column
 * that precedes it in the header, so that a point with more columns
 * (free_blocks_order11 when max_order varies) keeps them in place.
 */
static int col_union(struct columns *c, const struct csv_row *hdr, size_t first)
{
	size_t at = first;

	for (size_t i = 0; i < hdr->nr_fields; i++) {
		long k = col_find(c, hdr->fields[i]);

		if (k >= 0) {
			if ((size_t)k >= first)
				at = (size_t)k + 1;
			continue;
		}
		if (col_insert(c, at, hdr->fields[i]))
			return -1;
		at++;
	}
	return 0;
}

static void col_free(struct columns *c)
{
	free_strs(c->names, c->nr);
	memset(c, 0, sizeof(*c));
}

/*
 * What one point left behind: its summary read whole, and of its time
 * series (often the bulk: a row every sample_interval_ns) the header
 * only, so that the rows can be copied through as text when the header
 * is the combined one.
 */
struct point_csv {
	struct csv_table summary;
	char *ts_path;             /* NULL when there is none */
	struct csv_row ts_head;    /* its header's names */
	char name[256];            /* the workload column */
	const char **axis;         /* its value of each axis, in column order */
};

static bool file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static bool file_empty(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && st.st_size == 0;
}

/* The first row of a CSV file, through csv_read() when it is quoted. */
static int read_header(const char *path, struct csv_row *h)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *tok, *save;
	size_t cap = 0;
	ssize_t len;
	int rc = 0;

	memset(h, 0, sizeof(*h));
	if (!f) {
		diag_error(path, 0, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	len = getline(&line, &cap, f);
	fclose(f);
	if (len <= 0) {
		free(line);
		diag_error(path, 0, 0, "empty file: no header row");
		return -1;
	}
	line[strcspn(line, "\r\n")] = '\0';
	if (strchr(line, '"')) {
		struct csv_table t;

		free(line);
		if (csv_read(path, &t))
			return -1;
		*h = t.rows[0];
		t.rows[0] = (struct csv_row){ 0 };
		csv_table_free(&t);
		return 0;
	}
	for (tok = strtok_r(line, ",", &save); tok && !rc;
	     tok = strtok_r(NULL, ",", &save))
		rc = push_str(&h->fields, &h->nr_fields, tok, strlen(tok));
	free(line);
	return rc;
}

static int read_point(const struct sweep_plan *p, size_t i,
		      const char *const *dirs, size_t nr_dirs, struct point_csv *pc)
{
	size_t vi[p->nr_axes ? p->nr_axes : 1];
	size_t w = point_coords(p, i, vi);
	char path[PATH_MAX];
	size_t d;

	memset(pc, 0, sizeof(*pc));
	run_workload_name(p->workloads[w], pc->name, sizeof(pc->name));
	for (d = 0; d < nr_dirs; d++) {
		snprintf(path, sizeof(path), "%s/points/%04zu/%s/summary.csv",
			 dirs[d], i, pc->name);
		if (file_exists(path))
			break;
	}
	if (d == nr_dirs) {
		diag_error(dirs[0], 0, 0, "point %zu (%s) has no results: no "
			   "points/%04zu/%s/summary.csv in %s%s", i,
			   p->workloads[w], i, pc->name,
			   nr_dirs > 1 ? "any of the directories" : dirs[0],
			   "; run its command from the jobs file");
		return -1;
	}
	if (csv_read(path, &pc->summary))
		return -1;
	if (pc->summary.nr_rows < 2) {
		diag_error(path, 0, 0, "no result rows");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/points/%04zu/%s/timeseries.csv",
		 dirs[d], i, pc->name);
	if (!file_exists(path) || file_empty(path))
		return 0;       /* none, or sampling was off (sample_interval_ns = 0) */
	pc->ts_path = strdup(path);
	return pc->ts_path ? read_header(path, &pc->ts_head) : -1;
}

static void point_csv_free(struct point_csv *pc)
{
	csv_table_free(&pc->summary);
	free_strs(pc->ts_head.fields, pc->ts_head.nr_fields);
	free(pc->ts_path);
	free(pc->axis);
}

/* The axis keys as the combined files' first columns: page_size first. */
static void axis_order(const struct sweep_plan *p, size_t *order)
{
	size_t n = 0;

	for (size_t a = 0; a < p->nr_axes; a++)
		if (!strcmp(p->axes[a].key, "page_size"))
			order[n++] = a;
	for (size_t a = 0; a < p->nr_axes; a++)
		if (strcmp(p->axes[a].key, "page_size"))
			order[n++] = a;
}

/*
 * A point's value of each axis, in column order, as its summary shows it
 * (settled: 8K reads 8192), or as given when the summary lacks the
 * column. Found once per point, not per row.
 */
static int axis_values(const struct sweep_plan *p, size_t i, const size_t *order,
		       struct point_csv *pc)
{
	size_t vi[p->nr_axes ? p->nr_axes : 1];

	pc->axis = calloc(p->nr_axes ? p->nr_axes : 1, sizeof(*pc->axis));
	if (!pc->axis)
		return -1;
	point_coords(p, i, vi);
	for (size_t a = 0; a < p->nr_axes; a++) {
		size_t ax = order[a];
		long k = csv_column(&pc->summary, p->axes[ax].key);

		pc->axis[a] = k >= 0 && (size_t)k < pc->summary.rows[1].nr_fields ?
			pc->summary.rows[1].fields[k] : p->axes[ax].values[vi[ax]];
	}
	return 0;
}

/* The columns every combined row begins with: the axes, then (time series) the workload. */
static void row_lead(struct csv_file *out, const struct sweep_plan *p,
		     const struct point_csv *pc, bool with_name)
{
	for (size_t a = 0; a < p->nr_axes; a++)
		csv_str(out, pc->axis[a]);
	if (with_name)
		csv_str(out, pc->name);
}

static void write_rows(struct csv_file *out, const struct sweep_plan *p,
		       const struct point_csv *pc, const struct csv_table *t,
		       const struct columns *cols, bool with_name)
{
	long map[cols->nr];

	for (size_t c = 0; c < cols->nr; c++)
		map[c] = csv_column(t, cols->names[c]);
	for (size_t r = 1; r < t->nr_rows; r++) {
		row_lead(out, p, pc, with_name);
		for (size_t c = 0; c < cols->nr; c++)
			csv_str(out, map[c] >= 0 && (size_t)map[c] < t->rows[r].nr_fields ?
				t->rows[r].fields[map[c]] : "");
		csv_end_row(out);
	}
}

/* The combined columns: the union of the headers, less the axes. */
static int combined_columns(const struct sweep_plan *p, const struct point_csv *pcs,
			    size_t n, bool ts, struct columns *cols)
{
	int rc = 0;

	for (size_t i = 0; i < n && !rc; i++) {
		if (ts && pcs[i].ts_path)
			rc = col_union(cols, &pcs[i].ts_head, 0);
		else if (!ts)
			rc = col_union(cols, &pcs[i].summary.rows[0], 0);
	}
	/* the axes lead; a summary's own copies of them are dropped */
	for (size_t a = 0; a < p->nr_axes && !rc; a++) {
		long k = col_find(cols, p->axes[a].key);

		if (k >= 0) {
			free(cols->names[k]);
			memmove(cols->names + k, cols->names + k + 1,
				(cols->nr - (size_t)k - 1) * sizeof(*cols->names));
			cols->nr--;
		}
	}
	return rc;
}

static bool same_columns(const struct columns *cols, const struct csv_row *h)
{
	if (h->nr_fields != cols->nr)
		return false;
	for (size_t c = 0; c < cols->nr; c++)
		if (strcmp(cols->names[c], h->fields[c]))
			return false;
	return true;
}

/*
 * A point's time series into the combined one. When its header is the
 * combined header (every point of a page-size sweep), each row is copied
 * through as text behind the axis values; otherwise it is read whole and
 * its columns are placed.
 */
static int copy_series(struct csv_file *out, const struct sweep_plan *p,
		       const struct point_csv *pc, const struct columns *cols)
{
	struct csv_table t;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *f;

	if (!same_columns(cols, &pc->ts_head)) {
		if (csv_read(pc->ts_path, &t))
			return -1;
		write_rows(out, p, pc, &t, cols, true);
		csv_table_free(&t);
		return 0;
	}
	f = fopen(pc->ts_path, "r");
	if (!f) {
		diag_error(pc->ts_path, 0, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	len = getline(&line, &cap, f);          /* the header */
	while (len > 0 && (len = getline(&line, &cap, f)) > 0) {
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			len--;
		if (!len)
			continue;
		row_lead(out, p, pc, true);
		csv_raw_fields(out, line, (size_t)len);
		csv_end_row(out);
	}
	free(line);
	fclose(f);
	return 0;
}

static int write_combined(const char *out_dir, const char *file,
			  const struct sweep_plan *p, const struct point_csv *pcs,
			  size_t n, bool ts, const size_t *order)
{
	struct columns cols = { 0 };
	struct csv_file out;
	int rc = combined_columns(p, pcs, n, ts, &cols);

	if (!rc && ts && !cols.nr) {
		/* no point has a time series: none, not an earlier sweep's */
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s/%s", out_dir, file);
		unlink(path);
		goto out;
	}
	if (!rc)
		rc = csv_open(&out, out_dir, file);
	if (rc) {
		col_free(&cols);
		return rc < 0 ? rc : -ENOMEM;
	}
	for (size_t a = 0; a < p->nr_axes; a++)
		csv_str(&out, p->axes[order[a]].key);
	if (ts)
		csv_str(&out, "workload");
	for (size_t c = 0; c < cols.nr; c++)
		csv_str(&out, cols.names[c]);
	csv_end_row(&out);
	for (size_t i = 0; i < n && !rc; i++) {
		if (!ts)
			write_rows(&out, p, &pcs[i], &pcs[i].summary, &cols, false);
		else if (pcs[i].ts_path && copy_series(&out, p, &pcs[i], &cols))
			rc = -EIO;
	}
	if (rc)
		csv_abort(&out);
	else
		rc = csv_commit(&out);
out:
	col_free(&cols);
	return rc;
}

static int combine(const struct sweep_plan *p, const char *const *dirs,
		   size_t nr_dirs, const char *out_dir)
{
	size_t n = sweep_nr_points(p);
	struct point_csv *pcs = calloc(n, sizeof(*pcs));
	size_t order[p->nr_axes ? p->nr_axes : 1];
	int rc = 0, exit_code = VMSIM_EXIT_OK;

	if (!pcs)
		return VMSIM_EXIT_SIM;
	for (size_t i = 0; i < n && !rc; i++)
		rc = read_point(p, i, dirs, nr_dirs, &pcs[i]);
	if (rc) {
		exit_code = VMSIM_EXIT_INPUT;
		goto out;
	}
	axis_order(p, order);
	for (size_t i = 0; i < n && !rc; i++)
		rc = axis_values(p, i, order, &pcs[i]) ? -ENOMEM : 0;
	if (!rc)
		rc = run_make_dir(out_dir);
	if (!rc)
		rc = write_combined(out_dir, "summary.csv", p, pcs, n, false, order);
	if (!rc)
		rc = write_combined(out_dir, "timeseries.csv", p, pcs, n, true, order);
	if (rc) {
		diag_error(out_dir, 0, 0, "cannot write the combined results: %s",
			   strerror(-rc));
		exit_code = VMSIM_EXIT_SIM;
	}
out:
	for (size_t i = 0; i < n; i++)
		point_csv_free(&pcs[i]);
	free(pcs);
	return exit_code;
}

int sweep_merge(const char *const *dirs, size_t nr_dirs, const char *out_dir)
{
	struct sweep_plan p;
	int rc;

	if (read_plan(dirs[0], &p))
		return VMSIM_EXIT_INPUT;
	rc = combine(&p, dirs, nr_dirs, out_dir);
	sweep_plan_free(&p);
	return rc;
}

/* ---- running the points ----------------------------------------------- */

static int validate_points(const struct sweep_plan *p, const char *out_dir)
{
	size_t n = sweep_nr_points(p);

	for (size_t i = 0; i < n; i++) {
		struct point pt;
		int rc;

		if (point_init(&pt, p, i, out_dir)) {
			point_free(&pt, p);
			return VMSIM_EXIT_SIM;
		}
		rc = run_validate(&pt.o, pt.workload);
		point_free(&pt, p);
		if (rc)
			return rc;
	}
	return VMSIM_EXIT_OK;
}

/* A word for the shell, in single quotes unless it needs none. */
static void shell_word(FILE *f, const char *s)
{
	if (*s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789_-+=./,:@%") == strlen(s)) {
		fputs(s, f);
		return;
	}
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	}
	fputc('\'', f);
}

/* An absolute path for a jobs file (the file itself need not exist). */
static void absolute(const char *path, char *out, size_t len)
{
	char cwd[PATH_MAX];

	if (path[0] == '/' || !getcwd(cwd, sizeof(cwd)))
		snprintf(out, len, "%s", path);
	else
		snprintf(out, len, "%s/%s", cwd, path);
}

static int write_jobs(const struct sweep_plan *p, const char *out_dir,
		      const char *jobs_file)
{
	char self[PATH_MAX], buf[PATH_MAX], tmp[PATH_MAX];
	size_t n = sweep_nr_points(p);
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	FILE *f;
	int err = 0;

	if (len <= 0)
		snprintf(self, sizeof(self), "vmsim");
	else
		self[len] = '\0';
	snprintf(tmp, sizeof(tmp), "%s.tmp", jobs_file);
	f = fopen(tmp, "w");
	if (!f) {
		diag_error(jobs_file, 0, 0, "cannot write: %s", strerror(errno));
		return VMSIM_EXIT_INPUT;
	}
	for (size_t i = 0; i < n && !err; i++) {
		struct point pt;

		if (point_init(&pt, p, i, out_dir)) {
			point_free(&pt, p);
			err = -ENOMEM;
			break;
		}
		shell_word(f, self);
		fputs(" run -q", f);
		if (p->config_path) {
			absolute(p->config_path, buf, sizeof(buf));
			fputs(" -c ", f);
			shell_word(f, buf);
		}
		for (size_t k = 0; k < pt.o.nr_sets; k++) {
			fputs(" --set ", f);
			shell_word(f, pt.o.sets[k]);
		}
		absolute(pt.dir, buf, sizeof(buf));
		fputs(" -o ", f);
		shell_word(f, buf);
		absolute(pt.workload, buf, sizeof(buf));
		fputc(' ', f);
		shell_word(f, buf);
		fputc('\n', f);
		point_free(&pt, p);
	}
	if (!err && ferror(f))
		err = -EIO;
	if (fclose(f) && !err)
		err = -errno;
	if (!err && rename(tmp, jobs_file))
		err = -errno;
	if (err) {
		unlink(tmp);
		diag_error(jobs_file, 0, 0, "cannot write: %s", strerror(-err));
		return VMSIM_EXIT_SIM;
	}
	return VMSIM_EXIT_OK;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void progress(size_t done, size_t n, double start, bool last)
{
	double el = now_s() - start;
	int width = 30, fill = n ? (int)((double)done * width / (double)n) : width;

	fprintf(stderr, "\rsweep [%.*s%*s] %zu/%zu points, %.1f s", fill,
		"##############################", width - fill, "", done, n, el);
	if (done && done < n)
		fprintf(stderr, ", ETA %.1f s", el / (double)done * (double)(n - done));
	fputs(last ? "\n" : "   ", stderr);
	fflush(stderr);
}

/*
 * An interrupt while points run: the parent passes it on to the points
 * that are running, reaps them (each removes its own temporary files),
 * then dies of it, so nothing outlives the sweep.
 */
static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
	interrupted = sig;
}

static void catch_interrupts(struct sigaction *old)
{
	struct sigaction sa = { .sa_handler = on_interrupt };   /* no SA_RESTART */
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };

	sigemptyset(&sa.sa_mask);
	for (unsigned i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);
}

static void restore_interrupts(const struct sigaction *old)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };

	for (unsigned i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
}

static void die_of_interrupt(const pid_t *pids, const bool *live, size_t n,
			     const struct sigaction *old)
{
	int sig = interrupted;

	for (size_t i = 0; i < n; i++)
		if (live[i])
			kill(pids[i], sig);
	for (size_t i = 0; i < n; i++)
		if (live[i])
			while (waitpid(pids[i], NULL, 0) < 0 && errno == EINTR)
				;
	restore_interrupts(old);
	raise(sig);
	_exit(128 + sig);       /* a handler that returned */
}

/* The child side of a point: one run, its exit code. */
static int run_point(const struct sweep_plan *p, size_t i, const char *out_dir)
{
	struct point pt;
	int rc;

	if (point_init(&pt, p, i, out_dir)) {
		point_free(&pt, p);
		return VMSIM_EXIT_SIM;
	}
	pt.o.dump_out = NULL;
	rc = run_workload(&pt.o, pt.workload);
	point_free(&pt, p);
	return rc;
}

static int run_points(const struct sweep_plan *p, const struct sweep_opts *o)
{
	size_t n = sweep_nr_points(p), next = 0, done = 0, running = 0;
	unsigned jobs = o->jobs;
	pid_t *pids = calloc(n, sizeof(*pids));
	bool *live = calloc(n, sizeof(*live));
	struct sigaction old[3], old_chld;
	int worst = VMSIM_EXIT_OK;
	double start = now_s();

	if (!pids || !live) {
		free(pids);
		free(live);
		return VMSIM_EXIT_SIM;
	}
	interrupted = 0;
	catch_interrupts(old);
	/* the points' exit codes are needed: a parent that ignored SIGCHLD would lose them */
	sigaction(SIGCHLD, &(struct sigaction){ .sa_handler = SIG_DFL }, &old_chld);
	if (!jobs) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);

		jobs = c > 0 ? (unsigned)c : 1;
	}
	if (o->progress)
		progress(0, n, start, false);
	while (done < n) {
		int status, rc;
		pid_t pid;
		size_t i;

		while (running < jobs && next < n && !interrupted) {
			fflush(NULL);
			pid = fork();
			if (pid < 0) {
				if (running)
					break;      /* wait for one, then try again */
				fprintf(stderr, "vmsim: sweep: fork: %s\n", strerror(errno));
				worst = VMSIM_EXIT_SIM;
				goto out;
			}
			if (pid == 0) {
				restore_interrupts(old);
				if (interrupted)
					raise(interrupted);
				rc = run_point(p, next, o->out_dir);
				fflush(NULL);
				_exit(rc);
			}
			live[next] = true;
			pids[next++] = pid;
			running++;
		}
		if (interrupted)
			die_of_interrupt(pids, live, next, old);
		pid = waitpid(-1, &status, 0);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "vmsim: sweep: waitpid: %s\n", strerror(errno));
			worst = VMSIM_EXIT_SIM;
			break;
		}
		for (i = 0; i < next && pids[i] != pid; i++)
			;
		if (i == next)
			continue;
		live[i] = false;
		running--;
		if (interrupted)
			die_of_interrupt(pids, live, next, old);
		done++;
		if (WIFEXITED(status))
			rc = WEXITSTATUS(status);
		else
			rc = VMSIM_EXIT_SIM;
		if (rc) {
			if (o->progress)
				fputc('\n', stderr);
			fprintf(stderr, "vmsim: sweep: point %zu (%s) failed (%s %d)\n",
				i, p->workloads[i % p->nr_workloads],
				WIFEXITED(status) ? "exit" : "signal",
				WIFEXITED(status) ? rc : WTERMSIG(status));
			if (rc > worst)
				worst = rc;
		}
		if (o->progress)
			progress(done, n, start, done == n);
	}
out:
	restore_interrupts(old);
	sigaction(SIGCHLD, &old_chld, NULL);
	free(pids);
	free(live);
	return worst;
}

int sweep_run(const struct sweep_plan *p, const struct sweep_opts *o)
{
	int rc;

	if (!p->nr_workloads) {
		fprintf(stderr, "vmsim: sweep: no workload given\n");
		return VMSIM_EXIT_INPUT;
	}
	rc = validate_points(p, o->out_dir);
	if (rc)
		return rc;
	rc = run_make_dir(o->out_dir);
	if (!rc)
		rc = write_plan(p, o->out_dir);
	if (rc) {
		diag_error(o->out_dir, 0, 0, "cannot write the sweep plan: %s",
			   strerror(-rc));
		return VMSIM_EXIT_SIM;
	}
	if (o->jobs_file)
		return write_jobs(p, o->out_dir, o->jobs_file);
	rc = run_points(p, o);
	if (rc) {
		fprintf(stderr, "vmsim: sweep: not combining: a point failed; its "
			"files are under %s/points/\n", o->out_dir);
		return rc;
	}
	return combine(p, (const char *const[]){ o->out_dir }, 1, o->out_dir);
}
