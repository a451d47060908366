// SPDX-License-Identifier: GPL-2.0
/*
 * catalog.c — see catalog.h. compare's sizes: a traced window of ~0.2-0.3 s
 * on a 2-vCPU KVM guest (futex: 20000 x 2 switches x ~4-6 us; coro-yield:
 * 8M x 2 x ~15 ns), ~15-20 s for the default compare. Split over two CPUs a
 * hand-off costs ~10-40x more there (the woken CPU is idle, or busy with
 * others: an IPI and an idle exit through the hypervisor, or a wait). The
 * Go and Node ones join compare's default set when they are built (their
 * toolchain installed): go-yield ~50 ns, go-chan ~137 ns, node-await ~103 ns
 * per switch here.
 */
#include <stdio.h>
#include <string.h>
#include "catalog.h"

const struct wl_catalog_entry wl_catalog[] = {
	{ "coro-yield", "two coroutines on one thread yielding to each other (user space)", WL_SWITCH, NULL,
	  8000000, 0, NULL, NULL },
	{ "coro-chan", "two coroutines ping-ponging over an unbuffered channel (user space)", WL_SWITCH, NULL,
	  3000000, 0, NULL, NULL },
	{ "epoll", "one event loop resuming continuations on eventfd readiness (no thread switch)", WL_SWITCH,
	  NULL, 12000, 0, NULL, NULL },
	{ "futex", "two threads handing a turn over with raw FUTEX_WAIT / FUTEX_WAKE", WL_SWITCH, NULL, 20000, 600, NULL, NULL },
	{ "pthread", "two threads taking turns through a mutex and a condition variable (the seed's)", WL_SWITCH,
	  NULL, 16000, 500, NULL, NULL },
	{ "epoll-2t", "two event-loop threads handing continuations over eventfds", WL_SWITCH, NULL, 16000, 500, NULL, NULL },
	{ "pipe", "two processes passing one byte back and forth through pipes", WL_SWITCH, NULL, 12000, 400, NULL, NULL },
	{ "mn", "coroutines handing off over channels on an M:N scheduler of one worker per CPU", WL_MN, NULL, 0,
	  0, NULL, NULL },
	{ "hog-loop", "an event loop whose callback hogs the CPU while a 1 ms timer is late", WL_HOG, NULL, 0, 0, NULL, NULL },
	{ "hog-coro", "a coroutine hogging the CPU beside a 1 ms probe (--preempt MS: preempted)", WL_HOG, NULL, 0,
	  0, NULL, NULL },
	{ "hog-coro-preempt", "hog-coro with a 10 ms preemption slice: a timer signal switches the hog out",
	  WL_HOG, NULL, 0, 0, "hog-coro", "--preempt 10" },
	{ "hog-threads", "a thread hogging the CPU beside a 1 ms probe thread: the kernel preempts", WL_HOG, NULL,
	  0, 0, NULL, NULL },
	{ "go-yield", "two goroutines yielding with runtime.Gosched (GOMAXPROCS=1)", WL_LANG, "go", 2500000, 0, NULL, NULL },
	{ "go-chan", "two goroutines ping-ponging over an unbuffered channel (GOMAXPROCS=1)", WL_LANG, "go", 900000, 0, NULL, NULL },
	{ "node-await", "two async functions handing a promise back and forth", WL_LANG, "node", 1200000, 0, NULL, NULL },
	{ "node-hog", "Node's event loop with a 200 ms callback beside a 1 ms timer", WL_LANG, "node", 0, 0, NULL, NULL },
	{ "sys-nowork", "one system call that does no work (-ENOSYS): the bare kernel entry and exit", WL_SYSCALL,
	  NULL, 0, 0, "syscalls", "--call nowork" },
	{ "sys-getppid", "one getppid() system call: entry, a few loads, exit", WL_SYSCALL, NULL, 0, 0, "syscalls",
	  "--call getppid" },
	{ "sys-clock-vdso", "clock_gettime(CLOCK_MONOTONIC) through the vDSO: no kernel entry", WL_SYSCALL, NULL, 0, 0,
	  "syscalls", "--call clock-vdso" },
	{ "sys-clock-syscall", "clock_gettime(CLOCK_MONOTONIC) as a real system call", WL_SYSCALL, NULL, 0, 0,
	  "syscalls", "--call clock-syscall" },
	{ "pthread-unlocked", "pthread broadcasting after the unlock: the woken thread finds the mutex free", WL_LAB,
	  NULL, 0, 0, "pthread", "--signal-after-unlock" },
	{ "futex-hog0", "futex with a CPU hog at nice 0 on its CPU: the threads wait in the run queue", WL_LAB, NULL,
	  0, 0, "futex", "--competitor-nice 0" },
	{ "futex-hog19", "futex with a CPU hog at nice 19 on its CPU: the hog mostly yields to them", WL_LAB, NULL, 0,
	  0, "futex", "--competitor-nice 19" },
};
const int wl_catalog_size = sizeof(wl_catalog) / sizeof(wl_catalog[0]);

const struct wl_catalog_entry *wl_catalog_find(const char *name)
{
	for (int i = 0; i < wl_catalog_size; i++)
		if (!strcmp(wl_catalog[i].name, name))
			return &wl_catalog[i];
	return NULL;
}

const char *wl_group_name(enum wl_group g)
{
	static const char *const names[WL_NR_GROUPS] = { [WL_SWITCH] = "switch", [WL_MN] = "mn", [WL_HOG] = "hog",
							 [WL_LANG] = "lang", [WL_SYSCALL] = "syscall", [WL_LAB] = "lab" };

	return g >= 0 && g < (int)(sizeof(names) / sizeof(names[0])) ? names[g] : "?";
}

char *wl_catalog_names(char *buf, size_t len)
{
	size_t n = 0;

	if (len)
		buf[0] = '\0';
	for (int i = 0; i < wl_catalog_size && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? ", " : "", wl_catalog[i].name);
	return buf;
}

const char *wl_catalog_binary(const struct wl_catalog_entry *w)
{
	return w->binary ? w->binary : w->name;
}

int wl_catalog_args(const struct wl_catalog_entry *w, char *buf, size_t len, char **argv, int max)
{
	char *save = NULL;
	int n = 0;

	if (!w->args || !len)
		return 0;
	snprintf(buf, len, "%s", w->args);
	for (char *t = strtok_r(buf, " ", &save); t && n < max; t = strtok_r(NULL, " ", &save))
		argv[n++] = t;
	return n;
}
