// SPDX-License-Identifier: GPL-2.0
/*
 * test_int_overhead.c — the report's "corrected" ns/switch (measured less
 * events x calibrated probe cost) must describe the untraced program: traced
 * runs' corrected ns/switch against bare (--no-trace) runs of the same
 * workload, within 15% (the overhead issue aimed for 5%; the bench reports
 * the number). Measured here (2-vCPU AMD guest, medians of 21 pairs): epoll
 * +2-5%, epoll-2t +4-5%, pipe +11-13%, pthread +9% (below). pipe's two
 * processes make the switch hook's runs cost about twice what the thread
 * ping-pong calibrates (~800 against ~420 ns a switch); the calibration has
 * no process ping-pong yet. The bound still fails a run whose correction is
 * missing or sign-flipped (traced / bare is 1.25-1.4 uncorrected).
 *
 * Judged only on workloads the calibration was not fitted to. The
 * calibration scales the scheduler probes' cost so that a pinned futex
 * ping-pong's traced - bare comes out exact (calibrate_derive.h): the futex
 * workload is that ping-pong, so it would pass by construction and proves
 * nothing here. pthread (a mutex and a condition variable: ~3 syscalls and
 * ~1.7 kernel switches a switch, preemptions), epoll-2t (two event loops
 * over eventfds), pipe (two processes) mix the events otherwise, and epoll
 * (one thread, system calls and no kernel switch) leaves the scheduler
 * probes out: the syscall probes' calibration, from a no-work syscall,
 * judged on calls that do work.
 *
 * The correction removes the probes' own time, not a change they make to
 * the scheduler's decisions. When the repeat with every hook and the ones
 * with the switch hook alone see different kernel switch counts, the report
 * says so and gives the size (hook_effect.h); the bound widens by that
 * disclosed size, as a share of bare. Pinned pthread here: preempted 0.83
 * times a switch under the switch hook alone, 0.69-0.70 with every hook and
 * untraced (getrusage), ~8% of a switch disclosed and ~8-12% over bare.
 *
 * This host drifts by tens of percent over tens of seconds: bare and traced
 * runs go in back-to-back pairs in a random order, each pair gives one ratio,
 * and the bound holds on the median over pairs. The calibration is measured
 * afresh first (and cached, as `schedtrace calibrate` does): probe costs
 * measured in another hour of this host's drift are not what is checked.
 * Root + BPF (require_bpf).
 *
 *   SCHEDTRACE_OVERHEAD_PAIRS=N   pairs per workload (default 9)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "calibrate.h"
#include "hook_effect.h"
#include "run.h"
#include "stats.h"
#include "testutil.h"

#define MAX_PAIRS 31
#define BOUND 0.15

static struct st_run run;

/*
 * ns/switch of one run: the workload's own (bare) or the corrected one
 * (traced, with the hooks' disclosed effect on the scheduler in *effect_ns).
 */
static double one(const char *w, bool traced, double *effect_ns)
{
	struct st_hook_effect e;

	struct st_run_opts o = { .workload = w, .cpus = { 0 }, .nr_cpus = 1, .iterations = 10000, .repeats = 3,
				 .no_trace = !traced };
	char err[1024];

	if (st_run_workload(&o, &run, err, sizeof(err)))
		fail_msg("%s: %s", w, err);
	if (traced && run.summary.lost)
		fail_msg("%s: %llu events lost", w, (unsigned long long)run.summary.lost);
	if (traced)
		*effect_ns = st_hook_effect(&run, &e) && e.found ? e.ns : 0;
	return traced ? run.summary.corrected_ns_per_switch : run.summary.ns_per_switch;
}

static void check(const char *w)
{
	double bare[MAX_PAIRS], corr[MAX_PAIRS], q[MAX_PAIRS], eff[MAX_PAIRS], mq, allow;
	const char *env = getenv("SCHEDTRACE_OVERHEAD_PAIRS");
	int pairs = env ? atoi(env) : 9;
	static bool calibrated;

	require_bpf();
	if (!calibrated) {
		struct st_calibration cal;
		char err[512];

		if (st_calibration_get(&cal, true, NULL, err, sizeof(err)))
			fail_msg("calibrating: %s", err);
		calibrated = true;
	}
	if (pairs < 1 || pairs > MAX_PAIRS)
		pairs = 9;
	for (int i = 0; i < pairs; i++) {
		double effect_ns = 0;

		if (rand() & 1) {
			bare[i] = one(w, false, NULL);
			corr[i] = one(w, true, &effect_ns);
		} else {
			corr[i] = one(w, true, &effect_ns);
			bare[i] = one(w, false, NULL);
		}
		q[i] = corr[i] / bare[i];
		eff[i] = effect_ns / bare[i];
	}
	mq = st_median(q, pairs);
	allow = st_median(eff, pairs);
	print_message("[   INFO   ] %-9s bare %.1f ns/switch, traced corrected %.1f (medians); corrected/bare: median "
		      "%.3f (pairs %.3f-%.3f, n %d)\n",
		      w, st_median(bare, pairs), st_median(corr, pairs), mq, q[0], q[pairs - 1], pairs);
	if (allow > 0)
		print_message("[   INFO   ] %-9s the hooks changed the scheduler's decisions; the report discloses "
			      "%.1f%% of bare (median): the bound is %.1f%%\n",
			      w, 100 * allow, 100 * (BOUND + allow));
	if (fabs(mq - 1) > BOUND + allow)
		fail_msg("%s: corrected / bare = %.3f, more than %.1f%% off: the calibrated probe costs do not "
			 "describe this workload (schedtrace calibrate shows them)",
			 w, mq, (BOUND + allow) * 100);
}

static void test_pthread(void **state) { (void)state; check("pthread"); }
static void test_epoll_2t(void **state) { (void)state; check("epoll-2t"); }
static void test_pipe(void **state) { (void)state; check("pipe"); }
static void test_epoll(void **state) { (void)state; check("epoll"); }

int main(void)
{
	static char dir[4096];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pthread),
		cmocka_unit_test(test_epoll_2t),
		cmocka_unit_test(test_pipe),
		cmocka_unit_test(test_epoll),
	};

	snprintf(dir, sizeof(dir), "%s", testutil_bin("workloads"));
	setenv("SCHEDTRACE_WORKLOADS", dir, 1);
	srand((unsigned)time(NULL));
	testutil_filter();
	return cmocka_run_group_tests_name("int_overhead", tests, NULL, NULL);
}
