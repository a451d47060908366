// SPDX-License-Identifier: GPL-2.0
/*
 * test_int_metrics.c — what a workload counts itself against what the
 * kernel saw of the same run (root + BPF). The workloads' counts come over
 * the result protocol; the witnesses are the tracer's kernel switches and
 * the rt_sigreturn calls every handled signal ends with.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "metrics.h"
#include "run.h"
#include "trace.h"
#include "testutil.h"

static struct st_run run;

static double counted(void)
{
	double n = 0;

	for (int i = 0; i < run.result.nr_repeats; i++)
		n += (double)run.result.repeat[i].switches;
	return n;
}

static double metric(const char *key)
{
	double v;

	if (!st_metric_num(&run.result, key, &v))
		fail_msg("%s wrote no %s", run.workload, key);
	return v;
}

static void do_run(const char *w, int ncpus, long n, long r, char **args, int nargs)
{
	struct st_run_opts o = { .workload = w, .cpus = { 0, 1 }, .nr_cpus = ncpus, .iterations = n, .repeats = r,
				 .every_repeat = true, .wl_args = args, .nr_wl_args = nargs };
	char err[1024] = "";

	if (st_run_workload(&o, &run, err, sizeof(err)))
		fail_msg("run %s: %s", w, err);
}

static void skip_one_cpu(void)
{
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		print_message("[   SKIP   ] mn's cross-worker hand-offs need two CPUs\n");
		skip();
	}
}

/* mn, pong parked: every hand-off wakes a parked worker, each one a kernel switch. */
static void test_mn_parked_handoffs_are_kernel_switches(void **state)
{
	char *args[] = { "--handoff", "parked" };
	double parked, all, ks;

	(void)state;
	require_bpf();
	skip_one_cpu();
	do_run("mn", 2, 50000, 2, args, 2);
	parked = metric("handoffs_cross_parked");
	all = parked + metric("handoffs_same_worker") + metric("handoffs_cross_running");
	ks = run.summary.kernel_switches * counted();
	print_message("[   INFO   ] mn parked: %.0f counted, %.0f parked hand-offs, %.0f kernel switches\n", counted(),
		      parked, ks);
	/* the protocol's identity, summed over the repeats */
	assert_near(all, counted(), 1e-9);
	if (parked < 0.9 * all)
		fail_msg("only %.0f of %.0f hand-offs were to a parked worker with --handoff parked", parked, all);
	/* the kernel's witness: one switch per parked hand-off, give or take a preemption */
	if (ks < 0.9 * parked || ks > 1.3 * parked)
		fail_msg("the kernel switched %.0f times for %.0f parked hand-offs", ks, parked);
}

/* mn, both on one worker: hand-offs stay in user space; the kernel hardly switches. */
static void test_mn_same_worker_stays_in_user_space(void **state)
{
	double same, ks;

	(void)state;
	require_bpf();
	skip_one_cpu();
	do_run("mn", 2, 200000, 2, NULL, 0);
	same = metric("handoffs_same_worker");
	ks = run.summary.kernel_switches * counted();
	print_message("[   INFO   ] mn same: %.0f counted, %.0f same-worker hand-offs, %.0f kernel switches\n",
		      counted(), same, ks);
	assert_near(same, counted(), 1e-9);
	if (ks > 0.001 * same)
		fail_msg("the kernel switched %.0f times for %.0f same-worker hand-offs", ks, same);
}

/* hog-coro-preempt: the timer signals the workload counts are the ones the kernel delivered. */
static void test_hog_coro_ticks_are_signals(void **state)
{
	double ticks, sigreturns = 0;
	const struct st_breakdown *b = &run.summary;

	(void)state;
	require_bpf();
	do_run("hog-coro-preempt", 1, 2, 2, NULL, 0); /* the catalog's hog-coro --preempt 10 */
	ticks = metric("preempt_ticks");
	for (int i = 0; i < b->nr_sys_rows; i++)
		if (!strcmp(b->sys_rows[i].name, "rt_sigreturn"))
			sigreturns = b->sys_rows[i].calls * counted();
	print_message("[   INFO   ] hog-coro-preempt: %.0f ticks counted, %.0f rt_sigreturn seen, %.0f preemptions\n",
		      ticks, sigreturns, metric("preemptions"));
	if (ticks < 10)
		fail_msg("%.0f timer ticks in 2 x 2 chunks of 200 ms with a 10 ms slice", ticks);
	if (sigreturns < 0.9 * ticks || sigreturns > 1.1 * ticks)
		fail_msg("the kernel returned from %.0f signal handlers for %.0f ticks", sigreturns, ticks);
	if (metric("preemptions") > ticks)
		fail_msg("more preemptions than ticks");
}

/*
 * trace --goroutines on a Go program: runtime.gogo, probed, ran once per
 * goroutine switch the workload made: go-yield -w 0 -n N makes 2N (and the
 * runtime a handful of its own: its start, the GC's workers).
 */
static void test_trace_counts_goroutines(void **state)
{
	static struct st_run tr;
	static struct st_trace_what what;
	static volatile sig_atomic_t never;
	char path[4096], err[1024];
	char *cmd[] = { path, "-C", "0", "-w", "0", "-n", "200000", "-r", "1", NULL };
	struct st_trace_opts o = { .cmd = cmd, .goroutines = true, .cpus = { 0 }, .nr_cpus = 1, .stop = &never };
	double gs;

	(void)state;
	require_bpf();
	snprintf(path, sizeof(path), "%s", testutil_bin("workloads/go-yield"));
	if (access(path, X_OK)) {
		print_message("[   SKIP   ] needs go: no %s\n", path);
		skip();
	}
	if (st_trace_run(&o, &tr, &what, err, sizeof(err)))
		fail_msg("trace go-yield: %s", err);
	assert_non_null(st_metric(&tr.result, "go_program"));
	if (!st_metric_num(&tr.result, "goroutine_switches", &gs))
		fail_msg("no goroutine count");
	print_message("[   INFO   ] go-yield -n 200000: runtime.gogo ran %.0f times, the kernel switched %llu\n", gs,
		      (unsigned long long)tr.summary.switches);
	if (gs < 400000 || gs > 400000 + 1000)
		fail_msg("runtime.gogo ran %.0f times for 400,000 goroutine switches", gs);
	if ((double)tr.summary.switches > 0.01 * gs)
		fail_msg("the kernel switched the threads %llu times: goroutine switches reached it?",
			 (unsigned long long)tr.summary.switches);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mn_parked_handoffs_are_kernel_switches),
		cmocka_unit_test(test_mn_same_worker_stays_in_user_space),
		cmocka_unit_test(test_hog_coro_ticks_are_signals),
		cmocka_unit_test(test_trace_counts_goroutines),
	};

	return cmocka_run_group_tests(tests, testutil_use_built_workloads, NULL);
}
