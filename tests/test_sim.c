/*
 * test_sim.c - the discrete-event core (sim/core/sim.c) driven by parsed
 * workloads: kalloc/kfree/dump executors, simulated time (each op's
 * configured cost, `@`, sleep, repeat), runtime workload errors,
 * exhaustion, the sampler, and determinism.
 *
 * Every run records each executed operation through the event hook and
 * each sampler row through the sample hook, and `dump` output goes to a
 * memory buffer, so the tests compare exact sequences.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "core/sim.h"
#include "io/config.h"
#include "io/diag.h"
#include "io/workload.h"

TestSuite(sim);

#define K 1024ull

struct rec {
	uint64_t time, latency;   /* start and cost */
	char op[16];
	char name[40];
	uint64_t size;
	int order;
	uint64_t addr;
	bool has_addr;
	long long result;
};

struct sample_rec {
	uint64_t time;
	uint64_t nr_free;
};

static struct sim_config cfg;
static struct program prog;
static struct wl_header hdr;
static struct sim sim;
static bool sim_live;
static char *dump_buf;
static size_t dump_len;
static FILE *dump_f;

static struct rec *recs;
static size_t nr_recs, cap_recs;
static struct sample_rec samples[4096];
static size_t nr_samples;

static void on_event(void *ctx, const struct sim *s, const struct sim_event *e)
{
	struct rec *r;

	(void)ctx;
	(void)s;
	if (nr_recs == cap_recs) {
		cap_recs = cap_recs ? cap_recs * 2 : 64;
		recs = realloc(recs, cap_recs * sizeof(*recs));
		cr_assert_not_null(recs);
	}
	r = &recs[nr_recs++];
	memset(r, 0, sizeof(*r));
	r->time = e->time_ns;
	r->latency = e->latency_ns;
	snprintf(r->op, sizeof(r->op), "%s", e->op);
	snprintf(r->name, sizeof(r->name), "%s", e->name ? e->name : "");
	r->size = e->size_bytes;
	r->order = e->order;
	r->addr = e->addr;
	r->has_addr = e->has_addr;
	r->result = e->result;
}

static void on_sample(void *ctx, const struct sim *s)
{
	(void)ctx;
	cr_assert_lt(nr_samples, sizeof(samples) / sizeof(samples[0]));
	samples[nr_samples].time = s->now;
	samples[nr_samples].nr_free = s->zone.nr_free_pages;
	nr_samples++;
}

/* The seed's machine: 1024K in 64K pages, costs at their defaults. */
static void seed_config(void)
{
	cfg_defaults(&cfg);
	cr_assert_eq(cfg_load(&cfg, "config/seed-buddy.ini"), 0);
	cr_assert_eq(cfg_check(&cfg, "config/seed-buddy.ini"), 0);
}

static void set(const char *assignment)
{
	cr_assert_eq(cfg_set(&cfg, assignment, "--set"), 0, "%s", assignment);
}

/* Parses text and builds the machine with one process running it. */
static void load(const char *text, bool hooks)
{
	cr_assert_eq(wl_parse_string("t.wl", text, &prog, &hdr), 0);
	cr_assert_eq(sim_init(&sim, &cfg), 0);
	sim_live = true;
	dump_f = open_memstream(&dump_buf, &dump_len);
	cr_assert_not_null(dump_f);
	sim.dump_out = dump_f;
	if (hooks) {
		sim.hooks.event = on_event;
		sim.hooks.sample = on_sample;
	}
	cr_assert_eq(sim_add_process(&sim, &prog), 0);
}

static int run(const char *text)
{
	load(text, true);
	return sim_run(&sim);
}

static const char *dumped(void)
{
	fflush(dump_f);
	return dump_buf ? dump_buf : "";
}

static void cleanup(void)
{
	if (sim_live)
		sim_destroy(&sim);
	sim_live = false;
	if (dump_f)
		fclose(dump_f);
	dump_f = NULL;
	free(dump_buf);
	dump_buf = NULL;
	program_free(&prog);
	wl_header_free(&hdr);
	free(recs);
	recs = NULL;
	nr_recs = cap_recs = 0;
	nr_samples = 0;
}

