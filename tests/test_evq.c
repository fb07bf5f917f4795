/*
 * test_evq.c - the discrete-event queue (sim/core/evq.c).
 *
 * The queue's contract is the order of pops: by time, and among equal
 * times by the order of pushes (seq). The random test drives it and a
 * naive model (an unsorted array searched for its (time, seq) minimum)
 * with the same seeded pushes and pops and compares every popped event.
 */
#include <stdlib.h>

#include "common.h"
#include "core/evq.h"

TestSuite(evq);

Test(evq, empty_queue_pops_nothing)
{
	struct evq q;
	struct event ev = { 7, 7, 7, 7 };

	evq_init(&q);
	cr_assert_eq(evq_len(&q), 0);
	cr_assert_not(evq_pop(&q, &ev));
	/* the output is left alone */
	cr_assert_eq(ev.time, 7);
	evq_destroy(&q);
}

Test(evq, pops_in_time_order)
{
	static const uint64_t times[] = { 50, 10, 40, 0, 30, 20, 60 };
	struct evq q;
	struct event ev;

	evq_init(&q);
	for (unsigned i = 0; i < 7; i++)
		cr_assert_eq(evq_push(&q, times[i], EV_PROC_STEP, i), 0);
	cr_assert_eq(evq_len(&q), 7);
	for (uint64_t t = 0; t <= 60; t += 10) {
		cr_assert(evq_pop(&q, &ev));
		cr_assert_eq(ev.time, t);
		/* arg i was pushed with times[i]; seq is the push index */
		cr_assert_eq(times[ev.arg], t);
		cr_assert_eq(ev.seq, ev.arg);
		cr_assert_eq(ev.type, EV_PROC_STEP);
	}
	cr_assert_not(evq_pop(&q, &ev));
	evq_destroy(&q);
}

Test(evq, equal_times_pop_in_push_order)
{
	struct evq q;
	struct event ev;

	/* 1000 events at three times, pushed interleaved: each time's events
	 * must come back FIFO. */
	evq_init(&q);
	for (uint32_t i = 0; i < 1000; i++)
		cr_assert_eq(evq_push(&q, (uint64_t)(2 - i % 3) * 100, EV_SAMPLE, i), 0);
	for (uint64_t t = 0; t <= 200; t += 100) {
		uint32_t want = (uint32_t)(2 - t / 100);   /* first i with this time */

		for (; want < 1000; want += 3) {
			cr_assert(evq_pop(&q, &ev));
			cr_assert_eq(ev.time, t);
			cr_assert_eq(ev.arg, want, "time %llu: got arg %u, want %u",
				     (unsigned long long)t, ev.arg, want);
			cr_assert_eq(ev.seq, want);
		}
	}
	cr_assert_eq(evq_len(&q), 0);
	evq_destroy(&q);
}

Test(evq, all_at_one_time_is_fifo_across_growth)
{
	struct evq q;
	struct event ev;

	evq_init(&q);
	for (uint32_t i = 0; i < 5000; i++)
		cr_assert_eq(evq_push(&q, 42, EV_PROC_STEP, i), 0);
	for (uint32_t i = 0; i < 5000; i++) {
		cr_assert(evq_pop(&q, &ev));
		cr_assert_eq(ev.arg, i);
	}
	evq_destroy(&q);
}

Test(evq, grows_past_initial_capacity)
{
	struct evq q;
	struct event ev;
	size_t first_cap;

	evq_init(&q);
	cr_assert_eq(q.cap, 0);
	cr_assert_eq(evq_push(&q, 1000, EV_PROC_STEP, 0), 0);
	first_cap = q.cap;
	cr_assert_eq(first_cap, 64);
	/* descending times: every push sifts to the root */
	for (uint32_t i = 1; i < 10000; i++)
		cr_assert_eq(evq_push(&q, 1000 - i % 1000, EV_PROC_STEP, i), 0);
	cr_assert_eq(evq_len(&q), 10000);
	cr_assert_geq(q.cap, 10000);
	cr_assert_eq(q.cap, 16384);   /* doubles: 64 * 2^8 */
	{
		uint64_t last_time = 0, last_seq = 0;

		for (unsigned n = 0; n < 10000; n++) {
			cr_assert(evq_pop(&q, &ev));
			if (n)
				cr_assert(ev.time > last_time ||
					  (ev.time == last_time && ev.seq > last_seq),
					  "pop %u: (%llu,%llu) after (%llu,%llu)", n,
					  (unsigned long long)ev.time,
					  (unsigned long long)ev.seq,
					  (unsigned long long)last_time,
					  (unsigned long long)last_seq);
			last_time = ev.time;
			last_seq = ev.seq;
		}
		cr_assert_eq(last_time, 1000);
	}
	/* 1000 - i%1000 == 1 first for i = 999: that is the first pop */
	evq_destroy(&q);
	cr_assert_null(q.heap);
	cr_assert_eq(q.len, 0);
}

