// SPDX-License-Identifier: GPL-2.0
/*
 * hog-coro — the CPU-hog experiment (hog.h) on the one-thread coroutine
 * scheduler (workloads/coro/): a hog coroutine computes for H ms between
 * coro_yield() calls, a probe coroutine wants to run every 1 ms.
 *
 * Cooperative (the default), the probe runs only when the hog yields: its
 * lateness is about the hog's chunk. With --preempt MS, a timer signal
 * preempts the hog once it has run MS ms without switching out
 * (workloads/coro/preempt.c), as Go 1.14+ preempts a goroutine in a tight
 * loop; the probe's lateness drops to about the slice.
 *
 * Preempted, it also measures what one preemption costs, end to end: the
 * hog reads the clock after every unit of work, the probe reads it when it
 * starts and before it yields back. The gap in the hog's readings across a
 * preemption, less the probe's own run and one ordinary step of the hog
 * (a unit and a clock read, measured before the first window), is the
 * cost: timer interrupt, signal delivery, handler, the switch to the probe
 * and back, sigreturn (preempt_cost_* on the result fd).
 *
 * Side A is the hog coroutine; at a gate it blocks the whole thread in
 * read(), the probe suspended in its yield.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "coro.h"
#include "hog.h"
#include "preempt.h"
#include "stats.h"
#include "workload.h"

static struct exp {
	struct coro_sched *sched;
	struct hog hog;
	long preempt_ms;		/* --preempt, 0: cooperative */
	volatile int active;		/* the window is open: the probe records */
	volatile int stop;
	uint64_t deadline;		/* when the probe wants to run next */
	/* what a preemption costs */
	uint64_t probe_first_ts, probe_last_ts;	/* the probe's latest run */
	unsigned long seen_preemptions;
	uint64_t step_ns;		/* an ordinary step of the hog */
	struct wl_samples cost;		/* this window's, ns per preemption */
	struct wl_samples cost_all;
	struct coro_preempt_stats at_start;	/* counters when the window opened */
	int failed;
} e = { .hog = { .hog_ms = HOG_DEFAULT_MS } };

/* After each unit of the hog: was it preempted since the one before? */
static void hog_step(struct hog *h, uint64_t now)
{
	unsigned long p = coro_preempt_count();
	int64_t cost;

	if (p == e.seen_preemptions)
		return;
	e.seen_preemptions = p;
	/* the probe ran in the gap, or the gap is not a preemption of ours to time */
	if (!e.active || e.probe_first_ts < h->last_ts || e.probe_last_ts > now)
		return;
	cost = (int64_t)(now - h->last_ts) - (int64_t)(e.probe_last_ts - e.probe_first_ts) -
	       (int64_t)e.step_ns;
	wl_samples_push(&e.cost, cost > 0 ? (uint64_t)cost : 0);
}

/* n chunks, a chance to yield after each. */
static int hog_loop(void *arg, long n)
{
	(void)arg;
	e.at_start = coro_preempt_stats();
	e.deadline = wl_now_ns() + HOG_PROBE_PERIOD_NS;
	e.active = 1;
	for (long i = 0; i < n; i++) {
		hog_chunk(&e.hog);
		coro_yield();
	}
	e.active = 0;
	return 0;
}

static void after_repeat(void *arg, struct wl_run *run)
{
	struct coro_preempt_stats now = coro_preempt_stats();

	(void)arg;
	hog_after_repeat(&e.hog, run);
	if (run && e.preempt_ms) {
		wl_report(run, "preemptions", "%lu", now.preemptions - e.at_start.preemptions);
		wl_report(run, "preempt_ticks", "%lu", now.ticks - e.at_start.ticks);
		wl_report(run, "preempt_deferred", "%lu", now.deferred - e.at_start.deferred);
		for (size_t i = 0; i < e.cost.n; i++)
			wl_samples_push(&e.cost_all, e.cost.v[i]);
		wl_report_dist(run, "preempt_cost", e.cost.v, e.cost.n);
	}
	e.cost.n = 0;
}

