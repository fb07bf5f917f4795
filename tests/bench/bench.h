/*
 * bench.h - the benchmark registry behind build/release/vmsim-bench.
 *
 * Each tests/bench/bench_<module>.c defines its benchmarks with BENCH(name);
 * a constructor links them into one list, so adding a file adds its
 * benchmarks without touching a central table. Every benchmark prints its
 * figures with bench_report() as `name,value,unit` lines on stdout.
 */
#ifndef VMSIM_BENCH_H
#define VMSIM_BENCH_H

#include <stdint.h>

struct bench {
	const char *name;     /* selects it on the command line */
	void (*fn)(void);     /* runs it and reports its figures */
	struct bench *next;   /* registry list, in registration order */
};

void bench_register(struct bench *b);

#define BENCH(id)                                                        \
	static void bench_fn_##id(void);                                 \
	static struct bench bench_##id = { #id, bench_fn_##id, NULL };   \
	__attribute__((constructor)) static void bench_reg_##id(void)    \
	{ bench_register(&bench_##id); }                                 \
	static void bench_fn_##id(void)

/* Prints "name,value,unit" on stdout. */
void bench_report(const char *name, double value, const char *unit);

/* Monotonic clock in nanoseconds. */
uint64_t bench_now_ns(void);

/* Resident set size of this process in bytes (from /proc/self/statm). */
uint64_t bench_rss_bytes(void);

/* A small fast deterministic generator (splitmix64) for benchmark inputs. */
static inline uint64_t bench_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

#endif
