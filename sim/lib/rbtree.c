/*
 * rbtree.c - red-black tree rebalancing (Linux lib/rbtree.c).
 *
 * A red-black tree is a binary search tree whose nodes are coloured so that
 *
 *   1) every node is either red or black;
 *   2) the root is black;
 *   3) every leaf (the NULL below a node) counts as black;
 *   4) both children of a red node are black (no red node has a red parent);
 *   5) every path from a node down to a leaf below it passes the same number
 *      of black nodes (that node's black height).
 *
 * 4) and 5) together bound the longest root-to-leaf path by twice the
 * shortest, so a tree of n nodes is at most 2*log2(n+1) deep.
 *
 * Insertion links a red leaf (keeping 5) and repairs 4) upward; erasure
 * unlinks (rbtree_augmented.h: rb_erase_unlink) and repairs 5) upward. Both
 * repairs recolour in O(log n) steps and rotate at most two (insert) or three
 * (erase) times. Every rotation is reported to a rotate callback so that
 * augmented trees can fix their per-subtree values; the plain rb_insert_color
 * and rb_erase use the very same code with callbacks that do nothing, which
 * the compiler removes.
 *
 * Diagrams: upper case is black, lower case is red, a name in parentheses
 * may be either colour; subtrees that do not move are left out.
 *
 * Mirrors Linux lib/rbtree.c (the 3.x-6.x algorithm: parent pointers, one
 * pass, no recursion), written independently from its semantics.
 */
#include "lib/rbtree.h"

#include <stdio.h>

#include "lib/rbtree_augmented.h"

/* Parent of a node known to be red: its colour bits are 0, no mask needed. */
static inline struct rb_node *rb_red_parent(const struct rb_node *red)
{
	return (struct rb_node *)red->rb_parent_color;
}

static inline void rb_set_black(struct rb_node *node)
{
	node->rb_parent_color |= RB_BLACK;
}

/*
 * After a rotation that lifted node over old: node takes old's parent and
 * colour, old becomes node's child with the given colour, and old's parent
 * (or the root) now points at node.
 */
static inline void rb_rotate_set_parents(struct rb_node *old,
					 struct rb_node *node,
					 struct rb_root *root,
					 unsigned long color)
{
	struct rb_node *parent = rb_parent(old);

	node->rb_parent_color = old->rb_parent_color;
	rb_set_parent_color(old, node, color);
	rb_change_child(old, node, parent, root);
}

