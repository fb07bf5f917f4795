/*
 * test_rbtree.c - suite rbtree: sim/lib/rbtree.c and rbtree_augmented.h.
 *
 * Exact shapes and colours for small trees, every navigation function at its
 * edges, the validator's four verdicts, and long fixed-seed random runs
 * checked against a naive model after every operation: red-black properties
 * (rb_validate), in-order keys equal to the model, and every augmented value
 * recomputed from scratch. Two augmentations are used: a subtree maximum
 * (RB_DECLARE_CALLBACKS_MAX, the shape of Linux's rb_subtree_gap) and a
 * subtree node count (RB_DECLARE_CALLBACKS, which never stops early).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "lib/list.h"
#include "lib/rbtree.h"
#include "lib/rbtree_augmented.h"

/* --- a node with a subtree-maximum augmentation ----------------------- */

struct tnode {
	struct rb_node rb;	/* in the test tree, ordered by key */
	uint32_t key;		/* sort key, distinct within a tree */
	uint32_t val;		/* this node's own value */
	uint32_t subtree_max;	/* max of val over this node's subtree */
};

static inline uint32_t tnode_val(struct tnode *n)
{
	return n->val;
}

RB_DECLARE_CALLBACKS_MAX(static, tnode_cb, struct tnode, rb, uint32_t,
			 subtree_max, tnode_val);

static inline struct tnode *tn(const struct rb_node *rb)
{
	return rb ? rb_entry(rb, struct tnode, rb) : NULL;
}

/* Inserts n by key; false (tree untouched) if the key is already there. */
static bool tree_insert(struct rb_root *root, struct tnode *n, bool augmented)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;

	while (*link) {
		struct tnode *t = tn(*link);

		parent = *link;
		if (n->key < t->key)
			link = &parent->rb_left;
		else if (n->key > t->key)
			link = &parent->rb_right;
		else
			return false;
	}
	rb_link_node(&n->rb, parent, link);
	if (augmented) {
		n->subtree_max = 0;	/* covered by every ancestor */
		rb_insert_augmented(&n->rb, root, &tnode_cb);
	} else {
		rb_insert_color(&n->rb, root);
	}
	return true;
}

static struct tnode *tree_search(const struct rb_root *root, uint32_t key)
{
	struct rb_node *n = root->rb_node;

	while (n) {
		struct tnode *t = tn(n);

		if (key < t->key)
			n = n->rb_left;
		else if (key > t->key)
			n = n->rb_right;
		else
			return t;
	}
	return NULL;
}

/* Recomputes every subtree_max from scratch and fails on a stale one. */
static uint32_t check_subtree_max(const struct rb_node *rb)
{
	const struct tnode *n = rb_entry(rb, struct tnode, rb);
	uint32_t max = n->val, sub;

	if (rb->rb_left) {
		sub = check_subtree_max(rb->rb_left);
		if (sub > max)
			max = sub;
	}
	if (rb->rb_right) {
		sub = check_subtree_max(rb->rb_right);
		if (sub > max)
			max = sub;
	}
	if (n->subtree_max != max)
		cr_assert_fail("key %u: subtree_max %u, recomputed %u",
			       n->key, n->subtree_max, max);
	return max;
}

static int check_rb(const struct rb_root *root)
{
	char why[160];
	int bh = rb_validate(root, why, sizeof(why));

	if (bh < 0)
		cr_assert_fail("rb_validate: %s", why);
	return bh;
}

/*
 * Full check against a model of present keys in [0, range): properties,
 * in-order keys forward (and backward if reverse), and (if augmented)
 * subtree maxima.
 */
