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
#include "coro_text.h"
#include "coro_tl.h"
#include "stack_pool.h"

/* Built with -fsanitize=address: tell ASan about every stack switch. */
#if defined(__SANITIZE_ADDRESS__)
#define CORO_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CORO_ASAN 1
#endif
#endif
#ifdef CORO_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

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
	unsigned id;			/* 1, 2, ... in creation order (0: the scheduler's loop) */
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
#ifdef CORO_ASAN
	const void *main_stack_lo;	/* learnt on the first switch out of main_ctx */
	size_t main_stack_size;
	bool from_main;			/* the switch under way leaves main_ctx */
#endif
	struct coro *current;		/* NULL while main_ctx runs */
	struct coro *runq_head, *runq_tail;
	struct coro *exited;		/* just ended; main_ctx returns its stack */
	struct coro *all;
	size_t live;			/* created and not yet ended */
	struct stack_pool *pools;	/* one per stack size in use */
	struct coro_sched *outer;	/* the thread's scheduler before coro_sched_run() */
	unsigned next_id;		/* the id the next coroutine gets, less one */
	struct coro_tl_ring *tl;	/* a collector's timeline ring (coro_tl.h), else NULL */
	uint32_t tl_tid;		/* this thread, as the ring records it */
};

/* coro_tl.c: claim the collector's ring for this thread, if there is one and it is free */
void coro_tl_attach(struct coro_sched *s);
/* coro_tl.c: one record (or one drop) while the collector has the ring on */
void coro_tl_mark(struct coro_sched *s, const struct coro *from, const struct coro *to);
/* coro_tl.c: coro_tl_mark(), then the bare switch (a tail call from the switch sites) */
__attribute__((noinline, cold)) void coro_tl_switch(struct coro_sched *s, struct coro *from, struct coro *to);

/*
 * Every switch goes through coro_switch(); from or to NULL is main_ctx.
 *
 * With a collector's ring attached (sched->tl, coro_tl.c) each switch is
 * marked first. Without one that is a not-taken branch on a field of s,
 * which the caller already holds. The marked path is a whole switch of its
 * own (coro_tl_switch), so both paths end in a tail jump and the switch
 * sites keep no values across a call: with a plain call to the marker
 * there, coro_yield() pushed and popped two registers on every yield
 * (+0.5 ns of 8; docs/perfetto.md).
 *
 * AddressSanitizer keeps shadow state per stack and must be told when the
 * stack changes, or it reports false errors and warns about unknown stacks.
 * Built without -fsanitize=address, coro_switch() is the bare switch, and
 * coro_switch_landed(), run after a switch lands (also as the first thing a
 * new coroutine does), is empty.
 */
static inline CORO_TEXT void coro_switch_landed(struct coro_sched *s, void *fake_stack)
{
#ifdef CORO_ASAN
	const void *lo;
	size_t size;

	__sanitizer_finish_switch_fiber(fake_stack, &lo, &size);
	if (s->from_main) {
		s->main_stack_lo = lo;
		s->main_stack_size = size;
	}
#else
	(void)s;
	(void)fake_stack;
#endif
}

static inline CORO_TEXT void coro_switch(struct coro_sched *s, struct coro *from, struct coro *to)
{
#ifdef CORO_ASAN
	void *fake_stack = NULL;

	if (__builtin_expect(s->tl != NULL, 0))
		coro_tl_mark(s, from, to);
	s->from_main = !from;
	/* NULL save: the fake stack of an ending coroutine is freed */
	__sanitizer_start_switch_fiber(from && from->state == CORO_DEAD ? NULL : &fake_stack,
				       to ? to->stack.lo : s->main_stack_lo,
				       to ? (size_t)(to->stack.hi - to->stack.lo) : s->main_stack_size);
	coro_ctx_switch(from ? &from->ctx : &s->main_ctx, to ? &to->ctx : &s->main_ctx);
	coro_switch_landed(s, fake_stack);
#else
	if (__builtin_expect(s->tl != NULL, 0)) {
		coro_tl_switch(s, from, to);
		return;
	}
	coro_ctx_switch(from ? &from->ctx : &s->main_ctx, to ? &to->ctx : &s->main_ctx);
#endif
}

/* The scheduler running on this thread (inside coro_sched_run()), or NULL. */
extern __thread struct coro_sched *coro_tls_sched;

static inline CORO_TEXT void coro_ready(struct coro_sched *s, struct coro *c)
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
static inline CORO_TEXT void coro_block(struct coro_sched *s)
{
	struct coro *cur = s->current, *next = s->runq_head;

	cur->state = CORO_BLOCKED;
	if (next) {
		s->runq_head = next->next;
		next->state = CORO_RUNNING;
		s->current = next;
		coro_switch(s, cur, next);
	} else {
		s->current = NULL;
		coro_switch(s, cur, NULL);
	}
}

#endif /* CORO_INTERNAL_H */
