/*
 * test_access.c - the translation path driven by workloads (core/cpu.c
 * with mm/fault.c, mmu/pt.c and mmu/tlb.c): fault and page-table counts
 * worked out by hand for the presets and for 4K against 8K pages, exact
 * TLB miss counts of sequential scans, access costs, SIGSEGV (kill or
 * skip), stale translations dropped on munmap and mprotect, and a seeded
 * differential test of 1e6 random accesses against a naive model.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "common.h"
#include "sim_run.h"
#include "core/cpu.h"
#include "core/sim.h"
#include "io/config.h"
#include "io/workload.h"

TestSuite(access);

/* ---- faults and page tables --------------------------------------- */

/*
 * 1000 pages from 256 MiB (2 MiB aligned) on x86_64: 1000 faults, two
 * leaf tables (512 + 488 PTEs), one PMD, one PUD, the root.
 */
Test(access, n_pages_n_faults_and_the_tables_x86_64, .fini = cleanup)
{
	preset("config/x86_64.ini");
	cr_assert_eq(run("a = mmap 0x10000000 4000K rw private,anon,fixed\n"
			 "access write seq a 4000K 1000 4K\n"), SIM_OK);
	cr_expect_eq(sim.stats.pgfault, 1000);
	cr_expect_eq(sim.stats.rss_pages, 1000);
	cr_expect_eq(sim.stats.nr_page_table_pages, 5);
	cr_expect_eq(sim.stats.page_table_bytes, 5 * 4096);
	cr_expect_eq(sim.stats.sigsegv, 0);
	/* frames: 1000 data + 5 tables */
	cr_expect_eq(sim.stats.nr_alloc_pages, 1005);
}

/* i386: one leaf maps 4 MiB, so the same 1000 pages take leaf + root. */
Test(access, n_pages_n_faults_and_the_tables_i386, .fini = cleanup)
{
	preset("config/i386.ini");
	cr_assert_eq(run("a = mmap 0x10000000 4000K rw private,anon,fixed\n"
			 "access write seq a 4000K 1000 4K\n"), SIM_OK);
	cr_expect_eq(sim.stats.pgfault, 1000);
	cr_expect_eq(sim.stats.nr_page_table_pages, 2);
}

/*
 * The same 16 MiB touched byte for byte at 4K and at 8K pages (i386):
 * half the faults at 8K; 4 leaf tables + root at 4K (4 MiB each), one
 * leaf + root at 8K (16 MiB each). At 8K a table page is 8K: bytes 2x4K
 * against 5x4K.
 */
Test(access, pages_of_8k_halve_the_faults_of_4k, .fini = cleanup)
{
	const char *wl = "a = mmap 0x10000000 16M rw private,anon,fixed\n"
			 "access write seq a 16M 4096 4K\n";
	uint64_t faults4, tables4;

	preset("config/i386.ini");
	cr_assert_eq(run(wl), SIM_OK);
	faults4 = sim.stats.pgfault;
	tables4 = sim.stats.nr_page_table_pages;
	cleanup();
	preset("config/i386.ini");
	set("page_size=8K");
	cr_assert_eq(run(wl), SIM_OK);
	cr_expect_eq(faults4, 4096);
	cr_expect_eq(sim.stats.pgfault, 2048);
	cr_expect_eq(tables4, 5);
	cr_expect_eq(sim.stats.nr_page_table_pages, 2);
	cr_expect_eq(sim.stats.page_table_bytes, 2 * 8192);
}

/* ---- the TLB -------------------------------------------------------- */

/*
 * A fully associative LRU TLB of 64 entries, no second level, scanning
 * P pages R times one access per page: P <= 64 misses P times (the
 * first pass); P = 65 misses on every access.
 */
