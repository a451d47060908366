/* SPDX-License-Identifier: GPL-2.0 */
/*
 * timeline.h — the record the timeline mode streams through a BPF ring
 * buffer, one per scheduler or syscall event of interest, shared by the BPF
 * side (which reserves and fills it) and user space (report/perfetto.c turns
 * an array of them into a Perfetto-readable trace). Plain C, __u32/__u64
 * only: compiled by clang -target bpf and by gcc.
 *
 * 40 bytes, fixed size: a ring buffer of 4 MiB holds ~100k records. Fields
 * mean different things per kind; the table below is the contract.
 *
 *   kind            tid / pid               other_tid    arg              arg2
 *   SWITCH          prev thread / its tgid  next thread  prev state (1)   next's tgid; high half (2)
 *   WAKEUP          waker (current) / tgid  wakee        target CPU       wakee's tgid
 *   MIGRATE         moved thread / tgid     0            destination CPU  origin CPU
 *   SYS_ENTER       caller / tgid           0            syscall nr       futex: op (args[1]), else 0
 *   SYS_EXIT        caller / tgid           0            syscall nr       return value (s64 bits)
 *   USER_SWITCH     OS thread / tgid        0            coroutine to     coroutine from
 *
 * (1) 0 when prev was still runnable (preempted, or sched_yield), else the
 *     TASK_* state it blocked in (nonzero). tid 0 is the idle task.
 * (2) arg2 >> 32: next's runqueue wait in ns from the kernel's enqueue stamp
 *     (sched_info.last_queued; capped at 2^32 - 1), 0 when next is not traced
 *     or the stamp shows none. Without wake-up records (--light) it is where
 *     the thread's runnable slice starts.
 * cpu is the CPU the event was recorded on (for MIGRATE: where the
 * migration was decided). ts is bpf_ktime_get_ns() (CLOCK_MONOTONIC).
 * USER_SWITCH records come from the workload's coroutine scheduler (a
 * uprobe or a marker), not from the kernel: arg/arg2 are coroutine ids.
 */
#ifndef SCHEDTRACE_TIMELINE_H
#define SCHEDTRACE_TIMELINE_H

enum st_tl_kind {
	ST_TL_SWITCH = 1,
	ST_TL_WAKEUP,
	ST_TL_MIGRATE,
	ST_TL_SYS_ENTER,
	ST_TL_SYS_EXIT,
	ST_TL_USER_SWITCH,
	ST_TL_NR_KINDS
};

struct st_tl_event {
	__u64 ts;
	__u32 cpu;
	__u32 kind; /* enum st_tl_kind */
	__u32 tid;
	__u32 pid;
	__u32 other_tid;
	__s32 arg;
	__u64 arg2;
};

_Static_assert(sizeof(struct st_tl_event) == 40, "st_tl_event is 40 bytes on both sides");
#ifdef ST_TL_EVENT_SIZE
_Static_assert(sizeof(struct st_tl_event) == ST_TL_EVENT_SIZE, "ST_TL_EVENT_SIZE in schedtrace.h");
#endif

#endif /* SCHEDTRACE_TIMELINE_H */
