/* SPDX-License-Identifier: GPL-2.0 */
/*
 * schedtrace.h — plain C shared by the BPF side (schedtrace.bpf.c) and user
 * space (collector, attribution). Only __u32/__u64, no libc: this header is
 * compiled by clang -target bpf and by gcc.
 *
 * The kernel side aggregates into two per-CPU arrays of one element each,
 * so a snapshot is two map lookups however many syscalls were seen:
 *   pcpu      — struct st_pcpu: the slice still open on the CPU (st_cpu_state),
 *               the traced thread running there (st_cur, BPF-internal) and
 *               the counters (st_counters: event counts, time buckets,
 *               histograms). One value, so the hot path touches one
 *               allocation.
 *   sys_table — struct st_sys_table (per-syscall and per-futex-op cost)
 */
#ifndef SCHEDTRACE_H
#define SCHEDTRACE_H

#define ST_MAX_CPUS 256
#define ST_CPU_MASK_WORDS (ST_MAX_CPUS / 64)
#define ST_MAX_SYSCALLS 512 /* x86-64 numbers end below 470 */
#define ST_FUTEX_OPS 16	    /* FUTEX_CMD_MASK commands 0..13, 15 = other */
#define ST_FUTEX_OP_OTHER 15

/*
 * Histograms are log-linear: 4 sub-buckets per power of two, so each slot
 * spans at most 25% of its value. Slot s covers [st_hist_lo(s), st_hist_lo(s+1)).
 * Values 0..3 get their own slots; the slot function is in hist.h.
 */
#define ST_HIST_SUB_BITS 2
#define ST_HIST_SLOTS 128

/* Counters: one __u64 each in st_counters.stat[]. Summed over CPUs by user space. */
enum st_stat {
	/* kernel context switches of traced threads */
	ST_SWITCH_OUT,		 /* a traced thread left a CPU (user space: VOLUNTARY + PREEMPTED) */
	ST_SWITCH_OUT_VOLUNTARY, /* ... because it blocked (prev_state != RUNNING) */
	ST_SWITCH_OUT_PREEMPTED, /* ... while still runnable (preempted or yielded) */
	ST_SWITCH_IN,		 /* a traced thread got a CPU */
	ST_MIGRATIONS,		 /* switch-in on another CPU than the thread's last one */
	ST_MIGRATE_EVENTS,	 /* sched_migrate_task on a traced thread */
	ST_WAKEUPS,		 /* sched_waking of a traced thread (or, hooks off: counted at switch-in) */
	ST_WAKEUPS_CROSS_CPU,	 /* ... raised on another CPU than the one it switched in on */
	ST_WAKEUPS_NEW,		 /* sched_wakeup_new (thread created) */
	ST_THREADS_EXITED,
	ST_SYSCALLS,		 /* sys_enter of traced threads (user space: = ST_EV_SYS_ENTER) */

	/*
	 * Runqueue waits (ready -> running) of traced threads, by class:
	 * woken (sched_waking, or the enqueue at a wake-up, -> switch-in) and
	 * preempted (switched out still runnable -> switch-in).
	 */
	ST_RUNQ_WOKEN_NS,
	ST_RUNQ_WOKEN_COUNT,
	ST_RUNQ_PREEMPTED_NS,
	ST_RUNQ_PREEMPTED_COUNT,
	ST_RUNQ_WAIT_UNTIMED,	 /* switch-ins after a wait no stamp covers (first seen: already waiting) */

	/* CPU time on the traced CPUs, ns. Every ns of a traced CPU lands in one. */
	ST_NS_USER,	   /* traced thread on CPU outside the kernel as far as the hooks see */
	ST_NS_SYSCALL,	   /* traced thread inside a syscall, outside the scheduler's work */
	ST_NS_SCHED,	   /* traced thread in the scheduler's work: waking a thread (sched_waking ->
			      sched_wakeup) and __schedule() (sched_entry_tp -> sched_switch,
			      switch-in -> sched_exit_tp) */
	ST_NS_RETURN,	   /* after __schedule() outside a syscall, until the return to user
			      (rseq_update) */
	ST_NS_OTHER,	   /* a task that is not traced */
	ST_NS_IDLE,	   /* the idle task */
	ST_NS_ELSEWHERE,   /* traced threads on CPUs outside the traced set */

