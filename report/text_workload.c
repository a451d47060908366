// SPDX-License-Identifier: GPL-2.0
/*
 * text_workload.c — what a workload counted itself (its metrics: the M:N
 * scheduler's hand-off kinds, a hog experiment's lateness and preemptions),
 * set beside what the kernel saw of the same run. Each sentence is said
 * only when its numbers are there.
 */
#include <string.h>
#include "format.h"
#include "metrics.h"
#include "text_parts.h"

/* Switches counted over every repeat of the run. */
static double counted_switches(const struct st_run *run)
{
	double n = 0;

	for (int i = 0; i < run->result.nr_repeats && i < ST_MAX_REPEATS; i++)
		n += (double)run->result.repeat[i].switches;
	return n;
}

static double metric_or(const struct st_workload_result *r, const char *key, double dflt)
{
	double v = dflt;

	st_metric_num(r, key, &v);
	return v;
}

static double pct(double part, double whole)
{
	return whole > 0 ? 100 * part / whole : 0;
}

/* mn: the three kinds of hand-off, and which of them the kernel paid for. */
static void mn_sentences(struct st_para *p, const struct st_run *run)
{
	const struct st_workload_result *r = &run->result;
	double same, running, parked, all, ks, blocking = metric_or(r, "blocking_calls", 0);
	char a[32], b[32];

	if (!st_metric_num(r, "handoffs_same_worker", &same) || !st_metric_num(r, "handoffs_cross_running", &running) ||
	    !st_metric_num(r, "handoffs_cross_parked", &parked))
		return;
	all = same + running + parked;
	if (all <= 0)
		return;
	st_para_add(p, "Of the %s hand-offs the scheduler counted, %.0f%% stayed on the sender's worker (user "
		       "space only), %.0f%% went to a worker that was running (no system call) and %.0f%% woke a "
		       "parked worker (FUTEX_WAKE: a kernel switch). ",
		    st_fmt_count(a, sizeof(a), (__u64)all), pct(same, all), pct(running, all), pct(parked, all));
	if (!run->traced || run->summary.switches_from_kernel)
		return;
	ks = run->summary.kernel_switches * counted_switches(run);
	if (blocking > 0)
		st_para_add(p, "Each of the %s blocking reads first handed its worker, with its run queue, to "
			       "another thread (%s times, as Go hands off its P): the kernel switched the threads "
			       "%.2f times per counted switch, the switches user space cannot avoid. ",
			    st_fmt_count(a, sizeof(a), (__u64)blocking),
			    st_fmt_count(b, sizeof(b), (__u64)metric_or(r, "worker_handoffs", 0)),
			    run->summary.kernel_switches);
	else if (parked >= 1)
		st_para_add(p, "The kernel switched the workers %s times, %.2f per parked hand-off: the "
			       "parked ones are the hand-offs that cost kernel switches. ",
			    st_fmt_count(a, sizeof(a), (__u64)(ks + 0.5)), ks / parked);
	else
		st_para_add(p, "The kernel switched the workers %s times in all, %.4f per hand-off: none of "
			       "these hand-offs needed it. ",
			    st_fmt_count(a, sizeof(a), (__u64)(ks + 0.5)), ks / all);
}

/* Signals handled, as the kernel saw them: each handler returns through rt_sigreturn. */
static void signal_sentence(struct st_para *p, const struct st_run *run)
{
	const struct st_breakdown *b = &run->summary;

	if (!run->traced || run->light)
		return;
	for (int i = 0; i < b->nr_sys_rows && i < ST_MAX_SYS_ROWS; i++)
		if (!strcmp(b->sys_rows[i].name, "rt_sigreturn") && b->sys_rows[i].calls > 0)
			st_para_add(p, "The kernel delivered %.1f signals per counted switch (rt_sigreturn calls). ",
				    b->sys_rows[i].calls);
}

