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
 *                       wait ends (woken or preempted, see runq_account)
 *   sched_waking        a traced thread is being woken: counted, its wait
 *                       stamped, and the waker's CPU remembered (sched_wakeup
 *                       may run on the target CPU through the wake list IPI,
 *                       so it cannot say which CPU woke the thread); with the
 *                       detail hooks, a traced waker inside a syscall enters
 *                       the scheduler's work (try_to_wake_up) until ...
 *   sched_wakeup        ... the wake-up is done (enqueue, preemption check)
 *   sched_entry_tp      a traced thread enters __schedule() (>= 6.16) ...
 *   sched_exit_tp       ... and __schedule() returns in the thread that runs
 *   rseq_update         the thread's return to user after a switch-in
 *   sched_wakeup_new    a new traced thread is runnable for the first time
 *   sched_migrate_task  a traced thread was moved (counted)
 *   sched_process_fork  a traced process forked: its child is followed
 *   sched_process_exit  a traced thread exited
 *   sys_enter/sys_exit  (raw_syscalls) segment boundaries inside a slice and
 *                       the per-syscall / per-futex-command cost
 *   st_sample           (perf_event, user/collect/sampler.h) the witness: cpu-clock
 *                       samples of the traced CPUs by what ran, in which mode
 * The detail hooks (sys_enter/sys_exit, sched_wakeup, sched_entry_tp,
 * sched_exit_tp, rseq_update) are not loaded with --light (rodata syscalls =
 * 0 then also drops the switch handler's syscall bookkeeping) and are
 * detached in the repeats that borrow the detailed repeat's split (sys_live).
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
 * USER + SYSCALL + SCHED + RETURN + OTHER + IDLE:
 *   sys_enter ........................... SYSCALL
 *   sys_exit ............................ USER; RETURN when the thread switched
 *                                         out inside the call (its rseq
 *                                         notification runs on the way out)
 *   sched_waking (waker in a syscall) ... SCHED, back to the kind before at
 *                                         sched_wakeup
 *   sched_entry_tp ...................... SCHED (until the switch-out)
 *   switch-in of a traced thread ........ SCHED until sched_exit_tp (without
 *                                         the detail hooks: USER)
 *   sched_exit_tp ....................... SYSCALL inside a syscall; else
 *                                         RETURN (preempted on the way to user,
 *                                         or by an interrupt); the kind before
 *                                         when __schedule() kept the thread
 *   rseq_update (in RETURN) ............. USER
 *   switch-in of the idle task (pid 0) .. IDLE;  of any other task .. OTHER
 * Under PREEMPT_NONE a woken thread preempts its waker when the waker returns
 * to user mode, after sys_exit: that __schedule() is the scheduler's work,
 * not the waker's user code. Without sched_entry_tp/sched_exit_tp (before
 * 6.16) the switch-in of a thread blocked in a syscall is SCHED until its
 * sys_exit, and the report says those parts merge.
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
 * progress while off CPU, the start of its wait for a CPU): task local
 * storage in the tp_btf programs (cheapest here; it needs the BTF task
 * pointer), a hash keyed by tid in the raw_tp twins. A switch-out looks it up
 * only when the thread leaves inside a syscall (a switch-in clears the saved
 * syscall) or still runnable (its wait starts). Whether a wakee is still
 * queued (woken before it blocked) is task_struct.on_rq, unless EEVDF left it
 * there asleep (se.sched_delayed). No atomics anywhere on the hot path (one
 * cost ~40 ns in sched_waking here); user space sums over CPUs.
 *
 * Runqueue waits are stamped on the monotonic clock in every mode: at
 * sched_waking (woken) and at a runnable switch-out (preempted), ended at
 * the switch-in. The kernel's own enqueue stamp (sched_info.last_queued) was
 * tried and is not what it seems here: a woken thread's is taken at the
 * switch that picks it (perf sched: 0.35 us where the waits were 2.6 us),
 * and a preempted one's can come from a skipped rq clock update (p50 18%
 * over). Only the timeline's records still carry it (rq_wait).
 *
 * Timeline mode: one clock read per switch serves the record and the slices;
 * records are staged per CPU (st_pcpu.tl, after the counters) and written 32
 * at a time with one bpf_ringbuf_output, without wake-ups or queries; the
 * consumer (user/collect/tracer.c) drains the buffer every millisecond off the
 * traced CPUs and the staged rest at the end. The buffer is small (2 MiB) so
 * that the writes hit cache: with 32 MiB and a reserve per record, recording
 * pinned pthread cost 1.54x bare; batching alone 1.52x, without the ring
 * buffer writes at all 1.33x, 2 MiB batched 1.35-1.40x. The records' cost
 * runs inside these programs, so it would land in the kernel's buckets:
 * the timeline records a window of its own before the repeats (user/collect/run.c),
 * and outside it (recording() false) nothing is written and the stamps are
 * what they are without a timeline.
 *
 * Everything lost is counted: per-thread state that could not be created, map
 * updates that failed, ring buffer records (timeline mode) that did not fit.
 * Recursion misses are per program in bpf_prog_info.
 *
 * Syscall sampling (user/collect/run.c): `run` attaches sys_enter/sys_exit and
 * sched_waking for the first repeat only and detaches them at its end gate
 * (the later repeats are lean: see `lean`);
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
 * Timeline mode (--perfetto, --switches): records into the `events` ring buffer. A
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
 * of the workload's own before the repeats (user/collect/run.c), so the records' cost
 * stays out of the repeats.
 */
