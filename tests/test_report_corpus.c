// SPDX-License-Identifier: GPL-2.0
/*
 * test_report_corpus.c — every file of the fuzzing corpus (tests/fuzz/corpus)
 * through the reader and, when it reads, the renderers: no crash, a rejection
 * is one line of reason, each valid-* seed reads and renders, and each
 * foreign-* (not a schedtrace report) and trunc-* (a report cut short) seed
 * is rejected.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "csv.h"
#include "html.h"
#include "json_read.h"
#include "json_schema.h"
#include "report.h"

#define CORPUS "tests/fuzz/corpus"

static void test_corpus(void **state)
{
	DIR *d = opendir(CORPUS);
	struct dirent *e;
	FILE *null_out = fopen("/dev/null", "w");
	int files = 0, valid = 0, rejected = 0;

	(void)state;
	if (!d)
		fail_msg("cannot open %s: run the tests from the repository root (make check does)", CORPUS);
	assert_non_null(null_out);
	while ((e = readdir(d))) {
		char path[512], err[512] = "";
		struct st_run *runs;
		int n;
		bool want_valid = strncmp(e->d_name, "valid-", 6) == 0;
		/* foreign documents and cut ones are never a report */
		bool want_rejected = !strncmp(e->d_name, "foreign-", 8) || !strncmp(e->d_name, "trunc-", 6);

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", CORPUS, e->d_name);
		files++;
		if (st_json_read_file(path, &runs, &n, err, sizeof(err))) {
			if (want_valid)
				fail_msg("%s: a valid seed was rejected: %s", path, err);
			if (!err[0] || strchr(err, '\n'))
				fail_msg("%s: rejected without a one-line reason: \"%s\"", path, err);
			rejected += want_rejected;
			continue;
		}
		if (want_rejected)
			fail_msg("%s: read as a report of %d run%s, but it is %s", path, n, n == 1 ? "" : "s",
				 e->d_name[0] == 'f' ? "not a schedtrace report" : "cut short");
		valid += want_valid;
		for (int i = 0; i < n; i++)
			assert_int_equal(st_report_text(null_out, &runs[i]), 0);
		assert_int_equal(st_json_write(null_out, runs, n), 0);
		assert_int_equal(st_html_write(null_out, runs, n), 0);
		assert_int_equal(st_csv_write(null_out, runs, n), 0);
		free(runs);
	}
	closedir(d);
	fclose(null_out);
	print_message("%d corpus files, %d valid seeds, %d foreign or cut seeds rejected\n", files, valid, rejected);
	assert_true(files >= 20);
	assert_true(valid >= 5);
	assert_true(rejected >= 18); /* 8 foreign-*, 10 trunc-* */
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_corpus) };
	return cmocka_run_group_tests_name("report_corpus", tests, NULL, NULL);
}
