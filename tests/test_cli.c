// SPDX-License-Identifier: GPL-2.0
/*
 * test_cli.c — the command line's contract (DESIGN.md): exit 0 / 1 / 2 and
 * one line on stderr that says what to do. Usage errors need no root; the
 * "not root" case runs the binary as nobody when the test is root. An
 * untraced run stopped by SIGTERM or SIGINT exits 143 or 130 with its
 * report marked INCOMPLETE.
 */
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "testutil.h"

static char out[1 << 16], err[1 << 14];

static int run_cli(const char *a1, const char *a2, const char *a3, const char *a4, const char *a5)
{
	char *argv[7] = { (char *)testutil_bin("schedtrace") };
	const char *a[] = { a1, a2, a3, a4, a5 };
	int n = 1;

	for (int i = 0; i < 5 && a[i]; i++)
		argv[n++] = (char *)a[i];
	argv[n] = NULL;
	return testutil_run(argv, out, sizeof(out), err, sizeof(err));
}

static int lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* exactly one line on stderr, ending in a newline, starting "schedtrace: " */
static void assert_one_line(void)
{
	if (lines(err) != 1 || err[strlen(err) - 1] != '\n' || strncmp(err, "schedtrace: ", 12) != 0)
		fail_msg("stderr is not one 'schedtrace: ...' line: '%s'", err);
}

static void test_list(void **state)
{
	const char *names[] = { "coro-yield", "coro-chan", "pthread", "futex", "epoll", "epoll-2t", "pipe" };

	(void)state;
	assert_int_equal(run_cli("list", NULL, NULL, NULL, NULL), 0);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_non_null(strstr(out, names[i]));
	/* the seed's hand-offs are the switch group: compare's and make bench's set, in that order */
	assert_int_equal(run_cli("list", "--names", "--group", "switch", NULL), 0);
	assert_int_equal(lines(out), 7);
	assert_non_null(strstr(out, "coro-yield\ncoro-chan\n"));
	assert_null(strstr(out, "mn\n"));
	/* the labs' entries: a binary with fixed options each, in groups of their own */
	assert_int_equal(run_cli("list", "--names", "--group", "syscall", NULL), 0);
	assert_string_equal(out, "sys-nowork\nsys-getppid\nsys-clock-vdso\nsys-clock-syscall\n");
	assert_int_equal(run_cli("list", "--names", "--group", "lab", NULL), 0);
	assert_string_equal(out, "pthread-unlocked\nfutex-hog0\nfutex-hog19\n");
	assert_int_equal(run_cli("list", "--group", "nosuch", NULL, NULL), 2);
	assert_one_line();
	assert_non_null(strstr(err, "switch, mn, hog, lang, syscall and lab"));
}

static void test_no_command(void **state)
{
	(void)state;
	assert_int_equal(run_cli(NULL, NULL, NULL, NULL, NULL), 2);
	assert_int_equal(run_cli("bogus", NULL, NULL, NULL, NULL), 2);
	assert_one_line();
	assert_int_equal(run_cli("--help", NULL, NULL, NULL, NULL), 0);
	assert_non_null(strstr(out, "/run/schedtrace/calibration"));
}

static void test_unknown_workload(void **state)
{
	(void)state;
	assert_int_equal(run_cli("run", "nosuch", NULL, NULL, NULL), 2);
	assert_one_line();
	assert_non_null(strstr(err, "nosuch"));
	assert_non_null(strstr(err, "pthread"));
	assert_non_null(strstr(err, "coro-yield"));
	assert_non_null(strstr(err, "epoll-2t"));
}

static void test_bad_numbers(void **state)
{
	const char *bad_n[] = { "abc", "10abc", "-5", "0", "", " 10", "1e6", "99999999999999999999" };

	(void)state;
	for (size_t i = 0; i < sizeof(bad_n) / sizeof(bad_n[0]); i++) {
		if (run_cli("run", "pthread", "-n", bad_n[i], NULL) != 2)
			fail_msg("-n '%s' did not exit 2", bad_n[i]);
		assert_one_line();
	}
	assert_int_equal(run_cli("run", "pthread", "-r", "0", NULL), 2);
	assert_one_line();
	assert_int_equal(run_cli("run", "pthread", "-r", "65", NULL), 2);
	assert_one_line();
	assert_int_equal(run_cli("run", "pthread", "-n", NULL, NULL), 2);
	assert_one_line();
}

static void test_bad_cpus(void **state)
{
	const char *bad[] = { "99", "abc", "0,", ",0", "0,1,0", "-1", "1-0", "0-1-2", "0-2", "" };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (run_cli("run", "pthread", "-C", bad[i], NULL) != 2)
			fail_msg("-C '%s' did not exit 2 (stderr: %s)", bad[i], err);
		assert_one_line();
	}
}

