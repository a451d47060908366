// SPDX-License-Identifier: GPL-2.0
/*
 * attribute.c — from two counter snapshots, the calibration and what the
 * workload measured, to where one switch's time went (struct st_breakdown).
 *
 * CPU-time view. Between the snapshots the kernel side charges every ns of
 * every traced CPU to exactly one of ST_NS_USER, _SYSCALL, _SWITCH_PATH,
 * _OTHER, _IDLE (bpf/schedtrace.h). Two costs hide inside those buckets and
 * are moved out here:
 *  - the mode switch (user<->kernel entry and exit) happens outside the
 *    syscall tracepoints, so the kernel side sees it as user time; it is
 *    charged per syscall from the calibration and taken out of user;
 *  - each probe runs inside some bucket; events x calibrated cost per event
 *    is the tracer estimate, taken out of the bucket the probe runs in.
 * Everything is divided by the number of switches: the workload's count, or
 * the kernel's switch-outs in trace mode.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <asm/unistd.h>
#include "attribute.h"
#include "latency.h"
#include "names.h"
#include "stats.h"

_Static_assert(ST_NR_STATS - ST_LOST_STORAGE <= ST_LOST_KINDS,
	       "every ST_LOST_* counter needs a slot in st_breakdown.lost_by_kind");

static __u64 stat_delta(const struct st_snapshot *b, const struct st_snapshot *a, int i)
{
	/* counters only grow; a smaller value means the snapshots were swapped or reset */
	return a->c.stat[i] >= b->c.stat[i] ? a->c.stat[i] - b->c.stat[i] : 0;
}

static __u64 u64_delta(__u64 before, __u64 after)
{
	return after >= before ? after - before : 0;
}

/* The buckets the probes' run time physically lands in. */
enum bucket { B_USER, B_SYSCALL, B_SCHED, B_RETURN, NR_BUCKETS };

/*
 * The syscall probes are charged as a pair (syscall_probes below), the
 * others where they run: each program reads the clock early, so its time
 * goes to the segment it opens.
 */
static const struct {
	int ev;
	enum bucket in;
} probe_bucket[] = {
	{ ST_EV_SWITCH, B_SCHED },	 /* sched_switch, inside __schedule() */
	{ ST_EV_WAKEUP, B_SCHED },	 /* sched_waking opens the waker's scheduler segment */
	{ ST_EV_WAKEUP_DONE, B_SCHED },	 /* sched_wakeup, still inside try_to_wake_up() */
	{ ST_EV_SCHED_ENTRY, B_SCHED },	 /* opens __schedule()'s segment */
	{ ST_EV_SCHED_EXIT, B_SCHED },	 /* at __schedule()'s end */
	{ ST_EV_MIGRATE, B_SCHED },	 /* sched_migrate_task, in the scheduler */
	{ ST_EV_RSEQ, B_RETURN },	 /* on the way back to user */
	{ ST_EV_FORK_EXIT, B_SYSCALL },	 /* clone and exit are syscalls */
};

static double clamp0(double v)
{
	return v > 0 ? v : 0;
}

/*
 * The buckets partition the CPU time between the two snapshots, so the
 * unexplained rest is small. What remains: the snapshots bracket the
 * workload's window at each gate (gates_ns: counted in the buckets, not in
 * the window; ~0.1 ms a gate on a KVM guest), the clamping, and calibration
 * error in the mode-switch and probe costs.
 */
static void close_breakdown(struct st_breakdown *b)
{
	b->unexplained = b->ns_per_switch * b->nr_cpus -
			 (b->user + b->mode_switch + b->syscall_work + b->sched_work + b->return_path +
			  b->other_tasks + b->idle + b->tracer);
	b->corrected_ns_per_switch = b->ns_per_switch - b->tracer / b->nr_cpus;
}

/*
 * sys_enter and sys_exit, per syscall: the part of their cost that runs
 * between sys_enter's clock read and sys_exit's (calibrated as the traced
 * time of a no-work syscall) sits in the kernel bucket; the rest, before
 * sys_enter's read and after sys_exit's, in the user bucket. Returns their
 * whole cost.
 */
