// SPDX-License-Identifier: GPL-2.0
/*
 * test_metrics.c — a workload's own figures (user/core/metrics.c) and the
 * paragraph the text report makes of them (report/text_workload.c). The
 * expected sentences are worked out by hand from the fixture's counts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "metrics.h"
#include "text_parts.h"

static struct st_run run;

static void test_put_get_add(void **state)
{
	struct st_workload_result *r = &run.result;
	double v = -1;

	(void)state;
	memset(&run, 0, sizeof(run));
	assert_null(st_metric(r, "workers"));
	assert_false(st_metric_num(r, "workers", &v));
	assert_true(v == -1); /* untouched when absent */
	assert_true(st_metric_put(r, "workers", "2"));
	assert_true(st_metric_put(r, "handoff", "parked"));
	assert_true(st_metric_put(r, "workers", "3")); /* the last write wins, in place */
	assert_int_equal(r->nr_metrics, 2);
	assert_string_equal(st_metric(r, "workers"), "3");
	assert_false(st_metric_num(r, "handoff", &v)); /* a word is not a number */
	assert_true(st_metric_add(r, "preemptions", 40));
	assert_true(st_metric_add(r, "preemptions", 2));
	assert_true(st_metric_num(r, "preemptions", &v));
	assert_true(v == 42);
	/* sums past 2^53 / 1e17 keep their digits: counts of switches reach 1e10 */
	assert_true(st_metric_add(r, "hog_units", 9876543210.0));
	assert_true(st_metric_add(r, "hog_units", 9876543210.0));
	assert_string_equal(st_metric(r, "hog_units"), "19753086420");
}

static void test_table_limits(void **state)
{
	struct st_workload_result *r = &run.result;
	char key[ST_METRIC_LEN + 8];

	(void)state;
	memset(&run, 0, sizeof(run));
	memset(key, 'k', sizeof(key) - 1);
	key[sizeof(key) - 1] = '\0';
	assert_false(st_metric_put(r, key, "1")); /* too long: refused, not cut */
	for (int i = 0; i < ST_MAX_METRICS; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		assert_true(st_metric_put(r, key, "1"));
	}
	assert_false(st_metric_put(r, "one_more", "1"));
	assert_true(st_metric_put(r, "k7", "8")); /* an existing key still changes */
	assert_string_equal(st_metric(r, "k7"), "8");
}

static void test_summed_keys(void **state)
{
	(void)state;
	assert_true(st_metric_summed("handoffs_cross_parked"));
	assert_true(st_metric_summed("preemptions"));
	assert_false(st_metric_summed("lateness_p99_ns")); /* a per-repeat distribution: read pooled */
	assert_false(st_metric_summed("hog_units_per_ms")); /* a rate: the run key has its median */
	assert_false(st_metric_summed("workers"));
}

static char *render(void)
{
	static char buf[8192];
	FILE *f;

	buf[0] = '\0'; /* nothing written leaves the buffer as it was */
	f = fmemopen(buf, sizeof(buf), "w");

	assert_non_null(f);
	st_text_workload(f, &run);
	fclose(f);
	for (char *c = buf; *c; c++) /* one line: the phrases looked for may wrap */
		if (*c == '\n')
			*c = ' ';
	return buf;
}

/* A traced mn run: 1 + 1 + 2 hand-offs of 4 counted switches (2 repeats of 2), 3 kernel switches. */
static void mn_fixture(void)
{
	struct st_workload_result *r = &run.result;

	memset(&run, 0, sizeof(run));
	snprintf(run.workload, sizeof(run.workload), "mn");
	snprintf(r->name, sizeof(r->name), "mn");
	run.traced = true;
	r->nr_repeats = 2;
	r->repeat[0].switches = r->repeat[1].switches = 2000;
	st_metric_put(r, "handoffs_same_worker", "1000");
	st_metric_put(r, "handoffs_cross_running", "1000");
	st_metric_put(r, "handoffs_cross_parked", "2000");
	run.summary.kernel_switches = 0.75; /* 3,000 of 4,000 */
}

