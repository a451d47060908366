/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tracer.h — the BPF side's lifecycle, with no knowledge of workloads:
 * open -> configure -> load -> attach (st_tracer_start), snapshot as often as
 * wanted, then detach and unload (st_tracer_stop). `run` drives it around a
 * launched workload; `trace -p PID` and `calibrate` reuse it as is.
 */
#ifndef SCHEDTRACE_TRACER_H
#define SCHEDTRACE_TRACER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "model.h"

struct st_tracer_opts {
	pid_t tgid;		   /* process to trace (its threads follow automatically) */
	bool follow;		   /* also trace processes it forks */
	bool no_syscalls;	   /* leave sys_enter/sys_exit out (scheduler view only) */
	const int *cpus;	   /* the traced CPU set (time partition), nr_cpus of them */
	int nr_cpus;
	bool force_raw_tp;	   /* skip tp_btf (also: SCHEDTRACE_RAW_TP=1 in the environment) */
	bool timeline;		   /* timeline mode: stream records (timeline.h) through a ring buffer */
	bool no_sampling;	   /* leave the witness's cpu-clock sampling out (calibration) */
	__u32 ring_bytes;	   /* the timeline's ring buffer, a power of 2 >= a page; 0: the default */
	__u64 cgroup_id;	   /* also trace the tasks of this cgroup v2 and its descendants (cgroup.h); 0 none */
	__u32 cgroup_level;	   /* its depth below the root cgroup */
};

/* Per-program numbers from bpf_prog_info. */
struct st_prog_stat {
	char name[32];
	int ev;			   /* the ST_EV_* its runs are counted in, -1 none */
	__u32 id;		   /* kernel program id */
	__u64 run_cnt;		   /* with BPF stats enabled only */
	__u64 run_time_ns;
	__u64 recursion_misses;
};

#define ST_TRACER_MAX_PROGS 16

struct st_tracer;

/*
 * Opens, configures, loads and attaches. tp_btf first; if the kernel refuses
 * it, the raw_tp twins. Returns 0, or a negative errno with one line (no
 * newline) in err saying what went wrong and what to do.
 */
int st_tracer_start(struct st_tracer **out, const struct st_tracer_opts *o, char *err, size_t err_len);

/* 0 when the witness's cpu-clock sampling runs (or was not asked for), else -errno: why not. */
int st_tracer_sampling_error(const struct st_tracer *t);

/*
 * What this tracer could and could not see, into the run's report: the
 * hooks the kernel lacks (run->sched_merged, run->return_merged) and why the
 * witness is missing (run->sampling_error).
 */
void st_tracer_describe(const struct st_tracer *t, struct st_run *run);

/* Which attach flavour is loaded: "tp_btf" or "raw_tp". */
const char *st_tracer_flavour(const struct st_tracer *t);

/*
 * Reads the counters (summed over CPUs), closes the open slice of every
 * traced CPU at now (CLOCK_MONOTONIC) and fills in ST_LOST_RECURSION.
 * Consistent per CPU: re-read when a slice boundary raced the read.
 */
int st_tracer_snapshot(struct st_tracer *t, struct st_snapshot *s);
/*
 * The same at a window edge: the syscall table and the programs' recursion
 * misses are read before the counters at a window's start and after them at
 * its end, so the bracket around the workload's window stays tight.
 */
int st_tracer_snapshot_edge(struct st_tracer *t, struct st_snapshot *s, bool window_start);

/* Per-program stats of the loaded programs; returns how many (<= max). */
int st_tracer_prog_stats(struct st_tracer *t, struct st_prog_stat *ps, int max);

/* Raw counters of the window between two snapshots (debugging: SCHEDTRACE_RAW=1). */
#include <stdio.h>
void st_snapshot_dump(FILE *f, const struct st_snapshot *a, const struct st_snapshot *b);

/*
 * Detaches (on = false) or re-attaches the hooks only a detailed repeat
 * needs: sys_enter/sys_exit, sched_wakeup, __schedule()'s bracket and
 * rseq_update, keeping sched_switch and the rest, the counters and the
 * loaded programs. While they are off the threads' time is not split at
 * syscalls (it all reads as user). A tracer started with no_syscalls stays
 * without them. 0 or -errno.
 */
int st_tracer_set_detail_hooks(struct st_tracer *t, bool on);

/*
 * From here on lean: sched_waking is detached as well, sched_switch keeps no
 * per-thread state and returns at once between two traced threads, so no
 * runqueue wait or on-CPU slice is timed and no switch, wake-up or migration
 * counted; the CPU-time buckets still are, and sched_process_exit keeps the
 * exiting threads' switch counts (st_tracer_exited). For `run`'s repeats
 * after the first, which take their switch counts from the kernel
 * (proc_switches.h) and borrow the rest (st_breakdown_borrow_waits). One
 * way: a stamp taken before would be stale after.
 */
void st_tracer_go_lean(struct st_tracer *t);

/*
 * Every hook off, the witness's sampler too: what runs next runs as if no
 * tracer were loaded (the programs stay loaded; counters stop moving). For
 * the untraced last window of a run; nothing attaches them again.
 */
void st_tracer_detach_all(struct st_tracer *t);

/*
 * Stops following tgid, a process the traced one forked (with follow): a CPU
 * hog a workload starts to compete with its threads (competitor_pid=,
 * docs/result-protocol.md). Its time counts as other tasks from its next
 * switch-in on. 0, or -errno (-ENOENT: it was not followed).
 */
int st_tracer_unfollow(struct st_tracer *t, pid_t tgid);

/* The processes the traced one forked that are followed (with follow), at most max into out: how many. */
int st_tracer_followed(struct st_tracer *t, pid_t *out, int max);

struct st_thread_switches;
/* Traced threads that exited, with their switch counts at exit, at most max into out: how many. */
int st_tracer_exited(struct st_tracer *t, struct st_thread_switches *out, int max);

/* Detach / re-attach the programs, keeping them loaded and the counters (calibration). */
int st_tracer_detach(struct st_tracer *t);
int st_tracer_attach(struct st_tracer *t);

/*
 * Timeline mode: records are collected between st_tracer_timeline_begin and
 * _end by a consumer thread (at most ST_TL_MAX_EVENTS; past that recording
 * stops and the timeline says it was cut). _take hands the records over
 * (the caller frees *events) and fills lost_per_cpu (records the kernel
 * could not write, per CPU; nr_possible entries, caller frees).
 */
#define ST_TL_MAX_EVENTS (2u << 20)
int st_tracer_timeline_begin(struct st_tracer *t);
void st_tracer_timeline_end(struct st_tracer *t);
int st_tracer_timeline_take(struct st_tracer *t, struct st_tl_event **events, __u64 *n, __u64 **lost_per_cpu,
			    int *nr_cpus, bool *cut);

/* Detaches and unloads everything; NULL is fine. */
void st_tracer_stop(struct st_tracer *t);

/*
 * IDs of the programs the most recent st_tracer_start() of this process
 * loaded (they stay listed after st_tracer_stop, so a test can check that
 * they are gone from the kernel). Returns how many (<= max).
 */
int st_tracer_last_ids(__u32 *ids, int max);

/* The names our programs have in the kernel (15 chars, as bpf_prog_info shows them). */
bool st_tracer_is_our_prog(const char *kernel_name);

/* The timeline's ring buffer size when st_tracer_opts.ring_bytes is 0. */
#define ST_TRACER_RING_DEFAULT (2u << 20)

/* NULL when this process may load BPF and the kernel has BTF, else one line saying what to do. */
const char *st_tracer_missing(void);

#endif
