// SPDX-License-Identifier: GPL-2.0
/*
 * text_story.c — the opening of the terminal report: what one switch costs
 * and where it goes, in sentences a student can follow, built from the
 * median breakdown. Each sentence is said only when its number is there.
 */
#include <math.h>
#include <stdarg.h>
#include <string.h>
#include "format.h"
#include "hook_effect.h"
#include "text_parts.h"
#include "witness.h"

/* Per-switch numbers below this are "none": 1 in 100 switches. */
#define NEGLIGIBLE 0.01

static const struct st_sys_row *find_row(const struct st_breakdown *b, const char *name)
{
	for (int i = 0; i < b->nr_sys_rows; i++)
		if (!strcmp(b->sys_rows[i].name, name))
			return &b->sys_rows[i];
	return NULL;
}

static double blocked_in(const struct st_breakdown *b, const char *name)
{
	const struct st_sys_row *r = find_row(b, name);

	return r ? r->blocked : 0;
}

/* Round-trip workloads: the seed compares round trips, so say what one costs. */
static void round_trip_sentence(struct st_para *p, const struct st_run *run)
{
	const struct st_repeat_result *r = &run->result.repeat[0];
	double per_rt;
	char n[32], t[32];

	if (run->result.nr_repeats < 1 || !r->round_trips || !r->switches)
		return;
	per_rt = (double)r->switches / (double)r->round_trips;
	if (per_rt == (double)(__u64)per_rt)
		snprintf(n, sizeof(n), "%.0f", per_rt);
	else
		st_fmt_amount(n, sizeof(n), per_rt);
	st_para_add(p, "A round trip (%s switches) costs %s. ", n,
	    st_fmt_ns(t, sizeof(t), run->summary.ns_per_switch * per_rt));
}

static void cost_sentence(struct st_para *p, const struct st_run *run)
{
	const struct st_breakdown *b = &run->summary;
	char t[32], n[32], w[32];

	if (b->switches_from_kernel) {
		st_para_add(p, "The traced threads were switched out %s times in %s: one kernel switch every %s. ",
		    st_fmt_count(n, sizeof(n), b->switches), st_fmt_ns(w, sizeof(w), b->window_ns),
		    st_fmt_ns(t, sizeof(t), b->ns_per_switch));
		return;
	}
	st_fmt_ns(t, sizeof(t), b->ns_per_switch);
	st_fmt_count(n, sizeof(n), b->switches);
	if (run->nr_repeats > 1)
		st_para_add(p, "Each %s switch costs %s (median of %d repeats of %s switches). ",
		    run->workload, t, run->nr_repeats, n);
	else
		st_para_add(p, "Each %s switch costs %s (one run of %s switches). ", run->workload, t, n);
	if (run->result.switch_desc[0])
		st_para_add(p, "One switch is %s. ", run->result.switch_desc);
	round_trip_sentence(p, run);
}

/* Mean calibrated cost of one probe run, weighted like the events of a pthread switch would be. */
static double mean_probe_ns(const struct st_calibration *cal)
{
	static const int evs[] = { ST_EV_SWITCH, ST_EV_WAKEUP, ST_EV_SYS_ENTER, ST_EV_SYS_EXIT };
	double sum = 0;

	for (size_t i = 0; i < sizeof(evs) / sizeof(evs[0]); i++)
		sum += cal->probe_ns[evs[i]];
	return sum / (double)(sizeof(evs) / sizeof(evs[0]));
}

/*
 * The parts above are what remains after the calibrated mode-switch and probe
 * costs are taken out. When those estimates exceed the time the kernel side
 * measured, the parts stop at 0 and the report must say that it is the
 * calibration, not the workload, that is off.
 */
static void calibration_overshoot(struct st_para *p, const struct st_run *run)
{
	const struct st_breakdown *b = &run->summary;
	char a[32], c[32], d[32];

	if (b->clamped < 0.01 * b->ns_per_switch * b->nr_cpus)
		return;
	st_para_add(p, "These parts are what is left after taking out the calibrated costs (%s per mode "
	       "switch, about %s per probe run), and those estimates exceed the measured time by "
	       "%s per switch: the calibration is too high for this run (this host drifts), so "
	       "the parts it comes out of read 0. Try again with --recalibrate. ",
	    st_fmt_ns(a, sizeof(a), run->cal.mode_switch_ns),
	    st_fmt_ns(c, sizeof(c), mean_probe_ns(&run->cal)), st_fmt_ns(d, sizeof(d), b->clamped));
}