	/*
	 * The witness: cpu-clock samples on the traced CPUs (a software perf
	 * event and a BPF program), by what was running and in which mode.
	 */
	ST_SAMPLES_USER,   /* a traced thread in user mode */
	ST_SAMPLES_KERNEL, /* a traced thread in the kernel */
	ST_SAMPLES_OTHER,  /* another task */
	ST_SAMPLES_IDLE,   /* the idle task */

	/* events each program handled after its filter passed (tracer estimate) */
	ST_EV_SWITCH,
	ST_EV_WAKEUP,	   /* sched_waking (and sched_wakeup_new) */
	ST_EV_MIGRATE,
	ST_EV_SYS_ENTER,
	ST_EV_SYS_EXIT,
	ST_EV_FORK_EXIT,
	ST_EV_WAKEUP_DONE, /* sched_wakeup */
	ST_EV_SCHED_ENTRY, /* sched_entry_tp */
	ST_EV_SCHED_EXIT,  /* sched_exit_tp */
	ST_EV_RSEQ,	   /* rseq_update */
	ST_EV_SAMPLE,	   /* the witness's cpu-clock samples */

	/* everything lost is counted */
	ST_LOST_STORAGE, /* per-thread state could not be created */
	ST_LOST_MAP_UPDATE,
	ST_LOST_RINGBUF,
	ST_LOST_RECURSION, /* programs not run because one was already running on
			      the CPU: bpf_prog_info.recursion_misses summed over
			      our programs, filled in by user space at snapshot */

	ST_NR_STATS
};

/* The per-event counters, in enum order. */
#define ST_EV_FIRST ST_EV_SWITCH
#define ST_EV_LAST ST_EV_SAMPLE

/* Kinds of on-CPU time, used as slice kinds in st_cpu_state. Indices into stat[]. */
#define ST_KIND_FIRST ST_NS_USER

enum st_hist_idx {
	ST_HIST_RUNQ_WAIT,	    /* every runqueue wait of a traced thread (user space: the next two summed) */
	ST_HIST_RUNQ_WAIT_MIGRATED, /* ... when it switched in on another CPU */
	ST_HIST_RUNQ_WAIT_LOCAL,    /* ... when it stayed on its CPU */
	ST_HIST_RUNQ_WOKEN,	    /* the same waits by class: woken ... */
	ST_HIST_RUNQ_PREEMPTED,	    /* ... and preempted */
	ST_HIST_SYSCALL,	    /* sys_enter -> sys_exit, wall time */
	ST_HIST_ONCPU_SLICE,	    /* switch-in -> switch-out */
	ST_NR_HISTS
};

/*
 * Maxima of a window: kept apart from the counters (the `maxes` per-CPU
 * map) so that user space can zero them at a window's start without
 * touching anything else.
 */
enum st_max_idx {
	ST_MAX_RUNQ_WOKEN,
	ST_MAX_RUNQ_PREEMPTED,
	ST_MAX_SYSCALL,
	ST_MAX_ONCPU_SLICE,
	ST_NR_MAXES
};

struct st_maxes {
	__u64 v[ST_NR_MAXES];
};

/*
 * Interference, named: the CPU time each other task took on the traced CPUs
 * (the `others` map, by pid). Its OTHER slices end at its switch-out.
 */
#define ST_MAX_OTHERS 1024
struct st_other_task {
	__u64 ns;
	__u32 tgid;
	__u32 pad;
	char comm[16];
};

/*
 * A traced thread's context switch counts as it exits (sched_process_exit):
 * /proc loses them when the thread is released (user/collect/proc_switches.c).
 */
#define ST_MAX_EXITED 8192
struct st_exited_thread {
	__u64 nvcsw;
	__u64 nivcsw;
};

struct st_counters {
	__u64 stat[ST_NR_STATS];
	__u64 hist[ST_NR_HISTS][ST_HIST_SLOTS];
};