static void assert_rec(size_t i, uint64_t time, uint64_t latency, const char *op,
		       const char *name, uint64_t size, int order, long long addr,
		       long long result)
{
	const struct rec *r = &recs[i];

	cr_assert_lt(i, nr_recs, "only %zu events", nr_recs);
	cr_assert_eq(r->time, time, "event %zu: time %llu, want %llu", i,
		     (unsigned long long)r->time, (unsigned long long)time);
	cr_assert_eq(r->latency, latency, "event %zu: latency %llu", i,
		     (unsigned long long)r->latency);
	cr_assert_str_eq(r->op, op, "event %zu", i);
	cr_assert_str_eq(r->name, name, "event %zu", i);
	cr_assert_eq(r->size, size, "event %zu: size %llu", i, (unsigned long long)r->size);
	cr_assert_eq(r->order, order, "event %zu: order %d", i, r->order);
	if (addr < 0) {
		cr_assert_not(r->has_addr, "event %zu has an address", i);
	} else {
		cr_assert(r->has_addr, "event %zu has no address", i);
		cr_assert_eq(r->addr, (uint64_t)addr, "event %zu: addr 0x%llx", i,
			     (unsigned long long)r->addr);
	}
	cr_assert_eq(r->result, result, "event %zu: result %lld", i, r->result);
}

/* ---- the seed's example ---- */

static const char seed_buddyinfo[] =
	"Node 0, zone   Normal      0      0      0      0      1 \n"
	"Node 0, zone   Normal      1      1      1      1      0 \n"
	"Node 0, zone   Normal      1      0      1      1      0 \n"
	"Node 0, zone   Normal      0      0      1      1      0 \n"
	"Node 0, zone   Normal      0      1      0      1      0 \n"
	"Node 0, zone   Normal      0      2      0      1      0 \n"
	"Node 0, zone   Normal      0      1      1      1      0 \n"
	"Node 0, zone   Normal      1      1      1      1      0 \n"
	"Node 0, zone   Normal      0      0      0      0      1 \n";

Test(sim, seed_example_prints_the_nine_buddyinfo_states, .fini = cleanup)
{
	const char *out;

	seed_config();
	cr_assert_eq(wl_parse_file("workloads/seed-buddy.wl", &prog, &hdr), 0);
	cr_assert_eq(sim_init(&sim, &cfg), 0);
	sim_live = true;
	dump_f = open_memstream(&dump_buf, &dump_len);
	sim.dump_out = dump_f;
	sim.hooks.event = on_event;
	cr_assert_eq(sim_add_process(&sim, &prog), 0);
	cr_assert_eq(sim_run(&sim), SIM_OK);
	out = dumped();
	/* the nine buddyinfo lines, then `dump fragindex` (two lines) */
	cr_assert_eq(strncmp(out, seed_buddyinfo, strlen(seed_buddyinfo)), 0,
		     "dump output:\n%s", out);
	{
		const char *rest = out + strlen(seed_buddyinfo);
		unsigned lines = 0;

		for (const char *c = rest; *c; c++)
			lines += *c == '\n';
		cr_assert_eq(lines, 2, "fragindex printed:\n%s", rest);
		cr_assert_eq(strncmp(rest, "Node 0, zone   Normal ", 22), 0);
	}
	/* every kalloc's block: A at 0, B at 128K, C at 64K, D at 256K */
	assert_rec(1, 0, 100, "kalloc", "A", 34 * K, 0, 0, 0);
	assert_rec(3, 100, 100, "kalloc", "B", 66 * K, 1, 128 * K, 0);
	assert_rec(5, 200, 100, "kalloc", "C", 35 * K, 0, 64 * K, 0);
	assert_rec(7, 300, 100, "kalloc", "D", 67 * K, 1, 256 * K, 0);
	assert_rec(9, 400, 80, "kfree", "B", 66 * K, 1, 128 * K, 0);
	assert_rec(11, 480, 80, "kfree", "D", 67 * K, 1, 256 * K, 0);
	assert_rec(13, 560, 80, "kfree", "A", 34 * K, 0, 0, 0);
	assert_rec(15, 640, 80, "kfree", "C", 35 * K, 0, 64 * K, 0);
	assert_rec(16, 720, 0, "dump", "", 0, -1, -1, 0);
	assert_rec(17, 720, 0, "dump", "", 0, -1, -1, 0);
	cr_assert_eq(nr_recs, 18);
	/* and it ends as one order-4 block */
	cr_assert_eq(sim.zone.free_area[4].nr_free, 1);
	cr_assert_eq(sim.zone.nr_free_pages, 16);
	cr_assert_eq(sim.stats.sim_time_ns, 720);
	cr_assert_eq(sim.stats.ops, 18);
	cr_assert_eq(sim.stats.kalloc, 4);
	cr_assert_eq(sim.stats.kfree, 4);
	cr_assert_eq(sim.stats.kalloc_fail, 0);
	cr_assert_eq(sim.stats.pgalloc, 6);
	cr_assert_eq(sim.stats.pgfree, 6);
	cr_assert_eq(sim.stats.internal_frag_bytes, 0);
	cr_assert_eq(sim.stats.kalloc_time_ns, 720);
}

