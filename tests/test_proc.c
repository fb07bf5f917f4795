/*
 * test_proc.c - processes (core/sim.c with mm/fault.c): spawn and its
 * layout, fork with copy-on-write (exact counts worked out by hand), exit
 * giving every frame back, the OOM killer's choice, the per-process rows
 * of summary.csv, byte-identical output twice, and the language's errors.
 */
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "sim_run.h"
#include "diag_capture.h"
#include "core/sim.h"
#include "io/config.h"
#include "io/csv_in.h"
#include "io/run.h"
#include "io/workload.h"

TestSuite(proc);

static void x86_64(void)
{
	preset("config/x86_64.ini");
}

static struct stats proc_stats(unsigned idx)
{
	struct stats st;

	cr_assert_lt(idx, sim.nr_procs);
	sim_proc_stats(&sim, idx, &st);
	return st;
}

/* 64K = 16 pages of 4K, written by the parent before the fork. */
#define PARENT_WRITES \
	"buf = mmap any 64K rw private,anon\n" \
	"access write seq buf 64K 16 4K\n"

/*
 * The child writes all 16 shared pages: 16 copies. After it exits, the
 * parent's pages are its own again: writing them faults 16 times (the
 * write bit comes back, wp_page_reuse) and copies nothing. Frames: the
 * parent's 16 and its 4 table pages (pgd, pud, pmd, pte) remain.
 */
Test(proc, fork_then_write_every_page_copies_each_once, .fini = cleanup)
{
	struct stats parent, child;

	x86_64();
	free(run_dump(PARENT_WRITES
		 "fork child {\n"
		 "    access write seq buf 64K 16 4K\n"
		 "    exit\n"
		 "}\n"
		 "sleep 1ms\n"
		 "access write seq buf 64K 16 4K\n"));
	sim_update_stats(&sim);
	cr_assert_eq(sim.nr_procs, 2);
	parent = proc_stats(0);
	child = proc_stats(1);
	cr_expect_str_eq(sim.procs[1].name, "child");
	cr_expect_eq(child.cow_faults, 16);
	cr_expect_eq(child.pgfault, 16);
	cr_expect_eq(parent.cow_faults, 0);
	cr_expect_eq(parent.pgfault, 32);
	cr_expect_eq(parent.forks, 1);
	cr_expect_eq(child.exits, 1);
	cr_expect_eq(sim.stats.cow_faults, 16);
	cr_expect_eq(sim.stats.pgfault, 48);
	cr_expect_eq(child.rss_pages, 0);
	cr_expect_eq(parent.rss_pages, 16);
	cr_expect_eq(sim.stats.nr_free_pages, 262144 - 16 - 4);
}

/* A child that only reads shares every page and faults not at all. */
Test(proc, fork_then_read_only_copies_nothing, .fini = cleanup)
{
	struct stats child;

	x86_64();
	free(run_dump(PARENT_WRITES
		 "fork reader {\n"
		 "    access read seq buf 64K 16 4K\n"
		 "    sleep 1ms\n"
		 "}\n"));
	sim_update_stats(&sim);
	child = proc_stats(1);
	cr_expect_eq(child.accesses, 16);
	cr_expect_eq(child.tlb_misses, 16);
	cr_expect_eq(child.pgfault, 0);
	cr_expect_eq(sim.stats.cow_faults, 0);
	/* both map the same 16 frames; the child has 4 table pages of its own */
	cr_expect_eq(child.rss_pages, 16);
	cr_expect_eq(proc_stats(0).rss_pages, 16);
	cr_expect_eq(sim.stats.nr_free_pages, 262144 - 16 - 4 - 4);
}

/* The parent writes while the child still holds the pages: the parent copies. */
Test(proc, the_parent_copies_too_while_the_child_holds_the_pages, .fini = cleanup)
{
	x86_64();
	free(run_dump(PARENT_WRITES
		 "fork idle {\n"
		 "    sleep 1ms\n"
		 "}\n"
		 "access write seq buf 64K 16 4K\n"));
	cr_expect_eq(proc_stats(0).cow_faults, 16);
	cr_expect_eq(proc_stats(1).cow_faults, 0);
	sim_update_stats(&sim);
	/* 16 originals (the child's now) + 16 copies + 2 x 4 table pages */
	cr_expect_eq(sim.stats.nr_free_pages, 262144 - 32 - 8);
}

