/* SPDX-License-Identifier: GPL-2.0 */
/*
 * model.h — the plain structs that flow from the collector through
 * attribution to the renderers. No libbpf, no syscalls: attribution and the
 * reports are pure functions of these, which is what the unit tests feed.
 *
 *   collector --(st_snapshot x2, st_workload_result)--> attribute()
 *   attribute --(st_breakdown)--> report/ (text, JSON, CSV, HTML, Perfetto)
 */
#ifndef SCHEDTRACE_MODEL_H
#define SCHEDTRACE_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/types.h>
#include "schedtrace.h"
#include "timeline.h"

#define ST_NAME_LEN 64
#define ST_TEXT_LEN 256
#define ST_MAX_REPEATS 64
#define ST_MAX_TIDS 64
#define ST_MAX_SYS_ROWS 24
#define ST_LOST_KINDS 4 /* the ST_LOST_* counters, in enum order */

/* The kernel's own context switch counts of the traced processes' threads (/proc). */
struct st_proc_switches {
	__u64 voluntary;   /* nvcsw: the thread blocked */
	__u64 involuntary; /* nivcsw: preempted while runnable */
	int threads;	   /* read; 0: not read */
};

/* Counters summed over all CPUs, plus the open slices closed at taken_ns. */
/* Other tasks' CPU time on the traced CPUs so far, by pid (bpf/schedtrace.h's `others`). */
struct st_other_entry {
	__u32 pid;
	struct st_other_task t;
};

struct st_snapshot {
	__u64 taken_ns; /* CLOCK_MONOTONIC (same clock as bpf_ktime_get_ns) */
	struct st_counters c;
	struct st_sys_table t;
	struct st_maxes max; /* since the window's start (zeroed there), over all CPUs */
	int nr_others;
	struct st_other_entry others[ST_MAX_OTHERS];
	__u32 collector_tgid; /* the process that took it: said when it is among the others */
	struct st_proc_switches proc; /* read by `run` at its lean repeats' gates, beside the counters */
};

/* What a workload reported for one repeat over its result fd. */
struct st_repeat_result {
	__u64 switches;	   /* switches the workload counted in its window */
	__u64 round_trips; /* 0 when the workload has no round trip notion */
	__u64 start_ns;	   /* CLOCK_MONOTONIC, measured loop only */
	__u64 end_ns;
	double ns_per_switch;
};

/*
 * A workload's own figure, one key of the result protocol beyond the switch
 * count (docs/result-protocol.md): an extra key (workers=2, hog_ms=200), a
 * run key (lateness_all_p99_ns, median_hog_units_per_ms) as written, or a
 * per-repeat count (handoffs_cross_parked, preemptions) summed over the
 * repeats. metrics.h reads them.
 */
#define ST_MAX_METRICS 64
#define ST_METRIC_LEN 48
struct st_metric {
	char key[ST_METRIC_LEN];
	char value[ST_METRIC_LEN];
};

struct st_workload_result {
	char name[ST_NAME_LEN];
	char switch_desc[ST_TEXT_LEN]; /* what one switch is, from the workload */
	__u64 iterations;
	int nr_repeats;	     /* repeat[] entries filled (finished repeats) */
	int repeats_planned; /* repeats=<r> from the workload: what -r asked for */
	struct st_repeat_result repeat[ST_MAX_REPEATS];
	int nr_tids;
	int tids[ST_MAX_TIDS];
	bool complete; /* false when interrupted */
	int nr_metrics;
	struct st_metric metrics[ST_MAX_METRICS];
};