Test(sim, internal_fragmentation_while_blocks_are_live, .fini = cleanup)
{
	seed_config();
	cr_assert_eq(run("kalloc A 34K\nkalloc B 66K\n"), SIM_OK);
	cr_assert_eq(sim.stats.requested_bytes, 100 * K);
	cr_assert_eq(sim.stats.internal_frag_bytes, (64 - 34 + 128 - 66) * K);
	cr_assert_eq(sim.stats.nr_alloc_pages, 3);
	cr_assert_eq(sim.stats.nr_free_pages, 13);
}

/* ---- simulated time ---- */

Test(sim, each_op_costs_its_configured_time, .fini = cleanup)
{
	seed_config();
	set("cost_kalloc_ns=1us");
	set("cost_kfree_ns=250");
	set("sample_interval_ns=0");
	cr_assert_eq(run("kalloc A 1K\n"
			 "kalloc B 1K\n"
			 "kfree A\n"
			 "dump buddyinfo\n"
			 "kfree B\n"), SIM_OK);
	cr_assert_eq(nr_recs, 5);
	assert_rec(0, 0, 1000, "kalloc", "A", 1 * K, 0, 0, 0);
	assert_rec(1, 1000, 1000, "kalloc", "B", 1 * K, 0, 64 * K, 0);
	assert_rec(2, 2000, 250, "kfree", "A", 1 * K, 0, 0, 0);
	assert_rec(3, 2250, 0, "dump", "", 0, -1, -1, 0);
	assert_rec(4, 2250, 250, "kfree", "B", 1 * K, 0, 64 * K, 0);
	cr_assert_eq(sim.stats.sim_time_ns, 2500);
	cr_assert_eq(sim.stats.kalloc_time_ns, 2500);
	cr_assert_eq(nr_samples, 0);
}

Test(sim, at_waits_for_an_absolute_time_and_sleep_for_a_span, .fini = cleanup)
{
	seed_config();
	set("sample_interval_ns=0");
	cr_assert_eq(run("@ 10us\n"                /* leading: the first op waits */
			 "kalloc A 1K\n"            /* 10000 .. 10100 */
			 "sleep 5us\n"
			 "kalloc B 1K\n"            /* 15100 .. 15200 */
			 "@ 1us kfree A\n"          /* in the past: no wait, 15200 */
			 "@20us kfree B\n"          /* 20000 */
			 "sleep 0\n"
			 "dump buddyinfo\n"         /* 20080 */
			 "sleep 1ms\n"),            /* trailing: the run ends later */
		     SIM_OK);
	cr_assert_eq(nr_recs, 5);
	assert_rec(0, 10000, 100, "kalloc", "A", 1 * K, 0, 0, 0);
	assert_rec(1, 15100, 100, "kalloc", "B", 1 * K, 0, 64 * K, 0);
	assert_rec(2, 15200, 80, "kfree", "A", 1 * K, 0, 0, 0);
	assert_rec(3, 20000, 80, "kfree", "B", 1 * K, 0, 64 * K, 0);
	assert_rec(4, 20080, 0, "dump", "", 0, -1, -1, 0);
	cr_assert_eq(sim.stats.sim_time_ns, 20080 + 1000000);
}

