// SPDX-License-Identifier: GPL-2.0
/*
 * hog-threads — the CPU-hog experiment (hog.h) with kernel threads: the hog
 * thread computes for H ms between sched_yield() calls, the probe thread
 * sleeps until 1 ms after its last run (clock_nanosleep, absolute, timer
 * slack 1 ns) and records how late it woke. Both are pinned to the same
 * CPU, so they compete for it, and the kernel's scheduler decides: the
 * woken probe preempts the hog (at the hrtimer interrupt's return to user
 * mode, even with PREEMPT_NONE), so the probe is late by the wake-up path,
 * not by the hog's chunk.
 *
 * Side A is the hog (the main thread). The probe thread records only
 * while a window is open: the hog wakes it after the start gate and, after
 * its last chunk, waits until it has parked on a futex, so at a gate both
 * threads are blocked.
 */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "hog.h"
#include "workload.h"

static struct exp {
	struct hog hog;
	int active;		/* futex word: 1 while a window is open */
	int parked;		/* futex word: 1 once the probe has stopped recording */
	int stop;
} e = { .hog = { .hog_ms = HOG_DEFAULT_MS } };

static void futex_wait(int *word, int val)
{
	if (syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0) &&
	    errno != EAGAIN && errno != EINTR)
		wl_die("FUTEX_WAIT failed (%s); please report it", strerror(errno));
}

static void futex_wake(int *word)
{
	if (syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0) < 0)
		wl_die("FUTEX_WAKE failed (%s); please report it", strerror(errno));
}

static void *probe(void *arg)
{
	(void)arg;
	prctl(PR_SET_TIMERSLACK, 1UL);	/* wake at the deadline, not up to 50 µs after */
	for (;;) {
		uint64_t deadline;

		__atomic_store_n(&e.parked, 1, __ATOMIC_RELEASE);
		futex_wake(&e.parked);
		while (!__atomic_load_n(&e.active, __ATOMIC_ACQUIRE)) {
			if (__atomic_load_n(&e.stop, __ATOMIC_ACQUIRE))
				return NULL;
			futex_wait(&e.active, 0);
		}
		__atomic_store_n(&e.parked, 0, __ATOMIC_RELEASE);
		deadline = wl_now_ns() + HOG_PROBE_PERIOD_NS;
		for (;;) {
			struct timespec ts = { .tv_sec = (time_t)(deadline / 1000000000ull),
					       .tv_nsec = (long)(deadline % 1000000000ull) };
			uint64_t now;
			int err;

			err = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
			if (err && err != EINTR)
				wl_die("clock_nanosleep failed (%s); please report it", strerror(err));
			now = wl_now_ns();
			if (!__atomic_load_n(&e.active, __ATOMIC_ACQUIRE))
				break;
			if (err)
				continue;
			hog_probe_record(&e.hog, deadline, now);
			deadline = now + HOG_PROBE_PERIOD_NS;
		}
	}
}

/* n chunks with a sched_yield() after each, the probe recording meanwhile. */
static int hog_loop(void *arg, long n)
{
	(void)arg;
	__atomic_store_n(&e.parked, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&e.active, 1, __ATOMIC_RELEASE);
	futex_wake(&e.active);
	for (long i = 0; i < n; i++) {
		hog_chunk(&e.hog);
		sched_yield();
	}
	__atomic_store_n(&e.active, 0, __ATOMIC_RELEASE);
	/* the probe stops within a period; its samples are ours once it has parked */
	while (!__atomic_load_n(&e.parked, __ATOMIC_ACQUIRE))
		futex_wait(&e.parked, 0);
	return 0;
}

static int body(struct wl_run *run)
{
	struct wl_thread p;
	pid_t tids[2];
	int failed;

	if (wl_pin_self(wl_cpu(run, 0)))
		wl_die("cannot pin to CPU %d; pick another with -C", wl_cpu(run, 0));
	hog_init(&e.hog, run);
	if (wl_thread_start(&p, wl_cpu(run, 0), probe, NULL))
		wl_die("cannot start the probe thread on CPU %d (%s); pick another with -C",
		       wl_cpu(run, 0), strerror(errno));
	while (!__atomic_load_n(&e.parked, __ATOMIC_ACQUIRE))
		futex_wait(&e.parked, 0);
	tids[0] = wl_gettid();
	tids[1] = p.tid;
	wl_report_tids(run, tids, 2);
	hog_report_setup(&e.hog, run);

	failed = wl_measure_each(run, hog_loop, hog_after_repeat, &e.hog);
	__atomic_store_n(&e.stop, 1, __ATOMIC_RELEASE);
	futex_wake(&e.active);
	wl_thread_join(&p);
	return failed;
}

static struct wl_option options[] = {
	HOG_OPTION(e.hog),
	{ 0 },
};

static const struct wl_spec spec = {
	.name = "hog-threads",
	.switch_def = "one chunk of the hog thread (H ms of computing, then sched_yield) with a "
		      "probe thread due every 1 ms on the same CPU",
	.details = "The CPU-hog experiment with kernel threads. A hog thread computes for H ms\n"
		   "(--hog) between sched_yield() calls; a probe thread on the same CPU sleeps\n"
		   "until 1 ms after its last run and records how late it wakes. The kernel's\n"
		   "scheduler preempts the hog for it: lateness ~ the wake-up path. Prints the\n"
		   "lateness (p50, p99, max) and the hog's throughput after the ns/switch line.",
	.switches_per_iter = 1,
	.round_trips_per_iter = 0,
	.sides = 1,
	.default_iterations = 5,
	.default_warmup = 1,
	.default_repeats = 3,
	.options = options,
};

int main(int argc, char **argv)
{
	return wl_main(&spec, argc, argv, body);
}
