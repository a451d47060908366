// SPDX-License-Identifier: GPL-2.0
/*
 * lab.c — the labs (lab.h) and the columns their tables take. Sizes: 0
 * iterations take the catalog's compare size (a traced window of ~0.2-0.3 s
 * here), else the workload's own default; three rounds keep every lab well
 * under two minutes on a 2-vCPU guest.
 */
#include <string.h>
#include "lab.h"
#include "metrics.h"

const struct st_lab_col_info st_lab_cols[ST_NR_COLS] = {
	[ST_COL_NS] = { "time", "ns", false, "one switch (or call), as measured" },
	[ST_COL_NS_FIX] = { "untraced", "ns", true, "the same, the probes' calibrated cost taken out" },
	[ST_COL_RATIO] = { "ratio", "x", false, "time over the first row's" },
	[ST_COL_SYSCALLS] = { "syscalls", "", true, "system calls per switch" },
	[ST_COL_KSWITCH] = { "k-switch", "", true, "times the kernel switched threads, per switch" },
	[ST_COL_INVOL] = { "preempts", "", true, "of them, a thread switched out still runnable" },
	[ST_COL_MODE] = { "mode sw", "ns", true, "entering and leaving the kernel, per switch" },
	[ST_COL_SCHED] = { "sched", "ns", true, "the scheduler's work (waking, __schedule())" },
	[ST_COL_SYSWORK] = { "sys work", "ns", true, "the system calls' own work" },
	[ST_COL_USER] = { "user", "ns", true, "the threads' own code" },
	[ST_COL_MIGR] = { "migrated", "", true, "threads moved to another CPU, per switch" },
	[ST_COL_XWAKE] = { "x-CPU", "", true, "wake-ups from another CPU, per switch" },
	[ST_COL_IDLE] = { "idle", "ns", true, "the CPUs' idle time, per switch" },
	[ST_COL_WAIT_WOKEN] = { "woken", "ns", true, "a woken thread's wait for a CPU (median)" },
	[ST_COL_WAIT_PREEMPT] = { "pre-empt", "ns", true, "a preempted thread's wait for a CPU (median)" },
	[ST_COL_OTHER] = { "others", "ns", true, "other tasks' time on the CPU, per switch" },
	[ST_COL_WAIT_SUM] = { "waited", "ns", true, "all the threads' waits for a CPU, per switch" },
	[ST_COL_WAIT_P99] = { "wait p99", "ns", true, "99% of the waits for a CPU were shorter" },
	[ST_COL_LATE_P99] = { "late p99", "ns", false, "how late the 1 ms probe ran (p99)" },
	[ST_COL_UNITS] = { "units/ms", "", false, "the hog's work per ms" },
};

