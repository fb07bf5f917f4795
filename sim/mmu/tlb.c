/*
 * tlb.c - the set-associative, LRU, optionally two-level and ASID-tagged
 * TLB (see tlb.h for what it models and the NINE choice).
 *
 * Layout of one level with sets = 4, ways = 2:
 *
 *     e[]:   | s0 w0 | s0 w1 | s1 w0 | s1 w1 | s2 w0 | ... | s3 w1 |
 *     mru[s] -> most recent way of set s -> ... -> lru[s] (victim)
 *     bucket[hash(key)] -> entry -> hnext -> ...   (valid entries only)
 *
 * Loop invariant of every set list: the valid ways come first, most
 * recent first, and the empty ways follow, so the victim is always lru[s]:
 * an empty way while there is one, else the least recently used.
 */
#include "mmu/tlb.h"
#include "lib/validate.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/compiler.h"

#define NIL UINT32_MAX             /* end of a hash chain or an LRU list */
#define KEY_EMPTY UINT64_MAX       /* key of an empty way */
#define ASID_MASK (TLB_NR_ASIDS - 1ull)

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

static int check_level(unsigned entries, unsigned ways)
{
	if (!entries || !ways || ways > entries || entries % ways ||
	    !is_pow2(entries / ways) || entries >= NIL / 2)
		return -EINVAL;
	return 0;
}

int tlb_params_init(struct tlb_params *p, unsigned entries, unsigned ways,
		    unsigned l2_entries, unsigned l2_ways, bool asid)
{
	memset(p, 0, sizeof(*p));
	if (check_level(entries, ways) ||
	    (l2_entries && check_level(l2_entries, l2_ways)))
		return -EINVAL;
	p->entries = entries;
	p->ways = ways;
	p->l2_entries = l2_entries;
	p->l2_ways = l2_entries ? l2_ways : 0;
	p->asid = asid;
	return 0;
}

static inline uint64_t make_key(uint64_t vpn, uint16_t asid)
{
	return vpn << TLB_ASID_BITS | (asid & ASID_MASK);
}

static inline uint64_t key_vpn(uint64_t key)
{
	return key >> TLB_ASID_BITS;
}

static inline uint32_t hash_key(const struct tlb_level *l, uint64_t key)
{
	return (uint32_t)((key * 0x9e3779b97f4a7c15ull) >> (64 - l->bucket_bits));
}

static inline unsigned set_of_vpn(const struct tlb_level *l, uint64_t vpn)
{
	return (unsigned)(vpn & (l->sets - 1));
}

/* ---- one level ----------------------------------------------------- */

/* Empties every way and links each set's list in way order. */
static void level_reset(struct tlb_level *l)
{
	for (unsigned s = 0; s < l->sets; s++) {
		uint32_t first = s * l->ways;

		for (unsigned w = 0; w < l->ways; w++) {
			struct tlb_entry *x = &l->e[first + w];

			x->key = KEY_EMPTY;
			x->hnext = NIL;
			x->prev = w ? first + w - 1 : NIL;
			x->next = w + 1 < l->ways ? first + w + 1 : NIL;
		}
		l->mru[s] = first;
		l->lru[s] = first + l->ways - 1;
	}
	memset(l->bucket, 0xff, sizeof(*l->bucket) << l->bucket_bits);
	l->nr_valid = 0;
}

static int level_init(struct tlb_level *l, unsigned entries, unsigned ways)
{
	unsigned bits = 1;

	memset(l, 0, sizeof(*l));
	if (!entries)
		return 0;
	l->entries = entries;
	l->ways = ways;
	l->sets = entries / ways;
	while ((1ull << bits) < 2ull * entries)
		bits++;
	l->bucket_bits = bits;
	l->e = malloc(sizeof(*l->e) * entries);
	l->bucket = malloc(sizeof(*l->bucket) << bits);
	l->mru = malloc(sizeof(*l->mru) * l->sets);
	l->lru = malloc(sizeof(*l->lru) * l->sets);
	if (!l->e || !l->bucket || !l->mru || !l->lru)
		return -ENOMEM;
	level_reset(l);
	return 0;
}