Test(sim, repeat_runs_its_body_count_times_with_indexed_names, .fini = cleanup)
{
	seed_config();
	set("sample_interval_ns=0");
	cr_assert_eq(run("repeat 4 {\n"
			 "  kalloc b$i 64K\n"
			 "}\n"
			 "repeat 0 {\n"
			 "  kalloc never 64K\n"
			 "}\n"
			 "repeat 2 {\n"
			 "  repeat 2 j {\n"
			 "    kfree b$j\n"        /* b[0], b[1]: by the inner counter */
			 "  }\n"
			 "}\n"), SIM_EWORKLOAD);
	/* the second outer iteration frees b[0] again: a workload error at
	 * the kfree's line and column */
	cr_assert_eq(nr_recs, 6);
	assert_rec(0, 0, 100, "kalloc", "b[0]", 64 * K, 0, 0, 0);
	assert_rec(1, 100, 100, "kalloc", "b[1]", 64 * K, 0, 64 * K, 0);
	assert_rec(2, 200, 100, "kalloc", "b[2]", 64 * K, 0, 128 * K, 0);
	assert_rec(3, 300, 100, "kalloc", "b[3]", 64 * K, 0, 192 * K, 0);
	assert_rec(4, 400, 80, "kfree", "b[0]", 64 * K, 0, 0, 0);
	assert_rec(5, 480, 80, "kfree", "b[1]", 64 * K, 0, 64 * K, 0);
	cr_assert_eq(sim.error.line, 9);
	cr_assert_eq(sim.error.col, 5);
	cr_assert_str_eq(sim.error.msg, "kfree: 'b[0]' was already freed");
}

Test(sim, nested_repeat_indexes_by_the_right_counter, .fini = cleanup)
{
	seed_config();
	set("sample_interval_ns=0");
	cr_assert_eq(run("repeat 2 {\n"
			 "  repeat 3 j {\n"
			 "    kalloc x$j 64K\n"
			 "    kfree x$j\n"
			 "  }\n"
			 "  kalloc y$i 1K\n"
			 "}\n"), SIM_OK);
	/* 2 x (3 x (kalloc, kfree) + kalloc) = 14 events */
	cr_assert_eq(nr_recs, 14);
	assert_rec(0, 0, 100, "kalloc", "x[0]", 64 * K, 0, 0, 0);
	assert_rec(2, 180, 100, "kalloc", "x[1]", 64 * K, 0, 0, 0);
	assert_rec(4, 360, 100, "kalloc", "x[2]", 64 * K, 0, 0, 0);
	assert_rec(6, 540, 100, "kalloc", "y[0]", 1 * K, 0, 0, 0);
	assert_rec(7, 640, 100, "kalloc", "x[0]", 64 * K, 0, 64 * K, 0);
	assert_rec(13, 1180, 100, "kalloc", "y[1]", 1 * K, 0, 64 * K, 0);
	cr_assert_eq(sim.stats.nr_alloc_pages, 2);
	cr_assert_eq(sim.stats.sim_time_ns, 1280);
}

