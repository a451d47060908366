// SPDX-License-Identifier: GPL-2.0
/*
 * test_cli_paths.c — every output file is checked before any work: a missing
 * directory, a directory given as the file, a parent that is a file, a
 * directory that cannot be written, a target that is not a regular file,
 * two options naming one file. Each is one line on stderr naming the option
 * and saying what to do, and exit 2, for run (--json --csv --html
 * --perfetto), trace, compare and report --html; no probe file is left
 * behind. Needs no root: usage errors come before the root check. The
 * read-only case uses a read-only tmpfs as root, a mode-0555 directory
 * otherwise (root writes there regardless).
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include "testutil.h"
#include "path_check.h"

static char out[1 << 16], err[1 << 14];
static char dir[64];

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/st-paths-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int cli(const char *const *args)
{
	char *argv[24] = { (char *)testutil_bin("schedtrace") };
	int n = 1;

	for (; *args && n < 23; args++)
		argv[n++] = (char *)*args;
	argv[n] = NULL;
	return testutil_run(argv, out, sizeof(out), err, sizeof(err));
}

static int entries(const char *d)
{
	DIR *dp = opendir(d);
	struct dirent *e;
	int n = 0;

	assert_non_null(dp);
	while ((e = readdir(dp)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(dp);
	return n;
}

/* Exit 2 and one "schedtrace: ..." line holding each of want[] (NULL-terminated). */
static void expect_usage(const char *const *args, const char *const *want)
{
	int rc = cli(args);

	if (rc != 2)
		fail_msg("%s %s %s %s: exit %d, not 2 (stderr: %s)", args[0], args[1], args[2], args[3], rc, err);
	if (strncmp(err, "schedtrace: ", 12) || !strchr(err, '\n') || strchr(err, '\n')[1])
		fail_msg("not one 'schedtrace: ' line: '%s'", err);
	for (; *want; want++)
		if (!strstr(err, *want))
			fail_msg("'%s' is not in: %s", *want, err);
}

/* The same bad path under each command and option that writes a file. */
static void each_option(const char *path, const char *const *want)
{
	static const char *const opts[] = { "--json", "--csv", "--html", "--perfetto", "--switches" };

	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		const char *run[] = { "run", "pthread", opts[i], path, NULL };

		expect_usage(run, want);
		assert_non_null(strstr(err, opts[i]));
	}
	{
		const char *trace[] = { "trace", "--json", path, "--", "true", NULL };
		const char *compare[] = { "compare", "--csv", path, NULL };
		const char *report[] = { "report", "some.json", "--html", path, NULL };

		expect_usage(trace, want);
		expect_usage(compare, want);
		expect_usage(report, want);
	}
}

static void test_missing_directory(void **state)
{
	char path[160], sub[128];
	const char *want[] = { "does not exist", "mkdir -p", sub, NULL };

	(void)state;
	snprintf(sub, sizeof(sub), "%s/no/such", dir);
	snprintf(path, sizeof(path), "%s/x.out", sub);
	each_option(path, want);
}

static void test_directory_as_file(void **state)
{
	char slash[80];
	const char *want[] = { "is a directory", "give a file name", NULL };

	(void)state;
	each_option(dir, want);
	snprintf(slash, sizeof(slash), "%s/", dir);
	each_option(slash, want);
	assert_int_equal(entries(dir), 0);
}

static void test_parent_is_a_file(void **state)
{
	char file[96], path[160];
	const char *want[] = { "is not a directory", NULL };
	FILE *f;

	(void)state;
	snprintf(file, sizeof(file), "%s/plain", dir);
	f = fopen(file, "w");
	assert_non_null(f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/x.out", file);
	each_option(path, want);
}

static void test_not_a_regular_file(void **state)
{
	const char *want[] = { "/dev/null", "not a regular file", NULL };

	(void)state;
	each_option("/dev/null", want);
}

static void test_not_writable(void **state)
{
	char ro[96], path[160];
	const char *want[] = { "cannot create files in", "writable directory", NULL };
	bool mounted = false;

	(void)state;
	snprintf(ro, sizeof(ro), "%s/ro", dir);
	assert_int_equal(mkdir(ro, 0755), 0);
	if (geteuid() == 0) {
		if (mount("tmpfs", ro, "tmpfs", MS_RDONLY, "size=64k") != 0) {
			print_message("[   SKIP   ] root, and no read-only tmpfs can be mounted (%s)\n", strerror(errno));
			skip();
		}
		mounted = true;
	} else {
		assert_int_equal(chmod(ro, 0555), 0);
	}
	snprintf(path, sizeof(path), "%s/x.out", ro);
	each_option(path, want);
	assert_non_null(strstr(err, mounted ? "Read-only file system" : "Permission denied"));
	if (mounted)
		assert_int_equal(umount(ro), 0);
	else
		chmod(ro, 0755);
}

static void test_same_file_twice(void **state)
{
	char path[128];
	const char *run[] = { "run", "pthread", "--json", path, "--csv", path, NULL };
	const char *want[] = { "--json and --csv both name", "its own file", NULL };

	(void)state;
	snprintf(path, sizeof(path), "%s/x", dir);
	expect_usage(run, want);
}

static void test_empty_name(void **state)
{
	const char *run[] = { "run", "pthread", "--html", "", NULL };
	const char *want[] = { "--html needs a file name", NULL };

	(void)state;
	expect_usage(run, want);
}

/* A good path passes: --no-trace needs neither root nor BPF, and the file is there; no probe file is left. */
static void test_good_path_passes(void **state)
{
	char path[128];
	const char *run[] = { "run", "futex", "--no-trace", "-n", "100", "-r", "1", "--json", path, NULL };
	struct stat st;
	int rc;

	(void)state;
	snprintf(path, sizeof(path), "%s/run.json", dir);
	rc = cli(run);
	if (rc != 0)
		fail_msg("run --no-trace --json %s: exit %d: %s", path, rc, err);
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size > 100);
	assert_int_equal(entries(dir), 1);
}

/* The function itself: the message names the option and the fix; a bare name means the current directory. */
static void test_path_check_function(void **state)
{
	char e[512], cwd[4096];

	(void)state;
	assert_int_equal(st_path_check("--json", "/nonexistent-st/x.json", e, sizeof(e)), -1);
	assert_string_equal(e, "--json /nonexistent-st/x.json: directory /nonexistent-st does not exist; create it "
			       "(mkdir -p /nonexistent-st) or pick another path");
	assert_int_equal(st_path_check("--csv", "/", e, sizeof(e)), -1);
	assert_string_equal(e, "--csv / is a directory; give a file name in it, e.g. /run.csv");
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	assert_int_equal(st_path_check("--json", "bare.json", e, sizeof(e)), 0);
	assert_int_equal(entries("."), 0);
	assert_int_equal(chdir(cwd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_missing_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_directory_as_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parent_is_a_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_regular_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_writable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_file_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_good_path_passes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_path_check_function, setup, teardown),
	};

	return cmocka_run_group_tests_name("cli_paths", tests, NULL, NULL);
}
