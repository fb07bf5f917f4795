/*
 * run.c - one workload from file to results/ (see run.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/compiler.h"
#include "core/cpu.h"
#include "core/sim.h"
#include "io/config.h"
#include "io/csv_out.h"
#include "io/diag.h"
#include "io/lackey.h"
#include "io/maps_import.h"
#include "io/replay.h"
#include "io/run.h"
#include "io/workload.h"

struct run_out {
	const struct run_opts *o;
	struct csv_file ts;          /* timeseries.csv */
	struct csv_file ev;          /* events.csv */
	bool ts_header;              /* header row written */
	uint64_t started_ns;         /* host clock at start, for progress */
	uint64_t last_progress_ns;   /* host clock of the last redraw */
	uint64_t events_seen;
	bool progress_drawn;
	const char *name;
};

static uint64_t host_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int run_settle_config(struct sim_config *cfg, const struct run_opts *o,
		      const struct wl_header *hdr)
{
	cfg_defaults(cfg);
	if (o->config_path) {
		if (cfg_load(cfg, o->config_path))
			return -1;
	} else if (hdr && hdr->config) {
		if (cfg_load(cfg, hdr->config))
			return -1;
	}
	for (size_t i = 0; hdr && i < hdr->nr_settings; i++)
		if (cfg_set(cfg, hdr->settings[i].assignment, hdr->settings[i].where))
			return -1;
	for (size_t i = 0; i < o->nr_sets; i++)
		if (cfg_set(cfg, o->sets[i], "--set"))
			return -1;
	return cfg_check(cfg, o->config_path ? o->config_path :
			 hdr && hdr->config ? hdr->config : "config");
}

static void progress(struct run_out *r, const struct sim *s, bool final)
{
	uint64_t now = host_ns();

	if (!r->o->progress)
		return;
	if (!final && (now - r->started_ns < 1000000000u ||
		       now - r->last_progress_ns < 100000000u))
		return;
	if (final) {
		if (r->progress_drawn)
			fputs("\r\033[K", stderr);
		return;
	}
	r->last_progress_ns = now;
	r->progress_drawn = true;
	fprintf(stderr, "\r\033[K%s: simulated %.3f ms, %" PRIu64 " %s, %.1f s",
		r->name, (double)s->now / 1e6,
		s->stats.trace_records ? s->stats.trace_records : s->stats.ops,
		s->stats.trace_records ? "records" : "ops",
		(double)(now - r->started_ns) / 1e9);
}

static void on_event(void *ctx, const struct sim *s, const struct sim_event *e)
{
	struct run_out *r = ctx;
	struct csv_file *c = &r->ev;

	if ((++r->events_seen & 0xfff) == 0)
		progress(r, s, false);
	if (!c->f)
		return;
	csv_u64(c, e->time_ns);
	csv_u64(c, e->pid);
	csv_str(c, e->op);
	csv_str(c, e->name ? e->name : "");
	csv_u64(c, e->size_bytes);
	if (e->order >= 0)
		csv_i64(c, e->order);
	else
		csv_str(c, "");
	if (e->has_addr)
		csv_hex(c, e->addr);
	else
		csv_str(c, "");
	csv_i64(c, e->result);
	csv_u64(c, e->latency_ns);
	csv_end_row(c);
}

/*
 * The counters a time-series row carries for the machine (the total row)
 * and for each process: flows cumulative, states as they are.
 */
static const struct stats_field ts_counters[] = {
#define TS(f) { #f, offsetof(struct stats, f), STATS_FLOW }
	TS(accesses), TS(tlb_misses), TS(pgfault), TS(cow_faults), TS(sigsegv),
	TS(rss_pages), TS(nr_vmas), TS(nr_page_table_pages),
#undef TS
};

