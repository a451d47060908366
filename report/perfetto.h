/* SPDX-License-Identifier: GPL-2.0 */
/*
 * perfetto.h — the timeline (bpf/timeline.h records) as a Chrome JSON trace,
 * which ui.perfetto.dev and chrome://tracing open:
 *   - a "CPUs" process with one track per CPU: which thread ran, when
 *   - per traced thread: its state (running / runnable / blocked), its
 *     system calls (futex command in the name), its coroutine switches
 *   - wake-ups as flow arrows from the waker to the wakee's runnable slice
 *   - migrations as instant events on the moved thread's track
 * Times are µs with ns decimals, counted from the first record.
 */
#ifndef SCHEDTRACE_PERFETTO_H
#define SCHEDTRACE_PERFETTO_H

#include <stdbool.h>
#include <stdio.h>
#include "model.h"

/* Fake pids/tids for the tracks that are not threads: above Linux's pid_max limit (2^22). */
#define ST_PF_SYSCALL_TID(tid) ((tid) + (1u << 24))
#define ST_PF_CORO_TID(tid) ((tid) + (1u << 24) + (1u << 23))
#define ST_PF_CPU_PID(run) ((1u << 25) + (run) * 1024u)
#define ST_PF_CPU_TID(run, cpu) (ST_PF_CPU_PID(run) + 1u + (cpu))

/* True when at least one of the runs recorded a timeline. */
bool st_perfetto_has_timeline(const struct st_run *runs, int n);

/* Writes the timelines of runs[0..n) (runs without one are skipped) as one trace. */
int st_perfetto_write(FILE *f, const struct st_run *runs, int n);

#endif