__u32 tl_enabled = 0;

/*
 * The detail hooks (the syscalls, sched_wakeup, __schedule()'s bracket and
 * rseq_update) are attached: user space clears it before it detaches them
 * between repeats; --light never has them. Off, a thread that blocked inside
 * a syscall while they were attached must not be taken for one on its way
 * back from it: no sys_exit will close it. sched_waking stays attached
 * (but in the lean repeats, below): it stamps each woken thread's wait (the
 * kernel's own enqueue stamp does not mark the wake-up on this kernel:
 * measured against perf sched, 0.35 us where the waits were 2.6 us).
 */
__u32 sys_live = 0;

/*
 * The lean repeats of `run` (user/collect/run.c: after the first, which had
 * every hook): sched_waking is detached too, and sched_switch only marks
 * where a CPU's time changes kind (traced, other task, idle): a traced thread
 * after a traced thread returns at once. Their switch counts come from the
 * kernel's own per-thread counters (/proc, user/collect/proc_switches.c);
 * their waits, wake-ups, migrations and on-CPU slices are the first repeat's
 * (st_breakdown_borrow_waits). What they measure is the switch cost,
 * perturbed as little as we can. Measured on pinned pthread (AMD EPYC KVM
 * guest, `make bench`, 7-15 rounds, ratio to bare): nothing attached 1.04;
 * every program attached but returning at once 1.14, of which the empty
 * sched_waking ~0.10 (its time in the waker moves EEVDF's preemption
 * decisions); sched_switch alone as the other repeats run it 1.21-1.26,
 * without its task storage lookups 1.16-1.19.
 */
__u32 lean = 0;

/*
 * sched_entry_tp and sched_exit_tp are loaded (kernels >= 6.16 have them):
 * __schedule() is bracketed and its time is the scheduler's. Without them
 * the time from a switch-in to the end of the syscall it blocked in reads
 * as scheduler work, and the report says the parts are merged.
 */
const volatile __u32 sched_hooks = 1;
/* rseq_update is loaded: it marks a thread's return to user after a switch-in. */
const volatile __u32 rseq_hook = 1;

/*
 * trace --cgroup: the tasks of this cgroup v2 (its kernfs id, the inode of
 * its directory, at depth targ_cgroup_level) and of its descendants are
 * traced too, those that join later included; 0: off, and the verifier drops
 * the check. Read from the task itself: sched_switch's next and a wakee are
 * not the current task. (user/collect/cgroup.c finds the id and the depth.)
 */
const volatile __u64 targ_cgroup_id = 0;
const volatile __u32 targ_cgroup_level = 0;
/* The collector's pid, never read here: tells concurrent instances' objects apart (user/collect/bpf_census.c). */
const volatile __u32 collector_pid = 0;

/* Number of tgids in `tgids` (followed children). */
__u32 extra_tgids = 0;

