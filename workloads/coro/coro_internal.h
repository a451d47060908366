/* SPDX-License-Identifier: GPL-2.0 */
/*
 * coro_internal.h — the scheduler's structures, shared by coro.c and chan.c
 * (and readable by tests). Not part of the API in coro.h.
 */
#ifndef CORO_INTERNAL_H
#define CORO_INTERNAL_H

#include <stdbool.h>
#include "coro.h"
#include "coro_ctx.h"
#include "stack_pool.h"

enum coro_state {
	CORO_RUNNABLE,		/* in the run queue */
	CORO_RUNNING,		/* sched->current */
	CORO_BLOCKED,		/* in a channel's wait queue or joining */
	CORO_DEAD,		/* ended; stack returned; struct kept until joined */
};

struct coro {
	struct coro_ctx ctx;		/* the switch saves and restores here */
	struct coro *next;		/* run queue or channel wait queue link */
	struct coro_sched *sched;
	enum coro_state state;
	coro_fn fn;
	void *arg;
	void *xfer;			/* channel: value offered or received */
	bool xfer_ok;			/* channel: false when woken by close */
	struct coro *joiner;		/* blocked in coro_join() on this one */
	struct coro *all_prev, *all_next; /* every coroutine not yet freed */
	struct stack stack;
};

struct coro_sched {
	struct coro_ctx main_ctx;	/* coro_sched_run()'s own context */
	struct coro *current;		/* NULL while main_ctx runs */
	struct coro *runq_head, *runq_tail;
	struct coro *exited;		/* just ended; main_ctx returns its stack */
	struct coro *all;
	size_t live;			/* created and not yet ended */
	struct stack_pool *pools;	/* one per stack size in use */
	struct coro_sched *outer;	/* the thread's scheduler before coro_sched_run() */
};

/* The scheduler running on this thread (inside coro_sched_run()), or NULL. */
extern __thread struct coro_sched *coro_tls_sched;

static inline void coro_ready(struct coro_sched *s, struct coro *c)
{
	c->state = CORO_RUNNABLE;
	c->next = NULL;
	if (s->runq_head)
		s->runq_tail->next = c;
	else
		s->runq_head = c;
	s->runq_tail = c;
}

/*
 * The current coroutine stops until someone calls coro_ready() on it: switch
 * straight to the head of the run queue, or back to coro_sched_run() when
 * nothing else can run.
 */
static inline void coro_block(struct coro_sched *s)
{
	struct coro *cur = s->current, *next = s->runq_head;

	cur->state = CORO_BLOCKED;
	if (next) {
		s->runq_head = next->next;
		next->state = CORO_RUNNING;
		s->current = next;
		coro_ctx_switch(&cur->ctx, &next->ctx);
	} else {
		s->current = NULL;
		coro_ctx_switch(&cur->ctx, &s->main_ctx);
	}
}

#endif /* CORO_INTERNAL_H */
