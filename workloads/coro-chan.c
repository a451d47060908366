// SPDX-License-Identifier: GPL-2.0
/*
 * coro-chan — two coroutines on one OS thread ping-pong a value over one
 * unbuffered channel: the seed's channel benchmark (GOMAXPROCS=1) on the
 * in-tree scheduler (workloads/coro/). Ping sends and then receives; pong
 * receives and sends the value back. Each hand-off blocks the sender of the
 * moment until its peer has the value: two user-space switches per round
 * trip, no syscall.
 *
 * Side A (ping) drives the windows; at a gate it blocks the whole thread in
 * read(), with pong blocked in chan_recv().
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include "coro.h"
#include "workload.h"

struct pingpong {
	struct wl_run *run;
	struct chan *ch;
	long next;		/* value of the next ping */
	int failed;
};

/* n round trips; each reply must be the value just sent. */
static int ping_loop(void *arg, long n)
{
	struct pingpong *p = arg;
	void *reply;

	for (long i = 0; i < n; i++) {
		void *v = (void *)(intptr_t)p->next++;

		if (!chan_send(p->ch, v) || !chan_recv(p->ch, &reply) || reply != v)
			wl_die("the channel lost or changed a value; this is a bug in the "
			       "coroutine scheduler");
	}
	return 0;
}

static void ping(void *arg)
{
	struct pingpong *p = arg;

	p->failed = wl_measure(p->run, ping_loop, p);
	chan_close(p->ch);	/* pong's receive returns false: it ends */
}

/* Runs first and blocks in chan_recv() until the first ping. */
static void pong(void *arg)
{
	struct pingpong *p = arg;
	void *v;

	while (chan_recv(p->ch, &v))
		chan_send(p->ch, v);
}

static int body(struct wl_run *run)
{
	static struct pingpong p;
	struct coro_sched *s;
	size_t blocked;
	pid_t tid;

	if (wl_pin_self(wl_cpu(run, 0)))
		wl_die("cannot pin to CPU %d; pick another with -C", wl_cpu(run, 0));
	p.run = run;
	s = coro_sched_new();
	p.ch = s ? chan_new(s) : NULL;
	if (!p.ch || !coro_create(s, pong, &p, 0) || !coro_create(s, ping, &p, 0))
		wl_die("cannot create the channel or coroutines (%s); is memory short?",
		       strerror(errno));
	tid = wl_gettid();
	wl_report_tids(run, &tid, 1);

	blocked = coro_sched_run(s);
	chan_free(p.ch);
	coro_sched_free(s);
	if (blocked)
		wl_die("%zu coroutine(s) left blocked; this is a bug in the coroutine scheduler",
		       blocked);
	return p.failed;
}

static const struct wl_spec spec = {
	.name = "coro-chan",
	.switch_def = "one coroutine handing a value to the other over an unbuffered channel "
		      "on the same OS thread (a user-space switch: no syscall, no kernel switch)",
	.details = "Two stackful coroutines on one pinned thread, scheduled by workloads/coro/,\n"
		   "ping-pong over one unbuffered channel like two goroutines with GOMAXPROCS=1:\n"
		   "ping sends and waits for the reply, pong receives and sends it back. A send\n"
		   "to a waiting receiver makes it runnable; the sender's next receive blocks and\n"
		   "switches to it. A round trip is two switches.",
	.switches_per_iter = 2,
	.round_trips_per_iter = 1,
	.sides = 1,
	.default_iterations = 3000000,
	.default_warmup = 300000,
	.default_repeats = 5,
};

int main(int argc, char **argv)
{
	return wl_main(&spec, argc, argv, body);
}