static void ts_header(struct csv_file *c, const struct sim *s)
{
	char col[48];

	csv_str(c, "time_ns");
	csv_str(c, "process");
	csv_str(c, "pid");
	csv_str(c, "nr_free_pages");
	for (unsigned o = 0; o <= s->zone.max_order; o++) {
		snprintf(col, sizeof(col), "free_blocks_order%u", o);
		csv_str(c, col);
	}
	csv_str(c, "internal_frag_bytes");
	for (unsigned o = 0; o <= s->zone.max_order; o++) {
		snprintf(col, sizeof(col), "unusable_index_order%u", o);
		csv_str(c, col);
	}
	csv_str(c, "slab_bytes");
	csv_str(c, "page_table_bytes");
	for (size_t i = 0; i < ARRAY_SIZE(ts_counters); i++)
		csv_str(c, ts_counters[i].name);
	csv_end_row(c);
}

/*
 * One sample: when the workload spawns or forks, a row per process that
 * has not exited (its counters; the machine's columns empty), then the
 * machine's row
 * (`total`: the buddy allocator, slab and page-table memory, and the
 * counters of every process together).
 */
static void on_sample(void *ctx, const struct sim *s)
{
	struct run_out *r = ctx;
	struct csv_file *c = &r->ts;
	/* nr_free_pages, free blocks and unusable index per order, internal_frag, slab, page tables */
	unsigned machine_cols = 2 * (s->zone.max_order + 1) + 4;
	struct stats ps;

	progress(r, s, false);
	if (!c->f)
		return;
	if (!r->ts_header) {
		ts_header(c, s);
		r->ts_header = true;
	}
	for (unsigned p = 0; s->multiprocess && p < s->nr_procs; p++) {
		if (s->procs[p].exited)
			continue;
		sim_proc_stats(s, p, &ps);
		csv_u64(c, s->now);
		csv_str(c, s->procs[p].name);
		csv_u64(c, p + 1);
		for (unsigned i = 0; i < machine_cols; i++)
			csv_str(c, "");
		for (size_t i = 0; i < ARRAY_SIZE(ts_counters); i++)
			csv_u64(c, stats_value(&ps, &ts_counters[i]));
		csv_end_row(c);
	}
	csv_u64(c, s->now);
	csv_str(c, "total");
	csv_str(c, "");
	csv_u64(c, s->zone.nr_free_pages);
	for (unsigned o = 0; o <= s->zone.max_order; o++)
		csv_u64(c, s->zone.free_area[o].nr_free);
	csv_u64(c, s->zone.stats.internal_frag_bytes);
	for (unsigned o = 0; o <= s->zone.max_order; o++)
		csv_double(c, buddy_unusable_index(&s->zone, o), 3);
	csv_u64(c, s->stats.slab_bytes);
	csv_u64(c, s->stats.page_table_bytes);
	for (size_t i = 0; i < ARRAY_SIZE(ts_counters); i++)
		csv_u64(c, stats_value(&s->stats, &ts_counters[i]));
	csv_end_row(c);
}

/*
 * The config's columns, page_size first (sweeps compare by it): the key
 * names when cfg is NULL, else its values.
 */
static void config_columns(struct csv_file *c, const struct sim_config *cfg)
{
	char buf[64];

	if (cfg)
		csv_u64(c, cfg->page_size);
	else
		csv_str(c, "page_size");
	for (unsigned i = 0; i < cfg_nr_keys(); i++) {
		if (!strcmp(cfg_key_name(i), "page_size"))
			continue;
		if (cfg)
			cfg_format(cfg, i, buf, sizeof(buf));
		csv_str(c, cfg ? buf : cfg_key_name(i));
	}
}

