/* SPDX-License-Identifier: GPL-2.0 */
/*
 * attribute.h — turns counters into an explanation. Pure C over the plain
 * structs of model.h: no libbpf, no syscalls, so unit tests drive it with
 * synthetic snapshots.
 */
#ifndef SCHEDTRACE_ATTRIBUTE_H
#define SCHEDTRACE_ATTRIBUTE_H

#include "model.h"

/*
 * Fills b for the window between two snapshots. rep is what the workload
 * measured in that window; NULL when there is no workload count (trace mode):
 * then switches are the kernel's (ST_SWITCH_OUT) and the window is
 * after->taken_ns - before->taken_ns. nr_cpus is the number of traced CPUs.
 * cal may be NULL (no calibration: no mode-switch or tracer share).
 * The latency helpers (percentiles, max) are in latency.h.
 */
void st_attribute(const struct st_snapshot *before, const struct st_snapshot *after,
		  const struct st_repeat_result *rep, int nr_cpus,
		  const struct st_calibration *cal, struct st_breakdown *b);

/*
 * For a repeat timed without the detail hooks (no syscall events, no
 * __schedule() bracket): splits b's user time (which held all of its
 * threads' own time) into the shares `from`, a repeat timed with every hook,
 * measured; and takes its per-syscall rows, scaled alike.
 */
void st_breakdown_borrow_syscalls(struct st_breakdown *b, const struct st_breakdown *from);

/*
 * A borrowed split (st_breakdown_borrow_syscalls) with user at `share` of
 * the threads' own time, as the repeat's own cpu-clock samples found it; the
 * kernel parts keep their proportions among themselves, and the rows scale
 * alike. The every-hook repeat runs its user code slower than a lean one (the
 * probes evict its cache: futex 12.5-14% user there, 8-13% sampled in the
 * lean repeats, 10% sampled bare), so its share would overstate theirs.
 */
void st_breakdown_user_share(struct st_breakdown *b, double share);

/* Samples of traced threads the lean repeats need, pooled, for their user share: +/- 2 points at 10%. */
#define ST_SAMPLES_FOR_SHARE 200

/*
 * For a lean repeat (st_tracer_go_lean: no per-thread state, no
 * sched_waking, sched_switch returning at once between traced threads):
 * takes the runqueue waits, the on-CPU slices, the wake-ups (cross-CPU too)
 * and the migrations per switch from `from`, a repeat that timed and counted
 * them. Its CPU time stays its own, and its switch counts come from the
 * kernel (st_breakdown_kernel_counts).
 */
void st_breakdown_borrow_waits(struct st_breakdown *b, const struct st_breakdown *from);

/*
 * The kernel switches of b's window, blocking and preempted, per switch,
 * from the kernel's own per-thread counts at its two ends (a lean repeat:
 * sched_switch returns at once between two traced threads). Left as they
 * are when either end was not read.
 */
void st_breakdown_kernel_counts(struct st_breakdown *b, const struct st_proc_switches *before,
				const struct st_proc_switches *after);

/*
 * Field-by-field median of n breakdowns (n >= 1); by-syscall rows and
 * histograms from the repeat with the median ns/switch; losses summed.
 */
void st_breakdown_median(const struct st_breakdown *reps, int n, struct st_breakdown *out);

#endif