/* hog-*: how late the probe ran beside the hog, and what preempting the hog cost. */
static void hog_sentences(struct st_para *p, const struct st_run *run)
{
	const struct st_workload_result *r = &run->result;
	double p50, p99, max, n, hog_ms = metric_or(r, "hog_ms", 0), slice = metric_or(r, "preempt_slice_ns", 0);
	char a[32], b[32], c[32], d[32];

	if (!st_metric_num(r, "lateness_all_p50_ns", &p50) || !st_metric_num(r, "lateness_all_p99_ns", &p99) ||
	    !st_metric_num(r, "lateness_all_max_ns", &max) || !st_metric_num(r, "lateness_all_samples", &n))
		return;
	st_para_add(p, "A probe due every 1 ms ran late by %s (median), %s at p99 and %s at most (%s samples) "
		       "while the hog computed for %.0f ms between chances to yield",
		    st_fmt_ns(a, sizeof(a), p50), st_fmt_ns(b, sizeof(b), p99), st_fmt_ns(c, sizeof(c), max),
		    st_fmt_count(d, sizeof(d), (__u64)n), hog_ms);
	if (st_metric_num(r, "median_hog_units_per_ms", &n))
		st_para_add(p, "; the hog did %.0f units of work per ms", n);
	st_para_add(p, ". ");
	if (slice > 0) {
		st_para_add(p, "A timer signal preempted the hog %s times (a %s slice; %s put off because the "
			       "hog was not at a safe point)",
			    st_fmt_count(a, sizeof(a), (__u64)metric_or(r, "preemptions", 0)),
			    st_fmt_ns(b, sizeof(b), slice),
			    st_fmt_count(c, sizeof(c), (__u64)metric_or(r, "preempt_deferred", 0)));
		if (st_metric_num(r, "preempt_cost_all_p50_ns", &n))
			st_para_add(p, "; one preemption cost %s (median, p99 %s), end to end", st_fmt_ns(a, sizeof(a), n),
				    st_fmt_ns(b, sizeof(b), metric_or(r, "preempt_cost_all_p99_ns", 0)));
		st_para_add(p, ". ");
	}
	signal_sentence(p, run);
	if (hog_ms > 0 && p99 >= 0.5 * hog_ms * 1e6)
		st_para_add(p, "Nothing interrupts the hog here: the probe waits out its chunk. ");
	else if (slice > 0 && p99 <= 2 * slice)
		st_para_add(p, "Preemption bounds the wait by the slice, not the chunk. ");
	else if (hog_ms > 0)
		st_para_add(p, "Something preempts the hog for the probe: the wait is far below the chunk. ");
}

/* Go: goroutine switches happen in the runtime, not in the kernel. */
static void go_sentences(struct st_para *p, const struct st_run *run)
{
	double counted = counted_switches(run), ks;
	char a[32], b[32];

	if (!run->traced || run->summary.switches_from_kernel || counted <= 0)
		return;
	ks = run->summary.kernel_switches * counted;
	if (run->summary.kernel_switches < 0.01)
		st_para_add(p, "Goroutine switches never reach the kernel: it switched these threads %s times for "
			       "%s counted goroutine switches. ",
			    st_fmt_count(a, sizeof(a), (__u64)(ks + 0.5)), st_fmt_count(b, sizeof(b), (__u64)counted));
	else
		st_para_add(p, "The kernel switched these threads %.2f times per goroutine switch (%s for %s): "
			       "the runtime's own switches do not reach it, its threads' blocking does. ",
			    run->summary.kernel_switches, st_fmt_count(a, sizeof(a), (__u64)(ks + 0.5)),
			    st_fmt_count(b, sizeof(b), (__u64)counted));
}

/* A Go program's goroutine switches (runtime.gogo, probed) beside the kernel's switches of its threads. */
static void gogo_sentences(struct st_para *p, const struct st_run *run)
{
	const struct st_breakdown *b = &run->summary;
	double gs, counted = counted_switches(run), ks;
	char a[32], c[32];

	if (!run->traced)
		return;
	if (!st_metric_num(&run->result, "goroutine_switches", &gs) || gs < 1) {
		if (st_metric(&run->result, "go_program") && b->switches_from_kernel)
			st_para_add(p, "This is a Go program: its goroutines switch inside the Go runtime, which "
				       "the kernel never sees; the %s switches above are its threads'. --goroutines "
				       "counts the goroutine switches too (a uprobe: the program runs slower). ",
				    st_fmt_count(a, sizeof(a), b->switches));
		return;
	}
	ks = b->switches_from_kernel ? (double)b->switches : b->kernel_switches * counted;
	st_para_add(p, "The Go runtime switched goroutines %s times (runtime.gogo, counted with a uprobe) while "
		       "the kernel switched these threads %s times: ",
		    st_fmt_count(a, sizeof(a), (__u64)gs), st_fmt_count(c, sizeof(c), (__u64)(ks + 0.5)));
	if (ks < 0.01 * gs)
		st_para_add(p, "goroutine switches never reach the kernel. ");
	else
		st_para_add(p, "%.2f kernel switches per goroutine switch. ", ks / gs);
	if (!b->switches_from_kernel && counted > 0)
		st_para_add(p, "The workload counted %s switches itself; the probe saw %.1f%% of that. ",
			    st_fmt_count(a, sizeof(a), (__u64)counted), 100 * gs / counted);
}

void st_text_workload(FILE *f, const struct st_run *run)
{
	struct st_para p = { .len = 0 };
	const char *w = run->result.name[0] ? run->result.name : run->workload;

	if (!strcmp(w, "mn"))
		mn_sentences(&p, run);
	else if (!strncmp(w, "hog-", 4) || !strcmp(w, "node-hog"))
		hog_sentences(&p, run);
	else if (!strncmp(w, "go-", 3) && !st_metric(&run->result, "goroutine_switches"))
		go_sentences(&p, run);
	gogo_sentences(&p, run);
	st_para_flush(f, &p, ST_TEXT_WIDTH);
}
