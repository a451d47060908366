// SPDX-License-Identifier: GPL-2.0
/*
 * test_compare.c — compare's arithmetic (user/core/compare.c) and its report
 * (report/text_compare.c) on synthetic runs: the gap split adds up to the
 * gap, the ratio and gap columns agree with the rows, CV and the noisy flag,
 * the ordering checker, and gathering one-repeat runs into one. No root.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compare.h"
#include "testutil.h"
#include "text_compare.h"

/* A breakdown of ns per switch whose parts deliberately miss the total by miss ns (medians). */
static void bd(struct st_breakdown *b, double ns, double syscalls, double ksw, double miss)
{
	memset(b, 0, sizeof(*b));
	b->nr_cpus = 1;
	b->switches = 1000;
	b->ns_per_switch = ns;
	b->user = ns * 0.1;
	b->mode_switch = ns * 0.3;
	b->syscall_work = ns * 0.2;
	b->sched_work = ns * 0.10;
	b->return_path = ns * 0.05;
	b->other_tasks = ns * 0.05;
	b->idle = ns * 0.02;
	b->tracer = ns * 0.08;
	b->unexplained = ns - (b->user + b->mode_switch + b->syscall_work + b->sched_work + b->return_path +
			       b->other_tasks + b->idle + b->tracer) + miss;
	b->corrected_ns_per_switch = ns - b->tracer;
	b->syscalls = syscalls;
	b->kernel_switches = ksw;
}

/* A run of name with one repeat per value of ns (the summary: their median, parts scaled). */
static void mkrun(struct st_run *r, const char *name, const double *ns, int n, double syscalls, double ksw,
		  int switches_per_rt)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->workload, sizeof(r->workload), "%s", name);
	snprintf(r->cpus, sizeof(r->cpus), "0");
	r->traced = r->complete = true;
	r->nr_repeats = r->result.nr_repeats = n;
	for (int i = 0; i < n; i++) {
		bd(&r->repeat[i], ns[i], syscalls, ksw, 0);
		r->result.repeat[i].switches = 2000;
		r->result.repeat[i].round_trips = switches_per_rt ? 2000 / switches_per_rt : 0;
		r->result.repeat[i].ns_per_switch = ns[i];
	}
	st_run_finish(r, n);
	r->cal.mode_switch_ns = 1500;
}

static void test_gap_adds_up(void **state)
{
	struct st_breakdown hi, lo;
	struct st_gap g;
	double sum = 0, pct = 0;

	(void)state;
	bd(&hi, 6000, 3, 1.7, 37.5); /* parts of medians: 37.5 ns more than measured */
	bd(&lo, 10, 0, 0, -1.25);
	st_gap_split(&hi, 1, &lo, 1, &g);
	assert_near(g.gap_ns, 5990, 1e-9);
	assert_near(g.ratio, 600, 1e-9);
	for (int p = 0; p < ST_NR_PARTS; p++) {
		sum += g.part_ns[p];
		pct += g.part_pct[p];
	}
	assert_near(sum, g.gap_ns, 1e-9);
	assert_near(pct, 100, 1e-9);
	assert_near(g.part_ns[ST_PART_MODE_SWITCH], 0.3 * 5990, 1e-9);
	/* the median misses land in unexplained */
	assert_near(g.part_ns[ST_PART_UNEXPLAINED],
			    (hi.unexplained - 37.5) - (lo.unexplained + 1.25), 1e-9);

	/* per round trip: both sides scaled by their switches per round trip */
	st_gap_split(&hi, 2, &lo, 2, &g);
	assert_near(g.hi_ns, 12000, 1e-9);
	assert_near(g.lo_ns, 20, 1e-9);
	assert_near(g.gap_ns, 11980, 1e-9);
	sum = 0;
	for (int p = 0; p < ST_NR_PARTS; p++)
		sum += g.part_ns[p];
	assert_near(sum, g.gap_ns, 1e-9);

	/* no gap: no division by zero */
	st_gap_split(&lo, 1, &lo, 1, &g);
	assert_near(g.gap_ns, 0, 0);
	for (int p = 0; p < ST_NR_PARTS; p++)
		assert_near(g.part_pct[p], 0, 0);
}