/* MAP_SHARED stays shared: the child's writes copy nothing. */
Test(proc, a_shared_mapping_stays_shared, .fini = cleanup)
{
	x86_64();
	free(run_dump("buf = mmap any 64K rw shared,anon\n"
		 "access write seq buf 64K 16 4K\n"
		 "fork writer {\n"
		 "    access write seq buf 64K 16 4K\n"
		 "}\n"));
	cr_expect_eq(sim.stats.cow_faults, 0);
	cr_expect_eq(proc_stats(1).pgfault, 0);
	cr_expect_eq(proc_stats(1).tlb_misses, 16);
	sim_update_stats(&sim);
	cr_expect_eq(sim.stats.nr_free_pages, 262144 - 16 - 8);
}

/* Free blocks of one order, counted along the free list. */
static uint64_t free_blocks(unsigned order)
{
	uint64_t n = 0;

	for (uint64_t pfn = buddy_free_first(&sim.zone, order); pfn != BUDDY_PFN_NONE;
	     pfn = buddy_free_next(&sim.zone, pfn))
		n++;
	return n;
}

/*
 * Every process exits (spawned, forked, grandchildren, one killed by
 * SIGSEGV): the buddy allocator ends exactly as it began, block for block.
 */
Test(proc, after_every_exit_memory_is_exactly_as_it_started, .fini = cleanup)
{
	uint64_t before[32];
	unsigned o;

	x86_64();
	set("segv=kill");
	cfg.slab = true;        /* the kernel's objects must come back too */
	cr_assert_eq(wl_parse_string("t.wl",
		"spawn a text=64K data=16K bss=8K stack=132K {\n"
		"    heap = sbrk +100K\n"
		"    access write uniform heap 100K 500\n"
		"    big = mmap any 3M rw private,anon\n"
		"    access write seq big 3M 768 4K\n"
		"    repeat 3 {\n"
		"        fork kid {\n"
		"            access write uniform big 3M 200\n"
		"            fork grandkid {\n"
		"                access read seq big 3M 768 4K\n"
		"                exit\n"
		"            }\n"
		"            sleep 100us\n"
		"            exit\n"
		"        }\n"
		"    }\n"
		"    sleep 1ms\n"
		"    exit\n"
		"}\n"
		"spawn b {\n"
		"    x = mmap any 1M rw private,anon\n"
		"    access write seq x 1M 256 4K\n"
		"    read 0x10\n"                     /* SIGSEGV: killed */
		"}\n", &prog, &hdr), 0);
	cr_assert_eq(sim_init(&sim, &cfg), 0);
	live = true;
	sim.dump_out = NULL;
	for (o = 0; o <= sim.zone.max_order; o++)
		before[o] = free_blocks(o);
	cr_assert_eq(sim_add_process(&sim, &prog), 0);
	cr_assert_eq(sim_run(&sim), SIM_OK);
	sim_update_stats(&sim);
	cr_expect_eq(sim.nr_procs, 2 + 3 + 3);
	cr_expect_eq(sim.stats.forks, 6);
	cr_expect_eq(sim.stats.exits, 8);
	cr_expect_gt(sim.stats.cow_faults, 0);
	cr_expect_eq(sim.stats.nr_alloc_pages, 0);
	cr_expect_eq(sim.stats.rss_pages, 0);
	cr_expect_eq(sim.stats.nr_page_table_pages, 0);
	for (o = 0; o <= sim.zone.max_order; o++)
		cr_expect_eq(free_blocks(o), before[o], "order %u: %lu free blocks, "
			     "%lu before", o, (unsigned long)free_blocks(o),
			     (unsigned long)before[o]);
}

/*
 * 4M of memory (1024 frames). big touches 2M and waits; small then
 * touches 3M: when the frames run out, the OOM killer takes big (the
 * largest RSS), not small, which faulted, and small finishes.
 */
