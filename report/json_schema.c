// SPDX-License-Identifier: GPL-2.0
/* json_schema.c — the field tables of json_schema.h. */
#include "json_schema.h"

#define FIELD(type, st, member, key) { key, type, offsetof(st, member), sizeof(((st *)0)->member), 1, 0, false }
/* A field added in schema version v: absent from older documents. */
#define FIELD_SINCE(v, type, st, member, key) \
	{ key, type, offsetof(st, member), sizeof(((st *)0)->member), v, 0, false }
/* A field of documents up to version v only, read into member (which a later key took over). */
#define FIELD_UNTIL(v, type, st, member, key) \
	{ key, type, offsetof(st, member), sizeof(((st *)0)->member), 1, v, false }
/* A field added within the current version: written always, absent reads as 0. */
#define FIELD_OPTIONAL(type, st, member, key) \
	{ key, type, offsetof(st, member), sizeof(((st *)0)->member), 1, 0, true }
#define GROUP(name, table) \
	const struct st_field_group name = { table, (int)(sizeof(table) / sizeof(table[0])) }

#define BD(type, member, key) FIELD(type, struct st_breakdown, member, key)
#define BD2(type, member, key) FIELD_SINCE(2, type, struct st_breakdown, member, key)
static const struct st_field breakdown[] = {
	BD(ST_F_U64, switches, "switches"),
	BD(ST_F_BOOL, switches_from_kernel, "switches_from_kernel"),
	BD(ST_F_DOUBLE, window_ns, "window_ns"),
	FIELD_OPTIONAL(ST_F_DOUBLE, struct st_breakdown, gates_ns, "gates_ns"),
	FIELD_OPTIONAL(ST_F_BOOL, struct st_breakdown, user_sampled, "user_sampled"),
	BD(ST_F_DOUBLE, ns_per_switch, "ns_per_switch"),
	BD(ST_F_INT, nr_cpus, "nr_cpus"),
	BD(ST_F_DOUBLE, elsewhere, "elsewhere_ns"),
	BD(ST_F_DOUBLE, corrected_ns_per_switch, "corrected_ns_per_switch"),
	BD(ST_F_U64, events, "events"),
	BD(ST_F_U64, lost, "lost"),
};
GROUP(st_schema_breakdown, breakdown);

static const struct st_field samples[] = {
	BD2(ST_F_U64, samples.user, "user"),
	BD2(ST_F_U64, samples.kernel, "kernel"),
	BD2(ST_F_U64, samples.other, "other"),
	BD2(ST_F_U64, samples.idle, "idle"),
};
GROUP(st_schema_samples, samples);

#define OS(type, member, key) FIELD(type, struct st_other_share, member, key)
static const struct st_field other_share[] = {
	OS(ST_F_STR, comm, "comm"),
	OS(ST_F_INT, pid, "pid"),
	OS(ST_F_DOUBLE, ns, "ns"),
	OS(ST_F_BOOL, collector, "collector"),
};
GROUP(st_schema_other_share, other_share);

static const struct st_field cpu_time[] = {
	BD(ST_F_DOUBLE, user, "user"),
	BD(ST_F_DOUBLE, mode_switch, "mode_switch"),
	BD2(ST_F_DOUBLE, sched_work, "sched_work"),
	BD(ST_F_DOUBLE, syscall_work, "syscall_work"),
	BD2(ST_F_DOUBLE, return_path, "return_path"),
	/* schedtrace/1 had the scheduler's work after a switch-in and the return path as one part */
	FIELD_UNTIL(1, ST_F_DOUBLE, struct st_breakdown, sched_work, "switch_path"),
	BD(ST_F_DOUBLE, other_tasks, "other_tasks"),
	BD(ST_F_DOUBLE, idle, "idle"),
	BD(ST_F_DOUBLE, tracer, "tracer"),
	BD(ST_F_DOUBLE, unexplained, "unexplained"),
};
GROUP(st_schema_cpu_time, cpu_time);

static const struct st_field per_switch[] = {
	BD(ST_F_DOUBLE, syscalls, "syscalls"),
	BD(ST_F_DOUBLE, kernel_switches, "kernel_switches"),
	BD(ST_F_DOUBLE, voluntary, "voluntary"),
	BD(ST_F_DOUBLE, involuntary, "involuntary"),
	BD(ST_F_DOUBLE, wakeups, "wakeups"),
	BD(ST_F_DOUBLE, cross_cpu_wakeups, "cross_cpu_wakeups"),
	BD(ST_F_DOUBLE, migrations, "migrations"),
};
GROUP(st_schema_per_switch, per_switch);

