// SPDX-License-Identifier: GPL-2.0
/*
 * test_compare_hog.c — the compare report's second half: the CPU-hog table
 * and its sentences (report/compare_hog.c), Go and Node beside ours
 * (report/compare_lang.c), and the figures of compare's rounds merged into
 * one (st_metrics_of_rounds). Every expected number is worked out by hand
 * in the comments.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "compare_parts.h"
#include "metrics.h"

static struct st_run runs[6];
static char text[16384];

static void hog(struct st_run *r, const char *name, const char *binary, double p99_ms, double slice_ms, double units)
{
	char v[48];

	memset(r, 0, sizeof(*r));
	snprintf(r->workload, sizeof(r->workload), "%s", name);
	snprintf(r->result.name, sizeof(r->result.name), "%s", binary);
	r->summary.ns_per_switch = 200e6;
	st_metric_put(&r->result, "hog_ms", "200");
	snprintf(v, sizeof(v), "%.0f", p99_ms * 0.8e6);
	st_metric_put(&r->result, "lateness_all_p50_ns", v);
	snprintf(v, sizeof(v), "%.0f", p99_ms * 1e6);
	st_metric_put(&r->result, "lateness_all_p99_ns", v);
	snprintf(v, sizeof(v), "%.0f", p99_ms * 1.2e6);
	st_metric_put(&r->result, "lateness_all_max_ns", v);
	snprintf(v, sizeof(v), "%.0f", units);
	st_metric_put(&r->result, "median_hog_units_per_ms", v);
	if (slice_ms > 0) {
		snprintf(v, sizeof(v), "%.0f", slice_ms * 1e6);
		st_metric_put(&r->result, "preempt_slice_ns", v);
		st_metric_put(&r->result, "preemptions", "235");
		st_metric_put(&r->result, "preempt_cost_all_p50_ns", "19900");
	}
}

/* The text, on one line: the phrases looked for may wrap. */
static const char *render(void (*section)(FILE *, const struct st_compare *), const struct st_compare *c)
{
	FILE *f;

	text[0] = '\0';
	f = fmemopen(text, sizeof(text), "w");
	assert_non_null(f);
	section(f, c);
	fclose(f);
	for (char *p = text; *p; p++)
		if (*p == '\n')
			*p = ' ';
	return text;
}

static void test_hog_section(void **state)
{
	struct st_compare c = { .pinned = runs, .nr_pinned = 4 };
	const char *t;

	(void)state;
	hog(&runs[0], "hog-loop", "hog-loop", 199, 0, 6000);
	hog(&runs[1], "hog-coro", "hog-coro", 199.5, 0, 6400);
	hog(&runs[2], "hog-coro-preempt", "hog-coro", 14.5, 10, 4800);
	hog(&runs[3], "hog-threads", "hog-threads", 0.05, 0, 6080);
	t = render(st_cmp_hog, &c);
	/* the table: hog-coro-preempt's row, p50 = 0.8 x 14.5 = 11.6 ms, max 1.2 x 14.5 = 17.4 ms */
	assert_non_null(strstr(t, "hog-coro-preempt   200 ms   11.6 ms   14.5 ms   17.4 ms      4800      235"));
	/* 199 and 199.5 ms are at least half the 200 ms chunk: one sentence for both */
	assert_non_null(strstr(t, "In hog-loop and hog-coro nothing interrupts the hog: the probe waited out the "
				  "chunk, p99 199 ms and 200 ms beside a 200 ms chunk."));
	/* 14.5 / 10 = 1.45 -> "1.4x" or "1.5x" by rounding: printf's %.1f of 1.45 is 1.4 (binary 1.4499...) */
	assert_non_null(strstr(t, "In hog-coro-preempt a 10.0 ms slice cut the probe's p99 to 14.5 ms, 1.4x the slice, "
				  "each preemption costing 19.9 µs."));
	/* 4800 / 6400 = 75% of the cooperative coroutine's (hog-coro, not hog-loop's 6000) */
	assert_non_null(strstr(t, "Its hog did 75% of the work per ms the cooperative one (hog-coro) did."));
	/* 6080 / 6400 = 95% */
	assert_non_null(strstr(t, "In hog-threads the kernel preempted the hog for the probe: p99 50.0 µs, far below "
				  "the chunk. Its hog did 95%"));
	c.nr_pinned = 0; /* no hog in the set: nothing */
	assert_string_equal(render(st_cmp_hog, &c), "");
}

