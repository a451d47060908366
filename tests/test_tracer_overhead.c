// SPDX-License-Identifier: GPL-2.0
/*
 * test_tracer_overhead.c — the tracer's observer effect on a workload:
 * bare (--no-trace) and traced runs of the same workload, interleaved in
 * back-to-back pairs whose order is shuffled (the host drifts by tens of
 * percent over tens of seconds), ratio per pair, median over pairs.
 *
 * A benchmark more than a test: it runs only with SCHEDTRACE_BENCH=1 and
 * asserts the tracer issue's target (traced/bare <= 1.25 on pinned pthread)
 * only with SCHEDTRACE_BENCH_ASSERT=1, since a busy machine moves it.
 *
 *   SCHEDTRACE_BENCH=1 [SCHEDTRACE_BENCH_WORKLOADS="pthread futex"]
 *   [SCHEDTRACE_BENCH_PAIRS=10] SCHEDTRACE_BUILD=build build/tests/test_tracer_overhead
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "run.h"
#include "testutil.h"

#define MAX_PAIRS 64

static struct st_run run;

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double one(const char *w, bool traced)
{
	struct st_run_opts o = { .workload = w, .cpus = { 0 }, .nr_cpus = 1, .iterations = 20000, .repeats = 3,
				 .no_trace = !traced };
	char err[1024];

	if (st_run_workload(&o, &run, err, sizeof(err)))
		fail_msg("%s: %s", w, err);
	return run.summary.ns_per_switch;
}

static void bench(const char *w, int pairs)
{
	double bare[MAX_PAIRS], traced[MAX_PAIRS], ratio[MAX_PAIRS];

	for (int i = 0; i < pairs; i++) {
		if (rand() & 1) {
			bare[i] = one(w, false);
			traced[i] = one(w, true);
		} else {
			traced[i] = one(w, true);
			bare[i] = one(w, false);
		}
		ratio[i] = traced[i] / bare[i];
	}
	{
		double r = median(ratio, pairs), rmin = ratio[0], rmax = ratio[pairs - 1];

		print_message("[  BENCH   ] %-10s bare %.1f ns/switch, traced %.1f ns/switch (medians); traced/bare: "
			      "median %.3f (min %.3f, max %.3f, %d interleaved pairs)\n",
			      w, median(bare, pairs), median(traced, pairs), r, rmin, rmax, pairs);
		if (!strcmp(w, "pthread") && getenv("SCHEDTRACE_BENCH_ASSERT") && r > 1.25)
			fail_msg("pthread traced/bare %.3f > 1.25", r);
	}
}

static void test_overhead(void **state)
{
	const char *env = getenv("SCHEDTRACE_BENCH_WORKLOADS");
	char list[256], *save = NULL;
	int pairs = 10;

	(void)state;
	if (!getenv("SCHEDTRACE_BENCH")) {
		print_message("[   SKIP   ] a benchmark: set SCHEDTRACE_BENCH=1 to run it\n");
		skip();
	}
	require_bpf();
	if (getenv("SCHEDTRACE_BENCH_PAIRS"))
		pairs = atoi(getenv("SCHEDTRACE_BENCH_PAIRS"));
	if (pairs < 1 || pairs > MAX_PAIRS)
		pairs = 10;
	snprintf(list, sizeof(list), "%s", env && *env ? env : "pthread");
	srand((unsigned)time(NULL));
	for (char *w = strtok_r(list, " ,", &save); w; w = strtok_r(NULL, " ,", &save))
		bench(w, pairs);
}

int main(void)
{
	static char dir[4096];
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_overhead) };

	snprintf(dir, sizeof(dir), "%s", testutil_bin("workloads"));
	setenv("SCHEDTRACE_WORKLOADS", dir, 1);
	return cmocka_run_group_tests_name("tracer_overhead", tests, NULL, NULL);
}