static inline __attribute__((always_inline)) void
rb_insert_fixup(struct rb_node *node, struct rb_root *root,
		void (*rotate)(struct rb_node *old, struct rb_node *new))
{
	struct rb_node *parent = rb_red_parent(node), *gparent, *tmp;

	for (;;) {
		/*
		 * Loop invariant: node is red, and the only violation in the
		 * tree is that node's parent may be red too (property 4), or
		 * that node is a red root (property 2).
		 */
		if (unlikely(!parent)) {
			/* node is the root: blacken it (black height +1). */
			rb_set_parent_color(node, NULL, RB_BLACK);
			break;
		}
		if (rb_is_black(parent))
			break;

		/* parent is red, so it is not the root: gparent exists, black. */
		gparent = rb_red_parent(parent);
		tmp = gparent->rb_right;
		if (parent != tmp) {		/* parent is gparent's left child */
			if (tmp && rb_is_red(tmp)) {
				/*
				 * Case 1: the uncle u is red. Flip colours;
				 * the red moves up two levels to G, whose
				 * parent may be red: continue from there.
				 *
				 *       G            g
				 *      / \          / \
				 *     p   u  -->   P   U
				 *    /            /
				 *   n            n
				 */
				rb_set_parent_color(tmp, gparent, RB_BLACK);
				rb_set_parent_color(parent, gparent, RB_BLACK);
				node = gparent;
				parent = rb_parent(node);
				rb_set_parent_color(node, parent, RB_RED);
				continue;
			}

			tmp = parent->rb_right;
			if (node == tmp) {
				/*
				 * Case 2: uncle black, node is an inner
				 * child. Rotate left at p to make it an outer
				 * child, then case 3 applies with the roles of
				 * n and p swapped.
				 *
				 *      G             G
				 *     / \           / \
				 *    p   U  -->    n   U
				 *     \           /
				 *      n         p
				 */
				tmp = node->rb_left;
				parent->rb_right = tmp;
				node->rb_left = parent;
				if (tmp)	/* child of red n: black */
					rb_set_parent_color(tmp, parent,
							    RB_BLACK);
				rb_set_parent_color(parent, node, RB_RED);
				rotate(parent, node);
				parent = node;
				tmp = node->rb_right;
			}

			/*
			 * Case 3: uncle black, node is an outer child. Rotate
			 * right at G and swap the colours of p and G; the
			 * subtree's top is black again, so we are done.
			 *
			 *        G           P
			 *       / \         / \
			 *      p   U  -->  n   g
			 *     /                 \
			 *    n                   U
			 */
			gparent->rb_left = tmp;		/* p's right subtree */
			parent->rb_right = gparent;
			if (tmp)
				rb_set_parent_color(tmp, gparent, RB_BLACK);
			rb_rotate_set_parents(gparent, parent, root, RB_RED);
			rotate(gparent, parent);
			break;
		} else {			/* parent is gparent's right child */
			tmp = gparent->rb_left;
			if (tmp && rb_is_red(tmp)) {
				/* Case 1, mirrored: flip colours, go up. */
				rb_set_parent_color(tmp, gparent, RB_BLACK);
				rb_set_parent_color(parent, gparent, RB_BLACK);
				node = gparent;
				parent = rb_parent(node);
				rb_set_parent_color(node, parent, RB_RED);
				continue;
			}

			tmp = parent->rb_left;
			if (node == tmp) {
				/* Case 2, mirrored: rotate right at p. */
				tmp = node->rb_right;
				parent->rb_left = tmp;
				node->rb_right = parent;
				if (tmp)
					rb_set_parent_color(tmp, parent,
							    RB_BLACK);
				rb_set_parent_color(parent, node, RB_RED);
				rotate(parent, node);
				parent = node;
				tmp = node->rb_left;
			}

			/* Case 3, mirrored: rotate left at G. */
			gparent->rb_right = tmp;	/* p's left subtree */
			parent->rb_left = gparent;
			if (tmp)
				rb_set_parent_color(tmp, gparent, RB_BLACK);
			rb_rotate_set_parents(gparent, parent, root, RB_RED);
			rotate(gparent, parent);
			break;
		}
	}
}

/*
 * Repairs property 5 after erasure left every path through parent's child
 * slot `node` (NULL on entry: the removed leaf's place) one black short.
 */
