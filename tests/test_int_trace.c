// SPDX-License-Identifier: GPL-2.0
/*
 * test_int_trace.c — `schedtrace trace` end to end (root + BPF): a bundled
 * workload run as a plain command is counted like `run` counts it, -p
 * attaches to a running process and leaves it running, -f follows forks,
 * and the errors are one line with the right exit status. ~5 s. The -C list
 * parser runs without root.
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "testutil.h"
#include "args.h"
#include "trace_target.h"

#define OUT_LEN (64 * 1024)

static char out[OUT_LEN], err[8192];

static int schedtrace(const char *const *args)
{
	char *argv[32];
	int n = 0;

	argv[n++] = (char *)testutil_bin("schedtrace");
	for (; *args && n < 31; args++)
		argv[n++] = (char *)*args;
	argv[n] = NULL;
	return testutil_run(argv, out, sizeof(out), err, sizeof(err));
}

/* "switched out 82,064 times" -> 82064 */
static long kernel_switches_traced(const char *text)
{
	const char *s = strstr(text, "switched out ");
	long v = 0;

	if (!s)
		fail_msg("no 'switched out N times' in:\n%s", text);
	for (s += strlen("switched out "); (*s >= '0' && *s <= '9') || *s == ','; s++)
		if (*s != ',')
			v = v * 10 + (*s - '0');
	return v;
}

/* The "kernel switches" count per switch of run's report. */
static double kernel_switches_per_switch(const char *text)
{
	const char *s = strstr(text, "\n  kernel switches ");
	double v;

	if (!s || sscanf(s + strlen("\n  kernel switches "), "%lf", &v) != 1)
		fail_msg("no kernel switches count in:\n%s", text);
	return v;
}

/*
 * trace counts what the kernel switched over the command's whole run:
 * warm-up and every repeat, (W + R x N) x 2 switches for futex, times the
 * kernel switches per counted switch that `run` measures in its windows,
 * plus a handful from thread start and exit. Within 5%.
 */
static void test_trace_command_counts_like_run(void **state)
{
	const char *futex = testutil_bin("workloads/futex");
	char fx[4096];
	const char *run[] = { "run", "futex", "-n", "20000", "-r", "2", NULL };
	const char *trace[] = { "trace", "--", fx, "-n", "20000", "-w", "1000", "-r", "2", NULL };
	double per, expected;
	long got;
	int rc;

	(void)state;
	require_bpf();
	snprintf(fx, sizeof(fx), "%s", futex);
	rc = schedtrace(run);
	if (rc != 0)
		fail_msg("run futex exited %d: %s", rc, err);
	per = kernel_switches_per_switch(out);
	rc = schedtrace(trace);
	if (rc != 0)
		fail_msg("trace -- futex exited %d: %s", rc, err);
	assert_non_null(strstr(out, "until it exited (exit status 0)"));
	assert_non_null(strstr(out, "counted from the kernel's side"));
	got = kernel_switches_traced(out);
	expected = per * (1000 + 2 * 20000) * 2;
	print_message("kernel switches: trace %ld, expected %.0f (run: %.3f per switch)\n", got, expected, per);
	if (got < expected * 0.95 || got > expected * 1.05)
		fail_msg("trace counted %ld kernel switches, run implies %.0f (more than 5%% apart)", got, expected);
}

/* The background workload of the test running now: a failed assertion leaves it to the teardown. */
static pid_t background = -1;

static int kill_background(void **state)
{
	(void)state;
	if (background > 0) {
		kill(background, SIGKILL);
		waitpid(background, NULL, 0);
	}
	background = -1;
	return 0;
}

static pid_t start_background(const char *path, char *const argv[])
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		execv(path, argv);
		_exit(127);
	}
	return pid;
}

/* Context switches of every thread of pid, from /proc: moves while it makes progress. */
static long switches_of(pid_t pid)
{
	char dir[64], path[400], line[256];
	struct dirent *d;
	long total = 0, v;
	DIR *dp;

	snprintf(dir, sizeof(dir), "/proc/%d/task", (int)pid);
	dp = opendir(dir);
	if (!dp)
		return -1;
	while ((d = readdir(dp))) {
		FILE *f;

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/status", dir, d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "voluntary_ctxt_switches: %ld", &v) == 1 ||
			    sscanf(line, "nonvoluntary_ctxt_switches: %ld", &v) == 1)
				total += v;
		fclose(f);
	}
	closedir(dp);
	return total;
}