/* Measured by `schedtrace calibrate`. All ns. */
struct st_calibration {
	/*
	 * A system call that does no work (a reserved number: -ENOSYS), timed
	 * bare in user space: its round trip is the mode switch, entry + exit,
	 * charged per syscall. Traced, its sys_enter -> sys_exit time is the
	 * probes' own work inside the syscall window (calibrate_derive.h).
	 */
	double nowork_syscall_bare_ns;
	double nowork_syscall_traced_ns;
	double mode_switch_ns;		/* = nowork_syscall_bare_ns (or, in older files, the run's own) */
	/*
	 * Files written before 2026-12-07: the run's own no-work syscall, timed
	 * just before the workload, and its ratio to the calibration's, which
	 * scaled every probe cost (0: none, as runs write now). Dropped: short
	 * batches of the call drift by up to 1.4x here while the workloads do
	 * not (futex 3.05-3.11 us/switch while the call read 120-164 ns), and a
	 * slow batch took half of futex's user time to the mode switch.
	 */
	double nowork_syscall_run_ns;
	double run_drift;
	double syscall_probe_in_ns;	/* per syscall: the probes' time between sys_enter and sys_exit */
	/* getppid, the witness: bare ~ mode switch + its own work (kernel - probes in the window) */
	double null_syscall_bare_ns;	/* user-timed round trip, no tracer */
	double null_syscall_traced_ns;	/* same, sys_enter/sys_exit attached */
	double null_syscall_kernel_ns;	/* sys_enter -> sys_exit as BPF saw it */
	double probe_ns[ST_NR_STATS];	/* cost per event, indexed by ST_EV_* */
	/*
	 * The scheduler probes' cost per event (ST_EV_SWITCH, _WAKEUP,
	 * _MIGRATE) when the syscall hooks are not attached: the misses that
	 * sys_enter takes otherwise are theirs then (calibrate.h). 0: not
	 * measured, use probe_ns.
	 */
	double probe_alone_ns[ST_NR_STATS];
	__u64 measured_at;		/* unix time */
	char kernel[ST_NAME_LEN];	/* uname -r it was measured on */
	char boot_id[40];
	bool from_cache;
};

/* One row of the by-syscall table, per switch. */
struct st_sys_row {
	char name[ST_NAME_LEN]; /* "futex WAIT_BITSET", "read", ... */
	char note[ST_NAME_LEN]; /* e.g. "condition variable wait (glibc)" */
	double calls;
	double work_ns;	 /* the call's own work, on CPU */
	double sched_ns; /* the scheduler's work inside the call: waking, __schedule */
	double blocked; /* calls per switch that blocked (a kernel switch) */
	double blocked_ns;
};

struct st_latency {
	__u64 count;
	double mean_ns, p50_ns, p90_ns, p99_ns, max_ns;
	/*
	 * max_ns is the largest value measured in the window; false: only a
	 * bound (the top of the highest histogram slot), said as such
	 */
	bool max_exact;
	/*
	 * runq only: switch-ins after a wait no stamp covers (ST_RUNQ_WAIT_UNTIMED),
	 * not in count or hist; 0 for the others
	 */
	__u64 untimed;
	__u64 hist[ST_HIST_SLOTS]; /* raw log-linear slots, see schedtrace.h */
};

/* One task that ran on the traced CPUs: interference, named. */
#define ST_TOP_OTHERS 5
struct st_other_share {
	char comm[16];
	int pid;
	double ns;	/* per switch */
	bool collector; /* schedtrace's own process */
};

/*
 * The witness: cpu-clock samples taken on the traced CPUs in the window
 * (sampler.h), by what ran. All 0 when the sampling could not run.
 */
struct st_samples {
	__u64 user;   /* a traced thread in user mode */
	__u64 kernel; /* a traced thread in the kernel */
	__u64 other;  /* another task */
	__u64 idle;
};

/*
 * Where one switch's time goes. The CPU-time parts (user .. unexplained)
 * add up to ns_per_switch times the number of traced CPUs.
 */
