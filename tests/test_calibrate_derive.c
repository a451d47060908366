// SPDX-License-Identifier: GPL-2.0
/*
 * test_calibrate_derive.c — the calibration arithmetic on samples from each
 * kind of host in the fleet (DESIGN.md, "This fleet"). No root, no BPF.
 *
 * Host B (AMD EPYC, no PTI): recorded here with `SCHEDTRACE_RAW=1 schedtrace
 * calibrate` (ten rounds). There a traced getppid spends more time between
 * sys_enter and sys_exit (226 ns) than the bare call takes in all (189 ns):
 * the old "bare minus in-kernel" mode switch came out 0.
 * Host A (Intel, PTI without PCID): rounds reconstructed from its documented
 * figures (getppid bare 1.1-1.6 us, mode switch ~0.9 us, sys_enter ~165 ns
 * and sys_exit ~85 ns per run).
 * Every expectation below is worked out by hand from the rows, not by the
 * code's formula.
 */
#include <string.h>
#include "calibrate_derive.h"
#include "testutil.h"

static struct st_cal_samples host_b(void)
{
	struct st_cal_samples s = {
		.rounds = 10,
		.stats = true,
		.nowork_bare = { 120.9, 125.3, 127.3, 121.2, 123.2, 123.2, 123.0, 124.7, 124.1, 126.2 },
		.nowork_traced = { 401.6, 437.2, 560.3, 432.3, 426.5, 428.7, 427.3, 431.2, 434.3, 428.5 },
		.nowork_kernel = { 146.4, 167.8, 213.8, 171.1, 168.5, 167.4, 170.7, 168.9, 170.9, 169.3 },
		.getppid_bare = { 186.2, 186.8, 188.9, 191.1, 198.1, 188.8, 186.4, 191.7, 186.3, 189.5 },
		.getppid_traced = { 460.0, 483.1, 625.7, 492.5, 532.6, 484.4, 482.8, 485.1, 486.5, 487.7 },
		.getppid_kernel = { 205.2, 226.2, 277.3, 225.7, 244.0, 225.5, 226.0, 229.1, 226.8, 226.1 },
		.pp_bare = { 2545.3, 2562.5, 2546.0, 2535.8, 2568.3, 2568.2, 2553.0, 2566.4, 2563.6, 2559.4 },
		.pp_traced = { 3401.3, 3436.1, 3808.8, 3389.3, 3408.1, 3423.3, 3398.8, 3410.6, 3454.4, 3425.0 },
		.pp_alone = { 2848.9, 2746.2, 2743.5, 2773.4, 2739.7, 2775.5, 2753.6, 2768.0, 2763.3, 2771.8 },
	};

	for (int r = 0; r < 10; r++) {
		s.run_ns[ST_EV_SWITCH][r] = 200;
		s.run_ns[ST_EV_WAKEUP][r] = 64.5;
		s.run_ns[ST_EV_SYS_ENTER][r] = 127;
		s.run_ns[ST_EV_SYS_EXIT][r] = 102;
		s.pp_events[ST_EV_SWITCH][r] = 1.0;
		s.pp_events[ST_EV_WAKEUP][r] = 0.6;
		s.pp_events[ST_EV_SYS_ENTER][r] = 1.6;
		s.pp_events[ST_EV_SYS_EXIT][r] = 1.6;
	}
	s.run_ns[ST_EV_SYS_ENTER][1] = -1; /* a round whose stats phase saw none of ours */
	s.run_ns[ST_EV_SYS_EXIT][1] = -1;
	return s;
}

static struct st_cal_samples host_a(void)
{
	struct st_cal_samples s = {
		.rounds = 8,
		.stats = true,
		.nowork_bare = { 905, 930, 1010, 880, 960, 915, 1240, 940 },
		.nowork_traced = { 1180, 1215, 1290, 1150, 1230, 1195, 1530, 1210 },
		.nowork_kernel = { 96, 101, 99, 94, 103, -1, 140, 98 },
		.getppid_bare = { 1120, 1150, 1230, 1100, 1185, 1140, 1610, 1160 },
		.getppid_traced = { 1400, 1440, 1515, 1375, 1460, 1420, 1900, 1435 },
		.getppid_kernel = { 300, 310, 305, 298, 312, 301, 380, 306 },
		.pp_bare = { 5200, 5260, 5330, 5180, 5290, 5240, 6100, 5250 },
		.pp_traced = { 6900, 6980, 7050, 6850, 7010, 6950, 7900, 6960 },
		.pp_alone = { 5600, 5660, 5720, 5570, 5690, 5640, 6500, 5650 },
	};