static int write_summary(const char *dir, const char *workload,
			 const struct sim_config *cfg, const struct sim *s)
{
	struct csv_file c;
	int rc = csv_open(&c, dir, "summary.csv");

	if (rc)
		return rc;
	/* page_size first: sweeps compare by it */
	config_columns(&c, NULL);
	csv_str(&c, "workload");
	csv_str(&c, "process");
	csv_str(&c, "pid");
	for (unsigned i = 0; i < stats_nr_fields; i++)
		csv_str(&c, stats_fields[i].name);
	csv_end_row(&c);

	/* a row per process when the workload spawns or forks, then the machine's */
	for (unsigned p = 0; p <= s->nr_procs; p++) {
		bool total = p == s->nr_procs;
		struct stats ps;

		if (!total && !s->multiprocess)
			continue;
		if (!total)
			sim_proc_stats(s, p, &ps);
		config_columns(&c, cfg);
		csv_str(&c, workload);
		csv_str(&c, total ? "total" : s->procs[p].name);
		if (total)
			csv_str(&c, "");
		else
			csv_u64(&c, p + 1);
		for (unsigned i = 0; i < stats_nr_fields; i++) {
			if (total)
				csv_u64(&c, stats_get(&s->stats, i));
			else if (stats_fields[i].scope == STATS_MACHINE)
				csv_str(&c, "");
			else
				csv_u64(&c, stats_get(&ps, i));
		}
		csv_end_row(&c);
	}
	return csv_commit(&c);
}

/* "workloads/seed-buddy.wl" -> "seed-buddy" */
static void workload_name(const char *path, char *out, size_t len)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 3 && !strcmp(base + n - 3, ".wl"))
		n -= 3;
	snprintf(out, len, "%.*s", (int)n, base);
}

int run_make_dir(const char *dir)
{
	char tmp[PATH_MAX];

	snprintf(tmp, sizeof(tmp), "%s", dir);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0777) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, 0777) && errno != EEXIST)
		return -errno;
	return 0;
}

int run_validate(const struct run_opts *o, const char *path)
{
	struct program prog;
	struct wl_header hdr;
	struct sim_config cfg;
	int rc = VMSIM_EXIT_OK;

	if (wl_parse_file(path, &prog, &hdr))
		return VMSIM_EXIT_INPUT;
	if (run_settle_config(&cfg, o, &hdr))
		rc = VMSIM_EXIT_INPUT;
	program_free(&prog);
	wl_header_free(&hdr);
	return rc;
}

void run_workload_name(const char *path, char *out, size_t len)
{
	workload_name(path, out, len);
}

static int lackey_sim(struct sim_config *cfg, const char *trace,
		      const char *maps, const char *out_dir, const char *name,
		      const struct run_opts *o);