Test(proc, the_oom_killer_takes_the_largest_process, .fini = cleanup)
{
	x86_64();
	set("memory_size=4M");
	free(run_dump("spawn big {\n"
		 "    m = mmap any 2M rw private,anon\n"
		 "    access write seq m 2M 512 4K\n"
		 "    sleep 10ms\n"
		 "    access read seq m 2M 512 4K\n"
		 "}\n"
		 "spawn small {\n"
		 "    sleep 1ms\n"
		 "    m = mmap any 3M rw private,anon\n"
		 "    access write seq m 3M 768 4K\n"
		 "}\n"));
	cr_expect_eq(sim.stats.oom_kills, 1);
	cr_expect(sim.procs[0].oom_killed);
	cr_expect(!sim.procs[1].oom_killed);
	cr_expect_eq(proc_stats(0).oom_kills, 1);
	cr_expect_eq(proc_stats(0).rss_pages, 0);
	cr_expect_eq(proc_stats(1).rss_pages, 768);
	cr_expect_eq(proc_stats(1).pgfault, 768);
	/* big's last op never ran: it died at small's fault */
	cr_expect_eq(proc_stats(0).accesses, 512);
	/* the exit is the victim's, though small's fault caused it */
	cr_expect_eq(sim.stats.exits, 1);
	cr_expect_eq(proc_stats(0).exits, 1);
	cr_expect_eq(proc_stats(1).exits, 0);
}

/* With one process, the one that faults is the one killed. */
Test(proc, alone_it_kills_itself, .fini = cleanup)
{
	x86_64();
	set("memory_size=1M");
	free(run_dump("m = mmap any 2M rw private,anon\n"
		 "access write seq m 2M 512 4K\n"
		 "read m\n"));
	cr_expect_eq(sim.stats.oom_kills, 1);
	cr_expect(sim.procs[0].killed);
	sim_update_stats(&sim);
	cr_expect_eq(sim.stats.nr_alloc_pages, 0);
}

/*
 * exec's layout without randomization: text at two thirds of user space
 * (0x555555554aaa rounded up), data, bss, the heap from the bss's end,
 * and a 132K [stack] ending at task_size.
 */
Test(proc, spawn_lays_out_text_data_bss_heap_and_stack, .fini = cleanup)
{
	char *out;

	x86_64();
	out = run_dump("spawn server text=1M data=64K bss=100K stack=132K {\n"
		  "    sbrk +8K\n"
		  "    dump maps\n"
		  "}\n");
	cr_assert_str_eq(out,
		"555555555000-555555655000 r-xp 00000000 00:00 1                          server\n"
		"555555655000-555555665000 rw-p 00100000 00:00 1                          server\n"
		"555555665000-55555567e000 rw-p 00000000 00:00 0 \n"
		"55555567e000-555555680000 rw-p 00000000 00:00 0                          [heap]\n"
		"7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]\n");
	free(out);
	cr_expect_str_eq(sim.procs[0].name, "server");
	cr_expect_eq(sim.nr_procs, 1);
}