const struct st_lab st_labs[] = {
	{ 1, "the-gap", "The gap: a coroutine switch against a pthread switch",
	  "The seed article says a goroutine switch is ~28x cheaper than a pthread switch. How much cheaper is "
	  "a coroutine switch on this machine, and which causes make up the gap?",
	  { { "coroutine yield", "coro-yield", 1, false, ST_LAB_TRACED, 0 },
	    { "coroutine channel", "coro-chan", 1, false, ST_LAB_TRACED, 0 },
	    { "pthread", "pthread", 1, false, ST_LAB_TRACED, 0 } },
	  3,
	  { ST_COL_NS, ST_COL_NS_FIX, ST_COL_RATIO, ST_COL_KSWITCH, ST_COL_MODE, ST_COL_SCHED },
	  6,
	  { "Predict pthread / coroutine yield here before you run it. Above or below the seed's 28x? Why?",
	    "Which two parts make up most of the gap on this machine?",
	    "A coroutine yield makes no system call. What is left of its time, and where does it go?" },
	  3 },
	{ 2, "kernel-crossing", "The price of a kernel crossing",
	  "What does it cost to enter and leave the kernel on this machine, and what do the CPU's "
	  "mitigations add? A system call that does no work, getppid, and the clock read through the vDSO "
	  "and through a real system call.",
	  { { "no-work syscall", "sys-nowork", 1, false, ST_LAB_BARE, 0 },
	    { "getppid", "sys-getppid", 1, false, ST_LAB_BARE, 0 },
	    { "clock_gettime, vDSO", "sys-clock-vdso", 1, false, ST_LAB_BARE, 0 },
	    { "clock_gettime, syscall", "sys-clock-syscall", 1, false, ST_LAB_BARE, 0 } },
	  4,
	  { ST_COL_NS, ST_COL_RATIO },
	  2,
	  { "Predict the no-work call's cost here: ~100 ns (the seed), ~250 ns or ~1.3 µs?",
	    "Which line of the machine section explains your answer?",
	    "Why is clock_gettime through the vDSO so much cheaper than the same call as a system call?" },
	  3 },
	{ 3, "pthread-switches-twice", "Why a pthread switch is more than one kernel switch",
	  "The seed's pthread ping-pong signals the condition variable before it unlocks the mutex. How many "
	  "times does the kernel switch threads per hand-off, and what changes when the waker unlocks first?",
	  { { "pthread, signal first", "pthread", 1, false, ST_LAB_TRACED, 0 },
	    { "pthread, unlock first", "pthread-unlocked", 1, false, ST_LAB_TRACED, 16000 },
	    { "raw futex", "futex", 1, false, ST_LAB_TRACED, 0 } },
	  3,
	  { ST_COL_NS, ST_COL_RATIO, ST_COL_SYSCALLS, ST_COL_KSWITCH, ST_COL_INVOL, ST_COL_SCHED },
	  6,
	  { "Predict the kernel switches per hand-off of the seed's pthread ping-pong: 1, 1.5 or 2?",
	    "What does a woken thread find when its waker still holds the mutex?",
	    "Why does the raw futex hand-off need fewer system calls?" },
	  3 },
	{ 4, "pinned-or-not", "Pinned or not: one CPU against two",
	  "Two threads handing a turn back and forth: is it faster on one CPU or on two? What do migrations, "
	  "cross-CPU wake-ups and idle time cost?",
	  { { "one CPU", "futex", 1, false, ST_LAB_TRACED, 0 },
	    { "two CPUs, split", "futex", 2, false, ST_LAB_TRACED, 0 },
	    { "two CPUs, free", "futex", 2, true, ST_LAB_TRACED, 0 } },
	  3,
	  { ST_COL_NS, ST_COL_RATIO, ST_COL_MIGR, ST_COL_XWAKE, ST_COL_IDLE, ST_COL_WAIT_WOKEN },
	  6,
	  { "Predict: will the hand-off be faster with one side on each CPU?",
	    "Where does the extra time go when the waker and the woken thread are on different CPUs?",
	    "Left free, where does the scheduler put the two threads?" },
	  3 },
	{ 5, "loop-threads-processes", "One loop, two threads, two processes",
	  "An event loop resuming its own continuations, two event-loop threads, two processes over pipes: what "
	  "does each step up cost, and why?",
	  { { "one event loop", "epoll", 1, false, ST_LAB_TRACED, 0 },
	    { "two event-loop threads", "epoll-2t", 1, false, ST_LAB_TRACED, 0 },
	    { "two processes, pipes", "pipe", 1, false, ST_LAB_TRACED, 0 } },
	  3,
	  { ST_COL_NS, ST_COL_RATIO, ST_COL_SYSCALLS, ST_COL_KSWITCH, ST_COL_MODE, ST_COL_SCHED },
	  6,
	  { "Predict the order of the three, cheapest first.",
	    "The single loop still makes system calls. Which, and why does it never switch threads?",
	    "Is a process switch dearer than a thread switch here? By how much, and what could explain it?" },
	  3 },
	{ 6, "waiting-in-line", "Waiting in line: runqueue waits beside a CPU hog",
	  "A futex ping-pong shares its CPU with a process that computes without end, at nice 0 and at nice "
	  "19. How long do the ping-pong's threads wait for the CPU, and what does nice change?",
	  { { "alone", "futex", 1, false, ST_LAB_TRACED, 0 },
	    { "hog at nice 0", "futex-hog0", 1, false, ST_LAB_TRACED, 10000 },
	    { "hog at nice 19", "futex-hog19", 1, false, ST_LAB_TRACED, 10000 } },
	  3,
	  { ST_COL_NS, ST_COL_RATIO, ST_COL_OTHER, ST_COL_WAIT_SUM, ST_COL_WAIT_P99, ST_COL_WAIT_WOKEN },
	  6,
	  { "Predict the threads' wait for the CPU beside a nice-0 hog: microseconds or milliseconds?",
	    "Most waits stay short even beside the hog. Which numbers grow, and why not the median?",
	    "What does the scheduler do differently at nice 19?" },
	  3 },
	{ 7, "observer-effect", "The observer effect: what measuring costs",
	  "The same pthread ping-pong, bare, traced with the scheduler view only, traced with every hook, and "
	  "under perf sched record. How much does each observer slow it down, and can the tracer take its own "
	  "cost back out?",
	  { { "bare", "pthread", 1, false, ST_LAB_BARE, 0 },
	    { "scheduler view only", "pthread", 1, false, ST_LAB_LIGHT, 0 },
	    { "every hook", "pthread", 1, false, ST_LAB_TRACED, 0 },
	    { "perf sched record", "pthread", 1, false, ST_LAB_PERF, 0 } },
	  4,
	  { ST_COL_NS, ST_COL_RATIO, ST_COL_NS_FIX },
	  3,
	  { "Predict the slowdown of each observer.",
	    "The `untraced` column takes the probes' calibrated cost out. How close does it come to bare?",
	    "Why does perf sched record cost what it costs?" },
	  3 },
	{ 8, "cpu-bound-work", "CPU-bound work in each model",
	  "A hog computes for 200 ms between chances to yield while a probe wants the CPU every 1 ms. How late "
	  "does the probe run in an event loop, with cooperative coroutines, preemptive coroutines and kernel "
	  "threads?",
	  { { "event loop", "hog-loop", 1, false, ST_LAB_TRACED, 0 },
	    { "cooperative coroutines", "hog-coro", 1, false, ST_LAB_TRACED, 0 },
	    { "preempted, 10 ms slice", "hog-coro-preempt", 1, false, ST_LAB_TRACED, 0 },
	    { "kernel threads", "hog-threads", 1, false, ST_LAB_TRACED, 0 } },
	  4,
	  { ST_COL_LATE_P99, ST_COL_UNITS, ST_COL_KSWITCH, ST_COL_INVOL },
	  4,
	  { "Predict the probe's p99 lateness in each model.",
	    "What does preemption cost the hog, and what does it buy the probe?",
	    "Node's event loop is the first row's model. What would you tell a service owner whose p99 "
	    "jumps when one request computes?" },
	  2 },
};
const int st_nr_labs = sizeof(st_labs) / sizeof(st_labs[0]);