int run_workload(const struct run_opts *o, const char *path)
{
	struct program prog;
	struct wl_header hdr;
	struct sim_config cfg;
	struct sim sim;
	struct run_out out = { .o = o };
	char name[256], dir[PATH_MAX];
	int rc, exit_code = VMSIM_EXIT_OK;

	if (wl_parse_file(path, &prog, &hdr))
		return VMSIM_EXIT_INPUT;
	if (run_settle_config(&cfg, o, &hdr)) {
		exit_code = VMSIM_EXIT_INPUT;
		goto out_parsed;
	}
	if (hdr.maps && !hdr.lackey) {
		diag_error(path, 0, 0, "`maps` gives a `lackey` trace its address "
			   "space, and there is no `lackey` line");
		exit_code = VMSIM_EXIT_INPUT;
		goto out_parsed;
	}
	if (hdr.lackey) {
		workload_name(path, name, sizeof(name));
		snprintf(dir, sizeof(dir), "%s/%s", o->out_dir ? o->out_dir : "results", name);
		exit_code = lackey_sim(&cfg, hdr.lackey, hdr.maps,
				       o->check_only ? NULL : dir, name, o);
		goto out_parsed;
	}
	rc = sim_init(&sim, &cfg);
	if (rc) {
		diag_error(path, 0, 0, "cannot build the machine: %s", strerror(-rc));
		exit_code = VMSIM_EXIT_SIM;
		goto out_parsed;
	}
	workload_name(path, name, sizeof(name));
	out.name = name;
	sim.dump_out = o->check_only ? NULL : o->dump_out;
	sim.hooks.ctx = &out;
	sim.hooks.sample = on_sample;
	sim.hooks.event = on_event;
	if (!o->check_only) {
		snprintf(dir, sizeof(dir), "%s/%s", o->out_dir ? o->out_dir : "results", name);
		rc = run_make_dir(dir);
		if (!rc)
			rc = csv_open(&out.ts, dir, "timeseries.csv");
		if (!rc && o->events) {
			rc = csv_open(&out.ev, dir, "events.csv");
			if (!rc) {
				static const char *const cols[] = {
					"time_ns", "pid", "op", "name", "size_bytes", "order",
					"phys_addr", "result", "latency_ns",
				};

				for (size_t i = 0; i < ARRAY_SIZE(cols); i++)
					csv_str(&out.ev, cols[i]);
				csv_end_row(&out.ev);
			}
		}
		if (rc) {
			diag_error(dir, 0, 0, "cannot write results: %s", strerror(-rc));
			exit_code = VMSIM_EXIT_SIM;
			goto out_files;   /* aborts whichever file was opened */
		}
	}
	rc = sim_add_process(&sim, &prog);
	if (rc == SIM_EWORKLOAD) {
		diag_error(path, sim.error.line, sim.error.col, "%s", sim.error.msg);
		exit_code = VMSIM_EXIT_INPUT;
		goto out_files;
	}
	if (rc) {
		diag_error(path, 0, 0, "cannot create the processes: out of host memory");
		exit_code = VMSIM_EXIT_SIM;
		goto out_files;
	}
	out.started_ns = out.last_progress_ns = host_ns();
	rc = sim_run(&sim);
	progress(&out, &sim, true);
	if (rc == SIM_EWORKLOAD) {
		diag_error(path, sim.error.line, sim.error.col, "%s", sim.error.msg);
		exit_code = VMSIM_EXIT_INPUT;
	} else if (rc) {
		diag_error(path, 0, 0, "simulation failed: out of host memory");
		exit_code = VMSIM_EXIT_SIM;
	}
out_files:
	if (exit_code || o->check_only) {
		csv_abort(&out.ts);
		csv_abort(&out.ev);
		if (!o->check_only)
			rmdir(dir);   /* only if empty: earlier results stay */
	} else {
		rc = csv_commit(&out.ts);
		if (!rc)
			rc = csv_commit(&out.ev);
		else
			csv_abort(&out.ev);
		if (!rc)
			rc = write_summary(dir, name, &cfg, &sim);
		if (rc) {
			diag_error(dir, 0, 0, "cannot write results: %s", strerror(-rc));
			exit_code = VMSIM_EXIT_SIM;
		}
	}
	sim_destroy(&sim);
out_parsed:
	program_free(&prog);
	wl_header_free(&hdr);
	return exit_code;
}

static int write_replay_csv(const char *dir, const struct sim_config *cfg,
			    const struct replay_cli *cli, const struct replay_result *r)
{
	static const struct { const char *name; size_t off; } cols[] = {
		{ "lines", offsetof(struct replay_result, lines) },
		{ "calls", offsetof(struct replay_result, calls) },
		{ "replay_mismatches", offsetof(struct replay_result, replay_mismatches) },
		{ "replay_skipped", offsetof(struct replay_result, replay_skipped) },
		{ "unsupported", offsetof(struct replay_result, unsupported) },
		{ "unknown_syscalls", offsetof(struct replay_result, unknown_syscalls) },
		{ "processes", offsetof(struct replay_result, processes) },
	};
	struct csv_file c;
	int rc = csv_open(&c, dir, "summary.csv");

	if (rc)
		return rc;
	config_columns(&c, NULL);
	csv_str(&c, "strace");
	csv_str(&c, "pid");
	for (size_t i = 0; i < ARRAY_SIZE(cols); i++)
		csv_str(&c, cols[i].name);
	for (unsigned s = STRACE_SYS_MMAP; s <= STRACE_SYS_MADVISE; s++)
		csv_str(&c, strace_sys_name(s));
	csv_end_row(&c);
	config_columns(&c, cfg);
	csv_str(&c, cli->strace_path);
	csv_i64(&c, r->pid);
	for (size_t i = 0; i < ARRAY_SIZE(cols); i++)
		csv_u64(&c, *(const uint64_t *)((const char *)r + cols[i].off));
	for (unsigned s = STRACE_SYS_MMAP; s <= STRACE_SYS_MADVISE; s++)
		csv_u64(&c, r->by_sys[s]);
	csv_end_row(&c);
	rc = csv_commit(&c);
	if (rc || !cli->events)
		return rc;

	rc = csv_open(&c, dir, "events.csv");
	if (rc)
		return rc;
	csv_str(&c, "line");
	csv_str(&c, "pid");
	csv_str(&c, "op");
	csv_str(&c, "args");
	csv_str(&c, "vmsim_result");
	csv_str(&c, "kernel_result");
	csv_str(&c, "mismatch");
	csv_end_row(&c);
	for (size_t i = 0; i < r->nr_events; i++) {
		const struct replay_event *e = &r->events[i];

		csv_u64(&c, e->line);
		csv_i64(&c, e->pid);
		csv_str(&c, strace_sys_name(e->sys));
		csv_str(&c, e->args ? e->args : "");
		csv_i64(&c, e->vmsim_ret);
		csv_i64(&c, e->kernel_ret);
		csv_u64(&c, e->mismatch);
		csv_end_row(&c);
	}
	return csv_commit(&c);
}