static void check_against_model(const struct rb_root *root,
				const bool *present, uint32_t range,
				bool augmented, bool reverse)
{
	const struct rb_node *rb = rb_first(root);
	const struct rb_node *back = rb_last(root);

	check_rb(root);
	for (uint32_t k = 0; k < range; k++) {
		if (!present[k])
			continue;
		if (!rb)
			cr_assert_fail("in-order walk ended before key %u", k);
		if (tn(rb)->key != k)
			cr_assert_fail("in-order walk: key %u, model %u",
				       tn(rb)->key, k);
		rb = rb_next(rb);
	}
	if (rb)
		cr_assert_fail("in-order walk: extra key %u", tn(rb)->key);
	for (uint32_t k = range; reverse && k-- > 0;) {
		if (!present[k])
			continue;
		if (!back || tn(back)->key != k)
			cr_assert_fail("reverse walk: model key %u missing", k);
		back = rb_prev(back);
	}
	if (reverse && back)
		cr_assert_fail("reverse walk: extra key %u", tn(back)->key);
	if (augmented && root->rb_node)
		check_subtree_max(root->rb_node);
}

/* --- exact small cases ------------------------------------------------- */

Test(rbtree, node_is_three_words)
{
	cr_assert_eq(sizeof(struct rb_node), 3 * sizeof(void *));
	cr_assert_eq(sizeof(struct rb_node), 24);
}

Test(rbtree, empty_tree_has_no_first_last_and_height_zero)
{
	struct rb_root root = RB_ROOT;

	cr_assert(RB_EMPTY_ROOT(&root));
	cr_assert_null(rb_first(&root));
	cr_assert_null(rb_last(&root));
	cr_assert_eq(rb_validate(&root, NULL, 0), 0);
}

/* Colour of a node as a letter, for shape assertions. */
static char colour(const struct rb_node *rb)
{
	return rb_is_black(rb) ? 'B' : 'R';
}

Test(rbtree, ascending_inserts_give_linux_shape)
{
	struct rb_root root = RB_ROOT;
	struct tnode n[8];

	memset(n, 0, sizeof(n));
	for (uint32_t k = 1; k <= 7; k++) {
		n[k].key = k;
		cr_assert(tree_insert(&root, &n[k], false));
		check_rb(&root);
	}
	/*
	 *          2B
	 *         /  \
	 *       1B    4R
	 *            /  \
	 *          3B    6B
	 *               /  \
	 *             5R    7R
	 */
	cr_assert_eq(root.rb_node, &n[2].rb);
	cr_assert_eq(colour(&n[2].rb), 'B');
	cr_assert_eq(n[2].rb.rb_left, &n[1].rb);
	cr_assert_eq(n[2].rb.rb_right, &n[4].rb);
	cr_assert_eq(colour(&n[1].rb), 'B');
	cr_assert_eq(colour(&n[4].rb), 'R');
	cr_assert_eq(n[4].rb.rb_left, &n[3].rb);
	cr_assert_eq(n[4].rb.rb_right, &n[6].rb);
	cr_assert_eq(colour(&n[3].rb), 'B');
	cr_assert_eq(colour(&n[6].rb), 'B');
	cr_assert_eq(n[6].rb.rb_left, &n[5].rb);
	cr_assert_eq(n[6].rb.rb_right, &n[7].rb);
	cr_assert_eq(colour(&n[5].rb), 'R');
	cr_assert_eq(colour(&n[7].rb), 'R');
	cr_assert_null(rb_parent(&n[2].rb));
	cr_assert_eq(rb_parent(&n[5].rb), &n[6].rb);
	cr_assert_eq(rb_validate(&root, NULL, 0), 2);
	cr_assert_not(tree_insert(&root, &(struct tnode){ .key = 4 }, false),
		      "a duplicate key is refused by the caller's descent");
}

Test(rbtree, first_last_next_prev_walk_exactly)
{
	struct rb_root root = RB_ROOT;
	struct tnode n[10];
	static const uint32_t order[10] = { 5, 2, 8, 0, 9, 3, 7, 1, 6, 4 };

	memset(n, 0, sizeof(n));
	for (int i = 0; i < 10; i++) {
		n[order[i]].key = order[i] * 10;
		tree_insert(&root, &n[order[i]], false);
	}
	cr_assert_eq(rb_first(&root), &n[0].rb);
	cr_assert_eq(rb_last(&root), &n[9].rb);
	for (int k = 0; k < 10; k++) {
		struct rb_node *next = rb_next(&n[k].rb);
		struct rb_node *prev = rb_prev(&n[k].rb);

		cr_assert_eq(next, k < 9 ? &n[k + 1].rb : NULL, "next of %d", k);
		cr_assert_eq(prev, k > 0 ? &n[k - 1].rb : NULL, "prev of %d", k);
	}
	/* Single node: it is first and last, with no neighbours. */
	struct rb_root one = RB_ROOT;
	struct tnode a = { .key = 1 };

	tree_insert(&one, &a, false);
	cr_assert_eq(rb_first(&one), &a.rb);
	cr_assert_eq(rb_last(&one), &a.rb);
	cr_assert_null(rb_next(&a.rb));
	cr_assert_null(rb_prev(&a.rb));
	cr_assert_eq(colour(&a.rb), 'B');
	cr_assert_eq(rb_validate(&one, NULL, 0), 1);
}

