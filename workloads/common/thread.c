// SPDX-License-Identifier: GPL-2.0
/* thread.c — pinned threads, tids, and the fatal-error exit of the workloads. */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "internal.h"
#include "workload.h"

void wl_die(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s\n", wl_name, msg);
	if (wl_error_fd >= 0) {	/* best effort: the collector shows it too */
		char line[600];
		int len = snprintf(line, sizeof(line), "error=%s: %s\n", wl_name, msg);

		if (len > 0 && (size_t)len < sizeof(line)) {
			ssize_t ignored = write(wl_error_fd, line, (size_t)len);
			(void)ignored;
		}
	}
	exit(1);
}

pid_t wl_gettid(void)
{
	return (pid_t)syscall(SYS_gettid);
}

int wl_pin_self(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -1 : 0;
}

static void *trampoline(void *p)
{
	struct wl_thread *t = p;

	t->tid = wl_gettid();
	__atomic_store_n(&t->started, 1, __ATOMIC_RELEASE);
	syscall(SYS_futex, &t->started, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
	return t->fn(t->arg);
}

int wl_thread_start(struct wl_thread *t, int cpu, void *(*fn)(void *), void *arg)
{
	pthread_attr_t attr;
	cpu_set_t set;
	int err;

	t->fn = fn;
	t->arg = arg;
	t->cpu = cpu;
	t->tid = 0;
	t->started = 0;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	err = pthread_attr_init(&attr);
	if (!err)
		err = pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
	if (!err)
		err = pthread_create(&t->handle, &attr, trampoline, t);
	pthread_attr_destroy(&attr);
	if (err) {
		errno = err;
		return -1;
	}
	/* parked, not spinning, until the thread has published its tid */
	while (!__atomic_load_n(&t->started, __ATOMIC_ACQUIRE))
		syscall(SYS_futex, &t->started, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	return 0;
}

int wl_thread_join(struct wl_thread *t)
{
	int err = pthread_join(t->handle, NULL);

	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}