static double syscall_probes(const struct st_snapshot *bf, const struct st_snapshot *af,
			     const struct st_calibration *cal, double *bucket)
{
	double enters = (double)stat_delta(bf, af, ST_EV_SYS_ENTER), exits = (double)stat_delta(bf, af, ST_EV_SYS_EXIT);
	double whole = enters * cal->probe_ns[ST_EV_SYS_ENTER] + exits * cal->probe_ns[ST_EV_SYS_EXIT];
	double inside = (enters < exits ? enters : exits) * cal->syscall_probe_in_ns;

	if (inside > whole)
		inside = whole;
	bucket[B_SYSCALL] -= inside;
	bucket[B_USER] -= whole - inside;
	return whole;
}

static void cpu_time(const struct st_snapshot *bf, const struct st_snapshot *af,
		     const struct st_calibration *cal, double per, struct st_breakdown *b)
{
	double bucket[NR_BUCKETS], tracer = 0, clamped = 0;
	bool unsplit;

	bucket[B_USER] = (double)stat_delta(bf, af, ST_NS_USER);
	bucket[B_SYSCALL] = (double)stat_delta(bf, af, ST_NS_SYSCALL);
	bucket[B_SCHED] = (double)stat_delta(bf, af, ST_NS_SCHED);
	bucket[B_RETURN] = (double)stat_delta(bf, af, ST_NS_RETURN);

	/* every syscall counts, also those on CPUs outside the set (rare: the workload is pinned) */
	b->mode_switch = (double)stat_delta(bf, af, ST_SYSCALLS) * cal->mode_switch_ns;
	bucket[B_USER] -= b->mode_switch;

	/*
	 * Without the detail hooks (a repeat that borrows the split, --light,
	 * or a workload that never entered the kernel) the threads' time is
	 * not split: all of it reads as user, and that is where every probe's
	 * cost is taken from.
	 */
	unsplit = stat_delta(bf, af, ST_EV_SYS_ENTER) == 0 && stat_delta(bf, af, ST_EV_SYS_EXIT) == 0 &&
		  bucket[B_SYSCALL] == 0 && bucket[B_SCHED] == 0 && bucket[B_RETURN] == 0;
	tracer += syscall_probes(bf, af, cal, bucket);
	for (size_t i = 0; i < sizeof(probe_bucket) / sizeof(probe_bucket[0]); i++) {
		int ev = probe_bucket[i].ev;
		/* without the detail hooks the scheduler probes cost otherwise (calibrate.h) */
		double per_ev = unsplit && cal->probe_alone_ns[ev] > 0 ? cal->probe_alone_ns[ev] : cal->probe_ns[ev];
		double cost = (double)stat_delta(bf, af, ev) * per_ev;

		tracer += cost;
		bucket[unsplit ? B_USER : probe_bucket[i].in] -= cost;
	}

	/*
	 * A calibration that overestimates can take a bucket below zero; it is
	 * clamped, and the excess shows up as negative unexplained time.
	 */
	for (int k = 0; k < NR_BUCKETS; k++)
		clamped += clamp0(-bucket[k]);
	b->clamped = clamped * per;
	b->user = clamp0(bucket[B_USER]) * per;
	b->syscall_work = clamp0(bucket[B_SYSCALL]) * per;
	b->sched_work = clamp0(bucket[B_SCHED]) * per;
	b->return_path = clamp0(bucket[B_RETURN]) * per;
	b->mode_switch *= per;
	b->tracer = tracer * per;
	b->other_tasks = (double)stat_delta(bf, af, ST_NS_OTHER) * per;
	b->idle = (double)stat_delta(bf, af, ST_NS_IDLE) * per;
	b->elsewhere = (double)stat_delta(bf, af, ST_NS_ELSEWHERE) * per;

	close_breakdown(b);
}

