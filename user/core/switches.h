/* SPDX-License-Identifier: GPL-2.0 */
/*
 * switches.h — the timeline's records (bpf/timeline.h) as one row per kernel
 * switch of the traced threads (`run --switches`, docs/switches-csv.md):
 * what a switch record says itself (time, CPU, the two threads, the state
 * prev left in) and what follows from the records before it (next's
 * runqueue wait and its class, the slice prev just ended, whether prev was
 * inside a system call, whether next came from another CPU). Pure: the unit
 * tests feed it synthetic records.
 *
 * The walk replays the records in time order (the ring buffer interleaves
 * CPUs) keeping state per traced thread and per CPU only, and hands the rows
 * out one at a time: its memory is an index of the records (16 bytes each)
 * and the threads, never a copy of the rows.
 *
 * A thread is traced when it is one the timeline names (st_timeline.threads),
 * belongs to the same process as one (the tgid in a switch record), or is the
 * subject of a record the kernel side writes for traced threads only (a
 * system call, a wake-up's wakee, a migration).
 *
 * Waits follow the kernel side's rules (bpf/schedtrace.bpf.c, runq_account),
 * so the rows' classes add up to the breakdown's runq_woken / runq_preempted
 * counts of the same window:
 *   - a switch-out still runnable (prev_state 0) starts a preempted wait;
 *   - a wake-up (sched_waking) of a blocked thread starts a woken wait;
 *   - a wake-up while the thread still runs raced its switch-out (the kernel
 *     had already dequeued it): the wait starts at the wake-up if that
 *     switch-out blocks; its sys_exit or a runnable switch-out forgets it
 *     (it was woken before it blocked, and never waited);
 *   - a wake-up of a thread already waiting changes nothing;
 *   - the switch-in ends the wait; one that no record started is class NONE
 *     (the thread's first switch-in in the records, or its wake-up was lost).
 */
#ifndef SCHEDTRACE_SWITCHES_H
#define SCHEDTRACE_SWITCHES_H

#include <stdbool.h>
#include "model.h"

enum st_sw_class {
	ST_SW_UNTRACED,	 /* next is not traced: no wait, no class */
	ST_SW_NONE,	 /* traced, but no record started its wait */
	ST_SW_WOKEN,	 /* from its wake-up (sched_waking) */
	ST_SW_PREEMPTED, /* from its switch-out still runnable */
};

/* A yes/no column that the records cannot always answer. */
#define ST_SW_UNKNOWN (-1)

struct st_switch_row {
	__u64 ts; /* the switch, CLOCK_MONOTONIC ns */
	__u32 cpu;
	__u32 prev_tid, next_tid; /* 0: the idle task */
	__u32 prev_state;	  /* as recorded: 0 still runnable (preempted, yielded), else the TASK_* it blocked in */
	bool prev_traced, next_traced;
	enum st_sw_class wait_class;
	__u64 wait_ns;		  /* next's runqueue wait, for WOKEN and PREEMPTED */
	bool slice_known;
	__u64 slice_ns;		  /* prev on this CPU, from its switch-in to this switch */
	int prev_in_syscall;	  /* 1, 0, or ST_SW_UNKNOWN (prev not traced; no syscall records: --light) */
	int next_migrated;	  /* 1, 0, or ST_SW_UNKNOWN (next not traced, or not seen on a CPU before) */
};

struct st_switch_walk;

/*
 * A walk over tl's records. cpus is the traced CPU list (st_run.cpus): every
 * switch there is recorded, so the slice of an untraced task (idle, another
 * task) is known there too; NULL or "": slices of traced threads only.
 * NULL when out of memory.
 */
struct st_switch_walk *st_switch_walk_new(const struct st_timeline *tl, const char *cpus);

/* The next row: 1, 0 at the end, -1 when out of memory. */
int st_switch_walk_next(struct st_switch_walk *w, struct st_switch_row *row);

void st_switch_walk_free(struct st_switch_walk *w);

/* "woken", "preempted", "none", or "" for ST_SW_UNTRACED. */
const char *st_sw_class_name(enum st_sw_class c);

#endif
