/*
 * rbtree_augmented.h - red-black tree whose nodes carry a summary of their
 * subtree (Linux include/linux/rbtree_augmented.h).
 *
 * An augmented tree stores in every node a value computed from the node and
 * its two children's values, e.g. "the largest gap before any VMA in this
 * subtree" (Linux 3.8-6.0 vm_area_struct.rb_subtree_gap), which lets a
 * search skip whole subtrees. Three events change subtrees, and the tree
 * core reports each through one callback of struct rb_augment_callbacks:
 *
 *   rotate(old, new)     a rotation made new the parent of old: new now
 *                        spans exactly what old spanned (copy old's value),
 *                        and old's value must be recomputed from its new
 *                        children.
 *   copy(old, new)       erase moves new (old's successor) into old's place:
 *                        new takes old's value, fixed up by a later propagate.
 *   propagate(n, stop)   recompute n, then its parent, ..., up to but not
 *                        including stop (NULL: up to the root), and may stop
 *                        early once a recomputed value does not change.
 *
 * RB_DECLARE_CALLBACKS_MAX() writes all three for the common "max over the
 * subtree" summary; RB_DECLARE_CALLBACKS() for any recompute function.
 *
 * Insertion protocol (as Linux's __vma_link_rb):
 *
 *	rb_link_node(&v->rb, parent, link);
 *	v->subtree_max = 0;		 see below
 *	rb_insert_augmented(&v->rb, root, &cb);
 *
 * rb_insert_augmented() first calls cb->propagate(node, NULL) to bring the
 * path from the new leaf to the root up to date, then rebalances. Because a
 * propagation ends at the first node whose value does not change, the new
 * node's field must start at a value that either differs from what it
 * computes to or that its ancestors already account for: the type's
 * minimum for a max (0 for rb_subtree_gap), 0 for a subtree count.
 * (Linux leaves that propagate to the caller; a caller that already did it
 * costs one extra recompute of the node here, nothing else.)
 * A caller who changes a node's own value later (e.g. the gap before a VMA
 * once its predecessor changed) calls cb->propagate(node, NULL) itself.
 *
 * Precondition of every augmented insert and erase: apart from the new
 * node, each stored value matches the nodes' current own values. A
 * rotation copies and recomputes values, and a stale one can move above
 * the node it came from, where a later early-exiting propagate from that
 * node no longer reaches it. So when a node's own value depends on its
 * neighbour (the VMA gap), follow Linux's order:
 *   insert: list_add(v); propagate(next); rb_link_node; rb_insert_augmented
 *   erase:  rb_erase_augmented(v) while v is still on the list (next's
 *           value unchanged); list_del(v); propagate(next)
 * (tests/test_rbtree.c, predecessor_dependent_max_stays_exact_in_linux_order,
 * runs this pattern; either other order fails it within a few operations.)
 *
 * Erasure: rb_erase_augmented() unlinks, propagates from the lowest node
 * whose subtree changed (the successor's old parent when the successor was
 * taken from deep in the right subtree) and from the node now in the erased
 * node's place, then rebalances with rotate callbacks.
 *
 * The helpers below the callbacks (colour access, rb_change_child) are the
 * tree core's internals, exposed because the erase path is inline here so
 * the callbacks of each user can be inlined into it.
 */
#ifndef SIM_LIB_RBTREE_AUGMENTED_H
#define SIM_LIB_RBTREE_AUGMENTED_H

#include <stdbool.h>

#include "lib/rbtree.h"

struct rb_augment_callbacks {
	void (*propagate)(struct rb_node *node, struct rb_node *stop); /* recompute node..stop (exclusive) */
	void (*copy)(struct rb_node *old, struct rb_node *new);	/* new takes old's value */
	void (*rotate)(struct rb_node *old, struct rb_node *new);	/* new took old's place above it */
};

/* Rebalancing entry points of rbtree.c that take a rotate callback. */
void rb_insert_rebalance(struct rb_node *node, struct rb_root *root,
			 void (*rotate)(struct rb_node *old, struct rb_node *new));
void rb_erase_rebalance(struct rb_node *parent, struct rb_root *root,
			void (*rotate)(struct rb_node *old, struct rb_node *new));

/*
 * Rebalances after rb_link_node() put node in an augmented tree, keeping
 * the augmented values right. Precondition: node's augmented field starts
 * at a value that differs from its computed one or that its ancestors
 * already cover (see the insertion protocol above). O(log n).
 */
static inline void rb_insert_augmented(struct rb_node *node,
				       struct rb_root *root,
				       const struct rb_augment_callbacks *cb)
{
	cb->propagate(node, NULL);
	rb_insert_rebalance(node, root, cb->rotate);
}

