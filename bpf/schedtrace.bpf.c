// SPDX-License-Identifier: GPL-2.0
/*
 * schedtrace.bpf.c — where the time of a context switch goes, seen from the
 * kernel.
 *
 * Hooks (each a tp_btf program with a raw_tp twin sharing one always-inline
 * body; user space loads the tp_btf set and falls back to raw_tp when the
 * kernel refuses it; neither needs tracefs):
 *   sched_switch        closes the slice that ran on the CPU and opens the
 *                       next; at a traced thread's switch-in, its runqueue
 *                       wait from the scheduler's own stamps (see runq_wait)
 *   sched_waking        a traced thread is being woken: counted, and the
 *                       waker's CPU is remembered (waking runs in the waker's
 *                       context; sched_wakeup may run on the target CPU
 *                       through the wake list IPI, so it cannot say which CPU
 *                       woke the thread). No clock read.
 *   sched_wakeup_new    a new traced thread is runnable for the first time
 *   sched_migrate_task  a traced thread was moved (counted)
 *   sched_process_fork  a traced process forked: its child is followed
 *   sched_process_exit  a traced thread exited
 *   sys_enter/sys_exit  (raw_syscalls) segment boundaries inside a slice and
 *                       the per-syscall / per-futex-command cost; not loaded
 *                       in --light mode (rodata syscalls = 0 then also drops
 *                       the switch handler's syscall bookkeeping)
 *
 * Filter first: every program compares the task's tgid with the .rodata
 * constant targ_tgid before touching any map. Children followed after a fork
 * live in a small hash that is consulted only when `follow` is set and a child
 * was actually added (a .bss count), so the common case is one compare.
 * trace --cgroup adds the task's cgroup v2 (cgroup_traced; compiled out
 * when targ_cgroup_id is 0).
 *
 * Time accounting. Each CPU in the traced mask (.rodata cpu_mask) runs one
 * slice at a time, kept in cpu_state (start, kind). At every boundary the
 * elapsed time is charged to the kind of the slice that ends and the next one
 * starts, so the CPU time of the traced CPUs is partitioned exactly into
 * USER + SYSCALL + SWITCH_PATH + OTHER + IDLE:
 *   switch-in of a traced thread ........ USER, or SYSCALL / SWITCH_PATH when it
 *                                         is inside a syscall (SWITCH_PATH once
 *                                         it has switched out inside that call:
 *                                         it is on its way back from schedule())
 *   sys_enter ........................... SYSCALL
 *   sys_exit ............................ USER
 *   switch-in of the idle task (pid 0) .. IDLE;  of any other task .. OTHER
 * User space closes the open slice at snapshot time (now - slice_ts to kind).
 * Traced threads on CPUs outside the mask are charged to ST_NS_ELSEWHERE from
 * their own segment start.
 *
 * Per-CPU state (struct st_pcpu, one per-CPU array value): the open slice, the
 * counters, and the traced thread running there (st_cur: its open segment and
 * its syscall in progress). sched_switch sets st_cur at a traced thread's
 * switch-in and saves it into the thread's own state at switch-out, so
 * sys_enter/sys_exit (the most frequent events) filter on st_cur.traced with
 * one inlined array lookup: no helper call, no per-thread lookup. The cost: a
 * thread already running when the programs attach is seen from its next
 * switch-in on (the launched workload is held at a gate until then).
 *
 * Per-thread state (struct tstate: last CPU, waker CPU, the syscall in
 * progress while off CPU): task local storage in the tp_btf programs
 * (cheapest here; it needs the BTF task pointer), a hash keyed by tid in the
 * raw_tp twins. A switch-out looks it up only when the thread leaves inside a
 * syscall (a switch-in clears the saved syscall), so a thread preempted in
 * user space, as at the return of a waking FUTEX_WAKE, costs no lookup.
 * Whether a wakee is still queued (woken before it blocked) is
 * task_struct.on_rq. No atomics anywhere on the hot path (one cost ~40 ns
 * in sched_waking here); user space sums over CPUs.
 *
 * Timeline mode: one clock read per switch serves the record and the slices;
 * records are staged per CPU (st_pcpu.tl, after the counters) and written 32
 * at a time with one bpf_ringbuf_output, without wake-ups or queries; the
 * consumer (user/tracer.c) drains the buffer every millisecond off the
 * traced CPUs and the staged rest at the end. The buffer is small (2 MiB) so
 * that the writes hit cache: with 32 MiB and a reserve per record, recording
 * pinned pthread cost 1.54x bare; batching alone 1.52x, without the ring
 * buffer writes at all 1.33x, 2 MiB batched 1.35-1.40x. The records' cost
 * runs inside these programs, so it would land in the kernel's buckets:
 * the timeline records a window of its own before the repeats (user/run.c),
 * and outside it (recording() false) nothing is written and the stamps are
 * what they are without a timeline.
 *
 * Everything lost is counted: per-thread state that could not be created, map
 * updates that failed, ring buffer records (timeline mode) that did not fit.
 * Recursion misses are per program in bpf_prog_info.
 *
 * Syscall sampling (user/run.c): `run` attaches sys_enter/sys_exit and
 * sched_waking for the first repeat only and detaches them at its end gate;
 * sys_live (.bss) tells the switch handler they are gone (a thread blocked
 * in a syscall is not left waiting for a sys_exit; the switch-in counts the
 * wake-ups). From then on sched_switch stamps with the rq clock
 * (rq_clock_unhooked), as --light does; the switch where the clock changes
 * reads both (switch_now), and the syscall hooks ignore a CPU whose stamps
 * are still rq clock.
 *
 * Cost, measured on the 2-vCPU KVM (PVM) guest (bench/overhead.c, `make
 * bench`: pinned workloads, every mode once per shuffled round, median over
 * rounds of mode / bare of the same round). Pinned pthread: every hook in
 * every repeat (--every-repeat) 1.26-1.34; the default summary (the first
 * repeat hooked, the others with sched_switch alone) 1.09-1.12; --light
 * 1.08-1.11; timeline 1.36-1.42 while it records (its window); perf
 * sched record 1.37-1.43, bpftrace with these hooks 2.0-2.1. With every
 * hook the floor is high: empty programs on the scheduler hooks cost 1.06,
 * and empty sys_enter/sys_exit added to full scheduler programs 1.19, so
 * per-syscall timing cannot be kept on every syscall under 1.15 here. A pthread switch makes 3 sys_enter,
 * 3 sys_exit, 1.7 sched_switch and 1.0 sched_waking runs. sys_enter costs
 * twice sys_exit (~165 vs ~85 ns per run, BPF run-time stats): whichever of
 * our programs runs first after a kernel entry pays ~50-100 ns more (with
 * sys_enter gone, sched_waking goes from ~42 to ~120 ns), consistent with
 * PTI without PCID emptying the TLB at every entry (not measured directly:
 * no PMU here). A kvm-clock read costs ~28 ns warm. Tried and dropped: the
 * per-CPU state as a plain array indexed by CPU; task storage vs a tid
 * hash; wake-up counts kept in the wakee's storage instead of the per-CPU
 * value (sched_waking no cheaper); no summary bookkeeping in the syscall
 * hooks while the timeline records (no change: the records cost ~0.1 on
 * their own); batches of 128 records instead of 32, or draining every 10 ms
 * instead of 1 ms, or one record per syscall written at its exit instead of
 * two (a third fewer bytes: 1.36/1.36/1.41 against 1.37/1.34/1.42), all no
 * change within the noise; a 16 MiB ring drained only at the end (1.47-1.49:
 * writes to memory no cache holds cost more than the consumer's traffic).
 *
 * Where sys_enter's time goes (BPF run-time stats, one run each, ns per run):
 * an empty program 59; + the per-CPU lookup and filter 83; + the clock read
 * 149; the whole body 189. The first clock read after a kernel entry costs
 * ~65 ns (kvm-clock; no TSC clocksource or cycle-counter kfunc here). The
 * timeline's batch write (bpf_ringbuf_output of 32 records) costs ~35 ns per
 * record spread over the programs that fill the batch. Same rounds, pinned
 * pthread: every hook without records 1.30-1.33, the timeline with the ring
 * writes compiled out 1.35-1.36, with them 1.40-1.47. So a timeline with
 * syscall slices cannot get under ~1.3 here; the scheduler-only timeline
 * (--light: sched_switch and the rare hooks) records at 1.16-1.18.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "core_fixes.bpf.h"
#include "hist.h"
#include "schedtrace.h"
#include "timeline.h"

char LICENSE[] SEC("license") = "GPL";

#define TASK_RUNNING 0
#define FUTEX_CMD_MASK 127 /* ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME) */
#define FUTEX_LAST_CMD 13  /* FUTEX_LOCK_PI2 */

