// SPDX-License-Identifier: GPL-2.0
/* test_workload_args.c — the workloads' command-line and environment parsing. */
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "testutil.h"
#include "args.h"

static const struct wl_spec two_sided = {
	.name = "demo", .switch_def = "one demo hand-off",
	.switches_per_iter = 2, .round_trips_per_iter = 1, .sides = 2,
	.default_iterations = 1000, .default_warmup = 100, .default_repeats = 5,
};

static const struct wl_spec one_sided = {
	.name = "solo", .switch_def = "one solo resume",
	.switches_per_iter = 1, .sides = 1,
	.default_iterations = 10, .default_warmup = 0, .default_repeats = 3,
};

static long opt_slice = 7, opt_flag, opt_kind = 1;
static const char *const kinds[] = { "alpha", "beta", "gamma", NULL };
static struct wl_option demo_options[] = {
	{ .name = "slice", .arg = "MS", .help = "a number", .min = 0, .max = 100, .value = &opt_slice },
	{ .name = "flag", .help = "a flag", .value = &opt_flag },
	{ .name = "kind", .arg = "K", .help = "a word", .min = 0, .max = 2, .value = &opt_kind,
	  .choices = kinds },
	{ 0 },
};

/* The options fit together unless the slice is 13 with the flag. */
static int demo_check(const struct wl_opts *o, char *err, size_t len)
{
	(void)o;
	if (opt_slice == 13 && opt_flag) {
		snprintf(err, len, "opts: --slice 13 and --flag do not go together; drop one");
		return -1;
	}
	return 0;
}

static const struct wl_spec with_options = {
	.name = "opts", .switch_def = "one hand-off with options",
	.switches_per_iter = 1, .sides = 1,
	.default_iterations = 10, .default_warmup = 0, .default_repeats = 3,
	.options = demo_options, .check = demo_check,
};

/* Options that change what a switch is and what it costs (syscalls --call). */
static long opt_cheap, opt_level = -1;
static struct wl_option adapting_options[] = {
	{ .name = "cheap", .help = "ten times cheaper", .value = &opt_cheap },
	{ .name = "level", .arg = "N", .help = "absent: off", .min = 0, .max = 19, .value = &opt_level },
	{ 0 },
};

static const char *adapting_def(void)
{
	return opt_cheap ? "one cheap call" : NULL;
}

static long adapting_iterations(void)
{
	return opt_cheap ? 5000 : 0;
}

static const struct wl_spec adapting = {
	.name = "adapt", .switch_def = "one call",
	.switches_per_iter = 1, .sides = 1,
	.default_iterations = 500, .default_warmup = 0, .default_repeats = 3,
	.options = adapting_options, .switch_def_of = adapting_def, .iterations_of = adapting_iterations,
};

static const struct wl_spec workers = {
	.name = "workers", .switch_def = "one hand-off between workers",
	.switches_per_iter = 2, .sides = 1, .max_cpus = WL_MAX_CPUS,
	.default_iterations = 10, .default_warmup = 0, .default_repeats = 3,
};

