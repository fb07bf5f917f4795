/*
 * gen.h - access-pattern generators: where the next access of an
 * `access` operation goes inside its region.
 *
 * A region of len bytes is seen as len / step items of step bytes (the
 * element a loop touches: 8 for a scan of 64-bit words, the page size for
 * one touch per page). The generators give item numbers:
 *
 *   seq      0, 1, 2, ... wrapping around at the last item
 *   uniform  uniform over the items
 *   zipf     Zipf(theta) over the items, item 0 the most popular (YCSB's
 *            generator, after Gray et al., "Quickly generating
 *            billion-record synthetic databases", SIGMOD 1994)
 *
 * Randomness is a splitmix64 stream from a seed, so a run is
 * reproducible; nothing is allocated, so a generator costs O(1) per item
 * (zipf computes its normalisation once, in O(min(n, 10^4))).
 */
#ifndef SIM_CORE_GEN_H
#define SIM_CORE_GEN_H

#include <stdint.h>

enum gen_pattern {
	GEN_SEQ,
	GEN_UNIFORM,
	GEN_ZIPF,
};

#define GEN_ZIPF_THETA 0.99	/* YCSB's default skew */

struct gen {
	enum gen_pattern pattern;
	uint64_t n;		/* items */
	uint64_t next;		/* seq: the next item */
	uint64_t rng;		/* splitmix64 state */
	double theta, alpha, zetan, eta, half_pow; /* zipf constants */
};

/* Sets g up over n >= 1 items. */
void gen_init(struct gen *g, enum gen_pattern pattern, uint64_t n,
	      uint64_t seed);

/* gen_next() for uniform and zipf, out of line. */
uint64_t gen_next_random(struct gen *g);

/* The next item, in [0, n). A scan's step is inline: access loops run it. */
static inline uint64_t gen_next(struct gen *g)
{
	uint64_t item = g->next;

	if (g->pattern != GEN_SEQ)
		return gen_next_random(g);
	g->next = item + 1 == g->n ? 0 : item + 1;
	return item;
}

/* splitmix64: the next value of a 64-bit stream. */
uint64_t gen_rand(uint64_t *state);

#endif
