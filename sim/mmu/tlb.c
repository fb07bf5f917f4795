/*
 * tlb.c - the set-associative, LRU, optionally two-level and ASID-tagged
 * TLB (see tlb.h for what it models, the NINE choice and the stamps).
 *
 * Layout of one level with sets = 4, ways = 2:
 *
 *     e[]:     | s0 w0 | s0 w1 | s1 w0 | s1 w1 | s2 w0 | ... | s3 w1 |
 *     free[]:  set s's empty ways at s * ways, set[s].nr_free of them
 *     age[]:   set s's ways by stamp at its last sort, at s * ways;
 *              candidates are set[s].pos .. set[s].len - 1
 *     bucket[hash(key)] -> entry -> hnext -> ...   (valid entries only)
 *
 * Why the first unchanged way of the age order is the LRU: the order was
 * taken at some clock value T, so every way still holding the stamp it
 * had then was last used before T, and every other valid way was used or
 * filled after T. Stamps only grow and are never reused, so a changed way
 * never matches its old record.
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

#define NIL UINT32_MAX             /* end of a hash chain */
#define KEY_EMPTY UINT64_MAX       /* key of an empty way */
#define ASID_MASK (TLB_NR_ASIDS - 1ull)

/*
 * Sets of at most this many ways find their LRU by looking at every
 * stamp: cheaper than keeping an age order when most of a small set is
 * used between two of its evictions, as under random access.
 */
#define TLB_SCAN_WAYS 16

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