int run_replay(const struct replay_cli *cli)
{
	struct run_opts o = { .config_path = cli->config_path, .sets = cli->sets,
			      .nr_sets = cli->nr_sets };
	struct sim_config cfg;
	struct replay_opts ro;
	struct replay_result r;
	int exit_code = VMSIM_EXIT_OK, rc;

	if (run_settle_config(&cfg, &o, NULL))
		return VMSIM_EXIT_INPUT;
	ro = (struct replay_opts){ .maps_path = cli->maps_path,
				   .strace_path = cli->strace_path,
				   .pid = cli->pid, .cfg = &cfg,
				   .out = cli->maps_out,
				   .events = cli->events && cli->out_dir };
	memset(&r, 0, sizeof(r));
	if (replay_run(&ro, &r)) {
		replay_result_free(&r);
		return VMSIM_EXIT_INPUT;
	}
	if (cli->out_dir) {
		rc = run_make_dir(cli->out_dir);
		if (!rc)
			rc = write_replay_csv(cli->out_dir, &cfg, cli, &r);
		if (rc) {
			diag_error(cli->out_dir, 0, 0, "cannot write results: %s",
				   strerror(-rc));
			exit_code = VMSIM_EXIT_SIM;
		}
	}
	if (r.replay_mismatches)
		fprintf(stderr, "vmsim: replay: %" PRIu64 " of %" PRIu64
			" calls differ from the kernel's results (first at %s:%u)\n",
			r.replay_mismatches, r.calls, cli->strace_path,
			r.first_mismatch_line);
	replay_result_free(&r);
	return exit_code;
}

/* ---- vmsim replay --lackey ---- */

struct lackey_ctx {
	struct sim *sim;
	bool adopt;                 /* map untouched pages on demand */
	uint64_t cost;              /* simulated ns of every access */
	uint64_t next_sample;       /* simulated ns of the next one, ~0: none */
	bool dirty;                 /* a record or call since the last sample */
	struct replay_session *calls; /* the trace's memory calls, if it has any */
	struct replay_result calls_result;
	bool host_error;            /* out of host memory: stop */
	uint64_t known[1024];       /* pages known to be in a VMA (+1), by page % 1024 */
};

/*
 * A time-series row: a trace has no events between its records, so a
 * sample is taken at the first record boundary at or after each multiple
 * of sample_interval_ns, and carries the simulated time it was taken at.
 */
static void lackey_sample(struct lackey_ctx *c)
{
	struct sim *s = c->sim;
	uint64_t every = s->cfg->sample_interval_ns;

	s->now = c->cost;
	sim_sample(s);
	c->dirty = false;
	c->next_sample = s->now - s->now % every + every;
}

