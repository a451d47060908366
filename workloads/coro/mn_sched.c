// SPDX-License-Identifier: GPL-2.0
/*
 * mn_sched.c — the M:N scheduler's threads and workers (mn.h): where a
 * coroutine runs, where a readied one goes, how a thread out of work
 * spins, parks and is woken, and the hand-over of a worker around a
 * blocking system call. The queues are in mn_queue.c, channels in
 * mn_chan.c.
 *
 * A switch goes straight from one coroutine to the next when the worker's
 * ring has one (a coroutine blocking on a channel, a yield); otherwise to
 * the thread's own loop (g0), which looks in the inbox, the global queue,
 * the other workers' rings, spins, and parks. What must wait until the
 * coroutine that left is saved (unlocking the channel it waits on,
 * requeueing a yielder, freeing the stack of one that ended, queueing one
 * that lost its worker in a system call) is done by whichever context runs
 * next on that thread, first thing: after_switch(). Linux does the same in
 * finish_task_switch(); Go in the unlock function gopark hands to g0.
 */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "mn_internal.h"
#include "preempt.h"

#define SPIN_DEFAULT_NS 50000

__thread struct mn_m *mn_tls_m __attribute__((tls_model("initial-exec")));

__attribute__((noreturn, cold)) CORO_TEXT static void die(const char *what)
{
	fprintf(stderr, "mn: %s\n", what);
	abort();
}


CORO_TEXT static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

CORO_TEXT static void futex_wait(int *word, int val)
{
	syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);	/* EINTR, EAGAIN: caller loops */
}

CORO_TEXT static void futex_wake(int *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

CORO_TEXT static void pin(struct mn_m *m, int cpu)
{
	cpu_set_t set;

	if (cpu < 0 || m->cpu == cpu)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) == 0)
		m->cpu = cpu;
}

/* ---- the global queue (rt->lock held) ------------------------------------ */

CORO_TEXT static void global_push_locked(struct mn_rt *rt, struct mn_coro *c)
{
	c->next = NULL;
	if (rt->gq_head)
		rt->gq_tail->next = c;
	else
		rt->gq_head = c;
	rt->gq_tail = c;
	__atomic_store_n(&rt->gq_len, rt->gq_len + 1, __ATOMIC_SEQ_CST);
}

/* The first coroutine of the global queue that may run on worker p. */
CORO_TEXT static struct mn_coro *global_take_locked(struct mn_rt *rt, struct mn_p *p)
{
	struct mn_coro **pp = &rt->gq_head, *prev = NULL;

	for (struct mn_coro *c = rt->gq_head; c; prev = c, pp = &c->next, c = c->next) {
		if (c->home >= 0 && c->home != p->id)
			continue;
		*pp = c->next;
		if (rt->gq_tail == c)
			rt->gq_tail = prev;
		__atomic_store_n(&rt->gq_len, rt->gq_len - 1, __ATOMIC_SEQ_CST);
		return c;
	}
	return NULL;
}

/* ---- threads: start, park, wake ------------------------------------------ */

static void *m_thread(void *arg);

/* A new thread that will hold p (or park, p NULL). rt->lock held. */
CORO_TEXT static struct mn_m *m_new_locked(struct mn_rt *rt, struct mn_p *p)
{
	struct mn_m *m;

	if (rt->nm == MN_MAX_THREADS)
		die("more than MN_MAX_THREADS threads; fewer blocking calls at once, please");
	m = calloc(1, sizeof(*m));
	if (!m)
		die("out of memory for a thread; lower the number of workers (-C)");
	m->rt = rt;
	m->cpu = -1;
	m->nextp = p;
	m->wake = p != NULL;
	rt->m[rt->nm++] = m;
	if (p) {
		rt->nactive++;
	} else {	/* a spare: parked until a worker is handed to it */
		m->idle_next = rt->idle_m;
		rt->idle_m = m;
	}
	m->started = true;
	if (pthread_create(&m->thread, NULL, m_thread, m))
		die("cannot start a thread; lower the number of workers (-C) or raise ulimit -u");
	return m;
}

/* Gives p to a parked thread (p's last one if it is parked) or a new one.
 * p's status is already RUNNING on p's behalf. rt->lock held. Returns the
 * parked thread, for m_wake() once the lock is released: woken under the
 * lock, on the same CPU, it would preempt us and wait for the lock. */
