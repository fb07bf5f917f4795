/*
 * frag.h - external-fragmentation indices of a buddy zone (Linux
 * mm/vmstat.c: fill_contig_page_info, unusable_free_index,
 * __fragmentation_index, and the debugfs files extfrag/unusable_index and
 * extfrag/extfrag_index).
 *
 * Both indices look at the free lists only, for a request of one order:
 *
 *   unusable free space index = (free_pages - suitable_pages) / free_pages
 *       the share of free memory that cannot serve the request because it
 *       sits in smaller blocks; 0 when nothing is free counts as 1.
 *
 *   fragmentation (extfrag) index, only when the request would fail:
 *       1 - (1 + free_pages / requested_pages) / free_blocks_total
 *       towards 0: it fails for lack of memory; towards 1: for
 *       fragmentation. -1 when the request would succeed, 0 when nothing
 *       is free. Few free blocks give a negative value (Linux prints that
 *       as is, e.g. " 0.-500"; so do the printers here).
 *
 * Linux works in thousandths with integer division; the *_milli functions
 * return exactly Linux's integer, the double functions the unrounded value.
 */
#ifndef SIM_PHYS_FRAG_H
#define SIM_PHYS_FRAG_H

#include <stdint.h>
#include <stdio.h>

#include "phys/buddy.h"

/* Free-list summary for one requested order (struct contig_page_info). */
struct buddy_contig_info {
	uint64_t free_pages;               /* frames in free blocks */
	uint64_t free_blocks_total;        /* free blocks of any order */
	uint64_t free_blocks_suitable;     /* order-`order` blocks they hold */
};

/* Fills *info for a request of `order` (fill_contig_page_info). */
void buddy_contig_info(const struct zone *z, unsigned order,
		       struct buddy_contig_info *info);

/* Unusable free space index for order, 0..1000 as Linux computes it. */
int buddy_unusable_index_milli(const struct zone *z, unsigned order);

/* The same, unrounded: 0.0..1.0 (1.0 when nothing is free). */
double buddy_unusable_index(const struct zone *z, unsigned order);

/*
 * Fragmentation index for order, in thousandths as Linux computes it:
 * -1000 if the request would succeed, 0 if nothing is free (or order >
 * max_order, Linux's WARN case), else 1000 - (1000 + free*1000/requested)
 * / free_blocks_total.
 */
int buddy_extfrag_index_milli(const struct zone *z, unsigned order);

/* The same, unrounded (-1.0 when the request would succeed). */
double buddy_extfrag_index(const struct zone *z, unsigned order);

/*
 * One line each in the debugfs format, orders 0..max_order:
 * "Node 0, zone   Normal " then "%d.%03d " (unusable) or "%2d.%03d "
 * (extfrag) per order, then a newline.
 */
void buddy_print_unusable_index(const struct zone *z, FILE *out);
void buddy_print_extfrag_index(const struct zone *z, FILE *out);

#endif /* SIM_PHYS_FRAG_H */