struct tstate {
	__u64 off_ts;	 /* blocked inside the syscall in progress since, 0 when not */
	struct st_sys_progress sys; /* the syscall in progress, while off CPU */
	__u32 last_cpu;	 /* CPU of the last switch-in + 1, 0 unknown */
	__u32 waker_cpu; /* CPU that woke it + 1, 0 none pending */
	/*
	 * With the detail hooks: ready since (monotonic), stamped by sched_waking
	 * (woken) or a runnable switch-out (preempted); 0 none pending.
	 */
	__u64 ready_ts;
	__u32 ready_woken; /* the stamp is a wake-up's */
	__u32 pad;
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

/* Traced threads that exited, by tid: their switch counts at exit (LRU: only the recent matter). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, ST_MAX_EXITED);
	__type(key, __u32);
	__type(value, struct st_exited_thread);
} exited SEC(".maps");

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

/* A window's maxima (schedtrace.h): user space zeroes them at the window's start. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct st_maxes);
} maxes SEC(".maps");

/* Other tasks' time on the traced CPUs, by pid (schedtrace.h): interference, named. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, ST_MAX_OTHERS);
	__type(key, __u32);
	__type(value, struct st_other_task);
} others SEC(".maps");

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
 * per-CPU symbol is not in kallsyms here. Used while the detail hooks are off
 * (they stamp the monotonic clock themselves, see tstate.ready_ts).
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
 * up). Now and then (sample_off) it also reads the monotonic clock for the
 * offset user space needs to close the open slice, and the runqueue waits
 * where the rq clock was not updated.
 *
 * *end is the same instant on the clock the CPU's open stamps were taken
 * with: it differs from the return value only at the switch where the clock
 * changes, which reads both.
 */
static __always_inline __u64 switch_now(bool btf, struct st_pcpu *p, struct task_struct *next, __u64 *end,
					 bool mono, bool sample_off)
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
		p->cur.clk_n = 0; /* this sample may be stale: take the next fresh one */
	} else if (sample_off && (p->cur.clk_n++ & 63) == 0) {
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

/* The window's maximum m (st_max_idx) takes v if larger. */
static __always_inline void max_of(int m, __u64 v)
{
	__u32 zero = 0;
	struct st_maxes *x = bpf_map_lookup_elem(&maxes, &zero);

	if (x && m >= 0 && m < ST_NR_MAXES && v > x->v[m])
		x->v[m] = v;
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
	case ST_NS_SCHED: c->stat[ST_NS_SCHED] += d; break;
	case ST_NS_RETURN: c->stat[ST_NS_RETURN] += d; break;
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
			else if (cur->seg_kind == ST_NS_SCHED)
				cur->sys.sched_ns += d;
		}
		if (!cur->cpu_traced)
			p->c.stat[ST_NS_ELSEWHERE] += d;
	}
	if (cur->cpu_traced)
		slice_boundary(p, end, now, next);
	cur->seg_ts = now;
	cur->seg_kind = next;
}

/*
 * The running traced thread's time goes to kind `next` from now on (a hook
 * of the detail set, which stamps the monotonic clock). Returns the time, 0
 * when this CPU's stamps are still rq clock: the hooks were just attached and
 * the CPU has not switched since (switch_now); the boundary is skipped then.
 */
static __always_inline __u64 mark(struct st_pcpu *p, __u32 next)
{
	__u64 now;

	if (p->cs.rq_clk)
		return 0;
	now = bpf_ktime_get_ns();
	segment_boundary(p, now, now, next);
	return now;
}

/* ---- sched_switch ------------------------------------------------------- */

/*
 * The OTHER slice that ends at `end` was prev's: its time goes to prev's
 * entry in `others`. A pid runs on one CPU at a time, so no atomics.
 */
static __always_inline void other_slice_ends(bool btf, struct st_pcpu *p, struct task_struct *prev, __u64 end)
{
	struct st_other_task *o, init = {};
	__u32 pid;

	if (p->cs.kind != ST_NS_OTHER || !p->cs.slice_ts || end <= p->cs.slice_ts)
		return;
	pid = TREAD(btf, prev, pid);
	if (!pid)
		return; /* an idle task's time is idle, not a task's */
	o = bpf_map_lookup_elem(&others, &pid);
	if (!o) {
		init.tgid = TREAD(btf, prev, tgid);
		BPF_CORE_READ_STR_INTO(&init.comm, prev, comm);
		bpf_map_update_elem(&others, &pid, &init, BPF_NOEXIST);
		o = bpf_map_lookup_elem(&others, &pid);
		if (!o) {
			p->c.stat[ST_LOST_MAP_UPDATE]++;
			return;
		}
	}
	o->ns += end - p->cs.slice_ts;
}

/*
 * next's runqueue wait ending now, into the class histograms and sums. A
 * woken thread's wait starts at its sched_waking, a preempted one's at its
 * runnable switch-out (ts.ready_ts, monotonic, in every mode).
 */
static __always_inline void runq_account(struct st_counters *c, __u64 w, bool woken, bool migrated)
{
	c->stat[woken ? ST_RUNQ_WOKEN_NS : ST_RUNQ_PREEMPTED_NS] += w;
	c->stat[woken ? ST_RUNQ_WOKEN_COUNT : ST_RUNQ_PREEMPTED_COUNT]++;
	max_of(woken ? ST_MAX_RUNQ_WOKEN : ST_MAX_RUNQ_PREEMPTED, w);
	hist_add(c, woken ? ST_HIST_RUNQ_WOKEN : ST_HIST_RUNQ_PREEMPTED, w);
	/* ST_HIST_RUNQ_WAIT is the sum of these two, made by user space */
	hist_add(c, migrated ? ST_HIST_RUNQ_WAIT_MIGRATED : ST_HIST_RUNQ_WAIT_LOCAL, w);
}