static void counts(const struct st_snapshot *bf, const struct st_snapshot *af, double per,
		   struct st_breakdown *b)
{
	b->syscalls = (double)stat_delta(bf, af, ST_SYSCALLS) * per;
	b->kernel_switches = (double)stat_delta(bf, af, ST_SWITCH_OUT) * per;
	b->voluntary = (double)stat_delta(bf, af, ST_SWITCH_OUT_VOLUNTARY) * per;
	b->involuntary = (double)stat_delta(bf, af, ST_SWITCH_OUT_PREEMPTED) * per;
	b->wakeups = (double)stat_delta(bf, af, ST_WAKEUPS) * per;
	b->cross_cpu_wakeups = (double)stat_delta(bf, af, ST_WAKEUPS_CROSS_CPU) * per;
	b->migrations = (double)stat_delta(bf, af, ST_MIGRATIONS) * per;

	b->events = 0;
	for (int i = ST_EV_FIRST; i <= ST_EV_LAST; i++)
		b->events += stat_delta(bf, af, i);
	b->samples.user = stat_delta(bf, af, ST_SAMPLES_USER);
	b->samples.kernel = stat_delta(bf, af, ST_SAMPLES_KERNEL);
	b->samples.other = stat_delta(bf, af, ST_SAMPLES_OTHER);
	b->samples.idle = stat_delta(bf, af, ST_SAMPLES_IDLE);
	/* the ST_LOST_* counters close enum st_stat, in the order of lost_by_kind */
	b->lost = 0;
	for (int i = ST_LOST_STORAGE; i < ST_NR_STATS; i++) {
		b->lost_by_kind[i - ST_LOST_STORAGE] = stat_delta(bf, af, i);
		b->lost += stat_delta(bf, af, i);
	}
}

/* ---- by-syscall rows ------------------------------------------------------ */

/* Adds one table entry's window delta, per switch, to a row. */
static void row_add(struct st_sys_row *r, const struct st_sys_stat *bf,
		    const struct st_sys_stat *af, double per)
{
	r->calls += (double)u64_delta(bf->count, af->count) * per;
	r->work_ns += (double)u64_delta(bf->work_ns, af->work_ns) * per;
	r->sched_ns += (double)u64_delta(bf->sched_ns, af->sched_ns) * per;
	r->blocked += (double)u64_delta(bf->blocked, af->blocked) * per;
	r->blocked_ns += (double)u64_delta(bf->blocked_ns, af->blocked_ns) * per;
}

/* A syscall or futex command seen in the window, before it becomes a row. */
struct sys_seen {
	const struct st_sys_stat *bf, *af;
	int nr;	       /* syscall number, or -1 for a futex command */
	int futex_cmd;
	__u64 cost_ns; /* on CPU inside the call: its work + the scheduler's */
	__u64 calls;
};

/* Dearest first; then most calls; then futex commands, then by number, so the order is stable. */
static int seen_cmp(const void *pa, const void *pb)
{
	const struct sys_seen *a = pa, *b = pb;

	if (a->cost_ns != b->cost_ns)
		return a->cost_ns > b->cost_ns ? -1 : 1;
	if (a->calls != b->calls)
		return a->calls > b->calls ? -1 : 1;
	if (a->nr != b->nr)
		return a->nr < b->nr ? -1 : 1;
	return a->futex_cmd - b->futex_cmd;
}

static bool add_seen(struct sys_seen *s, const struct st_sys_stat *bf, const struct st_sys_stat *af,
		     int nr, int futex_cmd)
{
	if (af->count <= bf->count)
		return false;
	s->bf = bf;
	s->af = af;
	s->nr = nr;
	s->futex_cmd = futex_cmd;
	s->calls = af->count - bf->count;
	s->cost_ns = u64_delta(bf->work_ns, af->work_ns) + u64_delta(bf->sched_ns, af->sched_ns);
	return true;
}