/* Empties every way; each set's free stack hands out way 0 first. */
static void level_reset(struct tlb_level *l)
{
	for (unsigned s = 0; s < l->sets; s++) {
		uint32_t first = s * l->ways;

		for (unsigned w = 0; w < l->ways; w++) {
			struct tlb_entry *x = &l->e[first + w];

			x->key = KEY_EMPTY;
			l->stamp[first + w] = 0;
			x->hnext = NIL;
			l->free[first + w] = first + l->ways - 1 - w;
		}
		l->set[s] = (struct tlb_set){ .nr_free = l->ways };
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
	l->set = malloc(sizeof(*l->set) * l->sets);
	l->free = malloc(sizeof(*l->free) * entries);
	l->stamp = malloc(sizeof(*l->stamp) * entries);
	if (!l->e || !l->bucket || !l->stamp || !l->set || !l->free)
		return -ENOMEM;
	if (ways > TLB_SCAN_WAYS) {
		/* only sets too large to scan keep an age order */
		l->age = malloc(sizeof(*l->age) * entries);
		l->sort_tmp = malloc(sizeof(*l->sort_tmp) * ways);
		if (!l->age || !l->sort_tmp)
			return -ENOMEM;
	}
	level_reset(l);
	return 0;
}

static void level_destroy(struct tlb_level *l)
{
	free(l->e);
	free(l->bucket);
	free(l->set);
	free(l->free);
	free(l->stamp);
	free(l->age);
	free(l->sort_tmp);
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

/* Makes idx the most recent way of its set. */
static inline void lru_touch(struct tlb_level *l, uint32_t idx)
{
	l->stamp[idx] = ++l->clock;
}

static int stamp_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/*
 * Sorts n age records by stamp, using tmp (n records): a bottom-up merge
 * sort, after a check that makes the common presorted case (ways taken in
 * age order and refilled in that order, as a streaming scan does) O(n).
 */
static void age_sort(struct tlb_age *a, struct tlb_age *tmp, uint32_t n)
{
	struct tlb_age *src = a, *dst = tmp, *t;
	uint32_t i = 1;

	while (i < n && a[i - 1].stamp < a[i].stamp)
		i++;
	if (i >= n)
		return;
	for (uint32_t width = 1; width < n; width *= 2) {
		for (uint32_t lo = 0; lo < n; lo += 2 * width) {
			uint32_t mid = lo + width < n ? lo + width : n;
			uint32_t hi = mid + width < n ? mid + width : n;
			uint32_t x = lo, y = mid, k = lo;

			while (x < mid && y < hi)
				dst[k++] = src[x].stamp < src[y].stamp ? src[x++]
								       : src[y++];
			while (x < mid)
				dst[k++] = src[x++];
			while (y < hi)
				dst[k++] = src[y++];
		}
		t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		memcpy(a, src, sizeof(*a) * n);
}

/*
 * The LRU way of a full set of at most TLB_SCAN_WAYS ways starting at
 * first: the least of (stamp << 4 | way) names it, with no branch (which
 * way is oldest is anybody's guess) and two chains of compares instead of
 * one. Stamps stay below 2^60.
 */
static uint32_t oldest_scanned(const struct tlb_level *l, uint32_t first)
{
	const uint64_t *stamp = &l->stamp[first];
	uint64_t a = UINT64_MAX, b = UINT64_MAX, x, y;
	uint32_t w;

	for (w = 0; w + 1 < l->ways; w += 2) {
		x = stamp[w] << 4 | w;
		y = stamp[w + 1] << 4 | (w + 1);
		a = x < a ? x : a;
		b = y < b ? y : b;
	}
	if (w < l->ways) {
		x = stamp[w] << 4 | w;
		a = x < a ? x : a;
	}
	return first + (uint32_t)((a < b ? a : b) & 15);
}

/* The LRU way of a full larger set s, through its age order. */
static uint32_t oldest_by_age(struct tlb_level *l, unsigned s)
{
	struct tlb_set *st = &l->set[s];
	uint32_t first = s * l->ways;
	struct tlb_age *age = &l->age[first];

	for (;;) {
		while (st->pos < st->len) {
			const struct tlb_age *a = &age[st->pos++];

			if (l->stamp[a->idx] == a->stamp)
				return a->idx;
		}
		/*
		 * Every way is valid (none is free): sort them by age, taking
		 * them in the last order, which is often still the order.
		 */
		if (st->len == l->ways)
			for (uint32_t w = 0; w < l->ways; w++)
				age[w].stamp = l->stamp[age[w].idx];
		else
			for (uint32_t w = 0; w < l->ways; w++)
				age[w] = (struct tlb_age){
					l->stamp[first + w], first + w };
		age_sort(age, l->sort_tmp, l->ways);
		st->pos = 0;
		st->len = l->ways;
	}
}

/* The way a fill of set s takes: an empty one, else the LRU. */
static uint32_t victim(struct tlb_level *l, unsigned s)
{
	struct tlb_set *st = &l->set[s];

	if (st->nr_free)
		return l->free[s * l->ways + --st->nr_free];
	if (l->ways <= TLB_SCAN_WAYS)
		return oldest_scanned(l, s * l->ways);
	return oldest_by_age(l, s);
}

static void level_drop(struct tlb_level *l, uint32_t idx)
{
	unsigned s = idx / l->ways;

	hash_remove(l, idx);
	l->e[idx].key = KEY_EMPTY;
	l->stamp[idx] = 0;
	l->free[s * l->ways + l->set[s].nr_free++] = idx;
	l->nr_valid--;
}

/* Caches key -> pfn in l; returns the entry's index. */
static uint32_t level_fill(struct tlb_level *l, uint64_t key, uint64_t pfn,
			   uint64_t flags)
{
	uint32_t idx = level_find(l, key), *head;
	struct tlb_entry *x;

	if (idx == NIL) {
		idx = victim(l, set_of_vpn(l, key_vpn(key)));
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
	lru_touch(l, idx);
	return idx;
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

const struct tlb_entry *tlb_lookup_l2(struct tlb *tlb, uint16_t asid,
				      uint64_t vpn)
{
	uint64_t key = make_key(vpn, tag(tlb, asid));
	struct tlb_level *l2 = &tlb->l2;
	const struct tlb_entry *x;
	uint32_t idx;

	if (!l2->entries)
		return NULL;
	idx = level_find(l2, key);
	if (idx == NIL) {
		l2->stats.misses++;
		return NULL;
	}
	l2->stats.hits++;
	lru_touch(l2, idx);
	x = &l2->e[idx];
	return &tlb->l1.e[level_fill(&tlb->l1, key, x->pfn, x->flags)];
}

const struct tlb_entry *tlb_lookup_l1(struct tlb *tlb, uint16_t asid,
				      uint64_t vpn)
{
	struct tlb_level *l1 = &tlb->l1;
	uint32_t idx = level_find(l1, make_key(vpn, tag(tlb, asid)));

	if (unlikely(idx == NIL)) {
		l1->stats.misses++;
		return NULL;
	}
	l1->stats.hits++;
	lru_touch(l1, idx);
	return &l1->e[idx];
}

const struct tlb_entry *tlb_lookup(struct tlb *tlb, uint16_t asid,
				   uint64_t vpn)
{
	const struct tlb_entry *x = tlb_lookup_l1(tlb, asid, vpn);

	return x ? x : tlb_lookup_l2(tlb, asid, vpn);
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
	uint64_t *stamps = malloc(sizeof(*stamps) * (l->ways ? l->ways : 1));
	unsigned char *seen = calloc(l->ways ? l->ways : 1, 1);
	int err = 0;

	if (!stamps || !seen) {
		free(stamps);
		free(seen);
		return validate_fail(why, len, "%s: no memory to validate", name);
	}
	for (unsigned s = 0; s < l->sets && !err; s++) {
		const struct tlb_set *st = &l->set[s];
		uint32_t first = s * l->ways, n = 0, empty = 0;

		memset(seen, 0, l->ways);
		for (unsigned w = 0; w < l->ways && !err; w++) {
			const struct tlb_entry *x = &l->e[first + w];
			uint64_t stamp = l->stamp[first + w];

			if (x->key == KEY_EMPTY) {
				empty++;
				if (stamp)
					err = validate_fail(why, len, "%s way %u: "
						"empty with stamp %" PRIu64,
						name, first + w, stamp);
				continue;
			}
			valid++;
			if (!stamp || stamp > l->clock)
				err = validate_fail(why, len, "%s way %u: stamp %"
					PRIu64 " outside 1..%" PRIu64, name,
					first + w, stamp, l->clock);
			else if (set_of_vpn(l, key_vpn(x->key)) != s)
				err = validate_fail(why, len, "%s: vpn 0x%" PRIx64
					" in set %u", name, key_vpn(x->key), s);
			else if (level_find(l, x->key) != first + w)
				err = validate_fail(why, len, "%s: key 0x%" PRIx64
					" missing from its hash chain or "
					"cached twice", name, x->key);
			stamps[n++] = stamp;
		}
		if (err)
			break;
		qsort(stamps, n, sizeof(*stamps), stamp_cmp);
		for (uint32_t i = 1; i < n && !err; i++)
			if (stamps[i] == stamps[i - 1])
				err = validate_fail(why, len, "%s set %u: stamp %"
					PRIu64 " twice", name, s, stamps[i]);
		if (!err && st->nr_free != empty)
			err = validate_fail(why, len, "%s set %u: %u empty ways, "
				"%u on the free stack", name, s, empty,
				st->nr_free);
		for (uint32_t i = 0; i < st->nr_free && !err; i++) {
			uint32_t w = l->free[first + i];

			if (w < first || w - first >= l->ways ||
			    l->e[w].key != KEY_EMPTY || seen[w - first]++)
				err = validate_fail(why, len, "%s set %u: free "
					"stack holds way %u", name, s, w);
		}
		if (!err && (st->pos > st->len || st->len > l->ways))
			err = validate_fail(why, len, "%s set %u: age order "
				"pos %u len %u", name, s, st->pos, st->len);
		for (uint32_t i = st->pos; i < st->len && !err; i++) {
			const struct tlb_age *a = &l->age[first + i];

			if (a->idx < first || a->idx - first >= l->ways ||
			    (i > st->pos && a->stamp <= a[-1].stamp))
				err = validate_fail(why, len, "%s set %u: age "
					"order broken at %u", name, s, i);
		}
	}
	free(stamps);
	free(seen);
	if (err)
		return err;
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
			    PRIu64 " in sets, %" PRIu64 " on chains", name,
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
