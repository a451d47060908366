// SPDX-License-Identifier: GPL-2.0
/*
 * pthread — two threads hand a turn back and forth under one mutex and one
 * condition variable, waking each other with a broadcast: the algorithm of
 * the seed article's pthread_switch.c, counted the same way (one switch per
 * turn handed over, two per round trip).
 *
 * Side A is the main thread and drives the windows; it holds the mutex
 * everywhere except inside pthread_cond_wait, exactly like the seed's worker.
 * At a gate side A has just seen turn == A again, so side B is parked in
 * pthread_cond_wait waiting for its next turn.
 *
 * --signal-after-unlock (lab 3) changes one thing: each side takes the
 * mutex for its turn only, and broadcasts after unlocking it. The seed
 * broadcasts with the mutex held, so a thread woken (and, with PREEMPT_NONE,
 * run as soon as its waker returns to user mode) often blocks again at once
 * on the mutex its waker still holds: ~1.7 kernel switches per turn. Woken
 * after the unlock, it finds the mutex free. Side A then holds the mutex
 * only inside each turn, and at a gate neither side holds it.
 */
#include <stdint.h>
#include "workload.h"

enum { TURN_A, TURN_B };

struct pingpong {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	volatile int turn;
	long b_iterations;	/* turns side B takes over the whole run */
	long after_unlock;	/* --signal-after-unlock */
};

static struct pingpong pp = {
	.mu = PTHREAD_MUTEX_INITIALIZER,
	.cv = PTHREAD_COND_INITIALIZER,
	.turn = TURN_A,
};

/* One turn: wait for mine, hand it to the other side, wake everyone. */
static void take_turn(struct pingpong *p, int mine)
{
	while (p->turn != mine)
		pthread_cond_wait(&p->cv, &p->mu);
	p->turn = 1 - mine;
	pthread_cond_broadcast(&p->cv);
}

/* --signal-after-unlock: the same turn, with the mutex held only inside it. */
static void take_turn_unlocked(struct pingpong *p, int mine)
{
	pthread_mutex_lock(&p->mu);
	while (p->turn != mine)
		pthread_cond_wait(&p->cv, &p->mu);
	p->turn = 1 - mine;
	pthread_mutex_unlock(&p->mu);	/* first: the thread it wakes finds the mutex free */
	pthread_cond_broadcast(&p->cv);	/* then the wake-up */
}

/* Waits until the turn is mine; with the mutex held (the seed's) or not. */
static void wait_turn(struct pingpong *p, int mine)
{
	if (p->after_unlock)
		pthread_mutex_lock(&p->mu);
	while (p->turn != mine)
		pthread_cond_wait(&p->cv, &p->mu);
	if (p->after_unlock)
		pthread_mutex_unlock(&p->mu);
}

static void *side_b(void *arg)
{
	struct pingpong *p = arg;

	if (p->after_unlock) {
		for (long i = 0; i < p->b_iterations; i++)
			take_turn_unlocked(p, TURN_B);
		return NULL;
	}
	pthread_mutex_lock(&p->mu);
	for (long i = 0; i < p->b_iterations; i++)
		take_turn(p, TURN_B);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* n round trips (the seed's: with the mutex held); returns when B has taken its n-th turn. */
static int side_a(void *arg, long n)
{
	struct pingpong *p = arg;

	for (long i = 0; i < n; i++) {
		if (p->after_unlock)
			take_turn_unlocked(p, TURN_A);
		else
			take_turn(p, TURN_A);
	}
	wait_turn(p, TURN_A);
	return 0;
}

static int body(struct wl_run *run)
{
	struct pingpong *p = &pp;
	struct wl_thread b;
	pid_t tids[2];
	int failed;

	p->b_iterations = wl_total_iterations(run);
	if (wl_pin_self(wl_cpu(run, 0)))
		wl_die("cannot pin to CPU %d; pick another with -C", wl_cpu(run, 0));
	if (!p->after_unlock)
		pthread_mutex_lock(&p->mu);
	if (wl_thread_start(&b, wl_cpu(run, 1), side_b, p))
		wl_die("cannot start the second thread on CPU %d; pick another with -C",
		       wl_cpu(run, 1));
	tids[0] = wl_gettid();
	tids[1] = b.tid;
	wl_report_tids(run, tids, 2);
	/* futex words: glibc waits on words inside the condvar (__g_signals)
	 * and on the mutex's first word (__lock) */
	wl_report(run, "futex_cond", "%p", (void *)&p->cv);
	wl_report(run, "futex_cond_size", "%zu", sizeof(p->cv));
	wl_report(run, "futex_mutex", "%p", (void *)&p->mu);
	wl_report(run, "futex_mutex_size", "%zu", sizeof(p->mu));
	wl_report(run, "signal_after_unlock", "%ld", p->after_unlock);

	failed = wl_measure(run, side_a, p);
	if (!p->after_unlock)
		pthread_mutex_unlock(&p->mu);
	wl_thread_join(&b);
	return failed;
}

static const char *switch_def_of(void)
{
	if (pp.after_unlock)
		return "one turn handed to the other thread through a mutex, a condition variable "
		       "and a broadcast made after unlocking the mutex (the seed's broadcasts "
		       "before: --signal-after-unlock)";
	return NULL;
}

static struct wl_option options[] = {
	{ .name = "signal-after-unlock", .help = "unlock the mutex, then broadcast (the seed "
	  "broadcasts with it held)", .value = &pp.after_unlock },
	{ 0 },
};

static const struct wl_spec spec = {
	.name = "pthread",
	.switch_def = "one turn handed to the other thread through a mutex, a condition variable "
		      "and a broadcast (the seed's pthread_switch.c)",
	.details = "Two threads, one mutex, one condvar, a turn flag: each waits for its turn,\n"
		   "flips the flag and broadcasts. One round trip is two switches, as in the\n"
		   "seed's pthread_switch.c, so the two agree side by side. Side A is the main\n"
		   "thread, side B a second thread; -C 0,1 puts them on two CPUs.\n"
		   "--signal-after-unlock unlocks the mutex before the broadcast, so the woken\n"
		   "thread does not block again on the mutex its waker still holds.",
	.switches_per_iter = 2,
	.round_trips_per_iter = 1,
	.sides = 2,
	.default_iterations = 10000,
	.default_warmup = 1000,
	.default_repeats = 5,
	.options = options,
	.switch_def_of = switch_def_of,
};

int main(int argc, char **argv)
{
	return wl_main(&spec, argc, argv, body);
}