static inline __attribute__((always_inline)) void
rb_erase_fixup(struct rb_node *parent, struct rb_root *root,
	       void (*rotate)(struct rb_node *old, struct rb_node *new))
{
	struct rb_node *node = NULL, *sibling, *tmp1, *tmp2;

	for (;;) {
		/*
		 * Loop invariants:
		 * - node is black, or NULL on the first pass;
		 * - node is not the root (parent is not NULL);
		 * - paths through parent and node hold one black node fewer
		 *   than the other paths below parent; everything else obeys
		 *   all five properties.
		 * The sibling s is not NULL: its side has a black height of at
		 * least one more than node's.
		 */
		sibling = parent->rb_right;
		if (node != sibling) {		/* node is parent's left child */
			if (rb_is_red(sibling)) {
				/*
				 * Case 1: red sibling. Rotate left at P; the
				 * new sibling (sl) is black, and cases 2-4
				 * apply below the now red p.
				 *
				 *     P               S
				 *    / \             / \
				 *   N   s    -->    p   Sr
				 *      / \         / \
				 *     Sl  Sr      N   Sl
				 */
				tmp1 = sibling->rb_left;
				parent->rb_right = tmp1;
				sibling->rb_left = parent;
				rb_set_parent_color(tmp1, parent, RB_BLACK);
				rb_rotate_set_parents(parent, sibling, root,
						      RB_RED);
				rotate(parent, sibling);
				sibling = tmp1;
			}
			tmp1 = sibling->rb_right;
			if (!tmp1 || rb_is_black(tmp1)) {
				tmp2 = sibling->rb_left;
				if (!tmp2 || rb_is_black(tmp2)) {
					/*
					 * Case 2: black sibling with black
					 * children. Redden S: both sides of
					 * p are now equally short. A red p
					 * turns black and pays the debt;
					 * a black P passes it up a level.
					 *
					 *    (p)           (p)
					 *    / \           / \
					 *   N   S    -->  N   s
					 *      / \           / \
					 *     Sl  Sr        Sl  Sr
					 */
					rb_set_parent_color(sibling, parent,
							    RB_RED);
					if (rb_is_red(parent)) {
						rb_set_black(parent);
					} else {
						node = parent;
						parent = rb_parent(node);
						if (parent)
							continue;
					}
					break;
				}
				/*
				 * Case 3: black sibling, its inner child sl
				 * red and outer child Sr black. Rotate right
				 * at S so the red child is outer: case 4.
				 * (Colours are settled by case 4, which also
				 * writes the parent pointers left stale here.)
				 *
				 *   (p)            (p)
				 *   / \            / \
				 *  N   S    -->   N   sl
				 *     / \              \
				 *    sl  Sr             S
				 *                        \
				 *                         Sr
				 */
				tmp1 = tmp2->rb_right;
				sibling->rb_left = tmp1;
				tmp2->rb_right = sibling;
				parent->rb_right = tmp2;
				if (tmp1)
					rb_set_parent_color(tmp1, sibling,
							    RB_BLACK);
				rotate(sibling, tmp2);
				tmp1 = sibling;
				sibling = tmp2;
			}
			/*
			 * Case 4: black sibling with a red outer child sr.
			 * Rotate left at p; S takes p's colour, p and sr turn
			 * black: node's side gains the missing black, and the
			 * other side keeps its count. Done.
			 *
			 *      (p)             (s)
			 *      / \             / \
			 *     N   S     -->   P   Sr
			 *        / \         / \
			 *      (sl) sr      N  (sl)
			 */
			tmp2 = sibling->rb_left;
			parent->rb_right = tmp2;
			sibling->rb_left = parent;
			rb_set_parent_color(tmp1, sibling, RB_BLACK);
			if (tmp2)
				rb_set_parent(tmp2, parent);
			rb_rotate_set_parents(parent, sibling, root, RB_BLACK);
			rotate(parent, sibling);
			break;
		} else {			/* node is parent's right child */
			sibling = parent->rb_left;
			if (rb_is_red(sibling)) {
				/* Case 1, mirrored: rotate right at P. */
				tmp1 = sibling->rb_right;
				parent->rb_left = tmp1;
				sibling->rb_right = parent;
				rb_set_parent_color(tmp1, parent, RB_BLACK);
				rb_rotate_set_parents(parent, sibling, root,
						      RB_RED);
				rotate(parent, sibling);
				sibling = tmp1;
			}
			tmp1 = sibling->rb_left;
			if (!tmp1 || rb_is_black(tmp1)) {
				tmp2 = sibling->rb_right;
				if (!tmp2 || rb_is_black(tmp2)) {
					/* Case 2, mirrored: redden S. */
					rb_set_parent_color(sibling, parent,
							    RB_RED);
					if (rb_is_red(parent)) {
						rb_set_black(parent);
					} else {
						node = parent;
						parent = rb_parent(node);
						if (parent)
							continue;
					}
					break;
				}
				/* Case 3, mirrored: rotate left at S. */
				tmp1 = tmp2->rb_left;
				sibling->rb_right = tmp1;
				tmp2->rb_left = sibling;
				parent->rb_left = tmp2;
				if (tmp1)
					rb_set_parent_color(tmp1, sibling,
							    RB_BLACK);
				rotate(sibling, tmp2);
				tmp1 = sibling;
				sibling = tmp2;
			}
			/* Case 4, mirrored: rotate right at p. */
			tmp2 = sibling->rb_right;
			parent->rb_left = tmp2;
			sibling->rb_right = parent;
			rb_set_parent_color(tmp1, sibling, RB_BLACK);
			if (tmp2)
				rb_set_parent(tmp2, parent);
			rb_rotate_set_parents(parent, sibling, root, RB_BLACK);
			rotate(parent, sibling);
			break;
		}
	}
}

/* The plain tree's callbacks: nothing to keep up to date. */
static inline void rb_noop_propagate(struct rb_node *node, struct rb_node *stop)
{
	(void)node;
	(void)stop;
}

static inline void rb_noop_copy(struct rb_node *old, struct rb_node *new)
{
	(void)old;
	(void)new;
}

static inline void rb_noop_rotate(struct rb_node *old, struct rb_node *new)
{
	(void)old;
	(void)new;
}

static const struct rb_augment_callbacks rb_noop_callbacks = {
	.propagate = rb_noop_propagate,
	.copy = rb_noop_copy,
	.rotate = rb_noop_rotate,
};

