// SPDX-License-Identifier: GPL-2.0
/*
 * futex — two threads ping-pong a turn word with raw futex wait and wake:
 * the floor of a kernel thread switch (no mutex, no condvar, one wake and
 * one wait per hand-off).
 *
 * Side A (the main thread) drives the windows. At a gate the turn is A's, so
 * side B is parked in FUTEX_WAIT for its next turn.
 */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "workload.h"

enum { TURN_A, TURN_B };

struct pingpong {
	int turn;		/* the futex word */
	long b_iterations;
};

static void futex_wait(int *word, int val)
{
	if (syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0) &&
	    errno != EAGAIN && errno != EINTR)
		wl_die("FUTEX_WAIT failed (%s); the kernel refused a plain futex, please report it",
		       strerror(errno));
}

static void futex_wake(int *word)
{
	if (syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) < 0)
		wl_die("FUTEX_WAKE failed (%s); the kernel refused a plain futex, please report it",
		       strerror(errno));
}

/* Hand the turn to the other side, wake it, sleep until the turn is back. */
static void hand_over(struct pingpong *p, int mine)
{
	__atomic_store_n(&p->turn, 1 - mine, __ATOMIC_RELEASE);
	futex_wake(&p->turn);
	while (__atomic_load_n(&p->turn, __ATOMIC_ACQUIRE) != mine)
		futex_wait(&p->turn, 1 - mine);
}

static void *side_b(void *arg)
{
	struct pingpong *p = arg;

	while (__atomic_load_n(&p->turn, __ATOMIC_ACQUIRE) != TURN_B)
		futex_wait(&p->turn, TURN_A);
	for (long i = 0; i < p->b_iterations - 1; i++)
		hand_over(p, TURN_B);
	/* the last hand-off: give the turn back and leave */
	__atomic_store_n(&p->turn, TURN_A, __ATOMIC_RELEASE);
	futex_wake(&p->turn);
	return NULL;
}

static int side_a(void *arg, long n)
{
	struct pingpong *p = arg;

	for (long i = 0; i < n; i++)
		hand_over(p, TURN_A);
	return 0;
}

static int body(struct wl_run *run)
{
	static struct pingpong p = { .turn = TURN_A };
	struct wl_thread b;
	pid_t tids[2];
	int failed;

	p.b_iterations = wl_total_iterations(run);
	if (wl_pin_self(wl_cpu(run, 0)))
		wl_die("cannot pin to CPU %d; pick another with -C", wl_cpu(run, 0));
	if (wl_thread_start(&b, wl_cpu(run, 1), side_b, &p))
		wl_die("cannot start the second thread on CPU %d; pick another with -C",
		       wl_cpu(run, 1));
	tids[0] = wl_gettid();
	tids[1] = b.tid;
	wl_report_tids(run, tids, 2);
	wl_report(run, "futex_word", "%p", (void *)&p.turn);

	failed = wl_measure(run, side_a, &p);
	wl_thread_join(&b);
	return failed;
}

static const struct wl_spec spec = {
	.name = "futex",
	.switch_def = "one turn handed to the other thread with FUTEX_WAKE, the giver then "
		      "sleeping in FUTEX_WAIT (raw futex, no mutex or condvar)",
	.details = "Two threads share one turn word. Each hand-off is one FUTEX_WAKE by the giver\n"
		   "and one FUTEX_WAIT return in the taker: the floor of a kernel thread switch.\n"
		   "Side A is the main thread, side B a second thread; -C 0,1 puts them on two CPUs.",
	.switches_per_iter = 2,
	.round_trips_per_iter = 1,
	.sides = 2,
	.default_iterations = 20000,
	.default_warmup = 2000,
	.default_repeats = 5,
};

int main(int argc, char **argv)
{
	return wl_main(&spec, argc, argv, body);
}