Test(rbtree, cleared_node_is_empty_and_has_no_neighbours)
{
	struct rb_root root = RB_ROOT;
	struct tnode n[3] = { { .key = 1 }, { .key = 2 }, { .key = 3 } };

	for (int i = 0; i < 3; i++)
		tree_insert(&root, &n[i], false);
	cr_assert_not(RB_EMPTY_NODE(&n[1].rb));
	rb_erase(&n[1].rb, &root);
	RB_CLEAR_NODE(&n[1].rb);
	cr_assert(RB_EMPTY_NODE(&n[1].rb));
	cr_assert_null(rb_next(&n[1].rb));
	cr_assert_null(rb_prev(&n[1].rb));
	cr_assert_eq(rb_next(&n[0].rb), &n[2].rb);
	check_rb(&root);
	rb_erase(&n[0].rb, &root);
	rb_erase(&n[2].rb, &root);
	cr_assert(RB_EMPTY_ROOT(&root));
}

Test(rbtree, replace_node_keeps_shape_colour_and_links)
{
	struct rb_root root = RB_ROOT;
	struct tnode n[8], r4 = { .key = 4 }, r2 = { .key = 2 };

	memset(n, 0, sizeof(n));
	for (uint32_t k = 1; k <= 7; k++) {
		n[k].key = k;
		tree_insert(&root, &n[k], false);
	}
	/* Inner red node with two children (see the shape test). */
	rb_replace_node(&n[4].rb, &r4.rb, &root);
	cr_assert_eq(n[2].rb.rb_right, &r4.rb);
	cr_assert_eq(rb_parent(&r4.rb), &n[2].rb);
	cr_assert_eq(r4.rb.rb_left, &n[3].rb);
	cr_assert_eq(r4.rb.rb_right, &n[6].rb);
	cr_assert_eq(rb_parent(&n[3].rb), &r4.rb);
	cr_assert_eq(rb_parent(&n[6].rb), &r4.rb);
	cr_assert_eq(colour(&r4.rb), 'R');
	cr_assert_eq(rb_next(&n[3].rb), &r4.rb);
	cr_assert_eq(rb_prev(&n[6].rb), &n[5].rb);
	cr_assert_eq(rb_prev(&n[5].rb), &r4.rb);
	/* The root. */
	rb_replace_node(&n[2].rb, &r2.rb, &root);
	cr_assert_eq(root.rb_node, &r2.rb);
	cr_assert_null(rb_parent(&r2.rb));
	cr_assert_eq(colour(&r2.rb), 'B');
	cr_assert_eq(rb_parent(&n[1].rb), &r2.rb);
	cr_assert_eq(rb_parent(&r4.rb), &r2.rb);
	/* A leaf. */
	struct tnode r7 = { .key = 7 };

	rb_replace_node(&n[7].rb, &r7.rb, &root);
	cr_assert_eq(n[6].rb.rb_right, &r7.rb);
	cr_assert_eq(rb_last(&root), &r7.rb);
	cr_assert_eq(rb_validate(&root, NULL, 0), 2);

	uint32_t want = 1;

	for (struct rb_node *rb = rb_first(&root); rb; rb = rb_next(rb))
		cr_assert_eq(tn(rb)->key, want++);
	cr_assert_eq(want, 8);
}

/* --- the validator's verdicts ----------------------------------------- */