/*
 * The wait of next from the kernel's stamps, for the timeline's records (a
 * --light timeline draws a preempted thread's runnable slice from it): its
 * enqueue stamp (sched_info.last_queued) to this switch's rq clock. Where
 * that clock reads no later than the stamp it is stale: a wake-up that
 * preempts the running thread makes the switch it causes skip the rq clock
 * update (rq_clock_skip_update). Then this CPU's own clock is read instead,
 * less its offset to the rq clock (sampled where the rq clock is fresh, see
 * switch_now); *skipped says so. Returns 0 (and *queued false) when next was
 * not queued by a stamp. Not for the summary: on this kernel a woken
 * thread's stamp is taken at the switch that picks it, not at its wake-up
 * (perf sched: 0.35 us where the waits were 2.6 us), and a preempted one's
 * can come from a skipped update (p50s 18% over).
 */
static __always_inline __u64 rq_wait(bool btf, struct st_pcpu *p, struct task_struct *next, bool *queued,
				     bool *skipped)
{
	struct rq *rq = this_rq_of(btf, next);
	__u64 stamp, clock, mono;

	*queued = *skipped = false;
	if (!rq || !bpf_core_field_exists(next->sched_info.last_queued))
		return 0; /* no CONFIG_SCHED_INFO */
	stamp = TREAD(btf, next, sched_info.last_queued);
	if (!stamp)
		return 0;
	*queued = true;
	clock = TREAD(btf, rq, clock);
	if (clock > stamp)
		return clock - stamp;
	*skipped = true;
	mono = bpf_ktime_get_ns() - p->cs.clock_off;
	return mono > stamp ? mono - stamp : 0;
}

/* The monotonic clock, read once per switch at most (without the detail hooks the switch stamps rq clock). */
static __always_inline __u64 mono_of(__u64 *mono)
{
	if (!*mono)
		*mono = bpf_ktime_get_ns();
	return *mono;
}

/*
 * The timeline's record of this switch, which also reads the switch's time:
 * the monotonic clock (*end as switch_now says). next's wait rides in the
 * record's high half: the runnable slice without sched_waking (--light).
 */
static __always_inline __u64 record_switch(bool btf, struct st_pcpu *p, bool preempt, struct task_struct *prev,
					   struct task_struct *next, bool next_tr, __u32 prev_tgid, __u32 next_tgid,
					   __u32 prev_state, __u64 *end)
{
	bool queued = false, skipped = false;
	__u64 now, w32, wait = 0;

	/* without the detail hooks the kernel's stamps time the wait; a record carries it too */
	if (next_tr)
		wait = rq_wait(btf, p, next, &queued, &skipped);
	w32 = wait < 0xffffffffULL ? wait : 0xffffffffULL;
	now = switch_now(btf, p, next, end, true, false); /* records carry the monotonic clock */
	emit(p, now, ST_TL_SWITCH, TREAD(btf, prev, pid), prev_tgid, TREAD(btf, next, pid),
	     (__s32)(preempt ? 0 : prev_state), next_tgid | w32 << 32);
	return now;
}

/* Two untraced tasks on a traced CPU: idle <-> other, and each other task's own time. */
static __always_inline void untraced_switch(bool btf, struct st_pcpu *p, struct task_struct *prev,
					    struct task_struct *next, bool rec, __u64 now, __u64 end)
{
	__u32 next_kind = TREAD(btf, next, pid) == 0 ? ST_NS_IDLE : ST_NS_OTHER;

	if (p->cs.kind != next_kind || next_kind == ST_NS_OTHER) {
		if (!rec)
			now = switch_now(btf, p, next, &end, false, false);
		other_slice_ends(btf, p, prev, end);
		slice_boundary(p, end, now, next_kind);
		p->cs.other_pid = next_kind == ST_NS_OTHER ? TREAD(btf, next, pid) : 0;
	}
}

/*
 * What stays behind in the state of prev (tid), which leaves the CPU at `now`:
 * its syscall in progress, and the start of its wait when it is still runnable.
 */
static __always_inline void save_tstate(bool btf, struct st_pcpu *p, struct task_struct *prev, __u32 tid,
					bool voluntary, bool detail, bool rec, __u64 now, __u64 *mono)
{
	struct st_cur *cur = &p->cur;
	struct tstate *ts;

	/*
	 * State stays behind only for a thread inside a syscall (its
	 * switch-in clears the saved syscall) or one preempted (its
	 * wait starts now, on the monotonic clock: the kernel's own
	 * enqueue stamp can come from a skipped rq clock update,
	 * which put p50s 18% over perf sched's).
	 */
	if (((detail && cur->sys.nr) || !voluntary) && (ts = get_tstate(btf, prev, tid, true, &p->c))) {
		if (detail && cur->sys.nr) {
			ts->sys = cur->sys;
			ts->sys.switched = 1;
			if (voluntary) {
				ts->sys.blocked = 1;
				ts->off_ts = now;
			}
		}
		if (!voluntary) {
			ts->ready_ts = detail || rec ? now : mono_of(mono);
			ts->ready_woken = 0;
		}
	}
}

