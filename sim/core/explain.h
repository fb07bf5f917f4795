/*
 * explain.h - one translation told step by step, the way a textbook works
 * an example: the segment check, the split of the linear address into
 * table indices, the TLB, each level's table and entry, the physical
 * address. It only looks: no bit is set, no counter moves, no LRU order
 * changes, and a page that is not there is reported, not faulted in.
 */
#ifndef SIM_CORE_EXPLAIN_H
#define SIM_CORE_EXPLAIN_H

#include <stdint.h>
#include <stdio.h>

#include "mmu/pt.h"

struct sim;

/*
 * Prints the translation of va (an offset in segment slot seg, or with
 * seg 0 a linear address, shown through the flat ds/cs) for process pidx
 * and access a to out.
 */
void explain_translation(struct sim *s, unsigned pidx, unsigned seg,
			 uint64_t va, enum pt_access a, FILE *out);

#endif