const struct st_lab *st_lab_find(int n)
{
	for (int i = 0; i < st_nr_labs; i++)
		if (st_labs[i].number == n)
			return &st_labs[i];
	return NULL;
}

/* The figures only the tracer has. */
static bool traced_value(enum st_lab_col col, const struct st_breakdown *b, double *out)
{
	switch (col) {
	case ST_COL_NS_FIX: *out = b->corrected_ns_per_switch; break;
	case ST_COL_SYSCALLS: *out = b->syscalls; break;
	case ST_COL_KSWITCH: *out = b->kernel_switches; break;
	case ST_COL_INVOL: *out = b->involuntary; break;
	case ST_COL_MODE: *out = b->mode_switch; break;
	case ST_COL_SCHED: *out = b->sched_work; break;
	case ST_COL_SYSWORK: *out = b->syscall_work; break;
	case ST_COL_USER: *out = b->user; break;
	case ST_COL_MIGR: *out = b->migrations; break;
	case ST_COL_XWAKE: *out = b->cross_cpu_wakeups; break;
	case ST_COL_IDLE: *out = b->idle; break;
	case ST_COL_OTHER: *out = b->other_tasks; break;
	case ST_COL_WAIT_WOKEN: *out = b->runq_woken.p50_ns; return b->runq_woken.count > 0;
	case ST_COL_WAIT_PREEMPT: *out = b->runq_preempted.p50_ns; return b->runq_preempted.count > 0;
	case ST_COL_WAIT_SUM:
		*out = b->switches ? (double)b->runq.count * b->runq.mean_ns / (double)b->switches : 0;
		return b->switches > 0;
	case ST_COL_WAIT_P99: *out = b->runq.p99_ns; return b->runq.count > 0;
	default: return false;
	}
	return true;
}

bool st_lab_value(enum st_lab_col col, const struct st_run *run, const struct st_run *base, double *out)
{
	const struct st_breakdown *b = run ? &run->summary : NULL;

	if (!run || run->nr_repeats < 1)
		return false;
	switch (col) {
	case ST_COL_NS:
		*out = b->ns_per_switch;
		return true;
	case ST_COL_RATIO:
		if (!base || base->nr_repeats < 1 || base->summary.ns_per_switch <= 0)
			return false;
		*out = b->ns_per_switch / base->summary.ns_per_switch;
		return true;
	case ST_COL_LATE_P99:
		return st_metric_num(&run->result, "lateness_all_p99_ns", out);
	case ST_COL_UNITS:
		return st_metric_num(&run->result, "median_hog_units_per_ms", out);
	default:
		return run->traced && traced_value(col, b, out);
	}
}
