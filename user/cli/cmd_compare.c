// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_compare.c — `schedtrace compare [WORKLOAD...]`: every workload traced
 * one repeat at a time, round after round in turn (the host drifts by tens
 * of percent over tens of seconds: never one block after another), gathered
 * per workload, then one report (report/text_compare.c). Before the rounds,
 * one run of each with every hook gives its syscall split; the rounds run
 * without the syscall hooks and sched_waking and borrow it (--every-round:
 * every hook in every round).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "attribute.h"
#include "cmd.h"
#include "compare.h"
#include "report.h"
#include "run.h"
#include "text_compare.h"
#include "tracer.h"

#define DEFAULT_ROUNDS 3
#define MAX_JOBS 32

/*
 * The default set, in report order, and -n for each: a traced window of
 * ~0.2-0.3 s on a 2-vCPU KVM guest (futex: 20000 x 2 switches x ~4-6 µs;
 * coro-yield: 8M x 2 x ~15 ns), ~15-20 s for the default compare.
 * Split over two CPUs a hand-off costs ~10-40x more there (the woken CPU is
 * idle, or busy with others: an IPI and an idle exit through the
 * hypervisor, or a wait), hence split_iterations; free runs mostly stay on
 * one CPU (wake-affine) and take 3x split_iterations.
 */
static const struct {
	const char *name;
	long iterations;
	long split_iterations; /* kernel-switching: also run on two CPUs; 0: not */
} defaults[] = {
	{ "coro-yield", 8000000, 0 },
	{ "coro-chan", 3000000, 0 },
	{ "epoll", 12000, 0 },
	{ "futex", 20000, 600 },
	{ "pthread", 16000, 500 },
	{ "epoll-2t", 16000, 500 },
	{ "pipe", 12000, 400 },
};
#define NR_DEFAULTS ((int)(sizeof(defaults) / sizeof(defaults[0])))

struct job {
	const char *workload;
	int cpus[ST_RUN_MAX_CPUS];
	int nr_cpus;
	bool free_sides; /* both sides may run on either CPU (run.h) */
	long iterations;
	struct st_run *acc; /* the repeats gathered so far */
	struct st_breakdown profile; /* a run with every hook, when the rounds have none */
	bool profiled;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: schedtrace compare [WORKLOAD...] [-C CPU[,CPU2]] [-n ITERATIONS] [-r ROUNDS]\n"
		"                          [--json F] [--csv F] [--html F] [--every-round] [--recalibrate]\n\n"
		"Runs workloads side by side, traced, and explains the gap between a kernel\n"
		"thread switch (pthread) and a user-space one (coro-yield, coro-chan): a table\n"
		"per switch, the CPU-time parts, the gap split into parts, and the seed\n"
		"article's figures beside this machine's.\n\n"
		"  WORKLOAD...     default: coro-yield coro-chan epoll futex pthread epoll-2t pipe\n"
		"  -C CPU          the CPU every workload is pinned to, both sides (default: the\n"
		"                  lowest allowed CPU)\n"
		"  -C CPU,CPU2     also run the kernel-switching workloads (futex, pthread, epoll-2t,\n"
		"                  pipe) on two CPUs, twice, beside the pinned run: split (side A on\n"
		"                  CPU, side B on CPU2: every hand-off wakes the other CPU, nothing\n"
		"                  can migrate) and free (they start split, then both may run on\n"
		"                  either CPU: the scheduler places them). Shows migrations, cross-CPU\n"
		"                  wakeups, idle, and the runqueue wait of migrated vs local wake-ups\n"
		"  -n ITERATIONS   iterations per window for every workload (default: per workload,\n"
		"                  a traced window of ~0.2-0.3 s on a 2-vCPU KVM guest; fewer on\n"
		"                  two CPUs, where a hand-off costs 10-40x more in a VM)\n"
		"  -r ROUNDS       rounds, 1..%d (default %d); each round runs every workload once,\n"
		"                  in turn. Each row is the median over rounds, with min..max and the\n"
		"                  coefficient of variation; CV above %.0f%% is flagged too noisy\n"
		"  --json/--csv/--html F   also write the runs to F (a compare set)\n"
		"  --every-round   time system calls in every round; by default one more run of\n"
		"                  each workload does, with every hook, and the rounds, which\n"
		"                  then perturb the workloads ~3x less, take its kernel split\n"
		"  --recalibrate   measure the calibration again instead of using the cached one\n\n"
		"Needs root (or CAP_BPF+CAP_PERFMON). The default set takes ~15-25 s on 2 vCPUs,\n"
		"~45 s with -C A,B (each two-CPU run also pays its workload's warm-up).\n"
		"Ctrl-C or SIGTERM stops, prints what was measured marked incomplete and exits\n"
		"130 or 143. Other exits: 0 ok, 1 runtime failure, 2 usage error.\n",
		ST_MAX_REPEATS, DEFAULT_ROUNDS, 100 * ST_NOISY_CV);
}

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int default_index(const char *name)
{
	for (int i = 0; i < NR_DEFAULTS; i++)
		if (!strcmp(defaults[i].name, name))
			return i;
	return -1;
}