/*
 * Which repeats had which hooks, and whether the two hook sets left the
 * scheduler's decisions alone (hook_effect.h): computed, both ways.
 */
static void hook_sentences(struct st_para *p, const struct st_run *run)
{
	struct st_hook_effect e;
	char a[32];

	st_para_add(p, "The system calls, the wake-ups and the runqueue waits were traced in repeat %d only; "
	       "the other repeats ran with the scheduler switch hook alone, keeping no per-thread state, and "
	       "carry its kernel share per switch and its waits (--every-repeat traces them all). ",
	    run->syscalls_repeat);
	if (!st_hook_effect(run, &e))
		return;
	if (!e.found) {
		st_para_add(p, "Both hook sets saw the kernel switch these threads as often (%.2f and %.2f "
		       "times a switch). ",
		    e.detailed_ks, e.light_ks);
		return;
	}
	st_para_add(p, "The hooks changed the scheduler's decisions: the kernel switched these threads %.2f "
	       "times a switch with every hook and %.2f with the switch hook alone (the probes' time moves "
	       "the moments at which it decides to preempt). The correction for the tracer removes the "
	       "probes' own time, not that: the corrected figure below is uncertain by about %s. ",
	    e.detailed_ks, e.light_ks, st_fmt_ns(a, sizeof(a), e.ns));
}

static void kernel_sentences(struct st_para *p, const struct st_run *run)
{
	const struct st_breakdown *b = &run->summary;
	const struct st_calibration *cal = &run->cal;
	char a[32], c[32], n[32];

	if (b->syscalls < NEGLIGIBLE && b->kernel_switches < NEGLIGIBLE) {
		st_para_add(p, "It never entered the kernel: no system calls and no kernel switches, "
		       "so its own time is all user-space code (%s per switch). ",
		    st_fmt_ns(a, sizeof(a), b->user));
		return;
	}
	if (b->syscalls < NEGLIGIBLE) {
		st_para_add(p, "No system calls were seen (a run with --light does not trace them); the "
		       "kernel still switched its threads %.2f times per switch. ", b->kernel_switches);
	} else if (cal->mode_switch_ns > 0) {
		st_para_add(p, "It makes %s system calls; entering and leaving the kernel for them costs %s "
		       "(%s each, calibrated on this machine). ",
		    st_fmt_amount(n, sizeof(n), b->syscalls), st_fmt_ns(a, sizeof(a), b->mode_switch),
		    st_fmt_ns(c, sizeof(c), cal->mode_switch_ns));
	} else {
		st_para_add(p, "It makes %s system calls (the cost of entering and leaving the kernel was "
		       "not calibrated, so it is counted as user time). ",
		    st_fmt_amount(n, sizeof(n), b->syscalls));
	}
	if (b->syscalls < NEGLIGIBLE) {
		/* nothing split the threads' on-CPU time: kernel and user read as one */
		st_para_add(p, "On the CPU, its threads' own time (user and kernel together) is %s. ",
		    st_fmt_ns(a, sizeof(a), b->user));
		calibration_overshoot(p, run);
		return;
	}
	if (b->kernel_switches >= NEGLIGIBLE) {
		st_para_add(p, "Inside the kernel, the scheduler's work (waking threads, and __schedule(): "
		       "dequeue, pick, context switch) takes %s and the calls' own work %s",
		    st_fmt_ns(a, sizeof(a), b->sched_work), st_fmt_ns(c, sizeof(c), b->syscall_work));
		if (b->return_path >= 0.5)
			st_para_add(p, "; the way back to user space after a switch takes %s",
			    st_fmt_ns(n, sizeof(n), b->return_path));
		st_para_add(p, ". ");
	} else {
		st_para_add(p, "Inside the kernel, the calls' own work takes %s. ",
		    st_fmt_ns(a, sizeof(a), b->syscall_work));
	}
	st_para_add(p, "The workload's own code in user space takes %s. ", st_fmt_ns(a, sizeof(a), b->user));
	if (run->syscalls_repeat > 0 && run->nr_repeats > 1)
		hook_sentences(p, run);
	calibration_overshoot(p, run);
}

