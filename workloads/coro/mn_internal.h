/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mn_internal.h — the M:N scheduler's structures (mn.h), shared by
 * mn_queue.c, mn_sched.c and mn_chan.c, and readable by tests.
 *
 * Who touches what:
 *   p->home_*  coroutines homed on p that p's holder readied: holder only
 *   p->runq    the thread holding p pushes (no atomic read-modify-write);
 *              anyone takes from the head with a compare-and-swap
 *   p->inbox   anyone pushes (compare-and-swap); the holder of p takes all
 *   p->status  RUNNING while a thread holds p (running or spinning), IDLE
 *              when none does; changed under rt->lock, read without it
 *   rt->lock   idle threads, the global queue, starting threads, nactive
 *
 * Waking a parked worker (no lost wake-up): the waker pushes to the inbox,
 * then reads status; the worker's thread, giving p up, stores IDLE, then
 * reads the inbox. Both sequentially consistent: at least one of them sees
 * the other's store, so either the thread keeps p or the waker wakes one.
 */
#ifndef CORO_MN_INTERNAL_H
#define CORO_MN_INTERNAL_H

#include <pthread.h>
#include <stdint.h>
#include "coro_ctx.h"
#include "coro_text.h"
#include "mn.h"
#include "stack_pool.h"

#define MN_RUNQ_SIZE 256	/* a power of two */

enum mn_state { MN_RUNNABLE, MN_RUNNING, MN_BLOCKED, MN_DEAD };

struct mn_coro {
	struct coro_ctx ctx;		/* the switch saves and restores here */
	struct mn_coro *next;		/* inbox, global queue or channel wait queue */
	struct mn_rt *rt;
	coro_fn fn;
	void *arg;
	int home;			/* the worker it always runs on, or -1 */
	enum mn_state state;
	void *xfer;			/* channel: value offered or received */
	bool xfer_ok;			/* channel: false when woken by close */
	int last_worker;		/* where it last ran */
	unsigned id;
	struct mn_coro *all_next;	/* every coroutine, freed by mn_rt_free */
	struct stack stack;
};

/* One worker's own queue: a ring, single producer (its holder), many consumers. */
struct mn_runq {
	uint32_t head;			/* next to take; advanced by compare-and-swap */
	uint32_t tail;			/* next free slot; stored by the holder only */
	struct mn_coro *slot[MN_RUNQ_SIZE];
};

/* Coroutines readied for this worker by other threads: a lock-free stack,
 * taken whole and reversed into arrival order. */
struct mn_inbox {
	struct mn_coro *head;
};

enum { MN_P_IDLE, MN_P_RUNNING };

struct mn_p {
	int id;
	int cpu;			/* -1: not pinned */
	int status;			/* MN_P_IDLE / MN_P_RUNNING */
	struct mn_m *last_m;		/* the thread that held it last, woken first */
	/* coroutines homed here and readied by the holder itself: never stolen,
	 * so a list of the holder's own, no atomics (the same-worker hand-off) */
	struct mn_coro *home_head, *home_tail;
	unsigned tick;			/* every 61st pick looks at the ring first */
	struct mn_inbox inbox;
	struct mn_stats stats;		/* written by its holder only */
	struct mn_runq runq;
} __attribute__((aligned(64)));

/* What the context that runs next on a thread does first (it may be the
 * thread's loop or a coroutine): things that must wait until the switch
 * has saved the coroutine that left. */
enum mn_after { MN_AFTER_NONE, MN_AFTER_UNLOCK, MN_AFTER_REQUEUE, MN_AFTER_DEAD, MN_AFTER_READY };

struct mn_m {
	struct coro_ctx g0;		/* the thread's own scheduling loop */
	struct mn_rt *rt;
	struct mn_p *p;			/* the worker held, or NULL */
	struct mn_p *nextp;		/* handed over by whoever wakes it */
	struct mn_p *syscall_p;		/* held before mn_block_enter */
	struct mn_coro *cur;		/* running coroutine; NULL in g0 */
	int wake;			/* futex word: 1 once nextp is set (or the runtime is done) */
	int cpu;			/* pinned to; -1: not pinned */
	pid_t tid;
	pthread_t thread;
	bool started;			/* has its own pthread (not the caller's) */
	struct mn_m *idle_next;
	enum mn_after after;
	void *after_arg;
};

