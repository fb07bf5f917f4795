/*
 * evq.c - binary min-heap on (time, seq); see evq.h.
 *
 * The heap is the usual implicit tree in an array: the children of slot i
 * are 2i+1 and 2i+2, and no event is earlier than its parent.
 */
#include <errno.h>
#include <stdlib.h>

#include "core/evq.h"

static inline bool ev_before(const struct event *a, const struct event *b)
{
	return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

void evq_init(struct evq *q)
{
	q->heap = NULL;
	q->len = q->cap = 0;
	q->next_seq = 0;
}

void evq_destroy(struct evq *q)
{
	free(q->heap);
	evq_init(q);
}

int evq_push(struct evq *q, uint64_t time, uint32_t type, uint32_t arg)
{
	struct event ev = { time, q->next_seq++, type, arg };
	size_t i;

	if (q->len == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 64;
		struct event *h = realloc(q->heap, cap * sizeof(*h));

		if (!h)
			return -ENOMEM;
		q->heap = h;
		q->cap = cap;
	}
	/* Sift up: move the hole from the new leaf toward the root. */
	for (i = q->len++; i > 0; ) {
		size_t parent = (i - 1) / 2;

		if (!ev_before(&ev, &q->heap[parent]))
			break;
		q->heap[i] = q->heap[parent];
		i = parent;
	}
	q->heap[i] = ev;
	return 0;
}

bool evq_pop(struct evq *q, struct event *out)
{
	struct event last;
	size_t i = 0;

	if (!q->len)
		return false;
	*out = q->heap[0];
	last = q->heap[--q->len];
	/* Sift down: move the hole from the root toward the leaves. */
	for (;;) {
		size_t child = 2 * i + 1;

		if (child >= q->len)
			break;
		if (child + 1 < q->len && ev_before(&q->heap[child + 1], &q->heap[child]))
			child++;
		if (!ev_before(&q->heap[child], &last))
			break;
		q->heap[i] = q->heap[child];
		i = child;
	}
	q->heap[i] = last;
	return true;
}
