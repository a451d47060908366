// SPDX-License-Identifier: GPL-2.0
/* lab_run.c — see lab_run.h. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "catalog.h"
#include "lab_run.h"
#include "launch.h"
#include "machine.h"
#include "rounds.h"
#include "run.h"

#define PERF_DATA "/tmp/schedtrace-lab-perf.data"

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool st_lab_traced(const struct st_lab *lab)
{
	for (int i = 0; i < lab->nr_exps; i++)
		if (lab->exps[i].mode == ST_LAB_TRACED || lab->exps[i].mode == ST_LAB_LIGHT)
			return true;
	return false;
}

/* The CPUs the experiments use: first (or the lowest allowed), then the next allowed one; how many. */
static int pick_cpus(int first, int cpus[2])
{
	cpu_set_t set;
	int n = 0;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 0;
	if (first >= 0 && first < CPU_SETSIZE && CPU_ISSET(first, &set))
		cpus[n++] = first;
	for (int c = 0; c < CPU_SETSIZE && n < 2; c++)
		if (CPU_ISSET(c, &set) && (n == 0 || c != cpus[0]))
			cpus[n++] = c;
	return n;
}

static bool perf_installed(void)
{
	return system("command -v perf >/dev/null 2>&1") == 0;
}

/* Why experiment e cannot run here, "" when it can. */
static void why_not(const struct st_lab_exp *e, int nr_allowed, char *why, size_t len)
{
	const struct wl_catalog_entry *w = wl_catalog_find(e->workload);

	why[0] = '\0';
	if (!w)
		snprintf(why, len, "%s is not in this build's catalog", e->workload);
	else if (!st_workload_built(w))
		snprintf(why, len, "%s is not built%s%s", e->workload, w->needs ? ": needs " : "",
			 w->needs ? w->needs : "");
	else if (e->nr_cpus > nr_allowed)
		snprintf(why, len, "needs %d CPUs; this process may use %d", e->nr_cpus, nr_allowed);
	else if (e->mode == ST_LAB_PERF && !perf_installed())
		snprintf(why, len, "perf is not installed (apt-get install linux-perf)");
}

/* The experiment's size: its own, else the catalog's compare size, else the workload's default; scaled. */
static long size_of(const struct st_lab_exp *e, double scale)
{
	const struct wl_catalog_entry *w = wl_catalog_find(e->workload);
	long n = e->iterations;

	if (!n && w)
		n = e->nr_cpus < 2 ? w->compare_iterations : e->free_sides ? 3 * w->split_iterations : w->split_iterations;
	if (n && scale > 0 && scale != 1)
		n = (long)(n * scale) > 0 ? (long)(n * scale) : 1;
	return n;
}

/* perf sched record around the bare workload: its ns/switch under perf's recording. */
static int under_perf(const struct st_lab_exp *e, const int *cpus, long n, struct st_run *one, char *err,
		      size_t err_len)
{
	char path[4096], cmd[4700], size[32] = "", line[256];
	double ns = 0;
	FILE *p;

	if (st_workload_path(wl_catalog_binary(wl_catalog_find(e->workload)), path, sizeof(path)))
		return snprintf(err, err_len, "cannot find the workload binaries"), -ENOENT;
	if (n)
		snprintf(size, sizeof(size), " -n %ld", n);
	/* the path is ours (next to the binary); quoted for the shell popen runs */
	snprintf(cmd, sizeof(cmd), "perf sched record -q -o %s -- '%s' -C %d%s -r 1 2>/dev/null", PERF_DATA, path,
		 cpus[0], size);
	if (!(p = popen(cmd, "r")))
		return snprintf(err, err_len, "perf: %s", strerror(errno)), -errno;
	while (fgets(line, sizeof(line), p))
		sscanf(line, "ns/switch: median %lf", &ns);
	pclose(p);
	unlink(PERF_DATA);
	memset(one, 0, sizeof(*one));
	if (ns <= 0)
		return snprintf(err, err_len, "perf sched record: the workload printed no ns/switch"), -EIO;
	snprintf(one->workload, sizeof(one->workload), "%s", e->workload);
	snprintf(one->cpus, sizeof(one->cpus), "%d", cpus[0]);
	st_machine_read(&one->machine);
	one->complete = one->result.complete = true;
	one->nr_repeats = one->result.nr_repeats = 1;
	one->repeat[0].ns_per_switch = one->summary.ns_per_switch = ns;
	one->repeat[0].nr_cpus = one->summary.nr_cpus = 1;
	one->result.repeat[0].ns_per_switch = ns;
	return 0;
}

