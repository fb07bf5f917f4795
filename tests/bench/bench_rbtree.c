/*
 * bench_rbtree.c - speed of sim/lib/rbtree.c, plain and augmented.
 *
 * 1e6 distinct keys are inserted in a random order (the caller's descent
 * included, as every user writes one) and then erased by node pointer in
 * another random order. The augmented tree keeps a subtree maximum, the
 * shape of the VMA tree's rb_subtree_gap. Figures per operation:
 *   rb_insert_ns, rb_erase_ns, rb_insert_augmented_ns, rb_erase_augmented_ns
 * plus, on the plain tree, rb_walk_ns (rb_first + rb_next over the full
 * tree, per node) and rb_search_ns (a lookup of a random present key: the
 * descent that dominates an insert into a tree larger than the caches).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "lib/rbtree.h"
#include "lib/rbtree_augmented.h"

#define BENCH_RB_N 1000000u

struct bnode {
	struct rb_node rb;	/* in the benchmark tree, ordered by key */
	uint64_t key;		/* sort key, distinct */
	uint64_t val;		/* the node's own value */
	uint64_t subtree_max;	/* max of val over the subtree (augmented run) */
};

static inline uint64_t bnode_val(struct bnode *n)
{
	return n->val;
}

RB_DECLARE_CALLBACKS_MAX(static, bnode_cb, struct bnode, rb, uint64_t,
			 subtree_max, bnode_val);

static void bench_shuffle(uint32_t *a, uint32_t n, uint64_t *rng)
{
	for (uint32_t i = n; i > 1; i--) {
		uint32_t j = (uint32_t)(bench_rand(rng) % i);
		uint32_t t = a[i - 1];

		a[i - 1] = a[j];
		a[j] = t;
	}
}

static void bench_insert(struct rb_root *root, struct bnode *n, bool augmented)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		if (n->key < rb_entry(parent, struct bnode, rb)->key)
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&n->rb, parent, link);
	if (augmented) {
		n->subtree_max = 0;
		rb_insert_augmented(&n->rb, root, &bnode_cb);
	} else {
		rb_insert_color(&n->rb, root);
	}
}

static struct bnode *bench_search(const struct rb_root *root, uint64_t key)
{
	struct rb_node *rb = root->rb_node;

	while (rb) {
		struct bnode *n = rb_entry(rb, struct bnode, rb);

		if (key < n->key)
			rb = rb->rb_left;
		else if (key > n->key)
			rb = rb->rb_right;
		else
			return n;
	}
	return NULL;
}

static void bench_rb_run(bool augmented)
{
	uint64_t rng = 0x62656e6368726231ULL;
	struct bnode *pool = calloc(BENCH_RB_N, sizeof(*pool));
	uint32_t *order = malloc(BENCH_RB_N * sizeof(*order));
	struct rb_root root = RB_ROOT;
	uint64_t t0, t1, sum = 0;

	if (!pool || !order) {
		fprintf(stderr, "bench_rbtree: out of memory\n");
		exit(1);
	}
	/* Keys are the pool index, so node addresses follow key order. */
	for (uint32_t i = 0; i < BENCH_RB_N; i++) {
		order[i] = i;
		pool[i].key = i;
		pool[i].val = bench_rand(&rng);
	}
	bench_shuffle(order, BENCH_RB_N, &rng);

	t0 = bench_now_ns();
	for (uint32_t i = 0; i < BENCH_RB_N; i++)
		bench_insert(&root, &pool[order[i]], augmented);
	t1 = bench_now_ns();
	bench_report(augmented ? "rb_insert_augmented_ns" : "rb_insert_ns",
		     (double)(t1 - t0) / BENCH_RB_N, "ns");

	if (!augmented) {
		t0 = bench_now_ns();
		for (struct rb_node *rb = rb_first(&root); rb; rb = rb_next(rb))
			sum += rb_entry(rb, struct bnode, rb)->key;
		t1 = bench_now_ns();
		if (sum != (uint64_t)BENCH_RB_N * (BENCH_RB_N - 1) / 2)
			fprintf(stderr, "bench_rbtree: walk sum is wrong\n");
		bench_report("rb_walk_ns", (double)(t1 - t0) / BENCH_RB_N, "ns");

		/* The descent alone, to tell it from the rebalancing. */
		bench_shuffle(order, BENCH_RB_N, &rng);
		t0 = bench_now_ns();
		for (uint32_t i = 0; i < BENCH_RB_N; i++)
			sum += bench_search(&root, order[i]) != NULL;
		t1 = bench_now_ns();
		bench_report("rb_search_ns", (double)(t1 - t0) / BENCH_RB_N,
			     "ns");
	}

	bench_shuffle(order, BENCH_RB_N, &rng);
	t0 = bench_now_ns();
	for (uint32_t i = 0; i < BENCH_RB_N; i++) {
		if (augmented)
			rb_erase_augmented(&pool[order[i]].rb, &root,
					   &bnode_cb);
		else
			rb_erase(&pool[order[i]].rb, &root);
	}
	t1 = bench_now_ns();
	bench_report(augmented ? "rb_erase_augmented_ns" : "rb_erase_ns",
		     (double)(t1 - t0) / BENCH_RB_N, "ns");
	if (!RB_EMPTY_ROOT(&root))
		fprintf(stderr, "bench_rbtree: tree not empty after erase\n");
	free(order);
	free(pool);
}

BENCH(rbtree_plain)
{
	bench_rb_run(false);
}

BENCH(rbtree_augmented)
{
	bench_rb_run(true);
}