	for (int r = 0; r < 8; r++) {
		s.run_ns[ST_EV_SWITCH][r] = 150;
		s.run_ns[ST_EV_WAKEUP][r] = 45;
		s.run_ns[ST_EV_SYS_ENTER][r] = 165;
		s.run_ns[ST_EV_SYS_EXIT][r] = 85;
		s.pp_events[ST_EV_SWITCH][r] = 1.0;
		s.pp_events[ST_EV_WAKEUP][r] = 0.6;
		s.pp_events[ST_EV_SYS_ENTER][r] = 1.6;
		s.pp_events[ST_EV_SYS_EXIT][r] = 1.6;
	}
	return s;
}

/*
 * Host B. Sorted no-work bare: 120.9 121.2 123.0 123.2 123.2 | 124.1 124.7
 * 125.3 126.2 127.3, median (123.2 + 124.1) / 2 = 123.65. Kernel sorted:
 * ... 168.5 168.9 | 169.3 170.7 ..., median 169.1. Paired traced - bare:
 * 280.7 311.9 433.0 311.1 303.3 305.5 304.3 306.5 310.2 302.3, sorted
 * middle 305.5 | 306.5, median 306.0.
 */
static void test_host_b_mode_switch_is_the_no_work_call(void **state)
{
	struct st_cal_samples s = host_b();
	struct st_calibration cal;
	struct st_calibration_check chk;

	(void)state;
	memset(&cal, 0, sizeof(cal));
	st_calibration_derive(&s, &cal, &chk);
	assert_near(cal.mode_switch_ns, 123.65, 1e-9);
	assert_near(cal.nowork_syscall_bare_ns, 123.65, 1e-9);
	assert_near(cal.syscall_probe_in_ns, 169.1, 1e-9);
	assert_near(cal.nowork_syscall_traced_ns, 123.65 + 306.0, 1e-9);
	/* the two syscall probes together cost what the traced no-work call added */
	assert_near(cal.probe_ns[ST_EV_SYS_ENTER] + cal.probe_ns[ST_EV_SYS_EXIT], 306.0, 1e-9);
	/* split like their run times (127 : 102; round 2 saw none and is left out) */
	assert_near(cal.probe_ns[ST_EV_SYS_ENTER], 306.0 * 127 / 229, 1e-9);
	/* the target: within 0.7-1.3x of the bare no-work call, never 0 */
	assert_true(cal.mode_switch_ns >= 0.7 * 123.65 && cal.mode_switch_ns <= 1.3 * 123.65);
}

/*
 * The witness: getppid bare (median (188.8 + 188.9) / 2 = 188.85) against the
 * mode switch plus its own work, its traced kernel time (median
 * (226.1 + 226.2) / 2 = 226.15) minus the probes inside the window (169.1):
 * 123.65 + 57.05 = 180.7, 4% under.
 */
static void test_host_b_getppid_witness_agrees(void **state)
{
	struct st_cal_samples s = host_b();
	struct st_calibration cal;
	struct st_calibration_check chk;

	(void)state;
	st_calibration_derive(&s, &cal, &chk);
	assert_near(cal.null_syscall_bare_ns, 188.85, 1e-9);
	assert_near(cal.null_syscall_kernel_ns, 226.15, 1e-9);
	assert_near(chk.getppid_predicted_ns, 180.7, 1e-9);
	assert_near(chk.getppid_predicted_ns, cal.null_syscall_bare_ns, 0.10);
	/* the old derivation, bare - in-kernel, is negative here: the case that read 0 */
	assert_true(cal.null_syscall_bare_ns - cal.null_syscall_kernel_ns < 0);
}