/* The median step of the hog's loop, before any timer: one unit and a clock read. */
static uint64_t measure_step(void)
{
	enum { N = 2001 };
	static uint64_t d[N];
	uint64_t x = 1, t = wl_now_ns();

	for (int i = 0; i < N; i++) {
		uint64_t u;

		x = hog_unit(x);
		u = wl_now_ns();
		d[i] = u - t;
		t = u;
	}
	e.hog.sink ^= x;
	qsort(d, N, sizeof(d[0]), st_cmp_u64);
	return d[N / 2];
}

static void hog(void *arg)
{
	struct wl_run *run = arg;

	if (e.preempt_ms) {
		e.step_ns = measure_step();
		e.hog.step = hog_step;
		wl_report(run, "preempt_step_ns", "%llu", (unsigned long long)e.step_ns);
		if (coro_preempt_start(e.sched, (unsigned long)e.preempt_ms * 1000))
			wl_die("cannot start the preemption timer (%s); run again without --preempt",
			       strerror(errno));
	}
	e.failed = wl_measure_each(run, hog_loop, after_repeat, NULL);
	coro_preempt_stop();
	e.stop = 1;
}

static void probe(void *arg)
{
	(void)arg;
	while (!e.stop) {
		uint64_t now = wl_now_ns();

		if (e.active && now >= e.deadline) {
			e.probe_first_ts = now;
			hog_probe_record(&e.hog, e.deadline, now);
			e.deadline = now + HOG_PROBE_PERIOD_NS;
			e.probe_last_ts = wl_now_ns();
		}
		coro_yield();
	}
}

static void finish(struct wl_run *run)
{
	hog_finish(run);
	if (e.preempt_ms) {
		struct wl_dist d;

		wl_report_dist(run, "preempt_cost_all", e.cost_all.v, e.cost_all.n);
		d = wl_dist_of(e.cost_all.v, e.cost_all.n);
		printf("preempt-cost-ns: p50 %llu (p99 %llu, max %llu, n %zu)\n",
		       (unsigned long long)d.p50, (unsigned long long)d.p99,
		       (unsigned long long)d.max, d.n);
	}
	wl_samples_free(&e.cost);
	wl_samples_free(&e.cost_all);
}

static int body(struct wl_run *run)
{
	size_t blocked;
	pid_t tid;

	if (wl_pin_self(wl_cpu(run, 0)))
		wl_die("cannot pin to CPU %d; pick another with -C", wl_cpu(run, 0));
	hog_init(&e.hog, run);
	run->finish = finish;
	e.sched = coro_sched_new();
	/* the probe first: it is waiting when the hog's first chunk ends */
	if (!e.sched || !coro_create(e.sched, probe, NULL, 0) || !coro_create(e.sched, hog, run, 0))
		wl_die("cannot create the coroutines (%s); is memory short?", strerror(errno));
	tid = wl_gettid();
	wl_report_tids(run, &tid, 1);
	hog_report_setup(&e.hog, run);
	wl_report(run, "preempt_slice_ns", "%llu", (unsigned long long)e.preempt_ms * 1000000ull);

	blocked = coro_sched_run(e.sched);
	coro_sched_free(e.sched);
	if (blocked)
		wl_die("%zu coroutine(s) left blocked; this is a bug in the coroutine scheduler",
		       blocked);
	return e.failed;
}

static struct wl_option options[] = {
	HOG_OPTION(e.hog),
	{ .name = "preempt", .arg = "MS",
	  .help = "preempt a coroutine after MS ms without a yield; 0: never",
	  .min = 0, .max = 10000, .value = &e.preempt_ms },
	{ 0 },
};

static const struct wl_spec spec = {
	.name = "hog-coro",
	.switch_def = "one chunk of the hog coroutine (H ms of computing, then coro_yield) "
		      "with a probe coroutine due every 1 ms on the same thread",
	.details = "The CPU-hog experiment on the one-thread coroutine scheduler. A hog coroutine\n"
		   "computes for H ms (--hog) between yields; a probe coroutine wants to run 1 ms\n"
		   "after its last run and records how late it runs. Cooperative, the probe\n"
		   "waits for the hog's yield (lateness ~ H); with --preempt MS a timer signal\n"
		   "switches the hog out after MS ms (lateness ~ MS) and the run reports what\n"
		   "one preemption costs. Prints the lateness (p50, p99, max) and the hog's\n"
		   "throughput after the ns/switch line.",
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