/* Builds 2B(1?, 3?) by hand with the given colours. */
static void build3(struct rb_root *root, struct tnode n[4],
		   unsigned long c1, unsigned long c2, unsigned long c3)
{
	memset(n, 0, 4 * sizeof(*n));
	root->rb_node = &n[2].rb;
	rb_set_parent_color(&n[2].rb, NULL, c2);
	n[2].rb.rb_left = &n[1].rb;
	n[2].rb.rb_right = &n[3].rb;
	rb_set_parent_color(&n[1].rb, &n[2].rb, c1);
	rb_set_parent_color(&n[3].rb, &n[2].rb, c3);
}

Test(rbtree, validate_accepts_good_and_names_each_violation)
{
	struct rb_root root;
	struct tnode n[4], extra = { .key = 0 };
	char why[160];

	build3(&root, n, RB_RED, RB_BLACK, RB_RED);
	cr_assert_eq(rb_validate(&root, why, sizeof(why)), 1);
	build3(&root, n, RB_BLACK, RB_BLACK, RB_BLACK);
	cr_assert_eq(rb_validate(&root, why, sizeof(why)), 2);

	build3(&root, n, RB_RED, RB_RED, RB_RED);
	cr_assert_eq(rb_validate(&root, why, sizeof(why)), -1);
	cr_assert(strstr(why, "root") && strstr(why, "is red"), "%s", why);

	build3(&root, n, RB_BLACK, RB_BLACK, RB_RED);
	cr_assert_eq(rb_validate(&root, why, sizeof(why)), -1);
	cr_assert(strstr(why, "unequal black heights"), "%s", why);

	build3(&root, n, RB_RED, RB_BLACK, RB_RED);
	n[1].rb.rb_left = &extra.rb;
	rb_set_parent_color(&extra.rb, &n[1].rb, RB_RED);
	cr_assert_eq(rb_validate(&root, why, sizeof(why)), -1);
	cr_assert(strstr(why, "red node") && strstr(why, "red child"), "%s",
		  why);

	build3(&root, n, RB_RED, RB_BLACK, RB_RED);
	rb_set_parent_color(&n[3].rb, &n[1].rb, RB_RED);
	cr_assert_eq(rb_validate(&root, why, sizeof(why)), -1);
	cr_assert(strstr(why, "parent pointer"), "%s", why);

	/* A root that claims a parent is a wrong parent pointer too. */
	build3(&root, n, RB_RED, RB_BLACK, RB_RED);
	rb_set_parent_color(&n[2].rb, &extra.rb, RB_BLACK);
	cr_assert_eq(rb_validate(&root, NULL, 0), -1);
}

/* --- augmented: exact erase cases ------------------------------------- */

/*
 * Builds the ascending 1..7 tree (shape above) with val = 10 * key except
 * for one node carrying a big value, erases one node, and checks the
 * maxima. Covers erase case 1 (leaf/one child), case 2 (successor is the
 * right child) and case 3 (successor deeper), with the max held by the
 * erased node, by the successor, and by the successor's old parent.
 */
static void erase_case(uint32_t big_key, uint32_t erase_key,
		       uint32_t want_root_max)
{
	struct rb_root root = RB_ROOT;
	struct tnode n[8];

	memset(n, 0, sizeof(n));
	for (uint32_t k = 1; k <= 7; k++) {
		n[k].key = k;
		n[k].val = k == big_key ? 1000 : 10 * k;
		tree_insert(&root, &n[k], true);
		check_subtree_max(root.rb_node);
	}
	cr_assert_eq(tn(root.rb_node)->subtree_max,
		     big_key >= 1 && big_key <= 7 ? 1000u : 70u);
	rb_erase_augmented(&n[erase_key].rb, &root, &tnode_cb);
	check_rb(&root);
	check_subtree_max(root.rb_node);
	cr_assert_eq(tn(root.rb_node)->subtree_max, want_root_max,
		     "big %u erase %u", big_key, erase_key);
}