Test(access, sequential_scans_against_a_fully_associative_lru, .fini = cleanup)
{
	preset("config/x86_64.ini");
	set("tlb_entries=64");
	set("tlb_ways=64");
	set("tlb2_entries=0");
	cr_assert_eq(run("a = mmap any 256K rw private,anon\n"
			 "access read seq a 256K 640 4K\n"), SIM_OK);
	cr_expect_eq(sim.stats.accesses, 640);
	cr_expect_eq(sim.stats.tlb_misses, 64);
	cr_expect_eq(sim.stats.tlb_hits, 576);
	cr_expect_eq(sim.stats.pgfault, 64);
	cleanup();

	preset("config/x86_64.ini");
	set("tlb_entries=64");
	set("tlb_ways=64");
	set("tlb2_entries=0");
	cr_assert_eq(run("a = mmap any 260K rw private,anon\n"
			 "access read seq a 260K 650 4K\n"), SIM_OK);
	cr_expect_eq(sim.stats.tlb_misses, 650);
	cr_expect_eq(sim.stats.tlb_hits, 0);
	/* 65 first-touch walks fail and are repeated after the fault */
	cr_expect_eq(sim.stats.page_walks, 650 + 65);
}

/*
 * Costs: the first write to a page pays the lookup, a failed walk (the
 * root's empty slot: 1 level), the fault, zeroing and the 4-level walk
 * that follows; the second write only the TLB hit.
 */
Test(access, an_access_costs_what_its_path_costs, .fini = cleanup)
{
	uint64_t first;

	preset("config/x86_64.ini");
	cr_assert_eq(run("a = mmap 0x10000000 4K rw private,anon,fixed\n"
			 "write a\n"
			 "write a+8\n"), SIM_OK);
	first = cfg.cost_tlb_hit_ns + 1 * cfg.cost_walk_level_ns +
		cfg.cost_fault_ns + cfg.cost_zero_page_ns +
		4 * cfg.cost_walk_level_ns;
	cr_expect_eq(sim.stats.access_time_ns, first + cfg.cost_tlb_hit_ns);
	cr_expect_eq(sim.stats.walk_time_ns, 5 * cfg.cost_walk_level_ns);
	cr_expect_eq(sim.stats.fault_time_ns,
		     cfg.cost_fault_ns + cfg.cost_zero_page_ns);
	cr_expect_eq(sim.stats.walk_mem_refs, 5);
	cr_expect_eq(sim.stats.tlb_hits, 1);
}

/* ---- SIGSEGV -------------------------------------------------------- */

Test(access, segv_kills_by_default_and_is_skipped_on_request, .fini = cleanup)
{
	const char *wl = "a = mmap any 8K r private,anon\n"
			 "read a\n"
			 "write a\n"            /* read-only: SIGSEGV */
			 "exec a\n"             /* not executable */
			 "read 0x1000\n"        /* no VMA */
			 "read a+4K\n";

	preset("config/x86_64.ini");
	cr_assert_eq(run(wl), SIM_OK);
	cr_expect_eq(sim.stats.sigsegv, 1);
	cr_expect_eq(sim.stats.accesses, 2);    /* killed at the write */
	cr_expect_eq(sim.stats.rss_pages, 0);   /* and its memory freed */
	cleanup();

	preset("config/x86_64.ini");
	set("segv=skip");
	cr_assert_eq(run(wl), SIM_OK);
	cr_expect_eq(sim.stats.sigsegv, 3);
	cr_expect_eq(sim.stats.accesses, 5);
	cr_expect_eq(sim.stats.pgfault, 2);
}

/* A translation cached before munmap or mprotect must not survive it. */
Test(access, munmap_and_mprotect_drop_cached_translations, .fini = cleanup)
{
	preset("config/x86_64.ini");
	set("segv=skip");
	cr_assert_eq(run("a = mmap any 8K rw private,anon\n"
			 "write a\n"
			 "write a+4K\n"
			 "mprotect a 4K r\n"
			 "write a\n"            /* SIGSEGV: now read-only */
			 "read a\n"             /* fine */
			 "munmap a+4K 4K\n"
			 "read a+4K\n"),        /* SIGSEGV: gone */
		     SIM_OK);
	cr_expect_eq(sim.stats.sigsegv, 2);
	cr_expect_eq(sim.stats.pgfault, 2);
	cr_expect_eq(sim.stats.rss_pages, 1);
}

/* The page used last is forgotten by munmap and mprotect of it too. */
Test(access, the_last_translation_does_not_outlive_its_page, .fini = cleanup)
{
	preset("config/x86_64.ini");
	set("segv=skip");
	cr_assert_eq(run("a = mmap any 8K rw private,anon\n"
			 "write a+4096\n"
			 "write a+4104\n"
			 "mprotect a+4K 4K r\n"
			 "write a+4112\n"        /* SIGSEGV */
			 "read a+4120\n"
			 "read a+4128\n"
			 "munmap a+4K 4K\n"
			 "read a+4136\n"),       /* SIGSEGV */
		     SIM_OK);
	cr_expect_eq(sim.stats.sigsegv, 2);
	cr_expect_eq(sim.stats.tlb_hits, 2);     /* a+4104 and a+4128 */
	cr_expect_eq(sim.stats.pgfault, 1);
}

