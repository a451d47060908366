/* SPDX-License-Identifier: GPL-2.0 */
/*
 * preempt.h — asynchronous preemption for the coroutine schedulers, opt-in:
 * a per-thread timer signal interrupts a coroutine that has run past its
 * slice, and the signal handler switches to the next runnable coroutine, as
 * Go's asynchronous preemption (Go 1.14+, SIGURG) does. preempt.c explains
 * the mechanism and what a safe point is.
 *
 * For the one-thread scheduler of coro.h: call coro_preempt_start(s, slice)
 * on the thread that runs s (before coro_sched_run, or from inside one of
 * its coroutines), and coro_preempt_stop() on the same thread when done. A
 * coroutine that never yields then gives up the CPU after about one slice
 * (slice to 1.25 slices of wall time) whenever another coroutine is runnable.
 *
 * Other schedulers (mn.h) bind it through struct coro_preempt_ops.
 */
#ifndef CORO_PREEMPT_H
#define CORO_PREEMPT_H

#include <stdbool.h>
#include <stdint.h>
#include "coro.h"
#include "coro_ctx.h"

#define CORO_PREEMPT_SIGNAL    SIGURG	/* as Go: ignored by default, rarely used otherwise */
#define CORO_PREEMPT_MIN_SLICE 1000	/* µs; the timer ticks every slice / 4 */

struct coro_preempt_stats {
	unsigned long ticks;		/* timer signals received on this thread */
	unsigned long preemptions;	/* of them, switched to another coroutine */
	unsigned long deferred;		/* a due preemption put off: not at a safe point */
};

/* Preempts the coroutines of s, run on the calling thread, after slice_us
 * microseconds (>= CORO_PREEMPT_MIN_SLICE). 0, or -1 with errno set (EINVAL,
 * EBUSY if this thread already preempts, or timer_create's error). */
int coro_preempt_start(struct coro_sched *s, unsigned long slice_us);
/* Stops this thread's timer; no signal arrives after it returns. */
void coro_preempt_stop(void);
/* This thread's counters since its last coro_preempt_start (zero before any). */
struct coro_preempt_stats coro_preempt_stats(void);
/* This thread's preemptions so far: cheap enough to poll in a loop. */
unsigned long coro_preempt_count(void);

/* A scheduler's side of preemption, called from the signal handler. */
struct coro_preempt_ops {
	/* The save area of the coroutine running on this thread, or NULL when
	 * none runs (the scheduler's own loop, a thread between coroutines) or
	 * sp, the interrupted stack pointer, is not on its stack (a switch
	 * under way: the next one is named, the registers are the old one's). */
	struct coro_ctx *(*running)(void *arg, uintptr_t sp);
	/* Switches the running coroutine out (runnable, at the tail of its run
	 * queue) and another in; returns true once it runs again, or false at
	 * once when nothing else is runnable. */
	bool (*yield)(void *arg);
};
/* As coro_preempt_start, for any scheduler: ops->running and ops->yield are
 * called with arg on the calling thread, from the signal handler. */
int coro_preempt_thread_start(const struct coro_preempt_ops *ops, void *arg,
			      unsigned long slice_us);

/* Is an interrupted program counter a safe point (preempt.c)? For tests. */
bool coro_preempt_pc_safe(uintptr_t pc);
/* Is pc inside the coroutine library (coro_text.h)? For tests. */
bool coro_preempt_pc_in_library(uintptr_t pc);

#endif /* CORO_PREEMPT_H */