Test(rbtree, augmented_erase_keeps_max_in_every_case)
{
	erase_case(7, 7, 60);		/* case 1: red leaf, no rebalance */
	erase_case(1, 1, 70);		/* case 1: black leaf, rebalance */
	erase_case(3, 1, 1000);
	erase_case(6, 6, 70);		/* case 2: successor 7 is 6's child */
	erase_case(7, 6, 1000);		/* max moves with the successor */
	erase_case(4, 4, 70);		/* case 3: successor 5 under 6 */
	erase_case(5, 4, 1000);		/* max is the successor's own */
	erase_case(6, 4, 1000);		/* max is at the successor's parent */
	erase_case(2, 2, 70);		/* case 3 at the root: successor 3 */
	erase_case(3, 2, 1000);
	erase_case(0, 5, 70);		/* no big value: max is 7's 70 */
	erase_case(0, 7, 60);
}

Test(rbtree, propagate_after_value_change_fixes_ancestors)
{
	struct rb_root root = RB_ROOT;
	struct tnode n[8];

	memset(n, 0, sizeof(n));
	for (uint32_t k = 1; k <= 7; k++) {
		n[k].key = k;
		n[k].val = 10 * k;
		tree_insert(&root, &n[k], true);
	}
	cr_assert_eq(n[2].subtree_max, 70);
	n[5].val = 500;			/* a deep leaf grows */
	tnode_cb_propagate(&n[5].rb, NULL);
	check_subtree_max(root.rb_node);
	cr_assert_eq(n[6].subtree_max, 500);
	cr_assert_eq(n[4].subtree_max, 500);
	cr_assert_eq(n[2].subtree_max, 500);
	n[5].val = 1;			/* and shrinks again */
	tnode_cb_propagate(&n[5].rb, NULL);
	check_subtree_max(root.rb_node);
	cr_assert_eq(n[2].subtree_max, 70);
	cr_assert_eq(n[6].subtree_max, 70);
	cr_assert_eq(n[5].subtree_max, 1);
}

/* --- random runs against a model --------------------------------------- */

#define SMALL_RANGE 256u	/* keys of the per-op-validated runs */

/*
 * One million random operations on keys in [0, SMALL_RANGE): a present key
 * is erased (3/4) or has its value changed and propagated (1/4), an absent
 * key is inserted with a random value. Values repeat (range 1000) so equal
 * maxima, which end a propagation early, are common. Full check after
 * every operation.
 */
Test(rbtree, augmented_random_ops_match_model_after_every_op,
     .timeout = 120)
{
	const uint64_t seed = 0x7262747265650001ULL;
	uint64_t rng = seed;
	struct rb_root root = RB_ROOT;
	struct tnode *pool = calloc(SMALL_RANGE, sizeof(*pool));
	bool present[SMALL_RANGE] = { false };
	unsigned long inserts = 0, erases = 0, updates = 0;

	TEST_SEED(seed);
	cr_assert_not_null(pool);
	for (uint32_t k = 0; k < SMALL_RANGE; k++)
		pool[k].key = k;
	for (long op = 0; op < 1000000; op++) {
		uint32_t k = (uint32_t)test_rand_below(&rng, SMALL_RANGE);
		struct tnode *n = &pool[k];

		if (!present[k]) {
			n->val = (uint32_t)test_rand_below(&rng, 1000);
			cr_assert(tree_insert(&root, n, true));
			present[k] = true;
			inserts++;
		} else if (test_rand_below(&rng, 4) == 0) {
			n->val = (uint32_t)test_rand_below(&rng, 1000);
			tnode_cb_propagate(&n->rb, NULL);
			updates++;
		} else {
			cr_assert_eq(tree_search(&root, k), n);
			rb_erase_augmented(&n->rb, &root, &tnode_cb);
			present[k] = false;
			erases++;
		}
		/* (The reverse walk is left to the plain run below.) */
		check_against_model(&root, present, SMALL_RANGE, true, false);
	}
	cr_log_info("inserts %lu erases %lu updates %lu", inserts, erases,
		    updates);
	cr_assert_gt(erases, 300000);
	cr_assert_gt(updates, 100000);
	free(pool);
}