/* ---- differential ------------------------------------------------- */

#define NR_VPN (1u << 14)

/*
 * 1e6 seeded accesses (random reads and writes over three mappings, one
 * of them read-only) driven straight through cpu_access, against a model
 * that maps a virtual page to its frame on first touch and never moves
 * it. Checked: every fault is a first touch, every frame stays put, no
 * two pages share one, read-only writes are SIGSEGV, and the counters add
 * up.
 */
Test(access, random_accesses_match_a_naive_page_model, .fini = cleanup,
     .timeout = 300)
{
	static uint64_t model[NR_VPN];   /* vpn - base -> pfn + 1 */
	static uint8_t frame_used[1u << 18];
	uint64_t seed = 0x5eed, rng = seed, base, faults = 0, segv = 0, cost = 0;
	uint64_t ro_lo, ro_hi;
	struct pt *pt;

	TEST_SEED(seed);
	preset("config/x86_64.ini");
	set("segv=skip");
	set("memory_size=1G");
	/* three mappings in one 64 MiB window: rw, r, rw */
	cr_assert_eq(run("a = mmap 0x40000000 24M rw private,anon,fixed\n"
			 "b = mmap 0x41800000 16M r private,anon,fixed\n"
			 "c = mmap 0x42800000 24M rw private,anon,fixed\n"),
		     SIM_OK);
	base = 0x40000000ull >> 12;
	ro_lo = 0x41800000ull >> 12;
	ro_hi = 0x42800000ull >> 12;
	for (int i = 0; i < 1000000; i++) {
		uint64_t r = test_rand(&rng);
		uint64_t vpn = base + (r % NR_VPN);
		bool write = (r >> 40) & 1;
		bool ro = vpn >= ro_lo && vpn < ro_hi;
		uint64_t before = sim.stats.pgfault, pte;
		enum cpu_result res = cpu_access(&sim, 0, (vpn << 12) | (r >> 52),
						 write ? PT_WRITE : PT_READ, &cost);

		if (ro && write) {
			cr_assert_eq(res, CPU_SEGV, "access %d", i);
			segv++;
			continue;
		}
		cr_assert_eq(res, CPU_OK, "access %d", i);
		pt = mm_pt(sim.procs[0].mm);
		pte = pt_lookup(pt, vpn << 12, NULL);
		cr_assert_neq(pte, 0);
		if (!model[vpn - base]) {
			uint64_t pfn = pte_pfn(&pt->g, pte);

			cr_assert_eq(sim.stats.pgfault, before + 1, "access %d", i);
			cr_assert_lt(pfn, sizeof(frame_used));
			cr_assert(!frame_used[pfn], "frame %llu given twice",
				  (unsigned long long)pfn);
			frame_used[pfn] = 1;
			model[vpn - base] = pfn + 1;
			faults++;
		} else {
			cr_assert_eq(sim.stats.pgfault, before, "access %d", i);
			cr_assert_eq(pte_pfn(&pt->g, pte) + 1, model[vpn - base]);
		}
	}
	cr_expect_eq(sim.stats.pgfault, faults);
	cr_expect_eq(sim.stats.sigsegv, segv);
	cr_expect_eq(sim.stats.accesses, 1000000);
	cr_expect_eq(sim.stats.tlb_hits + sim.stats.tlb_misses, 1000000);
	sim_update_stats(&sim);
	cr_expect_eq(sim.stats.rss_pages, faults);
}

/* ---- explain ------------------------------------------------------ */

static const char explain_i386[] =
	"explain 0x0804a123 (write, user mode)\n"
	"  segment   ds: base 0x00000000 limit 0xffffffff: linear 0x0804a123\n"
	"  split     10 | 10 | 12 bits: index 32 | 74, offset 0x123\n"
	"  TLB       hit (L1), vpn 0x804a\n"
	"  level 0   table pfn 0x00000: entry 32 = 0x00002027 P W U A -> table pfn 0x00002\n"
	"  level 1   table pfn 0x00002: entry 74 = 0x00001067 P W U A D -> page pfn 0x00001\n"
	"  physical  0x00001 << 12 | 0x123 = 0x00001123\n";