Test(evq, seq_keeps_counting_after_pops)
{
	struct evq q;
	struct event ev;

	evq_init(&q);
	evq_push(&q, 5, EV_PROC_STEP, 0);
	evq_push(&q, 5, EV_PROC_STEP, 1);
	cr_assert(evq_pop(&q, &ev));
	cr_assert_eq(ev.seq, 0);
	/* pushed later at the same time: after the one still queued */
	evq_push(&q, 5, EV_SAMPLE, 2);
	cr_assert(evq_pop(&q, &ev));
	cr_assert_eq(ev.arg, 1);
	cr_assert(evq_pop(&q, &ev));
	cr_assert_eq(ev.arg, 2);
	cr_assert_eq(ev.seq, 2);
	cr_assert_eq(ev.type, EV_SAMPLE);
	evq_destroy(&q);
}

/* ---- differential test against a naive model ---- */

struct model {
	struct event *ev;
	size_t len, cap;
};

static void model_push(struct model *m, const struct event *e)
{
	if (m->len == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 256;
		m->ev = realloc(m->ev, m->cap * sizeof(*m->ev));
		cr_assert_not_null(m->ev);
	}
	m->ev[m->len++] = *e;
}

static bool model_pop(struct model *m, struct event *out)
{
	size_t best = 0;

	if (!m->len)
		return false;
	for (size_t i = 1; i < m->len; i++)
		if (m->ev[i].time < m->ev[best].time ||
		    (m->ev[i].time == m->ev[best].time && m->ev[i].seq < m->ev[best].seq))
			best = i;
	*out = m->ev[best];
	m->ev[best] = m->ev[--m->len];
	return true;
}

Test(evq, random_push_pop_matches_naive_model)
{
	const uint64_t seed = 0x5eed0e7c;
	uint64_t rng = seed, now = 0, seq = 0;
	struct model m = { 0 };
	struct evq q;
	struct event a, b;

	TEST_SEED(seed);
	evq_init(&q);
	for (unsigned step = 0; step < 40000; step++) {
		/* push-biased for the first half (the heap grows to thousands),
		 * pop-biased after (it drains) */
		unsigned push_pct = step < 20000 ? 60 : 40;

		if (test_rand_below(&rng, 100) < push_pct) {
			/* times from now on, small range: many ties */
			struct event e = {
				.time = now + test_rand_below(&rng, 64),
				.seq = seq++,
				.type = (uint32_t)test_rand_below(&rng, 2),
				.arg = step,
			};

			cr_assert_eq(evq_push(&q, e.time, e.type, e.arg), 0);
			model_push(&m, &e);
		} else {
			bool ra = evq_pop(&q, &a), rb = model_pop(&m, &b);

			cr_assert_eq(ra, rb, "step %u: pop %d vs model %d", step, ra, rb);
			if (!ra)
				continue;
			cr_assert(a.time == b.time && a.seq == b.seq &&
				  a.type == b.type && a.arg == b.arg,
				  "step %u: popped (%llu,%llu,%u) model (%llu,%llu,%u)",
				  step, (unsigned long long)a.time,
				  (unsigned long long)a.seq, a.arg,
				  (unsigned long long)b.time,
				  (unsigned long long)b.seq, b.arg);
			/* simulated time never goes back */
			cr_assert_geq(a.time, now);
			now = a.time;
		}
		cr_assert_eq(evq_len(&q), m.len);
	}
	while (model_pop(&m, &b)) {
		cr_assert(evq_pop(&q, &a));
		cr_assert(a.time == b.time && a.seq == b.seq);
	}
	cr_assert_not(evq_pop(&q, &a));
	free(m.ev);
	evq_destroy(&q);
}
