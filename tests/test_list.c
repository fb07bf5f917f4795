/*
 * test_list.c - suite list: sim/lib/list.h.
 *
 * Every operation is checked by the exact order it leaves, read both ways
 * round the ring (so a broken prev pointer is caught as well as a broken
 * next), plus a fixed-seed random run against an array model.
 */
#include <stdint.h>
#include <string.h>

#include "common.h"
#include "lib/list.h"

struct item {
	int id;			/* what the order checks print */
	struct list_head link;	/* on the list under test */
};

/*
 * Writes the ids of head's list as "1 2 3" into buf, after checking that
 * the backward walk is the exact reverse of the forward one.
 */
static const char *order(const struct list_head *head, char *buf, size_t len)
{
	int fwd[64], n = 0, i;
	const struct list_head *p;
	size_t off = 0;

	buf[0] = '\0';
	for (p = head->next; p != head; p = p->next) {
		cr_assert_lt(n, 64, "list longer than 64 (a broken ring?)");
		cr_assert_eq(p->next->prev, p, "next->prev does not lead back");
		fwd[n++] = list_entry(p, struct item, link)->id;
	}
	cr_assert_eq(head->next->prev, head);
	i = n;
	for (p = head->prev; p != head; p = p->prev) {
		cr_assert_gt(i, 0, "backward walk is longer than forward");
		cr_assert_eq(list_entry(p, struct item, link)->id, fwd[--i]);
	}
	cr_assert_eq(i, 0, "backward walk is shorter than forward");
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%d",
					i ? " " : "", fwd[i]);
	return buf;
}

#define ASSERT_ORDER(head, want)                                           \
	do {                                                               \
		char buf_[256];                                            \
		cr_assert_str_eq(order(head, buf_, sizeof(buf_)), want);   \
	} while (0)

static void init_items(struct item *it, int n)
{
	for (int i = 0; i < n; i++) {
		it[i].id = i;
		INIT_LIST_HEAD(&it[i].link);
	}
}

Test(list, empty_head_points_at_itself)
{
	LIST_HEAD(head);
	struct list_head dyn;

	cr_assert(list_empty(&head));
	cr_assert_eq(head.next, &head);
	cr_assert_eq(head.prev, &head);
	INIT_LIST_HEAD(&dyn);
	cr_assert(list_empty(&dyn));
	cr_assert_not(list_is_singular(&dyn));
	cr_assert_eq(list_count(&dyn), 0);
	cr_assert_null(list_first_entry_or_null(&dyn, struct item, link));
	ASSERT_ORDER(&head, "");
}

Test(list, add_pushes_at_front_and_add_tail_appends)
{
	LIST_HEAD(head);
	struct item it[6];

	init_items(it, 6);
	list_add(&it[1].link, &head);
	ASSERT_ORDER(&head, "1");
	cr_assert(list_is_singular(&head));
	list_add(&it[2].link, &head);
	ASSERT_ORDER(&head, "2 1");
	list_add_tail(&it[3].link, &head);
	ASSERT_ORDER(&head, "2 1 3");
	list_add_tail(&it[4].link, &head);
	ASSERT_ORDER(&head, "2 1 3 4");
	/* Adding after an entry (not the head) inserts in the middle. */
	list_add(&it[5].link, &it[1].link);
	ASSERT_ORDER(&head, "2 1 5 3 4");
	list_add_tail(&it[0].link, &it[1].link);
	ASSERT_ORDER(&head, "2 0 1 5 3 4");
	cr_assert_eq(list_count(&head), 6);
	cr_assert_not(list_is_singular(&head));
}

Test(list, del_unlinks_and_del_init_leaves_empty_node)
{
	LIST_HEAD(head);
	struct item it[5];

	init_items(it, 5);
	for (int i = 0; i < 5; i++)
		list_add_tail(&it[i].link, &head);
	list_del(&it[2].link);
	ASSERT_ORDER(&head, "0 1 3 4");
	cr_assert_null(it[2].link.next);
	cr_assert_null(it[2].link.prev);
	list_del(&it[0].link);		/* first */
	ASSERT_ORDER(&head, "1 3 4");
	list_del(&it[4].link);		/* last */
	ASSERT_ORDER(&head, "1 3");
	list_del_init(&it[3].link);
	ASSERT_ORDER(&head, "1");
	cr_assert(list_empty(&it[3].link));
	list_del_init(&it[1].link);
	ASSERT_ORDER(&head, "");
	cr_assert(list_empty(&head));
	/* A del_init node can go straight back on a list. */
	list_add(&it[3].link, &head);
	ASSERT_ORDER(&head, "3");
}