/* Cost of one syscall number or futex command, all traced threads together. */
struct st_sys_stat {
	__u64 count;	  /* entries */
	__u64 work_ns;	  /* on CPU inside the call, its own work (outside the scheduler's) */
	__u64 sched_ns;	  /* on CPU inside the call, in the scheduler's work (waking, __schedule) */
	__u64 blocked;	  /* calls that switched out (voluntarily) inside */
	__u64 blocked_ns; /* off CPU inside the call */
};

/* futex is kept by command only in the kernel; user space fills sys[SYS_futex] with their sum. */
struct st_sys_table {
	struct st_sys_stat sys[ST_MAX_SYSCALLS];
	struct st_sys_stat futex[ST_FUTEX_OPS];
};

/* The slice running on a CPU since slice_ts, charged at the next switch. */
struct st_cpu_state {
	__u64 slice_ts;
	__u32 kind; /* enum st_stat index of ST_NS_*, 0 when unknown yet */
	__u32 rq_clk; /* this CPU's stamps (slice, segment) are rq clock, not bpf_ktime_get_ns() */
	/*
	 * CLOCK_MONOTONIC minus the clock of slice_ts: 0 when the timestamps are
	 * bpf_ktime_get_ns(); while they are the scheduler's rq clock (--light,
	 * and summary repeats without the syscall hooks) the kernel side samples
	 * the offset now and then. User space closes the open slice at
	 * now - (slice_ts + clock_off).
	 */
	__s64 clock_off;
	__u32 other_pid; /* the task of an open OTHER slice (user space names it at snapshot time) */
	__u32 pad;
};

/* A traced thread's syscall in progress (BPF-internal). */
struct st_sys_progress {
	__u64 sys_ts;	  /* sys_enter */
	__u64 work_ns;	  /* on CPU, the call's own work */
	__u64 sched_ns;	  /* on CPU, the scheduler's work inside the call */
	__u64 blocked_ns; /* off CPU after blocking */
	__u32 nr;	  /* syscall number + 1, 0 outside a syscall */
	__u16 futex_cmd;
	__u8 switched;	  /* switched out inside the call */
	__u8 blocked;	  /* ... voluntarily */
};

/*
 * The traced thread running on a CPU (BPF-internal): set at its switch-in,
 * cleared at its switch-out, so the syscall hooks filter on `traced` and keep
 * the open segment here without a helper call or a per-thread lookup.
 */
struct st_cur {
	__u64 seg_ts;	 /* start of the open segment */
	__u64 in_ts;	 /* switch-in */
	__u32 traced;	 /* a traced thread is on this CPU */
	__u32 tid;
	__u32 seg_kind;	 /* ST_NS_USER / _SYSCALL / _SCHED / _RETURN */
	__u32 cpu_traced; /* this CPU is in the traced mask */
	__u32 tgid;	  /* of the thread (timeline records) */
	__u32 clk_n;	  /* switches on this CPU, to sample st_cpu_state.clock_off */
	__u32 waking;	  /* a sched_waking opened a scheduler segment; sched_wakeup closes it */
	__u32 waking_resume; /* ... back to this kind */
	__u32 has_rseq;	  /* the thread registered rseq: rseq_update marks its returns to user */
	__u32 sched_resume; /* the kind before sched_entry_tp: back to it when __schedule() kept the thread */
	struct st_sys_progress sys;
};

/*
 * Timeline mode: records are staged per CPU and written to the ring buffer
 * ST_TL_BATCH at a time (one reserve and commit per batch instead of per
 * record). User space drains what is left at the end of the recording. Raw
 * bytes here: the record is struct st_tl_event (timeline.h), 40 bytes.
 */
#define ST_TL_BATCH 32
#define ST_TL_EVENT_SIZE 40
struct st_tl_batch {
	__u32 n; /* records staged */
	__u32 pad;
	__u64 ev[ST_TL_BATCH][ST_TL_EVENT_SIZE / 8];
};

struct st_pcpu {
	struct st_cpu_state cs;
	struct st_cur cur;
	struct st_counters c;
	struct st_tl_batch tl; /* last: the summary mode never touches its pages */
};

#endif /* SCHEDTRACE_H */