/* The plain API (no callbacks) under the same kind of run, checked every op. */
Test(rbtree, plain_random_ops_match_model_after_every_op)
{
	const uint64_t seed = 0x7262747265650002ULL;
	uint64_t rng = seed;
	struct rb_root root = RB_ROOT;
	struct tnode *pool = calloc(SMALL_RANGE, sizeof(*pool));
	bool present[SMALL_RANGE] = { false };

	TEST_SEED(seed);
	cr_assert_not_null(pool);
	for (uint32_t k = 0; k < SMALL_RANGE; k++)
		pool[k].key = k;
	for (long op = 0; op < 100000; op++) {
		uint32_t k = (uint32_t)test_rand_below(&rng, SMALL_RANGE);

		if (present[k]) {
			rb_erase(&pool[k].rb, &root);
			present[k] = false;
		} else {
			cr_assert(tree_insert(&root, &pool[k], false));
			present[k] = true;
		}
		check_against_model(&root, present, SMALL_RANGE, false, true);
	}
	free(pool);
}

static void shuffle(uint32_t *a, uint32_t n, uint64_t *rng)
{
	for (uint32_t i = n; i > 1; i--) {
		uint32_t j = (uint32_t)test_rand_below(rng, i);
		uint32_t t = a[i - 1];

		a[i - 1] = a[j];
		a[j] = t;
	}
}

#define BIG_N 1000000u

/*
 * In-order pass checking key order, model membership and subtree maxima.
 * Plain field reads: it runs 200 times over up to 1e6 nodes at -O0.
 */
static uint32_t check_big_subtree(const struct rb_node *rb, const bool *present,
				  int64_t *last_key, uint32_t *count)
{
	const struct tnode *n = rb_entry(rb, struct tnode, rb);
	uint32_t max = n->val, sub;

	if (rb->rb_left) {
		sub = check_big_subtree(rb->rb_left, present, last_key, count);
		if (sub > max)
			max = sub;
	}
	if ((int64_t)n->key <= *last_key || !present[n->key])
		cr_assert_fail("in-order key %u after %lld, in model: %d",
			       n->key, (long long)*last_key, present[n->key]);
	*last_key = n->key;
	(*count)++;
	if (rb->rb_right) {
		sub = check_big_subtree(rb->rb_right, present, last_key, count);
		if (sub > max)
			max = sub;
	}
	if (n->subtree_max != max)
		cr_assert_fail("key %u: subtree_max %u, recomputed %u",
			       n->key, n->subtree_max, max);
	return max;
}

/*
 * The check of a big tree in two passes: properties, then one in-order
 * recursion (keys increasing, all in the model, as many as the model holds,
 * maxima right).
 */
static void check_big(const struct rb_root *root, const bool *present,
		      uint32_t live)
{
	int64_t last_key = -1;
	uint32_t count = 0;

	check_rb(root);
	if (root->rb_node)
		check_big_subtree(root->rb_node, present, &last_key, &count);
	if (count != live)
		cr_assert_fail("tree holds %u keys, model %u", count, live);
}

/*
 * 1e6 distinct keys inserted in random order, then all erased in another
 * random order (augmented tree), fully checked every 10,000 operations and
 * at the end; the black height of a 1e6-node tree is checked against the
 * bound depth <= 2*log2(n+1).
 */
Test(rbtree, million_keys_insert_then_erase_all_random_order,
     .timeout = 120)
{
	const uint64_t seed = 0x7262747265650003ULL;
	uint64_t rng = seed;
	struct rb_root root = RB_ROOT;
	struct tnode *pool = calloc(BIG_N, sizeof(*pool));
	uint32_t *order = malloc(BIG_N * sizeof(*order));
	bool *present = calloc(BIG_N, sizeof(*present));
	uint32_t live = 0;
	int bh;

	TEST_SEED(seed);
	cr_assert(pool && order && present);
	for (uint32_t i = 0; i < BIG_N; i++) {
		order[i] = i;
		pool[i].key = i;
		pool[i].val = (uint32_t)test_rand(&rng);
	}
	shuffle(order, BIG_N, &rng);
	for (uint32_t i = 0; i < BIG_N; i++) {
		cr_assert(tree_insert(&root, &pool[order[i]], true));
		present[order[i]] = true;
		live++;
		if ((i + 1) % 10000 == 0)
			check_big(&root, present, live);
	}
	bh = check_rb(&root);
	/* n >= 2^bh - 1 nodes: bh <= log2(1e6 + 1) < 20. */
	cr_assert(bh >= 10 && bh <= 20, "black height %d", bh);
	shuffle(order, BIG_N, &rng);
	for (uint32_t i = 0; i < BIG_N; i++) {
		rb_erase_augmented(&pool[order[i]].rb, &root, &tnode_cb);
		present[order[i]] = false;
		live--;
		if ((i + 1) % 10000 == 0)
			check_big(&root, present, live);
	}
	cr_assert(RB_EMPTY_ROOT(&root));
	cr_assert_eq(rb_validate(&root, NULL, 0), 0);
	free(present);
	free(order);
	free(pool);
}

