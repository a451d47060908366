// SPDX-License-Identifier: GPL-2.0
/*
 * test_int_witness.c — the breakdown's labels against independent witnesses
 * on this machine, never against one host's numbers (root + BPF + perf):
 *  - perf recording the same run (sched_switch and sched_waking on the
 *    traced CPU, CLOCK_MONOTONIC so its timestamps fall in the workload's
 *    windows): the kernel switches, and the runqueue waits of each class
 *    (woken: sched_waking to switch-in; preempted: a runnable switch-out to
 *    switch-in), per repeat, in the repeat with every hook and in those
 *    without;
 *  - perf's cpu-clock sampling of the bare workload: the share of the traced
 *    CPU's time its threads spent in user mode, against the user share the
 *    breakdown attributes;
 *  - the run's own sampler (user/collect/sampler.h) agrees with the breakdown.
 * A missing perf is a skip, and a failure where BPF is required (CI).
 */
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "json_read.h"
#include "testutil.h"
#include "witness.h"

#define PERF "/usr/bin/perf"
#define MAX_WAITS 200000

/* perf and tracefs, or skip (fail where BPF is required: perf is in make deps) */
static void require_perf(void)
{
	struct stat st;

	require_bpf();
	if (access(PERF, X_OK) != 0) {
		if (testutil_bpf_required())
			fail_msg("perf is not installed: make deps installs linux-perf");
		print_message("[   SKIP   ] perf is not installed (apt-get install linux-perf)\n");
		skip();
	}
	if (stat("/sys/kernel/tracing/events", &st) != 0 &&
	    mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL) != 0)
		fail_msg("perf needs tracefs, which cannot be mounted at /sys/kernel/tracing");
}

/* Runs argv with stdout into path (stderr kept); returns the exit status. */
static int run_to_file(char *const argv[], const char *path)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (fd < 0 || dup2(fd, 1) < 0)
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* ---- perf recording the same run ------------------------------------------------ */

struct waits {
	double *v;
	int n;
};

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double mean_of(const struct waits *w)
{
	double s = 0;

	for (int i = 0; i < w->n; i++)
		s += w->v[i];
	return w->n ? s / w->n : 0;
}

static double p50_of(struct waits *w)
{
	qsort(w->v, (size_t)w->n, sizeof(double), cmp);
	return w->n ? w->v[w->n / 2] : 0;
}

/* What perf saw in one repeat's window. */
struct perf_repeat {
	struct waits woken, preempted;
	long switch_outs; /* of the traced threads */
};

static bool traced(const struct st_run *r, int tid)
{
	for (int i = 0; i < r->result.nr_tids; i++)
		if (r->result.tids[i] == tid)
			return true;
	return false;
}

static int window_of(const struct st_run *r, unsigned long long ts)
{
	for (int i = 0; i < r->result.nr_repeats; i++)
		if (ts >= r->result.repeat[i].start_ns && ts <= r->result.repeat[i].end_ns)
			return i;
	return -1;
}

static void add(struct waits *w, double v)
{
	if (w->n < MAX_WAITS)
		w->v[w->n++] = v;
}

/*
 * The waits of `perf script` lines "TID [CPU] SEC.NSEC: sched:EVENT: ...": from
 * sched_waking (woken) or a switch-out in state R (preempted) to the switch-in.
 */