Test(list, replace_takes_old_position)
{
	LIST_HEAD(head);
	struct item it[4];

	init_items(it, 4);
	for (int i = 0; i < 3; i++)
		list_add_tail(&it[i].link, &head);
	list_replace(&it[1].link, &it[3].link);
	ASSERT_ORDER(&head, "0 3 2");
	list_replace(&it[0].link, &it[1].link);
	ASSERT_ORDER(&head, "1 3 2");
	list_replace(&it[2].link, &it[0].link);
	ASSERT_ORDER(&head, "1 3 0");

	/* Replacing an empty head makes the new head empty. */
	LIST_HEAD(empty);
	struct list_head other;

	list_replace(&empty, &other);
	cr_assert(list_empty(&other));
}

Test(list, move_and_move_tail_relocate_entries)
{
	LIST_HEAD(a);
	LIST_HEAD(b);
	struct item it[4];

	init_items(it, 4);
	for (int i = 0; i < 4; i++)
		list_add_tail(&it[i].link, &a);
	list_move(&it[2].link, &b);
	ASSERT_ORDER(&a, "0 1 3");
	ASSERT_ORDER(&b, "2");
	list_move_tail(&it[0].link, &b);
	ASSERT_ORDER(&a, "1 3");
	ASSERT_ORDER(&b, "2 0");
	list_move(&it[3].link, &b);
	ASSERT_ORDER(&b, "3 2 0");
	list_move_tail(&it[3].link, &b);	/* within the same list */
	ASSERT_ORDER(&b, "2 0 3");
	ASSERT_ORDER(&a, "1");
}

Test(list, first_last_is_last_and_neighbours)
{
	LIST_HEAD(head);
	struct item it[3];

	init_items(it, 3);
	for (int i = 0; i < 3; i++)
		list_add_tail(&it[i].link, &head);
	cr_assert_eq(list_first_entry(&head, struct item, link), &it[0]);
	cr_assert_eq(list_first_entry_or_null(&head, struct item, link),
		     &it[0]);
	cr_assert_eq(list_last_entry(&head, struct item, link), &it[2]);
	cr_assert_eq(list_next_entry(&it[0], link), &it[1]);
	cr_assert_eq(list_prev_entry(&it[2], link), &it[1]);
	cr_assert(list_is_last(&it[2].link, &head));
	cr_assert_not(list_is_last(&it[1].link, &head));
	cr_assert(list_is_first(&it[0].link, &head));
	cr_assert_not(list_is_first(&it[1].link, &head));
	/* Past the ends lies the head itself. */
	cr_assert_eq(it[2].link.next, &head);
	cr_assert_eq(it[0].link.prev, &head);
}

Test(list, iterators_visit_in_order_and_reverse)
{
	LIST_HEAD(head);
	struct item it[5], *pos;
	struct list_head *p;
	int seen[5], n;

	init_items(it, 5);
	for (int i = 0; i < 5; i++)
		list_add_tail(&it[i].link, &head);
	n = 0;
	list_for_each(p, &head)
		seen[n++] = list_entry(p, struct item, link)->id;
	cr_assert_eq(n, 5);
	for (int i = 0; i < 5; i++)
		cr_assert_eq(seen[i], i);
	n = 0;
	list_for_each_entry(pos, &head, link)
		seen[n++] = pos->id;
	cr_assert_eq(n, 5);
	for (int i = 0; i < 5; i++)
		cr_assert_eq(seen[i], i);
	n = 0;
	list_for_each_entry_reverse(pos, &head, link)
		seen[n++] = pos->id;
	cr_assert_eq(n, 5);
	for (int i = 0; i < 5; i++)
		cr_assert_eq(seen[i], 4 - i);

	LIST_HEAD(empty);
	n = 0;
	list_for_each_entry(pos, &empty, link)
		n++;
	list_for_each_entry_reverse(pos, &empty, link)
		n++;
	cr_assert_eq(n, 0);
}

