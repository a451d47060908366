// SPDX-License-Identifier: GPL-2.0
/*
 * schedtrace.bpf.c — where the time of a context switch goes, seen from the
 * kernel.
 *
 * Hooks (each a tp_btf program with a raw_tp twin sharing one always-inline
 * body; user space loads the tp_btf set and falls back to raw_tp when the
 * kernel refuses it; neither needs tracefs):
 *   sched_switch        closes the slice that ran on the CPU and opens the next
 *   sched_waking        a traced thread is being woken: runqueue wait starts,
 *                       the waker's CPU is remembered (waking runs in the
 *                       waker's context; sched_wakeup may run on the target
 *                       CPU through the wake list IPI, so it cannot say which
 *                       CPU woke the thread)
 *   sched_wakeup_new    a new traced thread is runnable for the first time
 *   sched_migrate_task  a traced thread was moved (counted)
 *   sched_process_fork  a traced process forked: its child is followed
 *   sched_process_exit  a traced thread exited
 *   sys_enter/sys_exit  (raw_syscalls) segment boundaries inside a slice and
 *                       the per-syscall / per-futex-command cost
 *
 * Filter first: every program compares the task's tgid with the .rodata
 * constant targ_tgid before touching any map. Children followed after a fork
 * live in a small hash that is consulted only when `follow` is set and a child
 * was actually added (a .bss count), so the common case is one compare.
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
 * Per-thread state (struct tstate): task local storage in the tp_btf programs
 * (cheapest here; it needs the BTF task pointer), a hash keyed by tid in the
 * raw_tp twins. Per-CPU arrays hold the counters and the syscall table: no
 * atomics, user space sums over CPUs.
 *
 * Everything lost is counted: per-thread state that could not be created, map
 * updates that failed. Recursion misses are per program in bpf_prog_info.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "core_fixes.bpf.h"
#include "hist.h"
#include "schedtrace.h"

char LICENSE[] SEC("license") = "GPL";

#define TASK_RUNNING 0

/* Load-time configuration, set by user space between open and load. */
const volatile __u32 targ_tgid = 0;
const volatile __u32 follow = 0;	 /* trace children of forked traced processes */
const volatile __u32 futex_nr = 202;	 /* SYS_futex of this arch */
const volatile __u32 trace_syscalls = 1; /* 0: sys_enter/sys_exit return at once */
const volatile __u64 cpu_mask[ST_CPU_MASK_WORDS] = {};

/* Number of tgids in `tgids` (followed children). */
__u32 extra_tgids = 0;

struct tstate {
	__u64 seg_ts;	     /* start of the current on-CPU segment, 0 unknown */
	__u64 in_ts;	     /* switch-in time (on-CPU slice histogram) */
	__u64 wait_ts;	     /* runnable but not running since, 0 when not waiting */
	__u64 sys_ts;	     /* sys_enter of the call in progress */
	__u64 off_ts;	     /* switched out voluntarily inside the call, 0 when not */
	__u64 work_ns;	     /* this call: on CPU before it switched out */
	__u64 sp_ns;	     /* this call: on CPU after it switched back in */
	__u64 blocked_ns;    /* this call: off CPU after blocking */
	__u32 seg_kind;	     /* ST_NS_USER / _SYSCALL / _SWITCH_PATH */
	__u32 sys_nr;	     /* call in progress + 1, 0 outside a syscall */
	__u32 futex_cmd;
	__u32 last_cpu;	     /* CPU of the last switch-in + 1, 0 unknown */
	__u32 waker_cpu;     /* CPU that woke it + 1, 0 none pending */
	__u8 on_cpu;
	__u8 switched;	     /* switched out inside the current call */
	__u8 blocked;	     /* ... voluntarily */
	__u8 pad;
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
	__type(value, struct st_counters);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct st_sys_table);
} sys_table SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct st_cpu_state);
} cpu_state SEC(".maps");

static const struct tstate zero_tstate;

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

static __always_inline bool cpu_traced(__u32 cpu)
{
	if (cpu >= ST_MAX_CPUS)
		return false;
	return (cpu_mask[cpu / 64] >> (cpu % 64)) & 1;
}

static __always_inline struct st_counters *get_counters(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&counters, &zero);
}

static __always_inline struct st_cpu_state *get_cpu_state(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&cpu_state, &zero);
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
		if (!ts && create && c)
			c->stat[ST_LOST_STORAGE]++;
		return ts;
	}
	ts = bpf_map_lookup_elem(&tid_state, &tid);
	if (ts || !create)
		return ts;
	if (bpf_map_update_elem(&tid_state, &tid, &zero_tstate, BPF_NOEXIST) &&
	    bpf_map_lookup_elem(&tid_state, &tid) == NULL) {
		if (c)
			c->stat[ST_LOST_MAP_UPDATE]++;
		return NULL;
	}
	ts = bpf_map_lookup_elem(&tid_state, &tid);
	if (!ts && c)
		c->stat[ST_LOST_STORAGE]++;
	return ts;
}