/*
 * Host A: no-work bare sorted 880 905 915 930 | 940 960 1010 1240, median
 * 935; kernel, round 6 unseen, sorted 94 96 98 99 101 103 140: 99. Paired
 * deltas 275 285 280 270 270 280 290 270: median (275 + 280) / 2 = 277.5.
 * getppid bare median (1150 + 1160) / 2 = 1155, kernel (305 + 306) / 2 =
 * 305.5: predicted 935 + 305.5 - 99 = 1141.5.
 */
static void test_host_a_pti(void **state)
{
	struct st_cal_samples s = host_a();
	struct st_calibration cal;
	struct st_calibration_check chk;

	(void)state;
	st_calibration_derive(&s, &cal, &chk);
	assert_near(cal.mode_switch_ns, 935, 1e-9);
	assert_near(cal.syscall_probe_in_ns, 99, 1e-9);
	assert_near(cal.probe_ns[ST_EV_SYS_ENTER] + cal.probe_ns[ST_EV_SYS_EXIT], 277.5, 1e-9);
	assert_near(chk.getppid_predicted_ns, 1141.5, 1e-9);
	assert_near(chk.getppid_predicted_ns, cal.null_syscall_bare_ns, 0.05);
	/* an outlier round (1240 bare) moves nothing: the median */
	s.nowork_bare[6] = 50000;
	st_calibration_derive(&s, &cal, &chk);
	assert_near(cal.mode_switch_ns, 935, 1e-9);
}

/* Without run-time stats the pair splits evenly and each program is given half as dispatch. */
static void test_no_stats_splits_evenly(void **state)
{
	struct st_cal_samples s = host_b();
	struct st_calibration cal;
	struct st_calibration_check chk;

	(void)state;
	s.stats = false;
	st_calibration_derive(&s, &cal, &chk);
	assert_near(cal.probe_ns[ST_EV_SYS_ENTER], 153.0, 1e-9);
	assert_near(cal.probe_ns[ST_EV_SYS_EXIT], 153.0, 1e-9);
	assert_near(chk.dispatch_ns, 153.0, 1e-9);
	assert_near(chk.sched_scale, 1.0, 0);
}

/* Probes inside the window can never exceed what the probes cost in all. */
static void test_inside_capped_by_whole(void **state)
{
	struct st_cal_samples s = host_b();
	struct st_calibration cal;

	(void)state;
	for (int r = 0; r < s.rounds; r++)
		s.nowork_kernel[r] = 900;
	st_calibration_derive(&s, &cal, NULL);
	assert_near(cal.syscall_probe_in_ns, 306.0, 1e-9);
}

/*
 * The scheduler probes on host B: run time + dispatch ((306 - 127 - 102) / 2
 * = 38.5): switch 238.5, waking 103. The ping-pong's traced - bare (paired
 * median: 856.0 873.6 1262.8 853.5 839.8 855.1 845.8 844.2 890.8 865.6 ->
 * (855.1 + 856.0) / 2 = 855.55) minus its syscall probes (1.6 x 306 = 489.6)
 * leaves 365.95 for 1 switch + 0.6 wake-ups (238.5 + 61.8 = 300.3): x1.2186.
 */
static void test_host_b_sched_scale(void **state)
{
	struct st_cal_samples s = host_b();
	struct st_calibration cal;
	struct st_calibration_check chk;

	(void)state;
	st_calibration_derive(&s, &cal, &chk);
	assert_near(chk.dispatch_ns, 38.5, 1e-9);
	assert_near(chk.sched_scale, 365.95 / 300.3, 1e-6);
	assert_near(cal.probe_ns[ST_EV_SWITCH], 238.5 * 365.95 / 300.3, 1e-6);
	/* the prediction matches the traced ping-pong by construction of the scale */
	assert_near(chk.pingpong_predicted_ns, chk.pingpong_traced_ns, 1e-9);
	/*
	 * Without the detail hooks sched_switch and sched_waking take all of the
	 * ping-pong's traced - bare: paired deltas sorted 171.4 183.7 197.5 199.7
	 * 200.6 | 201.6 ..., median 201.1, over 238.5 + 0.6 x 103 = 300.3.
	 */
	assert_near(chk.sched_alone_scale, 201.1 / 300.3, 1e-6);
	assert_near(cal.probe_alone_ns[ST_EV_SWITCH], 238.5 * 201.1 / 300.3, 1e-6);
	assert_near(cal.probe_alone_ns[ST_EV_WAKEUP], 103 * 201.1 / 300.3, 1e-6);
}