/* The per-process rows of summary.csv, and the same bytes twice. */
Test(proc, summary_rows_per_process_and_byte_identical_twice)
{
	const char *wl = "tests/fixtures/ok/fork-server.wl";
	struct run_opts o = { .out_dir = "build/test-proc-1", .events = true };
	struct csv_table t;
	char *a, *b;

	cr_assert_eq(system("rm -rf build/test-proc-1 build/test-proc-2"), 0);
	cr_assert_eq(run_workload(&o, wl), 0);
	o.out_dir = "build/test-proc-2";
	cr_assert_eq(run_workload(&o, wl), 0);
	static const char *const files[] = { "summary.csv", "timeseries.csv", "events.csv" };
	for (size_t i = 0; i < 3; i++) {
		char p1[128], p2[128];

		snprintf(p1, sizeof(p1), "build/test-proc-1/fork-server/%s", files[i]);
		snprintf(p2, sizeof(p2), "build/test-proc-2/fork-server/%s", files[i]);
		a = test_slurp(p1);
		b = test_slurp(p2);
		cr_assert(a && b && strlen(a) > 0, "%s", files[i]);
		cr_expect_str_eq(a, b, "%s differs", files[i]);
		free(a);
		free(b);
	}
	cr_assert_eq(csv_read("build/test-proc-1/fork-server/summary.csv", &t), 0);
	/* server, 4 workers, total */
	cr_assert_eq(t.nr_rows, 1 + 5 + 1);
	cr_expect_str_eq(t.rows[1].fields[csv_column(&t, "process")], "server");
	cr_expect_str_eq(t.rows[1].fields[csv_column(&t, "pid")], "1");
	cr_expect_str_eq(t.rows[1].fields[csv_column(&t, "forks")], "4");
	cr_expect_str_eq(t.rows[2].fields[csv_column(&t, "process")], "worker");
	cr_expect_str_eq(t.rows[2].fields[csv_column(&t, "pid")], "2");
	cr_expect_str_eq(t.rows[2].fields[csv_column(&t, "nr_free_pages")], "");
	cr_expect_str_eq(t.rows[6].fields[csv_column(&t, "process")], "total");
	cr_expect_str_eq(t.rows[6].fields[csv_column(&t, "pid")], "");
	cr_expect_str_eq(t.rows[6].fields[csv_column(&t, "forks")], "4");
	cr_expect_str_eq(t.rows[6].fields[csv_column(&t, "exits")], "4");
	csv_table_free(&t);

	/* the time series: a row per live process, then the machine's, all as wide as the header */
	cr_assert_eq(csv_read("build/test-proc-1/fork-server/timeseries.csv", &t), 0);
	cr_expect_str_eq(t.rows[1].fields[csv_column(&t, "process")], "server");
	cr_expect_str_eq(t.rows[1].fields[csv_column(&t, "nr_free_pages")], "");
	cr_expect_str_eq(t.rows[1].fields[csv_column(&t, "slab_bytes")], "");
	cr_expect_str_eq(t.rows[1].fields[csv_column(&t, "nr_vmas")], "4");
	cr_expect_str_eq(t.rows[2].fields[csv_column(&t, "process")], "total");
	cr_expect_str_eq(t.rows[2].fields[csv_column(&t, "time_ns")], "0");
	cr_expect_str_neq(t.rows[2].fields[csv_column(&t, "nr_free_pages")], "");
	csv_table_free(&t);

	/* events.csv says whose each operation was: fork returns the child's pid */
	cr_assert_eq(csv_read("build/test-proc-1/fork-server/events.csv", &t), 0);
	{
		long pid = csv_column(&t, "pid"), op = csv_column(&t, "op");
		long res = csv_column(&t, "result");
		unsigned forks = 0, exits = 0;

		for (size_t r = 1; r < t.nr_rows; r++) {
			if (!strcmp(t.rows[r].fields[op], "fork")) {
				cr_expect_str_eq(t.rows[r].fields[pid], "1");
				cr_expect_eq(strtoul(t.rows[r].fields[res], NULL, 10), 2 + forks);
				forks++;
			}
			if (!strcmp(t.rows[r].fields[op], "exit")) {
				cr_expect_eq(strtoul(t.rows[r].fields[pid], NULL, 10), 2 + exits);
				exits++;
			}
		}
		cr_expect_eq(forks, 4);
		cr_expect_eq(exits, 4);
	}
	csv_table_free(&t);
}

static void assert_parse_error(const char *text, const char *want)
{
	struct program pr;
	struct wl_header h;

	diag_capture();
	cr_assert_eq(wl_parse_string("t.wl", text, &pr, &h), -1, "parsed: %s", text);
	assert_diag(want);
}

Test(proc, process_blocks_are_checked)
{
	assert_parse_error("repeat 2 {\n  spawn a {\n  }\n}\n",
		"t.wl:2:3: error: spawn blocks stand at the top level, not inside 'repeat'\n");
	assert_parse_error("spawn a heap=4K {\n}\n",
		"t.wl:1:9: error: expected text=SIZE, data=SIZE, bss=SIZE or stack=SIZE, got 'heap=4K'\n");
	assert_parse_error("spawn a text=4Q {\n}\n",
		"t.wl:1:14: error: bad size '4Q'\n");
	assert_parse_error("fork child\n",
		"t.wl:1:1: error: usage: fork NAME {\n");
	assert_parse_error("fork 9x {\n}\n",
		"t.wl:1:6: error: '9x' is not a valid process name\n");
	assert_parse_error("fork child {\n  exit\n",
		"t.wl:1:1: error: fork block opened here is never closed with '}'\n");
	assert_parse_error("exit now\n",
		"t.wl:1:6: error: exit: unexpected 'now' (usage: exit)\n");
}

/* ---- CPUs and the scheduler ---------------------------------------- */