struct st_breakdown {
	__u64 switches; /* the denominator: workload count, or kernel's for trace */
	bool switches_from_kernel;
	bool user_sampled; /* user's share of the threads' time is the samples' (a lean repeat) */
	double window_ns;
	/*
	 * The counters' window less the workload's (ns, whole window): the gates
	 * at each end, where the collector takes its snapshot and answers and the
	 * workload wakes. Their CPU time is in the parts (mostly idle and other
	 * tasks) but not in window_ns: unexplained carries about -gates_ns x
	 * nr_cpus / switches for them, which matters only for short windows.
	 */
	double gates_ns;
	double ns_per_switch; /* measured by the workload */
	int nr_cpus;	      /* traced CPUs the window covers */

	/* CPU-time view, ns per switch */
	double user;
	double mode_switch;
	double syscall_work;
	double sched_work;  /* waking threads and __schedule(), wherever they run */
	double return_path; /* after a switch, back to user: out of a preemption, the rseq notification */
	double other_tasks;
	double idle;
	double tracer;
	double unexplained;
	double elsewhere;     /* traced threads on CPUs outside the set (not in the sum) */
	double corrected_ns_per_switch; /* ns_per_switch - tracer */
	double clamped;	      /* mode switch + tracer taken beyond what user / kernel
				 buckets held (they stop at 0): > 0 means the
				 calibration overestimates for this run; it is part of
				 the negative unexplained */

	/* counts per switch */
	double syscalls;
	double kernel_switches; /* switch-outs of traced threads */
	double voluntary;
	double involuntary;
	double wakeups;
	double cross_cpu_wakeups;
	double migrations;

	int nr_sys_rows;
	struct st_sys_row sys_rows[ST_MAX_SYS_ROWS]; /* sorted by cost, futex split by op */

	/*
	 * ready -> running: all, by class (woken: from sched_waking; preempted:
	 * from a runnable switch-out), by CPU (migrated, local). All on the
	 * monotonic clock, in every mode.
	 */
	struct st_latency runq, runq_woken, runq_preempted, runq_migrated, runq_local, syscall, oncpu;

	struct st_samples samples; /* the witness */

	/* the tasks that took the most of other_tasks, most first */
	int nr_top_others;
	struct st_other_share top_others[ST_TOP_OTHERS];

	__u64 events;		  /* BPF program runs in the window */
	__u64 lost;		  /* sum of ST_LOST_* */
	__u64 lost_by_kind[ST_LOST_KINDS]; /* storage, map update, ringbuf, recursion misses */
};

/* The machine a run was made on. Every report carries it. */
struct st_machine {
	char kernel[ST_NAME_LEN];	 /* uname -r */
	char kernel_version[ST_TEXT_LEN]; /* uname -v */
	char arch[16];
	char cpu_model[ST_TEXT_LEN];
	int nr_cpus_online;
	char virtualization[ST_NAME_LEN]; /* "KVM", "none", ... from cpuid / dmi */
	char clocksource[ST_NAME_LEN];
	char mitigations[1024];		/* "meltdown: Mitigation: PTI; spectre_v2: ..." */
	char hostname[ST_NAME_LEN];
	char date[32];			/* ISO 8601 UTC */
};

/* A thread the timeline names: comm as the kernel had it (task->comm). */
struct st_tl_thread {
	__u32 tid;
	__u32 pid;
	char comm[16];
};

/*
 * What the timeline mode recorded (--perfetto, --switches): the ring buffer's records as
 * they arrived (report/perfetto.c sorts them), the threads to give tracks and
 * names (the traced ones; others appear on the CPU tracks by tid), and the
 * records each CPU could not write. The reports keep only its counts
 * (struct st_tl_counts below).
 */
struct st_timeline {
	const struct st_tl_event *events;
	__u64 nr_events;
	const struct st_tl_thread *threads;
	int nr_threads;
	const __u64 *lost_per_cpu; /* nr_cpus entries, or NULL */
	int nr_cpus;
	/* coroutine switches the workload marked (user/collect/usertl.h), merged into events as USER_SWITCH */
	bool user_ring;	    /* a coroutine scheduler of the workload wrote the ring */
	__u64 user_switches; /* records merged */
	__u64 user_dropped;  /* switches the full ring could not hold */
};