/* --- a general augmentation: subtree node counts ----------------------- */

struct cnode {
	struct rb_node rb;	/* in the count tree, ordered by key */
	uint32_t key;		/* sort key */
	uint32_t size;		/* number of nodes in this subtree */
};

static inline uint32_t cnode_size(const struct rb_node *rb)
{
	return rb ? rb_entry(rb, struct cnode, rb)->size : 0;
}

static bool cnode_compute(struct cnode *n, bool exit)
{
	uint32_t size = 1 + cnode_size(n->rb.rb_left) +
			cnode_size(n->rb.rb_right);

	if (exit && n->size == size)
		return true;
	n->size = size;
	return false;
}

RB_DECLARE_CALLBACKS(static, cnode_cb, struct cnode, rb, size, cnode_compute);

static uint32_t check_sizes(const struct rb_node *rb)
{
	if (!rb)
		return 0;
	uint32_t size = 1 + check_sizes(rb->rb_left) + check_sizes(rb->rb_right);
	const struct cnode *n = rb_entry(rb, struct cnode, rb);

	if (n->size != size)
		cr_assert_fail("key %u: size %u, recomputed %u", n->key,
			       n->size, size);
	return size;
}

/* The i-th smallest key (0-based) found through the sizes alone. */
static uint32_t cnode_select(const struct rb_root *root, uint32_t i)
{
	const struct rb_node *rb = root->rb_node;

	for (;;) {
		uint32_t left = cnode_size(rb->rb_left);

		if (i < left) {
			rb = rb->rb_left;
		} else if (i == left) {
			return rb_entry(rb, struct cnode, rb)->key;
		} else {
			i -= left + 1;
			rb = rb->rb_right;
		}
	}
}

Test(rbtree, declare_callbacks_keeps_subtree_counts)
{
	const uint64_t seed = 0x7262747265650004ULL;
	uint64_t rng = seed;
	struct rb_root root = RB_ROOT;
	struct cnode pool[SMALL_RANGE];
	bool present[SMALL_RANGE] = { false };
	uint32_t live = 0;

	TEST_SEED(seed);
	memset(pool, 0, sizeof(pool));
	for (long op = 0; op < 100000; op++) {
		uint32_t k = (uint32_t)test_rand_below(&rng, SMALL_RANGE);
		struct cnode *n = &pool[k];

		if (present[k]) {
			rb_erase_augmented(&n->rb, &root, &cnode_cb);
			present[k] = false;
			live--;
		} else {
			struct rb_node **link = &root.rb_node, *parent = NULL;

			while (*link) {
				parent = *link;
				link = k < rb_entry(parent, struct cnode, rb)->key
					       ? &parent->rb_left
					       : &parent->rb_right;
			}
			n->key = k;
			rb_link_node(&n->rb, parent, link);
			n->size = 0;	/* differs from its computed 1 */
			rb_insert_augmented(&n->rb, &root, &cnode_cb);
			present[k] = true;
			live++;
		}
		check_rb(&root);
		cr_assert_eq(check_sizes(root.rb_node), live);
		if (op % 64)
			continue;
		/* Every 64th op: order statistics through the counts. */
		uint32_t i = 0;

		for (uint32_t key = 0; key < SMALL_RANGE; key++) {
			if (!present[key])
				continue;
			if (cnode_select(&root, i) != key)
				cr_assert_fail("select(%u) is not key %u", i,
					       key);
			i++;
		}
	}
}

/* --- a value that depends on the predecessor: the VMA gap pattern ------ */

