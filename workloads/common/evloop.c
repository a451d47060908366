// SPDX-License-Identifier: GPL-2.0
/* evloop.c — see evloop.h. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include "evloop.h"
#include "workload.h"

int evloop_init(struct evloop *loop)
{
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	return loop->epfd < 0 ? -1 : 0;
}

void evloop_close(struct evloop *loop)
{
	close(loop->epfd);
}

int evloop_add(struct evloop *loop, struct continuation *c)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };

	c->efd = eventfd(0, EFD_CLOEXEC);
	if (c->efd < 0)
		return -1;
	return epoll_ctl(loop->epfd, EPOLL_CTL_ADD, c->efd, &ev);
}

void evloop_signal(struct continuation *c)
{
	uint64_t one = 1;

	if (write(c->efd, &one, sizeof(one)) != sizeof(one))
		wl_die("eventfd write failed (%s); run again, or report it", strerror(errno));
}

void evloop_run(struct evloop *loop, long resumes)
{
	struct epoll_event ev[8];

	while (resumes > 0) {
		int n = epoll_wait(loop->epfd, ev, 8, -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			wl_die("epoll_wait failed (%s); run again, or report it", strerror(errno));
		}
		for (int i = 0; i < n && resumes > 0; i++) {
			struct continuation *c = ev[i].data.ptr;
			uint64_t count;

			if (read(c->efd, &count, sizeof(count)) != sizeof(count))
				wl_die("eventfd read failed (%s); run again, or report it",
				       strerror(errno));
			c->resume(c);
			resumes--;
		}
	}
}

int evloop_turn(struct evloop *loop)
{
	struct epoll_event ev[8];
	int n;

	while ((n = epoll_wait(loop->epfd, ev, 8, -1)) < 0)
		if (errno != EINTR)
			wl_die("epoll_wait failed (%s); run again, or report it", strerror(errno));
	for (int timers = 1; timers >= 0; timers--) {
		for (int i = 0; i < n; i++) {
			struct continuation *c = ev[i].data.ptr;
			uint64_t count;

			if (!c->timer != !timers)
				continue;
			if (read(c->efd, &count, sizeof(count)) != sizeof(count))
				wl_die("eventfd read failed (%s); run again, or report it",
				       strerror(errno));
			c->resume(c);
		}
	}
	return n;
}
