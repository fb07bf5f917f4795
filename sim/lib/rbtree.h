/*
 * rbtree.h - intrusive red-black tree (Linux include/linux/rbtree.h).
 *
 * The tree holds no keys and calls no comparison function. An object that
 * lives in a tree embeds a struct rb_node; rb_entry() turns the node back
 * into the object. To insert, the caller walks down from the root comparing
 * its own keys, which yields the parent and the child slot to fill, then
 * calls
 *
 *	rb_link_node(&obj->rb, parent, link);	 attach as a red leaf
 *	rb_insert_color(&obj->rb, root);	 restore the colour rules
 *
 * and to remove, rb_erase(&obj->rb, root). Nothing is allocated: the tree
 * cannot fail, and the caller keeps its objects wherever it likes.
 *
 * Layout: the parent pointer and the colour share one word (bit 0 is the
 * colour, possible because nodes are at least 2-byte aligned), so a node
 * is three words, 24 bytes on LP64, as in Linux.
 *
 * The rebalancing code lives in rbtree.c; rbtree_augmented.h adds the
 * variant that keeps a per-subtree summary (Linux's rb_subtree_gap) up to
 * date through rotations. The plain tree is that same code with no-op
 * callbacks.
 */
#ifndef SIM_LIB_RBTREE_H
#define SIM_LIB_RBTREE_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/compiler.h"

struct rb_node {
	unsigned long rb_parent_color;	/* parent address | colour (bit 0: 1 black) */
	struct rb_node *rb_right;	/* subtree of greater keys, or NULL */
	struct rb_node *rb_left;	/* subtree of smaller keys, or NULL */
} __attribute__((aligned(sizeof(long))));

struct rb_root {
	struct rb_node *rb_node;	/* the root node, NULL for an empty tree */
};

/* Initialiser of an empty tree. */
#define RB_ROOT (struct rb_root) { NULL }

/* The object of type `type` whose `member` field is the node ptr. */
#define rb_entry(ptr, type, member) container_of(ptr, type, member)

/* Same, but NULL stays NULL. */
#define rb_entry_safe(ptr, type, member)                                  \
	__extension__({                                                    \
		struct rb_node *rb_entry_safe_p_ = (ptr);                  \
		rb_entry_safe_p_ ? rb_entry(rb_entry_safe_p_, type, member) \
				 : NULL;                                   \
	})

/* True if the tree has no node. */
#define RB_EMPTY_ROOT(root) ((root)->rb_node == NULL)

/*
 * A node that is in no tree can be marked by RB_CLEAR_NODE() (it points at
 * itself as its parent, which no linked node does) and recognised by
 * RB_EMPTY_NODE(). rb_erase() does not mark the node; do it after erasing
 * if the node's membership will be asked later.
 */
#define RB_EMPTY_NODE(node) \
	((node)->rb_parent_color == (unsigned long)(node))
#define RB_CLEAR_NODE(node) \
	((node)->rb_parent_color = (unsigned long)(node))

/* The parent of node, NULL for the root. */
static inline struct rb_node *rb_parent(const struct rb_node *node)
{
	return (struct rb_node *)(node->rb_parent_color & ~3UL);
}

/*
 * Attaches node as a red leaf in the slot *rb_link of parent (parent NULL
 * and rb_link == &root->rb_node for the first node). The caller found both
 * in its descent; the tree is not balanced again until rb_insert_color()
 * (or rb_insert_augmented()) is called, and nothing else may happen to the
 * tree in between.
 */
static inline void rb_link_node(struct rb_node *node, struct rb_node *parent,
				struct rb_node **rb_link)
{
	node->rb_parent_color = (unsigned long)parent;	/* colour bit 0: red */
	node->rb_left = NULL;
	node->rb_right = NULL;
	*rb_link = node;
}

/*
 * Rebalances after rb_link_node() put node in the tree. O(log n), at most
 * two rotations. Mirrors Linux rb_insert_color().
 */
void rb_insert_color(struct rb_node *node, struct rb_root *root);

/*
 * Removes node from the tree and rebalances. O(log n), at most three
 * rotations. The node's own fields are left stale. Mirrors Linux rb_erase().
 */
void rb_erase(struct rb_node *node, struct rb_root *root);

/* The node with the smallest key, NULL if the tree is empty. */
struct rb_node *rb_first(const struct rb_root *root);

/* The node with the greatest key, NULL if the tree is empty. */
struct rb_node *rb_last(const struct rb_root *root);

/* The in-order successor of node, NULL after the last (or for a cleared node). */
struct rb_node *rb_next(const struct rb_node *node);

/* The in-order predecessor of node, NULL before the first (or for a cleared node). */
struct rb_node *rb_prev(const struct rb_node *node);

/*
 * Puts node in victim's place (same parent, children and colour) without
 * rebalancing. The caller guarantees node sorts where victim did, and, in an
 * augmented tree, carries the same augmented value. victim is left stale.
 */
void rb_replace_node(struct rb_node *victim, struct rb_node *node,
		     struct rb_root *root);

/*
 * Checks the red-black properties of the whole tree, for tests and
 * validators: the root is black and has no parent, no red node has a red
 * child, every child points back at its parent, and every path from the
 * root to a NULL leaf holds the same number of black nodes.
 * Returns that black height (0 for an empty tree), or -1 with the first
 * violation written to why (len bytes; why may be NULL). O(n), recursive to
 * the tree's depth. Key order and augmented values are the caller's to check.
 */
int rb_validate(const struct rb_root *root, char *why, size_t len);

#endif /* SIM_LIB_RBTREE_H */