/* A thread of pid other than pid itself, 0 if none. */
static pid_t other_thread(pid_t pid)
{
	char dir[64];
	struct dirent *d;
	pid_t tid = 0;
	DIR *dp;

	snprintf(dir, sizeof(dir), "/proc/%d/task", (int)pid);
	dp = opendir(dir);
	if (!dp)
		return 0;
	while ((d = readdir(dp)))
		if (d->d_name[0] != '.' && atoi(d->d_name) != pid)
			tid = atoi(d->d_name);
	closedir(dp);
	return tid;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void test_trace_pid_attach_detach(void **state)
{
	char *const argv[] = { "futex", "-n", "1000000000", "-w", "0", "-r", "1", NULL };
	char pid_s[16], tid_s[16], want[64];
	const char *trace[] = { "trace", "-p", pid_s, "-d", "1", NULL };
	const char *by_tid[] = { "trace", "-p", tid_s, "-d", "0.3", NULL };
	long before, after;
	pid_t pid, tid;
	int rc, status;

	(void)state;
	require_bpf();
	background = pid = start_background(testutil_bin("workloads/futex"), argv);
	sleep_ms(300); /* its second thread is up and the ping-pong running */
	snprintf(pid_s, sizeof(pid_s), "%d", (int)pid);
	rc = schedtrace(trace);
	if (rc != 0)
		fail_msg("trace -p exited %d: %s", rc, err);
	snprintf(want, sizeof(want), "(pid %d)", (int)pid);
	assert_non_null(strstr(out, want));
	assert_non_null(strstr(out, "(-d 1)"));
	assert_true(kernel_switches_traced(out) > 1000);

	/* detached: still running, unharmed, and still making progress */
	assert_int_equal(waitpid(pid, &status, WNOHANG), 0);
	before = switches_of(pid);
	sleep_ms(200);
	after = switches_of(pid);
	print_message("after detaching: %ld -> %ld context switches in 200 ms\n", before, after);
	assert_true(before > 0 && after > before + 100);

	/* a thread id means its process */
	tid = other_thread(pid);
	if (tid > 0) {
		snprintf(tid_s, sizeof(tid_s), "%d", (int)tid);
		assert_int_equal(schedtrace(by_tid), 0);
		if (!strstr(out, want))
			fail_msg("trace -p %s (a thread of %d) does not name its process %s:\n%.600s", tid_s, (int)pid,
				 want, out);
		/* and traces it: the filter is the process's id, not the thread's (it traced nothing) */
		assert_true(kernel_switches_traced(out) > 1000);
		assert_int_equal(waitpid(pid, &status, WNOHANG), 0);
	}
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	background = -1;
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL); /* it died of our kill, not before */
}

static void test_trace_follows_forks(void **state)
{
	char cmd[4200];
	const char *with_f[] = { "trace", "-f", "--", "/bin/sh", "-c", cmd, NULL };
	const char *without[] = { "trace", "--", "/bin/sh", "-c", cmd, NULL };
	long f, nf;

	(void)state;
	require_bpf();
	snprintf(cmd, sizeof(cmd), "%s -n 2000 -w 0 -r 1 >/dev/null", testutil_bin("workloads/futex"));
	assert_int_equal(schedtrace(with_f), 0);
	f = kernel_switches_traced(out);
	assert_int_equal(schedtrace(without), 0);
	nf = kernel_switches_traced(out);
	print_message("sh -c futex: %ld kernel switches with -f, %ld without\n", f, nf);
	assert_true(f >= 4000 * 0.95); /* the ping-pong's 4000 switches are in */
	assert_true(nf < 1000);	       /* only the shell's own */
}

/* text is one line: it ends in its only newline (a message without one fails here, not in a NULL + 1) */
static void assert_one_line(const char *text)
{
	const char *nl = strchr(text, '\n');

	if (!nl || nl[1] != '\0')
		fail_msg("not one line ending in a newline: \"%s\"", text);
}

static void test_trace_errors(void **state)
{
	const char *no_pid[] = { "trace", "-p", "999999999", NULL };
	const char *not_found[] = { "trace", "--", "schedtrace-no-such-command", NULL };
	const char *nothing[] = { "trace", NULL };
	const char *empty[] = { "trace", "--", NULL };
	const char *bad_d[] = { "trace", "-d", "x", "--", "true", NULL };

	(void)state;
	require_bpf();
	assert_int_equal(schedtrace(no_pid), 1);
	assert_non_null(strstr(err, "no process with PID 999999999"));
	assert_one_line(err);
	assert_int_equal(schedtrace(not_found), 1);
	assert_non_null(strstr(err, "cannot run 'schedtrace-no-such-command'"));
	assert_one_line(err);
	assert_int_equal(schedtrace(nothing), 2);
	assert_int_equal(schedtrace(empty), 2);
	assert_int_equal(schedtrace(bad_d), 2);
}

/* trace -C: lists and ranges, strictly (no root needed). */
static void test_cpu_lists(void **state)
{
	int cpus[8], n;
	char err[256], buf[64];

	(void)state;
	assert_int_equal(n = wl_parse_cpus("0-3,6", cpus, 8, true, err, sizeof(err)), 5);
	assert_int_equal(cpus[3], 3);
	assert_int_equal(cpus[4], 6);
	assert_string_equal(st_fmt_cpu_list(buf, sizeof(buf), cpus, n), "0-3,6");
	assert_int_equal(n = wl_parse_cpus("1", cpus, 8, true, err, sizeof(err)), 1);
	assert_string_equal(st_fmt_cpu_list(buf, sizeof(buf), cpus, n), "1");
	assert_int_equal(n = wl_parse_cpus("0,2,3", cpus, 8, true, err, sizeof(err)), 3);
	assert_string_equal(st_fmt_cpu_list(buf, sizeof(buf), cpus, n), "0,2-3");
	static const char *const bad[] = { "", ",", "0,", ",0", "0,,1", "3-1", "a", "1x", "-1", "0-", "0-1-2" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (wl_parse_cpus(bad[i], cpus, 8, true, err, sizeof(err)) >= 0)
			fail_msg("'%s' was accepted", bad[i]);
	assert_int_equal(wl_parse_cpus("0,0", cpus, 8, true, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "named twice"));
	assert_int_equal(wl_parse_cpus("0-9", cpus, 8, true, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "too many"));
	assert_true(st_online_cpus(cpus, 8) >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpu_lists),
		cmocka_unit_test(test_trace_errors),
		cmocka_unit_test(test_trace_command_counts_like_run),
		cmocka_unit_test_teardown(test_trace_pid_attach_detach, kill_background),
		cmocka_unit_test(test_trace_follows_forks),
	};

	testutil_filter();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