static void row_name(struct st_sys_row *r, const struct sys_seen *s)
{
	if (s->nr < 0) {
		snprintf(r->name, sizeof(r->name), "futex %s", st_futex_cmd_name(s->futex_cmd));
		snprintf(r->note, sizeof(r->note), "%s", st_futex_cmd_note(s->futex_cmd));
	} else {
		snprintf(r->name, sizeof(r->name), "%s", st_syscall_name(s->nr));
		r->note[0] = '\0';
	}
}

/*
 * One row per syscall seen, except futex: one row per futex command, since
 * a mutex wait (WAIT) and a condition-variable wait (WAIT_BITSET) tell
 * different stories. If the kernel side kept no per-command split, the
 * futex row stays whole. Rows beyond the table's size fold into one, so the
 * rows still add up.
 */
static void sys_rows(const struct st_sys_table *bt, const struct st_sys_table *at, double per,
		     struct st_breakdown *b)
{
	struct sys_seen seen[ST_MAX_SYSCALLS + ST_FUTEX_OPS];
	bool futex_split = false;
	int n = 0, shown;

	for (int cmd = 0; cmd < ST_FUTEX_OPS; cmd++)
		if (add_seen(&seen[n], &bt->futex[cmd], &at->futex[cmd], -1, cmd))
			n++, futex_split = true;
	for (int nr = 0; nr < ST_MAX_SYSCALLS; nr++)
		if (!(nr == __NR_futex && futex_split) &&
		    add_seen(&seen[n], &bt->sys[nr], &at->sys[nr], nr, 0))
			n++;
	qsort(seen, n, sizeof(seen[0]), seen_cmp);

	shown = n <= ST_MAX_SYS_ROWS ? n : ST_MAX_SYS_ROWS - 1;
	for (int i = 0; i < shown; i++) {
		memset(&b->sys_rows[i], 0, sizeof(b->sys_rows[i]));
		row_name(&b->sys_rows[i], &seen[i]);
		row_add(&b->sys_rows[i], seen[i].bf, seen[i].af, per);
	}
	if (shown < n) {
		struct st_sys_row *rest = &b->sys_rows[shown];

		memset(rest, 0, sizeof(*rest));
		snprintf(rest->name, sizeof(rest->name), "%d others", n - shown);
		for (int i = shown; i < n; i++)
			row_add(rest, seen[i].bf, seen[i].af, per);
		shown++;
	}
	b->nr_sys_rows = shown;
}

/* ---- interference, named ----------------------------------------------------- */

/* pid's time in a snapshot's others, 0 when it had none yet */
static __u64 other_ns_before(const struct st_snapshot *bf, __u32 pid)
{
	for (int i = 0; i < bf->nr_others && i < ST_MAX_OTHERS; i++)
		if (bf->others[i].pid == pid)
			return bf->others[i].t.ns;
	return 0;
}

/* The tasks that took the most time on the traced CPUs in the window, most first. */
static void top_others(const struct st_snapshot *bf, const struct st_snapshot *af, double per,
		       struct st_breakdown *b)
{
	b->nr_top_others = 0;
	for (int i = 0; i < af->nr_others && i < ST_MAX_OTHERS; i++) {
		const struct st_other_entry *e = &af->others[i];
		__u64 d = u64_delta(other_ns_before(bf, e->pid), e->t.ns);
		struct st_other_share *s;
		int k;

		if (!d)
			continue;
		/* insertion into the sorted top list; smaller than all of a full list: skip */
		for (k = b->nr_top_others; k > 0 && b->top_others[k - 1].ns < (double)d * per; k--)
			if (k < ST_TOP_OTHERS)
				b->top_others[k] = b->top_others[k - 1];
		if (k >= ST_TOP_OTHERS)
			continue;
		s = &b->top_others[k];
		memset(s, 0, sizeof(*s));
		memcpy(s->comm, e->t.comm, sizeof(s->comm) - 1); /* the kernel's comm: 15 characters at most */
		s->pid = (int)e->pid;
		s->ns = (double)d * per;
		s->collector = af->collector_tgid && e->t.tgid == af->collector_tgid;
		if (b->nr_top_others < ST_TOP_OTHERS)
			b->nr_top_others++;
	}
}