CORO_TEXT static struct mn_m *m_start_locked(struct mn_rt *rt, struct mn_p *p)
{
	struct mn_m **pp = &rt->idle_m, *m = NULL;

	for (struct mn_m *i = rt->idle_m; i; pp = &i->idle_next, i = i->idle_next)
		if (i == p->last_m) {
			m = i;
			*pp = i->idle_next;
			break;
		}
	if (!m && rt->idle_m) {
		m = rt->idle_m;
		rt->idle_m = m->idle_next;
	}
	if (!m) {
		m_new_locked(rt, p);
		return NULL;
	}
	rt->nactive++;
	m->nextp = p;
	__atomic_store_n(&m->wake, 1, __ATOMIC_RELEASE);
	return m;
}

CORO_TEXT static void m_wake(struct mn_m *m)
{
	if (m)
		futex_wake(&m->wake);
}

/* New work that any worker may take: wake one parked worker, if there is one. */
CORO_TEXT static void wake_any(struct mn_rt *rt)
{
	struct mn_m *woken = NULL;

	bool idle = false;

	/* as Go's wakep: not if a thread is already spinning, it will find the work */
	if (__atomic_load_n(&rt->nspinning, __ATOMIC_SEQ_CST))
		return;
	for (int i = 0; i < rt->np && !idle; i++)
		idle = __atomic_load_n(&rt->p[i].status, __ATOMIC_SEQ_CST) == MN_P_IDLE;
	if (!idle)
		return;
	pthread_mutex_lock(&rt->lock);
	for (int i = 0; i < rt->np; i++) {
		struct mn_p *p = &rt->p[i];

		if (p->status == MN_P_IDLE) {
			__atomic_store_n(&p->status, MN_P_RUNNING, __ATOMIC_SEQ_CST);
			woken = m_start_locked(rt, p);
			break;
		}
	}
	pthread_mutex_unlock(&rt->lock);
	m_wake(woken);
}

/* All coroutines ended, or none can run again: every thread leaves. rt->lock held. */
CORO_TEXT static void finish_locked(struct mn_rt *rt)
{
	__atomic_store_n(&rt->done, 1, __ATOMIC_SEQ_CST);
	for (struct mn_m *m = rt->idle_m; m; m = m->idle_next) {
		__atomic_store_n(&m->wake, 1, __ATOMIC_RELEASE);
		futex_wake(&m->wake);
	}
}

/* p's holder (or the thread giving p up) asks. */
CORO_TEXT static bool p_has_work(struct mn_p *p)
{
	return p->home_head || mn_runq_len(&p->runq) || !mn_inbox_empty(&p->inbox);
}

/* m gives up its worker to park, unless work arrived meanwhile. True: released. */
CORO_TEXT static bool p_release(struct mn_m *m)
{
	struct mn_rt *rt = m->rt;
	struct mn_p *p = m->p;

	pthread_mutex_lock(&rt->lock);
	__atomic_store_n(&p->status, MN_P_IDLE, __ATOMIC_SEQ_CST);
	if (p_has_work(p) || (rt->gq_head && !__atomic_load_n(&rt->done, __ATOMIC_RELAXED))) {
		__atomic_store_n(&p->status, MN_P_RUNNING, __ATOMIC_SEQ_CST);
		pthread_mutex_unlock(&rt->lock);
		return false;
	}
	mn_count(&p->stats.parks, 1);
	p->last_m = m;
	m->p = NULL;
	m->idle_next = rt->idle_m;
	rt->idle_m = m;
	if (--rt->nactive == 0 && !rt->done)
		finish_locked(rt);	/* nobody runs, nothing is runnable: a deadlock */
	pthread_mutex_unlock(&rt->lock);
	return true;
}

/* A thread without a worker sleeps until it is handed one, or the end. */
CORO_TEXT static bool m_park(struct mn_m *m)
{
	struct mn_rt *rt = m->rt;

	for (;;) {
		if (__atomic_load_n(&m->wake, __ATOMIC_ACQUIRE)) {
			__atomic_store_n(&m->wake, 0, __ATOMIC_RELAXED);
			if (m->nextp)
				break;
		}
		if (__atomic_load_n(&rt->done, __ATOMIC_ACQUIRE))
			return false;
		futex_wait(&m->wake, 0);
	}
	m->p = m->nextp;
	m->nextp = NULL;
	pin(m, m->p->cpu);
	return true;
}

