/* SPDX-License-Identifier: GPL-2.0 */
/* testutil.h — helpers shared by the cmocka tests. */
#ifndef SCHEDTRACE_TESTUTIL_H
#define SCHEDTRACE_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

/*
 * Integration tests call this first. Without root (or without BTF) the test
 * skips and says why; with SCHEDTRACE_REQUIRE_BPF=1 (CI) a skip is a failure.
 */
#define require_bpf()                                                      \
	do {                                                               \
		const char *why_ = testutil_bpf_missing();                 \
		if (why_) {                                                \
			if (testutil_bpf_required())                       \
				fail_msg("BPF required but %s", why_);     \
			print_message("[   SKIP   ] %s\n", why_);          \
			skip();                                            \
		}                                                          \
	} while (0)

/* NULL when root and kernel BTF are present, else the reason. */
const char *testutil_bpf_missing(void);
/* true when SCHEDTRACE_REQUIRE_BPF=1 */
int testutil_bpf_required(void);

/* Runs argv (argv[0] a path) with stdout and stderr captured into the buffers
 * (NUL-terminated, truncated to their size). Returns the exit status, or
 * 128+signal if it was killed, or -1 if it could not be started. */
int testutil_run(char *const argv[], char *out, size_t out_len, char *err, size_t err_len);
/* The same, and the child's resource usage (its threads', and its reaped children's) into *usage. */
struct rusage;
int testutil_run_usage(char *const argv[], char *out, size_t out_len, char *err, size_t err_len,
		       struct rusage *usage);

/*
 * assert_near(a, b, rel): |a - b| <= rel * |b| (<= rel when b is 0), in
 * double. cmocka 1.1's assert_float_equal casts to float, so a tight epsilon
 * there means ~1e-7 relative.
 */
#define assert_near(a, b, rel) \
	testutil_assert_near((double)(a), (double)(b), (double)(rel), #a, #b, __FILE__, __LINE__)
void testutil_assert_near(double a, double b, double rel, const char *a_text, const char *b_text, const char *file,
			  int line);

/*
 * The CSV columns docs/csv.md documents, in the order of its table (each
 * `name` of a row's first cell; `prefix_*` is the six latency columns), into
 * names[0..max). Returns how many; fails the test when the file is missing.
 */
int testutil_csv_columns(char names[][64], int max);
/* The same for another document's column table (docs/switches-csv.md). */
int testutil_doc_columns(const char *path, char names[][64], int max);

/*
 * SCHEDTRACE_TEST_FILTER=PATTERN runs only the tests whose name matches
 * (cmocka's wildcard pattern, e.g. "test_epoll*"). Call before running the group.
 */
void testutil_filter(void);

/* A cmocka group setup: the collector runs the workloads of this build (SCHEDTRACE_WORKLOADS). */
int testutil_use_built_workloads(void **state);

/* Path of a built binary: "schedtrace" or "workloads/NAME", under build/. */
const char *testutil_bin(const char *rel);

#endif