static void test_spread(void **state)
{
	struct st_spread s;
	const double same[] = { 100, 100, 100 }, ten[] = { 110, 90, 100 }, twenty[] = { 120, 80, 100 };
	const double even[] = { 4, 1, 3, 2 };

	(void)state;
	st_spread_of(same, 3, &s);
	assert_int_equal(s.n, 3);
	assert_near(s.cv, 0, 1e-12);
	assert_false(st_spread_noisy(&s));

	st_spread_of(ten, 3, &s);
	assert_near(s.median, 100, 0);
	assert_near(s.min, 90, 0);
	assert_near(s.max, 110, 0);
	assert_near(s.sd, 10, 1e-9); /* sample sd: n - 1 */
	assert_near(s.cv, 0.10, 1e-9);
	assert_false(st_spread_noisy(&s)); /* the threshold itself is not "above" */

	st_spread_of(twenty, 3, &s);
	assert_near(s.cv, 0.20, 1e-9);
	assert_true(st_spread_noisy(&s));

	st_spread_of(even, 4, &s);
	assert_near(s.median, 2.5, 0);

	st_spread_of(twenty, 1, &s); /* one value: no spread, never noisy */
	assert_int_equal(s.n, 1);
	assert_near(s.cv, 0, 0);
	assert_false(st_spread_noisy(&s));

	st_spread_of(NULL, 0, &s);
	assert_int_equal(s.n, 0);
}

/* The five-run set most tests use: physics-respecting numbers. */
static struct st_run *good_set(int *n)
{
	static const double y[] = { 10, 9.5, 10.5 }, c[] = { 30, 31, 29 }, e[] = { 4000, 4100, 3900 },
			    f[] = { 5000, 5200, 4900 }, p[] = { 6000, 6600, 5800 };
	struct st_run *r = calloc(5, sizeof(*r));

	assert_non_null(r);
	mkrun(&r[0], "coro-yield", y, 3, 0, 0, 0);
	mkrun(&r[1], "coro-chan", c, 3, 0, 0, 2);
	mkrun(&r[2], "epoll", e, 3, 2, 0, 2);
	mkrun(&r[3], "futex", f, 3, 2, 1, 2);
	mkrun(&r[4], "pthread", p, 3, 3, 1.7, 2);
	*n = 5;
	return r;
}

static void test_order(void **state)
{
	char why[512];
	int n;
	struct st_run *r = good_set(&n);

	(void)state;
	assert_int_equal(st_check_order(r, n, 0.1, why, sizeof(why)), 0);
	assert_string_equal(why, "");

	/* futex a little dearer than pthread: within 10% is noise, beyond is not */
	r[3].summary.ns_per_switch = r[4].summary.ns_per_switch * 1.05;
	assert_int_equal(st_check_order(r, n, 0.1, why, sizeof(why)), 0);
	r[3].summary.ns_per_switch = r[4].summary.ns_per_switch * 1.2;
	assert_int_equal(st_check_order(r, n, 0.1, why, sizeof(why)), 1);
	assert_non_null(strstr(why, "futex"));
	assert_non_null(strstr(why, "pthread"));
	r[3].summary.ns_per_switch = 5000;

	/* a yield dearer than the channel */
	r[0].summary.ns_per_switch = 100;
	assert_int_equal(st_check_order(r, n, 0.1, why, sizeof(why)), 1);
	assert_non_null(strstr(why, "coro-yield (100.0 ns) should cost less than coro-chan"));
	r[0].summary.ns_per_switch = 10;

	/* epoll switching threads in the kernel, or making no syscalls */
	r[2].summary.kernel_switches = 0.5;
	r[2].summary.syscalls = 0;
	assert_int_equal(st_check_order(r, n, 0.1, why, sizeof(why)), 2);
	assert_non_null(strstr(why, "epoll should make system calls"));
	assert_non_null(strstr(why, "epoll should not switch threads"));

	/* absent workloads are skipped: the chain closes over the gap */
	assert_int_equal(st_check_order(&r[3], 2, 0.1, why, sizeof(why)), 0);
	assert_int_equal(st_check_order(r, 0, 0.1, why, sizeof(why)), 0);
	free(r);
}