Test(sim, a_million_kalloc_kfree_pairs_end_all_free, .fini = cleanup)
{
	seed_config();
	set("sample_interval_ns=0");
	load("repeat 1000000 {\n"
	     "  kalloc A 34K\n"
	     "  kfree A\n"
	     "}\n", false);
	/* the full validator after every op would be 40% of this test's
	 * time under ASan: every 1000th op still checks the zone */
	buddy_set_validate(&sim.zone, 1000);
	cr_assert_eq(sim_run(&sim), SIM_OK);
	cr_assert_eq(sim.stats.kalloc, 1000000);
	cr_assert_eq(sim.stats.kfree, 1000000);
	cr_assert_eq(sim.stats.ops, 2000000);
	cr_assert_eq(sim.stats.sim_time_ns, 1000000ull * (100 + 80));
	cr_assert_eq(sim.stats.pgalloc, 1000000);
	cr_assert_eq(sim.stats.pgfree, 1000000);
	cr_assert_eq(sim.stats.nr_free_pages, 16);
	cr_assert_eq(sim.stats.nr_alloc_pages, 0);
	cr_assert_eq(sim.zone.free_area[4].nr_free, 1);
	cr_assert_eq(sim.stats.internal_frag_bytes, 0);
	cr_assert_eq(sim.stats.requested_bytes, 0);
	/* the loop costs two ops in the program, not two million */
	cr_assert_eq(prog.nr_ops, 4);
}

/* ---- runtime workload errors ---- */

static void assert_runtime_error(const char *text, unsigned line, unsigned col,
				 const char *msg)
{
	seed_config();
	set("sample_interval_ns=0");
	cr_assert_eq(run(text), SIM_EWORKLOAD, "ran: %s", text);
	cr_assert_eq(sim.error.line, line, "line %u", sim.error.line);
	cr_assert_eq(sim.error.col, col, "col %u", sim.error.col);
	cr_assert_str_eq(sim.error.msg, msg);
}

Test(sim, kfree_twice_is_a_workload_error, .fini = cleanup)
{
	assert_runtime_error("kalloc A 4K\nkfree A\n  kfree A\ndump buddyinfo\n",
			     3, 3, "kfree: 'A' was already freed");
	/* it stopped there: the dump never ran */
	cr_assert_str_eq(dumped(), "");
	cr_assert_eq(nr_recs, 2);
}

Test(sim, kalloc_into_a_live_name_is_a_workload_error, .fini = cleanup)
{
	assert_runtime_error("kalloc A 4K\nA = kalloc 8K\n",
			     2, 5, "kalloc: 'A' still holds a live block (kfree it first)");
	/* the first block is still allocated, nothing else */
	cr_assert_eq(sim.zone.nr_free_pages, 15);
}

Test(sim, kalloc_reuses_a_freed_name, .fini = cleanup)
{
	seed_config();
	cr_assert_eq(run("kalloc A 4K\nkfree A\nkalloc A 128K\nkfree A\n"), SIM_OK);
	assert_rec(2, 180, 100, "kalloc", "A", 128 * K, 1, 0, 0);
	assert_rec(3, 280, 80, "kfree", "A", 128 * K, 1, 0, 0);
}

Test(sim, kalloc_larger_than_the_largest_block_is_a_workload_error, .fini = cleanup)
{
	assert_runtime_error("kalloc A 1024K\nkfree A\nkalloc B 1025K\n",
			     3, 1, "kalloc: 1049600 bytes is larger than the largest block (1048576 bytes)");
}

Test(sim, kalloc_of_zero_bytes_is_a_workload_error, .fini = cleanup)
{
	assert_runtime_error("kalloc A 0\n", 1, 1, "kalloc: size 0");
}

Test(sim, kfree_of_a_loop_name_not_yet_bound, .fini = cleanup)
{
	/* b$i is bound in the first loop for i < 2 only */
	assert_runtime_error("repeat 2 {\n  kalloc b$i 4K\n}\n"
			     "repeat 3 {\n  kfree b$i\n}\n",
			     5, 3, "kfree: 'b[2]' holds no block (its kalloc failed or never ran)");
}

/* ---- exhaustion ---- */