Test(list, safe_iterators_allow_deleting_the_current_entry)
{
	LIST_HEAD(head);
	struct item it[6], *pos, *tmp;
	struct list_head *p, *q;

	init_items(it, 6);
	for (int i = 0; i < 6; i++)
		list_add_tail(&it[i].link, &head);
	/* Drop the odd ids while walking. */
	list_for_each_entry_safe(pos, tmp, &head, link)
		if (pos->id % 2)
			list_del(&pos->link);
	ASSERT_ORDER(&head, "0 2 4");
	/* Drop everything, the last entry included. */
	list_for_each_safe(p, q, &head)
		list_del_init(p);
	ASSERT_ORDER(&head, "");
	cr_assert(list_empty(&it[4].link));
}

Test(list, splice_tail_init_appends_and_empties_source)
{
	LIST_HEAD(a);
	LIST_HEAD(b);
	struct item it[6];

	init_items(it, 6);
	list_add_tail(&it[0].link, &a);
	list_add_tail(&it[1].link, &a);
	list_add_tail(&it[2].link, &b);
	list_add_tail(&it[3].link, &b);
	list_add_tail(&it[4].link, &b);
	list_splice_tail_init(&b, &a);
	ASSERT_ORDER(&a, "0 1 2 3 4");
	ASSERT_ORDER(&b, "");
	cr_assert(list_empty(&b));
	/* Splicing an empty list changes nothing. */
	list_splice_tail_init(&b, &a);
	ASSERT_ORDER(&a, "0 1 2 3 4");
	/* Splicing into an empty list moves everything over. */
	list_splice_tail_init(&a, &b);
	ASSERT_ORDER(&a, "");
	ASSERT_ORDER(&b, "0 1 2 3 4");
	/* splice_init puts the entries in front instead. */
	list_add(&it[5].link, &a);
	list_splice_init(&a, &b);
	ASSERT_ORDER(&b, "5 0 1 2 3 4");
	ASSERT_ORDER(&a, "");
}

/*
 * Random add/add_tail/del/move against an array model, fixed seed; the
 * whole order is compared after every operation.
 */
Test(list, random_ops_match_array_model)
{
	const uint64_t seed = 0x6c69737400000001ULL;
	uint64_t rng = seed;
	LIST_HEAD(head);
	struct item it[32];
	int model[32], n = 0;
	bool on[32] = { false };

	TEST_SEED(seed);
	init_items(it, 32);
	for (int op = 0; op < 20000; op++) {
		int id = (int)test_rand_below(&rng, 32);
		int kind = (int)test_rand_below(&rng, 3);
		int at = -1;

		for (int i = 0; i < n; i++)
			if (model[i] == id)
				at = i;
		if (!on[id]) {
			if (kind == 0) {
				list_add(&it[id].link, &head);
				memmove(model + 1, model, (size_t)n * sizeof(int));
				model[0] = id;
			} else {
				list_add_tail(&it[id].link, &head);
				model[n] = id;
			}
			n++;
			on[id] = true;
		} else if (kind == 0) {
			list_del(&it[id].link);
			memmove(model + at, model + at + 1,
				(size_t)(n - at - 1) * sizeof(int));
			n--;
			on[id] = false;
		} else {
			/* move to the front (1) or the back (2) */
			memmove(model + at, model + at + 1,
				(size_t)(n - at - 1) * sizeof(int));
			if (kind == 1) {
				list_move(&it[id].link, &head);
				memmove(model + 1, model,
					(size_t)(n - 1) * sizeof(int));
				model[0] = id;
			} else {
				list_move_tail(&it[id].link, &head);
				model[n - 1] = id;
			}
		}
		char want[256], got[256];
		size_t off = 0;

		want[0] = '\0';
		for (int i = 0; i < n; i++)
			off += (size_t)snprintf(want + off, sizeof(want) - off,
						"%s%d", i ? " " : "", model[i]);
		order(&head, got, sizeof(got));
		if (strcmp(want, got))
			cr_assert_fail("op %d: list \"%s\", model \"%s\"", op, got,
				       want);
		cr_assert_eq(list_count(&head), (size_t)n);
	}
}
