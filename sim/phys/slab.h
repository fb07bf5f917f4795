/*
 * slab.h - caches of same-sized kernel objects carved from buddy blocks
 * (Linux's slab allocators, mm/slub.c in spirit).
 *
 * A cache hands out objects of one size. Its slabs are buddy blocks of
 * one order, each cut into objs_per_slab objects: the order is the
 * smallest that holds 16 objects, at most 3 (PAGE_ALLOC_COSTLY_ORDER),
 * and at least the one that holds a single object. An allocation takes a
 * free object from a slab that has one (the most recently used first);
 * with none, a new slab comes from the buddy allocator. A slab whose last
 * object is freed goes back to the buddy allocator at once (Linux keeps a
 * few empty slabs; vmsim keeps none, so slab memory is exactly what the
 * live objects need, rounded to whole slabs).
 *
 * Objects are named by a handle (slab index and object index); the
 * simulator keeps no object memory, only the accounting.
 */
#ifndef SIM_PHYS_SLAB_H
#define SIM_PHYS_SLAB_H

#include <stdint.h>
#include <stdio.h>

#include "phys/buddy.h"

#define SLAB_NONE UINT32_MAX

struct slab {
	uint64_t pfn;          /* its buddy block; UINT64_MAX: slot unused */
	uint32_t inuse;        /* objects handed out */
	uint32_t free_head;    /* first free object, SLAB_NONE: full */
	uint32_t *next_free;   /* per object: the next free one */
	uint32_t prev, next;   /* in the cache's partial list, SLAB_NONE ends */
};

struct slab_cache {
	const char *name;      /* as /proc/slabinfo prints it */
	uint32_t obj_size;     /* bytes */
	uint32_t objs_per_slab;
	unsigned order;        /* of each slab's buddy block */
	struct zone *zone;
	struct slab *slabs;    /* by index; unused slots are reused */
	uint32_t nr_slots, cap_slots;
	uint32_t partial;      /* head of the slabs with a free object */
	uint32_t unused;       /* a chain of unused slots (through next) */
	uint64_t active_objs;  /* objects handed out */
	uint64_t nr_slabs;     /* slabs held */
	uint32_t owner;        /* buddy owner tag of its blocks */
};

/*
 * Sets up an empty cache of obj_size-byte objects drawing on zone.
 * Returns 0, or -EINVAL when one object is larger than the zone's
 * largest block.
 */
int slab_cache_init(struct slab_cache *c, const char *name, uint32_t obj_size,
		    struct zone *zone, uint32_t owner);

/* Gives every slab back to the zone and frees the host memory. */
void slab_cache_destroy(struct slab_cache *c);

/*
 * One object: its handle in *obj. Returns 0, or -ENOMEM when a new slab
 * was needed and the buddy allocator had no block (or the host no memory).
 */
int slab_alloc(struct slab_cache *c, uint64_t *obj);

/* Gives an object back; its slab goes back to the zone when empty. */
void slab_free(struct slab_cache *c, uint64_t obj);

/* Bytes of the zone the cache holds (its slabs). */
static inline uint64_t slab_cache_bytes(const struct slab_cache *c)
{
	return c->nr_slabs << c->order << c->zone->page_shift;
}

/*
 * Prints caches as /proc/slabinfo (version 2.1) does: the header lines,
 * then a line per cache (no tunables, no shared objects: zeros).
 */
void slab_print_slabinfo(const struct slab_cache *const *caches, unsigned n,
			 FILE *out);

/* Checks every slab's free list and the counters. 0, or -1 with why. */
int slab_validate(const struct slab_cache *c, char *why, size_t len);

#endif