static void rest_sentences(struct st_para *p, const struct st_run *run, const struct st_breakdown *b)
{
	double total = b->ns_per_switch * b->nr_cpus, pct;
	/* the gates' CPU time per switch, over the traced CPUs (gates_ns is the whole window's) */
	double gates = b->window_ns > 0 ? b->gates_ns * b->nr_cpus * b->ns_per_switch / b->window_ns : 0;
	char a[32], c[32], d[32], line[256];

	if (b->nr_cpus > 1)
		st_para_add(p, "With %d CPUs traced, the parts add up to %d x %s = %s of CPU time. ",
		    b->nr_cpus, b->nr_cpus, st_fmt_ns(a, sizeof(a), b->ns_per_switch),
		    st_fmt_ns(c, sizeof(c), total));
	/* interference and idle are worth a sentence from 2% of the CPU time */
	if (total > 0 && b->other_tasks > 0.02 * total) {
		st_para_add(p, "Other tasks ran on the traced CPU%s for %s per switch (%.0f%% of the time): "
		       "interference, which the workload's own number includes",
		    b->nr_cpus > 1 ? "s" : "", st_fmt_ns(a, sizeof(a), b->other_tasks),
		    100 * b->other_tasks / total);
		for (int i = 0; i < b->nr_top_others && i < ST_TOP_OTHERS; i++)
			st_para_add(p, "%s %s (pid %d%s) %s", i ? "," : "; most of it", b->top_others[i].comm,
			    b->top_others[i].pid, b->top_others[i].collector ? ", schedtrace's own collector" : "",
			    st_fmt_ns(c, sizeof(c), b->top_others[i].ns));
		st_para_add(p, ". ");
	}
	if (total > 0 && b->idle > 0.02 * total)
		st_para_add(p, "The traced CPU%s sat idle for %s per switch (%.0f%% of the time). ",
		    b->nr_cpus > 1 ? "s" : "", st_fmt_ns(c, sizeof(c), b->idle), 100 * b->idle / total);
	if (b->user_sampled && b->tracer < 0.01 * total)
		st_para_add(p, "In the lean repeats schedtrace's switch hook returns at once between the "
		       "traced threads, and its cost is not estimated (%s per switch counted). ",
		    st_fmt_ns(a, sizeof(a), b->tracer));
	else if (b->tracer > 0)
		st_para_add(p, "schedtrace's own probes cost about %s per switch; without them a switch "
		       "would cost %s. ",
		    st_fmt_ns(a, sizeof(a), b->tracer),
		    st_fmt_ns(c, sizeof(c), b->corrected_ns_per_switch));
	if (st_untraced_sentence(line, sizeof(line), run)[0])
		st_para_add(p, "%s ", line);
	pct = total > 0 ? 100 * b->unexplained / total : 0;
	if (fabs(pct) < 2)
		st_para_add(p, "The parts add up to the measured time within %s (%.1f%%). ",
		    st_fmt_ns(a, sizeof(a), fabs(b->unexplained)), fabs(pct));
	else if (b->unexplained > 0)
		st_para_add(p, "%s (%.1f%%) is left unexplained. ", st_fmt_ns(a, sizeof(a), b->unexplained),
		    pct);
	else if (gates >= 0.5 * -b->unexplained)
		st_para_add(p, "The parts come to %s (%.1f%%) more than was measured, %s of it the gates: "
		       "the counters ran %s past the ends of the workload's window while the collector "
		       "answered it (the idle and other tasks of that time are in the parts). ",
		    st_fmt_ns(a, sizeof(a), -b->unexplained), -pct, st_fmt_ns(c, sizeof(c), gates),
		    st_fmt_ns(d, sizeof(d), b->gates_ns));
	else
		st_para_add(p, "The parts come to %s (%.1f%%) more than was measured: the counters run a "
		       "little past the ends of the workload's window, and the calibrated costs are "
		       "estimates. ",
		    st_fmt_ns(a, sizeof(a), -b->unexplained), -pct);
}

/* Calls that blocked, as "futex WAIT 0.80, read 0.20", for the evidence. */
static void blocked_list(struct st_para *p, const struct st_breakdown *b)
{
	int said = 0;

	for (int i = 0; i < b->nr_sys_rows; i++) {
		if (b->sys_rows[i].blocked < NEGLIGIBLE)
			continue;
		st_para_add(p, "%s%s %.2f", said++ ? ", " : "", b->sys_rows[i].name, b->sys_rows[i].blocked);
	}
	if (!said)
		st_para_add(p, "none");
}

/*
 * Kernel switches per counted switch, and why they differ from 1, from the
 * evidence: blocking calls (by futex command) and preemptions. With the
 * seed's pthread algorithm the waker broadcasts while holding the mutex; the
 * woken thread may take the CPU at once (a preemption of the waker) and then
 * block on the mutex (futex WAIT) the waker still holds, besides its
 * condition-variable waits (futex WAIT_BITSET).
 */
