// SPDX-License-Identifier: GPL-2.0
/*
 * test_hook_effect.c — whether the hook sets changed the scheduler's
 * decisions (user/core/hook_effect.c) and the sentence the text report makes
 * of it. Expected values worked out by hand from the fixtures' counts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "hook_effect.h"
#include "text_parts.h"

static struct st_run run;

/* repeat d (0-based) has every hook; ks[] and corr[] per repeat */
static void fixture(int n, int d, const double *ks, const double *corr)
{
	memset(&run, 0, sizeof(run));
	snprintf(run.workload, sizeof(run.workload), "pthread");
	run.traced = true;
	run.complete = true;
	run.nr_repeats = n;
	run.syscalls_repeat = d + 1;
	for (int i = 0; i < n; i++) {
		run.repeat[i].kernel_switches = ks[i];
		run.repeat[i].corrected_ns_per_switch = corr[i];
		run.repeat[i].ns_per_switch = corr[i] + 800;
	}
}

static void test_found(void **state)
{
	/* the others: ks 1.85 1.86 1.80 1.90 -> median 1.855; corrected 5000 5100 4900 5200 -> 5050 */
	const double ks[] = { 1.70, 1.85, 1.86, 1.80, 1.90 }, corr[] = { 4000, 5000, 5100, 4900, 5200 };
	struct st_hook_effect e;

	(void)state;
	fixture(5, 0, ks, corr);
	assert_true(st_hook_effect(&run, &e));
	assert_true(e.found);
	assert_near(e.detailed_ks, 1.70, 1e-12);
	assert_near(e.light_ks, 1.855, 1e-12);
	/* 0.155 extra kernel switches x 5050 / 1.855 = 2722.37 ns each */
	assert_near(e.ns, 421.967, 1e-5);
}

static void test_detailed_repeat_anywhere(void **state)
{
	/* repeat 3 had every hook: the others are 1, 2, 4 (1.50 1.50 1.52 -> 1.50; 3000 3300 3100 -> 3100) */
	const double ks[] = { 1.50, 1.50, 1.20, 1.52 }, corr[] = { 3000, 3300, 9999, 3100 };
	struct st_hook_effect e;

	(void)state;
	fixture(4, 2, ks, corr);
	assert_true(st_hook_effect(&run, &e));
	assert_near(e.light_ks, 1.50, 1e-12);
	assert_near(e.ns, 620.0, 1e-9); /* 0.30 x 3100 / 1.50 */
	assert_true(e.found);
}

static void test_within_noise(void **state)
{
	/* 2.9% apart: the same (ST_HOOK_EFFECT_MIN 3%); 3.1%: not */
	const double same[] = { 1.000, 1.029, 1.029 }, apart[] = { 1.000, 1.031, 1.031 };
	const double corr[] = { 2000, 2000, 2000 };
	struct st_hook_effect e;

	(void)state;
	fixture(3, 0, same, corr);
	assert_true(st_hook_effect(&run, &e));
	assert_false(e.found);
	fixture(3, 0, apart, corr);
	assert_true(st_hook_effect(&run, &e));
	assert_true(e.found);
}

static void test_no_pair(void **state)
{
	const double ks[] = { 1.7, 1.9, 1.9 }, corr[] = { 1, 1, 1 }, none[] = { 0, 0, 0 };
	const double few[] = { 0.0001, 0.0003, 0.0003 }, half[] = { 0.50, 0.60, 0.60 };
	struct st_hook_effect e;

	(void)state;
	fixture(3, 0, ks, corr);
	run.syscalls_repeat = 0; /* --every-repeat, --light */
	assert_false(st_hook_effect(&run, &e));
	assert_false(e.found);
	fixture(3, 0, ks, corr);
	run.traced = false;
	assert_false(st_hook_effect(&run, &e));
	fixture(1, 0, ks, corr);
	assert_false(st_hook_effect(&run, &e));
	fixture(3, 0, none, corr); /* no kernel switches (a coroutine workload) */
	assert_false(st_hook_effect(&run, &e));
	assert_false(e.found);
	/* epoll: one thread; 1 against 3 kernel switches in 10,000 is no effect of the hooks */
	fixture(3, 0, few, corr);
	assert_false(st_hook_effect(&run, &e));
	assert_false(e.found);
	assert_near(e.ns, 0, 0);
	/* half the switches the kernel's: judged (0.50 against 0.60) */
	fixture(3, 0, half, corr);
	assert_true(st_hook_effect(&run, &e));
	assert_true(e.found);
}

static char *story(void)
{
	static char buf[16384];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	assert_non_null(f);
	run.summary = run.repeat[1];
	run.summary.switches = 20000;
	run.summary.nr_cpus = 1;
	run.summary.syscalls = 3.0;
	st_text_story(f, &run);
	fclose(f);
	/* the paragraph wraps: compare with the newlines made spaces */
	for (char *c = buf; *c; c++)
		if (*c == '\n')
			*c = ' ';
	return buf;
}

static void test_sentence(void **state)
{
	/* the others' median 1.86, corrected 5050: 0.16 x 5050 / 1.86 = 434.4 ns */
	const double ks[] = { 1.70, 1.85, 1.87, 1.80, 1.90 }, corr[] = { 4000, 5000, 5100, 4900, 5200 };
	const double same[] = { 1.70, 1.71, 1.70, 1.69, 1.70 };
	char *s;

	(void)state;
	fixture(5, 0, ks, corr);
	s = story();
	assert_non_null(strstr(s, "1.70 times a switch with every hook and 1.86 with the switch hook alone"));
	assert_non_null(strstr(s, "uncertain by about 434 ns"));
	fixture(5, 0, same, corr);
	s = story();
	assert_null(strstr(s, "changed the scheduler's decisions"));
	assert_non_null(strstr(s, "as often (1.70 and 1.70 times a switch)"));
}

/* the untraced window's sentence: its time beside the last repeat's corrected one, and which way they differ */
static void test_untraced_sentence(void **state)
{
	const double ks[] = { 1.70, 1.71, 1.70 }, corr[] = { 4000, 5000, 4950 };
	char *s;

	(void)state;
	fixture(3, 0, ks, corr);
	run.untraced_ns_per_switch = 4500;
	s = story();
	/* 4950 / 4500 = 1.10: the last repeat, not the median (5000) or the first (4000) */
	assert_non_null(strstr(s, "one more window with every hook detached took 4.5 µs per switch, and the repeat "
				  "just before it, corrected, 5.0 µs (10% above)"));
	run.untraced_ns_per_switch = 5500;
	s = story();
	assert_non_null(strstr(s, "(10% below)"));
	run.untraced_ns_per_switch = 0; /* --no-untraced-repeat */
	s = story();
	assert_null(strstr(s, "every hook detached"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_found),
		cmocka_unit_test(test_detailed_repeat_anywhere),
		cmocka_unit_test(test_within_noise),
		cmocka_unit_test(test_no_pair),
		cmocka_unit_test(test_sentence),
		cmocka_unit_test(test_untraced_sentence),
	};

	testutil_filter();
	return cmocka_run_group_tests_name("hook_effect", tests, NULL, NULL);
}
