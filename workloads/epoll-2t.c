// SPDX-License-Identifier: GPL-2.0
/*
 * epoll-2t — two event-loop threads handing a continuation back and forth:
 * each hop writes the other loop's eventfd, a cross-thread wakeup, and that
 * loop's epoll_wait returns and resumes the continuation.
 *
 * Side A (the main thread) drives the windows. At a gate side A's loop has
 * just resumed its n-th continuation and side B's loop is parked in
 * epoll_wait.
 */
#include <errno.h>
#include <string.h>
#include "evloop.h"
#include "workload.h"

struct side {
	struct evloop loop;
	struct continuation cont;	/* waits on this loop's eventfd */
	struct side *peer;
	long wakes_left;		/* how many more times to wake the peer */
};

static void resume(struct continuation *self)
{
	struct side *s = self->state;

	if (s->wakes_left > 0) {
		s->wakes_left--;
		evloop_signal(&s->peer->cont);
	}
}

static struct side a, b;

static void *side_b(void *arg)
{
	(void)arg;
	evloop_run(&b.loop, b.wakes_left);
	return NULL;
}

/* n round trips: A wakes B, B's loop resumes and wakes A, A's loop resumes... */
static int side_a(void *arg, long n)
{
	(void)arg;
	a.wakes_left = n - 1;
	evloop_signal(&b.cont);
	evloop_run(&a.loop, n);
	return 0;
}

static int setup_side(struct side *s, struct side *peer)
{
	s->peer = peer;
	s->cont = (struct continuation){ .resume = resume, .state = s };
	return evloop_init(&s->loop) || evloop_add(&s->loop, &s->cont) ? -1 : 0;
}

static int body(struct wl_run *run)
{
	struct wl_thread tb;
	pid_t tids[2];
	int failed;

	if (wl_pin_self(wl_cpu(run, 0)))
		wl_die("cannot pin to CPU %d; pick another with -C", wl_cpu(run, 0));
	if (setup_side(&a, &b) || setup_side(&b, &a))
		wl_die("cannot set up epoll and eventfds (%s); close some files or raise ulimit -n",
		       strerror(errno));
	b.wakes_left = wl_total_iterations(run);	/* B answers every hop */
	if (wl_thread_start(&tb, wl_cpu(run, 1), side_b, NULL))
		wl_die("cannot start the second thread on CPU %d; pick another with -C",
		       wl_cpu(run, 1));
	tids[0] = wl_gettid();
	tids[1] = tb.tid;
	wl_report_tids(run, tids, 2);

	failed = wl_measure(run, side_a, NULL);
	wl_thread_join(&tb);
	evloop_close(&a.loop);
	evloop_close(&b.loop);
	return failed;
}

static const struct wl_spec spec = {
	.name = "epoll-2t",
	.switch_def = "one hop: a continuation resumed by the other thread's event loop after an "
		      "eventfd write woke it (a cross-thread wakeup)",
	.details = "Two threads, each an epoll loop with one eventfd. A hop writes the other\n"
		   "loop's eventfd; that thread wakes in epoll_wait, reads the eventfd and\n"
		   "resumes the continuation, which hops back. Side A is the main thread, side B\n"
		   "a second thread; -C 0,1 puts them on two CPUs.",
	.switches_per_iter = 2,
	.round_trips_per_iter = 1,
	.sides = 2,
	.default_iterations = 10000,
	.default_warmup = 1000,
	.default_repeats = 5,
};

int main(int argc, char **argv)
{
	return wl_main(&spec, argc, argv, body);
}