static void perf_waits(const char *script, const struct st_run *r, struct perf_repeat *pr)
{
	static unsigned long long ready[1 << 22];
	static unsigned char ready_woken[1 << 22];
	char line[512];
	FILE *f = fopen(script, "r");

	assert_non_null(f);
	memset(ready, 0, sizeof(ready));
	while (fgets(line, sizeof(line), f)) {
		unsigned long sec, nsec;
		char ev[64];
		const char *p;
		unsigned long long ts;
		int w;

		p = strchr(line, ']');
		if (!p || sscanf(p + 1, " %lu.%lu: sched:%63[a-z_]:", &sec, &nsec, ev) != 3)
			continue;
		ts = sec * 1000000000ULL + nsec;
		w = window_of(r, ts);
		if (!strcmp(ev, "sched_waking")) {
			const char *q = strstr(line, " pid=");
			int pid = q ? atoi(q + 5) : -1;

			if (pid > 0 && pid < (1 << 22) && traced(r, pid)) {
				ready[pid] = ts;
				ready_woken[pid] = 1;
			}
		} else if (!strcmp(ev, "sched_switch")) {
			const char *pp = strstr(line, "prev_pid="), *ps = strstr(line, "prev_state="),
				   *np = strstr(line, "next_pid=");
			int prev = pp ? atoi(pp + 9) : -1, next = np ? atoi(np + 9) : -1;

			if (prev > 0 && prev < (1 << 22) && traced(r, prev)) {
				if (w >= 0)
					pr[w].switch_outs++;
				if (ps && ps[11] == 'R') {
					ready[prev] = ts;
					ready_woken[prev] = 0;
				}
			}
			if (next > 0 && next < (1 << 22) && ready[next]) {
				if (w >= 0)
					add(ready_woken[next] ? &pr[w].woken : &pr[w].preempted, (double)(ts - ready[next]));
				ready[next] = 0;
			}
		}
	}
	fclose(f);
}

static void assert_within(const char *what, double ours, double theirs, double rel)
{
	print_message("[   INFO   ] %-40s schedtrace %10.1f  perf %10.1f  (%+.1f%%)\n", what, ours, theirs,
		      theirs ? 100 * (ours - theirs) / theirs : 0);
	if (fabs(ours - theirs) > rel * theirs)
		fail_msg("%s: schedtrace %.1f, perf %.1f: more than %.0f%% apart", what, ours, theirs, 100 * rel);
}

/* `schedtrace run W` under `perf record`, and each repeat against what perf saw of it. */
static void same_run(const char *workload, long n, int repeats)
{
	char dir[] = "/tmp/schedtrace-witness-XXXXXX", data[128], json[128], script[128], n_arg[32], r_arg[32];
	struct perf_repeat pr[8];
	struct st_run *runs;
	char err[512];
	int nruns, rc;

	require_perf();
	assert_true(repeats <= 8);
	assert_non_null(mkdtemp(dir));
	snprintf(data, sizeof(data), "%s/perf.data", dir);
	snprintf(json, sizeof(json), "%s/run.json", dir);
	snprintf(script, sizeof(script), "%s/script.txt", dir);
	snprintf(n_arg, sizeof(n_arg), "%ld", n);
	snprintf(r_arg, sizeof(r_arg), "%d", repeats);
	{
		char *argv[] = { PERF, "record", "-q", "-k", "CLOCK_MONOTONIC", "-C", "0", "-e", "sched:sched_switch",
				 "-e", "sched:sched_waking", "-o", data, "--", (char *)testutil_bin("schedtrace"), "run",
				 (char *)workload, "-C", "0", "-n", n_arg, "-r", r_arg, "--json", json, NULL };

		rc = run_to_file(argv, "/dev/null");
		if (rc != 0)
			fail_msg("perf record -- schedtrace run %s exited %d", workload, rc);
	}
	{
		char *argv[] = { PERF, "script", "--ns", "-i", data, "-F", "tid,cpu,time,event,trace", NULL };

		assert_int_equal(run_to_file(argv, script), 0);
	}
	if (st_json_read_file(json, &runs, &nruns, err, sizeof(err)))
		fail_msg("%s: %s", json, err);
	memset(pr, 0, sizeof(pr));
	for (int i = 0; i < repeats; i++) {
		pr[i].woken.v = calloc(MAX_WAITS, sizeof(double));
		pr[i].preempted.v = calloc(MAX_WAITS, sizeof(double));
	}
	perf_waits(script, &runs[0], pr);
	for (int i = 0; i < repeats && i < runs[0].nr_repeats; i++) {
		const struct st_breakdown *b = &runs[0].repeat[i];
		char what[96];

		snprintf(what, sizeof(what), "%s r%d%s kernel switches", workload, i + 1,
			 runs[0].syscalls_repeat == i + 1 ? " (every hook)" : "");
		assert_within(what, b->kernel_switches * (double)b->switches, (double)pr[i].switch_outs, 0.005);
		if (runs[0].syscalls_repeat && runs[0].syscalls_repeat != i + 1) {
			/* a lean repeat: its waits are the every-hook repeat's, which perf checks */
			const struct st_breakdown *from = &runs[0].repeat[runs[0].syscalls_repeat - 1];

			assert_true(b->runq_woken.count == from->runq_woken.count &&
				    b->runq_preempted.count == from->runq_preempted.count);
		} else if (pr[i].woken.n > 100) {
			snprintf(what, sizeof(what), "%s r%d woken wait mean", workload, i + 1);
			assert_within(what, b->runq_woken.mean_ns, mean_of(&pr[i].woken), 0.15);
			snprintf(what, sizeof(what), "%s r%d woken wait p50", workload, i + 1);
			assert_within(what, b->runq_woken.p50_ns, p50_of(&pr[i].woken), 0.15);
		}
		if (pr[i].preempted.n > 100 && (!runs[0].syscalls_repeat || runs[0].syscalls_repeat == i + 1)) {
			snprintf(what, sizeof(what), "%s r%d preempted wait mean", workload, i + 1);
			assert_within(what, b->runq_preempted.mean_ns, mean_of(&pr[i].preempted), 0.15);
			snprintf(what, sizeof(what), "%s r%d preempted wait p50", workload, i + 1);
			assert_within(what, b->runq_preempted.p50_ns, p50_of(&pr[i].preempted), 0.15);
		}
		if (!pr[i].woken.n && !pr[i].preempted.n)
			fail_msg("%s repeat %d: perf saw no runqueue wait of its threads", workload, i + 1);
		free(pr[i].woken.v);
		free(pr[i].preempted.v);
	}
	free(runs);
	unlink(data);
	unlink(json);
	unlink(script);
	rmdir(dir);
}

