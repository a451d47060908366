// SPDX-License-Identifier: GPL-2.0
/*
 * test_int_lab.c — every lab end to end on this machine (root + BPF), at a
 * tenth of its sizes and one round: each experiment this machine can run
 * is measured, the worksheet states its numbers and at least one computed
 * observation, and the JSON a student hands in reads back with every
 * measured run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "json_read.h"
#include "lab_report.h"
#include "lab_run.h"
#include "report.h"
#include "testutil.h"

/* The reasons a machine may legitimately not run an experiment. */
static bool excusable(const char *why)
{
	return strstr(why, "needs 2 CPUs") || strstr(why, "perf is not installed") || strstr(why, "needs go") ||
	       strstr(why, "needs node");
}

static void run_lab(int number)
{
	static char text[1 << 16];
	struct st_lab_opts o = { .lab = st_lab_find(number), .rounds = 1, .cpu = -1, .scale = 0.1 };
	struct st_lab_result r;
	struct st_run *back;
	char err[1024], json[] = "/tmp/st-int-lab-XXXXXX.json";
	int n, measured = 0, fd;
	FILE *f;

	require_bpf();
	assert_non_null(o.lab);
	if (st_lab_run(&o, &r, err, sizeof(err)))
		fail_msg("lab %d: %s", number, err);
	for (int i = 0; i < o.lab->nr_exps; i++) {
		if (r.skipped[i][0] && !excusable(r.skipped[i]))
			fail_msg("lab %d: '%s' not measured: %s", number, o.lab->exps[i].label, r.skipped[i]);
		measured += r.runs[i].nr_repeats > 0;
	}
	assert_true(measured > 0);
	f = fmemopen(text, sizeof(text), "w");
	assert_int_equal(st_lab_text(f, o.lab, r.by_exp, 1), 0);
	fclose(f);
	print_message("[   INFO   ] lab %d: %d of %d experiments measured\n", number, measured, o.lab->nr_exps);
	if (!strstr(text, "What to notice") || strstr(text, "Nothing measured to compare"))
		fail_msg("lab %d: no computed observation:\n%s", number, text);
	assert_non_null(strstr(text, "Machine"));
	/* the JSON a student hands in: every measured run */
	fd = mkstemps(json, 5);
	assert_true(fd >= 0);
	close(fd);
	{
		struct st_run kept[ST_LAB_MAX_EXPS];
		struct st_outputs outs = { .json = json };
		int k = 0;

		for (int i = 0; i < o.lab->nr_exps; i++)
			if (r.runs[i].nr_repeats > 0)
				kept[k++] = r.runs[i];
		assert_int_equal(st_outputs_write(&outs, kept, k), 0);
	}
	assert_int_equal(st_json_read_file(json, &back, &n, err, sizeof(err)), 0);
	assert_int_equal(n, measured);
	free(back);
	unlink(json);
	st_lab_release(&r);
}

#define LAB_TEST(n)                               \
	static void test_lab_##n(void **state)    \
	{                                         \
		(void)state;                      \
		run_lab(n);                       \
	}
LAB_TEST(1)
LAB_TEST(2)
LAB_TEST(3)
LAB_TEST(4)
LAB_TEST(5)
LAB_TEST(6)
LAB_TEST(7)
LAB_TEST(8)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lab_1), cmocka_unit_test(test_lab_2), cmocka_unit_test(test_lab_3),
		cmocka_unit_test(test_lab_4), cmocka_unit_test(test_lab_5), cmocka_unit_test(test_lab_6),
		cmocka_unit_test(test_lab_7), cmocka_unit_test(test_lab_8),
	};

	return cmocka_run_group_tests(tests, testutil_use_built_workloads, NULL);
}
