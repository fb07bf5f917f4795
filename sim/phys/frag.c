/*
 * frag.c - external-fragmentation indices of a buddy zone, as Linux
 * mm/vmstat.c computes and prints them (see frag.h for the formulas).
 * Read-only: reports never change the zone.
 */
#include "phys/frag.h"

void buddy_contig_info(const struct zone *z, unsigned order,
		       struct buddy_contig_info *info)
{
	*info = (struct buddy_contig_info){ 0 };
	for (unsigned o = 0; o <= z->max_order; o++) {
		uint64_t blocks = z->free_area[o].nr_free;

		info->free_blocks_total += blocks;
		info->free_pages += blocks << o;
		if (o >= order)
			info->free_blocks_suitable += blocks << (o - order);
	}
}

int buddy_unusable_index_milli(const struct zone *z, unsigned order)
{
	struct buddy_contig_info info;

	buddy_contig_info(z, order, &info);
	if (info.free_pages == 0)
		return 1000;   /* nothing free: all of it is unusable */
	return (int)((info.free_pages - (info.free_blocks_suitable << order)) *
		     1000 / info.free_pages);
}

double buddy_unusable_index(const struct zone *z, unsigned order)
{
	struct buddy_contig_info info;

	buddy_contig_info(z, order, &info);
	if (info.free_pages == 0)
		return 1.0;
	return (double)(info.free_pages - (info.free_blocks_suitable << order)) /
	       (double)info.free_pages;
}

int buddy_extfrag_index_milli(const struct zone *z, unsigned order)
{
	struct buddy_contig_info info;
	uint64_t requested;

	if (order > z->max_order)
		return 0;
	buddy_contig_info(z, order, &info);
	if (info.free_blocks_total == 0)
		return 0;
	if (info.free_blocks_suitable)
		return -1000;  /* the request would succeed */
	requested = 1ull << order;
	/* Linux: 1000 - div_u64(1000 + free*1000/requested, total), in int. */
	return 1000 - (int)((1000 + info.free_pages * 1000 / requested) /
			    info.free_blocks_total);
}

double buddy_extfrag_index(const struct zone *z, unsigned order)
{
	struct buddy_contig_info info;

	if (order > z->max_order)
		return 0.0;
	buddy_contig_info(z, order, &info);
	if (info.free_blocks_total == 0)
		return 0.0;
	if (info.free_blocks_suitable)
		return -1.0;
	return 1.0 - (1.0 + (double)info.free_pages / (double)(1ull << order)) /
		     (double)info.free_blocks_total;
}

void buddy_print_unusable_index(const struct zone *z, FILE *out)
{
	fprintf(out, "Node %d, zone %8s ", 0, "Normal");
	for (unsigned o = 0; o <= z->max_order; o++) {
		int index = buddy_unusable_index_milli(z, o);

		fprintf(out, "%d.%03d ", index / 1000, index % 1000);
	}
	fputc('\n', out);
}

void buddy_print_extfrag_index(const struct zone *z, FILE *out)
{
	fprintf(out, "Node %d, zone %8s ", 0, "Normal");
	for (unsigned o = 0; o <= z->max_order; o++) {
		int index = buddy_extfrag_index_milli(z, o);

		fprintf(out, "%2d.%03d ", index / 1000, index % 1000);
	}
	fputc('\n', out);
}
