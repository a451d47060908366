/* SPDX-License-Identifier: GPL-2.0 */
/*
 * calibrate_derive.h — from the samples the calibration loops gathered
 * (calibrate.c) to the costs the attribution charges. Pure C over plain
 * structs: the unit tests feed it samples recorded on each kind of host.
 *
 * What is measured, and what each figure becomes (every one a measurement of
 * its own, none derived by subtracting a probed time from a bare one):
 *  - mode switch: the bare round trip of a system call that does no work (a
 *    reserved number: the kernel enters, finds no handler, returns -ENOSYS),
 *    timed in user space. Entry and exit are what it costs.
 *  - the probes inside the syscall window: the same no-work call traced, as
 *    BPF saw it from sys_enter to sys_exit. With no work in between, that time
 *    is the tail of sys_enter after its clock read, the tracepoint dispatch
 *    and the head of sys_exit before its clock read: the tracer's, inside
 *    the kernel bucket.
 *  - the probes' whole cost per syscall: traced minus bare of the no-work
 *    call, paired round by round (the host drifts). What is not inside the
 *    window lands in the user bucket (before sys_enter's clock read, after
 *    sys_exit's).
 *  - getppid, bare and traced, is the witness: its bare time should be the
 *    mode switch plus its own work, and its own work is its traced in-kernel
 *    time minus the probes inside the window.
 *  - the scheduler probes: their BPF run time per event plus the dispatch the
 *    run-time stats do not see, scaled so that a pinned futex ping-pong's
 *    traced - bare is matched (calibrate.h says why).
 */
#ifndef SCHEDTRACE_CALIBRATE_DERIVE_H
#define SCHEDTRACE_CALIBRATE_DERIVE_H

#include <stdbool.h>
#include "model.h"

#define ST_CAL_MAX_ROUNDS 16

/* What the loops measured, per round (ns per call, per event or per switch). */
struct st_cal_samples {
	int rounds;
	bool stats;			      /* BPF run-time stats were available */
	double nowork_bare[ST_CAL_MAX_ROUNDS];    /* no-work syscall, user CPU time per call */
	double nowork_traced[ST_CAL_MAX_ROUNDS];
	double nowork_kernel[ST_CAL_MAX_ROUNDS];  /* traced: sys_enter -> sys_exit, BPF clock; < 0 none seen */
	double getppid_bare[ST_CAL_MAX_ROUNDS];
	double getppid_traced[ST_CAL_MAX_ROUNDS];
	double getppid_kernel[ST_CAL_MAX_ROUNDS]; /* < 0: none seen */
	double pp_bare[ST_CAL_MAX_ROUNDS];	      /* futex ping-pong, per switch */
	double pp_traced[ST_CAL_MAX_ROUNDS];
	double pp_alone[ST_CAL_MAX_ROUNDS];	      /* traced by sched_switch and the rare hooks alone */
	double pp_events[ST_NR_STATS][ST_CAL_MAX_ROUNDS]; /* per switch, by ST_EV_* */
	double run_ns[ST_NR_STATS][ST_CAL_MAX_ROUNDS];	  /* program run time per own event, by ST_EV_*; < 0 none */
	double idle_run_ns[ST_NR_STATS];		  /* a filtered-out run, by ST_EV_* (quiet phase) */
};

/* Extra numbers calibrate prints (not kept in the model). */
struct st_calibration_check {
	double dispatch_ns;	     /* per event, outside the program's run time */
	double run_ns[ST_NR_STATS];  /* program run time per traced event, by ST_EV_* */
	double getppid_predicted_ns; /* mode switch + its traced in-kernel time - probes in the window */
	double pingpong_bare_ns;     /* per switch */
	double pingpong_traced_ns;
	double pingpong_events[ST_NR_STATS]; /* events per switch, by ST_EV_* */
	double pingpong_predicted_ns;	     /* bare + events x probe cost (scaled) */
	double pingpong_unscaled_ns;	     /* the same before sched_scale */
	double sched_scale;		     /* factor on the scheduler probes' cost, 1 when not measured */
	double pingpong_alone_ns;	     /* the ping-pong with the scheduler hooks alone */
	double sched_alone_scale;	     /* their factor then (probe_alone_ns) */
	int cpu;
	int rounds;
	bool stats;		     /* run-time stats were available */
};

/*
 * Fills the measured figures of cal (not its identity: kernel, boot, time)
 * and, when chk is not NULL, the numbers calibrate prints beside them.
 */
void st_calibration_derive(const struct st_cal_samples *s, struct st_calibration *cal,
			   struct st_calibration_check *chk);

#endif