static void add_job(struct job *jobs, int *n, const char *name, const int *cpus, int nr_cpus, bool free_sides,
		    long iterations)
{
	struct job *j = &jobs[(*n)++];
	int d = default_index(name);

	j->workload = name;
	j->free_sides = free_sides;
	memcpy(j->cpus, cpus, sizeof(j->cpus[0]) * (size_t)nr_cpus);
	j->nr_cpus = nr_cpus;
	if (iterations || d < 0)
		j->iterations = iterations;
	else
		j->iterations = nr_cpus < 2 ? defaults[d].iterations
			      : free_sides ? 3 * defaults[d].split_iterations : defaults[d].split_iterations;
}

/*
 * "schedtrace: compare: round 2 of 3, pthread (two CPUs) (12 s)" on a terminal (round -1: the
 * profile runs); NULL job clears it.
 */
static void progress(bool on, double t0, int round, int rounds, const struct job *j)
{
	const char *where;

	if (!on)
		return;
	if (!j) {
		fprintf(stderr, "\r\033[K");
		return;
	}
	where = j->nr_cpus < 2 ? "" : j->free_sides ? " free on two CPUs" : " split over two CPUs";
	if (round < 0)
		fprintf(stderr, "\r\033[Kschedtrace: compare: timing the syscalls of %s%s (%.0f s)", j->workload, where,
			mono_s() - t0);
	else
		fprintf(stderr, "\r\033[Kschedtrace: compare: round %d of %d, %s%s (%.0f s)", round + 1, rounds,
			j->workload, where, mono_s() - t0);
}

/* Moves the runs with repeats to the front, keeping the order; returns how many. */
static int drop_empty(struct st_run *runs, int n, int *nr_pinned, int *nr_split)
{
	int kept = 0, pinned = 0;

	for (int i = 0; i < n; i++) {
		if (runs[i].nr_repeats < 1)
			continue;
		if (i < *nr_pinned)
			pinned++;
		if (kept != i)
			runs[kept] = runs[i];
		kept++;
	}
	*nr_pinned = pinned;
	*nr_split = kept - pinned;
	return kept;
}

/* One traced window of job j into one; light: without the syscall hooks (split borrowed from j->profile). */
static int measure_one(struct job *j, struct st_run *one, bool light, bool recalibrate, char *err, size_t err_len)
{
	struct st_run_opts o = {
		.workload = j->workload,
		.nr_cpus = j->nr_cpus,
		.iterations = j->iterations,
		.repeats = 1,
		.free_sides = j->free_sides,
		.light = light,
		.recalibrate = recalibrate,
		.stop = &st_exiting,
	};
	char why[768];
	int e;

	memcpy(o.cpus, j->cpus, sizeof(o.cpus));
	e = st_run_workload(&o, one, why, sizeof(why));
	if (e && e != ST_RUN_INTERRUPTED)
		snprintf(err, err_len, "%s on CPU %s: %s", j->workload, one->cpus, why);
	if (light && one->nr_repeats > 0) {
		st_breakdown_borrow_syscalls(&one->repeat[0], &j->profile);
		one->light = false; /* the cross-CPU wake-ups are the profile's share, not unknown */
		one->syscalls_profiled = true;
	}
	return e;
}

