/*
 * list.h - intrusive, circular, doubly linked list (Linux include/linux/list.h).
 *
 * A list is a struct list_head "head" that belongs to the owner of the list,
 * plus one struct list_head embedded in every object on it. The head and the
 * nodes form one ring; an empty list is a head pointing at itself:
 *
 *      empty:   head <-> head
 *
 *                 +-------------------------------------+
 *                 v                                     |
 *      3 items: head <-> a.link <-> b.link <-> c.link --+   (and back: prev)
 *
 * No allocation happens here: adding an object links the node it carries,
 * and list_entry()/container_of() turns a node back into its object. Because
 * the ring has no NULL ends, insertion and removal never test for the edges.
 *
 * Every function is static inline and has Linux's name and semantics, so
 * code written against Linux's list API reads the same here. Deviation:
 * list_del() sets the removed node's pointers to NULL (Linux writes poison
 * values); a later use of the stale node then faults at once.
 *
 * Nothing here is thread-safe; vmsim is single-threaded per simulation.
 */
#ifndef SIM_LIB_LIST_H
#define SIM_LIB_LIST_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/compiler.h"

struct list_head {
	struct list_head *next; /* following node, or the head after the last */
	struct list_head *prev; /* preceding node, or the head before the first */
};

/* Static initialiser of an empty list: LIST_HEAD_INIT(name) for a head named name. */
#define LIST_HEAD_INIT(name) { &(name), &(name) }

/* Defines a variable holding an empty list. */
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)

/* Makes list an empty list (or a detached node that list_empty() reports). */
static inline void INIT_LIST_HEAD(struct list_head *list)
{
	list->next = list;
	list->prev = list;
}

/* Links node between two nodes known to be adjacent. */
static inline void list_link_between(struct list_head *node,
				     struct list_head *prev,
				     struct list_head *next)
{
	next->prev = node;
	node->next = next;
	node->prev = prev;
	prev->next = node;
}

/* Joins prev and next, dropping whatever was between them from the ring. */
static inline void list_unlink_between(struct list_head *prev,
				       struct list_head *next)
{
	next->prev = prev;
	prev->next = next;
}

/* Inserts node right after head: list_add() on the head pushes a stack. */
static inline void list_add(struct list_head *node, struct list_head *head)
{
	list_link_between(node, head, head->next);
}

/* Inserts node right before head, i.e. at the tail of the list (a queue). */
static inline void list_add_tail(struct list_head *node, struct list_head *head)
{
	list_link_between(node, head->prev, head);
}

/*
 * Removes entry from its list. Precondition: entry is on a list. Afterwards
 * its pointers are NULL, so list_empty(entry) must not be asked; use
 * list_del_init() for an entry that will be tested or re-added later.
 */
static inline void list_del(struct list_head *entry)
{
	list_unlink_between(entry->prev, entry->next);
	entry->next = NULL;
	entry->prev = NULL;
}

/* Removes entry from its list and leaves it an empty, self-linked node. */
static inline void list_del_init(struct list_head *entry)
{
	list_unlink_between(entry->prev, entry->next);
	INIT_LIST_HEAD(entry);
}

/*
 * Puts node where old is. old's own pointers are left as they were (stale);
 * if old was an empty head, node becomes an empty head too.
 */
static inline void list_replace(struct list_head *old, struct list_head *node)
{
	node->next = old->next;
	node->next->prev = node;
	node->prev = old->prev;
	node->prev->next = node;
}

/* Moves entry from its list to just after head. */
static inline void list_move(struct list_head *entry, struct list_head *head)
{
	list_unlink_between(entry->prev, entry->next);
	list_add(entry, head);
}

/* Moves entry from its list to the tail of head's list. */
static inline void list_move_tail(struct list_head *entry,
				  struct list_head *head)
{
	list_unlink_between(entry->prev, entry->next);
	list_add_tail(entry, head);
}

/* True if head's list has no entries. */
static inline bool list_empty(const struct list_head *head)
{
	return head->next == head;
}