/*
 * Ping-pong on one CPU: ping runs at 0, pong at 50us, and each then
 * reads its 8 pages every 100us, so the two take turns and every turn
 * after the first is a context switch (21 in all). Each writes its pages
 * first (8 misses), and its first read pass follows at once (hits). The
 * 9 passes after that each come right after a switch: without ASIDs the
 * switch flushed the TLB (8 misses each), with ASIDs the entries are
 * still there (none). 2 x (8 + 72) = 160 against 2 x 8 = 16.
 */
static const char ping_pong[] =
	"spawn ping {\n"
	"    a = mmap any 32K rw private,anon\n"
	"    access write seq a 32K 8 4K\n"
	"    repeat 10 {\n"
	"        access read seq a 32K 8 4K\n"
	"        sleep 100us\n"
	"    }\n"
	"}\n"
	"spawn pong {\n"
	"    @ 50us\n"
	"    b = mmap any 32K rw private,anon\n"
	"    access write seq b 32K 8 4K\n"
	"    repeat 10 {\n"
	"        access read seq b 32K 8 4K\n"
	"        sleep 100us\n"
	"    }\n"
	"}\n";

Test(proc, ping_pong_without_asids_flushes_at_every_switch, .fini = cleanup)
{
	x86_64();
	free(run_dump(ping_pong));
	cr_expect_eq(sim.stats.context_switches, 21);
	cr_expect_eq(proc_stats(0).context_switches, 10);
	cr_expect_eq(proc_stats(1).context_switches, 11);
	cr_expect_eq(proc_stats(0).tlb_misses, 80);
	cr_expect_eq(proc_stats(1).tlb_misses, 80);
	cr_expect_eq(sim.stats.tlb_misses, 160);
	cr_expect_eq(sim.stats.accesses, 176);
}

Test(proc, ping_pong_with_asids_keeps_the_entries, .fini = cleanup)
{
	x86_64();
	set("asid=true");
	free(run_dump(ping_pong));
	cr_expect_eq(sim.stats.context_switches, 21);
	cr_expect_eq(proc_stats(0).tlb_misses, 8);
	cr_expect_eq(proc_stats(1).tlb_misses, 8);
	cr_expect_eq(sim.stats.tlb_misses, 16);
}

/* One ASID slot for two processes: each switch-in evicts the other. */
Test(proc, ping_pong_with_one_asid_is_like_none, .fini = cleanup)
{
	x86_64();
	set("asid=true");
	set("nr_asids=1");
	free(run_dump(ping_pong));
	cr_expect_eq(sim.stats.tlb_misses, 160);
}

/* Two CPUs: each process has one, nothing is switched or flushed. */
Test(proc, ping_pong_on_two_cpus_never_switches, .fini = cleanup)
{
	x86_64();
	set("cpus=2");
	free(run_dump(ping_pong));
	cr_expect_eq(sim.stats.context_switches, 0);
	cr_expect_eq(sim.stats.tlb_misses, 16);
}

/*
 * Two CPU-bound processes of 50 ops of 10,000 TLB hits (10us each):
 * fifo runs a to its end, then b (one switch); round robin with a 40us
 * slice hands the CPU over after every 4 ops, about 25 times.
 */
static const char two_cpu_bound[] =
	"spawn a {\n"
	"    m = mmap any 32K rw private,anon\n"
	"    access write seq m 32K 8 4K\n"
	"    repeat 50 {\n"
	"        access read seq m 32K 10000\n"
	"    }\n"
	"}\n"
	"spawn b {\n"
	"    m = mmap any 32K rw private,anon\n"
	"    access write seq m 32K 8 4K\n"
	"    repeat 50 {\n"
	"        access read seq m 32K 10000\n"
	"    }\n"
	"}\n";

Test(proc, fifo_runs_each_to_its_end_round_robin_takes_turns, .fini = cleanup)
{
	uint64_t fifo_end_a;

	x86_64();
	set("sched=fifo");
	free(run_dump(two_cpu_bound));
	cr_expect_eq(sim.stats.context_switches, 1);
	fifo_end_a = proc_stats(0).sim_time_ns;
	cr_expect_lt(fifo_end_a, proc_stats(1).sim_time_ns / 2 + 1000);
	cleanup();

	x86_64();
	set("time_slice_ns=40us");
	free(run_dump(two_cpu_bound));
	/* about 510us each: a slice is 4 ops, so some 25 turns */
	cr_expect_geq(sim.stats.context_switches, 20);
	cr_expect_leq(sim.stats.context_switches, 30);
	/* both end near the end: a is no longer done at half time */
	cr_expect_gt(proc_stats(0).sim_time_ns, fifo_end_a * 3 / 2);
	cr_expect_eq(sim.stats.pgfault, 16);
}