/* The worked example of README.md, worked by hand there. */
Test(access, explain_prints_the_i386_example_of_the_readme, .fini = cleanup)
{
	char *buf, *readme, want[2048];
	FILE *f;
	const char *l;
	char *w = want;

	preset("config/i386.ini");
	buf = run_dump(
		"buf = mmap 0x0804a000 8K rw private,anon,fixed\n"
		"write buf+0x123\n"
		"explain buf+0x123 write\n");
	cr_assert_str_eq(buf, explain_i386);
	/* explain changed nothing */
	cr_expect_eq(sim.stats.accesses, 1);
	cr_expect_eq(sim.stats.page_walks, 2);
	free(buf);

	/* README shows the same lines, indented as a code block */
	f = fopen("README.md", "r");
	cr_assert_not_null(f);
	readme = malloc(1 << 20);
	cr_assert_not_null(readme);
	readme[fread(readme, 1, (1 << 20) - 1, f)] = '\0';
	fclose(f);
	for (l = explain_i386; *l; ) {
		const char *nl = strchr(l, '\n');

		w += sprintf(w, "    %.*s\n", (int)(nl - l), l);
		l = nl + 1;
	}
	cr_expect(strstr(readme, want), "README.md lacks the explain example");
	free(readme);
}

Test(access, explain_reports_a_missing_page_and_a_forbidden_access,
     .fini = cleanup)
{
	char *buf;

	preset("config/x86_64.ini");
	buf = run_dump(
		"a = mmap 0x10000000 8K rw private,anon,fixed\n"
		"explain a\n"
		"write a\n"
		"explain a+4K\n"
		"explain a exec\n");
	cr_expect(strstr(buf, "  CR3       no page table yet: page fault\n"), "%s", buf);
	cr_expect(strstr(buf, "entry 1 = 0x0000000000000000 not present: page fault\n"),
		  "%s", buf);
	cr_expect(strstr(buf, "  check     exec not allowed by the entry"), "%s", buf);
	cr_expect(strstr(buf, "split     9 | 9 | 9 | 9 | 12 bits: index 0 | 0 | 128 | 0"),
		  "%s", buf);
	free(buf);
}

/* The four translation presets derive the geometry their comments give. */
Test(access, presets_have_their_page_table_geometry, .fini = cleanup)
{
	static const struct {
		const char *ini;
		unsigned levels, top_bits, leaf_bits, shift;
	} p[] = {
		{ "config/i386.ini", 2, 10, 10, 12 },
		{ "config/i386-8k.ini", 2, 8, 11, 13 },
		{ "config/x86_64.ini", 4, 9, 9, 12 },
		{ "config/x86_64-8k.ini", 4, 5, 10, 13 },
	};

	for (size_t i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
		preset(p[i].ini);
		cr_assert_eq(run(""), SIM_OK);
		cr_expect_eq(sim.geom.levels, p[i].levels, "%s", p[i].ini);
		cr_expect_eq(sim.geom.bits[0], p[i].top_bits, "%s", p[i].ini);
		cr_expect_eq(sim.geom.bits[p[i].levels - 1], p[i].leaf_bits, "%s",
			     p[i].ini);
		cr_expect_eq(sim.geom.page_shift, p[i].shift, "%s", p[i].ini);
		cleanup();
	}
}

/* ---- segmented mode ------------------------------------------------ */

/*
 * The textbook picture on i386: text at 0x08048000 (64K), data at
 * 0x08100000 (1M), a 64K expand-down stack whose top is 0xbffff000.
 * ss:0xfffffff0 is 16 bytes below the top: linear 0xbfffeff0.
 */