Test(sim, exhaustion_is_counted_and_the_run_continues, .fini = cleanup)
{
	seed_config();
	set("sample_interval_ns=0");
	cr_assert_eq(run("repeat 20 {\n"
			 "  kalloc b$i 64K\n"
			 "}\n"
			 "kalloc big 128K\n"
			 "dump buddyinfo\n"), SIM_OK);
	cr_assert_eq(sim.stats.kalloc, 21);
	cr_assert_eq(sim.stats.kalloc_fail, 5);
	cr_assert_eq(sim.stats.nr_free_pages, 0);
	cr_assert_eq(sim.stats.pgalloc, 16);
	cr_assert_eq(sim.zone.stats.alloc_fail, 5);
	/* a failed kalloc costs its time and reports -ENOMEM, no block */
	assert_rec(15, 1500, 100, "kalloc", "b[15]", 64 * K, 0, 15 * 64 * K, 0);
	assert_rec(16, 1600, 100, "kalloc", "b[16]", 64 * K, -1, -1, -ENOMEM);
	assert_rec(20, 2000, 100, "kalloc", "big", 128 * K, -1, -1, -ENOMEM);
	assert_rec(21, 2100, 0, "dump", "", 0, -1, -1, 0);
	cr_assert_str_eq(dumped(), "Node 0, zone   Normal      0      0      0      0      0 \n");
}

/* ---- the sampler ---- */

Test(sim, sampler_rows_at_each_interval_and_at_the_end, .fini = cleanup)
{
	static const struct sample_rec want[] = {
		{ 0, 16 }, { 100, 15 }, { 200, 13 }, { 300, 12 }, { 400, 10 },
		{ 500, 14 }, { 600, 15 }, { 700, 16 }, { 720, 16 },
	};

	seed_config();   /* sample_interval_ns = 100ns */
	cr_assert_eq(wl_parse_file("workloads/seed-buddy.wl", &prog, &hdr), 0);
	cr_assert_eq(sim_init(&sim, &cfg), 0);
	sim_live = true;
	sim.dump_out = NULL;   /* dumps are discarded */
	sim.hooks.sample = on_sample;
	cr_assert_eq(sim_add_process(&sim, &prog), 0);
	cr_assert_eq(sim_run(&sim), SIM_OK);
	cr_assert_eq(nr_samples, sizeof(want) / sizeof(want[0]), "%zu rows", nr_samples);
	for (size_t i = 0; i < nr_samples; i++) {
		cr_assert_eq(samples[i].time, want[i].time, "row %zu: time %llu", i,
			     (unsigned long long)samples[i].time);
		cr_assert_eq(samples[i].nr_free, want[i].nr_free, "row %zu: free %llu", i,
			     (unsigned long long)samples[i].nr_free);
	}
}

Test(sim, sampler_with_a_coarser_interval, .fini = cleanup)
{
	seed_config();
	set("sample_interval_ns=250");
	cr_assert_eq(run("repeat 10 {\n  kalloc b$i 64K\n}\n"), SIM_OK);
	/* the run ends at 1000: rows at 0, 250, 500, 750 and the end */
	cr_assert_eq(nr_samples, 5);
	cr_assert_eq(samples[0].time, 0);
	cr_assert_eq(samples[0].nr_free, 16);
	cr_assert_eq(samples[1].time, 250);
	cr_assert_eq(samples[1].nr_free, 13);   /* kallocs at 0, 100, 200 */
	cr_assert_eq(samples[2].time, 500);
	cr_assert_eq(samples[2].nr_free, 11);   /* at 500 the sample comes first */
	cr_assert_eq(samples[3].time, 750);
	cr_assert_eq(samples[3].nr_free, 8);
	cr_assert_eq(samples[4].time, 1000);
	cr_assert_eq(samples[4].nr_free, 6);
}

Test(sim, sampler_off_when_interval_is_zero, .fini = cleanup)
{
	seed_config();
	set("sample_interval_ns=0");
	cr_assert_eq(run("kalloc A 4K\n"), SIM_OK);
	cr_assert_eq(nr_samples, 0);
}

/* ---- processes and determinism ---- */

