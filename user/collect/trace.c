// SPDX-License-Identifier: GPL-2.0
/* trace.c — see trace.h. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "attribute.h"
#include "calibrate.h"
#include "goroutines.h"
#include "metrics.h"
#include "machine.h"
#include "trace.h"
#include "tracer.h"

#define GRACE_MS 2000 /* a command we started: SIGTERM, then SIGKILL after this */

/* --cgroup: waits until the group is removed (1), *stop is set or timeout_ms has passed (0; < 0: none). */
static int wait_cgroup(const struct st_cgroup *cg, long timeout_ms, volatile sig_atomic_t *stop)
{
	struct timespec slice = { 0, 100 * 1000000L }, t0, now;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (!st_cgroup_alive(cg))
			return 1;
		if (*stop)
			return 0;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (timeout_ms >= 0 &&
		    (now.tv_sec - t0.tv_sec) * 1000L + (now.tv_nsec - t0.tv_nsec) / 1000000L >= timeout_ms)
			return 0;
		nanosleep(&slice, NULL); /* a signal cuts it short */
	}
}

/* The calibration (cached, or measured now); without one, the report leaves those shares out. */
static int calibration(const struct st_trace_opts *o, struct st_run *run, struct st_trace_what *w)
{
	char err[256];
	int e = st_calibration_get(&run->cal, o->recalibrate, o->stop, err, sizeof(err));

	if (e == -EINTR || *o->stop)
		return -EINTR;
	if (e) {
		snprintf(w->calibration_err, sizeof(w->calibration_err), "%s", err);
		memset(&run->cal, 0, sizeof(run->cal));
	}
	return 0;
}

/* Whom: a command held before exec, a running process, or a cgroup (named by its directory). */
static int target(const struct st_trace_opts *o, struct st_trace_what *w, char *err, size_t err_len)
{
	struct st_target *t = &w->target;
	int e;

	if (o->cgroup) {
		const char *base = strrchr(o->cg.path, '/');

		snprintf(t->name, sizeof(t->name), "%.*s", (int)sizeof(t->name) - 1,
			 base && base[1] ? base + 1 : o->cg.path);
		w->traced_pid = 0;
		return 0;
	}
	if (o->cmd) {
		e = st_target_spawn(t, o->cmd, err, err_len);
		w->traced_pid = t->pid;
		return e;
	}
	/* a thread id names its process: the tracer filters by that process's id */
	e = st_target_attach(t, o->pid, err, err_len);
	w->traced_pid = t->pid;
	return e;
}

/* The file a command runs: name itself with a '/', else the first executable of that name on PATH. */
static int resolve_command(const char *name, char *out, size_t len)
{
	const char *path = getenv("PATH");
	char dirs[4096], *save = NULL;

	if (strchr(name, '/'))
		return snprintf(out, len, "%s", name) < (int)len ? 0 : -1;
	snprintf(dirs, sizeof(dirs), "%s", path && *path ? path : "/usr/local/bin:/usr/bin:/bin");
	for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save))
		if (snprintf(out, len, "%s/%s", d, name) < (int)len && !access(out, X_OK))
			return 0;
	return -1;
}

/*
 * A Go program is marked (go_program=1); with --goroutines its goroutine
 * switches are counted beside the kernel's. Nothing for anything else.
 */
static struct st_goroutines *goroutines(const struct st_trace_opts *o, const struct st_trace_what *w,
					struct st_run *run)
{
	struct st_goroutines *g = NULL;
	char bin[4096], why[512];

	if (o->cgroup)
		return NULL;
	if (o->cmd ? resolve_command(o->cmd[0], bin, sizeof(bin))
		   : snprintf(bin, sizeof(bin), "/proc/%d/exe", (int)w->traced_pid) >= (int)sizeof(bin))
		return NULL;
	if (!st_goroutines_present(bin))
		return NULL;
	st_metric_put(&run->result, "go_program", "1");
	if (o->goroutines)
		st_goroutines_attach(&g, bin, o->follow ? 0 : w->traced_pid, why, sizeof(why));
	return g;
}

/* The window: from its first snapshot to the second, the target let go in between. */
static int window(const struct st_trace_opts *o, struct st_tracer *tr, struct st_trace_what *w,
		  struct st_snapshot *before, struct st_snapshot *after, bool *removed, char *err, size_t err_len)
{
	long ms = o->seconds > 0 ? (long)(o->seconds * 1000 + 0.5) : -1;
	int e;

	if ((e = st_tracer_snapshot_edge(tr, before, true))) {
		snprintf(err, err_len, "reading the BPF counters failed: %s", strerror(-e));
		return e;
	}
	if ((e = st_target_go(&w->target, err, err_len)))
		return e;
	if (o->cgroup)
		*removed = wait_cgroup(&o->cg, ms, o->stop);
	else
		st_target_wait(&w->target, ms, o->stop);
	if ((e = st_tracer_snapshot(tr, after)))
		snprintf(err, err_len, "reading the BPF counters failed: %s", strerror(-e));
	return e;
}

