// SPDX-License-Identifier: GPL-2.0
/*
 * hog-loop — the CPU-hog experiment (hog.h) on an event loop in Node's
 * shape (evloop.h): the hog is a callback that computes for H ms and then
 * posts itself again (setImmediate), the probe a 1 ms timer (setTimeout) on
 * a timerfd that re-arms itself each time it fires. One thread runs both;
 * nothing interrupts a callback, so a timer that fires during the hog's
 * chunk waits for the chunk to end: the probe's lateness is about H. This
 * is the seed article's "a 200 ms callback freezes the event loop".
 *
 * Side A is the loop's thread; the hog's callback counts the chunks, and at
 * a gate the thread blocks in read() with the timer disarmed.
 */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include "evloop.h"
#include "hog.h"
#include "workload.h"

static struct exp {
	struct evloop loop;
	struct continuation hog_cb, probe_cb;
	struct hog hog;
	long chunks_left;	/* in the open window */
	int active;
	uint64_t deadline;	/* when the probe's timer is due */
} e = { .hog = { .hog_ms = HOG_DEFAULT_MS } };

/* One-shot timer at the absolute CLOCK_MONOTONIC time `at` (0 disarms). */
static void arm_probe(uint64_t at)
{
	struct itimerspec its = { .it_value = { .tv_sec = (time_t)(at / 1000000000ull),
						.tv_nsec = (long)(at % 1000000000ull) } };

	if (timerfd_settime(e.probe_cb.efd, TFD_TIMER_ABSTIME, &its, NULL))
		wl_die("timerfd_settime failed (%s); run again, or report it", strerror(errno));
}

/* setImmediate(hog): a chunk, then post itself again while the window lasts. */
static void hog_resume(struct continuation *self)
{
	(void)self;
	hog_chunk(&e.hog);
	if (--e.chunks_left > 0)
		evloop_signal(&e.hog_cb);
}

/* setTimeout(probe, 1): how late, then again 1 ms from now. */
static void probe_resume(struct continuation *self)
{
	uint64_t now = wl_now_ns();

	(void)self;
	if (!e.active)
		return;
	hog_probe_record(&e.hog, e.deadline, now);
	e.deadline = now + HOG_PROBE_PERIOD_NS;
	arm_probe(e.deadline);
}

/* n chunks: the loop runs callbacks until the hog has done its last. */
static int run_loop(void *arg, long n)
{
	(void)arg;
	e.active = 1;
	e.deadline = wl_now_ns() + HOG_PROBE_PERIOD_NS;
	arm_probe(e.deadline);
	e.chunks_left = n;
	evloop_signal(&e.hog_cb);
	while (e.chunks_left > 0)
		evloop_turn(&e.loop);
	e.active = 0;
	arm_probe(0);	/* disarmed (and its count reset): quiet at the gate */
	return 0;
}

static int body(struct wl_run *run)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &e.probe_cb };
	pid_t tid;

	if (wl_pin_self(wl_cpu(run, 0)))
		wl_die("cannot pin to CPU %d; pick another with -C", wl_cpu(run, 0));
	hog_init(&e.hog, run);
	e.hog_cb = (struct continuation){ .resume = hog_resume };
	e.probe_cb = (struct continuation){ .resume = probe_resume, .timer = 1 };
	e.probe_cb.efd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	if (evloop_init(&e.loop) || evloop_add(&e.loop, &e.hog_cb) || e.probe_cb.efd < 0 ||
	    epoll_ctl(e.loop.epfd, EPOLL_CTL_ADD, e.probe_cb.efd, &ev))
		wl_die("cannot set up epoll, an eventfd and a timerfd (%s); close some files or "
		       "raise ulimit -n", strerror(errno));
	tid = wl_gettid();
	wl_report_tids(run, &tid, 1);
	hog_report_setup(&e.hog, run);

	int failed = wl_measure_each(run, run_loop, hog_after_repeat, &e.hog);
	close(e.probe_cb.efd);
	close(e.hog_cb.efd);
	evloop_close(&e.loop);
	return failed;
}

static struct wl_option options[] = {
	HOG_OPTION(e.hog),
	{ 0 },
};

static const struct wl_spec spec = {
	.name = "hog-loop",
	.switch_def = "one chunk of the hog callback (H ms of computing, then back to the event "
		      "loop) with a 1 ms timer callback due on the same loop",
	.details = "The CPU-hog experiment on a single-threaded event loop (Node's model). The hog\n"
		   "is a callback that computes for H ms (--hog) and posts itself again, like\n"
		   "setImmediate; the probe is a 1 ms timer (timerfd) that records how late it\n"
		   "fires and re-arms, like setTimeout(probe, 1). A callback is never\n"
		   "interrupted, so the timer waits for the chunk: lateness ~ H. Prints the\n"
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