/* indices follow ST_LOST_STORAGE, ST_LOST_MAP_UPDATE, ST_LOST_RINGBUF, ST_LOST_RECURSION */
static const struct st_field lost_by_kind[] = {
	BD(ST_F_U64, lost_by_kind[0], "storage"),
	BD(ST_F_U64, lost_by_kind[1], "map_update"),
	BD(ST_F_U64, lost_by_kind[2], "ringbuf"),
	BD(ST_F_U64, lost_by_kind[3], "recursion"),
};
_Static_assert(ST_LOST_KINDS == 4, "lost_by_kind grew: name the new kind in the schema");
GROUP(st_schema_lost_by_kind, lost_by_kind);

#define SR(type, member, key) FIELD(type, struct st_sys_row, member, key)
static const struct st_field sys_row[] = {
	SR(ST_F_STR, name, "name"),
	SR(ST_F_STR, note, "note"),
	SR(ST_F_DOUBLE, calls, "calls"),
	SR(ST_F_DOUBLE, work_ns, "work_ns"),
	FIELD_SINCE(2, ST_F_DOUBLE, struct st_sys_row, sched_ns, "sched_ns"),
	FIELD_UNTIL(1, ST_F_DOUBLE, struct st_sys_row, sched_ns, "switch_path_ns"),
	SR(ST_F_DOUBLE, blocked, "blocked"),
	SR(ST_F_DOUBLE, blocked_ns, "blocked_ns"),
};
GROUP(st_schema_sys_row, sys_row);

#define LAT(type, member, key) FIELD(type, struct st_latency, member, key)
static const struct st_field latency[] = {
	LAT(ST_F_U64, count, "count"),
	LAT(ST_F_DOUBLE, mean_ns, "mean_ns"),
	LAT(ST_F_DOUBLE, p50_ns, "p50_ns"),
	LAT(ST_F_DOUBLE, p90_ns, "p90_ns"),
	LAT(ST_F_DOUBLE, p99_ns, "p99_ns"),
	LAT(ST_F_DOUBLE, max_ns, "max_ns"),
	FIELD_SINCE(2, ST_F_BOOL, struct st_latency, max_exact, "max_exact"),
};
GROUP(st_schema_latency, latency);

const struct st_latency_member st_schema_latencies[] = {
	{ "runq", offsetof(struct st_breakdown, runq), 1 },
	{ "runq_woken", offsetof(struct st_breakdown, runq_woken), 2 },
	{ "runq_preempted", offsetof(struct st_breakdown, runq_preempted), 2 },
	{ "runq_migrated", offsetof(struct st_breakdown, runq_migrated), 1 },
	{ "runq_local", offsetof(struct st_breakdown, runq_local), 1 },
	{ "syscall", offsetof(struct st_breakdown, syscall), 1 },
	{ "oncpu", offsetof(struct st_breakdown, oncpu), 1 },
};
const int st_schema_nr_latencies = sizeof(st_schema_latencies) / sizeof(st_schema_latencies[0]);

#define CAL(type, member, key) FIELD(type, struct st_calibration, member, key)
#define CAL2(type, member, key) FIELD_SINCE(2, type, struct st_calibration, member, key)
static const struct st_field calibration[] = {
	CAL2(ST_F_DOUBLE, nowork_syscall_bare_ns, "nowork_syscall_bare_ns"),
	CAL2(ST_F_DOUBLE, nowork_syscall_traced_ns, "nowork_syscall_traced_ns"),
	CAL2(ST_F_DOUBLE, syscall_probe_in_ns, "syscall_probe_in_ns"),
	CAL2(ST_F_DOUBLE, nowork_syscall_run_ns, "nowork_syscall_run_ns"),
	CAL2(ST_F_DOUBLE, run_drift, "run_drift"),
	CAL(ST_F_DOUBLE, null_syscall_bare_ns, "null_syscall_bare_ns"),
	CAL(ST_F_DOUBLE, null_syscall_traced_ns, "null_syscall_traced_ns"),
	CAL(ST_F_DOUBLE, null_syscall_kernel_ns, "null_syscall_kernel_ns"),
	CAL(ST_F_DOUBLE, mode_switch_ns, "mode_switch_ns"),
	CAL(ST_F_U64, measured_at, "measured_at"),
	CAL(ST_F_STR, kernel, "kernel"),
	CAL(ST_F_STR, boot_id, "boot_id"),
	CAL(ST_F_BOOL, from_cache, "from_cache"),
};
GROUP(st_schema_calibration, calibration);

