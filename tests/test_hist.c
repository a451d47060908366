// SPDX-License-Identifier: GPL-2.0
/* test_hist.c — the log-linear slot function of bpf/hist.h, as user space reads it. */
#include "testutil.h"
#include "attribute.h"
#include "latency.h"

/* Every value lands in the slot whose bounds hold it. */
static void test_value_round_trip(void **state)
{
	(void)state;
	for (__u64 v = 0; v < 100000; v++) {
		int s = st_hist_slot(v);

		assert_true(st_hist_slot_lo(s) <= v);
		assert_true(v < st_hist_slot_hi(s));
	}
	/* sparse check up to the last slot */
	for (__u64 v = 100000; v < (7ULL << 30); v += v / 7 + 1) {
		int s = st_hist_slot(v);

		assert_true(st_hist_slot_lo(s) <= v && v < st_hist_slot_hi(s));
	}
}

/* Every slot's lower bound maps back to the slot; slots grow; each spans <= 25%. */
static void test_slot_round_trip(void **state)
{
	(void)state;
	for (int s = 0; s < ST_HIST_SLOTS; s++) {
		__u64 lo = st_hist_slot_lo(s), hi = st_hist_slot_hi(s);

		assert_int_equal(st_hist_slot(lo), s);
		assert_true(hi > lo);
		if (s < ST_HIST_SLOTS - 1)
			assert_int_equal(st_hist_slot(hi - 1), s);
		if (s >= 4)
			assert_true((hi - lo) * 4 <= lo);
	}
	assert_int_equal(st_hist_slot(0), 0);
	assert_int_equal(st_hist_slot(3), 3);
	assert_int_equal(st_hist_slot(4), 4);
	assert_int_equal(st_hist_slot(1024), 36);
	assert_int_equal(st_hist_slot(1279), 36);
	assert_int_equal(st_hist_slot(1280), 37);
}

/* Values past the last slot's start clamp into it. */
static void test_clamp(void **state)
{
	(void)state;
	assert_int_equal(st_hist_slot(~0ULL), ST_HIST_SLOTS - 1);
	assert_int_equal(st_hist_slot(st_hist_slot_lo(ST_HIST_SLOTS - 1)), ST_HIST_SLOTS - 1);
	assert_int_equal(st_hist_slot(st_hist_slot_lo(ST_HIST_SLOTS - 1) - 1), ST_HIST_SLOTS - 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_value_round_trip),
		cmocka_unit_test(test_slot_round_trip),
		cmocka_unit_test(test_clamp),
	};
	return cmocka_run_group_tests_name("hist", tests, NULL, NULL);
}