/* The traced program ran there, so the page was mapped: map it. */
static noinline void lackey_adopt(struct lackey_ctx *c, uint64_t va,
				  uint64_t page)
{
	struct sim *s = c->sim;
	uint64_t out;

	if (!mm_find_vma_intersection(s->procs[0].mm, va, va + 1) &&
	    mm_mmap(s->procs[0].mm, page, s->cfg->page_size,
		    PROT_READ | PROT_WRITE | PROT_EXEC,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0, &out) == 0)
		s->stats.adopted_pages++;
}

static inline int lackey_access(struct lackey_ctx *c, uint64_t va,
				uint64_t page, enum pt_access a)
{
	/*
	 * A page found in a VMA stays there until the trace's next memory
	 * call (lackey_call forgets them all), so a small direct-mapped memo
	 * spares the lookups.
	 */
	uint64_t *known = &c->known[(page >> 12) & 1023];

	if (c->adopt && unlikely(*known != page + 1)) {
		*known = page + 1;
		lackey_adopt(c, va, page);
	}
	return cpu_access(c->sim, 0, va, a, &c->cost) == CPU_OOM;
}

/* One record's accesses to one page: M reads, then writes. */
static inline int lackey_page(struct lackey_ctx *c, char kind, uint64_t va,
			      uint64_t page)
{
	switch (kind) {
	case 'I':
		return lackey_access(c, va, page, PT_EXEC);
	case 'L':
		return lackey_access(c, va, page, PT_READ);
	case 'S':
		return lackey_access(c, va, page, PT_WRITE);
	default:    /* 'M' */
		return lackey_access(c, va, page, PT_READ) ||
		       lackey_access(c, va, page, PT_WRITE);
	}
}

/*
 * A memory call valgrind logged among the accesses: it runs through the
 * strace replay, which takes valgrind's outcome (its placement, which is
 * not the kernel's) when vmsim's differs. Pages adopted so far may be
 * unmapped now, so the memo of known pages starts again.
 */
static noinline int lackey_call(struct lackey_ctx *c,
				const struct strace_rec *call)
{
	struct sim *s = c->sim;

	if (!c->calls && replay_session_new(s->procs[0].mm, s->cfg,
					    &c->calls_result, &c->calls)) {
		c->host_error = true;
		return 1;
	}
	if (replay_session_call(c->calls, call)) {
		c->host_error = true;
		return 1;
	}
	s->stats.trace_calls++;
	memset(c->known, 0, sizeof(c->known));
	return 0;
}

static inline int on_access_record(struct lackey_ctx *c,
				   const struct lackey_rec *r)
{
	uint64_t size = c->sim->cfg->page_size, mask = ~(size - 1);
	uint64_t first = r->addr & mask, last;
	int rc = 0;

	c->sim->stats.trace_records++;
	if (unlikely(c->cost >= c->next_sample))
		lackey_sample(c);
	/* a record at the very top does not wrap around to page 0 */
	last = r->size - 1 > UINT64_MAX - r->addr ? mask :
	       (r->addr + r->size - 1) & mask;
	if (likely(first == last))
		return lackey_page(c, r->kind, r->addr, first);
	for (uint64_t page = first; !rc; page += size) {
		rc = lackey_page(c, r->kind, page == first ? r->addr : page,
				 page);
		if (page == last)
			break;
	}
	return rc;
}

static int on_lackey(void *arg, const struct lackey_rec *r)
{
	struct lackey_ctx *c = arg;
	int rc = unlikely(r->kind == 'Y') ? lackey_call(c, r->call)
					   : on_access_record(c, r);

	c->dirty = true;
	return rc;
}

/*
 * One lackey trace through the machine cfg describes: the process's
 * address space from maps (or adopted page by page), summary.csv and
 * timeseries.csv into out_dir unless it is NULL. Returns the exit code.
 */