static void test_mn_paragraph(void **state)
{
	char *t;

	(void)state;
	mn_fixture();
	t = render();
	/* 1000/4000 = 25%, 1000/4000 = 25%, 2000/4000 = 50%; 3000 kernel switches / 2000 parked = 1.50 */
	assert_non_null(strstr(t, "4,000 hand-offs"));
	assert_non_null(strstr(t, "25% stayed"));
	assert_non_null(strstr(t, "25% went"));
	assert_non_null(strstr(t, "50% woke"));
	assert_non_null(strstr(t, "3,000 times, 1.50 per parked"));
	run.traced = false; /* untraced: the counts, and no kernel sentence */
	t = render();
	assert_non_null(strstr(t, "50% woke"));
	assert_null(strstr(t, "kernel switched"));
	st_metric_put(&run.result, "handoffs_cross_parked", "");
	assert_string_equal(render(), ""); /* a count missing: nothing said */
}

static void test_hog_paragraph(void **state)
{
	struct st_workload_result *r = &run.result;
	char *t;

	(void)state;
	memset(&run, 0, sizeof(run));
	snprintf(r->name, sizeof(r->name), "hog-coro");
	st_metric_put(r, "hog_ms", "200");
	st_metric_put(r, "lateness_all_samples", "150");
	st_metric_put(r, "lateness_all_p50_ns", "11500000");
	st_metric_put(r, "lateness_all_p99_ns", "16600000");
	st_metric_put(r, "lateness_all_max_ns", "19000000");
	t = render();
	assert_non_null(strstr(t, "11.5 ms (median), 16.6 ms at p99 and 19.0 ms"));
	/* p99 16.6 ms < half the 200 ms chunk, no slice: something else preempts */
	assert_non_null(strstr(t, "Something preempts the hog"));
	st_metric_put(r, "preempt_slice_ns", "10000000");
	st_metric_put(r, "preemptions", "143");
	t = render();
	/* p99 16.6 ms <= 2 x the 10 ms slice */
	assert_non_null(strstr(t, "preempted the hog 143 times"));
	assert_non_null(strstr(t, "Preemption bounds the wait"));
	st_metric_put(r, "lateness_all_p99_ns", "199000000");
	t = render(); /* 199 ms >= half the chunk: the probe waited it out */
	assert_non_null(strstr(t, "Nothing interrupts the hog"));
}

static void test_go_paragraph(void **state)
{
	char *t;

	(void)state;
	memset(&run, 0, sizeof(run));
	snprintf(run.result.name, sizeof(run.result.name), "go-yield");
	run.traced = true;
	run.result.nr_repeats = 1;
	run.result.repeat[0].switches = 4000000;
	run.summary.kernel_switches = 40.0 / 4000000;
	t = render();
	assert_non_null(strstr(t, "never reach the kernel: it switched these threads 40 times for 4,000,000"));
	run.summary.kernel_switches = 0.5;
	t = render();
	assert_non_null(strstr(t, "0.50 times per goroutine switch (2,000,000 for 4,000,000)"));
}

/* A traced Go program: marked, then its goroutine switches counted beside the kernel's. */
static void test_gogo_paragraph(void **state)
{
	char *t;

	(void)state;
	memset(&run, 0, sizeof(run));
	snprintf(run.result.name, sizeof(run.result.name), "server");
	run.traced = true;
	run.summary.switches_from_kernel = true;
	run.summary.switches = 1149;
	st_metric_put(&run.result, "go_program", "1");
	t = render();
	assert_non_null(strstr(t, "This is a Go program"));
	assert_non_null(strstr(t, "the 1,149 switches above are its threads'"));
	st_metric_put(&run.result, "goroutine_switches", "400017");
	t = render();
	/* 1,149 < 1% of 400,017 */
	assert_non_null(strstr(t, "switched goroutines 400,017 times"));
	assert_non_null(strstr(t, "switched these threads 1,149 times: goroutine switches never reach the kernel"));
	run.summary.switches = 200000; /* half: the kernel does see them */
	t = render();
	assert_non_null(strstr(t, "0.50 kernel switches per goroutine switch"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_get_add),
		cmocka_unit_test(test_table_limits),
		cmocka_unit_test(test_summed_keys),
		cmocka_unit_test(test_mn_paragraph),
		cmocka_unit_test(test_hog_paragraph),
		cmocka_unit_test(test_go_paragraph),
		cmocka_unit_test(test_gogo_paragraph),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
