// SPDX-License-Identifier: GPL-2.0
/*
 * test_int_calibrate.c — `schedtrace calibrate` measured for real: every
 * number the attribution charges must come from a measurement, not from a
 * phase that silently saw nothing. In particular the rounds detach and
 * re-attach the syscall hooks (the alone ping-pong); the null-syscall loop
 * after that must still see its own sys_enter/sys_exit.
 * Root + BPF (require_bpf).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "calibrate.h"
#include "testutil.h"

static void test_every_cost_measured(void **state)
{
	struct st_calibration cal;
	struct st_calibration_check chk;
	char err[512] = "";
	int e;

	(void)state;
	require_bpf();
	memset(&cal, 0, sizeof(cal));
	memset(&chk, 0, sizeof(chk));
	e = st_calibrate(&cal, &chk, -1, NULL, err, sizeof(err));
	if (e)
		fail_msg("calibrate: %s", err);
	st_calibration_print(stderr, &cal, &chk);

	assert_true(cal.null_syscall_bare_ns > 0);
	assert_true(cal.null_syscall_kernel_ns > 0);
	assert_true(cal.mode_switch_ns > 0 && cal.mode_switch_ns < cal.null_syscall_bare_ns);
	/* the ping-pong makes ~1.6 syscalls, 1 switch and ~0.6 wake-ups per switch */
	assert_true(chk.pingpong_events[ST_EV_SYS_ENTER] > 1.0);
	assert_true(chk.pingpong_events[ST_EV_SWITCH] > 0.5);
	if (chk.stats) {
		/* each program's run time was seen in every round, also after the hooks came back */
		for (int ev = ST_EV_SWITCH; ev <= ST_EV_SYS_EXIT; ev++)
			if (ev != ST_EV_MIGRATE && !(chk.run_ns[ev] > 0))
				fail_msg("no run time measured for event %d", ev);
	}
	/* sched_switch alone was measured, and costs something */
	assert_true(cal.probe_alone_ns[ST_EV_SWITCH] > 0);
	assert_true(chk.pingpong_alone_ns > 0);
	for (int ev = ST_EV_SWITCH; ev <= ST_EV_FORK_EXIT; ev++)
		assert_true(cal.probe_ns[ev] > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_cost_measured),
	};

	return cmocka_run_group_tests_name("int_calibrate", tests, NULL, NULL);
}