static void test_append_finish(void **state)
{
	static const double v[] = { 300, 100, 200 };
	struct st_run *acc = calloc(1, sizeof(*acc)), *one = calloc(1, sizeof(*one));

	(void)state;
	assert_non_null(acc);
	assert_non_null(one);
	for (int i = 0; i < 3; i++) {
		mkrun(one, "futex", &v[i], 1, 2, 1, 2);
		st_run_append(acc, one);
	}
	memset(one, 0, sizeof(*one)); /* an interrupted call with nothing measured adds nothing */
	st_run_append(acc, one);
	st_run_finish(acc, 3);
	assert_int_equal(acc->nr_repeats, 3);
	assert_int_equal(acc->result.nr_repeats, 3);
	assert_int_equal(acc->result.repeats_planned, 3);
	assert_true(acc->complete);
	assert_near(acc->summary.ns_per_switch, 200, 0);
	assert_near(acc->repeat[0].ns_per_switch, 300, 0);
	assert_near(acc->result.repeat[2].ns_per_switch, 200, 0);
	assert_string_equal(acc->workload, "futex");
	st_run_finish(acc, 4);
	assert_false(acc->complete);
	free(acc);
	free(one);
}

static void test_median_repeat(void **state)
{
	static const double odd[] = { 300, 100, 200 }, even[] = { 4, 1, 3, 2 }, same[] = { 7, 7 };
	struct st_run *r = calloc(1, sizeof(*r));

	(void)state;
	assert_non_null(r);
	mkrun(r, "futex", odd, 3, 2, 1, 2);
	assert_ptr_equal(st_run_median_repeat(r), &r->repeat[2]);
	mkrun(r, "futex", even, 4, 2, 1, 2);
	assert_ptr_equal(st_run_median_repeat(r), &r->repeat[3]); /* the lower middle: 2 */
	mkrun(r, "futex", same, 2, 2, 1, 2);
	assert_ptr_equal(st_run_median_repeat(r), &r->repeat[0]);
	r->nr_repeats = 0;
	assert_null(st_run_median_repeat(r));
	free(r);
}

/* The report of a compare set, in a buffer. */
static char *render(const struct st_compare *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(st_report_compare_text(f, c), 0);
	fclose(f);
	return buf;
}

/* Joins wrapped lines ("\n  " and "\n") into spaces, so sentences can be searched whole. */
static void unwrap(char *t)
{
	char *w = t;

	for (char *r = t; *r; r++) {
		if (*r == '\n') {
			*w++ = ' ';
			while (r[1] == ' ')
				r++;
			continue;
		}
		*w++ = *r;
	}
	*w = '\0';
}

/* The line of the main table for workload w (starts "  w "). */
static const char *row_of(const char *text, const char *w)
{
	char key[64];
	const char *s;

	snprintf(key, sizeof(key), "\n  %s ", w);
	s = strstr(text, key);
	assert_non_null(s);
	return s + 1;
}