/* One round of experiment e into one. */
static int measure(const struct st_lab_opts *o, const struct st_lab_exp *e, const int *cpus, bool recalibrate,
		   struct st_run *one, char *err, size_t err_len)
{
	struct st_run_opts ro = { .workload = e->workload, .nr_cpus = e->nr_cpus, .iterations = size_of(e, o->scale),
				  .repeats = 1, .free_sides = e->free_sides, .no_trace = e->mode == ST_LAB_BARE,
				  .light = e->mode == ST_LAB_LIGHT, .every_repeat = true, .recalibrate = recalibrate,
				  .stop = o->stop };
	char why[768];
	int rc;

	if (e->mode == ST_LAB_PERF)
		return under_perf(e, cpus, ro.iterations, one, err, err_len);
	memcpy(ro.cpus, cpus, sizeof(int) * (size_t)e->nr_cpus);
	rc = st_run_workload(&ro, one, why, sizeof(why));
	if (rc && rc != ST_RUN_INTERRUPTED)
		snprintf(err, err_len, "%s: %s", e->label, why);
	return rc;
}

static void progress(const struct st_lab_opts *o, double t0, int round, int rounds, const struct st_lab_exp *e)
{
	if (!o->progress)
		return;
	if (!e)
		fprintf(stderr, "\r\033[K");
	else
		fprintf(stderr, "\r\033[Kschedtrace: lab %d: round %d of %d, %s (%.0f s)", o->lab->number, round + 1,
			rounds, e->label, mono_s() - t0);
}

int st_lab_run(const struct st_lab_opts *o, struct st_lab_result *r, char *err, size_t err_len)
{
	const struct st_lab *lab = o->lab;
	struct st_rounds acc[ST_LAB_MAX_EXPS] = { 0 };
	int rounds = o->rounds > 0 ? o->rounds : lab->rounds, cpus[2], nr_allowed = pick_cpus(o->cpu, cpus), e = 0;
	struct st_run *one = calloc(1, sizeof(*one));
	double t0 = mono_s();
	bool recalibrate = o->recalibrate;

	memset(r, 0, sizeof(*r));
	r->runs = calloc((size_t)lab->nr_exps, sizeof(*r->runs));
	if (!one || !r->runs) {
		free(one);
		return snprintf(err, err_len, "out of memory"), -ENOMEM;
	}
	for (int i = 0; i < lab->nr_exps; i++) {
		acc[i].acc = &r->runs[i];
		r->by_exp[i] = &r->runs[i];
		why_not(&lab->exps[i], nr_allowed, r->skipped[i], sizeof(r->skipped[i]));
	}
	for (int round = 0; round < rounds && !e; round++) {
		for (int k = 0; k < lab->nr_exps && !e; k++) {
			int i = (k + round) % lab->nr_exps;

			if (r->skipped[i][0])
				continue;
			progress(o, t0, round, rounds, &lab->exps[i]);
			e = measure(o, &lab->exps[i], cpus, recalibrate, one, err, err_len);
			recalibrate = false;
			if (e && e != -EINTR) { /* this experiment failed: the others go on */
				snprintf(r->skipped[i], sizeof(r->skipped[i]), "failed: %s", err);
				e = 0;
				continue;
			}
			st_rounds_add(&acc[i], one, rounds);
		}
		r->rounds_done = round + (e ? 0 : 1);
	}
	progress(o, t0, 0, 0, NULL);
	for (int i = 0; i < lab->nr_exps; i++)
		st_rounds_finish(&acc[i], rounds);
	free(one);
	r->complete = !e;
	return e;
}

void st_lab_release(struct st_lab_result *r)
{
	free(r->runs);
	r->runs = NULL;
}