/* ---- finding work ---------------------------------------------------------- */

/* Onto p's own queues, p's holder calling: a homed coroutine to p's home
 * list, any other to the ring, or the global queue when the ring is full. */
CORO_TEXT static void p_queue(struct mn_rt *rt, struct mn_p *p, struct mn_coro *c)
{
	if (c->home >= 0) {	/* == p->id: only its home's holder queues it */
		mn_home_push(p, c);
		return;
	}
	if (mn_runq_push(&p->runq, c))
		return;
	pthread_mutex_lock(&rt->lock);
	global_push_locked(rt, c);
	pthread_mutex_unlock(&rt->lock);
}

/* The inbox, in arrival order, into the ring (overflow: the global queue). */
CORO_TEXT static void drain_inbox(struct mn_rt *rt, struct mn_p *p)
{
	struct mn_coro *c = mn_inbox_take(&p->inbox);

	while (c) {
		struct mn_coro *n = c->next;

		p_queue(rt, p, c);
		c = n;
	}
}

/* mn_local_next()'s rest (mn_internal.h): the ring, the home list, the inbox. */
CORO_TEXT struct mn_coro *mn_local_next_slow(struct mn_rt *rt, struct mn_p *p)
{
	struct mn_coro *c;

	if ((c = mn_runq_pop(&p->runq)) || (c = mn_home_pop(p)))
		return c;
	if (mn_inbox_empty(&p->inbox))
		return NULL;
	drain_inbox(rt, p);
	return (c = mn_home_pop(p)) ? c : mn_runq_pop(&p->runq);
}

CORO_TEXT static struct mn_coro *steal(struct mn_rt *rt, struct mn_p *p)
{
	for (int i = 1; i < rt->np; i++) {
		struct mn_p *victim = &rt->p[(p->id + i) % rt->np];
		int n;

		if (!mn_runq_len(&victim->runq))
			continue;
		n = mn_runq_steal(&victim->runq, &p->runq);
		if (n > 0) {
			mn_count(&p->stats.steals, 1);
			mn_count(&p->stats.stolen, (unsigned long)n);
			return mn_runq_pop(&p->runq);
		}
	}
	return NULL;
}

CORO_TEXT static struct mn_coro *find_work(struct mn_rt *rt, struct mn_p *p)
{
	struct mn_coro *c = mn_local_next(rt, p);

	if (c)
		return c;
	if (__atomic_load_n(&rt->gq_len, __ATOMIC_SEQ_CST)) {
		pthread_mutex_lock(&rt->lock);
		c = global_take_locked(rt, p);
		pthread_mutex_unlock(&rt->lock);
		if (c)
			return c;
	}
	return rt->cfg.no_steal ? NULL : steal(rt, p);
}

CORO_TEXT static void cpu_relax(void)
{
#if defined(__x86_64__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield");
#endif
}

/* Out of work: look again for rt->spin_ns before giving the worker up. */
CORO_TEXT static struct mn_coro *spin_for_work(struct mn_rt *rt, struct mn_p *p)
{
	uint64_t end;

	if (rt->spin_ns <= 0)
		return NULL;
	end = now_ns() + (uint64_t)rt->spin_ns;
	__atomic_add_fetch(&rt->nspinning, 1, __ATOMIC_SEQ_CST);
	for (unsigned i = 1;; i++) {
		struct mn_coro *c = find_work(rt, p);

		if (c || __atomic_load_n(&rt->done, __ATOMIC_ACQUIRE) ||
		    (i % 64 == 0 && now_ns() >= end)) {
			__atomic_sub_fetch(&rt->nspinning, 1, __ATOMIC_SEQ_CST);
			return c;
		}
		cpu_relax();
	}
}

/* ---- switching ------------------------------------------------------------ */