/* ---- latency ---------------------------------------------------------------- */

static void hist_delta(const struct st_snapshot *bf, const struct st_snapshot *af, int h,
		       __u64 *out)
{
	for (int s = 0; s < ST_HIST_SLOTS; s++)
		out[s] = u64_delta(bf->c.hist[h][s], af->c.hist[h][s]);
}

static void latencies(const struct st_snapshot *bf, const struct st_snapshot *af,
		      struct st_breakdown *b)
{
	const __u64 *max = af->max.v;
	__u64 h[ST_HIST_SLOTS], runq_max;

	runq_max = max[ST_MAX_RUNQ_WOKEN] > max[ST_MAX_RUNQ_PREEMPTED] ? max[ST_MAX_RUNQ_WOKEN]
									 : max[ST_MAX_RUNQ_PREEMPTED];
	hist_delta(bf, af, ST_HIST_RUNQ_WAIT, h);
	st_latency_fill(&b->runq, h,
			(double)(stat_delta(bf, af, ST_RUNQ_WOKEN_NS) + stat_delta(bf, af, ST_RUNQ_PREEMPTED_NS)),
			stat_delta(bf, af, ST_RUNQ_WOKEN_COUNT) + stat_delta(bf, af, ST_RUNQ_PREEMPTED_COUNT), runq_max);
	b->runq.untimed = stat_delta(bf, af, ST_RUNQ_WAIT_UNTIMED);
	hist_delta(bf, af, ST_HIST_RUNQ_WOKEN, h);
	st_latency_fill(&b->runq_woken, h, (double)stat_delta(bf, af, ST_RUNQ_WOKEN_NS),
			stat_delta(bf, af, ST_RUNQ_WOKEN_COUNT), max[ST_MAX_RUNQ_WOKEN]);
	hist_delta(bf, af, ST_HIST_RUNQ_PREEMPTED, h);
	st_latency_fill(&b->runq_preempted, h, (double)stat_delta(bf, af, ST_RUNQ_PREEMPTED_NS),
			stat_delta(bf, af, ST_RUNQ_PREEMPTED_COUNT), max[ST_MAX_RUNQ_PREEMPTED]);
	/* by CPU: no maximum of their own, the window's bounds them */
	hist_delta(bf, af, ST_HIST_RUNQ_WAIT_MIGRATED, h);
	st_latency_fill_bounded(&b->runq_migrated, h, runq_max);
	hist_delta(bf, af, ST_HIST_RUNQ_WAIT_LOCAL, h);
	st_latency_fill_bounded(&b->runq_local, h, runq_max);
	hist_delta(bf, af, ST_HIST_SYSCALL, h);
	st_latency_fill(&b->syscall, h, 0, 0, max[ST_MAX_SYSCALL]);
	hist_delta(bf, af, ST_HIST_ONCPU_SLICE, h);
	st_latency_fill(&b->oncpu, h, 0, 0, max[ST_MAX_ONCPU_SLICE]);
}

void st_attribute(const struct st_snapshot *before, const struct st_snapshot *after,
		  const struct st_repeat_result *rep, int nr_cpus,
		  const struct st_calibration *cal, struct st_breakdown *b)
{
	static const struct st_calibration none; /* no calibration: nothing to take out */
	double per;

	memset(b, 0, sizeof(*b));
	b->nr_cpus = nr_cpus > 0 ? nr_cpus : 1;
	if (rep) {
		b->switches = rep->switches;
		b->window_ns = (double)u64_delta(rep->start_ns, rep->end_ns);
		if (after->taken_ns > before->taken_ns)
			b->gates_ns = clamp0((double)(after->taken_ns - before->taken_ns) - b->window_ns);
	} else {
		b->switches = stat_delta(before, after, ST_SWITCH_OUT);
		b->switches_from_kernel = true;
		b->window_ns = (double)u64_delta(before->taken_ns, after->taken_ns);
	}
	/* with no switch at all, the "per switch" figures are for the whole window */
	per = 1.0 / (double)(b->switches ? b->switches : 1);
	b->ns_per_switch = b->window_ns * per;

	cpu_time(before, after, cal ? cal : &none, per, b);
	counts(before, after, per, b);
	sys_rows(&before->t, &after->t, per, b);
	latencies(before, after, b);
	top_others(before, after, per, b);
}