/* A traced prev leaves the CPU at `end`: its segment and on-CPU slice end. */
static __always_inline void traced_switch_out(bool btf, struct st_pcpu *p, struct task_struct *prev,
					      bool voluntary, bool detail, bool rec, __u64 now, __u64 end,
					      __u64 *mono)
{
	struct st_counters *c = &p->c;
	struct st_cur *cur = &p->cur;
	__u32 tid = TREAD(btf, prev, pid);

	/* ST_SWITCH_OUT is their sum, made by user space */
	c->stat[voluntary ? ST_SWITCH_OUT_VOLUNTARY : ST_SWITCH_OUT_PREEMPTED]++;
	/* lean: the segment began with an earlier traced thread (the switches between them returned at once) */
	if (cur->traced && (lean || cur->tid == tid)) {
		segment_boundary(p, end, now, 0); /* the CPU's slice is re-opened below */
		if (!lean && cur->in_ts && end > cur->in_ts) {
			hist_add(c, ST_HIST_ONCPU_SLICE, end - cur->in_ts);
			max_of(ST_MAX_ONCPU_SLICE, end - cur->in_ts);
		}
		if (!lean)
			save_tstate(btf, p, prev, tid, voluntary, detail, rec, now, mono);
	}
	/*
	 * raw_tp twin: an exiting thread's last switch-out frees its tid entry
	 * (task storage goes with the task by itself). Without it, 10,000
	 * threads a second fill the hash in a second and every later thread
	 * is a lost update. A thread preempted between exit_notify and its
	 * last switch starts again from a clean entry: at most one wait lost.
	 */
	if (!btf && BPF_CORE_READ(prev, exit_state))
		bpf_map_delete_elem(&tid_state, &tid);
}

/*
 * A traced next's state at its switch-in at `now`: its migration, its
 * runqueue wait ending, its syscall resumed. Returns the kind its segment
 * starts with (next_kind, or SCHED when it returns into a syscall without
 * sched_exit_tp).
 */
static __always_inline __u32 resume_tstate(struct st_pcpu *p, struct tstate *ts, __u32 cpu, bool detail,
					   bool rec, __u64 now, __u64 *mono, __u32 next_kind)
{
	struct st_counters *c = &p->c;
	struct st_cur *cur = &p->cur;
	bool migrated;

	migrated = ts->last_cpu && ts->last_cpu != cpu + 1;
	if (detail && ts->sys.nr && !sched_hooks)
		next_kind = ST_NS_SCHED; /* no sched_exit_tp: the rest of the call merges into it */
	if (migrated)
		c->stat[ST_MIGRATIONS]++;
	if (ts->waker_cpu && ts->waker_cpu != cpu + 1)
		c->stat[ST_WAKEUPS_CROSS_CPU]++;
	if (ts->ready_ts) {
		/* the stamps are monotonic; so is `now` with the detail hooks or a timeline */
		__u64 t = detail || rec ? now : mono_of(mono);

		runq_account(c, t > ts->ready_ts ? t - ts->ready_ts : 0, ts->ready_woken, migrated);
	} else {
		c->stat[ST_RUNQ_WAIT_UNTIMED]++;
	}
	ts->ready_ts = 0;
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
	return next_kind;
}

/* A traced next runs on the CPU from `now`: it becomes st_cur. Returns the kind of its first segment. */
static __always_inline __u32 traced_switch_in(bool btf, struct st_pcpu *p, struct task_struct *next,
					      __u32 next_tgid, __u32 cpu, bool cpu_tr, bool detail, bool rec,
					      __u64 now, __u64 *mono)
{
	struct st_cur *cur = &p->cur;
	__u32 tid = TREAD(btf, next, pid);
	__u32 next_kind;
	struct tstate *ts;

	/* in __schedule() until sched_exit_tp, with the detail hooks */
	next_kind = detail && sched_hooks ? ST_NS_SCHED : ST_NS_USER;
	p->c.stat[ST_SWITCH_IN]++;
	cur->sys.nr = 0;
	ts = lean ? NULL : get_tstate(btf, next, tid, true, &p->c);
	if (ts)
		next_kind = resume_tstate(p, ts, cpu, detail, rec, now, mono, next_kind);
	cur->traced = 1;
	cur->tid = tid;
	cur->tgid = next_tgid;
	cur->cpu_traced = cpu_tr;
	cur->seg_ts = now;
	cur->in_ts = now;
	cur->seg_kind = next_kind;
	/* read only where its readers run (sched_exit_tp, sys_exit): a probe read per switch-in in raw_tp */
	cur->has_rseq = detail && rseq_hook && TREAD(btf, next, rseq) != NULL;
	return next_kind;
}