void rb_insert_color(struct rb_node *node, struct rb_root *root)
{
	rb_insert_fixup(node, root, rb_noop_rotate);
}

void rb_erase(struct rb_node *node, struct rb_root *root)
{
	struct rb_node *rebalance = rb_erase_unlink(node, root,
						    &rb_noop_callbacks);

	if (rebalance)
		rb_erase_fixup(rebalance, root, rb_noop_rotate);
}

void rb_insert_rebalance(struct rb_node *node, struct rb_root *root,
			 void (*rotate)(struct rb_node *old, struct rb_node *new))
{
	rb_insert_fixup(node, root, rotate);
}

void rb_erase_rebalance(struct rb_node *parent, struct rb_root *root,
			void (*rotate)(struct rb_node *old, struct rb_node *new))
{
	rb_erase_fixup(parent, root, rotate);
}

struct rb_node *rb_first(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	if (!n)
		return NULL;
	while (n->rb_left)
		n = n->rb_left;
	return n;
}

struct rb_node *rb_last(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	if (!n)
		return NULL;
	while (n->rb_right)
		n = n->rb_right;
	return n;
}

struct rb_node *rb_next(const struct rb_node *node)
{
	struct rb_node *parent;

	if (RB_EMPTY_NODE(node))
		return NULL;
	/* A right subtree holds the successor: its leftmost node. */
	if (node->rb_right) {
		struct rb_node *n = node->rb_right;

		while (n->rb_left)
			n = n->rb_left;
		return n;
	}
	/*
	 * Otherwise climb while we come from a right child; the first
	 * ancestor reached from its left side is the successor.
	 */
	while ((parent = rb_parent(node)) && node == parent->rb_right)
		node = parent;
	return parent;
}

struct rb_node *rb_prev(const struct rb_node *node)
{
	struct rb_node *parent;

	if (RB_EMPTY_NODE(node))
		return NULL;
	if (node->rb_left) {
		struct rb_node *n = node->rb_left;

		while (n->rb_right)
			n = n->rb_right;
		return n;
	}
	while ((parent = rb_parent(node)) && node == parent->rb_left)
		node = parent;
	return parent;
}

void rb_replace_node(struct rb_node *victim, struct rb_node *node,
		     struct rb_root *root)
{
	struct rb_node *parent = rb_parent(victim);

	*node = *victim;
	if (victim->rb_left)
		rb_set_parent(victim->rb_left, node);
	if (victim->rb_right)
		rb_set_parent(victim->rb_right, node);
	rb_change_child(victim, node, parent, root);
}

/*
 * Black height of the subtree at n, or -1 after writing why. Reads the
 * colour bits directly rather than through the helpers: validators run
 * after every mutation in -O0 debug builds, where each call costs.
 */
static int rb_validate_subtree(const struct rb_node *n,
			       const struct rb_node *parent,
			       char *why, size_t len)
{
	const struct rb_node *l, *r;
	unsigned long pc;
	int lh, rh;

	if (!n)
		return 0;
	pc = n->rb_parent_color;
	l = n->rb_left;
	r = n->rb_right;
	if ((const struct rb_node *)(pc & ~3UL) != parent) {
		if (why)
			snprintf(why, len,
				 "node %p: parent pointer %p, but it is a child of %p",
				 (const void *)n, (void *)(pc & ~3UL),
				 (const void *)parent);
		return -1;
	}
	if ((pc & 1UL) == RB_RED &&
	    ((l && (l->rb_parent_color & 1UL) == RB_RED) ||
	     (r && (r->rb_parent_color & 1UL) == RB_RED))) {
		if (why)
			snprintf(why, len, "red node %p has a red child",
				 (const void *)n);
		return -1;
	}
	lh = rb_validate_subtree(l, n, why, len);
	if (lh < 0)
		return -1;
	rh = rb_validate_subtree(r, n, why, len);
	if (rh < 0)
		return -1;
	if (lh != rh) {
		if (why)
			snprintf(why, len,
				 "node %p: unequal black heights, left %d right %d",
				 (const void *)n, lh, rh);
		return -1;
	}
	return lh + (int)(pc & 1UL);
}

int rb_validate(const struct rb_root *root, char *why, size_t len)
{
	const struct rb_node *r = root->rb_node;

	if (r && rb_is_red(r)) {
		if (why)
			snprintf(why, len, "root %p is red", (const void *)r);
		return -1;
	}
	return rb_validate_subtree(r, NULL, why, len);
}
