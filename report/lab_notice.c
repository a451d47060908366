// SPDX-License-Identifier: GPL-2.0
/* lab_notice.c — see lab_notice.h. One function per lab; each says only what its numbers show. */
#include <math.h>
#include <string.h>
#include "compare.h"
#include "lab_notice.h"
#include "metrics.h"

typedef const struct st_run *const *runs_t;

static bool have(const struct st_run *r)
{
	return r && r->nr_repeats > 0;
}

static bool traced(const struct st_run *r)
{
	return have(r) && r->traced;
}

static double ns_of(const struct st_run *r)
{
	return r->summary.ns_per_switch;
}

/* "more", "less" or "about the same" for a over b, the same within tol (0.1: 10%). */
static const char *direction(double a, double b, double tol)
{
	return a > b * (1 + tol) ? "more" : a < b * (1 - tol) ? "less" : "about the same";
}

/* The two largest parts of pthread's time over the coroutine's, in the seed's words. */
static void gap_causes(struct st_para *p, const struct st_run *hi, const struct st_run *lo)
{
	static const char *const words[ST_NR_PARTS] = {
		[ST_PART_USER] = "user code",
		[ST_PART_MODE_SWITCH] = "entering and leaving the kernel (the mode switch)",
		[ST_PART_SCHED_WORK] = "the scheduler's work (waking, __schedule(), the context switch)",
		[ST_PART_SYSCALL_WORK] = "the system calls' own work",
		[ST_PART_RETURN_PATH] = "the way back to user space after a switch",
		[ST_PART_OTHER_TASKS] = "other tasks on the CPU",
		[ST_PART_IDLE] = "idle time",
		[ST_PART_TRACER] = "the tracer",
		[ST_PART_UNEXPLAINED] = "what is left unexplained",
	};
	const struct st_breakdown *h = st_run_median_repeat(hi), *l = st_run_median_repeat(lo);
	struct st_gap g;
	int first = -1, second = -1;
	char a[32], b[32];

	st_gap_split(h ? h : &hi->summary, 1, l ? l : &lo->summary, 1, &g);
	if (g.gap_ns <= 0)
		return;
	for (int k = 0; k < ST_NR_PARTS; k++) {
		/* the switch's own causes: not the tracer, not what other tasks or idleness added */
		if (k == ST_PART_TRACER || k == ST_PART_UNEXPLAINED || k == ST_PART_OTHER_TASKS || k == ST_PART_IDLE)
			continue;
		if (first < 0 || g.part_ns[k] > g.part_ns[first]) {
			second = first;
			first = k;
		} else if (second < 0 || g.part_ns[k] > g.part_ns[second]) {
			second = k;
		}
	}
	st_para_add(p, "The two largest causes of the gap here: %s, %s (%.0f%%), and %s, %s (%.0f%%). ",
		    words[first], st_fmt_ns(a, sizeof(a), g.part_ns[first]), g.part_pct[first], words[second],
		    st_fmt_ns(b, sizeof(b), g.part_ns[second]), g.part_pct[second]);
}

static void notice_gap(struct st_para *p, runs_t r)
{
	const struct st_run *yield = r[0], *chan = r[1], *pt = r[2];
	double ratio, rt;
	char a[32], b[32];

	if (!have(yield) || !have(pt))
		return;
	ratio = ns_of(pt) / ns_of(yield);
	st_para_add(p, "A pthread switch costs %s here and a coroutine yield %s: %.0fx, %s the seed's 28x. ",
		    st_fmt_ns(a, sizeof(a), ns_of(pt)), st_fmt_ns(b, sizeof(b), ns_of(yield)), ratio,
		    ratio > 28 * 1.1 ? "above" : ratio < 28 * 0.9 ? "below" : "close to");
	if (have(chan) && (rt = st_run_switches_per_round_trip(chan)) > 0)
		st_para_add(p, "Per round trip, pthread against the coroutine channel is %.0fx (the seed: 13x). ",
			    2 * ns_of(pt) / (ns_of(chan) * rt));
	if (traced(pt) && traced(yield))
		gap_causes(p, pt, yield);
}