static int lackey_sim(struct sim_config *cfg, const char *trace,
		      const char *maps, const char *out_dir, const char *name,
		      const struct run_opts *o)
{
	struct program prog;
	struct maps_snapshot snap;
	struct sim sim;
	struct run_out out = { .o = o, .name = name };
	struct lackey_ctx c = { .sim = &sim, .adopt = !maps,
				.next_sample = UINT64_MAX };
	int rc, exit_code = VMSIM_EXIT_OK;

	/* a trace cannot be killed half way: it is what the program did */
	cfg->segv = CFG_SEGV_SKIP;
	program_init(&prog, trace);
	if (sim_init(&sim, cfg)) {
		program_free(&prog);
		diag_error(trace, 0, 0, "cannot build the machine");
		return VMSIM_EXIT_SIM;
	}
	sim.dump_out = NULL;
	sim.hooks.ctx = &out;
	sim.hooks.sample = on_sample;
	if (sim_add_process(&sim, &prog)) {
		exit_code = VMSIM_EXIT_SIM;
		goto out;
	}
	if (maps) {
		if (maps_parse_file(maps, &snap)) {
			exit_code = VMSIM_EXIT_INPUT;
			goto out;
		}
		rc = replay_import_snapshot(sim.procs[0].mm, &snap, maps);
		maps_snapshot_free(&snap);
		if (rc) {
			exit_code = VMSIM_EXIT_INPUT;
			goto out;
		}
	}
	if (out_dir) {
		rc = run_make_dir(out_dir);
		if (!rc)
			rc = csv_open(&out.ts, out_dir, "timeseries.csv");
		if (rc) {
			diag_error(out_dir, 0, 0, "cannot write results: %s",
				   strerror(-rc));
			exit_code = VMSIM_EXIT_SIM;
			goto out;
		}
	}
	out.started_ns = out.last_progress_ns = host_ns();
	/* the first row shows the machine before the first record */
	if (cfg->sample_interval_ns)
		c.next_sample = 0;
	rc = lackey_parse_file(trace, on_lackey, &c, NULL);
	if (rc < 0) {
		exit_code = VMSIM_EXIT_INPUT;
		goto out;
	}
	if (c.host_error) {
		diag_error(trace, 0, 0, "out of host memory");
		exit_code = VMSIM_EXIT_SIM;
		goto out;
	}
	if (rc > 0) {
		/* an outcome of the simulation, not bad input */
		fprintf(stderr, "vmsim: replay: out of simulated memory (memory_size"
			" %" PRIu64 " bytes) after %" PRIu64 " records: the process is"
			" killed there\n", cfg->memory_size, sim.stats.trace_records);
		sim.stats.oom_kills++;
	}
	sim.now = c.cost;
	sim_update_stats(&sim);
	/* and the last the machine at the end */
	if (cfg->sample_interval_ns && (sim.now > sim.last_sample_ns || c.dirty))
		on_sample(&out, &sim);
	progress(&out, &sim, true);
	if (out_dir) {
		rc = csv_commit(&out.ts);
		if (!rc)
			rc = write_summary(out_dir, name, cfg, &sim);
		if (rc) {
			diag_error(out_dir, 0, 0, "cannot write results: %s",
				   strerror(-rc));
			exit_code = VMSIM_EXIT_SIM;
		}
	}
out:
	replay_session_free(c.calls);
	replay_result_free(&c.calls_result);
	if (exit_code) {
		csv_abort(&out.ts);
		if (out_dir)
			rmdir(out_dir);   /* only if empty: earlier results stay */
	}
	sim_destroy(&sim);
	program_free(&prog);
	return exit_code;
}

int run_lackey(const struct replay_cli *cli)
{
	struct run_opts o = { .config_path = cli->config_path, .sets = cli->sets,
			      .nr_sets = cli->nr_sets };
	struct sim_config cfg;
	char name[256];

	if (run_settle_config(&cfg, &o, NULL))
		return VMSIM_EXIT_INPUT;
	workload_name(cli->lackey_path, name, sizeof(name));
	return lackey_sim(&cfg, cli->lackey_path, cli->maps_path, cli->out_dir,
			  name, &o);
}
