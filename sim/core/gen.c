/*
 * gen.c - access-pattern generators (see gen.h).
 */
#include <math.h>

#include "core/gen.h"

uint64_t gen_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A uniform value in [0, n): multiply-shift, no modulo bias worth noting. */
static uint64_t below(uint64_t *state, uint64_t n)
{
	return (uint64_t)(((unsigned __int128)gen_rand(state) * n) >> 64);
}

/*
 * zeta(n, theta) = sum 1/i^theta for i = 1..n: the first 10^4 terms
 * exactly, the rest by the integral of x^-theta (midpoint bounds), which
 * is within 1e-9 relative for theta near 1.
 */
static double zeta(uint64_t n, double theta)
{
	uint64_t m = n < 10000 ? n : 10000;
	double sum = 0;

	for (uint64_t i = 1; i <= m; i++)
		sum += pow((double)i, -theta);
	if (n > m)
		sum += (pow((double)n + 0.5, 1 - theta) -
			pow((double)m + 0.5, 1 - theta)) / (1 - theta);
	return sum;
}

void gen_init(struct gen *g, enum gen_pattern pattern, uint64_t n,
	      uint64_t seed)
{
	*g = (struct gen){ .pattern = pattern, .n = n ? n : 1, .rng = seed };
	if (pattern == GEN_ZIPF) {
		double zeta2 = zeta(2, GEN_ZIPF_THETA);

		g->theta = GEN_ZIPF_THETA;
		g->alpha = 1 / (1 - g->theta);
		g->zetan = zeta(g->n, g->theta);
		g->eta = (1 - pow(2.0 / (double)g->n, 1 - g->theta)) /
			 (1 - zeta2 / g->zetan);
		g->half_pow = 1 + pow(0.5, g->theta);
	}
}

uint64_t gen_next_random(struct gen *g)
{
	uint64_t item;
	double u, uz;

	if (g->pattern == GEN_UNIFORM)
		return below(&g->rng, g->n);
	u = (double)(gen_rand(&g->rng) >> 11) * 0x1.0p-53;
	uz = u * g->zetan;
	if (uz < 1)
		return 0;
	if (uz < g->half_pow)
		return g->n > 1;
	item = (uint64_t)((double)g->n *
			  pow(g->eta * u - g->eta + 1, g->alpha));
	return item < g->n ? item : g->n - 1;
}