Test(access, segmented_mode_translates_and_checks_logical_addresses,
     .fini = cleanup)
{
	char *buf;

	preset("config/i386.ini");
	set("segmentation=segmented");
	set("segv=skip");
	buf = run_dump(
		"segment cs 0x08048000 64K code\n"
		"segment ds 0x08100000 1M data\n"
		"segment ss 0xbffff000 64K stack\n"
		"text = mmap 0x08048000 64K rx private,anon,fixed\n"
		"data = mmap 0x08100000 1M rw private,anon,fixed\n"
		"stk = mmap 0xbffef000 64K rw private,anon,fixed\n"
		"write ds:0x10\n"           /* linear 0x08100010 */
		"exec cs:0x100\n"           /* linear 0x08048100 */
		"read cs:0x10000\n"         /* beyond the limit */
		"write ss:0xfffffff0\n"     /* linear 0xbfffeff0 */
		"write cs:0x10\n"           /* code is not writable */
		"read ss:0xfffeffff\n"      /* below the stack */
		"explain ss:0xfffffff0 write\n");
	cr_expect_eq(sim.stats.accesses, 6);
	cr_expect_eq(sim.stats.seg_faults, 3);
	cr_expect_eq(sim.stats.sigsegv, 3);
	cr_expect_eq(sim.stats.pgfault, 3);
	cr_expect(pt_lookup(mm_pt(sim.procs[0].mm), 0x08100000, NULL));
	cr_expect(pt_lookup(mm_pt(sim.procs[0].mm), 0x08048000, NULL));
	cr_expect(pt_lookup(mm_pt(sim.procs[0].mm), 0xbfffe000, NULL));
	cr_expect(strstr(buf, "  segment   ss: base 0xbffff000 limit 0xfffeffff"
			      " (expand-down): linear 0xbfffeff0\n"), "%s", buf);
	free(buf);
}

Test(access, segment_needs_segmented_mode, .fini = cleanup)
{
	preset("config/i386.ini");
	cr_assert_eq(run("segment cs 0x08048000 64K code\n"), SIM_EWORKLOAD);
	cr_expect_str_eq(sim.error.msg,
			 "segment: the machine is flat (set segmentation=segmented)");
	cleanup();
	preset("config/i386.ini");
	set("segmentation=segmented");
	cr_assert_eq(run("segment ss 0x1000 64K stack\n"), SIM_EWORKLOAD);
}

/* ---- found in review ---------------------------------------------- */

/* MAP_FIXED over mapped pages drops their translations with them. */
Test(access, fixed_mmap_over_a_page_drops_its_translation, .fini = cleanup)
{
	preset("config/x86_64.ini");
	set("segv=skip");
	cr_assert_eq(run("a = mmap 0x10000000 4K rw private,anon,fixed\n"
			 "write a\n"
			 "b = mmap 0x10000000 4K r private,anon,fixed\n"
			 "write b\n"                /* read-only now */
			 "c = mmap 0x20000000 4K rw private,anon,fixed\n"
			 "write c\n"
			 "d = mmap 0x20000000 4K rw private,anon,fixed\n"
			 "read d\n"), SIM_OK);     /* a fresh page: a fault */
	cr_expect_eq(sim.stats.sigsegv, 1);
	cr_expect_eq(sim.stats.pgfault, 3);
	cr_expect_eq(sim.stats.rss_pages, 1);
}

/* An address beyond 2^va_bits is no alias of a mapped page. */
Test(access, an_address_beyond_va_bits_is_sigsegv, .fini = cleanup)
{
	preset("config/i386.ini");
	set("segv=skip");
	cr_assert_eq(run("a = mmap 0x10000000 4K rw private,anon,fixed\n"
			 "write a\n"
			 "write 0x110000000\n"), SIM_OK);
	cr_expect_eq(sim.stats.sigsegv, 1);
	cr_expect_eq(sim.stats.accesses, 2);
}

/* Without NX every readable page executes, whatever the order. */
Test(access, without_nx_readable_pages_execute_in_any_order, .fini = cleanup)
{
	preset("config/i386.ini");
	set("segv=skip");
	cr_assert_eq(run("a = mmap 0x10000000 8K rw private,anon,fixed\n"
			 "read a\n"
			 "exec a\n"
			 "exec a+4K\n"), SIM_OK);
	cr_expect_eq(sim.stats.sigsegv, 0);
	cr_expect_eq(sim.stats.pgfault, 2);
}

/*
 * A lookup that ends in SIGSEGV may still copy an L2 entry into L1 and
 * evict: the entry used last before it is no longer known to be in L1.
 * 1-entry L1, 4-entry L2: read b, read a, write b (b read-only: the L2
 * copy of b evicts a from L1), read a: an L1 miss, served by L2.
 */
