/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace.h — one `schedtrace trace`: any program (a command started here, a
 * running process, or every task of a cgroup v2) traced over one window,
 * its whole run or until Ctrl-C, the duration or its exit. Switches are the
 * kernel's (st_attribute with no workload count). Library code: the CLI and
 * the tests call it in-process.
 */
#ifndef SCHEDTRACE_TRACE_H
#define SCHEDTRACE_TRACE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "cgroup.h"
#include "model.h"
#include "trace_target.h"

#define ST_TRACE_MAX_CPUS 1024

struct st_trace_opts {
	pid_t pid;	    /* a running process; 0 with a command or a cgroup */
	char **cmd;	    /* NULL-terminated command to start, NULL for none */
	const char *cgroup; /* every task of this cgroup v2 (cg: resolved), NULL for none */
	struct st_cgroup cg;
	double seconds;	    /* the window's length; 0: until the process exits (or Ctrl-C) */
	bool follow;	    /* also the processes it forks */
	bool light;	    /* scheduler view only */
	bool goroutines;    /* a Go program: count its goroutine switches (a uprobe: slower) */
	bool recalibrate;
	int cpus[ST_TRACE_MAX_CPUS]; /* the CPUs whose time is split */
	int nr_cpus;
	volatile sig_atomic_t *stop; /* set by a signal handler: end the window */
};

/* What the window was, besides the run: whom, how it ended. */
struct st_trace_what {
	struct st_target target;
	pid_t traced_pid;	  /* 0 for a cgroup */
	char ended[128];	  /* "until it exited (exit status 0)", "(-d 5)", ... */
	char calibration_err[256]; /* why the run has no calibration ("" when it has one) */
};

/*
 * Traces; fills run (summary and one repeat) and what. Returns 0, -EINTR
 * when stopped before the window began, or another negative errno with one
 * line in err. Nothing of ours stays loaded, and a command started here is
 * reaped, when it returns.
 */
int st_trace_run(const struct st_trace_opts *o, struct st_run *run, struct st_trace_what *what, char *err,
		 size_t err_len);

#endif