/*
 * SYS_futex of the target arch, a constant: the syscall hooks run after every
 * kernel entry (TLB cold under PTI), so they touch no more memory than needed.
 * Without syscall hooks (scheduler view only) user space does not load them.
 */
#if defined(__TARGET_ARCH_x86)
#define FUTEX_NR 202
#elif defined(__TARGET_ARCH_arm64) || defined(__TARGET_ARCH_riscv)
#define FUTEX_NR 98
#else
#error "SYS_futex for this arch"
#endif

/* Load-time configuration, set by user space between open and load. */
const volatile __u32 targ_tgid = 0;
const volatile __u32 follow = 0;	 /* trace children of forked traced processes */
const volatile __u64 cpu_mask[ST_CPU_MASK_WORDS] = {};
/*
 * Timeline mode (--perfetto): records into the `events` ring buffer. A
 * load-time constant: with it off the verifier drops every emit, so the
 * summary mode pays nothing for it.
 */
const volatile __u32 timeline = 0;
/*
 * The syscall hooks are loaded (summary and timeline modes). Off (--light):
 * the verifier drops the switch handler's syscall bookkeeping too.
 */
const volatile __u32 syscalls = 1;
/*
 * --light: sched_switch is the only hook that needs a time, and __schedule()
 * has just updated rq->clock, so the slices use it and no clock is read (see
 * switch_now), except while a timeline records: its records carry the
 * monotonic clock.
 */