/* On a traced CPU: the slice of prev ends (charged to its kind), the one of next begins. */
static __always_inline void switch_slices(bool btf, struct st_pcpu *p, struct task_struct *prev,
					  struct task_struct *next, bool prev_tr, __u32 next_kind, __u64 now,
					  __u64 end)
{
	if (!prev_tr)
		other_slice_ends(btf, p, prev, end);
	slice_boundary(p, end, now, next_kind);
	p->cs.other_pid = next_kind == ST_NS_OTHER ? TREAD(btf, next, pid) : 0;
}

static __always_inline int handle_switch(bool btf, __u64 *ctx, bool preempt, struct task_struct *prev,
					 struct task_struct *next)
{
	__u32 prev_tgid = TREAD(btf, prev, tgid), next_tgid = TREAD(btf, next, tgid);
	bool prev_tr = task_traced(prev, prev_tgid), next_tr = task_traced(next, next_tgid);
	__u32 cpu = bpf_get_smp_processor_id();
	bool cpu_tr = cpu_traced(cpu);
	bool detail, voluntary = false, rec;
	struct st_pcpu *p;
	__u32 next_kind, prev_state = 0;
	__u64 now, end, mono = 0;

	if (!prev_tr && !next_tr && !cpu_tr)
		return 0;
	/* lean: the CPU's time stays the traced threads' (counted by the kernel, read from /proc) */
	if (lean && prev_tr && next_tr)
		return 0;
	p = get_pcpu();
	if (!p)
		return 0;
	p->c.stat[ST_EV_SWITCH]++;
	detail = syscalls && sys_live;
	rec = recording(); /* one read of tl_enabled for this switch */
	if (prev_tr || rec) {
		prev_state = st_switch_prev_state(ctx, prev);
		voluntary = prev_tr && !preempt && prev_state != TASK_RUNNING;
	}

	now = end = 0;
	if (rec)
		now = record_switch(btf, p, preempt, prev, next, next_tr, prev_tgid, next_tgid, prev_state, &end);

	if (!prev_tr && !next_tr) {
		untraced_switch(btf, p, prev, next, rec, now, end);
		return 0;
	}

	if (!rec)
		/* the offset to the rq clock is sampled where it is fresh: a thread blocked, nothing skipped it */
		now = switch_now(btf, p, next, &end, false, voluntary);

	if (prev_tr)
		traced_switch_out(btf, p, prev, voluntary, detail, rec, now, end, &mono);
	p->cur.traced = 0;
	p->cur.waking = 0;

	if (next_tr)
		next_kind = traced_switch_in(btf, p, next, next_tgid, cpu, cpu_tr, detail, rec, now, &mono);
	else
		next_kind = TREAD(btf, next, pid) == 0 ? ST_NS_IDLE : ST_NS_OTHER;