static void count_accepts_plain_decimals(void **state)
{
	long v = -1;

	(void)state;
	assert_int_equal(wl_parse_count("0", 0, 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(wl_parse_count("10", 0, 10, &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(wl_parse_count("007", 1, 10, &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(wl_parse_count("1000000000000", 1, WL_MAX_ITERATIONS, &v), 0);
	assert_int_equal(v, WL_MAX_ITERATIONS);
	assert_int_equal(wl_parse_count("9223372036854775807", 0, LONG_MAX, &v), 0);
	assert_true(v == LONG_MAX);
}

static void count_rejects_everything_else(void **state)
{
	const char *bad[] = { "", "abc", "10abc", "-5", "+5", " 5", "5 ", "1e3", "0x10", "1.5",
			      "11", "9223372036854775808", "99999999999999999999999" };
	long v = 42;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (wl_parse_count(bad[i], 0, 10, &v) != -1)
			fail_msg("accepted '%s'", bad[i]);
	}
	assert_int_equal(wl_parse_count(NULL, 0, 10, &v), -1);
	assert_int_equal(wl_parse_count("0", 1, 10, &v), -1);	/* below min */
	assert_int_equal(wl_parse_count("7", 0, 5, &v), -1);	/* one digit above max */
	assert_int_equal(v, 42);				/* untouched on failure */
}

static void cpus_parse_one_or_two(void **state)
{
	int cpus[2] = { -1, -1 };

	(void)state;
	assert_int_equal(wl_parse_cpus("0", cpus, 2, false, NULL, 0), 1);
	assert_int_equal(cpus[0], 0);
	assert_int_equal(wl_parse_cpus("3,1", cpus, 2, false, NULL, 0), 2);
	assert_int_equal(cpus[0], 3);
	assert_int_equal(cpus[1], 1);
	assert_int_equal(wl_parse_cpus("0,1", cpus, 1, false, NULL, 0), -1);	/* one-sided workload */
	assert_int_equal(wl_parse_cpus("0,1,0", cpus, 2, false, NULL, 0), -1);
	assert_int_equal(wl_parse_cpus("1,1", cpus, 2, false, NULL, 0), 2);	/* both sides on CPU 1 */
	assert_int_equal(wl_parse_cpus("1,1", cpus, 2, true, NULL, 0), -1);	/* a set names each once */
	assert_int_equal(wl_parse_cpus("", cpus, 2, false, NULL, 0), -1);
	assert_int_equal(wl_parse_cpus(",1", cpus, 2, false, NULL, 0), -1);
	assert_int_equal(wl_parse_cpus("1,", cpus, 2, false, NULL, 0), -1);
	assert_int_equal(wl_parse_cpus("0-1", cpus, 2, false, NULL, 0), 2);	/* a range */
	assert_int_equal(wl_parse_cpus("1-0", cpus, 2, false, NULL, 0), -1);
	assert_int_equal(wl_parse_cpus("-1", cpus, 2, false, NULL, 0), -1);
	assert_int_equal(wl_parse_cpus("1024", cpus, 2, false, NULL, 0), -1);	/* >= CPU_SETSIZE */
}

static void cpu_usable_follows_affinity(void **state)
{
	int cpu = wl_default_cpu();

	(void)state;
	assert_true(cpu >= 0);
	assert_true(wl_cpu_usable(cpu));
	assert_false(wl_cpu_usable(-1));
	assert_false(wl_cpu_usable(CPU_SETSIZE));
	assert_false(wl_cpu_usable(CPU_SETSIZE - 1));
}

/* Parses a NULL-terminated option list after argv[0]. */
static enum wl_parse_result parse(const struct wl_spec *spec, struct wl_opts *o, char *err,
				  size_t err_len, const char **args)
{
	char *argv[16];
	int argc = 0;

	argv[argc++] = (char *)spec->name;
	while (*args)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	err[0] = '\0';
	return wl_parse_args(spec, argc, argv, o, err, err_len);
}

static void args_defaults(void **state)
{
	struct wl_opts o;
	char err[256];
	const char *none[] = { NULL };

	(void)state;
	assert_int_equal(parse(&two_sided, &o, err, sizeof(err), none), WL_PARSE_OK);
	assert_int_equal(o.iterations, 1000);
	assert_int_equal(o.warmup, 100);
	assert_int_equal(o.repeats, 5);
	assert_int_equal(o.cpu[0], wl_default_cpu());
	assert_int_equal(o.cpu[1], o.cpu[0]);
}

static void args_all_options(void **state)
{
	struct wl_opts o;
	char err[256], cpu[16];
	int c = wl_default_cpu();
	const char *args[] = { "-n", "77", "-w", "0", "-r", "9", "-C", cpu, NULL };

	(void)state;
	snprintf(cpu, sizeof(cpu), "%d", c);
	assert_int_equal(parse(&two_sided, &o, err, sizeof(err), args), WL_PARSE_OK);
	assert_int_equal(o.iterations, 77);
	assert_int_equal(o.warmup, 0);
	assert_int_equal(o.repeats, 9);
	assert_int_equal(o.cpu[0], c);
	assert_int_equal(o.cpu[1], c);
}

static void args_help(void **state)
{
	struct wl_opts o;
	char err[256];
	const char *args[] = { "-n", "5", "-h", NULL };

	(void)state;
	assert_int_equal(parse(&two_sided, &o, err, sizeof(err), args), WL_PARSE_HELP);
}

/* Each bad command line is refused with one line naming the option and the way out. */
static void args_errors(void **state)
{
	const char *cases[][3] = {
		{ "-n", "abc", NULL }, { "-n", "-5", NULL }, { "-n", "10abc", NULL },
		{ "-n", "0", NULL }, { "-r", "0", NULL }, { "-w", "-1", NULL },
		{ "-n", "99999999999999999999", NULL }, { "-C", "99", NULL },
		{ "-C", "1023", NULL }, { "-C", "0,0,0", NULL }, { "-C", "x", NULL },
		{ "-x", NULL }, { "--bogus", NULL }, { "-n", NULL }, { "stray", NULL },
	};
	struct wl_opts o;
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (parse(&two_sided, &o, err, sizeof(err), cases[i]) != WL_PARSE_ERROR)
			fail_msg("accepted '%s %s'", cases[i][0], cases[i][1] ? cases[i][1] : "");
		assert_non_null(strstr(err, "demo: "));
		assert_null(strchr(err, '\n'));
		if (!strstr(err, "see demo -h") && !strstr(err, "taskset") && !strstr(err, "lower"))
			fail_msg("message does not say what to do: %s", err);
	}
}

static void args_one_sided_refuses_two_cpus(void **state)
{
	struct wl_opts o;
	char err[256];
	const char *args[] = { "-C", "0,0", NULL };

	(void)state;
	assert_int_equal(parse(&one_sided, &o, err, sizeof(err), args), WL_PARSE_ERROR);
	assert_non_null(strstr(err, "one CPU"));
}

static void env_fd_checks(void **state)
{
	char err[256];
	int p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	unsetenv("WL_TEST_FD");
	assert_int_equal(wl_env_fd("WL_TEST_FD", true, err, sizeof(err)), -1);
	setenv("WL_TEST_FD", "abc", 1);
	assert_int_equal(wl_env_fd("WL_TEST_FD", true, err, sizeof(err)), -2);
	assert_non_null(strstr(err, "WL_TEST_FD"));
	setenv("WL_TEST_FD", "987", 1);		/* not open */
	assert_int_equal(wl_env_fd("WL_TEST_FD", true, err, sizeof(err)), -2);
	char num[16];
	snprintf(num, sizeof(num), "%d", p[1]);
	setenv("WL_TEST_FD", num, 1);
	assert_int_equal(wl_env_fd("WL_TEST_FD", true, err, sizeof(err)), p[1]);
	assert_int_equal(wl_env_fd("WL_TEST_FD", false, err, sizeof(err)), -2); /* write end */
	snprintf(num, sizeof(num), "%d", p[0]);
	setenv("WL_TEST_FD", num, 1);
	assert_int_equal(wl_env_fd("WL_TEST_FD", false, err, sizeof(err)), p[0]);
	assert_int_equal(wl_env_fd("WL_TEST_FD", true, err, sizeof(err)), -2);	/* read end */
	unsetenv("WL_TEST_FD");
	close(p[0]);
	close(p[1]);
}

static void usage_says_what_a_switch_is(void **state)
{
	char buf[4096] = "";
	FILE *fp = fmemopen(buf, sizeof(buf) - 1, "w");

	(void)state;
	assert_non_null(fp);
	wl_usage(&two_sided, fp);
	fclose(fp);
	assert_non_null(strstr(buf, "One switch: one demo hand-off"));
	assert_non_null(strstr(buf, "2 switches = 1 round trip"));
	assert_non_null(strstr(buf, "-C CPUS"));
	assert_non_null(strstr(buf, "(default 1000)"));
}

static void reset_options(void)
{
	opt_slice = 7;
	opt_flag = 0;
	opt_kind = 1;
}

static void long_options_parse(void **state)
{
	struct wl_opts o;
	char err[256];
	const char *a1[] = { "--slice", "42", "--flag", "--kind", "gamma", "-n", "5", NULL };
	const char *a2[] = { "--slice=0", "--kind=alpha", NULL };
	const char *none[] = { NULL };

	(void)state;
	reset_options();
	assert_int_equal(parse(&with_options, &o, err, sizeof(err), none), WL_PARSE_OK);
	assert_int_equal(opt_slice, 7);		/* defaults untouched */
	assert_int_equal(opt_flag, 0);
	assert_int_equal(opt_kind, 1);
	assert_int_equal(parse(&with_options, &o, err, sizeof(err), a1), WL_PARSE_OK);
	assert_int_equal(opt_slice, 42);
	assert_int_equal(opt_flag, 1);
	assert_int_equal(opt_kind, 2);
	assert_int_equal(o.iterations, 5);
	assert_int_equal(parse(&with_options, &o, err, sizeof(err), a2), WL_PARSE_OK);
	assert_int_equal(opt_slice, 0);
	assert_int_equal(opt_kind, 0);
	reset_options();
}

static void long_option_errors(void **state)
{
	const char *cases[][3] = {
		{ "--slice", "101", NULL }, { "--slice", "-1", NULL }, { "--slice", "5x", NULL },
		{ "--slice", NULL }, { "--flag=1", NULL }, { "--kind", "delta", NULL },
		{ "--sli", "5", NULL }, { "--bogus", NULL }, { "--kind", NULL },
	};
	const char *want[] = { "--slice wants", "--slice wants", "--slice wants", "--slice needs",
			       "--flag takes no value", "--kind wants alpha, beta or gamma",
			       "unknown option '--sli'", "unknown option '--bogus'", "--kind needs" };
	struct wl_opts o;
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		reset_options();
		if (parse(&with_options, &o, err, sizeof(err), cases[i]) != WL_PARSE_ERROR)
			fail_msg("accepted '%s %s'", cases[i][0], cases[i][1] ? cases[i][1] : "");
		if (!strstr(err, want[i]))
			fail_msg("'%s %s': message '%s' does not say '%s'", cases[i][0],
				 cases[i][1] ? cases[i][1] : "", err, want[i]);
		assert_null(strchr(err, '\n'));
		assert_non_null(strstr(err, "opts: "));
	}
	reset_options();
}

static void check_refuses_a_bad_combination(void **state)
{
	struct wl_opts o;
	char err[256];
	const char *bad[] = { "--slice", "13", "--flag", NULL };
	const char *fine[] = { "--slice", "13", NULL };

	(void)state;
	reset_options();
	assert_int_equal(parse(&with_options, &o, err, sizeof(err), bad), WL_PARSE_ERROR);
	assert_non_null(strstr(err, "do not go together"));
	reset_options();
	assert_int_equal(parse(&with_options, &o, err, sizeof(err), fine), WL_PARSE_OK);
	reset_options();
}

static void usage_lists_long_options(void **state)
{
	char buf[4096] = "";
	FILE *fp = fmemopen(buf, sizeof(buf) - 1, "w");

	(void)state;
	assert_non_null(fp);
	wl_usage(&with_options, fp);
	fclose(fp);
	assert_non_null(strstr(buf, "[--slice MS] [--flag] [--kind K]"));
	assert_non_null(strstr(buf, "--slice MS"));
	assert_non_null(strstr(buf, "(0 to 100, default 7)"));
	assert_non_null(strstr(buf, "alpha, beta or gamma (default beta)"));
}

/* switch_def_of and iterations_of: the switch and -n's default follow the options; -n given wins. */
static void options_adapt_the_switch(void **state)
{
	struct wl_opts o;
	char err[256], buf[4096] = "";
	const char *none[] = { NULL };
	const char *cheap[] = { "--cheap", NULL };
	const char *cheap_n[] = { "--cheap", "-n", "7", NULL };
	FILE *fp;

	(void)state;
	opt_cheap = 0;
	assert_int_equal(parse(&adapting, &o, err, sizeof(err), none), WL_PARSE_OK);
	assert_string_equal(o.switch_def, "one call");	/* NULL from switch_def_of: the spec's */
	assert_int_equal(o.iterations, 500);		/* 0 from iterations_of: the spec's */
	assert_int_equal(parse(&adapting, &o, err, sizeof(err), cheap), WL_PARSE_OK);
	assert_string_equal(o.switch_def, "one cheap call");
	assert_int_equal(o.iterations, 5000);
	opt_cheap = 0;
	assert_int_equal(parse(&adapting, &o, err, sizeof(err), cheap_n), WL_PARSE_OK);
	assert_int_equal(o.iterations, 7);
	opt_cheap = 0;
	assert_int_equal(parse(&two_sided, &o, err, sizeof(err), none), WL_PARSE_OK);
	assert_string_equal(o.switch_def, "one demo hand-off");
	/* -h: the spec's own, and an option whose default is out of its range is "none" */
	fp = fmemopen(buf, sizeof(buf) - 1, "w");
	assert_non_null(fp);
	wl_usage(&adapting, fp);
	fclose(fp);
	assert_non_null(strstr(buf, "One switch: one call\n"));
	assert_non_null(strstr(buf, "(default 500)"));
	assert_non_null(strstr(buf, "--level N      absent: off (0 to 19, default none)"));
}

/* -C with one CPU per worker: as many as given, up to the CPUs allowed. */
static void cpu_list_for_workers(void **state)
{
	struct wl_opts o;
	char err[256], list[16], too_many[WL_MAX_CPUS * 3];
	cpu_set_t set;
	int c = wl_default_cpu(), allowed;
	const char *one[] = { NULL };
	const char *two[] = { "-C", list, NULL };
	const char *many[] = { "-C", too_many, NULL };

	(void)state;
	assert_int_equal(sched_getaffinity(0, sizeof(set), &set), 0);
	allowed = CPU_COUNT(&set);
	assert_int_equal(parse(&workers, &o, err, sizeof(err), one), WL_PARSE_OK);
	assert_int_equal(o.ncpus, 1);
	assert_int_equal(o.cpus[0], c);
	snprintf(list, sizeof(list), "%d,%d", c, c);
	if (allowed >= 2) {
		assert_int_equal(parse(&workers, &o, err, sizeof(err), two), WL_PARSE_OK);
		assert_int_equal(o.ncpus, 2);
		assert_int_equal(o.cpus[1], c);
	}
	too_many[0] = '\0';
	for (int i = 0; i <= allowed && i < WL_MAX_CPUS; i++)
		snprintf(too_many + strlen(too_many), sizeof(too_many) - strlen(too_many), "%s%d",
			 i ? "," : "", c);
	assert_int_equal(parse(&workers, &o, err, sizeof(err), many), WL_PARSE_ERROR);
	assert_non_null(strstr(err, "give at most"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(count_accepts_plain_decimals),
		cmocka_unit_test(count_rejects_everything_else),
		cmocka_unit_test(cpus_parse_one_or_two),
		cmocka_unit_test(cpu_usable_follows_affinity),
		cmocka_unit_test(args_defaults),
		cmocka_unit_test(args_all_options),
		cmocka_unit_test(args_help),
		cmocka_unit_test(args_errors),
		cmocka_unit_test(args_one_sided_refuses_two_cpus),
		cmocka_unit_test(env_fd_checks),
		cmocka_unit_test(usage_says_what_a_switch_is),
		cmocka_unit_test(long_options_parse),
		cmocka_unit_test(long_option_errors),
		cmocka_unit_test(check_refuses_a_bad_combination),
		cmocka_unit_test(usage_lists_long_options),
		cmocka_unit_test(cpu_list_for_workers),
		cmocka_unit_test(options_adapt_the_switch),
	};

	return cmocka_run_group_tests_name("workload_args", tests, NULL, NULL);
}