/*
 * Like a VMA's gap (vm_start - prev->vm_end), a gnode's own value is the
 * distance from the previous key, read through a list kept in key order,
 * so inserting or erasing a node also changes its successor's value. The
 * tree's stored maxima must be consistent with the nodes' current values
 * whenever it rebalances; Linux's order of steps guarantees this:
 *   insert: list_add, propagate the successor, link, insert_augmented;
 *   erase:  erase_augmented while the list still holds the node, then
 *           list_del, then propagate the successor.
 */
struct gnode {
	struct rb_node rb;	/* in the gap tree, ordered by start */
	struct list_head link;	/* on the key-ordered list */
	uint32_t start;		/* sort key */
	uint32_t gap_max;	/* max over the subtree of start - prev start */
};

static struct list_head gap_list;	/* the key-ordered list of gnodes */

static inline uint32_t gnode_gap(struct gnode *g)
{
	if (g->link.prev == &gap_list)
		return g->start;
	return g->start - list_entry(g->link.prev, struct gnode, link)->start;
}

RB_DECLARE_CALLBACKS_MAX(static, gnode_cb, struct gnode, rb, uint32_t,
			 gap_max, gnode_gap);

static void gap_insert(struct rb_root *root, struct gnode *g)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;
	struct gnode *prev = NULL, *next;

	while (*link) {
		struct gnode *t = rb_entry(*link, struct gnode, rb);

		parent = *link;
		if (g->start < t->start) {
			link = &parent->rb_left;
		} else {
			prev = t;
			link = &parent->rb_right;
		}
	}
	list_add(&g->link, prev ? &prev->link : &gap_list);
	if (!list_is_last(&g->link, &gap_list)) {
		next = list_next_entry(g, link);
		gnode_cb_propagate(&next->rb, NULL);
	}
	rb_link_node(&g->rb, parent, link);
	g->gap_max = 0;
	rb_insert_augmented(&g->rb, root, &gnode_cb);
}

static void gap_erase(struct rb_root *root, struct gnode *g)
{
	struct gnode *next = list_is_last(&g->link, &gap_list)
				     ? NULL : list_next_entry(g, link);

	rb_erase_augmented(&g->rb, root, &gnode_cb);
	list_del(&g->link);
	if (next)
		gnode_cb_propagate(&next->rb, NULL);
}

static uint32_t check_gap_max(const struct rb_node *rb)
{
	struct gnode *g = rb_entry(rb, struct gnode, rb);
	uint32_t max = gnode_gap(g), sub;

	if (rb->rb_left && (sub = check_gap_max(rb->rb_left)) > max)
		max = sub;
	if (rb->rb_right && (sub = check_gap_max(rb->rb_right)) > max)
		max = sub;
	if (g->gap_max != max)
		cr_assert_fail("start %u: gap_max %u, recomputed %u", g->start,
			       g->gap_max, max);
	return max;
}

Test(rbtree, predecessor_dependent_max_stays_exact_in_linux_order)
{
	const uint64_t seed = 0x7262747265650005ULL;
	uint64_t rng = seed;
	struct rb_root root = RB_ROOT;
	struct gnode pool[SMALL_RANGE];
	bool present[SMALL_RANGE] = { false };

	TEST_SEED(seed);
	INIT_LIST_HEAD(&gap_list);
	memset(pool, 0, sizeof(pool));
	for (long op = 0; op < 200000; op++) {
		uint32_t k = (uint32_t)test_rand_below(&rng, SMALL_RANGE);

		if (present[k]) {
			gap_erase(&root, &pool[k]);
		} else {
			/* Spread keys unevenly so the gaps differ a lot. */
			pool[k].start = k * k;
			gap_insert(&root, &pool[k]);
		}
		present[k] = !present[k];
		check_rb(&root);
		if (root.rb_node)
			check_gap_max(root.rb_node);
		/* The list and the tree hold the same keys in the same order. */
		struct rb_node *rb = rb_first(&root);
		struct gnode *g;

		list_for_each_entry(g, &gap_list, link) {
			cr_assert_eq(rb, &g->rb);
			rb = rb_next(rb);
		}
		cr_assert_null(rb);
	}
}