static void lang_run(struct st_run *r, const char *name, double ns, __u64 switches, __u64 round_trips)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->workload, sizeof(r->workload), "%s", name);
	r->traced = true;
	r->summary.ns_per_switch = ns + 1;
	r->summary.corrected_ns_per_switch = ns; /* the table takes the probes out */
	r->result.nr_repeats = r->nr_repeats = 1;
	r->result.repeat[0].switches = switches;
	r->result.repeat[0].round_trips = round_trips;
}

static void test_lang_section(void **state)
{
	struct st_compare c = { .pinned = runs, .nr_pinned = 4 };
	const char *t;

	(void)state;
	lang_run(&runs[0], "coro-yield", 9, 1000, 0);
	lang_run(&runs[1], "go-yield", 90, 1000, 0);
	lang_run(&runs[2], "coro-chan", 20, 1000, 500); /* 2 switches per round trip: 40 ns */
	lang_run(&runs[3], "go-chan", 200, 1000, 500);	 /* 400 ns */
	t = render(st_cmp_lang, &c);
	/* 9 / 90 = 0.10; 40 / 400 = 0.10; no node: "-" */
	assert_non_null(strstr(t, "yield, per switch         102 ns     90 ns         -      9 ns     0.10x"));
	assert_non_null(strstr(t, "channel round trip        436 ns    400 ns         -     40 ns     0.10x"));
	/* 90 / 102 = 0.88 */
	assert_non_null(strstr(t, "Go's Gosched here is 0.88x the seed's 102 ns."));
	c.nr_pinned = 1; /* coro-yield alone: no Go, no Node, no table */
	assert_string_equal(render(st_cmp_lang, &c), "");
}

/* Three rounds of a hog: counts added, max the largest, min the smallest, the rest the median, words the first. */
static void test_metrics_of_rounds(void **state)
{
	static struct st_metric rounds[3][ST_MAX_METRICS];
	static const char *const v[3][6] = {
		{ "10", "300", "5000", "7000", "2", "go1.19" },
		{ "30", "100", "9000", "6000", "4", "go1.20" },
		{ "20", "200", "1000", "8000", "6", "go1.21" },
	};
	static const char *const k[6] = { "preemptions", "lateness_all_p99_ns", "lateness_all_max_ns",
					  "lateness_all_min_ns", "lateness_all_samples", "go_version" };
	int nr[3] = { 6, 6, 5 }; /* the third round wrote no go_version */
	struct st_workload_result *out = &runs[0].result;
	double x;

	(void)state;
	for (int r = 0; r < 3; r++)
		for (int i = 0; i < 6; i++) {
			snprintf(rounds[r][i].key, ST_METRIC_LEN, "%s", k[i]);
			snprintf(rounds[r][i].value, ST_METRIC_LEN, "%s", v[r][i]);
		}
	memset(out, 0, sizeof(*out));
	st_metric_put(out, "stale", "1"); /* replaced, not kept */
	st_metrics_of_rounds(out, rounds, nr, 3);
	assert_null(st_metric(out, "stale"));
	assert_true(st_metric_num(out, "preemptions", &x) && x == 60);		/* 10 + 30 + 20 */
	assert_true(st_metric_num(out, "lateness_all_p99_ns", &x) && x == 200); /* median of 300, 100, 200 */
	assert_true(st_metric_num(out, "lateness_all_max_ns", &x) && x == 9000);
	assert_true(st_metric_num(out, "lateness_all_min_ns", &x) && x == 6000);
	assert_true(st_metric_num(out, "lateness_all_samples", &x) && x == 12); /* 2 + 4 + 6 */
	assert_string_equal(st_metric(out, "go_version"), "go1.19");
	assert_int_equal(out->nr_metrics, 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hog_section),
		cmocka_unit_test(test_lang_section),
		cmocka_unit_test(test_metrics_of_rounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