const volatile __u32 rq_clock_ts = 0;
/* The same while the syscall hooks are detached (sys_live == 0), in summary mode. */
const volatile __u32 rq_clock_unhooked = 0;

/*
 * The timeline's recording window, opened and closed by user space: a window
 * of the workload's own before the repeats (user/run.c), so the records' cost
 * stays out of the repeats.
 */
__u32 tl_enabled = 0;

/*
 * The syscall hooks and sched_waking are attached (user space clears it
 * before it detaches them between repeats; --light never has them). Off:
 *  - a thread that blocked inside a syscall while they were attached must
 *    not be taken for one on its way back from it: no sys_exit will close it;
 *  - the switch-in counts the wake-ups: task_struct.nvcsw moved since the
 *    thread's last switch-in, so it slept and was woken. Which CPU woke it
 *    is not known then. sched_waking's mere presence cost 0.035 of pinned
 *    pthread's time (1.075 vs 1.11 bare with --light), more than its body.
 */
__u32 sys_live = 0;

/*
 * trace --cgroup: the tasks of this cgroup v2 (its kernfs id, the inode of
 * its directory, at depth targ_cgroup_level) and of its descendants are
 * traced too, those that join later included; 0: off, and the verifier drops
 * the check. Read from the task itself: sched_switch's next and a wakee are
 * not the current task. (user/cgroup.c finds the id and the depth.)
 */
const volatile __u64 targ_cgroup_id = 0;
const volatile __u32 targ_cgroup_level = 0;
/* The collector's pid, never read here: tells concurrent instances' objects apart (user/bpf_census.c). */
const volatile __u32 collector_pid = 0;

/* Number of tgids in `tgids` (followed children). */
__u32 extra_tgids = 0;

struct tstate {
	__u64 off_ts;	 /* blocked inside the syscall in progress since, 0 when not */
	struct st_sys_progress sys; /* the syscall in progress, while off CPU */
	__u32 last_cpu;	 /* CPU of the last switch-in + 1, 0 unknown */
	__u32 waker_cpu; /* CPU that woke it + 1, 0 none pending */
	__u64 nvcsw_seen; /* task_struct.nvcsw + 1 at its last switch-in, 0 unknown (!sys_live) */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct tstate);
} task_state SEC(".maps");

/* raw_tp twin: per-thread state by tid. User space shrinks it to 1 entry when unused. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, struct tstate);
} tid_state SEC(".maps");

/* Followed child processes (tgid -> 1). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u32);
} tgids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct st_pcpu);
} pcpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct st_sys_table);
} sys_table SEC(".maps");

/* Sized by user space: a page when the timeline is off. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

static const struct tstate zero_tstate;

/*
 * The scheduler's own clock and enqueue stamp give the runqueue wait without
 * a clock read of ours: __schedule() updates rq->clock before it picks next
 * and fires sched_switch before context_switch() -> sched_info_switch()
 * consumes next->sched_info.last_queued (CONFIG_SCHED_INFO; set at enqueue,
 * at a wake-up or when a preempted task stays runnable). The wait is the
 * kernel's own run_delay (/proc/PID/schedstat), in sched_clock time. The rq
 * is reached through next's cfs_rq (CONFIG_FAIR_GROUP_SCHED): the runqueues
 * per-CPU symbol is not in kallsyms here.
 */

/* ---- helpers ------------------------------------------------------------ */

/* Reads a task field: direct (BTF pointer) in tp_btf, probe-read in raw_tp. */
#define TREAD(btf, task, field) ((btf) ? (task)->field : BPF_CORE_READ(task, field))

static __always_inline bool tgid_traced(__u32 tgid)
{
	if (tgid == targ_tgid)
		return true;
	if (!follow || !extra_tgids || tgid == 0)
		return false;
	return bpf_map_lookup_elem(&tgids, &tgid) != NULL;
}

/* Called only with targ_cgroup_id set (task_traced): nothing of it runs without --cgroup. */
static __noinline bool cgroup_traced(struct task_struct *task)
{
	__u32 lvl = targ_cgroup_level;
	struct cgroup *cg, *anc;

	if (!bpf_core_field_exists(struct cgroup, ancestors))
		return false;
	cg = BPF_CORE_READ(task, cgroups, dfl_cgrp);
	if (!cg || BPF_CORE_READ(cg, level) < (int)lvl)
		return false;
	if (bpf_probe_read_kernel(&anc, sizeof(anc),
				  (void *)cg + bpf_core_field_offset(struct cgroup, ancestors) + lvl * sizeof(anc)))
		return false;
	return anc && BPF_CORE_READ(anc, kn, id) == targ_cgroup_id;
}