static void switch_sentences(struct st_para *p, const struct st_breakdown *b)
{
	double ks = b->kernel_switches;
	double on_mutex = blocked_in(b, "futex WAIT");
	double on_cond = blocked_in(b, "futex WAIT_BITSET");

	if (b->switches_from_kernel)
		return;
	if (ks < NEGLIGIBLE) {
		if (b->syscalls >= NEGLIGIBLE)
			st_para_add(p, "The kernel never switched threads: every hand-off happened inside "
			       "one thread, between its system calls. ");
		return;
	}
	if (fabs(ks - 1) <= 0.05) {
		st_para_add(p, "The kernel switched these threads once per counted switch (%.2f). ", ks);
		return;
	}
	st_para_add(p, "The kernel switched these threads %.2f times per counted switch, not once: "
	       "%.2f times a thread blocked in a system call", ks, b->voluntary);
	if (b->involuntary >= NEGLIGIBLE)
		st_para_add(p, " and %.2f times it was preempted while still runnable", b->involuntary);
	st_para_add(p, ". ");
	if (on_mutex >= NEGLIGIBLE && on_cond >= NEGLIGIBLE) {
		st_para_add(p, "Per switch, %.2f calls blocked on the condition variable (futex WAIT_BITSET) "
		       "and %.2f on the mutex (futex WAIT): a woken thread can block again on the "
		       "mutex its waker still holds. ",
		    on_cond, on_mutex);
	} else {
		if (ks < 1)
			st_para_add(p, "Some hand-offs completed without a thread blocking in the kernel. ");
		st_para_add(p, "Calls that blocked, per switch: ");
		blocked_list(p, b);
		st_para_add(p, ". ");
	}
	if (b->involuntary >= 0.05 && b->nr_cpus == 1 &&
	    b->other_tasks < 0.02 * b->ns_per_switch)
		st_para_add(p, "With one CPU and hardly any other task on it, a preemption here means the "
		       "thread just woken took the CPU before its waker blocked. ");
}

static void wait_sentences(struct st_para *p, const struct st_breakdown *b)
{
	char a[32], c[32], d[32];

	if (!b->runq.count)
		return;
	if (b->runq_woken.count && b->runq_preempted.count) {
		char e[32];

		st_para_add(p, "A woken thread waited %s (median) for a CPU, a preempted one %s; 99%% of "
		       "all waits were shorter than %s, the longest %s%s. ",
		    st_fmt_ns(a, sizeof(a), b->runq_woken.p50_ns), st_fmt_ns(e, sizeof(e), b->runq_preempted.p50_ns),
		    st_fmt_ns(c, sizeof(c), b->runq.p99_ns), b->runq.max_exact ? "" : "under ",
		    st_fmt_ns(d, sizeof(d), b->runq.max_ns));
	} else {
		st_para_add(p, "Each time a thread was %s, it waited %s (median) for a CPU; 99%% of waits "
		       "were shorter than %s, the longest %s%s. ",
		    b->runq_preempted.count ? "preempted" : b->runq_woken.count ? "woken" : "ready to run (woken, or preempted)",
		    st_fmt_ns(a, sizeof(a), b->runq.p50_ns),
		    st_fmt_ns(c, sizeof(c), b->runq.p99_ns), b->runq.max_exact ? "" : "under ",
		    st_fmt_ns(d, sizeof(d), b->runq.max_ns));
	}
	if (b->migrations < NEGLIGIBLE)
		st_para_add(p, "No thread changed CPU. ");
	else
		st_para_add(p, "Threads moved to another CPU %.2f times per switch. ", b->migrations);
}

void st_text_story(FILE *f, const struct st_run *run)
{
	struct st_para p = { .len = 0 };
	const struct st_breakdown *b = &run->summary;

	if (!b->switches && b->window_ns <= 0) {
		st_para_add(&p, "No repeat finished, so there is nothing to explain yet. ");
		st_para_flush(f, &p, ST_TEXT_WIDTH);
		return;
	}
	cost_sentence(&p, run);
	if (!run->traced) {
		st_para_add(&p, "This run was not traced (--no-trace), so there is no breakdown. ");
		st_para_flush(f, &p, ST_TEXT_WIDTH);
		return;
	}
	kernel_sentences(&p, run);
	st_para_flush(f, &p, ST_TEXT_WIDTH);
	switch_sentences(&p, b);
	wait_sentences(&p, b);
	st_para_flush(f, &p, ST_TEXT_WIDTH);
	rest_sentences(&p, run, b);
	st_para_flush(f, &p, ST_TEXT_WIDTH);
}