/*
 * Unless every_round: first one run of every job with every hook, for the
 * syscall split (profile); then round after round, every job once, starting
 * one job later each round so that no workload always runs first, without
 * the syscall hooks. Returns 0, ST_RUN_INTERRUPTED, or another negative
 * errno with err filled.
 */
static int measure(struct job *jobs, int nr_jobs, int rounds, bool every_round, bool recalibrate, char *err,
		   size_t err_len)
{
	struct st_run *one = malloc(sizeof(*one));
	bool tty = isatty(STDERR_FILENO);
	double t0 = mono_s();
	int e = 0;

	if (!one) {
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	for (int k = 0; k < nr_jobs && !e && !every_round; k++) {
		struct job *j = &jobs[k];

		progress(tty, t0, -1, rounds, j);
		e = measure_one(j, one, false, recalibrate && k == 0, err, err_len);
		j->profiled = !e && one->nr_repeats > 0;
		if (j->profiled)
			j->profile = one->repeat[0];
		if (e == ST_RUN_INTERRUPTED)
			snprintf(err, err_len, "interrupted before the first round");
		recalibrate = false;
	}
	for (int r = 0; r < rounds && !e; r++) {
		for (int k = 0; k < nr_jobs && !e; k++) {
			struct job *j = &jobs[(k + r) % nr_jobs];

			progress(tty, t0, r, rounds, j);
			e = measure_one(j, one, j->profiled, recalibrate && r == 0 && k == 0, err, err_len);
			st_run_append(j->acc, one);
			if (e == ST_RUN_INTERRUPTED)
				snprintf(err, err_len, "interrupted in round %d of %d", r + 1, rounds);
		}
	}
	progress(tty, t0, 0, 0, NULL);
	free(one);
	for (int k = 0; k < nr_jobs; k++) {
		st_run_finish(jobs[k].acc, rounds);
		if (jobs[k].free_sides && jobs[k].acc->nr_repeats) /* tell it from the split run */
			strncat(jobs[k].acc->cpus, " free",
				sizeof(jobs[k].acc->cpus) - strlen(jobs[k].acc->cpus) - 1);
	}
	return e;
}

int cmd_compare(int argc, char **argv)
{
	const char *names[MAX_JOBS], *cpus_s = NULL, *n_s = NULL, *r_s = NULL;
	struct st_outputs outs = { 0 };
	struct job jobs[MAX_JOBS];
	struct st_compare c = { 0 };
	struct st_run *runs;
	int nr_names = 0, nr_jobs = 0, cpus[ST_RUN_MAX_CPUS] = { 0 }, nr_cpus = 0, e;
	long iterations = 0, rounds = DEFAULT_ROUNDS;
	bool recalibrate = false, every_round = false;
	char err[1024];
	double t0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **val = NULL;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return ST_EXIT_OK;
		} else if (!strcmp(a, "--recalibrate")) {
			recalibrate = true;
			continue;
		} else if (!strcmp(a, "--every-round")) {
			every_round = true;
			continue;
		} else if (!strcmp(a, "-C")) {
			val = &cpus_s;
		} else if (!strcmp(a, "-n")) {
			val = &n_s;
		} else if (!strcmp(a, "-r")) {
			val = &r_s;
		} else if ((val = st_outputs_slot(&outs, a, 0))) {
			/* a file to write */
		} else if (a[0] == '-') {
			return st_fail(ST_EXIT_USAGE, "compare: unknown option '%s'; try schedtrace compare -h", a);
		} else {
			if (!st_workload_find(a))
				return st_fail(ST_EXIT_USAGE, "compare: unknown workload '%s'; schedtrace list shows them",
					       a);
			for (int k = 0; k < nr_names; k++)
				if (!strcmp(names[k], a))
					return st_fail(ST_EXIT_USAGE, "compare: '%s' is named twice; name each workload once",
						       a);
			names[nr_names++] = a; /* at most st_nr_workloads distinct names */
			continue;
		}
		if (i + 1 >= argc)
			return st_fail(ST_EXIT_USAGE, "compare: %s needs a value; try schedtrace compare -h", a);
		*val = argv[++i];
	}
	if (cpus_s && st_parse_cpus(cpus_s, cpus, ST_RUN_MAX_CPUS, &nr_cpus, err, sizeof(err)))
		return st_fail(ST_EXIT_USAGE, "compare: %s", err);
	if (nr_cpus == 2 && cpus[0] == cpus[1])
		nr_cpus = 1;
	if (n_s && st_parse_long(n_s, 1, 1000000000000L, &iterations))
		return st_fail(ST_EXIT_USAGE,
			       "compare: bad iteration count -n '%s': give a whole number from 1, e.g. -n 5000", n_s);
	if (r_s && st_parse_long(r_s, 1, ST_MAX_REPEATS, &rounds))
		return st_fail(ST_EXIT_USAGE, "compare: bad round count -r '%s': give a whole number from 1 to %d",
			       r_s, ST_MAX_REPEATS);
	if (!nr_names)
		for (int i = 0; i < NR_DEFAULTS; i++)
			names[nr_names++] = defaults[i].name;
	{
		char perr[1024];

		if (st_outputs_check(&outs, perr, sizeof(perr)))
			return st_fail(ST_EXIT_USAGE, "compare: %s", perr);
	}
	{
		const char *why = st_tracer_missing();

		if (why)
			return st_fail(ST_EXIT_FAIL, "%s", why);
	}

	/* pinned: every workload on one CPU (nr_cpus 0: the lowest allowed one) */
	for (int i = 0; i < nr_names; i++)
		add_job(jobs, &nr_jobs, names[i], cpus, nr_cpus ? 1 : 0, false, iterations);
	c.nr_pinned = nr_jobs;
	if (nr_cpus == 2)
		for (int i = 0; i < nr_names; i++) {
			int d = default_index(names[i]);

			if (d >= 0 && defaults[d].split_iterations) {
				add_job(jobs, &nr_jobs, names[i], cpus, 2, false, iterations);
				add_job(jobs, &nr_jobs, names[i], cpus, 2, true, iterations);
			}
		}
	c.nr_split = nr_jobs - c.nr_pinned;
	runs = calloc((size_t)nr_jobs, sizeof(*runs));
	if (!runs)
		return st_fail(ST_EXIT_FAIL, "compare: out of memory");
	for (int k = 0; k < nr_jobs; k++)
		jobs[k].acc = &runs[k];

	st_install_signals(); /* before anything it must undo is started */
	t0 = mono_s();
	e = measure(jobs, nr_jobs, (int)rounds, every_round, recalibrate, err, sizeof(err));
	if (e && e != ST_RUN_INTERRUPTED) {
		free(runs);
		return st_fail(ST_EXIT_FAIL, "compare: %s", err);
	}
	/* an interrupted compare may have workloads it never reached: leave them out */
	nr_jobs = drop_empty(runs, nr_jobs, &c.nr_pinned, &c.nr_split);
	c.pinned = runs;
	c.split = runs + c.nr_pinned;
	c.rounds_planned = (int)rounds;
	c.wall_s = mono_s() - t0;
	c.complete = !e;
	if (nr_jobs > 0) {
		st_report_compare_text(stdout, &c);
		fflush(stdout);
		if (st_outputs_write(&outs, runs, nr_jobs))
			e = e ? e : -EIO;
	}
	free(runs);
	if (e == ST_RUN_INTERRUPTED) {
		st_fail(0, "compare: %s; the report above is incomplete", err);
		return 128 + (st_exiting ? st_exiting : SIGINT);
	}
	return e ? ST_EXIT_FAIL : ST_EXIT_OK;
}