struct mn_rt {
	struct mn_config cfg;
	int cpus[MN_MAX_WORKERS];
	long spin_ns;			/* resolved from cfg.spin_ns */
	int np;
	struct mn_p *p;			/* np of them */
	pthread_mutex_t lock;		/* see the top */
	struct mn_m *idle_m;		/* parked threads without a worker */
	struct mn_coro *gq_head, *gq_tail;
	size_t gq_len;			/* read without the lock as a hint */
	int nm;
	struct mn_m *m[MN_MAX_THREADS];
	int nactive;			/* threads not parked */
	int nspinning;			/* threads spinning for work (atomic) */
	size_t live;			/* coroutines not yet ended (atomic) */
	int done;			/* all ended, or a deadlock: threads leave */
	bool ran;
	pthread_mutex_t stack_lock;	/* the stack pool and the list of all coroutines */
	struct stack_pool pool;
	struct mn_coro *all;
	unsigned next_id;
};

/* ---- the queues (mn_queue.c; the hot ones inline here) ---------------- */
#define MN_RUNQ_MASK (MN_RUNQ_SIZE - 1)

/* Holder only: false when the ring is full. */
static inline CORO_TEXT bool mn_runq_push(struct mn_runq *q, struct mn_coro *c)
{
	uint32_t t = q->tail, h = __atomic_load_n(&q->head, __ATOMIC_ACQUIRE);

	if (t - h >= MN_RUNQ_SIZE)
		return false;
	__atomic_store_n(&q->slot[t & MN_RUNQ_MASK], c, __ATOMIC_RELAXED);
	__atomic_store_n(&q->tail, t + 1, __ATOMIC_RELEASE);
	return true;
}