static void level_destroy(struct tlb_level *l)
{
	free(l->e);
	free(l->bucket);
	free(l->mru);
	free(l->lru);
	memset(l, 0, sizeof(*l));
}

static inline uint32_t level_find(const struct tlb_level *l, uint64_t key)
{
	uint32_t i = l->bucket[hash_key(l, key)];

	while (i != NIL && l->e[i].key != key)
		i = l->e[i].hnext;
	return i;
}

static void hash_remove(struct tlb_level *l, uint32_t idx)
{
	uint32_t *link = &l->bucket[hash_key(l, l->e[idx].key)];

	while (*link != idx) {
		SIM_BUG_ON(*link == NIL, "tlb entry %u not on its hash chain",
			   idx);
		link = &l->e[*link].hnext;
	}
	*link = l->e[idx].hnext;
	l->e[idx].hnext = NIL;
}

static inline void list_unlink(struct tlb_level *l, unsigned set, uint32_t idx)
{
	struct tlb_entry *x = &l->e[idx];

	if (x->prev != NIL)
		l->e[x->prev].next = x->next;
	else
		l->mru[set] = x->next;
	if (x->next != NIL)
		l->e[x->next].prev = x->prev;
	else
		l->lru[set] = x->prev;
}

/* Makes idx the most recent way of its set. */
static inline void lru_touch(struct tlb_level *l, unsigned set, uint32_t idx)
{
	struct tlb_entry *x = &l->e[idx];

	if (l->mru[set] == idx)
		return;
	list_unlink(l, set, idx);
	x->prev = NIL;
	x->next = l->mru[set];
	l->e[x->next].prev = idx;
	l->mru[set] = idx;
}

/* Moves the (now empty) way idx to the tail of its set. */
static void lru_to_tail(struct tlb_level *l, unsigned set, uint32_t idx)
{
	struct tlb_entry *x = &l->e[idx];

	if (l->lru[set] == idx)
		return;
	list_unlink(l, set, idx);
	x->next = NIL;
	x->prev = l->lru[set];
	l->e[x->prev].next = idx;
	l->lru[set] = idx;
}

static void level_drop(struct tlb_level *l, uint32_t idx)
{
	hash_remove(l, idx);
	l->e[idx].key = KEY_EMPTY;
	l->nr_valid--;
	lru_to_tail(l, idx / l->ways, idx);
}

static void level_fill(struct tlb_level *l, uint64_t key, uint64_t pfn,
		       uint64_t flags)
{
	unsigned set = set_of_vpn(l, key_vpn(key));
	uint32_t idx = level_find(l, key), *head;
	struct tlb_entry *x;

	if (idx == NIL) {
		idx = l->lru[set];
		x = &l->e[idx];
		if (x->key != KEY_EMPTY) {
			hash_remove(l, idx);
			l->stats.evictions++;
		} else {
			l->nr_valid++;
		}
		head = &l->bucket[hash_key(l, key)];
		x->key = key;
		x->hnext = *head;
		*head = idx;
	}
	x = &l->e[idx];
	x->pfn = pfn;
	x->flags = flags;
	l->stats.fills++;
	lru_touch(l, set, idx);
}

/* Drops the entries of one level that match; returns how many. */
static uint64_t level_drop_matching(struct tlb_level *l, bool any_asid,
				    uint16_t asid, uint64_t start_vpn,
				    uint64_t end_vpn)
{
	uint64_t dropped = 0;

	for (uint32_t i = 0; i < l->entries && l->nr_valid; i++) {
		uint64_t key = l->e[i].key, vpn;

		if (key == KEY_EMPTY)
			continue;
		vpn = key_vpn(key);
		if ((any_asid || (key & ASID_MASK) == asid) &&
		    vpn >= start_vpn && vpn < end_vpn) {
			level_drop(l, i);
			dropped++;
		}
	}
	return dropped;
}

