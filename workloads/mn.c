// SPDX-License-Identifier: GPL-2.0
/*
 * mn — two coroutines ping-pong a value over an unbuffered channel on the
 * M:N scheduler (workloads/coro/mn.h): W worker threads, one per CPU given
 * with -C, run coroutines the way Go's runtime runs goroutines. Where the
 * two coroutines live decides what a hand-off costs, and the run counts
 * each kind separately (handoffs_* on the result fd):
 *
 *   --handoff same     both on worker 0: the receiver is queued on the
 *                      sender's own worker and runs when the sender blocks,
 *                      a user-space switch (compare coro-chan)
 *   --handoff running  ping on worker 0, pong on worker 1, on two CPUs: a
 *                      worker out of work spins for a while, so the value
 *                      usually finds the other worker running and no
 *                      kernel is involved (cross_running)
 *   --handoff parked   the same, but a worker out of work parks at once: each
 *                      hand-off wakes a thread with a futex (cross_parked),
 *                      a kernel switch (compare futex with the same -C)
 *   --blocking         both on worker 0; ping also makes a blocking read()
 *                      of a pipe that pong writes. Before it blocks, ping's
 *                      thread hands worker 0 and its queue to a spare thread
 *                      (Go's handoff of its P to another M), so pong runs
 *                      meanwhile: the kernel switch user space cannot avoid
 *
 * Side A is ping, homed on worker 0, which runs on the calling thread: at a
 * gate it blocks that thread in read(), with pong blocked on the channel
 * and every other thread parked.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "mn.h"
#include "workload.h"

enum { HANDOFF_SAME, HANDOFF_RUNNING, HANDOFF_PARKED };
static const char *const handoff_names[] = { "same", "running", "parked", NULL };

static struct exp {
	long handoff;		/* --handoff */
	long blocking;		/* --blocking */
	struct wl_run *run;
	struct mn_rt *rt;
	struct mn_chan *ch;
	int pipe_fd[2];		/* pong -> ping, for --blocking */
	long next;
	struct mn_stats at_start;
	int failed;
} e = { .pipe_fd = { -1, -1 } };

static void blocking_read(void)
{
	char byte;
	ssize_t r;

	mn_block_enter();
	while ((r = read(e.pipe_fd[0], &byte, 1)) < 0 && errno == EINTR)
		;
	mn_block_exit();
	if (r != 1)
		wl_die("reading the pipe failed (%s); please report it", r < 0 ? strerror(errno) : "EOF");
}

/* n round trips; each reply must be the value just sent. */
static int ping_loop(void *arg, long n)
{
	(void)arg;
	e.at_start = mn_rt_stats(e.rt);
	for (long i = 0; i < n; i++) {
		void *v = (void *)(intptr_t)e.next++, *reply;

		if (!mn_chan_send(e.ch, v))
			wl_die("the channel closed early; this is a bug in the M:N scheduler");
		if (e.blocking)
			blocking_read();
		else if (!mn_chan_recv(e.ch, &reply) || reply != v)
			wl_die("the channel lost or changed a value; this is a bug in the M:N "
			       "scheduler");
	}
	return 0;
}

static void after_repeat(void *arg, struct wl_run *run)
{
	struct mn_stats s = mn_rt_stats(e.rt), *a = &e.at_start;

	(void)arg;
	if (!run)
		return;
	wl_report(run, "handoffs_same_worker", "%lu", s.handoffs[MN_SAME_WORKER] - a->handoffs[MN_SAME_WORKER]);
	wl_report(run, "handoffs_cross_running", "%lu",
		  s.handoffs[MN_CROSS_RUNNING] - a->handoffs[MN_CROSS_RUNNING]);
	wl_report(run, "handoffs_cross_parked", "%lu",
		  s.handoffs[MN_CROSS_PARKED] - a->handoffs[MN_CROSS_PARKED]);
	wl_report(run, "worker_parks", "%lu", s.parks - a->parks);
	wl_report(run, "steals", "%lu", s.steals - a->steals);
	wl_report(run, "blocking_calls", "%lu", s.blocking_calls - a->blocking_calls);
	wl_report(run, "worker_handoffs", "%lu", s.worker_handoffs - a->worker_handoffs);
}

static void ping(void *arg)
{
	struct wl_run *run = arg;
	pid_t tids[MN_MAX_THREADS];
	int n = mn_rt_tids(e.rt, tids, MN_MAX_THREADS);

	wl_report_tids(run, tids, n);
	e.failed = wl_measure_each(run, ping_loop, after_repeat, NULL);
	mn_chan_close(e.ch);	/* pong's receive returns false: it ends */
}

