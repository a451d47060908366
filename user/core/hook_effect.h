/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hook_effect.h — did the hooks change what the scheduler did?
 *
 * A default run traces its first repeat with every hook and the others with
 * the switch hook alone. Both are traced, so when the kernel switched the
 * threads a different number of times per switch in the two, at least one
 * hook set moved the scheduler's decisions: the probes' time shifts the
 * moments at which it decides whether a woken thread preempts its waker
 * (pinned pthread here: 0.69 preemptions a switch with every hook, 0.83 with
 * the switch hook alone, 0.70 untraced by getrusage). The correction for
 * the tracer removes the probes' own time, not such a change, so the
 * reports give its size: the difference in kernel switches per switch times
 * what one kernel switch costs in the corrected figure (corrected ns per
 * switch / kernel switches per switch). Pure C.
 */
#ifndef SCHEDTRACE_HOOK_EFFECT_H
#define SCHEDTRACE_HOOK_EFFECT_H

#include <stdbool.h>
#include "model.h"

/* Kernel switches per switch that differ by less than this share are the same. */
#define ST_HOOK_EFFECT_MIN 0.03
/*
 * Below this many kernel switches per switch, the workload's switches are
 * not the kernel's (epoll: one thread, ~0.0001), and a kernel switch's share
 * of the corrected time means nothing.
 */
#define ST_HOOK_EFFECT_MIN_KS 0.5

struct st_hook_effect {
	double detailed_ks; /* kernel switches per switch in the repeat with every hook */
	double light_ks;    /* ... the median of the repeats with the switch hook alone */
	double ns;	    /* |light_ks - detailed_ks| x corrected ns per kernel switch of the latter */
	bool found;	    /* they differ by more than ST_HOOK_EFFECT_MIN */
};

/*
 * Fills e from run's repeats; false (e zeroed) when the run has no such pair
 * (untraced, --light, --every-repeat, a single repeat) or its switches are
 * not the kernel's (either side under ST_HOOK_EFFECT_MIN_KS).
 */
bool st_hook_effect(const struct st_run *run, struct st_hook_effect *e);

/*
 * The untraced window's witness: *last_corrected is the corrected ns/switch
 * of the repeat just before that window (run->untraced_ns_per_switch). False
 * when the run has no such window or no repeat.
 */
bool st_untraced_witness(const struct st_run *run, double *last_corrected);

#endif