/* ---- the TLB ------------------------------------------------------- */

int tlb_init(struct tlb *tlb, const struct tlb_params *p)
{
	memset(tlb, 0, sizeof(*tlb));
	if (check_level(p->entries, p->ways) ||
	    (p->l2_entries && check_level(p->l2_entries, p->l2_ways)))
		return -EINVAL;
	tlb->p = *p;
	if (level_init(&tlb->l1, p->entries, p->ways) ||
	    level_init(&tlb->l2, p->l2_entries, p->l2_ways)) {
		tlb_destroy(tlb);
		return -ENOMEM;
	}
	return 0;
}

void tlb_destroy(struct tlb *tlb)
{
	level_destroy(&tlb->l1);
	level_destroy(&tlb->l2);
}

static inline uint16_t tag(const struct tlb *tlb, uint16_t asid)
{
	return tlb->p.asid ? (uint16_t)(asid & ASID_MASK) : 0;
}

bool tlb_lookup(struct tlb *tlb, uint16_t asid, uint64_t vpn,
		struct tlb_hit *hit)
{
	uint64_t key = make_key(vpn, tag(tlb, asid));
	struct tlb_level *l1 = &tlb->l1, *l2 = &tlb->l2;
	uint32_t idx = level_find(l1, key);

	if (likely(idx != NIL)) {
		l1->stats.hits++;
		lru_touch(l1, set_of_vpn(l1, vpn), idx);
		hit->pfn = l1->e[idx].pfn;
		hit->flags = l1->e[idx].flags;
		hit->level = 1;
		return true;
	}
	l1->stats.misses++;
	if (!l2->entries)
		return false;
	idx = level_find(l2, key);
	if (idx == NIL) {
		l2->stats.misses++;
		return false;
	}
	l2->stats.hits++;
	lru_touch(l2, set_of_vpn(l2, vpn), idx);
	hit->pfn = l2->e[idx].pfn;
	hit->flags = l2->e[idx].flags;
	hit->level = 2;
	level_fill(l1, key, hit->pfn, hit->flags);
	return true;
}

unsigned tlb_probe(const struct tlb *tlb, uint16_t asid, uint64_t vpn)
{
	uint64_t key = make_key(vpn, tag(tlb, asid));

	if (level_find(&tlb->l1, key) != NIL)
		return 1;
	if (tlb->l2.entries && level_find(&tlb->l2, key) != NIL)
		return 2;
	return 0;
}

void tlb_fill(struct tlb *tlb, uint16_t asid, uint64_t vpn, uint64_t pfn,
	      uint64_t flags)
{
	uint64_t key = make_key(vpn, tag(tlb, asid));

	SIM_BUG_ON(key_vpn(key) != vpn || key == KEY_EMPTY,
		   "vpn 0x%" PRIx64 " does not fit a TLB tag", vpn);
	level_fill(&tlb->l1, key, pfn, flags);
	if (tlb->l2.entries)
		level_fill(&tlb->l2, key, pfn, flags);
}

void tlb_flush_all(struct tlb *tlb)
{
	tlb->stats.flushes++;
	tlb->stats.entries_dropped += tlb->l1.nr_valid + tlb->l2.nr_valid;
	if (tlb->l1.nr_valid)
		level_reset(&tlb->l1);
	if (tlb->l2.entries && tlb->l2.nr_valid)
		level_reset(&tlb->l2);
}

void tlb_flush_asid(struct tlb *tlb, uint16_t asid)
{
	uint16_t t = tag(tlb, asid);

	tlb->stats.asid_flushes++;
	tlb->stats.entries_dropped +=
		level_drop_matching(&tlb->l1, false, t, 0, UINT64_MAX);
	if (tlb->l2.entries)
		tlb->stats.entries_dropped +=
			level_drop_matching(&tlb->l2, false, t, 0, UINT64_MAX);
}