/* True if entry is the last entry of the list whose head is head. */
static inline bool list_is_last(const struct list_head *entry,
				const struct list_head *head)
{
	return entry->next == head;
}

/* True if entry is the first entry of the list whose head is head. */
static inline bool list_is_first(const struct list_head *entry,
				 const struct list_head *head)
{
	return entry->prev == head;
}

/* True if head's list holds exactly one entry. */
static inline bool list_is_singular(const struct list_head *head)
{
	return !list_empty(head) && head->next == head->prev;
}

/*
 * Moves every entry of list to the tail of head's list, keeping their order,
 * and leaves list empty. Either list may be empty.
 */
static inline void list_splice_tail_init(struct list_head *list,
					 struct list_head *head)
{
	if (list_empty(list))
		return;
	struct list_head *first = list->next;
	struct list_head *last = list->prev;
	struct list_head *at = head->prev;

	first->prev = at;
	at->next = first;
	last->next = head;
	head->prev = last;
	INIT_LIST_HEAD(list);
}

/* Moves every entry of list to the front of head's list; list becomes empty. */
static inline void list_splice_init(struct list_head *list,
				    struct list_head *head)
{
	if (list_empty(list))
		return;
	struct list_head *first = list->next;
	struct list_head *last = list->prev;
	struct list_head *at = head->next;

	first->prev = head;
	head->next = first;
	last->next = at;
	at->prev = last;
	INIT_LIST_HEAD(list);
}

/* Number of entries on head's list: O(n), for tests and validators. */
static inline size_t list_count(const struct list_head *head)
{
	size_t n = 0;

	for (const struct list_head *p = head->next; p != head; p = p->next)
		n++;
	return n;
}

/* The object of type `type` whose `member` field is the node ptr. */
#define list_entry(ptr, type, member) container_of(ptr, type, member)

/* The first object on the list. Precondition: the list is not empty. */
#define list_first_entry(head, type, member) \
	list_entry((head)->next, type, member)

/* The last object on the list. Precondition: the list is not empty. */
#define list_last_entry(head, type, member) \
	list_entry((head)->prev, type, member)

/* The first object on the list, or NULL when the list is empty. */
#define list_first_entry_or_null(head, type, member)                      \
	(list_empty(head) ? NULL : list_first_entry(head, type, member))

/* The object after pos (after the last one this is the head's container). */
#define list_next_entry(pos, member) \
	list_entry((pos)->member.next, __typeof__(*(pos)), member)

/* The object before pos. */
#define list_prev_entry(pos, member) \
	list_entry((pos)->member.prev, __typeof__(*(pos)), member)

/* Iterates pos over the nodes of head's list; pos must not be removed. */
#define list_for_each(pos, head) \
	for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

/* Same, tolerating removal of pos; tmp holds the next node. */
#define list_for_each_safe(pos, tmp, head)                                \
	for ((pos) = (head)->next, (tmp) = (pos)->next; (pos) != (head);  \
	     (pos) = (tmp), (tmp) = (pos)->next)

/* Iterates pos over the objects of head's list, first to last. */
#define list_for_each_entry(pos, head, member)                            \
	for ((pos) = list_first_entry(head, __typeof__(*(pos)), member);  \
	     &(pos)->member != (head);                                    \
	     (pos) = list_next_entry(pos, member))

/* Iterates pos over the objects of head's list, last to first. */
#define list_for_each_entry_reverse(pos, head, member)                    \
	for ((pos) = list_last_entry(head, __typeof__(*(pos)), member);   \
	     &(pos)->member != (head);                                    \
	     (pos) = list_prev_entry(pos, member))

/*
 * Iterates pos over the objects of head's list, first to last, allowing the
 * loop body to remove (or free) pos: tmp already holds the next object.
 */
#define list_for_each_entry_safe(pos, tmp, head, member)                  \
	for ((pos) = list_first_entry(head, __typeof__(*(pos)), member),  \
	     (tmp) = list_next_entry(pos, member);                        \
	     &(pos)->member != (head);                                    \
	     (pos) = (tmp), (tmp) = list_next_entry(tmp, member))

#endif /* SIM_LIB_LIST_H */
