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
	/* entry + exit is the bare no-work call, and less than a call that does work */
	assert_true(cal.mode_switch_ns > 0 && cal.mode_switch_ns < cal.null_syscall_bare_ns);
	assert_true(cal.mode_switch_ns >= 0.7 * cal.nowork_syscall_bare_ns &&
		    cal.mode_switch_ns <= 1.3 * cal.nowork_syscall_bare_ns);
	/* the probes run inside the window, and cost no more there than in all */
	assert_true(cal.syscall_probe_in_ns > 0);
	assert_true(cal.syscall_probe_in_ns <= cal.nowork_syscall_traced_ns - cal.nowork_syscall_bare_ns + 1e-9);
	/*
	 * The witness: getppid's bare time against the mode switch plus its own
	 * work (its traced in-kernel time less the probes in the window),
	 * measured separately. Within 25%: getppid's work is a few tens of ns.
	 */
	if (!(chk.getppid_predicted_ns > 0.75 * cal.null_syscall_bare_ns &&
	      chk.getppid_predicted_ns < 1.25 * cal.null_syscall_bare_ns))
		fail_msg("getppid bare %.1f ns, but mode switch + its own work = %.1f ns", cal.null_syscall_bare_ns,
			 chk.getppid_predicted_ns);
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