/* mn_after_switch()'s rest (mn_internal.h): what is not an unlock. */
CORO_TEXT void mn_after_switch_slow(struct mn_m *m)
{
	enum mn_after what = m->after;
	void *arg = m->after_arg;
	struct mn_rt *rt = m->rt;

	m->after = MN_AFTER_NONE;
	switch (what) {
	case MN_AFTER_NONE:
		break;
	case MN_AFTER_UNLOCK:
		mn_spin_unlock(arg);
		break;
	case MN_AFTER_REQUEUE:	/* a yielder: behind what runs now, on the same worker */
		p_queue(rt, m->p, arg);
		break;
	case MN_AFTER_DEAD: {
		struct mn_coro *c = arg;

		pthread_mutex_lock(&rt->stack_lock);
		stack_pool_put(&rt->pool, &c->stack);
		pthread_mutex_unlock(&rt->stack_lock);
		break;
	}
	case MN_AFTER_READY:	/* lost its worker in a system call */
		mn_ready(rt, m, arg, false);
		break;
	}
}

/* Every coroutine starts here, on its own stack. */
CORO_TEXT static void coro_main(void *arg)
{
	struct mn_coro *self = arg;
	struct mn_m *m;

	mn_after_switch(mn_self());
	self->fn(self->arg);
	/* ended */
	m = mn_self();
	self->state = MN_DEAD;
	if (__atomic_sub_fetch(&m->rt->live, 1, __ATOMIC_ACQ_REL) == 0) {
		pthread_mutex_lock(&m->rt->lock);
		finish_locked(m->rt);
		pthread_mutex_unlock(&m->rt->lock);
	}
	if (!m->p)
		die("a coroutine ended between mn_block_enter and mn_block_exit");
	m->after = MN_AFTER_DEAD;
	m->after_arg = self;
	mn_switch_out(m, self, mn_local_next(m->rt, m->p));
	die("a coroutine that ended was resumed");
}

CORO_TEXT void mn_park_misuse(void)
{
	die("a channel operation blocked outside a coroutine, or between "
	    "mn_block_enter and mn_block_exit");
}

CORO_TEXT enum mn_handoff mn_ready(struct mn_rt *rt, struct mn_m *m, struct mn_coro *c, bool handoff)
{
	struct mn_p *mine = m ? m->p : NULL, *counted = handoff ? mine : NULL, *target;

	c->state = MN_RUNNABLE;
	target = c->home >= 0 ? &rt->p[c->home] : mine;
	if (target && target == mine) {
		/* counted before it can run: whoever it wakes sees the count */
		if (counted)
			mn_count(&counted->stats.handoffs[MN_SAME_WORKER], 1);
		p_queue(rt, mine, c);
		if (c->home < 0 && !rt->cfg.no_steal)
			wake_any(rt);	/* Go's wakep: an idle worker may take it */
		return MN_SAME_WORKER;
	}
	if (target) {
		if (counted)
			mn_count(&counted->stats.handoffs[MN_CROSS_RUNNING], 1);
		mn_inbox_push(&target->inbox, c);
		if (__atomic_load_n(&target->status, __ATOMIC_SEQ_CST) == MN_P_IDLE) {
			/* probably parked: recount before the wake lets it run */
			pthread_mutex_lock(&rt->lock);
			if (target->status == MN_P_IDLE) {
				if (counted) {
					mn_count(&counted->stats.handoffs[MN_CROSS_RUNNING], -1ul);
					mn_count(&counted->stats.handoffs[MN_CROSS_PARKED], 1);
				}
				struct mn_m *woken;

				__atomic_store_n(&target->status, MN_P_RUNNING, __ATOMIC_SEQ_CST);
				woken = m_start_locked(rt, target);
				pthread_mutex_unlock(&rt->lock);
				m_wake(woken);
				return MN_CROSS_PARKED;
			}
			pthread_mutex_unlock(&rt->lock);
		}
		return MN_CROSS_RUNNING;
	}
	/* from outside any worker: the global queue */
	pthread_mutex_lock(&rt->lock);
	global_push_locked(rt, c);
	pthread_mutex_unlock(&rt->lock);
	wake_any(rt);
	return MN_CROSS_PARKED;
}

/* ---- the thread's own loop (g0) ------------------------------------------ */

CORO_TEXT static void run(struct mn_m *m, struct mn_coro *c)
{
	c->state = MN_RUNNING;
	c->last_worker = m->p->id;
	m->cur = c;
	coro_ctx_switch(&m->g0, &c->ctx);
	mn_after_switch(m);	/* g0 never changes thread */
}