static void pong(void *arg)
{
	void *v;

	(void)arg;
	while (mn_chan_recv(e.ch, &v)) {
		if (!e.blocking) {
			mn_chan_send(e.ch, v);
			continue;
		}
		char byte = (char)(intptr_t)v;

		if (write(e.pipe_fd[1], &byte, 1) != 1)
			wl_die("writing the pipe failed (%s); please report it", strerror(errno));
	}
}

static int body(struct wl_run *run)
{
	struct mn_config cfg = { .workers = wl_ncpus(run), .cpus = run->opts.cpus,
				 .spin_ns = MN_SPIN_DEFAULT };
	int pong_home = e.handoff == HANDOFF_SAME ? 0 : 1;
	size_t blocked;

	if (e.handoff == HANDOFF_PARKED)
		cfg.spin_ns = 0;
	if (e.blocking) {
		cfg.spare_threads = 1;	/* the thread the worker is handed to */
		if (pipe2(e.pipe_fd, O_CLOEXEC))
			wl_die("cannot create a pipe (%s); close some files", strerror(errno));
	}
	e.run = run;
	e.rt = mn_rt_new(&cfg);
	e.ch = e.rt ? mn_chan_new(e.rt) : NULL;
	if (!e.ch || !mn_spawn(e.rt, pong, NULL, pong_home) || !mn_spawn(e.rt, ping, run, 0))
		wl_die("cannot create the runtime, channel or coroutines (%s); is memory short?",
		       strerror(errno));
	wl_report(run, "workers", "%d", cfg.workers);
	wl_report(run, "handoff", "%s", handoff_names[e.handoff]);
	wl_report(run, "blocking", "%ld", e.blocking);
	wl_report(run, "spin_ns", "%ld", cfg.spin_ns == MN_SPIN_DEFAULT ? -1L : cfg.spin_ns);

	blocked = mn_rt_run(e.rt);
	if (blocked == (size_t)-1)
		wl_die("cannot start the worker threads (%s); lower the number of CPUs in -C",
		       strerror(errno));
	mn_chan_free(e.ch);
	mn_rt_free(e.rt);
	if (e.blocking) {
		close(e.pipe_fd[0]);
		close(e.pipe_fd[1]);
	}
	if (blocked)
		wl_die("%zu coroutine(s) left blocked; this is a bug in the M:N scheduler", blocked);
	return e.failed;
}

/* The options fit together (a usage error, exit 2, when not). */
static int check(const struct wl_opts *o, char *err, size_t len)
{
	if (e.handoff != HANDOFF_SAME && o->ncpus < 2)
		snprintf(err, len, "mn: --handoff %s puts pong on worker 1: give two CPUs with -C "
			 "(e.g. -C 0,1)", handoff_names[e.handoff]);
	else if (e.handoff == HANDOFF_RUNNING && o->cpus[0] == o->cpus[1])
		snprintf(err, len, "mn: --handoff running needs workers 0 and 1 on different CPUs "
			 "(e.g. -C 0,1): a worker spinning on a shared CPU only delays the other");
	else if (e.blocking && e.handoff != HANDOFF_SAME)
		snprintf(err, len, "mn: --blocking keeps both coroutines on worker 0; drop --handoff");
	else
		return 0;
	return -1;
}

static struct wl_option options[] = {
	{ .name = "handoff", .arg = "KIND", .help = "where pong runs",
	  .min = 0, .max = 2, .value = &e.handoff, .choices = handoff_names },
	{ .name = "blocking", .help = "ping also makes a blocking read per round trip",
	  .value = &e.blocking },
	{ 0 },
};

static const struct wl_spec spec = {
	.name = "mn",
	.switch_def = "one value handed to the other coroutine over an unbuffered channel by the "
		      "M:N scheduler (on the same worker, to a running one or to a parked one: "
		      "--handoff; or through a blocking read: --blocking)",
	.details = "Two coroutines (ping on worker 0, pong on the worker --handoff names) on the\n"
		   "M:N scheduler of workloads/coro/mn.h: one worker thread per CPU in -C, run\n"
		   "queues per worker, work stealing, idle workers spinning then parked on a\n"
		   "futex. same: both on worker 0 (user space only); running: pong on worker 1,\n"
		   "which spins when out of work (no kernel); parked: pong on worker 1, which\n"
		   "parks at once (a futex wake per hand-off). --blocking: ping reads a pipe pong\n"
		   "writes, handing its worker to a spare thread first, as Go hands off its P.\n"
		   "Counts each kind of hand-off (handoffs_* on the result fd).",
	.switches_per_iter = 2,
	.round_trips_per_iter = 1,
	.sides = 1,
	.max_cpus = MN_MAX_WORKERS,
	.default_iterations = 1000000,
	.default_warmup = 100000,
	.default_repeats = 5,
	.options = options,
	.check = check,
};

int main(int argc, char **argv)
{
	return wl_main(&spec, argc, argv, body);
}
