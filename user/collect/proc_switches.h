/* SPDX-License-Identifier: GPL-2.0 */
/*
 * proc_switches.h — the kernel's own count of a set of processes' context
 * switches, per thread (/proc/PID/task/TID/status: voluntary_ctxt_switches,
 * nonvoluntary_ctxt_switches). The lean repeats of `run` take their switch
 * counts from it (no per-switch hook needed). A thread that exits takes its
 * counts with it once released; the tracer keeps them from its exit
 * (st_tracer_exited), and the total counts each thread once.
 */
#ifndef SCHEDTRACE_PROC_SWITCHES_H
#define SCHEDTRACE_PROC_SWITCHES_H

#include <sys/types.h>
#include "model.h"

struct st_thread_switches {
	pid_t tid;
	__u64 voluntary;
	__u64 involuntary;
};

/*
 * Every thread of the nr processes in tgids, at most max into out: how many,
 * or -errno when no process could be read at all. A process or thread gone
 * by the time it is read is left out.
 */
int st_proc_threads(const pid_t *tgids, int nr, struct st_thread_switches *out, int max);

/*
 * The sum over threads, each counted once: a thread in `gone` (its counts
 * at exit) is taken from there, even when /proc still listed it. Sorts gone
 * by tid.
 */
void st_switches_total(const struct st_thread_switches *live, int nr_live, struct st_thread_switches *gone,
		       int nr_gone, struct st_proc_switches *out);

/*
 * The status file text of one thread: its voluntary and nonvoluntary
 * counts. False when either line is missing.
 */
bool st_proc_switches_parse(const char *status, __u64 *voluntary, __u64 *involuntary);

#endif