/* probe_ns[] is indexed by enum st_stat; only the ST_EV_* entries mean something */
static const struct st_field probe_ns[] = {
	CAL(ST_F_DOUBLE, probe_ns[ST_EV_SWITCH], "switch"),
	CAL(ST_F_DOUBLE, probe_ns[ST_EV_WAKEUP], "wakeup"),
	CAL(ST_F_DOUBLE, probe_ns[ST_EV_MIGRATE], "migrate"),
	CAL(ST_F_DOUBLE, probe_ns[ST_EV_SYS_ENTER], "sys_enter"),
	CAL(ST_F_DOUBLE, probe_ns[ST_EV_SYS_EXIT], "sys_exit"),
	CAL(ST_F_DOUBLE, probe_ns[ST_EV_FORK_EXIT], "fork_exit"),
	CAL2(ST_F_DOUBLE, probe_ns[ST_EV_WAKEUP_DONE], "wakeup_done"),
	CAL2(ST_F_DOUBLE, probe_ns[ST_EV_SCHED_ENTRY], "sched_entry"),
	CAL2(ST_F_DOUBLE, probe_ns[ST_EV_SCHED_EXIT], "sched_exit"),
	CAL2(ST_F_DOUBLE, probe_ns[ST_EV_RSEQ], "rseq"),
};
GROUP(st_schema_probe_ns, probe_ns);

#define MACH(type, member, key) FIELD(type, struct st_machine, member, key)
static const struct st_field machine[] = {
	MACH(ST_F_STR, kernel, "kernel"),
	MACH(ST_F_STR, kernel_version, "kernel_version"),
	MACH(ST_F_STR, arch, "arch"),
	MACH(ST_F_STR, cpu_model, "cpu_model"),
	MACH(ST_F_INT, nr_cpus_online, "nr_cpus_online"),
	MACH(ST_F_STR, virtualization, "virtualization"),
	MACH(ST_F_STR, clocksource, "clocksource"),
	MACH(ST_F_STR, mitigations, "mitigations"),
	MACH(ST_F_STR, hostname, "hostname"),
	MACH(ST_F_STR, date, "date"),
};
GROUP(st_schema_machine, machine);

#define WR(type, member, key) FIELD(type, struct st_workload_result, member, key)
static const struct st_field result[] = {
	WR(ST_F_STR, name, "name"),
	WR(ST_F_STR, switch_desc, "switch"),
	WR(ST_F_U64, iterations, "iterations"),
	WR(ST_F_INT, repeats_planned, "repeats_planned"),
	WR(ST_F_BOOL, complete, "complete"),
};
GROUP(st_schema_result, result);

/* result.metrics[]: the workload's own figures (metrics.h), added to schedtrace/2: optional for the reader */
#define MET(type, member, key) FIELD(type, struct st_metric, member, key)
static const struct st_field metric[] = {
	MET(ST_F_STR, key, "key"),
	MET(ST_F_STR, value, "value"),
};
GROUP(st_schema_metric, metric);

#define RR(type, member, key) FIELD(type, struct st_repeat_result, member, key)
static const struct st_field repeat_result[] = {
	RR(ST_F_U64, switches, "switches"),
	RR(ST_F_U64, round_trips, "round_trips"),
	RR(ST_F_U64, start_ns, "start_ns"),
	RR(ST_F_U64, end_ns, "end_ns"),
	RR(ST_F_DOUBLE, ns_per_switch, "ns_per_switch"),
};
GROUP(st_schema_repeat_result, repeat_result);

#define RUN(type, member, key) FIELD(type, struct st_run, member, key)
static const struct st_field run[] = {
	RUN(ST_F_STR, workload, "workload"),
	RUN(ST_F_STR, cpus, "cpus"),
	RUN(ST_F_BOOL, traced, "traced"),
	RUN(ST_F_BOOL, complete, "complete"),
	FIELD_SINCE(2, ST_F_BOOL, struct st_run, sched_merged, "sched_merged"),
	FIELD_SINCE(2, ST_F_BOOL, struct st_run, return_merged, "return_merged"),
	FIELD_SINCE(2, ST_F_STR, struct st_run, sampling_error, "sampling_error"),
};
GROUP(st_schema_run, run);

/* "timeline": written only when one was recorded (added to schedtrace/1: optional for the reader) */
#define TLC(type, member, key) FIELD(type, struct st_tl_counts, member, key)
static const struct st_field timeline[] = {
	TLC(ST_F_U64, records, "records"),
	TLC(ST_F_BOOL, cut, "cut"),
	TLC(ST_F_U64, lost, "lost"),
	TLC(ST_F_BOOL, coro_ring, "coroutine_ring"),
	TLC(ST_F_U64, coro_switches, "coroutine_switches"),
	TLC(ST_F_U64, coro_dropped, "coroutine_dropped"),
};
GROUP(st_schema_timeline, timeline);