static void test_pthread_same_run(void **state)
{
	(void)state;
	same_run("pthread", 10000, 3);
}

static void test_futex_same_run(void **state)
{
	(void)state;
	same_run("futex", 10000, 3);
}

/* ---- perf's cpu-clock sampling of the bare workload -------------------------------- */

/*
 * User-mode share of the workload's samples, from two events (one per mode).
 * Its threads are the samples of perf's own child (tgid), which recording a
 * CPU shows as comm "perf-exec" throughout: the exec's new name is not
 * recorded then. The few samples before the exec are perf's.
 */
static double perf_user_share(const char *workload, long n, long *samples)
{
	char dir[] = "/tmp/schedtrace-witness-XXXXXX", data[128], script[128], n_arg[32], line[256];
	long user = 0, all = 0;
	int pid = -1;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(data, sizeof(data), "%s/perf.data", dir);
	snprintf(script, sizeof(script), "%s/script.txt", dir);
	snprintf(n_arg, sizeof(n_arg), "%ld", n);
	{
		/* 1 ms periods, one event per mode: cpu-clock counts ns */
		char *argv[] = { PERF, "record", "-q", "-C", "0", "-c", "1000000", "-e", "cpu-clock:u", "-e",
				 "cpu-clock:k", "-o", data, "--", (char *)testutil_bin(workload), "-C", "0", "-n",
				 n_arg, "-r", "3", NULL };

		if (run_to_file(argv, "/dev/null") != 0)
			fail_msg("perf record -e cpu-clock of %s failed", workload);
	}
	{
		char *argv[] = { PERF, "script", "-i", data, "-F", "pid,comm,event", NULL };

		assert_int_equal(run_to_file(argv, script), 0);
	}
	f = fopen(script, "r");
	assert_non_null(f);
	/* "  comm  1234 cpu-clock:u: " (threads without a comm of their own show as ":tid"): two passes */
	for (int pass = 0; pass < 2; pass++) {
		rewind(f);
		while (fgets(line, sizeof(line), f)) {
			char comm[64], ev[64];
			int p;

			if (sscanf(line, " %63s %d %63s", comm, &p, ev) != 3)
				continue;
			if (pass == 0) {
				if (!strcmp(comm, "perf-exec") || !strcmp(comm, strrchr(workload, '/') + 1))
					pid = p;
				continue;
			}
			if (p != pid)
				continue;
			all++;
			user += !strncmp(ev, "cpu-clock:u", 11);
		}
	}
	fclose(f);
	unlink(data);
	unlink(script);
	rmdir(dir);
	*samples = all;
	return all ? (double)user / (double)all : 0;
}