static void test_bad_option(void **state)
{
	(void)state;
	assert_int_equal(run_cli("run", "pthread", "--bogus", NULL, NULL), 2);
	assert_one_line();
	assert_int_equal(run_cli("run", "pthread", "futex", NULL, NULL), 2);
	assert_one_line();
	assert_int_equal(run_cli("calibrate", "--bogus", NULL, NULL, NULL), 2);
	assert_one_line();
}

/* --ring-size and --cgroup: bad values and combinations are usage errors, one line each (no root needed). */
static void test_ring_size_and_cgroup_usage(void **state)
{
	static const struct {
		const char *args[7];
		const char *want;
	} cases[] = {
		{ { "run", "pthread", "--ring-size", "4K" }, "give it with --perfetto" },
		{ { "run", "pthread", "--ring-size", "3K", "--perfetto", "/tmp/st-x.json" }, "power of two" },
		{ { "run", "pthread", "--ring-size", "2G", "--perfetto", "/tmp/st-x.json" }, "power of two" },
		{ { "run", "pthread", "--perfetto", "/tmp/st-x.json", "--ring-size" }, "needs a value" },
		{ { "run", "pthread", "--ring-size", "4K", "--json", "/tmp/st-x.json" }, "or --switches F" },
		{ { "run", "pthread", "--ring-size", "3K", "--switches", "/tmp/st-x.csv" }, "power of two" },
		{ { "run", "pthread", "--switches", "/tmp/st-x.csv", "--no-trace" }, "--switches needs the tracer" },
		{ { "run", "pthread", "--no-trace", "--perfetto", "/tmp/st-x.json" }, "drop --no-trace" },
		{ { "trace", "--cgroup", "/tmp" }, "not in the cgroup v2 hierarchy" },
		{ { "trace", "--cgroup", "/nonexistent-st" }, "No such file" },
		{ { "trace", "--cgroup", "/tmp", "-p", "1" }, "without -p" },
		{ { "trace", "--cgroup", "/tmp", "-f" }, "drop -f" },
		{ { "trace", "--cgroup" }, "needs a value" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *argv[9] = { (char *)testutil_bin("schedtrace") };
		int n = 1, rc;

		for (int k = 0; k < 7 && cases[i].args[k]; k++)
			argv[n++] = (char *)cases[i].args[k];
		argv[n] = NULL;
		rc = testutil_run(argv, out, sizeof(out), err, sizeof(err));
		if (rc != 2)
			fail_msg("case %zu (%s %s %s): exit %d, not 2: %s", i, argv[1], argv[2], argv[3], rc, err);
		assert_one_line();
		if (!strstr(err, cases[i].want))
			fail_msg("case %zu: '%s' not in: %s", i, cases[i].want, err);
	}
}

/* Not root: exit 1, one line with the sudo hint. */
static void test_not_root(void **state)
{
	struct passwd *nobody;
	int status, pe[2];
	pid_t pid;
	ssize_t n = 0, r;

	(void)state;
	if (geteuid() != 0) {
		assert_int_equal(run_cli("run", "pthread", NULL, NULL, NULL), 1);
		assert_one_line();
		assert_non_null(strstr(err, "sudo"));
		assert_int_equal(run_cli("calibrate", NULL, NULL, NULL, NULL), 1);
		assert_non_null(strstr(err, "sudo"));
		return;
	}
	nobody = getpwnam("nobody");
	if (!nobody) {
		print_message("[   SKIP   ] root, and no user 'nobody' to drop to\n");
		skip();
	}
	assert_int_equal(pipe(pe), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(pe[1], 2);
		close(pe[0]);
		if (setgid(nobody->pw_gid) || setuid(nobody->pw_uid))
			_exit(99);
		execl(testutil_bin("schedtrace"), "schedtrace", "run", "pthread", (char *)NULL);
		_exit(98);
	}
	close(pe[1]);
	while ((r = read(pe[0], err + n, sizeof(err) - 1 - (size_t)n)) > 0)
		n += r;
	err[n] = '\0';
	close(pe[0]);
	waitpid(pid, &status, 0);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 98) {
		print_message("[   SKIP   ] nobody cannot execute %s (directory permissions)\n", testutil_bin("schedtrace"));
		skip();
	}
	assert_int_equal(WEXITSTATUS(status), 1);
	assert_one_line();
	assert_non_null(strstr(err, "sudo"));
	assert_non_null(strstr(err, "CAP_BPF"));
}

