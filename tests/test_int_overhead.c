// SPDX-License-Identifier: GPL-2.0
/*
 * test_int_overhead.c — the report's "corrected" ns/switch (measured less
 * events x calibrated probe cost) must describe the untraced program. The
 * witness is the untraced window `run` adds after its repeats: every hook
 * detached, the same workload process, right after the last repeat. Its
 * ns/switch against that repeat's corrected one, within 15% (the overhead
 * issue aimed for 5%; the bench reports the number).
 *
 * Runs of separate bare and traced processes, even back to back in pairs,
 * were not a witness on this host: its drift put single pairs at 0.72-1.77
 * and failed CI rehearsals at medians of 1.14-1.21 on workloads whose bias
 * is a few %. Adjacent windows of one process differ by a few %.
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
 * judged on calls that do work. Measured here (medians over runs): epoll
 * +2-5%, epoll-2t +4-7%, pipe +5-12% (its process switches make the switch
 * hook cost more than the thread ping-pong calibrates; the calibration has
 * no process ping-pong yet), pthread +6-8% (below). The bound still fails a
 * run whose correction is missing (traced / untraced is 1.2-1.3 here).
 *
 * The correction removes the probes' own time, not a change they make to
 * the scheduler's decisions. When the repeat with every hook and the ones
 * with the switch hook alone see different kernel switch counts, the report
 * says so and gives the size (hook_effect.h); the bound widens by that
 * disclosed size. Pinned pthread here: preempted 0.83 times a switch under
 * the switch hook alone, 0.69-0.70 with every hook and untraced
 * (getrusage), ~8% of a switch disclosed.
 *
 * The calibration is measured afresh first (and cached, as `schedtrace
 * calibrate` does): probe costs measured in another hour of this host's
 * drift are not what is checked. Root + BPF (require_bpf).
 *
 *   SCHEDTRACE_OVERHEAD_RUNS=N   runs per workload (default 9)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "calibrate.h"
#include "hook_effect.h"
#include "run.h"
#include "stats.h"
#include "testutil.h"

#define MAX_RUNS 31
#define BOUND 0.15

static struct st_run run;

/*
 * One run of w, 3 traced repeats and the untraced window after them: the
 * last repeat's corrected ns/switch over the untraced window's (they ran
 * back to back in one process), and the hooks' disclosed effect on the
 * scheduler as a share of the untraced time in *allow.
 */
static double one(const char *w, double *allow)
{
	struct st_run_opts o = { .workload = w, .cpus = { 0 }, .nr_cpus = 1, .iterations = 10000, .repeats = 3,
				 .untraced_last = true };
	struct st_hook_effect e;
	char err[1024];
	double bare, last;

	if (st_run_workload(&o, &run, err, sizeof(err)))
		fail_msg("%s: %s", w, err);
	if (run.summary.lost)
		fail_msg("%s: %llu events lost", w, (unsigned long long)run.summary.lost);
	/* three repeats, and the untraced window is none of them */
	assert_int_equal(run.nr_repeats, 3);
	bare = run.untraced_ns_per_switch;
	if (!(bare > 0))
		fail_msg("%s: no untraced window after the repeats", w);
	*allow = st_hook_effect(&run, &e) && e.found ? e.ns / bare : 0;
	if (!st_untraced_witness(&run, &last))
		fail_msg("%s: the last repeat has no corrected figure", w);
	return last / bare;
}

static void check(const char *w)
{
	double q[MAX_RUNS], eff[MAX_RUNS], mq, allow;
	const char *env = getenv("SCHEDTRACE_OVERHEAD_RUNS");
	int runs = env ? atoi(env) : 9;
	static bool calibrated;

	require_bpf();
	if (!calibrated) {
		struct st_calibration cal;
		char err[512];

		if (st_calibration_get(&cal, true, NULL, err, sizeof(err)))
			fail_msg("calibrating: %s", err);
		calibrated = true;
	}
	if (runs < 1 || runs > MAX_RUNS)
		runs = 9;
	for (int i = 0; i < runs; i++)
		q[i] = one(w, &eff[i]);
	mq = st_median(q, runs);
	allow = st_median(eff, runs);
	print_message("[   INFO   ] %-9s last repeat corrected / untraced window: median %.3f (%.3f-%.3f, n %d)\n", w,
		      mq, q[0], q[runs - 1], runs);
	if (allow > 0)
		print_message("[   INFO   ] %-9s the hooks changed the scheduler's decisions; the report discloses "
			      "%.1f%% of the untraced time (median): the bound is %.1f%%\n",
			      w, 100 * allow, 100 * (BOUND + allow));
	if (fabs(mq - 1) > BOUND + allow)
		fail_msg("%s: corrected / untraced = %.3f, more than %.1f%% off: the calibrated probe costs do not "
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
	testutil_filter();
	return cmocka_run_group_tests_name("int_overhead", tests, NULL, NULL);
}