/* The attributed user share against perf's sampling of the bare workload, within 5 points. */
static void user_share(const char *workload, long n)
{
	char rel[64], err[512];
	struct st_run *runs = NULL;
	struct st_witness w;
	char dir[] = "/tmp/schedtrace-witness-XXXXXX", json[128], n_arg[32];
	const struct st_breakdown *b;
	double perf_share, ours;
	long samples;
	int nruns;

	require_perf();
	snprintf(rel, sizeof(rel), "workloads/%s", workload);
	perf_share = perf_user_share(rel, n, &samples);
	assert_non_null(mkdtemp(dir));
	snprintf(json, sizeof(json), "%s/run.json", dir);
	snprintf(n_arg, sizeof(n_arg), "%ld", n);
	{
		char *argv[] = { (char *)testutil_bin("schedtrace"), "run", (char *)workload, "-C", "0", "-n", n_arg,
				 "--json", json, NULL };

		if (run_to_file(argv, "/dev/null") != 0)
			fail_msg("schedtrace run %s failed", workload);
	}
	if (st_json_read_file(json, &runs, &nruns, err, sizeof(err)))
		fail_msg("%s: %s", json, err);
	unlink(json);
	rmdir(dir);
	/* the repeat whose split is measured: the lean ones take their user share from their samples */
	st_witness_of(st_witness_subject(&runs[0]), &w);
	/*
	 * The report's share is of the traced time, whose denominator holds the
	 * probes' time too (10-20% of it); the bare workload's is user code over
	 * the time without them, the corrected ns/switch. The run's own sampler,
	 * below, samples the traced run and is judged against the report's.
	 */
	b = &runs[0].summary;
	ours = b->corrected_ns_per_switch > 0 ? b->user / (b->corrected_ns_per_switch * b->nr_cpus) : 0;
	print_message("[   INFO   ] %-9s user share of the time without the probes: schedtrace %.1f%% (%.1f%% of the "
		      "traced time), perf cpu-clock of the bare workload %.1f%% (%ld samples), the run's own sampler "
		      "%.1f%% of the traced time (%llu samples)\n",
		      workload, 100 * ours, 100 * w.attributed_user, 100 * perf_share, samples, 100 * w.sampled_user,
		      (unsigned long long)w.samples);
	if (samples < 200)
		fail_msg("perf took %ld samples: too few to judge", samples);
	if (fabs(ours - perf_share) > 0.05)
		fail_msg("%s: user code %.1f%% of the time, perf's sampling of the bare workload %.1f%%: more than 5 "
			 "points apart", workload, 100 * ours, 100 * perf_share);
	if (!w.sampled)
		fail_msg("%s: the run's own sampler took no sample (%s)", workload, runs[0].sampling_error);
	if (w.disagrees)
		fail_msg("%s: the run's own witness disagrees: sampled %.1f%%, attributed %.1f%%", workload,
			 100 * w.sampled_user, 100 * w.attributed_user);
	free(runs);
}

static void test_user_share_pthread(void **state)
{
	(void)state;
	user_share("pthread", 40000);
}

static void test_user_share_futex(void **state)
{
	(void)state;
	user_share("futex", 60000);
}

static void test_user_share_pipe(void **state)
{
	(void)state;
	user_share("pipe", 40000);
}

static void test_user_share_epoll_2t(void **state)
{
	(void)state;
	user_share("epoll-2t", 40000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pthread_same_run),    cmocka_unit_test(test_futex_same_run),
		cmocka_unit_test(test_user_share_pthread),  cmocka_unit_test(test_user_share_futex),
		cmocka_unit_test(test_user_share_pipe),	    cmocka_unit_test(test_user_share_epoll_2t),
	};

	return cmocka_run_group_tests_name("int_witness", tests, NULL, NULL);
}