static void notice_crossing(struct st_para *p, runs_t r, const struct st_machine *m)
{
	const struct st_run *nowork = r[0], *ppid = r[1], *vdso = r[2], *sys = r[3];
	char a[32], b[32];

	if (have(nowork)) {
		st_para_add(p, "Entering and leaving the kernel costs %s here (the no-work call), %.1fx the seed's "
			       "~100 ns. ",
			    st_fmt_ns(a, sizeof(a), ns_of(nowork)), ns_of(nowork) / 100);
		if (m && strstr(m->mitigations, "PTI"))
			st_para_add(p, "This machine runs with PTI (page-table isolation): every crossing switches "
				       "page tables, which is why it is this dear. ");
		else if (ns_of(nowork) < 400)
			st_para_add(p, "No page-table isolation here (no PTI in the mitigations): the crossing is the "
				       "bare syscall path. ");
	}
	if (have(nowork) && have(ppid))
		st_para_add(p, "getppid costs %s: %s of its own work over the crossing. ",
			    st_fmt_ns(a, sizeof(a), ns_of(ppid)),
			    st_fmt_ns(b, sizeof(b), ns_of(ppid) - ns_of(nowork)));
	if (have(vdso) && have(sys))
		st_para_add(p, "The clock through the vDSO costs %s, the same read as a system call %s: %.0fx %s, "
			       "because the vDSO never enters the kernel. ",
			    st_fmt_ns(a, sizeof(a), ns_of(vdso)), st_fmt_ns(b, sizeof(b), ns_of(sys)),
			    ns_of(sys) / ns_of(vdso), ns_of(sys) > ns_of(vdso) ? "cheaper" : "(not cheaper here!)");
}

static void notice_pthread(struct st_para *p, runs_t r)
{
	const struct st_run *seed = r[0], *unl = r[1], *fx = r[2];
	double ks, ku;

	if (!traced(seed))
		return;
	ks = seed->summary.kernel_switches;
	st_para_add(p, "The seed's pthread ping-pong switches threads %.2f times per hand-off in the kernel. ", ks);
	if (traced(unl)) {
		ku = unl->summary.kernel_switches;
		st_para_add(p, "Unlocking before signalling takes it to %.2f: %s kernel switches, and the hand-off "
			       "costs %.2fx as much. ",
			    ku, direction(ku, ks, 0.05), ns_of(unl) / ns_of(seed));
	}
	if (traced(fx))
		st_para_add(p, "The raw futex hand-off switches %.2f times with %.1f system calls per switch, "
			       "against pthread's %.1f. ",
			    fx->summary.kernel_switches, fx->summary.syscalls, seed->summary.syscalls);
}

static void notice_pinned(struct st_para *p, runs_t r)
{
	const struct st_run *one = r[0], *split = r[1], *fr = r[2];
	char a[32], b[32];

	if (!have(one))
		return;
	if (!have(split)) {
		st_para_add(p, "Only one CPU could be used here, so the two-CPU experiments did not run. ");
		return;
	}
	st_para_add(p, "With one side on each CPU a hand-off costs %s against %s on one CPU: %.1fx %s. ",
		    st_fmt_ns(a, sizeof(a), ns_of(split)), st_fmt_ns(b, sizeof(b), ns_of(one)),
		    ns_of(split) / ns_of(one), ns_of(split) > ns_of(one) ? "slower" : "faster");
	if (traced(split))
		st_para_add(p, "%.0f%% of the wake-ups crossed CPUs, and the two CPUs sat idle %s per switch: the "
			       "woken CPU has to be interrupted (an IPI) and leave its idle state. ",
			    split->summary.wakeups > 0 ? 100 * split->summary.cross_cpu_wakeups / split->summary.wakeups : 0,
			    st_fmt_ns(a, sizeof(a), split->summary.idle));
	if (traced(fr))
		st_para_add(p, "Left free, the threads migrated %.2f times per switch and a hand-off cost %s. ",
			    fr->summary.migrations, st_fmt_ns(a, sizeof(a), ns_of(fr)));
}

static void notice_loops(struct st_para *p, runs_t r)
{
	const struct st_run *loop = r[0], *two = r[1], *proc = r[2];

	if (traced(loop))
		st_para_add(p, "The single loop switched threads %.2f times per step: its continuations run "
			       "one after another on one thread. ",
			    loop->summary.kernel_switches);
	if (have(loop) && have(two))
		st_para_add(p, "Two event-loop threads cost %.1fx the single loop per step. ", ns_of(two) / ns_of(loop));
	if (have(two) && have(proc))
		st_para_add(p, "Two processes over pipes cost %.2fx two threads: a process switch is %s here. ",
			    ns_of(proc) / ns_of(two),
			    ns_of(proc) > ns_of(two) * 1.1 ? "dearer (another address space to switch to)"
			    : ns_of(proc) < ns_of(two) * 0.9 ? "cheaper, against the usual expectation"
							    : "about as dear as a thread switch");
}

/* All the threads' waits for a CPU, per switch. */
static double waited(const struct st_run *r)
{
	const struct st_breakdown *b = &r->summary;

	return b->switches ? (double)b->runq.count * b->runq.mean_ns / (double)b->switches : 0;
}