Test(sim, two_processes_interleave_in_push_order_with_own_names, .fini = cleanup)
{
	seed_config();
	set("sample_interval_ns=0");
	set("cpus=2");          /* one each: they run side by side */
	load("kalloc A 64K\nkfree A\n", true);
	/* a second process runs the same program: its A is its own */
	cr_assert_eq(sim_add_process(&sim, &prog), 0);
	cr_assert_eq(sim_run(&sim), SIM_OK);
	cr_assert_eq(nr_recs, 4);
	assert_rec(0, 0, 100, "kalloc", "A", 64 * K, 0, 0, 0);
	assert_rec(1, 0, 100, "kalloc", "A", 64 * K, 0, 64 * K, 0);
	assert_rec(2, 100, 80, "kfree", "A", 64 * K, 0, 0, 0);
	assert_rec(3, 100, 80, "kfree", "A", 64 * K, 0, 64 * K, 0);
	cr_assert_eq(sim.nr_running, 0);
	cr_assert(sim.procs[0].done && sim.procs[1].done);
	cr_assert_eq(sim.stats.sim_time_ns, 180);
}

Test(sim, same_input_gives_identical_events, .fini = cleanup)
{
	static const char text[] =
		"repeat 50 {\n"
		"  kalloc a$i 34K\n"
		"  kalloc b$i 130K\n"
		"  sleep 7\n"
		"  kfree a$i\n"
		"}\n"
		"repeat 50 {\n"
		"  kfree b$i\n"
		"}\n";
	struct rec *first;
	size_t nr_first, nr_first_samples;
	struct sample_rec first_samples[4096];

	seed_config();
	set("memory_size=64M");
	cr_assert_eq(run(text), SIM_OK);
	first = recs;
	nr_first = nr_recs;
	nr_first_samples = nr_samples;
	memcpy(first_samples, samples, nr_samples * sizeof(samples[0]));
	recs = NULL;
	nr_recs = cap_recs = 0;
	nr_samples = 0;
	sim_destroy(&sim);
	sim_live = false;
	fclose(dump_f);
	dump_f = NULL;
	free(dump_buf);
	dump_buf = NULL;
	program_free(&prog);
	wl_header_free(&hdr);

	cr_assert_eq(run(text), SIM_OK);
	cr_assert_eq(nr_recs, nr_first);
	cr_assert_eq(nr_recs, 200);
	for (size_t i = 0; i < nr_recs; i++)
		cr_assert_eq(memcmp(&recs[i], &first[i], sizeof(recs[i])), 0,
			     "event %zu differs", i);
	cr_assert_eq(nr_samples, nr_first_samples);
	cr_assert_eq(memcmp(samples, first_samples, nr_samples * sizeof(samples[0])), 0);
	free(first);
}

/*
 * A sleep or `@` right before another control op (a sleep, an `@`, the
 * `}` of a loop, a repeat): the control op runs when the wait is over.
 * (This used to execute the control op as a real op and crash.)
 */
Test(sim, sleep_before_a_control_op, .fini = cleanup)
{
	seed_config();
	set("sample_interval_ns=0");
	cr_assert_eq(run("sleep 1us\n"
			 "sleep 1us\n"
			 "@ 5us\n"
			 "@ 6us\n"
			 "repeat 2 {\n"
			 "  kalloc A 4K\n"
			 "  kfree A\n"
			 "  sleep 1us\n"
			 "}\n"
			 "sleep 1us\n"), SIM_OK);
	cr_assert_eq(nr_recs, 4);
	assert_rec(0, 6000, 100, "kalloc", "A", 4 * K, 0, 0, 0);
	assert_rec(1, 6100, 80, "kfree", "A", 4 * K, 0, 0, 0);
	assert_rec(2, 7180, 100, "kalloc", "A", 4 * K, 0, 0, 0);
	assert_rec(3, 7280, 80, "kfree", "A", 4 * K, 0, 0, 0);
	cr_assert_eq(sim.stats.sim_time_ns, 7360 + 1000 + 1000);
}
