// SPDX-License-Identifier: GPL-2.0
/*
 * test_int_cgroup.c — `trace --cgroup DIR` (root + BPF + cgroup v2): the
 * test makes a group and a group below it, starts trace on the group, and
 * only then moves two processes in (one into each group, one after the
 * other), each running the futex ping-pong on CPU 0: 2 x N switches each,
 * one kernel switch per counted switch. A third futex process runs at the
 * same time outside the group, on CPU 1. The trace
 * must count the two inside (the one that joined the subgroup included, and
 * the threads they start after joining) and not the one outside, and end by
 * itself when the test removes the group. The v2 mount comes from
 * /proc/mounts. ~3 s. The path resolution runs without root.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "bpf_census.h"
#include "calibrate.h"
#include "cgroup.h"
#include "testutil.h"

static char out[1 << 16], err[1 << 14];
static char group[2200], sub[2300];
static pid_t trace = -1;

/* After a failure too: no group and no trace left behind. */
static int teardown(void **state)
{
	(void)state;
	if (trace > 0 && waitpid(trace, NULL, WNOHANG) == 0) {
		kill(trace, SIGKILL);
		waitpid(trace, NULL, 0);
	}
	trace = -1;
	if (sub[0])
		rmdir(sub);
	if (group[0])
		rmdir(group);
	sub[0] = group[0] = '\0';
	return 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Forks futex -C cpu -n n (-w 0 -r 1); with group, it first moves itself into group/cgroup.procs. */
static pid_t futex_in(const char *group, const char *cpu, const char *n)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		if (group) {
			char procs[4200];
			FILE *f;

			snprintf(procs, sizeof(procs), "%s/cgroup.procs", group);
			f = fopen(procs, "w");
			if (!f || fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f))
				_exit(99);
		}
		execl(testutil_bin("workloads/futex"), "futex", "-C", cpu, "-n", n, "-w", "0", "-r", "1", (char *)NULL);
		_exit(98);
	}
	return pid;
}

/* "switched out 16,004 times" -> 16004 */
static long switched_out(const char *text)
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

static void test_trace_cgroup_follows_joiners(void **state)
{
	char v2[2048], outf[] = "/tmp/st-int-cgroup-XXXXXX", errf[] = "/tmp/st-int-cgroup-XXXXXX";
	struct st_census c;
	pid_t inside, below, outside, trace_pid_done;
	int status, fo, fe;
	long n, t0;

	(void)state;
	require_bpf();
	if (st_cgroup2_mount(v2, sizeof(v2))) {
		if (testutil_bpf_required())
			fail_msg("no cgroup v2 mounted (see /proc/mounts)");
		print_message("[   SKIP   ] no cgroup v2 mounted\n");
		skip();
	}
	snprintf(group, sizeof(group), "%s/schedtrace-test-%d", v2, (int)getpid());
	snprintf(sub, sizeof(sub), "%s/below", group);
	if (mkdir(group, 0755) || mkdir(sub, 0755))
		fail_msg("cannot make cgroups under %s: %s", v2, strerror(errno));
	fo = mkstemp(outf);
	fe = mkstemp(errf);
	assert_true(fo >= 0 && fe >= 0);
	{
		/* a cached calibration: attaching is then a matter of milliseconds */
		struct st_calibration cal;

		if (st_calibration_get(&cal, false, NULL, err, sizeof(err)))
			fail_msg("calibration: %s", err);
	}
	trace = fork();
	assert_true(trace >= 0);
	if (trace == 0) {
		dup2(fo, 1);
		dup2(fe, 2);
		execl(testutil_bin("schedtrace"), "schedtrace", "trace", "--cgroup", group, "-d", "30", (char *)NULL);
		_exit(127);
	}
	/* attached: its programs are loaded and linked (its own, told apart by its pid) */
	t0 = time(NULL);
	while (!(st_census_take(trace, &c) == 0 && c.links > 0) && time(NULL) - t0 < 10)
		sleep_ms(5);
	assert_true(c.links > 0);

	/* the outside one on the other CPU (when there is one), the two inside one after the other: none preempts another */
	outside = futex_in(NULL, sysconf(_SC_NPROCESSORS_ONLN) > 1 ? "1" : "0", "100000");
	inside = futex_in(group, "0", "3000");
	assert_int_equal(waitpid(inside, &status, 0), inside);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	below = futex_in(sub, "0", "5000");
	assert_int_equal(waitpid(below, &status, 0), below);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(waitpid(outside, &status, 0), outside);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* removing the group ends the trace, long before -d 30 */
	assert_int_equal(rmdir(sub), 0);
	assert_int_equal(rmdir(group), 0);
	t0 = time(NULL);
	assert_int_equal(waitpid(trace, &status, 0), trace);
	sub[0] = group[0] = '\0'; /* removed, and the trace reaped: nothing for teardown */
	assert_true(time(NULL) - t0 < 5);
	{
		FILE *f = fopen(outf, "r");
		size_t k = fread(out, 1, sizeof(out) - 1, f);

		out[k] = '\0';
		fclose(f);
		f = fopen(errf, "r");
		k = fread(err, 1, sizeof(err) - 1, f);
		err[k] = '\0';
		fclose(f);
	}
	unlink(outf);
	unlink(errf);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("trace --cgroup: status 0x%x: %s", status, err);
	assert_non_null(strstr(out, "until the group was removed"));
	assert_non_null(strstr(out, "those that joined later included"));
	n = switched_out(out);
	/* inside: (3000 + 5000) x 2 switches, one kernel switch each (futex), plus a few at start and exit */
	print_message("[   INFO   ] trace --cgroup: %ld kernel switches; the group's two processes make 16,000, the "
		      "one outside 200,000\n",
		      n);
	if (n < 0.97 * 16000 || n > 1.05 * 16000 + 100)
		fail_msg("trace --cgroup counted %ld kernel switches; the group's processes make ~16,000", n);
	trace_pid_done = trace;
	trace = -1;
	/* nothing of it left (maps go a moment after the programs: wait up to 2 s) */
	for (int i = 0; i < 400 && (st_census_take(trace_pid_done, &c) || st_census_total(&c)); i++)
		sleep_ms(5);
	if (st_census_total(&c))
		fail_msg("left: %d programs, %d links, %d maps, %d pinned", c.progs, c.links, c.maps, c.pinned);
}

/* Path resolution: not a directory, not in the v2 hierarchy, the depth counted from the v2 mount. */
static void test_resolve(void **state)
{
	struct st_cgroup cg;
	char v2[2048], e[512];

	(void)state;
	assert_int_equal(st_cgroup_resolve("/nonexistent-st", &cg, e, sizeof(e)), -1);
	assert_non_null(strstr(e, "No such file or directory"));
	assert_int_equal(st_cgroup_resolve("/etc/passwd", &cg, e, sizeof(e)), -1);
	assert_non_null(strstr(e, "not a directory"));
	if (st_cgroup2_mount(v2, sizeof(v2))) {
		print_message("[   SKIP   ] no cgroup v2 mounted\n");
		skip();
	}
	assert_int_equal(st_cgroup_resolve("/tmp", &cg, e, sizeof(e)), -1);
	assert_non_null(strstr(e, "not in the cgroup v2 hierarchy"));
	assert_non_null(strstr(e, v2));
	assert_int_equal(st_cgroup_resolve(v2, &cg, e, sizeof(e)), 0);
	assert_int_equal(cg.level, 0);
	assert_true(cg.id > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve),
		cmocka_unit_test_teardown(test_trace_cgroup_follows_joiners, teardown),
	};

	return cmocka_run_group_tests_name("int_cgroup", tests, NULL, NULL);
}