/*
 * RB_DECLARE_CALLBACKS(RBSTATIC, RBNAME, RBSTRUCT, RBFIELD, RBAUGMENTED,
 *                      RBCOMPUTE)
 * defines `RBSTATIC const struct rb_augment_callbacks RBNAME` and the static
 * helpers RBNAME##_propagate/_copy/_rotate for objects of type RBSTRUCT that
 * embed their struct rb_node as RBFIELD and keep the summary in RBAUGMENTED.
 * RBCOMPUTE is `bool f(RBSTRUCT *node, bool exit)`: it recomputes node's
 * summary from node and its children; when exit is true and the value did
 * not change it returns true (and propagation stops), otherwise it stores
 * the new value and returns false.
 */
#define RB_DECLARE_CALLBACKS(RBSTATIC, RBNAME, RBSTRUCT, RBFIELD,           \
			     RBAUGMENTED, RBCOMPUTE)                        \
static inline void RBNAME##_propagate(struct rb_node *rb,                   \
				      struct rb_node *stop)                 \
{                                                                           \
	while (rb != stop) {                                                \
		RBSTRUCT *node_ = rb_entry(rb, RBSTRUCT, RBFIELD);          \
		if (RBCOMPUTE(node_, true))                                 \
			break;                                              \
		rb = rb_parent(&node_->RBFIELD);                            \
	}                                                                   \
}                                                                           \
static inline void RBNAME##_copy(struct rb_node *rb_old,                    \
				 struct rb_node *rb_new)                    \
{                                                                           \
	RBSTRUCT *old_ = rb_entry(rb_old, RBSTRUCT, RBFIELD);               \
	RBSTRUCT *new_ = rb_entry(rb_new, RBSTRUCT, RBFIELD);               \
	new_->RBAUGMENTED = old_->RBAUGMENTED;                              \
}                                                                           \
static void RBNAME##_rotate(struct rb_node *rb_old, struct rb_node *rb_new) \
{                                                                           \
	RBSTRUCT *old_ = rb_entry(rb_old, RBSTRUCT, RBFIELD);               \
	RBSTRUCT *new_ = rb_entry(rb_new, RBSTRUCT, RBFIELD);               \
	new_->RBAUGMENTED = old_->RBAUGMENTED;                              \
	RBCOMPUTE(old_, false);                                             \
}                                                                           \
RBSTATIC const struct rb_augment_callbacks RBNAME = {                       \
	.propagate = RBNAME##_propagate,                                    \
	.copy = RBNAME##_copy,                                              \
	.rotate = RBNAME##_rotate                                           \
}

/*
 * RB_DECLARE_CALLBACKS_MAX(RBSTATIC, RBNAME, RBSTRUCT, RBFIELD, RBTYPE,
 *                          RBAUGMENTED, RBCOMPUTE)
 * keeps in RBAUGMENTED (of type RBTYPE) the maximum of RBCOMPUTE(node) over
 * the node's subtree, where RBCOMPUTE is `RBTYPE f(RBSTRUCT *node)` giving
 * the node's own value. Also defines RBNAME##_compute_max(node, exit).
 */
#define RB_DECLARE_CALLBACKS_MAX(RBSTATIC, RBNAME, RBSTRUCT, RBFIELD,       \
				 RBTYPE, RBAUGMENTED, RBCOMPUTE)            \