/*
 * b was timed without the detail hooks: its threads' own time (less the
 * probes') is all in user. It is split as `from`, a repeat of the same
 * workload timed with every hook, split its own: the same shares of user,
 * mode switch, syscall work, scheduler work and return path. Shares, not ns:
 * the host drifts by tens of percent between repeats, and a fixed ns of
 * kernel taken out would leave all of that drift in user code. The rows per
 * syscall scale the same way; the syscalls and their latency are from's.
 */
void st_breakdown_borrow_syscalls(struct st_breakdown *b, const struct st_breakdown *from)
{
	double own_from = from->user + from->mode_switch + from->syscall_work + from->sched_work + from->return_path;
	double k = own_from > 0 ? b->user / own_from : 0;

	b->mode_switch = from->mode_switch * k;
	b->syscall_work = from->syscall_work * k;
	b->sched_work = from->sched_work * k;
	b->return_path = from->return_path * k;
	b->user = from->user * k;
	b->syscalls = from->syscalls;
	b->nr_sys_rows = from->nr_sys_rows;
	memcpy(b->sys_rows, from->sys_rows, sizeof(b->sys_rows));
	for (int i = 0; i < b->nr_sys_rows && i < ST_MAX_SYS_ROWS; i++) {
		b->sys_rows[i].work_ns *= k;
		b->sys_rows[i].sched_ns *= k;
	}
	b->syscall = from->syscall;
	close_breakdown(b);
}

void st_breakdown_borrow_waits(struct st_breakdown *b, const struct st_breakdown *from)
{
	b->runq = from->runq;
	b->runq_woken = from->runq_woken;
	b->runq_preempted = from->runq_preempted;
	b->runq_migrated = from->runq_migrated;
	b->runq_local = from->runq_local;
	b->oncpu = from->oncpu;
	b->wakeups = from->wakeups;
	b->cross_cpu_wakeups = from->cross_cpu_wakeups;
	b->migrations = from->migrations;
}

void st_breakdown_kernel_counts(struct st_breakdown *b, const struct st_proc_switches *before,
				const struct st_proc_switches *after)
{
	double per = 1.0 / (double)(b->switches ? b->switches : 1);

	if (!before->threads || !after->threads)
		return;
	b->voluntary = (double)u64_delta(before->voluntary, after->voluntary) * per;
	b->involuntary = (double)u64_delta(before->involuntary, after->involuntary) * per;
	b->kernel_switches = b->voluntary + b->involuntary;
}

void st_breakdown_user_share(struct st_breakdown *b, double share)
{
	double own = b->user + b->mode_switch + b->syscall_work + b->sched_work + b->return_path;
	double kernel = own - b->user, k;

	if (!(share >= 0 && share <= 1) || kernel <= 0)
		return;
	k = (1 - share) * own / kernel;
	b->user = share * own;
	b->mode_switch *= k;
	b->syscall_work *= k;
	b->sched_work *= k;
	b->return_path *= k;
	for (int i = 0; i < b->nr_sys_rows && i < ST_MAX_SYS_ROWS; i++) {
		b->sys_rows[i].work_ns *= k;
		b->sys_rows[i].sched_ns *= k;
	}
	b->user_sampled = true;
	close_breakdown(b);
}

/* ---- median over repeats ---------------------------------------------------- */

