// SPDX-License-Identifier: GPL-2.0
/*
 * test_int_concurrent.c — two `run`s and one `trace` at the same time (root
 * + BPF) each see their own threads only. They overlap for sure: the test
 * waits until all three have their programs loaded at once, each told apart
 * by the collector pid in its .rodata (user/collect/bpf_census.c). Then:
 *   run pthread -C 0: ~3 system calls and 1.5-2.2 kernel switches per switch
 *                     (alone: 3.0 and 1.7-1.8, test_int_run.c);
 *   run futex -C 1:   ~1.6 calls and 0.95-1.1 kernel switches per switch;
 *   trace -- threads sleep 2000 200 (tests/helpers) on CPU 0: 2,000 blocking
 *                     switch-outs, one per sleep, and a few at exec and exit.
 * The first run and the traced command share CPU 0 and preempt each other,
 * which adds switch-outs of their own threads: hence the blocking ones for
 * trace, and a wider kernel-switch bound for pthread. Had one instance
 * counted another's threads, its counts would grow by the other's (tens of
 * thousands of switches and calls a window). When they are done, none of
 * the three left a BPF object. ~3 s.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "bpf_census.h"
#include "calibrate.h"
#include "json_read.h"
#include "testutil.h"

static char dir[] = "/tmp/st-int-conc-XXXXXX";

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* schedtrace with args (NULL-terminated), stdout to dir/NAME.out, stderr to dir/NAME.err. */
static pid_t start(const char *name, char *const args[])
{
	char *argv[32] = { (char *)testutil_bin("schedtrace") };
	char path[256];
	pid_t pid;
	int n = 1;

	for (; *args && n < 31; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		snprintf(path, sizeof(path), "%s/%s.out", dir, name);
		if (!freopen(path, "w", stdout))
			_exit(126);
		snprintf(path, sizeof(path), "%s/%s.err", dir, name);
		if (!freopen(path, "w", stderr))
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

static void finish(const char *name, pid_t pid)
{
	char path[256], err[2048] = "";
	int status;
	FILE *f;

	assert_int_equal(waitpid(pid, &status, 0), pid);
	snprintf(path, sizeof(path), "%s/%s.err", dir, name);
	f = fopen(path, "r");
	if (f) {
		size_t k = fread(err, 1, sizeof(err) - 1, f);

		err[k] = '\0';
		fclose(f);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("%s: status 0x%x: %s", name, status, err);
}

static const struct st_breakdown *summary(const char *name, struct st_run **runs)
{
	char path[256], err[512];
	int n;

	snprintf(path, sizeof(path), "%s/%s.json", dir, name);
	if (st_json_read_file(path, runs, &n, err, sizeof(err)))
		fail_msg("%s: %s", path, err);
	assert_int_equal(n, 1);
	return &(*runs)[0].summary;
}

static void test_two_runs_and_a_trace(void **state)
{
	char a_json[128], b_json[128], c_json[128], helper[4096];
	char *a_args[] = { "run", "pthread", "-C", "0", "-n", "20000", "-r", "3", "--json", a_json, NULL };
	char *b_args[] = { "run", "futex", "-C", "1", "-n", "20000", "-r", "3", "--json", b_json, NULL };
	char *c_args[] = { "trace", "-C", "0", "--json", c_json, "--", "taskset", "-c", "0", helper, "sleep", "2000", "200",
			   NULL };
	const struct st_breakdown *a, *b, *c;
	struct st_run *ra, *rb, *rc;
	struct st_calibration cal;
	struct st_census ca, cb, cc;
	char err[512];
	bool together = false;
	pid_t pa, pb, pc;
	double vc;
	long t0;

	(void)state;
	require_bpf();
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		print_message("[   SKIP   ] one CPU online\n");
		skip();
	}
	if (st_calibration_get(&cal, false, NULL, err, sizeof(err)))
		fail_msg("calibration: %s", err);
	assert_non_null(mkdtemp(dir));
	snprintf(a_json, sizeof(a_json), "%s/a.json", dir);
	snprintf(b_json, sizeof(b_json), "%s/b.json", dir);
	snprintf(c_json, sizeof(c_json), "%s/c.json", dir);
	snprintf(helper, sizeof(helper), "%s", testutil_bin("tests/helpers/threads"));

	pa = start("a", a_args);
	pb = start("b", b_args);
	pc = start("c", c_args);
	t0 = time(NULL);
	while (!together && time(NULL) - t0 < 10) {
		together = !st_census_take(pa, &ca) && !st_census_take(pb, &cb) && !st_census_take(pc, &cc) &&
			   ca.links > 0 && cb.links > 0 && cc.links > 0;
		sleep_ms(2);
	}
	print_message("[   INFO   ] all three attached at once: %s (programs %d, %d, %d)\n", together ? "yes" : "no",
		      ca.progs, cb.progs, cc.progs);
	finish("a", pa);
	finish("b", pb);
	finish("c", pc);
	assert_true(together);

	a = summary("a", &ra);
	b = summary("b", &rb);
	c = summary("c", &rc);
	vc = c->voluntary * (double)c->switches;
	print_message("[   INFO   ] run pthread: %.3f kernel switches, %.2f syscalls per switch; run futex: %.3f, %.2f; "
		      "trace of 2,000 sleeps: %.0f blocking switch-outs (%llu in all)\n",
		      a->kernel_switches, a->syscalls, b->kernel_switches, b->syscalls, vc, (unsigned long long)c->switches);
	if (a->kernel_switches < 1.5 || a->kernel_switches > 2.2 || a->syscalls < 2.8 || a->syscalls > 3.3)
		fail_msg("run pthread saw %.3f kernel switches and %.2f syscalls per switch (alone: 1.7-1.8, 3.0)",
			 a->kernel_switches, a->syscalls);
	if (b->kernel_switches < 0.95 || b->kernel_switches > 1.1 || b->syscalls < 1.4 || b->syscalls > 1.8)
		fail_msg("run futex saw %.3f kernel switches and %.2f syscalls per switch (alone: 1.0, 1.6)",
			 b->kernel_switches, b->syscalls);
	if (vc < 2000 || vc > 2100)
		fail_msg("trace counted %.0f blocking switch-outs; its command sleeps 2,000 times", vc);
	assert_int_equal(a->lost + b->lost + c->lost, 0);
	free(ra);
	free(rb);
	free(rc);

	/* none left anything (maps go a moment after the programs) */
	for (int i = 0; i < 400; i++) {
		assert_int_equal(st_census_take(pa, &ca), 0);
		assert_int_equal(st_census_take(pb, &cb), 0);
		assert_int_equal(st_census_take(pc, &cc), 0);
		if (!st_census_total(&ca) && !st_census_total(&cb) && !st_census_total(&cc))
			break;
		sleep_ms(5);
	}
	assert_int_equal(st_census_total(&ca) + st_census_total(&cb) + st_census_total(&cc), 0);
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		assert_int_equal(system(cmd), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_runs_and_a_trace),
	};

	return cmocka_run_group_tests_name("int_concurrent", tests, NULL, NULL);
}
