/*
 * bench_mm.c - speed and memory of the address space (sim/mm).
 *
 * mmap_munmap_ns_vmasN: an address space holding N one-page VMAs whose
 * protections alternate (no two merge), then pairs of mmap(NULL, 4K,
 * r-x, private anonymous) + munmap of the result: each new VMA lands in
 * the highest free gap (just below the lowest existing VMA) and merges
 * with nothing. The figure is ns per pair, the fastest of ROUNDS rounds.
 *
 * mprotect_split_merge_ns_vmas10000: among 10000 such VMAs, a 3-page rw-
 * VMA whose middle page is made r-- (one VMA becomes three) and then rw-
 * again (the three merge back), ns per pair of calls.
 *
 * brk_grow_ns: the break grown by 4K at a time (the heap VMA expands in
 * place), ns per call; the heap is shrunk back between rounds.
 *
 * vma_bytes: the size of one VMA descriptor; vma_rss_bytes: resident
 * memory per VMA with 1e6 VMAs in one space (descriptors, tree, list).
 */
#include <stdio.h>
#include <sys/mman.h>

#include "bench.h"
#include "mm/internal.h"
#include "mm/mm.h"

#define PG 4096ull
#define ROUNDS 5
#define PAIRS 200000ull
#define BRK_STEPS 1000000ull

/* An address space of nr alternating r--/rw- one-page VMAs. */
static struct mm_struct *space_with(uint64_t nr)
{
	struct mm_params p;
	struct mm_struct *mm;
	uint64_t out;

	mm_params_default(&p);
	p.max_map_count = nr + 20000;   /* room for the callers' extra VMAs */
	if (mm_create(&p, &mm))
		return NULL;
	mm_set_validate(mm, false);
	for (uint64_t i = 0; i < nr; i++) {
		if (mm_mmap(mm, 0, PG, i & 1 ? PROT_READ : PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0, &out)) {
			mm_destroy(mm);
			return NULL;
		}
	}
	return mm;
}

static void mmap_munmap(uint64_t nr)
{
	struct mm_struct *mm = space_with(nr);
	uint64_t best = UINT64_MAX, out = 0, errors = 0;
	char name[64];

	if (!mm) {
		fprintf(stderr, "mmap_munmap: no space of %llu VMAs\n",
			(unsigned long long)nr);
		return;
	}
	for (int r = 0; r < ROUNDS; r++) {
		uint64_t t0 = bench_now_ns();

		for (uint64_t i = 0; i < PAIRS; i++) {
			errors += mm_mmap(mm, 0, PG, PROT_READ | PROT_EXEC,
					  MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0,
					  &out) != 0;
			errors += mm_munmap(mm, out, PG) != 0;
		}
		uint64_t t = bench_now_ns() - t0;
		if (t < best)
			best = t;
	}
	if (errors || mm_nr_vmas(mm) != nr)
		fprintf(stderr, "mmap_munmap: %llu errors, %llu VMAs left\n",
			(unsigned long long)errors,
			(unsigned long long)mm_nr_vmas(mm));
	snprintf(name, sizeof(name), "mmap_munmap_ns_vmas%llu",
		 (unsigned long long)nr);
	bench_report(name, (double)best / PAIRS, "ns");
	mm_destroy(mm);
}

BENCH(mm_mmap_munmap)
{
	static const uint64_t sizes[] = { 0, 1000, 10000, 60000 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		mmap_munmap(sizes[i]);
}

BENCH(mm_mprotect)
{
	struct mm_struct *mm = space_with(5000);
	uint64_t best = UINT64_MAX, target = 0, errors = 0;

	if (!mm)
		return;
	/* The target sits between r-- VMAs: it merges with neither. */
	errors += mm_mmap(mm, 0, 3 * PG, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0, &target) != 0;
	for (uint64_t i = 0; i < 5000; i++) {
		uint64_t out;

		errors += mm_mmap(mm, 0, PG, i & 1 ? PROT_READ | PROT_WRITE
						   : PROT_READ,
				  MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0, &out) != 0;
	}
	for (int r = 0; r < ROUNDS; r++) {
		uint64_t t0 = bench_now_ns();

		for (uint64_t i = 0; i < PAIRS; i++) {
			errors += mm_mprotect(mm, target + PG, PG, PROT_READ) != 0;
			errors += mm_mprotect(mm, target + PG, PG,
					      PROT_READ | PROT_WRITE) != 0;
		}
		uint64_t t = bench_now_ns() - t0;
		if (t < best)
			best = t;
	}
	if (errors || mm_nr_vmas(mm) != 10001)
		fprintf(stderr, "mprotect: %llu errors, %llu VMAs (want 10001)\n",
			(unsigned long long)errors,
			(unsigned long long)mm_nr_vmas(mm));
	bench_report("mprotect_split_merge_ns_vmas10000", (double)best / PAIRS,
		     "ns");
	mm_destroy(mm);
}

BENCH(mm_brk)
{
	struct mm_params p;
	struct mm_struct *mm;
	uint64_t best = UINT64_MAX, base = 0x555555560000ull, out, refused = 0;

	mm_params_default(&p);
	if (mm_create(&p, &mm))
		return;
	mm_set_validate(mm, false);
	mm_set_brk(mm, base, base);
	for (int r = 0; r < ROUNDS; r++) {
		uint64_t t0 = bench_now_ns();

		for (uint64_t i = 1; i <= BRK_STEPS; i++) {
			mm_brk(mm, base + i * PG, &out);
			refused += out != base + i * PG;
		}
		uint64_t t = bench_now_ns() - t0;
		if (t < best)
			best = t;
		mm_brk(mm, base, &out);
	}
	if (refused)
		fprintf(stderr, "brk: %llu growths refused\n",
			(unsigned long long)refused);
	bench_report("brk_grow_ns", (double)best / BRK_STEPS, "ns");
	mm_destroy(mm);
}

BENCH(mm_memory)
{
	uint64_t before = bench_rss_bytes();
	struct mm_struct *mm = space_with(1000000);

	if (!mm)
		return;
	bench_report("vma_bytes", (double)sizeof(struct vma), "bytes");
	bench_report("vma_rss_bytes",
		     (double)(bench_rss_bytes() - before) / 1e6, "bytes");
	mm_destroy(mm);
}