/* Every double of st_breakdown outside the rows and histograms. */
#define BREAKDOWN_DOUBLES(X)                                                          \
	X(window_ns) X(gates_ns) X(ns_per_switch) X(user) X(mode_switch)             \
	X(syscall_work) X(sched_work) X(return_path) X(other_tasks) X(idle)           \
	X(tracer) X(unexplained) X(elsewhere)                                         \
	X(corrected_ns_per_switch) X(syscalls) X(kernel_switches) X(voluntary)        \
	X(involuntary) X(wakeups) X(cross_cpu_wakeups) X(migrations) X(clamped)
#define BREAKDOWN_COUNTS(X) X(switches) X(events)
/* losses are summed, not medianed: one repeat that lost events makes the run say so */
#define BREAKDOWN_LOSSES(X) X(lost) X(lost_by_kind[0]) X(lost_by_kind[1]) X(lost_by_kind[2])   \
	X(lost_by_kind[3])
#define LATENCIES(X) X(runq) X(runq_woken) X(runq_preempted) X(runq_migrated) X(runq_local) X(syscall) X(oncpu)
/* the witness's samples are summed: its error shrinks with every repeat */
#define SAMPLES(X) X(samples.user) X(samples.kernel) X(samples.other) X(samples.idle)

/* The repeat whose ns/switch is the median (the lower of the two middle ones for even n). */
static int median_repeat(const struct st_breakdown *reps, int n)
{
	int below, equal, pick = 0;

	for (int i = 0; i < n; i++) {
		below = equal = 0;
		for (int j = 0; j < n; j++) {
			below += reps[j].ns_per_switch < reps[i].ns_per_switch;
			equal += reps[j].ns_per_switch == reps[i].ns_per_switch;
		}
		/* i is the lower median when (n - 1) / 2 sorted positions fall within its rank range */
		if (below <= (n - 1) / 2 && (n - 1) / 2 < below + equal) {
			pick = i;
			break;
		}
	}
	return pick;
}

/*
 * Each number is the median of that number over the repeats, so the parts no
 * longer add up exactly (the median unexplained is shown as measured). The
 * by-syscall rows and the histograms come whole from the median repeat.
 * Losses and the witness's samples are the sum over all repeats; a maximum is
 * the largest of the repeats'.
 */
void st_breakdown_median(const struct st_breakdown *reps, int n, struct st_breakdown *out)
{
	double v[ST_MAX_REPEATS];

	if (n > ST_MAX_REPEATS)
		n = ST_MAX_REPEATS;
	if (n < 1)
		return;
	*out = reps[median_repeat(reps, n)];

#define MEDIAN_OF(field)                                    \
	for (int i = 0; i < n; i++)                         \
		v[i] = (double)reps[i].field;               \
	out->field = st_median(v, n);
#define MEDIAN_COUNT(field)                                 \
	for (int i = 0; i < n; i++)                         \
		v[i] = (double)reps[i].field;               \
	out->field = (__u64)(st_median(v, n) + 0.5);
#define MEDIAN_LATENCY(l)                                   \
	MEDIAN_COUNT(l.count) MEDIAN_OF(l.mean_ns) MEDIAN_OF(l.p50_ns) \
	MEDIAN_OF(l.p90_ns) MEDIAN_OF(l.p99_ns) MEDIAN_COUNT(l.untimed) MAX_OF(l)
/* the run's longest is the longest of its repeats, exact when that repeat's was */
#define MAX_OF(l)                                           \
	for (int i = 0; i < n; i++)                         \
		if (i == 0 || reps[i].l.max_ns > out->l.max_ns) { \
			out->l.max_ns = reps[i].l.max_ns;   \
			out->l.max_exact = reps[i].l.max_exact; \
		}

#define SUM_OF(field)                                       \
	out->field = 0;                                     \
	for (int i = 0; i < n; i++)                         \
		out->field += reps[i].field;

	BREAKDOWN_DOUBLES(MEDIAN_OF)
	BREAKDOWN_COUNTS(MEDIAN_COUNT)
	BREAKDOWN_LOSSES(SUM_OF)
	SAMPLES(SUM_OF)
	LATENCIES(MEDIAN_LATENCY)
}