static __always_inline void hist_add(struct st_counters *c, int h, __u64 v)
{
	__u32 slot = st_hist_slot_of(v);

	barrier_var(slot); /* the mask below must be on the register used as index */
	slot &= ST_HIST_SLOTS - 1;
	if (h >= 0 && h < ST_NR_HISTS)
		c->hist[h][slot]++;
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
 * A segment boundary at now on this CPU: charge the slice that ends, start
 * one of kind `next` (0: stop accounting on this CPU). On CPUs outside the
 * mask only a traced thread's own segment counts, as ELSEWHERE.
 */
static __always_inline void boundary(struct st_counters *c, struct st_cpu_state *cs, bool on_traced_cpu,
				     struct tstate *ts, __u64 now, __u32 next)
{
	if (on_traced_cpu) {
		if (cs) {
			if (cs->slice_ts && now > cs->slice_ts)
				charge(c, cs->kind, now - cs->slice_ts);
			cs->slice_ts = now;
			cs->kind = next;
		}
	} else if (ts && ts->on_cpu && ts->seg_ts && now > ts->seg_ts) {
		c->stat[ST_NS_ELSEWHERE] += now - ts->seg_ts;
	}
}

/* Closes the current segment of a running traced thread into its syscall sums. */
static __always_inline void close_segment(struct tstate *ts, __u64 now)
{
	__u64 d;

	if (!ts->sys_nr || !ts->seg_ts || now <= ts->seg_ts)
		return;
	d = now - ts->seg_ts;
	if (ts->seg_kind == ST_NS_SYSCALL)
		ts->work_ns += d;
	else if (ts->seg_kind == ST_NS_SWITCH_PATH)
		ts->sp_ns += d;
}

/* ---- sched_switch ------------------------------------------------------- */

static __always_inline int handle_switch(bool btf, __u64 *ctx, bool preempt, struct task_struct *prev,
					 struct task_struct *next)
{
	__u32 prev_tgid = TREAD(btf, prev, tgid), next_tgid = TREAD(btf, next, tgid);
	bool prev_tr = tgid_traced(prev_tgid), next_tr = tgid_traced(next_tgid);
	__u32 cpu = bpf_get_smp_processor_id();
	bool cpu_tr = cpu_traced(cpu);
	struct st_cpu_state *cs = NULL;
	struct tstate *ps = NULL, *ns = NULL;
	struct st_counters *c;
	__u32 next_kind;
	__u64 now;

	if (!prev_tr && !next_tr && !cpu_tr)
		return 0;
	c = get_counters();
	if (!c)
		return 0;
	c->stat[ST_EV_SWITCH]++;
	if (cpu_tr) {
		cs = get_cpu_state();
		if (!cs)
			return 0;
	}

	if (!prev_tr && !next_tr) {
		/* two untraced tasks on a traced CPU: only idle <-> other matters */
		next_kind = TREAD(btf, next, pid) == 0 ? ST_NS_IDLE : ST_NS_OTHER;
		if (cs && cs->kind == next_kind)
			return 0;
		boundary(c, cs, true, NULL, bpf_ktime_get_ns(), next_kind);
		return 0;
	}

	now = bpf_ktime_get_ns();

	if (prev_tr) {
		__u32 prev_state = st_switch_prev_state(ctx, prev);
		bool voluntary = !preempt && prev_state != TASK_RUNNING;

		c->stat[ST_SWITCH_OUT]++;
		c->stat[voluntary ? ST_SWITCH_OUT_VOLUNTARY : ST_SWITCH_OUT_PREEMPTED]++;
		ps = get_tstate(btf, prev, TREAD(btf, prev, pid), false, c);
		if (ps) {
			close_segment(ps, now);
			if (ps->in_ts && now > ps->in_ts)
				hist_add(c, ST_HIST_ONCPU_SLICE, now - ps->in_ts);
			if (ps->sys_nr) {
				ps->switched = 1;
				if (voluntary) {
					ps->blocked = 1;
					ps->off_ts = now;
				}
			}
			if (!voluntary)
				ps->wait_ts = now; /* still runnable: waits on the runqueue */
		}
	}

	if (next_tr) {
		ns = get_tstate(btf, next, TREAD(btf, next, pid), true, c);
		next_kind = ST_NS_USER;
		c->stat[ST_SWITCH_IN]++;
		if (ns) {
			if (ns->sys_nr)
				next_kind = ns->switched ? ST_NS_SWITCH_PATH : ST_NS_SYSCALL;
			if (ns->last_cpu && ns->last_cpu != cpu + 1)
				c->stat[ST_MIGRATIONS]++;
			if (ns->wait_ts && now > ns->wait_ts) {
				__u64 w = now - ns->wait_ts;

				c->stat[ST_RUNQ_WAIT_NS] += w;
				c->stat[ST_RUNQ_WAIT_COUNT]++;
				if (w > c->stat[ST_RUNQ_WAIT_MAX_NS])
					c->stat[ST_RUNQ_WAIT_MAX_NS] = w;
				hist_add(c, ST_HIST_RUNQ_WAIT, w);
				if (ns->last_cpu && ns->last_cpu != cpu + 1)
					hist_add(c, ST_HIST_RUNQ_WAIT_MIGRATED, w);
				else
					hist_add(c, ST_HIST_RUNQ_WAIT_LOCAL, w);
			}
			if (ns->waker_cpu && ns->waker_cpu != cpu + 1)
				c->stat[ST_WAKEUPS_CROSS_CPU]++;
			if (ns->off_ts && now > ns->off_ts)
				ns->blocked_ns += now - ns->off_ts;
			ns->off_ts = 0;
			ns->wait_ts = 0;
			ns->waker_cpu = 0;
		}
	} else {
		next_kind = TREAD(btf, next, pid) == 0 ? ST_NS_IDLE : ST_NS_OTHER;
	}

	/* the slice of prev ends (charged to its kind), the one of next begins */
	boundary(c, cs, cpu_tr, ps, now, next_kind);
	if (ps)
		ps->on_cpu = 0;
	if (ns) {
		ns->on_cpu = 1;
		ns->seg_ts = now;
		ns->in_ts = now;
		ns->seg_kind = next_kind;
		ns->last_cpu = cpu + 1;
	}
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
	struct st_counters *c;
	struct tstate *ts;

	if (!tgid_traced(TREAD(btf, p, tgid)))
		return 0;
	c = get_counters();
	if (!c)
		return 0;
	c->stat[ST_EV_WAKEUP]++;
	c->stat[new_task ? ST_WAKEUPS_NEW : ST_WAKEUPS]++;
	ts = get_tstate(btf, p, TREAD(btf, p, pid), true, c);
	if (!ts || ts->on_cpu)
		return 0; /* woken before it got off its CPU: no runqueue wait */
	if (!ts->wait_ts)
		ts->wait_ts = bpf_ktime_get_ns();
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

static __always_inline int handle_migrate(bool btf, struct task_struct *p)
{
	struct st_counters *c;

	if (!tgid_traced(TREAD(btf, p, tgid)))
		return 0;
	c = get_counters();
	if (!c)
		return 0;
	c->stat[ST_EV_MIGRATE]++;
	c->stat[ST_MIGRATE_EVENTS]++;
	return 0;
}

SEC("tp_btf/sched_migrate_task")
int BPF_PROG(st_tp_migrate, struct task_struct *p)
{
	return handle_migrate(true, p);
}

SEC("raw_tp/sched_migrate_task")
int BPF_PROG(st_raw_migrate, struct task_struct *p)
{
	return handle_migrate(false, p);
}

static __always_inline int handle_fork(bool btf, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = TREAD(btf, parent, tgid), ctgid;
	struct st_counters *c;
	__u32 one = 1;

	if (!tgid_traced(ptgid))
		return 0;
	c = get_counters();
	if (!c)
		return 0;
	c->stat[ST_EV_FORK_EXIT]++;
	ctgid = TREAD(btf, child, tgid);
	if (!follow || ctgid == ptgid)
		return 0; /* a new thread: same tgid, traced already */
	if (bpf_map_update_elem(&tgids, &ctgid, &one, BPF_ANY)) {
		c->stat[ST_LOST_MAP_UPDATE]++;
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
	__u32 tid = TREAD(btf, p, pid);
	struct st_counters *c;

	if (!tgid_traced(TREAD(btf, p, tgid)))
		return 0;
	c = get_counters();
	if (!c)
		return 0;
	c->stat[ST_EV_FORK_EXIT]++;
	c->stat[ST_THREADS_EXITED]++;
	/* task storage goes with the task; the tid hash must be cleaned up */
	if (!btf)
		bpf_map_delete_elem(&tid_state, &tid);
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
	struct task_struct *task = NULL;
	struct st_cpu_state *cs = NULL;
	struct st_counters *c;
	struct tstate *ts;
	__u32 tgid, tid, cpu;
	bool cpu_tr;
	__u64 now;

	if (!trace_syscalls)
		return 0;
	if (btf) {
		task = bpf_get_current_task_btf();
		tgid = task->tgid;
		tid = task->pid;
	} else {
		__u64 pid_tgid = bpf_get_current_pid_tgid();

		tgid = pid_tgid >> 32;
		tid = (__u32)pid_tgid;
	}
	if (!tgid_traced(tgid))
		return 0;
	c = get_counters();
	if (!c)
		return 0;
	c->stat[ST_EV_SYS_ENTER]++;
	c->stat[ST_SYSCALLS]++;
	ts = get_tstate(btf, task, tid, true, c);
	now = bpf_ktime_get_ns();
	cpu = bpf_get_smp_processor_id();
	cpu_tr = cpu_traced(cpu);
	if (cpu_tr)
		cs = get_cpu_state();
	boundary(c, cs, cpu_tr, ts, now, ST_NS_SYSCALL);
	if (!ts)
		return 0;
	ts->on_cpu = 1;
	ts->seg_ts = now;
	ts->seg_kind = ST_NS_SYSCALL;
	ts->sys_ts = now;
	ts->sys_nr = (__u32)id + 1;
	ts->futex_cmd = 0;
	if ((__u32)id == futex_nr) {
		int op = btf ? (int)PT_REGS_PARM2(regs) : (int)PT_REGS_PARM2_CORE(regs);

		ts->futex_cmd = op & 127; /* FUTEX_CMD_MASK */
	}
	ts->work_ns = 0;
	ts->sp_ns = 0;
	ts->blocked_ns = 0;
	ts->off_ts = 0;
	ts->switched = 0;
	ts->blocked = 0;
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

static __always_inline void add_sys_stat(struct st_sys_stat *s, struct tstate *ts)
{
	s->count++;
	s->work_ns += ts->work_ns;
	s->switch_path_ns += ts->sp_ns;
	if (ts->blocked) {
		s->blocked++;
		s->blocked_ns += ts->blocked_ns;
	}
}

static __always_inline int handle_sys_exit(bool btf)
{
	struct task_struct *task = NULL;
	struct st_cpu_state *cs = NULL;
	struct st_sys_table *t;
	struct st_counters *c;
	struct tstate *ts;
	__u32 tgid, tid, cpu, nr, zero = 0;
	bool cpu_tr;
	__u64 now;

	if (!trace_syscalls)
		return 0;
	if (btf) {
		task = bpf_get_current_task_btf();
		tgid = task->tgid;
		tid = task->pid;
	} else {
		__u64 pid_tgid = bpf_get_current_pid_tgid();

		tgid = pid_tgid >> 32;
		tid = (__u32)pid_tgid;
	}
	if (!tgid_traced(tgid))
		return 0;
	c = get_counters();
	if (!c)
		return 0;
	c->stat[ST_EV_SYS_EXIT]++;
	ts = get_tstate(btf, task, tid, true, c);
	now = bpf_ktime_get_ns();
	cpu = bpf_get_smp_processor_id();
	cpu_tr = cpu_traced(cpu);
	if (cpu_tr)
		cs = get_cpu_state();
	boundary(c, cs, cpu_tr, ts, now, ST_NS_USER);
	if (!ts)
		return 0;
	nr = ts->sys_nr;
	if (nr) {
		close_segment(ts, now);
		nr -= 1;
		if (ts->sys_ts && now > ts->sys_ts)
			hist_add(c, ST_HIST_SYSCALL, now - ts->sys_ts);
		t = bpf_map_lookup_elem(&sys_table, &zero);
		if (t) {
			if (nr < ST_MAX_SYSCALLS)
				add_sys_stat(&t->sys[nr], ts);
			if (nr == futex_nr) {
				__u32 cmd = ts->futex_cmd;

				if (cmd > 13) /* FUTEX_LOCK_PI2 is the last command */
					cmd = ST_FUTEX_OP_OTHER;
				add_sys_stat(&t->futex[cmd & (ST_FUTEX_OPS - 1)], ts);
			}
		}
	}
	ts->on_cpu = 1;
	ts->sys_nr = 0;
	ts->seg_ts = now;
	ts->seg_kind = ST_NS_USER;
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(st_tp_sys_exit, struct pt_regs *regs, long ret)
{
	return handle_sys_exit(true);
}

SEC("raw_tp/sys_exit")
int BPF_PROG(st_raw_sys_exit, struct pt_regs *regs, long ret)
{
	return handle_sys_exit(false);
}