CORO_TEXT static void m_loop(struct mn_m *m)
{
	struct mn_rt *rt = m->rt;

	for (;;) {
		struct mn_coro *c;

		if (!m->p && !m_park(m))
			return;
		c = find_work(rt, m->p);
		if (!c && !__atomic_load_n(&rt->done, __ATOMIC_ACQUIRE))
			c = spin_for_work(rt, m->p);
		if (c) {
			run(m, c);
			continue;
		}
		if (__atomic_load_n(&rt->done, __ATOMIC_ACQUIRE)) {
			__atomic_store_n(&m->p->status, MN_P_IDLE, __ATOMIC_SEQ_CST);
			m->p = NULL;
			return;
		}
		p_release(m);	/* false: work came in meanwhile, look again */
	}
}

/* ---- preemption (preempt.h) ------------------------------------------------ */

CORO_TEXT static struct coro_ctx *preempt_running(void *arg, uintptr_t sp)
{
	struct mn_m *m = arg;
	struct mn_coro *c = m->p ? m->cur : NULL;

	return c && stack_holds(&c->stack, sp) ? &c->ctx : NULL;
}

CORO_TEXT static bool preempt_yield(void *arg)
{
	struct mn_m *m = arg;
	struct mn_coro *cur = m->cur, *next = mn_local_next(m->rt, m->p);

	if (!next)
		return false;
	mn_count(&m->p->stats.preemptions, 1);
	cur->state = MN_RUNNABLE;
	m->after = MN_AFTER_REQUEUE;
	m->after_arg = cur;
	mn_switch_out(m, cur, next);
	return true;
}

static const struct coro_preempt_ops preempt_ops = { preempt_running, preempt_yield };

/* ---- thread entry ---------------------------------------------------------- */

CORO_TEXT static void m_enter(struct mn_m *m)
{
	mn_tls_m = m;
	m->tid = (pid_t)syscall(SYS_gettid);
	if (m->nextp) {
		m->p = m->nextp;
		m->nextp = NULL;
		__atomic_store_n(&m->wake, 0, __ATOMIC_RELAXED);
		pin(m, m->p->cpu);
	}
	if (m->rt->cfg.preempt_us && coro_preempt_thread_start(&preempt_ops, m, m->rt->cfg.preempt_us))
		die("cannot start the preemption timer of a thread");
}

CORO_TEXT static void *m_thread(void *arg)
{
	struct mn_m *m = arg;

	m_enter(m);
	m_loop(m);
	coro_preempt_stop();
	return NULL;
}

/* ---- the public API ---------------------------------------------------------- */

struct mn_rt *mn_rt_new(const struct mn_config *cfg)
{
	struct mn_rt *rt;
	bool distinct = true;

	if (!cfg || cfg->workers < 1 || cfg->workers > MN_MAX_WORKERS || cfg->spare_threads < 0 ||
	    cfg->workers + cfg->spare_threads > MN_MAX_THREADS ||
	    (cfg->preempt_us && cfg->preempt_us < CORO_PREEMPT_MIN_SLICE)) {
		errno = EINVAL;
		return NULL;
	}
	rt = calloc(1, sizeof(*rt));
	if (!rt || !(rt->p = aligned_alloc(64, sizeof(struct mn_p) * (size_t)cfg->workers))) {
		free(rt);
		errno = ENOMEM;
		return NULL;
	}
	memset(rt->p, 0, sizeof(struct mn_p) * (size_t)cfg->workers);
	rt->cfg = *cfg;
	rt->np = cfg->workers;
	for (int i = 0; i < rt->np; i++) {
		rt->p[i].id = i;
		rt->p[i].cpu = cfg->cpus ? cfg->cpus[i] : -1;
		rt->p[i].status = MN_P_RUNNING;	/* held by its first thread from the start */
		rt->cpus[i] = rt->p[i].cpu;
		for (int j = 0; j < i; j++)
			if (rt->cpus[j] == rt->cpus[i])
				distinct = false;
	}
	if (!cfg->cpus || rt->np == 1)
		distinct = false;
	rt->spin_ns = cfg->spin_ns == MN_SPIN_DEFAULT ? (distinct ? SPIN_DEFAULT_NS : 0) : cfg->spin_ns;
	pthread_mutex_init(&rt->lock, NULL);
	pthread_mutex_init(&rt->stack_lock, NULL);
	rt->pool.stack_size = (CORO_DEFAULT_STACK + stack_page_size() - 1) & ~(stack_page_size() - 1);
	return rt;
}