/*
 * A timeline's counts, kept in the report (the JSON's optional "timeline"
 * member) when the records themselves are not: how many, and what was lost.
 */
struct st_tl_counts {
	bool recorded;	       /* false: no timeline in this run (the rest is 0) */
	bool cut;	       /* recording stopped at the collector's limit */
	__u64 records;	       /* kept: kernel records plus coroutine switches */
	__u64 lost;	       /* kernel records the ring buffer could not take, all CPUs */
	int nr_cpus;	       /* entries of lost_per_cpu */
	__u64 lost_per_cpu[ST_MAX_CPUS];
	bool coro_ring;	       /* a coroutine scheduler marked its switches (user/collect/usertl.h) */
	__u64 coro_switches;   /* of them, coroutine switches */
	__u64 coro_dropped;    /* coroutine switches the full ring could not hold */
	double ns_per_switch;  /* the workload's in the recorded window (not a repeat), 0 unknown */
};

/* Everything one `schedtrace run` produced; what every renderer takes. */
struct st_run {
	char workload[ST_NAME_LEN];
	char cpus[ST_NAME_LEN]; /* the -C list as given, e.g. "0" or "0,1" */
	bool traced;		/* false with --no-trace */
	bool complete;		/* false when interrupted: report what was measured */
	struct st_workload_result result;
	int nr_repeats;
	struct st_breakdown repeat[ST_MAX_REPEATS];
	struct st_breakdown summary; /* median over repeats, field by field */
	struct st_calibration cal;
	struct st_machine machine;
	const struct st_timeline *timeline; /* NULL unless a timeline was recorded */
	struct st_tl_counts tl_counts;	/* its counts (also read back from JSON, without the records) */
	struct st_repeat_result tl_window; /* the workload's own numbers for the timeline's window (not kept in JSON) */
	/*
	 * The kernel counters' view of the timeline's window (its switch-outs,
	 * waits by class): a witness for its records (--switches rows), in no
	 * report. Zero when no timeline was recorded.
	 */
	struct st_breakdown tl_breakdown;
	double startup_ns;	/* fork of the workload to its release at the gate, BPF attached */
	/*
	 * run's untraced window (unless --no-untraced-repeat): ns/switch of one
	 * more window after the repeats, every hook detached, in the same
	 * process: the witness of the corrected figure, right after the last
	 * repeat. 0: none.
	 */
	double untraced_ns_per_switch;
	/*
	 * Syscall sampling: only this repeat (1-based) was timed with the
	 * syscall hooks; the others ran with the scheduler hooks alone and took
	 * its kernel-side split (st_breakdown_borrow_syscalls). 0: every repeat
	 * had every hook (--every-repeat, --light, one repeat).
	 */
	int syscalls_repeat;
	/*
	 * compare: every repeat (round) ran without the syscall hooks and took
	 * its kernel-side split from one more run of the workload with every
	 * hook, outside the repeats.
	 */
	bool syscalls_profiled;
	/*
	 * --light: none of the detail hooks (syscalls, __schedule()'s bracket,
	 * sched_wakeup, rseq_update): sched_switch and sched_waking alone, the
	 * threads' own time unsplit.
	 */
	bool light;
	/*
	 * Hooks this kernel lacks, and the parts that merge for it:
	 * sched_merged: no sched_entry_tp/sched_exit_tp (< 6.16): the time from
	 * a switch-in to the end of the syscall it blocked in is scheduler work,
	 * and __schedule() before the switch is syscall work;
	 * return_merged: no rseq_update: the return path reads as user.
	 */
	bool sched_merged;
	bool return_merged;
	/* the witness's sampling could not run: why (empty when it ran) */
	char sampling_error[ST_NAME_LEN];
};

#endif /* SCHEDTRACE_MODEL_H */