Test(access, a_failed_lookup_forgets_the_last_entry, .fini = cleanup)
{
	preset("config/x86_64.ini");
	set("segv=skip");
	cfg.tlb_entries = 1;
	cfg.tlb_ways = 1;
	cfg.tlb2_entries = 4;
	cfg.tlb2_ways = 4;
	cr_assert_eq(cfg_check(&cfg, "test"), 0);
	cr_assert_eq(run("a = mmap 0x10000000 4K rw private,anon,fixed\n"
			 "b = mmap 0x20000000 4K r private,anon,fixed\n"
			 "read b\n"
			 "read a\n"
			 "write b\n"
			 "read a\n"), SIM_OK);
	cr_expect_eq(sim.stats.sigsegv, 1);
	cr_expect_eq(sim.cpus[0].tlb.l1.stats.hits, 0);
	cr_expect_eq(sim.cpus[0].tlb.l2.stats.hits, 2);    /* b for the write, then a */
}

/*
 * The TLB hears of every PTE change in mm, not only of the workload's
 * syscalls: MADV_DONTNEED and mremap called on mm directly drop the
 * translations of the pages they take away.
 */
Test(access, page_changes_inside_mm_reach_the_tlb, .fini = cleanup)
{
	uint64_t cost = 0, a, b;
	struct mm_struct *mm;

	preset("config/x86_64.ini");
	cr_assert_eq(run("a = mmap 0x10000000 8K rw private,anon,fixed\n"
			 "write a\n"), SIM_OK);
	mm = sim.procs[0].mm;
	a = 0x10000000;
	cr_assert_eq(mm_madvise(mm, a, 4096, MADV_DONTNEED), 0);
	cr_assert_eq(cpu_access(&sim, 0, a, PT_READ, &cost), CPU_OK);
	cr_expect_eq(sim.stats.pgfault, 2);         /* faulted in again */
	cr_assert_eq(cpu_access(&sim, 0, a, PT_WRITE, &cost), CPU_OK);
	cr_assert_eq(mm_mremap(mm, a, 8192, 8192, MREMAP_MAYMOVE | MREMAP_FIXED,
			       0x30000000, &b), 0);
	cr_expect_eq(cpu_access(&sim, 0, a, PT_READ, &cost), CPU_SEGV);
	cr_expect_eq(cpu_access(&sim, 0, b, PT_READ, &cost), CPU_OK);
	cr_expect_eq(sim.stats.pgfault, 2);         /* the page moved with it */
}

/*
 * mremap to a place that needs table pages when no frame is left for
 * them: -ENOMEM with nothing moved (Linux's move_vma puts back what it
 * moved and unmaps the new range), not success with the pages dropped.
 */
Test(access, mremap_without_frames_for_tables_moves_nothing,
     .fini = cleanup)
{
	uint64_t cost = 0, a = 0x10000000, b, pfn, held[256], faults, rss;
	struct mm_struct *mm;
	unsigned n = 0;

	preset("config/x86_64.ini");
	set("memory_size=1M");
	cr_assert_eq(run("a = mmap 0x10000000 8K rw private,anon,fixed\n"
			 "write a\n"
			 "write a+4K\n"), SIM_OK);
	mm = sim.procs[0].mm;
	while (buddy_alloc(&sim.zone, 0, 0, &pfn) == 0) {
		cr_assert_lt(n, 256);
		held[n++] = pfn;
	}
	faults = sim.stats.pgfault;
	rss = mm_rss_pages(mm);
	cr_expect_eq(rss, 2);
	cr_expect_eq(mm_mremap(mm, a, 8192, 8192, MREMAP_MAYMOVE | MREMAP_FIXED,
			       0x700000000000, &b), -ENOMEM);
	cr_expect_eq(mm_rss_pages(mm), rss);
	cr_expect_eq(mm_nr_vmas(mm), 1);
	cr_expect_eq(cpu_access(&sim, 0, a, PT_READ, &cost), CPU_OK);
	cr_expect_eq(cpu_access(&sim, 0, a + 4096, PT_WRITE, &cost), CPU_OK);
	cr_expect_eq(sim.stats.pgfault, faults);     /* still there */
	cr_expect_eq(cpu_access(&sim, 0, 0x700000000000, PT_READ, &cost),
		     CPU_SEGV);
	while (n)
		cr_assert_eq(buddy_free(&sim.zone, held[--n]), 0);
}
