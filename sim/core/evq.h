/*
 * evq.h - the discrete-event queue: a binary min-heap of events ordered by
 * (time, seq). seq is a counter stamped at push, so events at the same
 * simulated nanosecond run in the order they were scheduled and a run is
 * deterministic. Events are small values stored in one array that doubles
 * when full: pushing and popping allocate nothing in steady state.
 */
#ifndef SIM_CORE_EVQ_H
#define SIM_CORE_EVQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ev_type {
	EV_PROC_STEP,   /* a process runs its next operation */
	EV_SAMPLE,      /* the sampler writes a time-series row */
	EV_WAKE,        /* a process becomes runnable (start, end of a sleep) */
	EV_CPU_FREE,    /* a CPU is free once the op that ended its process is done */
};

struct event {
	uint64_t time;  /* simulated ns at which it fires */
	uint64_t seq;   /* tie-break: order of scheduling */
	uint32_t type;  /* enum ev_type */
	uint32_t arg;   /* e.g. the process index */
};

struct evq {
	struct event *heap;  /* heap[0] is the earliest event */
	size_t len;          /* events queued */
	size_t cap;          /* slots allocated */
	uint64_t next_seq;   /* stamped on the next push */
};

void evq_init(struct evq *q);
void evq_destroy(struct evq *q);

/* Queues an event at time. Returns 0, or -ENOMEM. */
int evq_push(struct evq *q, uint64_t time, uint32_t type, uint32_t arg);

/* Removes the earliest event into *ev. Returns false when empty. */
bool evq_pop(struct evq *q, struct event *ev);

static inline size_t evq_len(const struct evq *q)
{
	return q->len;
}

#endif