static void test_report_consistent(void **state)
{
	int n;
	struct st_run *r = good_set(&n);
	struct st_compare c = { .pinned = r, .nr_pinned = n, .rounds_planned = 3, .complete = true };
	char *t, name[32], range[48], cv[16];
	const char *s;
	double base = 0, ns, ratio, gap_ns;

	(void)state;
	t = render(&c);
	for (int i = 0; i < n; i++) {
		s = row_of(t, r[i].workload);
		assert_int_equal(sscanf(s, "%31s %lf %47s %15s %lfx", name, &ns, range, cv, &ratio), 5);
		assert_near(ns, r[i].summary.ns_per_switch, 0.05);
		if (i == 0)
			base = ns;
		assert_near(ratio, ns / base, 0.05 + 0.001 * ns / base);
	}
	/* each row of the CPU-time table adds up to its ns/switch */
	for (int i = 0; i < n; i++) {
		const char *parts = strstr(t, "CPU time per switch");
		double v[8], sum = 0;

		assert_non_null(parts);
		s = row_of(parts, r[i].workload);
		assert_int_equal(sscanf(s, "%31s %lf %lf %lf %lf %lf %lf %lf %lf", name, &v[0], &v[1], &v[2], &v[3],
					&v[4], &v[5], &v[6], &v[7]), 9);
		for (int k = 0; k < 8; k++)
			sum += v[k];
		assert_near(sum, r[i].summary.ns_per_switch, 8 * 0.05 + 0.05);
	}

	/* the gap row is pthread's row minus coro-yield's, per switch */
	s = strstr(t, "\n  the gap ");
	assert_non_null(s);
	assert_int_equal(sscanf(s + strlen("\n  the gap "), "%lf", &gap_ns), 1);
	assert_near(gap_ns, r[4].summary.ns_per_switch - r[0].summary.ns_per_switch, 0.05);
	assert_non_null(strstr(t, "The seed's figures"));
	assert_non_null(strstr(t, "28x"));
	assert_non_null(strstr(t, "13x"));
	assert_null(strstr(t, "Unexpected ordering"));
	assert_null(strstr(t, "too noisy"));
	free(t);

	/* a noisy workload is flagged, and so is a broken ordering */
	r[3].repeat[0].ns_per_switch = 2000;
	r[3].repeat[1].ns_per_switch = 9000;
	r[3].summary.ns_per_switch = 9000;
	t = render(&c);
	s = row_of(t, "futex");
	assert_non_null(strchr(s, '!'));
	assert_true(strchr(s, '!') < strchr(s, '\n'));
	assert_non_null(strstr(t, "too noisy to trust"));
	assert_non_null(strstr(t, "Unexpected ordering"));
	free(t);
	free(r);
}

static void test_report_split(void **state)
{
	static const double one[] = { 5000 }, two[] = { 9000 }, free_[] = { 6000 };
	struct st_run *r = calloc(3, sizeof(*r));
	struct st_compare c = { .pinned = &r[0], .nr_pinned = 1, .split = &r[1], .nr_split = 2,
				.rounds_planned = 1, .complete = true };
	char *t;

	(void)state;
	assert_non_null(r);
	mkrun(&r[0], "futex", one, 1, 2, 1, 2);
	mkrun(&r[1], "futex", two, 1, 2, 1, 2);
	snprintf(r[1].cpus, sizeof(r[1].cpus), "0,1");
	r[1].summary.cross_cpu_wakeups = 1;
	mkrun(&r[2], "futex", free_, 1, 2, 1, 2);
	snprintf(r[2].cpus, sizeof(r[2].cpus), "0,1 free");
	r[2].summary.migrations = 0.25;
	t = render(&c);
	assert_non_null(strstr(t, "One CPU vs two"));
	assert_non_null(strstr(t, "\n  futex    0            5000.0"));
	assert_non_null(strstr(t, "\n           0,1          9000.0"));
	assert_non_null(strstr(t, "\n           0,1 free     6000.0"));
	assert_non_null(strstr(t, "one round: no spread"));
	unwrap(t);
	assert_non_null(strstr(t, "Split over two CPUs a hand-off costs 1.8x to 1.8x"));
	assert_non_null(strstr(t, "Free to use both CPUs, most wake-ups stayed on the waker's CPU (0.00 to 0.00"));
	assert_non_null(strstr(t, "migrated 0.250 to 0.250 times per switch, and a hand-off cost 1.2x to 1.2x"));
	assert_non_null(strstr(t, "mostly kept each pair on one CPU"));
	free(t);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gap_adds_up),
		cmocka_unit_test(test_spread),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_append_finish),
		cmocka_unit_test(test_median_repeat),
		cmocka_unit_test(test_report_consistent),
		cmocka_unit_test(test_report_split),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
