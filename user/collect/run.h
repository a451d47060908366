/* SPDX-License-Identifier: GPL-2.0 */
/*
 * run.h — one `schedtrace run`: launch a bundled workload held at its gate,
 * trace it, snapshot the counters at each window edge, attribute every
 * repeat, and take the median. Fills struct st_run (model.h), which every
 * renderer takes. Library code: the tests call st_run_workload() in-process.
 */
#ifndef SCHEDTRACE_RUN_H
#define SCHEDTRACE_RUN_H

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include "model.h"

#define ST_RUN_MAX_CPUS 2 /* a workload places side A and side B */

#define ST_RUN_MAX_WL_ARGS 16

struct st_run_opts {
	const char *workload;
	int cpus[ST_RUN_MAX_CPUS]; /* -C as parsed; nr_cpus 0: the lowest allowed CPU */
	int nr_cpus;
	long iterations;	   /* -n, 0: the workload's default */
	long repeats;		   /* -r, 0: the workload's default */
	bool no_trace;		   /* --no-trace: the workload's own numbers only */
	bool light;		   /* --light: scheduler view only, no per-syscall timing */
	bool every_repeat;	   /* --every-repeat: syscall hooks in every repeat, not the first only */
	bool free_sides;	   /* the sides start where -C puts them, then may run on any of its CPUs */
	bool recalibrate;	   /* --recalibrate: measure, do not use the cache */
	bool progress;		   /* a progress line on stderr (the CLI: when it is a tty) */
	bool timeline;		   /* record a timeline (--perfetto) in a window of its own, before the repeats */
	bool untraced_last;	   /* one more window after the repeats with every hook detached (run's default) */
	__u32 ring_bytes;	   /* --ring-size: the timeline's ring buffer (size_arg.h), 0: the default */
	char *const *wl_args;	   /* the workload's own options (run W -- --preempt 10), after ours */
	int nr_wl_args;		   /* at most ST_RUN_MAX_WL_ARGS */
	volatile sig_atomic_t *stop; /* set by a signal handler: stop, keep what was measured */
};

/* Returned when *stop was set: run holds the repeats completed, complete = false. */
#define ST_RUN_INTERRUPTED (-EINTR)

/*
 * Runs it. Returns 0 (run complete), ST_RUN_INTERRUPTED, or another negative
 * errno with one line in err. Whatever happens, no BPF program stays loaded
 * and the workload's process group is gone when it returns.
 */
int st_run_workload(const struct st_run_opts *o, struct st_run *run, char *err, size_t err_len);

/* Frees what st_run_workload allocated in run (the timeline); run stays readable otherwise. */
void st_run_release(struct st_run *run);

/* A -C list ("0,1" or "0-1", wl_parse_cpus) whose CPUs this process may use. 0 or -1 with err. */
int st_parse_cpus(const char *s, int *cpus, int max, int *n, char *err, size_t err_len);
/* Strict decimal in [min, max]. 0 or -1. */
int st_parse_long(const char *s, long min, long max, long *out);

#endif