/*
 * Two CPUs with ASIDs: a writes its pages on CPU 0 and sleeps; b runs a
 * moment on CPU 1; c takes CPU 0 (neither is fresh; the first idle one)
 * for a long run; a wakes on CPU 1 and unmaps: its entries on CPU 0 must
 * go too, one shootdown. Without ASIDs, c's switch flushed CPU 0, so
 * there is nothing to shoot down.
 */
static const char shootdown[] =
	"spawn a {\n"
	"    m = mmap any 32K rw private,anon\n"
	"    access write seq m 32K 8 4K\n"
	"    sleep 100us\n"
	"    munmap m\n"
	"}\n"
	"spawn b {\n"
	"    @ 10us\n"
	"    y = mmap any 4K r private,anon\n"
	"}\n"
	"spawn c {\n"
	"    @ 50us\n"
	"    x = mmap any 16M rw private,anon\n"
	"    access write seq x 16M 4096 4K\n"
	"}\n";

Test(proc, munmap_shoots_down_another_cpus_entries, .fini = cleanup)
{
	x86_64();
	set("cpus=2");
	set("asid=true");
	free(run_dump(shootdown));
	cr_expect_eq(sim.stats.tlb_shootdowns, 1);
	cr_expect_eq(proc_stats(0).tlb_shootdowns, 1);
	cleanup();

	x86_64();
	set("cpus=2");
	free(run_dump(shootdown));
	cr_expect_eq(sim.stats.tlb_shootdowns, 0);
}

/* ---- the kernel's own memory: slab caches ---------------------------- */

/*
 * One spawned process with two VMAs forks: two task_structs and
 * mm_structs, four vm_area_structs, as slabinfo shows inside the child.
 * After the child exits: one of each struct, two VMAs: one slab of each
 * cache, 8 + 8 + 1 pages.
 */
Test(proc, slab_caches_hold_the_kernel_objects, .fini = cleanup)
{
	char *out;

	x86_64();
	cfg.slab = true;
	out = run_dump("spawn a {\n"
		  "    m = mmap any 64K rw private,anon\n"
		  "    n = mmap any 64K r private,anon\n"
		  "    fork child {\n"
		  "        dump slabinfo\n"
		  "        exit\n"
		  "    }\n"
		  "    sleep 10us\n"
		  "}\n");
	cr_assert_str_eq(out,
		"slabinfo - version: 2.1\n"
		"# name            <active_objs> <num_objs> <objsize> <objperslab> "
		"<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : "
		"slabdata <active_slabs> <num_slabs> <sharedavail>\n"
		"task_struct            2      5   5824    5    8 : tunables    0    0    0"
		" : slabdata      1      1      0\n"
		"mm_struct              2     20   1600   20    8 : tunables    0    0    0"
		" : slabdata      1      1      0\n"
		"vm_area_struct         4     21    192   21    1 : tunables    0    0    0"
		" : slabdata      1      1      0\n");
	free(out);
	sim_update_stats(&sim);
	cr_expect_eq(sim.stats.slab_bytes, (8 + 8 + 1) * 4096);
	cr_expect_eq(sim.stats.nr_free_pages, 262144 - 17);
}

/*
 * Segmented mode on i386: spawn gives the process cs over its text, ds
 * from its data up, ss the expand-down stack with its top at task_size.
 * ds:0x10 is the data's first page; a write through cs is a segment
 * fault; ss's last bytes are the stack's top page.
 */
Test(proc, spawn_in_segmented_mode_sets_the_segments, .fini = cleanup)
{
	preset("config/i386.ini");
	set("segmentation=segmented");
	set("segv=skip");
	free(run_dump("spawn p text=64K data=16K bss=16K stack=64K {\n"
		 "    write ds:0x10\n"
		 "    write cs:0x10\n"
		 "    write ss:0xfffffff0\n"
		 "}\n"));
	cr_expect_eq(sim.procs[0].seg.d[seg_by_name("cs")].base, 0x80000000);
	cr_expect_eq(sim.procs[0].seg.d[seg_by_name("ds")].base, 0x80010000);
	cr_expect_eq(sim.procs[0].seg.d[seg_by_name("ss")].base, 0xc0000000);
	cr_expect_eq(sim.stats.pgfault, 2);
	cr_expect_eq(sim.stats.seg_faults, 1);
	cr_expect_eq(sim.stats.sigsegv, 1);
}

