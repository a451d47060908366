// SPDX-License-Identifier: GPL-2.0
/*
 * test_dist.c — the latency distribution of the result protocol
 * (workloads/common/dist.c): nearest-rank percentiles and the power-of-two
 * histogram, against values worked out by hand.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "testutil.h"
#include "dist.h"

static void percentiles_by_nearest_rank(void **state)
{
	uint64_t four[] = { 4, 1, 3, 2 };		/* unsorted on purpose */
	uint64_t hundred[100];
	struct wl_dist d;

	(void)state;
	d = wl_dist_of(four, 4);
	assert_int_equal(d.n, 4);
	assert_int_equal(d.min, 1);
	assert_int_equal(d.p50, 2);	/* rank ceil(0.5 * 4) = 2 */
	assert_int_equal(d.p90, 4);	/* rank ceil(3.6) = 4 */
	assert_int_equal(d.max, 4);
	assert_true(d.mean == 2.5);
	for (int i = 0; i < 100; i++)
		hundred[i] = (uint64_t)(100 - i) * 10;	/* 1000, 990, ..., 10 */
	d = wl_dist_of(hundred, 100);
	assert_int_equal(d.p50, 500);	/* the 50th of 10..1000 */
	assert_int_equal(d.p90, 900);
	assert_int_equal(d.p99, 990);
	assert_int_equal(d.p999, 1000);	/* rank ceil(99.9) = 100 */
	assert_int_equal(hundred[0], 10);	/* sorted in place */
}

static void one_sample_and_none(void **state)
{
	uint64_t one[] = { 77 };
	struct wl_dist d;

	(void)state;
	d = wl_dist_of(one, 1);
	assert_int_equal(d.p50, 77);
	assert_int_equal(d.p99, 77);
	assert_int_equal(d.min, 77);
	d = wl_dist_of(NULL, 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(d.max, 0);
}

static void histogram_of_powers_of_two(void **state)
{
	/* 0 and 1 in bucket 0; 2,3 in 1; 4..7 in 2; 1000 in 9 (512..1023); 1024 in 10 */
	uint64_t v[] = { 0, 1, 2, 3, 4, 7, 1000, 1024 };
	char buf[128], tiny[8];

	(void)state;
	assert_true(wl_hist_pow2(v, 8, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "0:2,1:2,2:2,9:1,10:1");
	assert_int_equal(wl_hist_pow2(v, 8, tiny, sizeof(tiny)), -1);
	assert_int_equal(wl_hist_pow2(v, 0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
}

static void samples_grow(void **state)
{
	struct wl_samples s = { 0 };

	(void)state;
	for (uint64_t i = 0; i < 10000; i++)
		wl_samples_push(&s, i);
	assert_int_equal(s.n, 10000);
	assert_int_equal(s.v[9999], 9999);
	wl_samples_free(&s);
	assert_null(s.v);
	assert_int_equal(s.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(percentiles_by_nearest_rank),
		cmocka_unit_test(one_sample_and_none),
		cmocka_unit_test(histogram_of_powers_of_two),
		cmocka_unit_test(samples_grow),
	};

	return cmocka_run_group_tests_name("dist", tests, NULL, NULL);
}
