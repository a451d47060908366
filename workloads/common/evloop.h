/* SPDX-License-Identifier: GPL-2.0 */
/*
 * evloop.h — a minimal event loop in Node's shape, for the epoll workloads.
 *
 * A continuation is a callback plus the state it resumes with, waiting on an
 * eventfd. evloop_run() blocks in epoll_wait, and for each eventfd that
 * became readable consumes its count and resumes the continuation. Nothing
 * is resumed before its event fires; one thread runs everything.
 */
#ifndef WL_EVLOOP_H
#define WL_EVLOOP_H

struct evloop;

struct continuation {
	int efd;			/* eventfd this continuation waits on */
	void (*resume)(struct continuation *self);
	void *state;			/* what the callback resumes with (its "closure") */
	int timer;			/* efd is a timerfd: evloop_turn runs it first */
};

struct evloop {
	int epfd;
};

/* 0 or -1 (errno set). */
int evloop_init(struct evloop *loop);
void evloop_close(struct evloop *loop);
/* Creates c->efd and registers it (level-triggered). 0 or -1 (errno set). */
int evloop_add(struct evloop *loop, struct continuation *c);
/* Makes c ready: adds 1 to its eventfd. Dies on failure. */
void evloop_signal(struct continuation *c);
/* Runs until `resumes` continuations have been resumed. Dies on failure. */
void evloop_run(struct evloop *loop, long resumes);
/* One turn of the loop, in Node's order: waits for readiness, then resumes
 * every continuation that epoll_wait returned, the timers first (Node runs
 * expired timers before I/O callbacks and setImmediate's), each group in
 * epoll's order. Returns how many. Dies on failure. */
int evloop_turn(struct evloop *loop);

#endif /* WL_EVLOOP_H */