/* No kernel BTF: exit 1 and the missing file named (the path is redirected for the test). */
/*
 * SIGTERM (or SIGINT) during an untraced run (no root needed): the repeats
 * measured so far are reported, marked INCOMPLETE, stderr says so in one
 * line, and the exit status is 128 + the signal (143, 130). 64 repeats of
 * 20,000 iterations take ~10 s here (~0.16 s each); the signal comes after
 * 1.5 s, when a busy machine has finished one too.
 */
static void interrupt_untraced(int sig, int want_rc)
{
	char out_path[] = "/tmp/st-cli-out-XXXXXX", err_path[] = "/tmp/st-cli-err-XXXXXX";
	int fo = mkstemp(out_path), fe = mkstemp(err_path), status;
	FILE *f;
	size_t n;
	pid_t pid;

	assert_true(fo >= 0 && fe >= 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fo, 1);
		dup2(fe, 2);
		execl(testutil_bin("schedtrace"), "schedtrace", "run", "futex", "--no-trace", "-n", "20000", "-r", "64",
		      (char *)NULL);
		_exit(127);
	}
	close(fo);
	close(fe);
	usleep(1500 * 1000);
	kill(pid, sig);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	f = fopen(out_path, "r");
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	fclose(f);
	f = fopen(err_path, "r");
	n = fread(err, 1, sizeof(err) - 1, f);
	err[n] = '\0';
	fclose(f);
	unlink(out_path);
	unlink(err_path);
	if (!WIFEXITED(status))
		fail_msg("schedtrace run was killed by signal %d instead of exiting", WTERMSIG(status));
	assert_int_equal(WEXITSTATUS(status), want_rc);
	if (!strstr(out, "\nINCOMPLETE: interrupted after ") || !strstr(out, " of 64 repeats"))
		fail_msg("the report does not say it is incomplete:\n%.400s", out);
	assert_non_null(strstr(out, "schedtrace: futex on CPU"));
	assert_one_line();
	assert_non_null(strstr(err, "the report above is incomplete"));
}

/* The output flags, each to its own file in its own format, spelled both ways (no root: --no-trace). */
static void test_no_trace_outputs(void **state)
{
	char dir[] = "/tmp/st-cli-out-XXXXXX", json_opt[96], csv[96], html[96], buf[64];
	const char *json = json_opt + strlen("--json=");
	char *argv[] = { (char *)testutil_bin("schedtrace"), "run", "pthread", "--no-trace", "-n", "2000", "-r", "1",
			 json_opt, "--csv", csv, "--html", html, NULL };
	const struct {
		const char *path, *head;
	} want[] = { { json, "{" }, { csv, "workload,cpus,traced,complete,repeat," }, { html, "<!DOCTYPE html>" } };

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(json_opt, sizeof(json_opt), "--json=%s/a.json", dir);
	snprintf(csv, sizeof(csv), "%s/b.csv", dir);
	snprintf(html, sizeof(html), "%s/c.html", dir);
	assert_int_equal(testutil_run(argv, out, sizeof(out), err, sizeof(err)), 0);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		FILE *f = fopen(want[i].path, "r");
		size_t n;

		if (!f)
			fail_msg("%s was not written", want[i].path);
		n = fread(buf, 1, sizeof(buf) - 1, f);
		buf[n] = '\0';
		fclose(f);
		if (strncmp(buf, want[i].head, strlen(want[i].head)))
			fail_msg("%s starts '%.20s', not '%s'", want[i].path, buf, want[i].head);
		unlink(want[i].path);
	}
	rmdir(dir);
}

static void test_sigterm_143(void **state)
{
	(void)state;
	interrupt_untraced(SIGTERM, 143);
}

static void test_sigint_130(void **state)
{
	(void)state;
	interrupt_untraced(SIGINT, 130);
}

static void test_no_btf(void **state)
{
	(void)state;
	if (geteuid() != 0) {
		print_message("[   SKIP   ] not root: the root check comes first\n");
		skip();
	}
	setenv("SCHEDTRACE_KERNEL_BTF", "/nonexistent/vmlinux", 1);
	assert_int_equal(run_cli("run", "pthread", NULL, NULL, NULL), 1);
	unsetenv("SCHEDTRACE_KERNEL_BTF");
	assert_one_line();
	assert_non_null(strstr(err, "/nonexistent/vmlinux"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list),	     cmocka_unit_test(test_no_command), cmocka_unit_test(test_unknown_workload),
		cmocka_unit_test(test_bad_numbers), cmocka_unit_test(test_bad_cpus),   cmocka_unit_test(test_bad_option),
		cmocka_unit_test(test_not_root),    cmocka_unit_test(test_no_btf),
		cmocka_unit_test(test_ring_size_and_cgroup_usage),
		cmocka_unit_test(test_no_trace_outputs),
		cmocka_unit_test(test_sigterm_143), cmocka_unit_test(test_sigint_130),
	};

	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
