/*
 * slab.c - object caches on buddy blocks (see slab.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "lib/validate.h"
#include "phys/slab.h"

#define SLAB_MIN_OBJS 16       /* objects a slab should hold */
#define SLAB_COSTLY_ORDER 3    /* PAGE_ALLOC_COSTLY_ORDER */

int slab_cache_init(struct slab_cache *c, const char *name, uint32_t obj_size,
		    struct zone *zone, uint32_t owner)
{
	uint64_t page = (uint64_t)1 << zone->page_shift;
	unsigned order = 0;

	memset(c, 0, sizeof(*c));
	if (!obj_size)
		return -EINVAL;
	/* the smallest order holding 16 objects, up to 3, but one at least */
	while (order < SLAB_COSTLY_ORDER && (page << order) < (uint64_t)SLAB_MIN_OBJS * obj_size)
		order++;
	while ((page << order) < obj_size)
		order++;
	if (order > zone->max_order)
		return -EINVAL;
	c->name = name;
	c->obj_size = obj_size;
	c->order = order;
	c->objs_per_slab = (uint32_t)((page << order) / obj_size);
	c->zone = zone;
	c->owner = owner;
	c->partial = SLAB_NONE;
	c->unused = SLAB_NONE;
	return 0;
}

void slab_cache_destroy(struct slab_cache *c)
{
	for (uint32_t i = 0; i < c->nr_slots; i++) {
		if (c->slabs[i].pfn != UINT64_MAX)
			buddy_free(c->zone, c->slabs[i].pfn);
		free(c->slabs[i].next_free);
	}
	free(c->slabs);
	memset(c, 0, sizeof(*c));
}

static void partial_add(struct slab_cache *c, uint32_t i)
{
	struct slab *s = &c->slabs[i];

	s->prev = SLAB_NONE;
	s->next = c->partial;
	if (c->partial != SLAB_NONE)
		c->slabs[c->partial].prev = i;
	c->partial = i;
}

static void partial_del(struct slab_cache *c, uint32_t i)
{
	struct slab *s = &c->slabs[i];

	if (s->prev != SLAB_NONE)
		c->slabs[s->prev].next = s->next;
	else
		c->partial = s->next;
	if (s->next != SLAB_NONE)
		c->slabs[s->next].prev = s->prev;
}

/* A new slab from the zone, on the partial list. Returns its index or SLAB_NONE. */
static uint32_t slab_grow(struct slab_cache *c)
{
	uint64_t pfn;
	uint32_t i;
	struct slab *s;

	if (c->unused == SLAB_NONE && c->nr_slots == c->cap_slots) {
		uint32_t cap = c->cap_slots ? c->cap_slots * 2 : 16;
		struct slab *n = realloc(c->slabs, cap * sizeof(*n));

		if (!n)
			return SLAB_NONE;
		c->slabs = n;
		c->cap_slots = cap;
	}
	if (buddy_alloc(c->zone, c->order, c->owner, &pfn))
		return SLAB_NONE;
	if (c->unused != SLAB_NONE) {
		i = c->unused;
		c->unused = c->slabs[i].next;
	} else {
		i = c->nr_slots++;
		c->slabs[i].next_free = NULL;
	}
	s = &c->slabs[i];
	if (!s->next_free) {
		s->next_free = malloc(c->objs_per_slab * sizeof(*s->next_free));
		if (!s->next_free) {
			buddy_free(c->zone, pfn);
			s->pfn = UINT64_MAX;
			s->next = c->unused;
			c->unused = i;
			return SLAB_NONE;
		}
	}
	for (uint32_t k = 0; k < c->objs_per_slab; k++)
		s->next_free[k] = k + 1 < c->objs_per_slab ? k + 1 : SLAB_NONE;
	s->pfn = pfn;
	s->inuse = 0;
	s->free_head = 0;
	c->nr_slabs++;
	partial_add(c, i);
	return i;
}

int slab_alloc(struct slab_cache *c, uint64_t *obj)
{
	uint32_t i = c->partial, k;
	struct slab *s;

	if (i == SLAB_NONE && (i = slab_grow(c)) == SLAB_NONE)
		return -ENOMEM;
	s = &c->slabs[i];
	k = s->free_head;
	s->free_head = s->next_free[k];
	s->inuse++;
	c->active_objs++;
	if (s->free_head == SLAB_NONE)
		partial_del(c, i);          /* now full */
	*obj = (uint64_t)i << 32 | k;
	return 0;
}

void slab_free(struct slab_cache *c, uint64_t obj)
{
	uint32_t i = (uint32_t)(obj >> 32), k = (uint32_t)obj;
	struct slab *s = &c->slabs[i];
	bool was_full = s->free_head == SLAB_NONE;

	s->next_free[k] = s->free_head;
	s->free_head = k;
	s->inuse--;
	c->active_objs--;
	if (!s->inuse) {
		if (!was_full)
			partial_del(c, i);
		buddy_free(c->zone, s->pfn);
		s->pfn = UINT64_MAX;
		s->next = c->unused;
		c->unused = i;
		c->nr_slabs--;
	} else if (was_full) {
		partial_add(c, i);
	}
}

void slab_print_slabinfo(const struct slab_cache *const *caches, unsigned n,
			 FILE *out)
{
	fprintf(out, "slabinfo - version: 2.1\n");
	fprintf(out, "# name            <active_objs> <num_objs> <objsize> <objperslab> "
		"<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : "
		"slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	for (unsigned i = 0; i < n; i++) {
		const struct slab_cache *c = caches[i];

		fprintf(out, "%-17s %6" PRIu64 " %6" PRIu64 " %6u %4u %4u : tunables "
			"%4u %4u %4u : slabdata %6" PRIu64 " %6" PRIu64 " %6u\n",
			c->name, c->active_objs, c->nr_slabs * c->objs_per_slab,
			c->obj_size, c->objs_per_slab, 1u << c->order, 0u, 0u, 0u,
			c->nr_slabs, c->nr_slabs, 0u);
	}
}

int slab_validate(const struct slab_cache *c, char *why, size_t len)
{
	uint64_t objs = 0, slabs = 0, partial = 0;

	for (uint32_t i = 0; i < c->nr_slots; i++) {
		const struct slab *s = &c->slabs[i];
		uint32_t free = 0;

		if (s->pfn == UINT64_MAX)
			continue;
		slabs++;
		for (uint32_t k = s->free_head; k != SLAB_NONE; k = s->next_free[k])
			if (k >= c->objs_per_slab || ++free > c->objs_per_slab)
				return validate_fail(why, len, "%s: slab %u: broken free list",
						     c->name, i);
		if (free + s->inuse != c->objs_per_slab)
			return validate_fail(why, len, "%s: slab %u: %u free + %u in use "
					     "!= %u", c->name, i, free, s->inuse,
					     c->objs_per_slab);
		if (!s->inuse)
			return validate_fail(why, len, "%s: slab %u is empty but kept",
					     c->name, i);
		objs += s->inuse;
		partial += free > 0;
	}
	for (uint32_t i = c->partial; i != SLAB_NONE; i = c->slabs[i].next)
		if (!partial--)
			return validate_fail(why, len, "%s: partial list too long", c->name);
	if (partial)
		return validate_fail(why, len, "%s: %" PRIu64 " partial slabs off the list",
				     c->name, partial);
	if (objs != c->active_objs || slabs != c->nr_slabs)
		return validate_fail(why, len, "%s: counters %" PRIu64 "/%" PRIu64
				     ", found %" PRIu64 "/%" PRIu64, c->name,
				     c->active_objs, c->nr_slabs, objs, slabs);
	return 0;
}