struct mn_coro *mn_spawn(struct mn_rt *rt, coro_fn fn, void *arg, int home)
{
	struct mn_coro *c;

	if (!rt || !fn || home < -1 || home >= rt->np) {
		errno = EINVAL;
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		errno = ENOMEM;
		return NULL;
	}
	pthread_mutex_lock(&rt->stack_lock);
	if (stack_pool_get(&rt->pool, &c->stack)) {
		pthread_mutex_unlock(&rt->stack_lock);
		free(c);
		return NULL;
	}
	c->id = ++rt->next_id;
	c->all_next = rt->all;
	rt->all = c;
	pthread_mutex_unlock(&rt->stack_lock);
	c->rt = rt;
	c->fn = fn;
	c->arg = arg;
	c->home = home;
	c->last_worker = -1;
	coro_ctx_init(&c->ctx, c->stack.hi, coro_main, c);
	__atomic_add_fetch(&rt->live, 1, __ATOMIC_ACQ_REL);
	if (!rt->ran) {	/* before mn_rt_run: one thread, nobody else looks */
		c->state = MN_RUNNABLE;
		p_queue(rt, &rt->p[home < 0 ? 0 : home], c);
		return c;
	}
	mn_ready(rt, mn_self(), c, false);
	return c;
}

size_t mn_rt_run(struct mn_rt *rt)
{
	struct mn_m *m0;
	cpu_set_t caller_cpus;
	bool restore;
	size_t left;

	if (rt->ran) {
		errno = EBUSY;
		return (size_t)-1;
	}
	rt->ran = true;
	m0 = calloc(1, sizeof(*m0));
	if (!m0) {
		errno = ENOMEM;
		return (size_t)-1;
	}
	m0->rt = rt;
	m0->cpu = -1;
	m0->nextp = &rt->p[0];
	pthread_mutex_lock(&rt->lock);
	rt->m[rt->nm++] = m0;
	rt->nactive = 1;
	for (int i = 1; i < rt->np; i++)
		m_new_locked(rt, &rt->p[i]);
	for (int i = 0; i < rt->cfg.spare_threads; i++)
		m_new_locked(rt, NULL);
	pthread_mutex_unlock(&rt->lock);
	/* every thread's tid is known before the caller runs a coroutine */
	for (int i = 1; i < rt->nm; i++)
		while (!__atomic_load_n(&rt->m[i]->tid, __ATOMIC_ACQUIRE))
			sched_yield();
	if (rt->live == 0) {
		pthread_mutex_lock(&rt->lock);
		finish_locked(rt);
		pthread_mutex_unlock(&rt->lock);
	}
	/* the caller's thread serves worker 0 (pinned to its CPU) until the end */
	restore = sched_getaffinity(0, sizeof(caller_cpus), &caller_cpus) == 0;
	m_enter(m0);
	m_loop(m0);
	coro_preempt_stop();
	mn_tls_m = NULL;
	if (restore)
		sched_setaffinity(0, sizeof(caller_cpus), &caller_cpus);
	for (int i = 0; i < rt->nm; i++)
		if (rt->m[i]->started)
			pthread_join(rt->m[i]->thread, NULL);
	left = __atomic_load_n(&rt->live, __ATOMIC_ACQUIRE);
	return left;
}

void mn_rt_free(struct mn_rt *rt)
{
	if (!rt)
		return;
	for (struct mn_coro *c = rt->all, *n; c; c = n) {
		n = c->all_next;
		if (c->stack.slab)
			stack_pool_put(&rt->pool, &c->stack);
		free(c);
	}
	stack_pool_destroy(&rt->pool);
	for (int i = 0; i < rt->nm; i++)
		free(rt->m[i]);
	pthread_mutex_destroy(&rt->lock);
	pthread_mutex_destroy(&rt->stack_lock);
	free(rt->p);
	free(rt);
}

int mn_rt_tids(const struct mn_rt *rt, pid_t *tids, int max)
{
	int n = 0;

	for (int i = 0; i < rt->nm && n < max; i++)
		tids[n++] = __atomic_load_n(&rt->m[i]->tid, __ATOMIC_ACQUIRE);
	return n;
}

struct mn_stats mn_rt_stats(const struct mn_rt *rt)
{
	struct mn_stats s = { 0 };