static __always_inline bool task_traced(struct task_struct *task, __u32 tgid)
{
	return tgid_traced(tgid) || (targ_cgroup_id && cgroup_traced(task));
}

static __always_inline bool cpu_traced(__u32 cpu)
{
	if (cpu >= ST_MAX_CPUS)
		return false;
	return (cpu_mask[cpu / 64] >> (cpu % 64)) & 1;
}

static __always_inline struct st_pcpu *get_pcpu(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&pcpu, &zero);
}

/*
 * Per-thread state of task (tid). create: make it when missing; a failure is
 * counted as lost in c.
 */
static __always_inline struct tstate *get_tstate(bool btf, struct task_struct *task, __u32 tid,
						 bool create, struct st_counters *c)
{
	struct tstate *ts;

	if (btf) {
		ts = bpf_task_storage_get(&task_state, task, 0,
					  create ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
		if (!ts && create)
			c->stat[ST_LOST_STORAGE]++;
		return ts;
	}
	ts = bpf_map_lookup_elem(&tid_state, &tid);
	if (ts || !create)
		return ts;
	/* EEXIST is fine: another CPU created it first */
	bpf_map_update_elem(&tid_state, &tid, &zero_tstate, BPF_NOEXIST);
	ts = bpf_map_lookup_elem(&tid_state, &tid);
	if (!ts)
		c->stat[ST_LOST_MAP_UPDATE]++;
	return ts;
}

/* This CPU's runqueue, through next (about to run here: its cfs_rq is this CPU's). */
static __always_inline struct rq *this_rq_of(bool btf, struct task_struct *next)
{
	if (!bpf_core_field_exists(next->se.cfs_rq))
		return NULL; /* no CONFIG_FAIR_GROUP_SCHED */
	return btf ? next->se.cfs_rq->rq : BPF_CORE_READ(next, se.cfs_rq, rq);
}

/*
 * Runqueue wait of next ending at this switch-in, 0 when it was not queued.
 * *untimed: it was queued, but the rq clock has not moved since: a wake-up
 * that preempts the running thread asks __schedule() to skip its clock update
 * (rq_clock_skip_update), so the kernel's own run_delay counts no wait either.
 */
static __always_inline __u64 runq_wait(bool btf, struct task_struct *next, bool *untimed)
{
	struct rq *rq = this_rq_of(btf, next);
	__u64 queued, clock;

	*untimed = false;
	if (!rq || !bpf_core_field_exists(next->sched_info.last_queued))
		return 0; /* no CONFIG_SCHED_INFO */
	queued = TREAD(btf, next, sched_info.last_queued);
	clock = TREAD(btf, rq, clock);
	if (!queued)
		return 0;
	*untimed = clock <= queued;
	return clock > queued ? clock - queued : 0;
}

static __always_inline __u64 rq_clock_of(bool btf, struct task_struct *next)
{
	struct rq *rq = this_rq_of(btf, next);

	return rq ? TREAD(btf, rq, clock) : 0;
}

/*
 * The time of this sched_switch: bpf_ktime_get_ns(), or without syscall hooks
 * (--light, or summary repeats after the first) the rq clock __schedule()
 * updated before its pick (sched_clock time, per CPU monotonic; a boundary a
 * few hundred ns early, the same for every slice, so the partition still adds
 * up). One switch in 256 also reads the monotonic clock for the offset user
 * space needs to close the open slice.
 *
 * *end is the same instant on the clock the CPU's open stamps were taken
 * with: it differs from the return value only at the switch where the clock
 * changes, which reads both.
 */
static __always_inline __u64 switch_now(bool btf, struct st_pcpu *p, struct task_struct *next, __u64 *end,
					 bool mono)
{
	__u64 clk;

	if (mono || (!rq_clock_ts && !(rq_clock_unhooked && !sys_live))) {
		clk = bpf_ktime_get_ns();
		*end = clk;
		if (p->cs.rq_clk) { /* the hooks are back: from here on, monotonic stamps */
			*end = rq_clock_of(btf, next) ?: p->cs.slice_ts;
			p->cs.rq_clk = 0;
			p->cs.clock_off = 0;
		}
		return clk;
	}
	clk = rq_clock_of(btf, next);
	if (!clk)
		clk = p->cs.slice_ts; /* cannot happen with the field present: time stands still */
	*end = clk;
	if (!p->cs.rq_clk) {
		*end = bpf_ktime_get_ns();
		p->cs.clock_off = (__s64)(*end - clk);
		p->cs.rq_clk = 1;
	} else if ((p->cur.clk_n++ & 255) == 0) {
		p->cs.clock_off = (__s64)(bpf_ktime_get_ns() - clk);
	}
	return clk;
}

static __always_inline void hist_add(struct st_counters *c, int h, __u64 v)
{
	__u32 slot = st_hist_slot_of(v);

	barrier_var(slot); /* the mask below must be on the register used as index */
	slot &= ST_HIST_SLOTS - 1;
	if (h >= 0 && h < ST_NR_HISTS)
		c->hist[h][slot]++;
}

/* The timeline is recording: its window (user space sets tl_enabled around it). */
static __always_inline bool recording(void)
{
	return timeline && tl_enabled;
}

/*
 * One timeline record (see timeline.h), staged in this CPU's batch; a full
 * batch goes to the ring buffer in one bpf_ringbuf_output, without a wake-up
 * (the consumer drains on a timer). A batch that does not fit is counted as
 * lost, record by record. Callers emit only while recording().
 */
static __always_inline void emit(struct st_pcpu *p, __u64 ts, __u32 kind, __u32 tid, __u32 pid, __u32 other,
				 __s32 arg, __u64 arg2)
{
	struct st_tl_event *e;
	__u32 n;

	n = p->tl.n & (ST_TL_BATCH - 1);
	e = (struct st_tl_event *)p->tl.ev[n];
	e->ts = ts;
	e->cpu = bpf_get_smp_processor_id();
	e->kind = kind;
	e->tid = tid;
	e->pid = pid;
	e->other_tid = other;
	e->arg = arg;
	e->arg2 = arg2;
	if (++n < ST_TL_BATCH) {
		p->tl.n = n;
		return;
	}
	if (bpf_ringbuf_output(&events, p->tl.ev, sizeof(p->tl.ev), BPF_RB_NO_WAKEUP))
		p->c.stat[ST_LOST_RINGBUF] += ST_TL_BATCH;
	p->tl.n = 0;
}

/* Adds d to the time bucket kind (ST_NS_USER..ST_NS_IDLE); anything else is ignored. */
static __always_inline void charge(struct st_counters *c, __u32 kind, __u64 d)
{
	/* constant indices: a computed one loses its bounds check under clang-14 */
	switch (kind) {
	case ST_NS_USER: c->stat[ST_NS_USER] += d; break;
	case ST_NS_SYSCALL: c->stat[ST_NS_SYSCALL] += d; break;
	case ST_NS_SWITCH_PATH: c->stat[ST_NS_SWITCH_PATH] += d; break;
	case ST_NS_OTHER: c->stat[ST_NS_OTHER] += d; break;
	case ST_NS_IDLE: c->stat[ST_NS_IDLE] += d; break;
	}
}

/*
 * A slice boundary on a traced CPU: the slice that ends at `end` is charged,
 * one of kind `next` starts at `now` (the same instant; see switch_now).
 */
static __always_inline void slice_boundary(struct st_pcpu *p, __u64 end, __u64 now, __u32 next)
{
	if (p->cs.slice_ts && end > p->cs.slice_ts)
		charge(&p->c, p->cs.kind, end - p->cs.slice_ts);
	p->cs.slice_ts = now;
	p->cs.kind = next;
}

/*
 * A boundary inside the running traced thread's time: the open segment ends
 * at `end` (into its syscall sums, and into the CPU's slice or ELSEWHERE) and
 * one of kind `next` starts at `now`.
 */
static __always_inline void segment_boundary(struct st_pcpu *p, __u64 end, __u64 now, __u32 next)
{
	struct st_cur *cur = &p->cur;

	if (cur->seg_ts && end > cur->seg_ts) {
		__u64 d = end - cur->seg_ts;

		if (cur->sys.nr) {
			if (cur->seg_kind == ST_NS_SYSCALL)
				cur->sys.work_ns += d;
			else if (cur->seg_kind == ST_NS_SWITCH_PATH)
				cur->sys.sp_ns += d;
		}
		if (!cur->cpu_traced)
			p->c.stat[ST_NS_ELSEWHERE] += d;
	}
	if (cur->cpu_traced)
		slice_boundary(p, end, now, next);
	cur->seg_ts = now;
	cur->seg_kind = next;
}

/* ---- sched_switch ------------------------------------------------------- */

static __always_inline int handle_switch(bool btf, __u64 *ctx, bool preempt, struct task_struct *prev,
					 struct task_struct *next)
{
	__u32 prev_tgid = TREAD(btf, prev, tgid), next_tgid = TREAD(btf, next, tgid);
	bool prev_tr = task_traced(prev, prev_tgid), next_tr = task_traced(next, next_tgid);
	__u32 cpu = bpf_get_smp_processor_id();
	bool cpu_tr = cpu_traced(cpu);
	struct st_counters *c;
	struct st_pcpu *p;
	struct st_cur *cur;
	struct tstate *ts;
	__u32 next_kind;
	__u64 now, end, wait;
	bool untimed = false, rec;

	if (!prev_tr && !next_tr && !cpu_tr)
		return 0;
	p = get_pcpu();
	if (!p)
		return 0;
	c = &p->c;
	cur = &p->cur;
	c->stat[ST_EV_SWITCH]++;

	rec = recording(); /* one read of tl_enabled for this switch */
	now = end = 0;
	wait = next_tr ? runq_wait(btf, next, &untimed) : 0;
	if (rec) {
		__u32 st = preempt ? 0 : st_switch_prev_state(ctx, prev);
		/* next's wait rides in the high half: the runnable slice without sched_waking (--light) */
		__u64 w32 = wait < 0xffffffffULL ? wait : 0xffffffffULL;

		now = switch_now(btf, p, next, &end, true); /* records carry the monotonic clock */
		emit(p, now, ST_TL_SWITCH, TREAD(btf, prev, pid), prev_tgid, TREAD(btf, next, pid), (__s32)st,
		     next_tgid | w32 << 32);
	}

	if (!prev_tr && !next_tr) {
		/* two untraced tasks on a traced CPU: only idle <-> other matters */
		next_kind = TREAD(btf, next, pid) == 0 ? ST_NS_IDLE : ST_NS_OTHER;
		if (p->cs.kind != next_kind) {
			if (!rec)
				now = switch_now(btf, p, next, &end, false);
			slice_boundary(p, end, now, next_kind);
		}
		return 0;
	}

	if (!rec)
		now = switch_now(btf, p, next, &end, false);

	if (prev_tr) {
		__u32 prev_state = st_switch_prev_state(ctx, prev);
		bool voluntary = !preempt && prev_state != TASK_RUNNING;
		__u32 tid = TREAD(btf, prev, pid);

		/* ST_SWITCH_OUT is their sum, made by user space */
		c->stat[voluntary ? ST_SWITCH_OUT_VOLUNTARY : ST_SWITCH_OUT_PREEMPTED]++;
		if (cur->traced && cur->tid == tid) {
			segment_boundary(p, end, now, 0); /* the CPU's slice is re-opened below */
			if (cur->in_ts && end > cur->in_ts)
				hist_add(c, ST_HIST_ONCPU_SLICE, end - cur->in_ts);
			/*
			 * Only a thread inside a syscall leaves state behind (its
			 * switch-in cleared the saved syscall): a thread preempted in
			 * user space, as at the return of a waking call, costs no
			 * per-thread lookup here.
			 */
			if (syscalls && sys_live && cur->sys.nr && (ts = get_tstate(btf, prev, tid, true, c))) {
				ts->sys = cur->sys;
				ts->sys.switched = 1;
				if (voluntary) {
					ts->sys.blocked = 1;
					ts->off_ts = now;
				}
			}
		}
	}
	cur->traced = 0;

	if (next_tr) {
		__u32 tid = TREAD(btf, next, pid);
		__u64 w = wait;

		next_kind = ST_NS_USER;
		c->stat[ST_SWITCH_IN]++;
		if (untimed)
			c->stat[ST_RUNQ_WAIT_UNTIMED]++;
		cur->sys.nr = 0;
		ts = get_tstate(btf, next, tid, true, c);
		if (ts) {
			if (syscalls && sys_live && ts->sys.nr)
				next_kind = ts->sys.switched ? ST_NS_SWITCH_PATH : ST_NS_SYSCALL;
			if (ts->last_cpu && ts->last_cpu != cpu + 1)
				c->stat[ST_MIGRATIONS]++;
			if (w) {
				c->stat[ST_RUNQ_WAIT_NS] += w;
				c->stat[ST_RUNQ_WAIT_COUNT]++;
				if (w > c->stat[ST_RUNQ_WAIT_MAX_NS])
					c->stat[ST_RUNQ_WAIT_MAX_NS] = w;
				/* ST_HIST_RUNQ_WAIT is the sum of these two, made by user space */
				if (ts->last_cpu && ts->last_cpu != cpu + 1)
					hist_add(c, ST_HIST_RUNQ_WAIT_MIGRATED, w);
				else
					hist_add(c, ST_HIST_RUNQ_WAIT_LOCAL, w);
			}
			if (ts->waker_cpu && ts->waker_cpu != cpu + 1)
				c->stat[ST_WAKEUPS_CROSS_CPU]++;
			if (!sys_live) {
				/* nvcsw counts voluntary switch-outs: one since the last switch-in is a sleep, woken */
				__u64 nv = TREAD(btf, next, nvcsw) + 1;

				if (ts->nvcsw_seen && nv != ts->nvcsw_seen)
					c->stat[ST_WAKEUPS]++;
				ts->nvcsw_seen = nv;
			} else if (ts->nvcsw_seen) {
				ts->nvcsw_seen = 0; /* sched_waking counts; start afresh when it goes */
			}
			ts->waker_cpu = 0;
			ts->last_cpu = cpu + 1;
			if (syscalls) {
				if (sys_live) {
					if (ts->off_ts && now > ts->off_ts)
						ts->sys.blocked_ns += now - ts->off_ts;
					cur->sys = ts->sys;
				}
				ts->off_ts = 0;
				ts->sys.nr = 0;
			}
		}
		cur->traced = 1;
		cur->tid = tid;
		cur->tgid = next_tgid;
		cur->cpu_traced = cpu_tr;
		cur->seg_ts = now;
		cur->in_ts = now;
		cur->seg_kind = next_kind;
	} else {
		next_kind = TREAD(btf, next, pid) == 0 ? ST_NS_IDLE : ST_NS_OTHER;
	}

	/* the slice of prev ends (charged to its kind), the one of next begins */
	if (cpu_tr)
		slice_boundary(p, end, now, next_kind);
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(st_tp_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	return handle_switch(true, ctx, preempt, prev, next);
}

SEC("raw_tp/sched_switch")
int BPF_PROG(st_raw_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	return handle_switch(false, ctx, preempt, prev, next);
}

/* ---- wake-ups ------------------------------------------------------------ */

static __always_inline int handle_waking(bool btf, struct task_struct *p, bool new_task)
{
	struct st_pcpu *pc;
	struct tstate *ts;

	if (!task_traced(p, TREAD(btf, p, tgid)))
		return 0;
	pc = get_pcpu();
	if (!pc)
		return 0;
	pc->c.stat[ST_EV_WAKEUP]++;
	pc->c.stat[new_task ? ST_WAKEUPS_NEW : ST_WAKEUPS]++;
	if (recording()) {
		__u64 cur_id = bpf_get_current_pid_tgid();

		emit(pc, bpf_ktime_get_ns(), ST_TL_WAKEUP, (__u32)cur_id, cur_id >> 32, TREAD(btf, p, pid),
		     (__s32)st_task_cpu(btf, p), TREAD(btf, p, tgid));
	}
	/*
	 * Still queued: woken before it blocked (ttwu_runnable), no wake-up to
	 * record. Not task_struct.on_cpu: that stays set until the switch-out
	 * has finished, and a wake-up from another CPU often lands in between.
	 */
	if (TREAD(btf, p, on_rq))
		return 0;
	ts = get_tstate(btf, p, TREAD(btf, p, pid), true, &pc->c);
	if (!ts)
		return 0;
	ts->waker_cpu = bpf_get_smp_processor_id() + 1;
	return 0;
}

SEC("tp_btf/sched_waking")
int BPF_PROG(st_tp_waking, struct task_struct *p)
{
	return handle_waking(true, p, false);
}

SEC("raw_tp/sched_waking")
int BPF_PROG(st_raw_waking, struct task_struct *p)
{
	return handle_waking(false, p, false);
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(st_tp_wake_new, struct task_struct *p)
{
	return handle_waking(true, p, true);
}

SEC("raw_tp/sched_wakeup_new")
int BPF_PROG(st_raw_wake_new, struct task_struct *p)
{
	return handle_waking(false, p, true);
}

/* ---- migration, fork, exit ------------------------------------------------ */

static __always_inline int handle_migrate(bool btf, struct task_struct *p, int dest_cpu)
{
	__u32 tgid = TREAD(btf, p, tgid);
	struct st_pcpu *pc;

	if (!task_traced(p, tgid))
		return 0;
	pc = get_pcpu();
	if (!pc)
		return 0;
	pc->c.stat[ST_EV_MIGRATE]++;
	pc->c.stat[ST_MIGRATE_EVENTS]++;
	if (recording())
		emit(pc, bpf_ktime_get_ns(), ST_TL_MIGRATE, TREAD(btf, p, pid), tgid, 0, dest_cpu, st_task_cpu(btf, p));
	return 0;
}

SEC("tp_btf/sched_migrate_task")
int BPF_PROG(st_tp_migrate, struct task_struct *p, int dest_cpu)
{
	return handle_migrate(true, p, dest_cpu);
}

SEC("raw_tp/sched_migrate_task")
int BPF_PROG(st_raw_migrate, struct task_struct *p, int dest_cpu)
{
	return handle_migrate(false, p, dest_cpu);
}

static __always_inline int handle_fork(bool btf, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = TREAD(btf, parent, tgid), ctgid;
	struct st_pcpu *pc;
	__u32 one = 1;

	if (!task_traced(parent, ptgid))
		return 0;
	pc = get_pcpu();
	if (!pc)
		return 0;
	pc->c.stat[ST_EV_FORK_EXIT]++;
	ctgid = TREAD(btf, child, tgid);
	if (!follow || ctgid == ptgid)
		return 0; /* a new thread: same tgid, traced already */
	if (bpf_map_update_elem(&tgids, &ctgid, &one, BPF_ANY)) {
		pc->c.stat[ST_LOST_MAP_UPDATE]++;
		return 0;
	}
	__sync_fetch_and_add(&extra_tgids, 1);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(st_tp_fork, struct task_struct *parent, struct task_struct *child)
{
	return handle_fork(true, parent, child);
}

SEC("raw_tp/sched_process_fork")
int BPF_PROG(st_raw_fork, struct task_struct *parent, struct task_struct *child)
{
	return handle_fork(false, parent, child);
}

static __always_inline int handle_exit(bool btf, struct task_struct *p)
{
	struct st_pcpu *pc;

	if (!task_traced(p, TREAD(btf, p, tgid)))
		return 0;
	pc = get_pcpu();
	if (!pc)
		return 0;
	pc->c.stat[ST_EV_FORK_EXIT]++;
	pc->c.stat[ST_THREADS_EXITED]++;
	/*
	 * Task storage goes with the task. The tid hash entry of the raw_tp twin
	 * stays until the final switch-out has saved into it; it is small and
	 * preallocated, and a reused tid starts from a clean switch-in.
	 */
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(st_tp_exit, struct task_struct *p)
{
	return handle_exit(true, p);
}

SEC("raw_tp/sched_process_exit")
int BPF_PROG(st_raw_exit, struct task_struct *p)
{
	return handle_exit(false, p);
}

/* ---- raw_syscalls ----------------------------------------------------------- */

static __always_inline int handle_sys_enter(bool btf, struct pt_regs *regs, long id)
{
	struct st_pcpu *p;
	struct st_cur *cur;
	__u64 now;

	p = get_pcpu();
	/* not traced; or the CPU's stamps are still rq clock: the hooks were just attached (switch_now) */
	if (!p || !p->cur.traced || p->cs.rq_clk)
		return 0;
	cur = &p->cur;
	p->c.stat[ST_EV_SYS_ENTER]++; /* ST_SYSCALLS is the same count, made by user space */
	now = bpf_ktime_get_ns();
	segment_boundary(p, now, now, ST_NS_SYSCALL);
	cur->sys.sys_ts = now;
	cur->sys.nr = (__u32)id + 1;
	cur->sys.work_ns = 0;
	cur->sys.sp_ns = 0;
	cur->sys.blocked_ns = 0;
	cur->sys.switched = 0;
	cur->sys.blocked = 0;
	cur->sys.futex_cmd = 0;
	if ((__u32)id == FUTEX_NR) {
		int op = btf ? (int)PT_REGS_PARM2(regs) : (int)PT_REGS_PARM2_CORE(regs);
		__u32 cmd = op & FUTEX_CMD_MASK;

		cur->sys.futex_cmd = cmd > FUTEX_LAST_CMD ? ST_FUTEX_OP_OTHER : cmd;
		if (recording())
			emit(p, now, ST_TL_SYS_ENTER, cur->tid, cur->tgid, 0, (__s32)id, (__u64)(__s64)op);
	} else if (recording()) {
		emit(p, now, ST_TL_SYS_ENTER, cur->tid, cur->tgid, 0, (__s32)id, 0);
	}
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(st_tp_sys_enter, struct pt_regs *regs, long id)
{
	return handle_sys_enter(true, regs, id);
}

SEC("raw_tp/sys_enter")
int BPF_PROG(st_raw_sys_enter, struct pt_regs *regs, long id)
{
	return handle_sys_enter(false, regs, id);
}

static __always_inline void add_sys_stat(struct st_sys_stat *s, const struct st_sys_progress *sp)
{
	s->count++;
	s->work_ns += sp->work_ns;
	s->switch_path_ns += sp->sp_ns;
	if (sp->blocked) {
		s->blocked++;
		s->blocked_ns += sp->blocked_ns;
	}
}

static __always_inline int handle_sys_exit(long ret)
{
	struct st_sys_table *t;
	struct st_pcpu *p;
	struct st_cur *cur;
	__u32 nr, zero = 0;
	__u64 now;

	p = get_pcpu();
	if (!p || !p->cur.traced || p->cs.rq_clk)
		return 0;
	cur = &p->cur;
	p->c.stat[ST_EV_SYS_EXIT]++;
	now = bpf_ktime_get_ns();
	segment_boundary(p, now, now, ST_NS_USER);
	nr = cur->sys.nr;
	cur->sys.nr = 0;
	if (recording())
		emit(p, now, ST_TL_SYS_EXIT, cur->tid, cur->tgid, 0, (__s32)nr - 1, (__u64)ret);
	if (!nr)
		return 0; /* entered before we saw the thread */
	nr -= 1;
	if (now > cur->sys.sys_ts)
		hist_add(&p->c, ST_HIST_SYSCALL, now - cur->sys.sys_ts);
	t = bpf_map_lookup_elem(&sys_table, &zero);
	if (!t)
		return 0;
	/* futex by command only: user space sums the commands into sys[SYS_futex] */
	if (nr == FUTEX_NR)
		add_sys_stat(&t->futex[cur->sys.futex_cmd & (ST_FUTEX_OPS - 1)], &cur->sys);
	else if (nr < ST_MAX_SYSCALLS) {
		barrier_var(nr); /* clang-14 checks a copy: mask the index used (512 is a power of 2) */
		add_sys_stat(&t->sys[nr & (ST_MAX_SYSCALLS - 1)], &cur->sys);
	}
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(st_tp_sys_exit, struct pt_regs *regs, long ret)
{
	return handle_sys_exit(ret);
}

SEC("raw_tp/sys_exit")
int BPF_PROG(st_raw_sys_exit, struct pt_regs *regs, long ret)
{
	return handle_sys_exit(ret);
}
