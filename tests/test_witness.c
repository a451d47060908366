// SPDX-License-Identifier: GPL-2.0
/*
 * test_witness.c — the breakdown's user share against the cpu-clock
 * samples of the same window (report/witness.c). No root. The expected
 * shares and errors are worked out by hand in each case.
 */
#include <string.h>
#include "testutil.h"
#include "witness.h"

static struct st_breakdown b;

static void window(double user_ns, __u64 user, __u64 kernel, __u64 other, __u64 idle)
{
	memset(&b, 0, sizeof(b));
	b.nr_cpus = 1;
	b.ns_per_switch = 5600;
	b.user = user_ns;
	b.samples.user = user;
	b.samples.kernel = kernel;
	b.samples.other = other;
	b.samples.idle = idle;
}

/* 100 of 1000 samples in user mode: 10% +/- 0.95 (sqrt(0.1 x 0.9 / 1000)); 600 ns of 5600 is 10.7%. */
static void test_agree(void **state)
{
	struct st_witness w;
	char line[512];

	(void)state;
	window(600, 100, 850, 30, 20);
	st_witness_of(&b, &w);
	assert_true(w.sampled);
	assert_int_equal(w.samples, 1000);
	assert_near(w.sampled_user, 0.10, 1e-12);
	assert_near(w.sampled_err, 0.0094868329805, 1e-9);
	assert_near(w.attributed_user, 600.0 / 5600, 1e-12);
	assert_near(w.diff_points, 100 * (600.0 / 5600 - 0.10), 1e-9);
	assert_false(w.disagrees);
	assert_false(w.too_few);
	st_witness_sentence(line, sizeof(line), &b);
	assert_non_null(strstr(line, "1,000 cpu-clock samples"));
	assert_non_null(strstr(line, "10.0% of the time (+/- 1.9); user code above is 10.7%: they agree."));
}

/* 1200 ns of 5600 is 21.4%: 11.4 points over 10% +/- 0.95, beyond 5 points and 3 errors. */
static void test_disagree(void **state)
{
	struct st_witness w;
	char line[512];

	(void)state;
	window(1200, 100, 900, 0, 0);
	st_witness_of(&b, &w);
	assert_true(w.disagrees);
	st_witness_sentence(line, sizeof(line), &b);
	assert_non_null(strstr(line, "user code above is 21.4%: they DISAGREE"));
}

/* 4 of 40 samples: 10% +/- 4.7; 17% is 7 points off, within 3 errors (14.2): too few to tell. */
static void test_too_few(void **state)
{
	struct st_witness w;

	(void)state;
	window(0.17 * 5600, 4, 36, 0, 0);
	st_witness_of(&b, &w);
	assert_false(w.disagrees);
	assert_true(w.too_few);
	/* 22% is 12 points off: beyond two errors (9.5) but within three: still too few */
	window(0.22 * 5600, 4, 36, 0, 0);
	st_witness_of(&b, &w);
	assert_false(w.disagrees);
	assert_true(w.too_few);
	/* 25%: 15 points, beyond three errors: they disagree */
	window(0.25 * 5600, 4, 36, 0, 0);
	st_witness_of(&b, &w);
	assert_true(w.disagrees);
}

/* No user sample at all: the error is not 0 but one sample's worth (0.5% of 200). */
static void test_zero_share(void **state)
{
	struct st_witness w;

	(void)state;
	window(0.06 * 5600, 0, 200, 0, 0);
	st_witness_of(&b, &w);
	assert_near(w.sampled_err, 0, 0);
	assert_true(w.disagrees); /* 6 points > 5 and > 3 x 0.5 */
	window(0.04 * 5600, 0, 200, 0, 0);
	st_witness_of(&b, &w);
	assert_false(w.disagrees || w.too_few); /* 4 points: within 5 */
	/* 0 of 40: one sample is 2.5 points, three of them 7.5: 6 points off is too few to tell */
	window(0.06 * 5600, 0, 40, 0, 0);
	st_witness_of(&b, &w);
	assert_false(w.disagrees);
	assert_true(w.too_few);
}

/* Nothing sampled: no verdict, no sentence. Two CPUs: the share is of both CPUs' time. */
static void test_none_and_two_cpus(void **state)
{
	struct st_witness w;
	char line[512];

	(void)state;
	window(600, 0, 0, 0, 0);
	st_witness_of(&b, &w);
	assert_false(w.sampled || w.disagrees);
	assert_string_equal(st_witness_sentence(line, sizeof(line), &b), "");
	window(1120, 100, 400, 0, 500);
	b.nr_cpus = 2;
	st_witness_of(&b, &w);
	assert_near(w.attributed_user, 1120.0 / 11200, 1e-12);
	assert_false(w.disagrees);
}

/*
 * A run whose lean repeats took their user share from their own samples:
 * the witness judges repeat 1 (every hook, its split measured), and says
 * what the lean repeats' samples found: 30 + 20 of 200 + 300, 10.0%.
 */
static void test_lean_run_judges_the_every_hook_repeat(void **state)
{
	static struct st_run run;
	struct st_witness w;
	char line[1024];

	(void)state;
	memset(&run, 0, sizeof(run));
	run.nr_repeats = 3;
	run.syscalls_repeat = 1;
	window(1200, 100, 900, 0, 0); /* repeat 1: 21.4% attributed, 10% sampled: they disagree */
	run.repeat[0] = b;
	window(560, 30, 170, 0, 0);
	b.user_sampled = true;
	run.repeat[1] = b;
	window(560, 20, 280, 0, 0);
	b.user_sampled = true;
	run.repeat[2] = b;
	run.summary = run.repeat[1];
	assert_ptr_equal(st_witness_subject(&run), &run.repeat[0]);
	st_witness_of(st_witness_subject(&run), &w);
	assert_true(w.disagrees);
	st_witness_run_sentence(line, sizeof(line), &run);
	assert_non_null(strstr(line, "in repeat 1, the one with every hook"));
	assert_non_null(strstr(line, "its user code is 21.4%: they DISAGREE"));
	assert_non_null(strstr(line, "(500 of their threads, 10.0% in user mode)"));
	/* no lean repeat took its share from samples: the summary, as before */
	run.repeat[1].user_sampled = run.repeat[2].user_sampled = false;
	assert_ptr_equal(st_witness_subject(&run), &run.summary);
	st_witness_run_sentence(line, sizeof(line), &run);
	assert_non_null(strstr(line, "user code above is 10.0%"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_agree),	     cmocka_unit_test(test_disagree),
		cmocka_unit_test(test_too_few),	     cmocka_unit_test(test_zero_share),
		cmocka_unit_test(test_none_and_two_cpus),
		cmocka_unit_test(test_lean_run_judges_the_every_hook_repeat),
	};

	return cmocka_run_group_tests_name("witness", tests, NULL, NULL);
}
