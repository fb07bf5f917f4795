/*
 * bench_access.c - speed of one simulated access (core/cpu.c and below).
 *
 * access_hit_ns: accesses the TLB serves, each to another page than the
 * last (16 resident pages, a seq generator over them, one access per
 * page), with a fully associative 64-entry first level; access_hit_4way_ns:
 * the same with the x86_64 preset's 4-way first level; access_hit_word_ns: the same pages scanned word by word (8-byte
 * steps), so 511 of 512 accesses repeat the last page. access_walk_ns: every access a TLB miss and a
 * 4-level walk (4096 resident pages touched one per page in order, with a
 * 64-entry TLB and no second level, so LRU always misses). fault_ns: first
 * touch of a page: the miss, the failed walk, the fault handler (VMA
 * lookup, a frame from the buddy allocator, the PTE) and the walk after
 * it; the pages are unmapped between rounds. access_uniform_ns: uniform
 * random reads over 4096 resident pages with the x86_64 preset's TLB (64
 * entries 4-way, 1536 12-way behind): most miss L1, many miss L2, so
 * replacement in both levels is on the path. Each figure is ns per access
 * including the generator, the fastest of ROUNDS rounds.
 */
#include <stdio.h>
#include <sys/mman.h>

#include "bench.h"
#include "core/cpu.h"
#include "core/gen.h"
#include "core/sim.h"
#include "io/config.h"

#define ROUNDS 5

static struct sim_config cfg;
static struct program prog;
static struct sim sim;

static int machine_ways(const char *tlb_entries, const char *ways, const char *tlb2)
{
	char e[64], w[64], t2[64];

	cfg_defaults(&cfg);
	if (cfg_load(&cfg, "config/x86_64.ini"))
		return -1;
	snprintf(e, sizeof(e), "tlb_entries=%s", tlb_entries);
	snprintf(w, sizeof(w), "tlb_ways=%s", ways);
	snprintf(t2, sizeof(t2), "tlb2_entries=%s", tlb2);
	if (cfg_set(&cfg, e, "bench") || cfg_set(&cfg, w, "bench") ||
	    cfg_set(&cfg, t2, "bench") || cfg_set(&cfg, "memory_size=4G", "bench") ||
	    cfg_check(&cfg, "bench"))
		return -1;
	program_init(&prog, "bench");
	if (sim_init(&sim, &cfg) || sim_add_process(&sim, &prog))
		return -1;
	return 0;
}

/* A fully associative first level. */
static int machine(const char *tlb_entries, const char *tlb2)
{
	return machine_ways(tlb_entries, tlb_entries, tlb2);
}

static void done(void)
{
	sim_destroy(&sim);
	program_free(&prog);
}

/* ns per access of n accesses over items [0, nitems) of addr, in pattern. */
static double run_gen(enum gen_pattern pattern, uint64_t addr, uint64_t nitems,
		      unsigned step_shift, uint64_t n, enum pt_access a)
{
	uint64_t best = UINT64_MAX, cost = 0, bad = 0;
	struct gen g;

	for (int r = 0; r < ROUNDS; r++) {
		uint64_t t0 = bench_now_ns();

		gen_init(&g, pattern, nitems, 42);
		for (uint64_t i = 0; i < n; i++)
			bad += cpu_access(&sim, 0,
					  addr + (gen_next(&g) << step_shift),
					  a, &cost) != CPU_OK;
		uint64_t t = bench_now_ns() - t0;
		if (t < best)
			best = t;
	}
	if (bad)
		fprintf(stderr, "access: %llu accesses failed\n",
			(unsigned long long)bad);
	return (double)best / (double)n;
}

static double scan_step(uint64_t addr, uint64_t nitems, unsigned step_shift,
			uint64_t n, enum pt_access a)
{
	return run_gen(GEN_SEQ, addr, nitems, step_shift, n, a);
}

static double scan(uint64_t addr, uint64_t npages, uint64_t n,
		   enum pt_access a)
{
	return scan_step(addr, npages, 12, n, a);
}

BENCH(access)
{
	uint64_t addr, npages = 65536, best = UINT64_MAX, cost = 0, bad = 0;

	if (machine("64", "1536")) {
		fprintf(stderr, "access: no machine\n");
		return;
	}
	mm_mmap(sim.procs[0].mm, 0, 16 << 12, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0, &addr);
	scan(addr, 16, 16, PT_WRITE);
	bench_report("access_hit_ns", scan(addr, 16, 10000000, PT_READ), "ns");
	bench_report("access_hit_word_ns",
		     scan_step(addr, 16 * 512, 3, 10000000, PT_READ), "ns");
	done();

	/* the x86_64 preset's TLB: 64 entries of 4 ways, 1536 of 12 behind */
	if (machine_ways("64", "4", "1536"))
		return;
	mm_mmap(sim.procs[0].mm, 0, 16 << 12, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0, &addr);
	scan(addr, 16, 16, PT_WRITE);
	bench_report("access_hit_4way_ns", scan(addr, 16, 10000000, PT_READ), "ns");
	done();

	if (machine("64", "0"))
		return;
	mm_mmap(sim.procs[0].mm, 0, 4096 << 12, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0, &addr);
	scan(addr, 4096, 4096, PT_WRITE);
	bench_report("access_walk_ns", scan(addr, 4096, 4000000, PT_READ), "ns");
	if (sim.stats.tlb_hits)
		fprintf(stderr, "access_walk: %llu TLB hits\n",
			(unsigned long long)sim.stats.tlb_hits);
	done();

	if (machine("64", "1536"))
		return;
	for (int r = 0; r < ROUNDS; r++) {
		struct gen g;

		mm_mmap(sim.procs[0].mm, 0, npages << 12, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0, &addr);
		gen_init(&g, GEN_SEQ, npages, 1);
		uint64_t t0 = bench_now_ns();
		for (uint64_t i = 0; i < npages; i++)
			bad += cpu_access(&sim, 0, addr + (gen_next(&g) << 12),
					  PT_WRITE, &cost) != CPU_OK;
		uint64_t t = bench_now_ns() - t0;
		if (t < best)
			best = t;
		mm_munmap(sim.procs[0].mm, addr, npages << 12);
	}
	if (bad || sim.stats.pgfault != ROUNDS * npages)
		fprintf(stderr, "fault: %llu failed, %llu faults\n",
			(unsigned long long)bad,
			(unsigned long long)sim.stats.pgfault);
	bench_report("fault_ns", (double)best / (double)npages, "ns");
	done();

	if (machine_ways("64", "4", "1536"))
		return;
	mm_mmap(sim.procs[0].mm, 0, 4096 << 12, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0, &addr);
	scan(addr, 4096, 4096, PT_WRITE);
	bench_report("access_uniform_ns",
		     run_gen(GEN_UNIFORM, addr, 4096, 12, 2000000, PT_READ), "ns");
	done();
}