/* A layout that does not fit below task_size is the workload's error. */
Test(proc, a_layout_that_does_not_fit_is_an_error, .fini = cleanup)
{
	struct run_opts o = { .out_dir = "build/test-proc-fit" };
	FILE *f = fopen("build/test-proc-fit.wl", "w");

	cr_assert_not_null(f);
	fputs("# too big\nspawn p text=1M stack=200T {\n    sbrk +4K\n}\n", f);
	fclose(f);
	diag_capture();
	cr_assert_eq(run_workload(&o, "build/test-proc-fit.wl"), VMSIM_EXIT_INPUT);
	assert_diag("build/test-proc-fit.wl:2:1: error: spawn p: 1048576 bytes of text, "
		    "data and bss from 0x555555555000 and a 219902325555200-byte stack "
		    "do not fit below task_size 0x7ffffffff000\n");
}

/*
 * Found in review: an exiting process freed CPU 0 instead of its own,
 * so c ran on a's CPU while a was there and a used c's TLB entry. Here
 * a's read of a page it never mapped must be a SIGSEGV.
 */
Test(proc, an_exit_frees_its_own_cpu, .fini = cleanup)
{
	x86_64();
	set("cpus=2");
	set("segv=skip");
	free(run_dump("spawn a {\n"
		 "    A = mmap 0x10000000 4K rw private,anon,fixed\n"
		 "    access read seq A 4K 100000\n"
		 "    read 0x20000000\n"
		 "}\n"
		 "spawn b {\n"
		 "    exit\n"
		 "}\n"
		 "spawn c {\n"
		 "    C = mmap 0x20000000 4K rw private,anon,fixed\n"
		 "    write 0x20000000\n"
		 "}\n"));
	cr_expect_eq(proc_stats(0).sigsegv, 1);
	cr_expect_eq(proc_stats(2).sigsegv, 0);
}

/* Found in review: a kalloc'd block is not the child's to free. */
Test(proc, a_forked_child_does_not_own_the_parents_blocks, .fini = cleanup)
{
	x86_64();
	cr_assert_eq(run("kalloc A 4K\n"
			 "fork c {\n"
			 "    kfree A\n"
			 "}\n"
			 "sleep 10us\n"
			 "kfree A\n"), SIM_EWORKLOAD);
	cr_expect_eq(sim.error.line, 3);
	cr_expect_str_eq(sim.error.msg, "kfree: 'A' holds no block (its kalloc failed or never ran)");
}

/*
 * Found in review: no memory for a task_struct is a failed fork, not a
 * host failure. 1M = 256 frames: main's task_struct and mm_struct slabs
 * take 8 + 8, the kallocs the other 240. The task_struct slab holds 5,
 * so 4 children fit and the other 6 forks fail with ENOMEM.
 */
Test(proc, fork_without_memory_for_its_task_fails_with_enomem, .fini = cleanup)
{
	x86_64();
	cfg.slab = true;
	set("memory_size=1M");
	free(run_dump("repeat 240 {\n"
		 "    kalloc k$i 4K\n"
		 "}\n"
		 "repeat 10 {\n"
		 "    fork c {\n"
		 "        sleep 1ms\n"
		 "    }\n"
		 "}\n"));
	cr_expect_eq(sim.stats.nr_free_pages, 0);
	cr_expect_eq(sim.stats.forks, 4);
	cr_expect_eq(sim.stats.syscall_errors, 6);
	cr_expect_eq(sim.nr_procs, 5);
}

/* Found in review: with no process to take (kalloc fills memory), the faulting one dies. */
Test(proc, out_of_memory_with_no_victim_kills_the_faulting_process, .fini = cleanup)
{
	x86_64();
	set("memory_size=1M");
	free(run_dump("repeat 256 {\n"
		 "    kalloc k$i 4K\n"
		 "}\n"
		 "m = mmap any 64K rw private,anon\n"
		 "read m\n"
		 "read m+4K\n"));
	cr_expect(sim.procs[0].killed);
	cr_expect_eq(sim.stats.oom_kills, 1);
	cr_expect_eq(sim.stats.accesses, 1);
}
