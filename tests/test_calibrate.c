// SPDX-License-Identifier: GPL-2.0
/*
 * test_calibrate.c — when a cached calibration may serve a run (no root, no
 * BPF: the measurement itself is test_int_calibrate's): this boot, this
 * kernel, and measured within the last ST_CALIBRATION_MAX_AGE_S.
 */
#include <string.h>
#include "calibrate.h"
#include "testutil.h"

#define NOW 1800000000ULL

static struct st_calibration here, cached;

static int setup(void **state)
{
	(void)state;
	memset(&here, 0, sizeof(here));
	snprintf(here.boot_id, sizeof(here.boot_id), "%s", "3f1c9a52-8e0d-4b7a-9c61-0d2e5f4a7b18");
	snprintf(here.kernel, sizeof(here.kernel), "%s", "6.18.44");
	cached = here;
	cached.measured_at = NOW - 60;
	return 0;
}

static void test_recent_same_boot_serves(void **state)
{
	(void)state;
	assert_true(st_calibration_fresh(&cached, &here, NOW));
	cached.measured_at = NOW - ST_CALIBRATION_MAX_AGE_S;
	assert_true(st_calibration_fresh(&cached, &here, NOW)); /* the limit itself still serves */
}

static void test_too_old_is_measured_again(void **state)
{
	(void)state;
	cached.measured_at = NOW - ST_CALIBRATION_MAX_AGE_S - 1;
	assert_false(st_calibration_fresh(&cached, &here, NOW));
	cached.measured_at = NOW + 600; /* from the future: the clock was set back; not trusted */
	assert_false(st_calibration_fresh(&cached, &here, NOW));
}

static void test_other_boot_or_kernel(void **state)
{
	(void)state;
	snprintf(cached.boot_id, sizeof(cached.boot_id), "%s", "00000000-0000-4000-8000-000000000000");
	assert_false(st_calibration_fresh(&cached, &here, NOW));
	cached = here;
	cached.measured_at = NOW;
	snprintf(cached.kernel, sizeof(cached.kernel), "%s", "6.12.0");
	assert_false(st_calibration_fresh(&cached, &here, NOW));
	/* no boot id readable here: nothing can be matched */
	cached = here;
	cached.measured_at = NOW;
	here.boot_id[0] = cached.boot_id[0] = '\0';
	assert_false(st_calibration_fresh(&cached, &here, NOW));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_recent_same_boot_serves, setup),
		cmocka_unit_test_setup(test_too_old_is_measured_again, setup),
		cmocka_unit_test_setup(test_other_boot_or_kernel, setup),
	};

	return cmocka_run_group_tests_name("calibrate", tests, NULL, NULL);
}