/* Drops the range from one level, probing page by page when shorter. */
static uint64_t level_invalidate(struct tlb_level *l, uint16_t t,
				 uint64_t start_vpn, uint64_t end_vpn)
{
	uint64_t dropped = 0;

	if (!l->entries || !l->nr_valid || start_vpn >= end_vpn)
		return 0;
	if (end_vpn - start_vpn > l->entries)
		return level_drop_matching(l, false, t, start_vpn, end_vpn);
	for (uint64_t vpn = start_vpn; vpn < end_vpn; vpn++) {
		uint32_t idx = level_find(l, make_key(vpn, t));

		if (idx != NIL) {
			level_drop(l, idx);
			dropped++;
		}
	}
	return dropped;
}

void tlb_invalidate_range(struct tlb *tlb, uint16_t asid, uint64_t start_vpn,
			  uint64_t end_vpn)
{
	uint16_t t = tag(tlb, asid);

	tlb->stats.invalidations++;
	tlb->stats.entries_dropped +=
		level_invalidate(&tlb->l1, t, start_vpn, end_vpn) +
		level_invalidate(&tlb->l2, t, start_vpn, end_vpn);
}

/* ---- validation ---------------------------------------------------- */

static int level_validate(const struct tlb_level *l, const char *name,
			  char *why, size_t len)
{
	uint64_t valid = 0, chained = 0;

	for (unsigned s = 0; s < l->sets; s++) {
		uint32_t i = l->mru[s], prev = NIL;
		unsigned n = 0;
		bool seen_empty = false;

		for (; i != NIL; prev = i, i = l->e[i].next) {
			const struct tlb_entry *x = &l->e[i];

			if (i / l->ways != s || ++n > l->ways)
				return validate_fail(why, len, "%s set %u: list holds "
					    "way %u of another set or loops",
					    name, s, i);
			if (x->prev != prev)
				return validate_fail(why, len, "%s set %u: way %u has "
					    "a wrong prev link", name, s, i);
			if (x->key == KEY_EMPTY) {
				seen_empty = true;
				continue;
			}
			if (seen_empty)
				return validate_fail(why, len, "%s set %u: valid way %u "
					    "after an empty one", name, s, i);
			valid++;
			if (set_of_vpn(l, key_vpn(x->key)) != s)
				return validate_fail(why, len, "%s: vpn 0x%" PRIx64
					    " in set %u", name,
					    key_vpn(x->key), s);
			if (level_find(l, x->key) != i)
				return validate_fail(why, len, "%s: key 0x%" PRIx64
					    " missing from its hash chain or "
					    "cached twice", name, x->key);
		}
		if (n != l->ways || prev != l->lru[s])
			return validate_fail(why, len, "%s set %u: list of %u ways, "
				    "tail mismatch", name, s, n);
	}
	for (uint64_t b = 0; b < (1ull << l->bucket_bits); b++)
		for (uint32_t i = l->bucket[b]; i != NIL; i = l->e[i].hnext) {
			if (l->e[i].key == KEY_EMPTY ||
			    hash_key(l, l->e[i].key) != b ||
			    ++chained > l->entries)
				return validate_fail(why, len, "%s bucket %" PRIu64
					    ": bad chain at way %u", name, b,
					    i);
		}
	if (valid != l->nr_valid || chained != valid)
		return validate_fail(why, len, "%s: nr_valid %" PRIu64 ", counted %"
			    PRIu64 " on lists, %" PRIu64 " on chains", name,
			    l->nr_valid, valid, chained);
	return 0;
}

int tlb_validate(const struct tlb *tlb, char *why, size_t len)
{
	int err = level_validate(&tlb->l1, "L1", why, len);

	if (!err && tlb->l2.entries)
		err = level_validate(&tlb->l2, "L2", why, len);
	return err;
}