/* How the window ended, and for a command started here how the command did. */
static void ending(const struct st_trace_opts *o, struct st_trace_what *w, bool removed, bool exited_in_window)
{
	const struct st_target *t = &w->target;
	size_t n;

	if (removed)
		snprintf(w->ended, sizeof(w->ended), "until the group was removed");
	else if (exited_in_window)
		snprintf(w->ended, sizeof(w->ended), "until it exited");
	else if (*o->stop)
		snprintf(w->ended, sizeof(w->ended), "until %s", *o->stop == SIGINT ? "Ctrl-C" : "SIGTERM");
	else
		snprintf(w->ended, sizeof(w->ended), "(-d %g)", o->seconds);
	if (!o->cmd)
		return;
	n = strlen(w->ended);
	if (WIFEXITED(t->status))
		snprintf(w->ended + n, sizeof(w->ended) - n,
			 exited_in_window ? " (exit status %d)" : "; the command then exited with status %d",
			 WEXITSTATUS(t->status));
	else if (WIFSIGNALED(t->status))
		snprintf(w->ended + n, sizeof(w->ended) - n,
			 exited_in_window ? " (killed by signal %d)" : "; the command then ended on signal %d",
			 WTERMSIG(t->status));
}

/* The run the reports take: one window, its kernel's switches the denominator. */
static void fill_run(const struct st_trace_opts *o, const struct st_trace_what *w, const struct st_snapshot *before,
		     const struct st_snapshot *after, struct st_run *run)
{
	st_attribute(before, after, NULL, o->nr_cpus, w->calibration_err[0] ? NULL : &run->cal, &run->summary);
	snprintf(run->workload, sizeof(run->workload), "%s", w->target.name);
	st_fmt_cpu_list(run->cpus, sizeof(run->cpus), o->cpus, o->nr_cpus);
	run->traced = run->complete = true;
	run->light = o->light;
	snprintf(run->result.name, sizeof(run->result.name), "%s", w->target.name);
	run->result.complete = true;
	run->result.nr_tids = 1;
	run->result.tids[0] = w->traced_pid;
	run->nr_repeats = 1;
	run->repeat[0] = run->summary;
}

int st_trace_run(const struct st_trace_opts *o, struct st_run *run, struct st_trace_what *w, char *err,
		 size_t err_len)
{
	struct st_snapshot *before = calloc(1, sizeof(*before)), *after = calloc(1, sizeof(*after));
	struct st_tracer_opts to = { .cgroup_id = o->cgroup ? o->cg.id : 0, .cgroup_level = o->cg.level,
				     .follow = o->follow, .no_syscalls = o->light, .cpus = o->cpus, .nr_cpus = o->nr_cpus };
	struct st_tracer *tr = NULL;
	struct st_goroutines *g = NULL;
	__u64 gogo0 = 0;
	bool removed = false;
	int e;

	memset(run, 0, sizeof(*run));
	memset(w, 0, sizeof(*w));
	w->target = (struct st_target){ .pid = -1, .go_fd = -1, .exec_fd = -1, .pidfd = -1 };
	e = !before || !after ? -ENOMEM : calibration(o, run, w);
	if (e == -ENOMEM)
		snprintf(err, err_len, "out of memory");
	if (e || (e = target(o, w, err, err_len)))
		goto out;
	st_machine_read(&run->machine);
	to.tgid = w->traced_pid;
	if ((e = st_tracer_start(&tr, &to, err, err_len)))
		goto out;
	st_tracer_describe(tr, run);
	if ((g = goroutines(o, w, run)))
		gogo0 = st_goroutines_count(g);
	if ((e = window(o, tr, w, before, after, &removed, err, err_len)))
		goto out;
	st_tracer_stop(tr); /* detach first: whatever happens next, nothing of ours stays loaded */
	tr = NULL;
	{
		bool exited_in_window = w->target.exited;

		/* a command we started: the same signal (or SIGTERM at -d), then reaped */
		st_target_end(&w->target, *o->stop ? *o->stop : SIGTERM, GRACE_MS);
		ending(o, w, removed, exited_in_window);
	}
	fill_run(o, w, before, after, run);
	if (g) {
		char n[32];

		snprintf(n, sizeof(n), "%llu", (unsigned long long)(st_goroutines_count(g) - gogo0));
		st_metric_put(&run->result, "goroutine_switches", n);
	}
out:
	st_goroutines_detach(g);
	st_tracer_stop(tr);
	st_target_end(&w->target, SIGKILL, 0); /* only a started command still held or running; -p is left */
	free(before);
	free(after);
	return e;
}