	for (int i = 0; i < rt->np; i++) {
		const struct mn_stats *p = &rt->p[i].stats;

#define ADD(f) s.f += __atomic_load_n(&p->f, __ATOMIC_RELAXED)
		for (int k = 0; k < MN_HANDOFF_KINDS; k++)
			ADD(handoffs[k]);
		ADD(steals);
		ADD(stolen);
		ADD(parks);
		ADD(blocking_calls);
		ADD(worker_handoffs);
		ADD(preemptions);
#undef ADD
	}
	return s;
}

CORO_TEXT void mn_yield(void)
{
	struct mn_m *m = mn_self();
	struct mn_coro *cur = m ? m->cur : NULL, *next;

	if (!cur || !m->p)
		return;
	next = find_work(m->rt, m->p);
	if (!next)
		return;
	cur->state = MN_RUNNABLE;
	m->after = MN_AFTER_REQUEUE;
	m->after_arg = cur;
	mn_switch_out(m, cur, next);
}

int mn_worker(void)
{
	struct mn_m *m = mn_self();

	return m && m->cur && m->p ? m->p->id : -1;
}

CORO_TEXT void mn_block_enter(void)
{
	struct mn_m *m = mn_self();
	struct mn_rt *rt;
	struct mn_p *p;

	if (!m || !m->cur || !m->p)
		die("mn_block_enter() outside a coroutine, or twice");
	rt = m->rt;
	p = m->p;
	struct mn_m *woken = NULL;

	mn_count(&p->stats.blocking_calls, 1);
	m->syscall_p = p;
	m->p = NULL;
	pthread_mutex_lock(&rt->lock);
	if (p_has_work(p) || rt->gq_head) {
		/* Go's handoffp: the worker and its queue go to another thread now */
		mn_count(&p->stats.worker_handoffs, 1);
		woken = m_start_locked(rt, p);
	} else {
		__atomic_store_n(&p->status, MN_P_IDLE, __ATOMIC_SEQ_CST);
		if (p_has_work(p)) {	/* readied meanwhile */
			__atomic_store_n(&p->status, MN_P_RUNNING, __ATOMIC_SEQ_CST);
			mn_count(&p->stats.worker_handoffs, 1);
			woken = m_start_locked(rt, p);
		} else {
			p->last_m = m;
		}
	}
	pthread_mutex_unlock(&rt->lock);
	m_wake(woken);
}

/* Takes p if no thread holds it. */
CORO_TEXT static bool p_acquire(struct mn_m *m, struct mn_p *p)
{
	bool got = false;

	if (__atomic_load_n(&p->status, __ATOMIC_SEQ_CST) != MN_P_IDLE)
		return false;
	pthread_mutex_lock(&m->rt->lock);
	if (p->status == MN_P_IDLE) {
		__atomic_store_n(&p->status, MN_P_RUNNING, __ATOMIC_SEQ_CST);
		got = true;
	}
	pthread_mutex_unlock(&m->rt->lock);
	if (got) {
		m->p = p;
		pin(m, p->cpu);
	}
	return got;
}

CORO_TEXT void mn_block_exit(void)
{
	struct mn_m *m = mn_self();
	struct mn_coro *cur = m ? m->cur : NULL;
	struct mn_rt *rt;

	if (!cur || m->p || !m->syscall_p)
		die("mn_block_exit() without mn_block_enter()");
	rt = m->rt;
	/* the worker it had, if free; any free one, if it may run anywhere */
	if (p_acquire(m, m->syscall_p))
		goto got;
	if (cur->home < 0)
		for (int i = 0; i < rt->np; i++)
			if (p_acquire(m, &rt->p[i]))
				goto got;
	/* none: queue it (after the switch has saved it) and park this thread */
	m->syscall_p = NULL;
	cur->state = MN_RUNNABLE;
	m->after = MN_AFTER_READY;
	m->after_arg = cur;
	pthread_mutex_lock(&rt->lock);
	rt->nactive--;	/* the loop parks it without a worker */
	m->idle_next = rt->idle_m;
	rt->idle_m = m;
	pthread_mutex_unlock(&rt->lock);
	mn_switch_out(m, cur, NULL);
	return;
got:
	m->syscall_p = NULL;
	cur->last_worker = m->p->id;
}