static inline bool RBNAME##_compute_max(RBSTRUCT *node, bool exit)          \
{                                                                           \
	RBTYPE max_ = RBCOMPUTE(node);                                      \
	RBSTRUCT *child_;                                                   \
	if (node->RBFIELD.rb_left) {                                        \
		child_ = rb_entry(node->RBFIELD.rb_left, RBSTRUCT, RBFIELD); \
		if (child_->RBAUGMENTED > max_)                             \
			max_ = child_->RBAUGMENTED;                         \
	}                                                                   \
	if (node->RBFIELD.rb_right) {                                       \
		child_ = rb_entry(node->RBFIELD.rb_right, RBSTRUCT, RBFIELD); \
		if (child_->RBAUGMENTED > max_)                             \
			max_ = child_->RBAUGMENTED;                         \
	}                                                                   \
	if (exit && node->RBAUGMENTED == max_)                              \
		return true;                                                \
	node->RBAUGMENTED = max_;                                           \
	return false;                                                       \
}                                                                           \
RB_DECLARE_CALLBACKS(RBSTATIC, RBNAME, RBSTRUCT, RBFIELD, RBAUGMENTED,      \
		     RBNAME##_compute_max)

/* --- tree-core internals shared by rbtree.c and the inline erase below --- */

#define RB_RED		0UL
#define RB_BLACK	1UL

static inline unsigned long rb_color(const struct rb_node *node)
{
	return node->rb_parent_color & 1UL;
}

static inline bool rb_is_red(const struct rb_node *node)
{
	return rb_color(node) == RB_RED;
}

static inline bool rb_is_black(const struct rb_node *node)
{
	return rb_color(node) == RB_BLACK;
}

/* Sets node's parent, keeping its colour. */
static inline void rb_set_parent(struct rb_node *node, struct rb_node *parent)
{
	node->rb_parent_color = rb_color(node) | (unsigned long)parent;
}

static inline void rb_set_parent_color(struct rb_node *node,
				       struct rb_node *parent,
				       unsigned long color)
{
	node->rb_parent_color = (unsigned long)parent | color;
}

/* Points the slot of parent (or the root) that held old at new. */
static inline void rb_change_child(struct rb_node *old, struct rb_node *new,
				   struct rb_node *parent, struct rb_root *root)
{
	if (!parent)
		root->rb_node = new;
	else if (parent->rb_left == old)
		parent->rb_left = new;
	else
		parent->rb_right = new;
}

/*
 * Unlinks node from the tree, keeping augmented values right, and returns
 * the node from which colours must be repaired (the parent of a removed
 * black leaf position), or NULL when no repair is needed.
 *
 * Three cases; N is the node erased, S its successor (the leftmost node
 * of N's right subtree), x S's right child if any, P S's old parent:
 *
 *   (1) N has at most one child c: c takes N's place.
 *
 *          |           |
 *          N    -->    c
 *         /
 *        c
 *
 *   (2) S is N's right child: S moves up, keeping x.
 *
 *          N            S
 *         / \          / \
 *        a   S   -->  a   x
 *             \
 *              x
 *
 *   (3) S is deeper: x takes S's place under P, then S takes N's place.
 *
 *          N              S
 *         / \            / \
 *        a   r          a   r
 *           /    -->       /
 *         ...            ...
 *         /              /
 *        P              P
 *       /              /
 *      S              x
 *       \
 *        x
 *
 * In (1) a lone child is red under a black N, so taking N's colour keeps
 * every path's black count; a childless black N leaves its parent's paths
 * one black short. In (2) and (3) S takes N's colour, so the loss is where
 * S was: x (red under a black S) turns black, or, with no x and a black S,
 * the colours are repaired from S's old parent (S itself in case 2).
 */
static inline __attribute__((always_inline)) struct rb_node *
rb_erase_unlink(struct rb_node *node, struct rb_root *root,
		const struct rb_augment_callbacks *cb)
{
	struct rb_node *child = node->rb_right;
	struct rb_node *left = node->rb_left;
	struct rb_node *parent, *rebalance, *top;
	unsigned long pc = node->rb_parent_color;

	if (!left) {
		/* Case 1, right child or none. */
		parent = rb_parent(node);
		rb_change_child(node, child, parent, root);
		if (child) {
			child->rb_parent_color = pc;
			rebalance = NULL;
		} else {
			rebalance = (pc & 1UL) == RB_BLACK ? parent : NULL;
		}
		top = parent;
	} else if (!child) {
		/* Case 1, left child only: it is red, node is black. */
		left->rb_parent_color = pc;
		parent = rb_parent(node);
		rb_change_child(node, left, parent, root);
		rebalance = NULL;
		top = parent;
	} else {
		struct rb_node *successor = child, *x;

		if (!child->rb_left) {
			/* Case 2: the successor is node's right child. */
			parent = successor;
			x = successor->rb_right;
			cb->copy(node, successor);
		} else {
			/* Case 3: descend to the leftmost node of the right subtree. */
			do {
				parent = successor;
				successor = successor->rb_left;
			} while (successor->rb_left);
			x = successor->rb_right;
			parent->rb_left = x;
			successor->rb_right = child;
			rb_set_parent(child, successor);
			cb->copy(node, successor);
			/* S left parent's subtree: fix parent .. child. */
			cb->propagate(parent, successor);
		}
		successor->rb_left = left;
		rb_set_parent(left, successor);
		rb_change_child(node, successor, rb_parent(node), root);
		if (x) {
			/* x was a red child of the black S: blacken it. */
			rb_set_parent_color(x, parent, RB_BLACK);
			rebalance = NULL;
		} else {
			rebalance = rb_is_black(successor) ? parent : NULL;
		}
		successor->rb_parent_color = pc;
		top = successor;
	}
	/* top's subtree lost node: recompute from it to the root. */
	cb->propagate(top, NULL);
	return rebalance;
}

/* Removes node from an augmented tree. O(log n). Mirrors rb_erase_augmented(). */
static inline void rb_erase_augmented(struct rb_node *node,
				      struct rb_root *root,
				      const struct rb_augment_callbacks *cb)
{
	struct rb_node *rebalance = rb_erase_unlink(node, root, cb);

	if (rebalance)
		rb_erase_rebalance(rebalance, root, cb->rotate);
}

#endif /* SIM_LIB_RBTREE_AUGMENTED_H */
