/*
 * bench_buddy.c - speed and memory of the buddy allocator (sim/phys).
 *
 * buddy_pair_ns_*: a 1 GiB zone of 4K pages filled to half with random
 * blocks, then in steady state each iteration frees a random live block
 * and allocates a new one; the figure is nanoseconds per free+alloc pair
 * (generator included), the fastest of ROUNDS rounds, since other work on
 * a shared machine only ever slows a round down. buddy_rss_64g_*: the process's resident memory
 * with a 64 GiB zone of 4K pages (16M frames) after init, and after every
 * descriptor has been written once (all frames allocated at order 0).
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "phys/buddy.h"

#define PAIRS 4000000ull         /* pairs per round */
#define ROUNDS 5                 /* the fastest round is reported */

/* A uniform value in [0, n): multiply-shift, no division in the loop. */
static uint64_t below(uint64_t *rng, uint64_t n)
{
	return (uint64_t)(((unsigned __int128)bench_rand(rng) * n) >> 64);
}

/* Random order in [0, max_order]. */
static unsigned pick_order(uint64_t *rng, unsigned max_order)
{
	return (unsigned)below(rng, max_order + 1);
}

static void pair_bench(const char *name, unsigned max_alloc_order)
{
	struct zone z;
	uint64_t rng = 0xb0dd1e5ull, *live, nr_live = 0, fails = 0, t0, t1;
	uint64_t best = UINT64_MAX;

	if (buddy_init(&z, 1ull << 30, 4096, 10)) {
		fprintf(stderr, "%s: buddy_init failed\n", name);
		return;
	}
	live = malloc(z.nr_frames * sizeof(*live));
	if (!live) {
		buddy_destroy(&z);
		return;
	}
	while (z.nr_free_pages > z.nr_frames / 2) {
		uint64_t pfn;

		if (buddy_alloc(&z, pick_order(&rng, max_alloc_order), 0,
				&pfn) == 0)
			live[nr_live++] = pfn;
	}

	for (unsigned round = 0; round < ROUNDS; round++) {
		t0 = bench_now_ns();
		for (uint64_t i = 0; i < PAIRS; i++) {
			uint64_t idx = below(&rng, nr_live), pfn;

			buddy_free(&z, live[idx]);
			if (buddy_alloc(&z, pick_order(&rng, max_alloc_order),
					0, &pfn) == 0) {
				live[idx] = pfn;
			} else {
				live[idx] = live[--nr_live];
				fails++;
			}
		}
		t1 = bench_now_ns();
		if (t1 - t0 < best)
			best = t1 - t0;
	}
	bench_report(name, (double)best / PAIRS, "ns");
	if (fails)
		fprintf(stderr, "%s: %llu allocations failed\n", name,
			(unsigned long long)fails);
	free(live);
	buddy_destroy(&z);
}

BENCH(buddy_pair_ns_orders0_9)
{
	pair_bench("buddy_pair_ns_orders0_9", 9);
}

BENCH(buddy_pair_ns_order0)
{
	pair_bench("buddy_pair_ns_order0", 0);
}

BENCH(buddy_bytes_per_frame)
{
	bench_report("buddy_bytes_per_frame", (double)buddy_bytes_per_frame(),
		     "bytes");
}

BENCH(buddy_rss_64g_bytes)
{
	struct zone z;
	uint64_t pfn, before = bench_rss_bytes();

	if (buddy_init(&z, 64ull << 30, 4096, 10)) {
		fprintf(stderr, "buddy_rss_64g_bytes: buddy_init failed\n");
		return;
	}
	bench_report("buddy_rss_64g_bytes", (double)bench_rss_bytes(),
		     "bytes");
	while (buddy_alloc(&z, 0, 0, &pfn) == 0)
		;
	bench_report("buddy_rss_64g_touched_bytes", (double)bench_rss_bytes(),
		     "bytes");
	bench_report("buddy_rss_64g_before_bytes", (double)before, "bytes");
	/* what the zone itself costs, whatever ran before in this process */
	bench_report("buddy_rss_64g_zone_bytes",
		     (double)(bench_rss_bytes() - before), "bytes");
	buddy_destroy(&z);
}
