// SPDX-License-Identifier: GPL-2.0
/*
 * coro-yield — two coroutines on one OS thread hand the CPU to each other
 * with coro_yield(): the seed's runtime.Gosched benchmark (GOMAXPROCS=1) on
 * the in-tree scheduler (workloads/coro/). A switch is a user-space register
 * swap: no syscall, no kernel switch.
 *
 * Side A is the coroutine that drives the windows; at a gate it blocks the
 * whole thread in read(), with side B suspended in its yield.
 */
#include <errno.h>
#include <string.h>
#include "coro.h"
#include "workload.h"

struct yielders {
	struct wl_run *run;
	long b_yields;
	int failed;
};

/* n iterations: A yields n times; B yields back each time. */
static int yield_loop(void *arg, long n)
{
	(void)arg;
	for (long i = 0; i < n; i++)
		coro_yield();
	return 0;
}

static void side_a(void *arg)
{
	struct yielders *y = arg;

	y->failed = wl_measure(y->run, yield_loop, NULL);
}

/* Runs first, so its first yield starts side A: from then on every yield of
 * A resumes B and B's next yield resumes A. */
static void side_b(void *arg)
{
	struct yielders *y = arg;

	for (long i = 0; i < y->b_yields; i++)
		coro_yield();
}

static int body(struct wl_run *run)
{
	static struct yielders y;
	struct coro_sched *s;
	size_t blocked;
	pid_t tid;

	if (wl_pin_self(wl_cpu(run, 0)))
		wl_die("cannot pin to CPU %d; pick another with -C", wl_cpu(run, 0));
	y.run = run;
	y.b_yields = wl_total_iterations(run) + 1;	/* + the one that starts A */
	s = coro_sched_new();
	if (!s || !coro_create(s, side_b, &y, 0) || !coro_create(s, side_a, &y, 0))
		wl_die("cannot create the coroutines (%s); is memory short?", strerror(errno));
	tid = wl_gettid();
	wl_report_tids(run, &tid, 1);

	blocked = coro_sched_run(s);
	coro_sched_free(s);
	if (blocked)
		wl_die("%zu coroutine(s) left blocked; this is a bug in the coroutine scheduler",
		       blocked);
	return y.failed;
}

static const struct wl_spec spec = {
	.name = "coro-yield",
	.switch_def = "one coroutine yielding the CPU to the other on the same OS thread "
		      "(coro_yield, a user-space switch: no syscall, no kernel switch)",
	.details = "Two stackful coroutines on one pinned thread, scheduled by workloads/coro/,\n"
		   "take turns with coro_yield() like two goroutines calling runtime.Gosched()\n"
		   "with GOMAXPROCS=1. A yield saves the callee-saved registers, the stack\n"
		   "pointer and the FP control words, and resumes the other coroutine.\n"
		   "An iteration is A yielding to B and B yielding back: two switches.",
	.switches_per_iter = 2,
	.round_trips_per_iter = 0,
	.sides = 1,
	.default_iterations = 5000000,
	.default_warmup = 500000,
	.default_repeats = 5,
};

int main(int argc, char **argv)
{
	return wl_main(&spec, argc, argv, body);
}