	if (cpu_tr)
		switch_slices(btf, p, prev, next, prev_tr, next_kind, now, end);
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

/* ---- the scheduler's work: __schedule() and try_to_wake_up() --------------- */

/*
 * sched_entry_tp: a traced thread enters __schedule() (to block, or to give
 * the CPU up at a preemption point): its time is the scheduler's until it
 * switches out, and again from its switch-in to sched_exit_tp.
 */
static __always_inline int handle_sched_entry(void)
{
	struct st_pcpu *p = get_pcpu();

	if (!p || !p->cur.traced)
		return 0;
	p->c.stat[ST_EV_SCHED_ENTRY]++;
	p->cur.sched_resume = p->cur.waking ? p->cur.waking_resume : p->cur.seg_kind;
	p->cur.waking = 0; /* a wake-up still open (its sched_wakeup ran elsewhere) ends here */
	if (p->cur.seg_kind != ST_NS_SCHED)
		mark(p, ST_NS_SCHED);
	return 0;
}

SEC("tp_btf/sched_entry_tp")
int BPF_PROG(st_tp_sched_entry, bool preempt)
{
	return handle_sched_entry();
}

SEC("raw_tp/sched_entry_tp")
int BPF_PROG(st_raw_sched_entry, bool preempt)
{
	return handle_sched_entry();
}

/*
 * sched_exit_tp: __schedule() returns in the thread that runs now. Kept on
 * the CPU (is_switch false: it picked the same thread), back to what it was
 * doing. Switched in: back to its syscall's own work, or, outside a syscall
 * (preempted on its way to user space, or by an interrupt), the return path
 * until rseq_update marks the return to user (the switch-out set its rseq
 * notification). A thread without rseq has no such mark: its return path
 * reads as user.
 */
static __always_inline int handle_sched_exit(bool is_switch)
{
	struct st_pcpu *p = get_pcpu();
	__u32 next;

	if (!p || !p->cur.traced)
		return 0;
	p->c.stat[ST_EV_SCHED_EXIT]++;
	if (!is_switch)
		next = p->cur.sched_resume;
	else
		next = p->cur.sys.nr ? ST_NS_SYSCALL : rseq_hook && p->cur.has_rseq ? ST_NS_RETURN : ST_NS_USER;
	mark(p, next);
	return 0;
}

SEC("tp_btf/sched_exit_tp")
int BPF_PROG(st_tp_sched_exit, bool is_switch)
{
	return handle_sched_exit(is_switch);
}

SEC("raw_tp/sched_exit_tp")
int BPF_PROG(st_raw_sched_exit, bool is_switch)
{
	return handle_sched_exit(is_switch);
}

/* rseq_update: the thread is about to return to user space. */
static __always_inline int handle_rseq(void)
{
	struct st_pcpu *p = get_pcpu();

	if (!p || !p->cur.traced || p->cur.seg_kind != ST_NS_RETURN)
		return 0;
	p->c.stat[ST_EV_RSEQ]++;
	mark(p, ST_NS_USER);
	return 0;
}

SEC("tp_btf/rseq_update")
int BPF_PROG(st_tp_rseq, struct task_struct *t)
{
	return handle_rseq();
}

SEC("raw_tp/rseq_update")
int BPF_PROG(st_raw_rseq, struct task_struct *t)
{
	return handle_rseq();
}

/*
 * The wakee never stopped being runnable: it is on a runqueue, and not
 * merely left there asleep by EEVDF's delayed dequeue (6.12, commit
 * 152e11f6df29 "sched/fair: Implement delayed dequeue": a thread that blocks
 * with negative lag stays queued, sched_delayed set, until it is eligible).
 */
static __always_inline bool still_runnable(bool btf, struct task_struct *t)
{
	if (!TREAD(btf, t, on_rq))
		return false;
	if (bpf_core_field_exists(t->se.sched_delayed))
		return !TREAD(btf, t, se.sched_delayed);
	return true;
}

/*
 * sched_waking: a thread is being woken. Two jobs, either may apply:
 *  - the waker (the thread running here, inside a syscall) is traced: its time is the
 *    scheduler's until sched_wakeup closes the wake-up (enqueue, preemption
 *    check); a wake-up handed to the target CPU's wake list runs its
 *    sched_wakeup there, and the segment closes at this thread's next hook;
 *  - the wakee is traced: counted, its wait for a CPU starts (every mode),
 *    and the waker's CPU is remembered (sched_wakeup may run on the target
 *    CPU, so it cannot say which CPU woke the thread).
 */
static __always_inline int handle_waking(bool btf, struct task_struct *t, bool new_task)
{
	bool wakee_tr = task_traced(t, TREAD(btf, t, tgid));
	struct st_pcpu *pc = get_pcpu();
	struct tstate *ts;
	__u64 now = 0;
	bool waker;

	if (!pc)
		return 0;
	/*
	 * The waker's side needs the detail hooks (its sched_wakeup closes the
	 * segment) and a syscall in progress: a wake-up handed to another CPU
	 * leaves the segment open until the thread's next hook, which sys_exit
	 * bounds; an interrupt's wake-up of, say, a kworker while the thread runs
	 * user code would leave it open across the user code that follows.
	 */
	waker = pc->cur.traced && pc->cur.sys.nr && !new_task && syscalls && sys_live;
	if (!(wakee_tr || waker))
		return 0;
	pc->c.stat[ST_EV_WAKEUP]++;
	if (waker && pc->cur.seg_kind != ST_NS_SCHED) {
		pc->cur.waking_resume = pc->cur.seg_kind;
		now = mark(pc, ST_NS_SCHED);
		pc->cur.waking = now != 0;
	}
	if (!wakee_tr)
		return 0;
	pc->c.stat[new_task ? ST_WAKEUPS_NEW : ST_WAKEUPS]++;
	if (recording()) {
		__u64 cur_id = bpf_get_current_pid_tgid();

		emit(pc, now ?: bpf_ktime_get_ns(), ST_TL_WAKEUP, (__u32)cur_id, cur_id >> 32, TREAD(btf, t, pid),
		     (__s32)st_task_cpu(btf, t), TREAD(btf, t, tgid));
	}
	/*
	 * Still queued: woken before it blocked (ttwu_runnable), no wait to
	 * time. Not task_struct.on_cpu: that stays set until the switch-out
	 * has finished, and a wake-up from another CPU often lands in between.
	 */
	if (still_runnable(btf, t))
		return 0;
	ts = get_tstate(btf, t, TREAD(btf, t, pid), true, &pc->c);
	if (!ts)
		return 0;
	ts->waker_cpu = bpf_get_smp_processor_id() + 1;
	ts->ready_ts = now ?: bpf_ktime_get_ns();
	ts->ready_woken = 1;
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

/* sched_wakeup: the wake-up the thread running here began is done. */
static __always_inline int handle_wakeup(void)
{
	struct st_pcpu *p = get_pcpu();

	if (!p || !p->cur.traced || !p->cur.waking)
		return 0;
	p->c.stat[ST_EV_WAKEUP_DONE]++;
	p->cur.waking = 0;
	mark(p, p->cur.waking_resume);
	return 0;
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(st_tp_wakeup, struct task_struct *p)
{
	return handle_wakeup();
}

SEC("raw_tp/sched_wakeup")
int BPF_PROG(st_raw_wakeup, struct task_struct *p)
{
	return handle_wakeup();
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
	/* lean: the kernel's switch counts, which /proc forgets once the thread is released */
	if (lean) {
		struct st_exited_thread e = { TREAD(btf, p, nvcsw), TREAD(btf, p, nivcsw) };
		__u32 tid = TREAD(btf, p, pid);

		if (bpf_map_update_elem(&exited, &tid, &e, BPF_ANY))
			pc->c.stat[ST_LOST_MAP_UPDATE]++;
		/* raw_tp twin: its final switch-out may return at once (to a traced thread) and free nothing */
		if (!btf)
			bpf_map_delete_elem(&tid_state, &tid);
	}
	/*
	 * Task storage goes with the task. The tid hash entry of the raw_tp twin
	 * stays until the final switch-out, which saves into it and then frees
	 * it (traced_switch_out).
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
	cur->waking = 0;
	now = bpf_ktime_get_ns();
	segment_boundary(p, now, now, ST_NS_SYSCALL);
	cur->sys.sys_ts = now;
	cur->sys.nr = (__u32)id + 1;
	cur->sys.work_ns = 0;
	cur->sys.sched_ns = 0;
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
	s->sched_ns += sp->sched_ns;
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
	cur->waking = 0;
	now = bpf_ktime_get_ns();
	/*
	 * A thread that switched out inside the call has its rseq notification
	 * pending (prepare_task_switch sets it): on its way to user space it runs
	 * __rseq_handle_notify_resume first, until rseq_update. The witness's
	 * samples found that work in user time before this (27 of 257 kernel
	 * samples there, with the put_user/get_user it does).
	 */
	segment_boundary(p, now, now,
			 cur->sys.switched && rseq_hook && cur->has_rseq && sys_live ? ST_NS_RETURN : ST_NS_USER);
	nr = cur->sys.nr;
	cur->sys.nr = 0;
	if (recording())
		emit(p, now, ST_TL_SYS_EXIT, cur->tid, cur->tgid, 0, (__s32)nr - 1, (__u64)ret);
	if (!nr)
		return 0; /* entered before we saw the thread */
	nr -= 1;
	if (now > cur->sys.sys_ts) {
		hist_add(&p->c, ST_HIST_SYSCALL, now - cur->sys.sys_ts);
		max_of(ST_MAX_SYSCALL, now - cur->sys.sys_ts);
	}
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

/* ---- the witness: cpu-clock sampling --------------------------------------- */

/*
 * A low-rate cpu-clock perf event on each traced CPU (user space opens it)
 * runs this: what was on the CPU, and in which mode. Independent of every
 * hook above, it is the check on their labels: the share of a traced
 * thread's samples taken in user mode against the user share attributed.
 */
static __always_inline bool sample_user_mode(struct bpf_perf_event_data *ctx)
{
	/* the context allows whole 8-byte loads of the registers only (cs is 16 bits, FRED's layout) */
#if defined(__TARGET_ARCH_x86)
	__u64 cs = *(volatile __u64 *)((char *)&ctx->regs + offsetof(struct pt_regs, cs));

	return (cs & 3) == 3;
#elif defined(__TARGET_ARCH_arm64)
	__u64 pstate = *(volatile __u64 *)((char *)&ctx->regs + offsetof(struct user_pt_regs, pstate));

	return (pstate & 0xf) == 0; /* EL0t */
#else
#error "user mode from the sample's registers for this arch"
#endif
}

SEC("perf_event")
int st_sample(struct bpf_perf_event_data *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct st_pcpu *p;

	if (!cpu_traced(bpf_get_smp_processor_id()))
		return 0;
	p = get_pcpu();
	if (!p)
		return 0;
	p->c.stat[ST_EV_SAMPLE]++;
	if ((__u32)id == 0)
		p->c.stat[ST_SAMPLES_IDLE]++;
	else if (!p->cur.traced) /* set at a traced thread's switch-in: tgid, followed child or cgroup */
		p->c.stat[ST_SAMPLES_OTHER]++;
	else
		p->c.stat[sample_user_mode(ctx) ? ST_SAMPLES_USER : ST_SAMPLES_KERNEL]++;
	return 0;
}