/* Anyone: the head, or NULL when empty. */
static inline CORO_TEXT struct mn_coro *mn_runq_pop(struct mn_runq *q)
{
	for (;;) {
		uint32_t h = __atomic_load_n(&q->head, __ATOMIC_ACQUIRE);
		uint32_t t = __atomic_load_n(&q->tail, __ATOMIC_ACQUIRE);
		struct mn_coro *c;

		if (t == h)
			return NULL;
		c = __atomic_load_n(&q->slot[h & MN_RUNQ_MASK], __ATOMIC_RELAXED);
		if (__atomic_compare_exchange_n(&q->head, &h, h + 1, false, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			return c;
	}
}

static inline CORO_TEXT uint32_t mn_runq_len(const struct mn_runq *q)
{
	uint32_t h = __atomic_load_n(&q->head, __ATOMIC_ACQUIRE);
	uint32_t t = __atomic_load_n(&q->tail, __ATOMIC_ACQUIRE);

	return t - h <= MN_RUNQ_SIZE ? t - h : 0;
}

/* A thief (the holder of `to`, whose ring is empty) takes up to half of
 * `from`'s ring from its head, stopping at the first homed coroutine.
 * Returns how many it moved. */
int mn_runq_steal(struct mn_runq *from, struct mn_runq *to);
void mn_inbox_push(struct mn_inbox *ib, struct mn_coro *c);
/* Holder only: everything pushed so far, oldest first (linked by ->next). */
struct mn_coro *mn_inbox_take(struct mn_inbox *ib);
static inline CORO_TEXT bool mn_inbox_empty(const struct mn_inbox *ib)
{
	return __atomic_load_n(&ib->head, __ATOMIC_SEQ_CST) == NULL;
}

/* Counters: one writer (the worker's holder), readers anywhere; n may be -1ul. */
static inline CORO_TEXT void mn_count(unsigned long *c, unsigned long n)
{
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + n, __ATOMIC_RELAXED);
}

/* ---- mn_sched.c (for mn_chan.c) ---------------------------------------- */
/*
 * The thread running the caller. Coroutines move between threads, so this
 * is read again after every switch. The initial-exec TLS model makes each
 * read an %fs-relative load (the offset is the same in every thread), even
 * in position-independent code, where the general-dynamic model's
 * __tls_get_addr() result could be kept across a switch and point into the
 * previous thread; the barriers keep the compiler from reusing a value read
 * before a switch.
 */
extern __thread struct mn_m *mn_tls_m __attribute__((tls_model("initial-exec")));
static inline CORO_TEXT struct mn_m *mn_self(void)
{
	struct mn_m *m;

	__asm__ volatile("" ::: "memory");
	m = mn_tls_m;
	__asm__ volatile("" ::: "memory");
	return m;
}
/* Makes c runnable: on the worker of m (the caller's thread, may be NULL),
 * or its home's (waking a parked one), or the global queue. Returns the
 * kind of hand-off, and counts it on m's worker when `handoff` (a channel
 * passing a value; not a close, a spawn or a return from a system call). */
enum mn_handoff mn_ready(struct mn_rt *rt, struct mn_m *m, struct mn_coro *c, bool handoff);

/* p's holder: c, homed on p, to the back of p's own list. */
static inline CORO_TEXT void mn_home_push(struct mn_p *p, struct mn_coro *c)
{
	c->next = NULL;
	if (p->home_head)
		p->home_tail->next = c;
	else
		p->home_head = c;
	p->home_tail = c;
}

/* A spinlock for channels that yields the CPU if its holder is descheduled. */
void mn_spin_lock_slow(int *l);
static inline CORO_TEXT void mn_spin_lock(int *l)
{
	if (__builtin_expect(__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE), 0))
		mn_spin_lock_slow(l);
}
static inline CORO_TEXT void mn_spin_unlock(int *l)
{
	__atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

static inline CORO_TEXT struct mn_coro *mn_home_pop(struct mn_p *p)
{
	struct mn_coro *c = p->home_head;

	if (c)
		p->home_head = c->next;
	return c;
}

/* ---- switching, inline so that a blocked coroutine's channel operation
 * calls the assembly switch directly: each function between them is one
 * more return to mispredict when the coroutine resumes (the switch resumes
 * with a jump, and the return stack holds the other coroutine's calls) --- */

struct mn_coro *mn_local_next_slow(struct mn_rt *rt, struct mn_p *p);
void mn_after_switch_slow(struct mn_m *m);
void mn_park_misuse(void) __attribute__((noreturn, cold));

/* What runs next on worker p without leaving the worker: its home list,
 * its ring (first every 61st time, so neither starves the other), then
 * what its inbox brought. */
static inline CORO_TEXT struct mn_coro *mn_local_next(struct mn_rt *rt, struct mn_p *p)
{
	if (p->home_head && ++p->tick % 61)
		return mn_home_pop(p);
	return mn_local_next_slow(rt, p);
}

/* First thing after every switch, in whatever context landed: what had to
 * wait until the coroutine that left was saved (m->after). */
static inline CORO_TEXT void mn_after_switch(struct mn_m *m)
{
	if (m->after == MN_AFTER_UNLOCK) {
		m->after = MN_AFTER_NONE;
		mn_spin_unlock(m->after_arg);
	} else if (m->after != MN_AFTER_NONE) {
		mn_after_switch_slow(m);
	}
}

/* Leaves `cur` (already marked blocked, runnable or dead) for `next` on
 * this worker, or for the thread's loop when next is NULL. Returns in cur
 * once it is resumed, maybe on another thread. */
static inline CORO_TEXT void mn_switch_out(struct mn_m *m, struct mn_coro *cur, struct mn_coro *next)
{
	if (next) {
		next->state = MN_RUNNING;
		next->last_worker = m->p->id;
		m->cur = next;
		coro_ctx_switch(&cur->ctx, &next->ctx);
	} else {
		m->cur = NULL;
		coro_ctx_switch(&cur->ctx, &m->g0);
	}
	mn_after_switch(mn_self());
}

/* m's running coroutine blocks: `lock` is released once it is switched out. */
static inline CORO_TEXT void mn_park(struct mn_m *m, int *lock)
{
	struct mn_coro *cur = m ? m->cur : NULL;

	if (!cur || !m->p || !lock)
		mn_park_misuse();
	cur->state = MN_BLOCKED;
	m->after = MN_AFTER_UNLOCK;
	m->after_arg = lock;
	mn_switch_out(m, cur, mn_local_next(m->rt, m->p));
}

/* A channel hand-off (mn_ready, counted), its common case inline: a
 * coroutine homed on the caller's own worker. */
static inline CORO_TEXT enum mn_handoff mn_ready_fast(struct mn_rt *rt, struct mn_m *m,
						       struct mn_coro *c)
{
	struct mn_p *p = m ? m->p : NULL;

	if (p && c->home == p->id) {
		c->state = MN_RUNNABLE;
		mn_count(&p->stats.handoffs[MN_SAME_WORKER], 1);
		mn_home_push(p, c);
		return MN_SAME_WORKER;
	}
	return mn_ready(rt, m, c, true);
}

#endif /* CORO_MN_INTERNAL_H */