static void notice_waiting(struct st_para *p, runs_t r)
{
	const struct st_run *alone = r[0], *h0 = r[1], *h19 = r[2];
	char a[32], b[32], c[32], d[32];

	if (!traced(alone) || !traced(h0))
		return;
	st_para_add(p, "Beside a nice-0 hog the other tasks took %.0f%% of the CPU's time and the threads waited %s "
		       "for a CPU per switch, %s alone (%.1fx); 99%% of the waits stayed under %s, the longest %s. ",
		    100 * h0->summary.other_tasks / ns_of(h0), st_fmt_ns(a, sizeof(a), waited(h0)),
		    st_fmt_ns(b, sizeof(b), waited(alone)), waited(alone) > 0 ? waited(h0) / waited(alone) : 0,
		    st_fmt_ns(c, sizeof(c), h0->summary.runq.p99_ns), st_fmt_ns(d, sizeof(d), h0->summary.runq.max_ns));
	if (waited(h0) > 1.2 * waited(alone))
		st_para_add(p, "The hog runs in slices of milliseconds, a few dozen per window: most hand-offs never "
			       "meet it, and the ones that do wait out a slice. ");
	else
		st_para_add(p, "Here the hog hardly lengthened the waits. ");
	if (traced(h19))
		st_para_add(p, "At nice 19 the hog took %.0f%% and the threads waited %s per switch, %s than at "
			       "nice 0: the scheduler weighs a nice-19 task at a sliver of a nice-0 one. ",
			    100 * h19->summary.other_tasks / ns_of(h19), st_fmt_ns(a, sizeof(a), waited(h19)),
			    direction(waited(h19), waited(h0), 0.1));
	st_para_add(p, "With the nice-0 hog a hand-off cost %.1fx as much as alone. ", ns_of(h0) / ns_of(alone));
}

static void notice_observer(struct st_para *p, runs_t r)
{
	const struct st_run *bare = r[0], *light = r[1], *full = r[2], *perf = r[3];
	char a[32];

	if (!have(bare))
		return;
	if (have(light))
		st_para_add(p, "The scheduler view slowed a switch %.2fx, ", ns_of(light) / ns_of(bare));
	if (have(full))
		st_para_add(p, "every hook %.2fx. ", ns_of(full) / ns_of(bare));
	if (traced(full))
		st_para_add(p, "Taking the probes' calibrated cost out leaves %s, %.0f%% %s bare. ",
			    st_fmt_ns(a, sizeof(a), full->summary.corrected_ns_per_switch),
			    100 * fabs(full->summary.corrected_ns_per_switch / ns_of(bare) - 1),
			    full->summary.corrected_ns_per_switch > ns_of(bare) ? "above" : "below");
	if (have(perf))
		st_para_add(p, "perf sched record slowed it %.2fx: it writes every scheduler event to a file. ",
			    ns_of(perf) / ns_of(bare));
	else
		st_para_add(p, "perf was not run (not installed). ");
}

static void notice_hogs(struct st_para *p, runs_t r, int n)
{
	double p99, hog_ms, slice;
	char a[32];

	for (int i = 0; i < n; i++) {
		if (!have(r[i]) || !st_metric_num(&r[i]->result, "lateness_all_p99_ns", &p99))
			continue;
		hog_ms = 0, slice = 0;
		st_metric_num(&r[i]->result, "hog_ms", &hog_ms);
		st_metric_num(&r[i]->result, "preempt_slice_ns", &slice);
		st_para_add(p, "%s: p99 %s, ", r[i]->workload, st_fmt_ns(a, sizeof(a), p99));
		if (hog_ms > 0 && p99 >= 0.5 * hog_ms * 1e6)
			st_para_add(p, "the probe waited out the hog's chunk. ");
		else if (slice > 0)
			st_para_add(p, "%.1fx the %.0f ms slice: preemption bounds the wait. ", p99 / slice, slice / 1e6);
		else
			st_para_add(p, "far below the chunk: the kernel preempts the hog. ");
	}
}

void st_lab_notice(struct st_para *p, const struct st_lab *lab, const struct st_run *const *runs)
{
	const struct st_machine *m = NULL;

	for (int i = 0; i < lab->nr_exps && !m; i++)
		if (have(runs[i]))
			m = &runs[i]->machine;
	switch (lab->number) {
	case 1: notice_gap(p, runs); break;
	case 2: notice_crossing(p, runs, m); break;
	case 3: notice_pthread(p, runs); break;
	case 4: notice_pinned(p, runs); break;
	case 5: notice_loops(p, runs); break;
	case 6: notice_waiting(p, runs); break;
	case 7: notice_observer(p, runs); break;
	case 8: notice_hogs(p, runs, lab->nr_exps); break;
	}
}
