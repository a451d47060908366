// SPDX-License-Identifier: GPL-2.0
/* compare_run.c — see compare_run.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "attribute.h"
#include "catalog.h"
#include "compare_run.h"
#include "launch.h"
#include "rounds.h"

struct job {
	const char *workload;
	int cpus[ST_RUN_MAX_CPUS];
	int nr_cpus;
	bool free_sides; /* both sides may run on either CPU (run.h) */
	long iterations;
	struct st_rounds rounds; /* the repeats gathered so far (rounds.acc) and their figures */
	struct st_breakdown profile; /* a run with every hook, when the rounds have none */
	bool profiled;
};

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void add_job(struct job *jobs, int *n, const char *name, const int *cpus, int nr_cpus, bool free_sides,
		    long iterations)
{
	struct job *j = &jobs[(*n)++];
	const struct wl_catalog_entry *w = wl_catalog_find(name);

	memset(j, 0, sizeof(*j));
	j->workload = name;
	j->free_sides = free_sides;
	memcpy(j->cpus, cpus, sizeof(j->cpus[0]) * (size_t)nr_cpus);
	j->nr_cpus = nr_cpus;
	/* free runs mostly stay on one CPU (wake-affine): three times the split size */
	if (iterations || !w)
		j->iterations = iterations;
	else
		j->iterations = nr_cpus < 2 ? w->compare_iterations
			      : free_sides ? 3 * w->split_iterations : w->split_iterations;
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
static int measure_one(struct job *j, struct st_run *one, bool light, bool recalibrate,
		       volatile sig_atomic_t *stop, char *err, size_t err_len)
{
	struct st_run_opts o = {
		.workload = j->workload,
		.nr_cpus = j->nr_cpus,
		.iterations = j->iterations,
		.repeats = 1,
		.free_sides = j->free_sides,
		.light = light,
		.recalibrate = recalibrate,
		.stop = stop,
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
static int measure(struct job *jobs, int nr_jobs, const struct st_compare_opts *co, char *err, size_t err_len)
{
	struct st_run *one = malloc(sizeof(*one));
	bool tty = co->progress, every_round = co->every_round, recalibrate = co->recalibrate;
	int rounds = co->rounds;
	double t0 = mono_s();
	int e = 0;

	if (!one) {
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	for (int k = 0; k < nr_jobs && !e && !every_round; k++) {
		struct job *j = &jobs[k];

		progress(tty, t0, -1, rounds, j);
		e = measure_one(j, one, false, recalibrate && k == 0, co->stop, err, err_len);
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
			e = measure_one(j, one, j->profiled, recalibrate && r == 0 && k == 0, co->stop, err, err_len);
			st_rounds_add(&j->rounds, one, rounds);
			if (e == ST_RUN_INTERRUPTED)
				snprintf(err, err_len, "interrupted in round %d of %d", r + 1, rounds);
		}
	}
	progress(tty, t0, 0, 0, NULL);
	free(one);
	for (int k = 0; k < nr_jobs; k++) {
		st_rounds_finish(&jobs[k].rounds, rounds);
		if (jobs[k].free_sides && jobs[k].rounds.acc->nr_repeats) /* tell it from the split run */
			strncat(jobs[k].rounds.acc->cpus, " free",
				sizeof(jobs[k].rounds.acc->cpus) - strlen(jobs[k].rounds.acc->cpus) - 1);
	}
	return e;
}

/* The jobs: every workload pinned, and with two CPUs the kernel-switching ones split and free too. */
static int plan(const struct st_compare_opts *o, struct job *jobs)
{
	const char *def[ST_COMPARE_MAX_JOBS];
	const char *const *names = o->names;
	int nr_names = o->nr_names, n = 0;

	if (!nr_names) /* the catalog's compare set, in its order */
		for (int i = 0; i < wl_catalog_size && nr_names < ST_COMPARE_MAX_JOBS; i++)
			if (wl_catalog[i].compare_iterations && st_workload_built(&wl_catalog[i]))
				def[nr_names++] = wl_catalog[i].name;
	if (!o->nr_names)
		names = def;
	for (int i = 0; i < nr_names && n < ST_COMPARE_MAX_JOBS; i++)
		add_job(jobs, &n, names[i], o->cpus, o->nr_cpus ? 1 : 0, false, o->iterations);
	if (o->nr_cpus == 2)
		for (int i = 0; i < nr_names && n + 2 <= ST_COMPARE_MAX_JOBS; i++) {
			const struct wl_catalog_entry *w = wl_catalog_find(names[i]);

			if (w && w->split_iterations) {
				add_job(jobs, &n, names[i], o->cpus, 2, false, o->iterations);
				add_job(jobs, &n, names[i], o->cpus, 2, true, o->iterations);
			}
		}
	return n;
}

int st_compare_run(const struct st_compare_opts *o, struct st_compare *c, char *err, size_t err_len)
{
	struct job jobs[ST_COMPARE_MAX_JOBS];
	int nr_jobs = plan(o, jobs), nr_pinned = 0, nr_split, e;
	struct st_run *runs = calloc((size_t)nr_jobs, sizeof(*runs));
	double t0 = mono_s();

	memset(c, 0, sizeof(*c));
	if (!runs) {
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	for (int k = 0; k < nr_jobs; k++) {
		jobs[k].rounds.acc = &runs[k];
		if (!jobs[k].nr_cpus || jobs[k].nr_cpus == 1)
			nr_pinned = k + 1;
	}
	e = measure(jobs, nr_jobs, o, err, err_len);
	if (e && e != ST_RUN_INTERRUPTED) {
		free(runs);
		return e;
	}
	/* an interrupted compare may have workloads it never reached: leave them out */
	nr_jobs = drop_empty(runs, nr_jobs, &nr_pinned, &nr_split);
	c->pinned = runs;
	c->nr_pinned = nr_pinned;
	c->split = runs + nr_pinned;
	c->nr_split = nr_split;
	c->rounds_planned = o->rounds;
	c->wall_s = mono_s() - t0;
	c->complete = !e;
	return e;
}

void st_compare_release(struct st_compare *c)
{
	free((void *)c->pinned);
	c->pinned = c->split = NULL;
	c->nr_pinned = c->nr_split = 0;
}
