/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mn.h — an M:N coroutine scheduler: many coroutines over W kernel threads,
 * in the shape of Go's runtime (G, M, P).
 *
 *   coroutine (G)  a stackful coroutine, as in coro.h, that may run on any
 *                  thread, or always on one worker when spawned with a home
 *   worker (P)     a run queue and the right to run coroutines: W of them,
 *                  one per CPU given; worker i is pinned to cpus[i]
 *   thread (M)     a kernel thread that holds at most one worker at a time
 *
 * Each worker has its own run queue: a ring its thread pushes to and any
 * thread may take from (the owner at the head; a thief with nothing to do
 * takes half of it, stopping at a homed coroutine), an inbox other threads
 * push to, and there is one global queue. A thread whose worker has nothing
 * to run looks again for a while (it spins, only when the workers are on
 * different CPUs), then gives the worker up and parks on a futex. Readying
 * a coroutine for a parked worker wakes a thread for it: a futex wake, the
 * kernel. Readying one for a running worker, or on one's own, stays in user
 * space. mn_rt_stats() counts each kind of hand-off separately.
 *
 * A coroutine about to make a blocking system call brackets it with
 * mn_block_enter() and mn_block_exit(): its thread hands the worker (and
 * the worker's queue) to another thread first, as Go hands its P to
 * another M, so the other coroutines keep running; afterwards the thread
 * takes a worker back, or queues the coroutine and parks.
 *
 * Coroutines move between threads: a coroutine must not keep the address of
 * a thread-local variable (errno included) across a yield, a channel
 * operation, a blocking call or a preemption. A coroutine spawned with a
 * home runs only on that worker, which the benchmarks use to place the two
 * ends of a hand-off. Channels are unbuffered, with the semantics of coro.h.
 *
 * Not here (Go has them): a timer or network poller, growable stacks, a
 * global-queue fairness tick, the address sanitizer annotations of coro.c,
 * the timeline ring (coro_tl.h).
 */
#ifndef CORO_MN_H
#define CORO_MN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "coro.h"

#define MN_MAX_WORKERS 64
#define MN_MAX_THREADS 128
#define MN_SPIN_DEFAULT (-1L)

struct mn_rt;
struct mn_coro;
struct mn_chan;

struct mn_config {
	int workers;		/* W >= 1 */
	const int *cpus;	/* W CPUs, may repeat; NULL: threads are not pinned */
	/* ns a thread out of work keeps looking before it parks; 0: park at
	 * once; MN_SPIN_DEFAULT: 50 µs when the workers' CPUs are all
	 * different, else 0 (spinning on a shared CPU only delays the others) */
	long spin_ns;
	int spare_threads;	/* threads made up front for blocking calls' hand-offs */
	bool no_steal;		/* a worker out of work does not take from the others */
	unsigned long preempt_us; /* preempt after this long (preempt.h); 0: cooperative */
};

enum mn_handoff {
	MN_SAME_WORKER,		/* readied on the waker's own worker: user space only */
	MN_CROSS_RUNNING,	/* onto another worker that was running or spinning: no kernel */
	MN_CROSS_PARKED,	/* onto another worker that was parked: a futex wake */
	MN_HANDOFF_KINDS
};

struct mn_stats {
	unsigned long handoffs[MN_HANDOFF_KINDS];	/* channel hand-offs, by kind */
	unsigned long steals;		/* times a worker took from another's queue */
	unsigned long stolen;		/* coroutines it took */
	unsigned long parks;		/* a thread gave up its worker and slept */
	unsigned long blocking_calls;	/* mn_block_enter */
	unsigned long worker_handoffs;	/* of them, the worker went to another thread */
	unsigned long preemptions;
};

/* NULL with errno set (EINVAL for a bad config, ENOMEM). */
struct mn_rt *mn_rt_new(const struct mn_config *cfg);
/* A coroutine that calls fn(arg), on worker `home` (0..W-1) for good or on
 * any (-1). Callable before mn_rt_run and from coroutines. NULL with errno set. */
struct mn_coro *mn_spawn(struct mn_rt *rt, coro_fn fn, void *arg, int home);
/* Starts the threads (the caller becomes worker 0's thread, pinned to its
 * CPU until mn_rt_run returns, which gives it back its affinity) and runs until
 * every coroutine has ended. Returns how many are left blocked (0: all
 * ended; more: a deadlock, as Go reports it), or (size_t)-1 with errno set
 * when a thread could not be started. Once per runtime. */
size_t mn_rt_run(struct mn_rt *rt);
/* After mn_rt_run: frees everything. */
void mn_rt_free(struct mn_rt *rt);

/* The thread ids of the runtime's threads (started by mn_rt_run; the caller
 * first). Returns how many were stored. */
int mn_rt_tids(const struct mn_rt *rt, pid_t *tids, int max);
/* Counters summed over the workers. */
struct mn_stats mn_rt_stats(const struct mn_rt *rt);

/* Inside a coroutine: */
void mn_yield(void);		/* to the back of its worker's queue, if anything else can run */
int mn_worker(void);		/* the worker running the caller, -1 outside coroutines */
void mn_block_enter(void);	/* before a blocking system call */
void mn_block_exit(void);	/* after it */

/* Unbuffered channels (coro.h's semantics). NULL with errno set. */
struct mn_chan *mn_chan_new(struct mn_rt *rt);
bool mn_chan_send(struct mn_chan *ch, void *value);
bool mn_chan_recv(struct mn_chan *ch, void **value);
void mn_chan_close(struct mn_chan *ch);
void mn_chan_free(struct mn_chan *ch);

#endif /* CORO_MN_H */
