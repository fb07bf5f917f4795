/*
 * common.h - shared helpers for vmsim's Criterion suites.
 *
 * One tests/test_<module>.c per module, one suite per file. Random tests
 * take a fixed seed, print it with TEST_SEED() so a failure can be
 * replayed, and check against a naive model.
 */
#ifndef VMSIM_TEST_COMMON_H
#define VMSIM_TEST_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <criterion/criterion.h>

/* Prints the seed a random test uses, so its failure can be replayed. */
#define TEST_SEED(seed) \
	cr_log_info("%s: seed %llu", __func__, (unsigned long long)(seed))

/* splitmix64: a tiny deterministic generator for test inputs. */
static inline uint64_t test_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A uniform value in [0, n). */
static inline uint64_t test_rand_below(uint64_t *state, uint64_t n)
{
	return n ? test_rand(state) % n : 0;
}

/* A whole file, NUL-terminated (free it); NULL if it cannot be read. */
static inline char *test_slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

#endif