/*
 * The scales are bounded: a fit far from 1 says the run time tells little,
 * not that the probes cost 10x. Host B with the traced ping-pong only 650 ns
 * over bare (every round): 650 - 489.6 = 160.4 for 300.3 of switch and
 * waking, x0.534, held at 0.75. At 489.6 + 3 x 300.3 = 1390.5 over bare, x3,
 * held at 2.5. Alone, 100 ns over bare for 300.3 (x0.333) is held at 0.5,
 * and 1000 (x3.33) at 2.5.
 */
static void test_scales_bounded(void **state)
{
	struct st_cal_samples s = host_b();
	struct st_calibration cal;
	struct st_calibration_check chk;

	(void)state;
	for (int r = 0; r < s.rounds; r++) {
		s.pp_traced[r] = s.pp_bare[r] + 650;
		s.pp_alone[r] = s.pp_bare[r] + 100;
	}
	st_calibration_derive(&s, &cal, &chk);
	assert_near(chk.sched_scale, 0.75, 1e-12);
	assert_near(cal.probe_ns[ST_EV_SWITCH], 238.5 * 0.75, 1e-9);
	assert_near(chk.sched_alone_scale, 0.5, 1e-12);
	assert_near(cal.probe_alone_ns[ST_EV_SWITCH], 238.5 * 0.5, 1e-9);

	for (int r = 0; r < s.rounds; r++) {
		s.pp_traced[r] = s.pp_bare[r] + 1390.5;
		s.pp_alone[r] = s.pp_bare[r] + 1000;
	}
	st_calibration_derive(&s, &cal, &chk);
	assert_near(chk.sched_scale, 2.5, 1e-12);
	assert_near(chk.sched_alone_scale, 2.5, 1e-12);
	assert_near(cal.probe_ns[ST_EV_WAKEUP], 103 * 2.5, 1e-9);
}

/*
 * The rare programs the loops cannot provoke: their filtered-out run time
 * from the quiet phase plus 10 ns for the counter update, plus the dispatch
 * (38.5 on host B). sched_migrate_task is a scheduler hook: scaled along with
 * the others (x365.95 / 300.3), and alone (x201.1 / 300.3). fork/exit is not.
 * migrate: 30 + 10 + 38.5 = 78.5; fork/exit: 50 + 10 + 38.5 = 98.5.
 */
static void test_rare_programs(void **state)
{
	struct st_cal_samples s = host_b();
	struct st_calibration cal;
	struct st_calibration_check chk;

	(void)state;
	s.idle_run_ns[ST_EV_MIGRATE] = 30;
	s.idle_run_ns[ST_EV_FORK_EXIT] = 50;
	st_calibration_derive(&s, &cal, &chk);
	assert_near(chk.run_ns[ST_EV_MIGRATE], 40, 1e-12);
	assert_near(chk.run_ns[ST_EV_FORK_EXIT], 60, 1e-12);
	assert_near(cal.probe_ns[ST_EV_MIGRATE], 78.5 * 365.95 / 300.3, 1e-6);
	assert_near(cal.probe_alone_ns[ST_EV_MIGRATE], 78.5 * 201.1 / 300.3, 1e-6);
	assert_near(cal.probe_ns[ST_EV_FORK_EXIT], 98.5, 1e-9);
	/* the witness's sampling program is not a probe the attribution charges */
	assert_near(cal.probe_ns[ST_EV_SAMPLE], 0, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_b_mode_switch_is_the_no_work_call),
		cmocka_unit_test(test_host_b_getppid_witness_agrees),
		cmocka_unit_test(test_host_a_pti),
		cmocka_unit_test(test_no_stats_splits_evenly),
		cmocka_unit_test(test_inside_capped_by_whole),
		cmocka_unit_test(test_host_b_sched_scale),
		cmocka_unit_test(test_scales_bounded),
		cmocka_unit_test(test_rare_programs),
	};

	return cmocka_run_group_tests_name("calibrate_derive", tests, NULL, NULL);
}
