// SPDX-License-Identifier: GPL-2.0
/*
 * epoll — Node's model: one thread, one event loop, two continuations that
 * wake each other through eventfds. There is no thread switch at all: a
 * "switch" is the loop resuming the next ready continuation after
 * epoll_wait reports its eventfd readable (epoll_wait + read + the
 * continuation's eventfd write: three syscalls, no context switch).
 */
#include <errno.h>
#include <string.h>
#include "evloop.h"
#include "workload.h"

/* What a continuation resumes with: how many more times to wake its peer. */
struct closure {
	struct continuation *peer;
	long wakes_left;
};

static void resume(struct continuation *self)
{
	struct closure *c = self->state;

	if (c->wakes_left > 0) {
		c->wakes_left--;
		evloop_signal(c->peer);
	}
}

struct pingpong {
	struct evloop loop;
	struct continuation ping, pong;
	struct closure ping_state, pong_state;
};

/* n round trips: ping, pong, ping, ... pong, 2n resumes; the last pong wakes nobody. */
static int run_loop(void *arg, long n)
{
	struct pingpong *p = arg;

	p->ping_state.wakes_left = n;
	p->pong_state.wakes_left = n - 1;
	evloop_signal(&p->ping);
	evloop_run(&p->loop, 2 * n);
	return 0;
}

static int body(struct wl_run *run)
{
	static struct pingpong p;
	pid_t tid;

	if (wl_pin_self(wl_cpu(run, 0)))
		wl_die("cannot pin to CPU %d; pick another with -C", wl_cpu(run, 0));
	p.ping = (struct continuation){ .resume = resume, .state = &p.ping_state };
	p.pong = (struct continuation){ .resume = resume, .state = &p.pong_state };
	p.ping_state.peer = &p.pong;
	p.pong_state.peer = &p.ping;
	if (evloop_init(&p.loop) || evloop_add(&p.loop, &p.ping) || evloop_add(&p.loop, &p.pong))
		wl_die("cannot set up epoll and eventfds (%s); close some files or raise ulimit -n",
		       strerror(errno));
	tid = wl_gettid();
	wl_report_tids(run, &tid, 1);

	int failed = wl_measure(run, run_loop, &p);
	evloop_close(&p.loop);
	return failed;
}

static const struct wl_spec spec = {
	.name = "epoll",
	.switch_def = "one continuation resumed by a single-threaded event loop when its eventfd "
		      "becomes readable (no thread switch)",
	.details = "One thread, one epoll loop, two continuations (ping and pong), each waiting on\n"
		   "its own eventfd. Resuming one writes the other's eventfd; the loop's next\n"
		   "epoll_wait returns it, the loop reads the eventfd and resumes it. Per switch:\n"
		   "epoll_wait, read, write: the cost Node pays instead of a context switch.",
	.switches_per_iter = 2,
	.round_trips_per_iter = 1,
	.sides = 1,
	.default_iterations = 15000,
	.default_warmup = 1500,
	.default_repeats = 5,
};

int main(int argc, char **argv)
{
	return wl_main(&spec, argc, argv, body);
}
