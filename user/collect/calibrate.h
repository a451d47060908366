/* SPDX-License-Identifier: GPL-2.0 */
/*
 * calibrate.h — what the tracepoints cannot see, measured on this machine:
 * the user<->kernel mode switch of a syscall and the cost of each probe.
 *
 * Method (st_calibrate), pinned to one CPU, bare and traced rounds
 * interleaved in shuffled pairs (the host drifts); what each measurement
 * becomes is in calibrate_derive.h:
 *  - a no-work syscall (a reserved number, -ENOSYS) in a loop timed in user
 *    space (in CPU time, so other tasks sharing the CPU do not count), bare
 *    and traced: bare is the mode switch; traced, its sys_enter -> sys_exit
 *    time as BPF saw it is the probes' own work inside the syscall window;
 *  - getppid the same way, the witness of both;
 *  - probe cost: BPF run-time stats (kernel.bpf_stats_enabled, on during
 *    calibration only) give each program's run time per event, corrected for
 *    the cheap filtered-out runs of other processes by a quiet phase; the
 *    dispatch cost the stats do not see is (traced - bare of the no-work
 *    call - run time of sys_enter and sys_exit) / 2 per event, added to
 *    every program;
 *  - a pinned futex ping-pong, bare and traced: its traced - bare is the
 *    end-to-end cost of its events. The syscall probes are calibrated end to
 *    end already (the no-work loop); what they do not account for is the
 *    scheduler probes' (sched_switch, sched_waking): their run time under-states
 *    it (their dispatch is not the syscall path's, and they run among the
 *    switch's own cache and TLB misses), so their cost is scaled to match
 *    (sched_scale, bounded to 0.75-2.5). Without the scaling, corrected
 *    traced ns/switch came out 3-6% above bare on all four switching
 *    workloads (bench/overhead.c);
 *  - the same ping-pong with the syscall hooks and sched_waking detached:
 *    sched_switch alone then takes all of its traced - bare (probe_alone_ns,
 *    sched_alone_scale, bounded to 0.5-2.5), the cost charged in repeats
 *    timed without those hooks (run.c) and in --light. It differs from probe_ns: with the syscall hooks
 *    attached the first probe after a kernel entry, sys_enter, takes the cold
 *    cache and TLB misses that the scheduler probes take alone (here alone
 *    they cost ~1.3x more per event).
 *
 * st_calibration_get() caches the result per boot and kernel in
 * ST_CALIBRATION_PATH (keyed by /proc/sys/kernel/random/boot_id and uname -r),
 * for ST_CALIBRATION_MAX_AGE_S: the host drifts. On the 2-vCPU guest, three
 * calibrations a minute apart agreed within ~2% of a pinned pthread switch
 * (sched_switch alone 260-305 ns, mode switch 891-954 ns); one 4 hours old
 * left the corrected ns/switch 3-7% off bare (futex 0.932, pthread 0.963),
 * a fresh one 0-1% (1.000, 1.006).
 */
#ifndef SCHEDTRACE_CALIBRATE_H
#define SCHEDTRACE_CALIBRATE_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include "calibrate_derive.h"
#include "model.h"

#define ST_CALIBRATION_DIR "/run/schedtrace"
#define ST_CALIBRATION_PATH ST_CALIBRATION_DIR "/calibration"
#define ST_CALIBRATION_MAX_AGE_S 3600

/* Measures. cpu < 0: the lowest allowed CPU. 0, ST_RUN_INTERRUPTED-like -EINTR, or -errno with err. */
int st_calibrate(struct st_calibration *cal, struct st_calibration_check *chk, int cpu,
		 volatile sig_atomic_t *stop, char *err, size_t err_len);

/* The cached calibration when it matches this boot and kernel, else measure and cache it. */
int st_calibration_get(struct st_calibration *cal, bool redo, volatile sig_atomic_t *stop, char *err,
		       size_t err_len);

/* A cached calibration serves `here` (this boot and kernel) at unix time now_s: same boot and kernel, not too old. */
bool st_calibration_fresh(const struct st_calibration *cached, const struct st_calibration *here, __u64 now_s);

int st_calibration_load(struct st_calibration *cal);
int st_calibration_save(const struct st_calibration *cal);
void st_calibration_print(FILE *f, const struct st_calibration *cal, const struct st_calibration_check *chk);

#endif
