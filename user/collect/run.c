// SPDX-License-Identifier: GPL-2.0
/* run.c — see run.h. */
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
#include "launch.h"
#include "machine.h"
#include "args.h"
#include "catalog.h"
#include "metrics.h"
#include "proc_switches.h"
#include "run.h"
#include "tracer.h"
#include "usertl.h"

/* The workloads' strict parser: the collector and the workloads accept the same numbers. */
int st_parse_long(const char *s, long min, long max, long *out)
{
	return wl_parse_count(s, min, max, out);
}

int st_parse_cpus(const char *s, int *cpus, int max, int *n, char *err, size_t err_len)
{
	cpu_set_t allowed;

	*n = 0;
	if (sched_getaffinity(0, sizeof(allowed), &allowed))
		CPU_ZERO(&allowed);
	int got = wl_parse_cpus(s, cpus, max, false, err, err_len); /* "0,0": both sides on CPU 0 */

	if (got < 0)
		return -1;
	for (int i = 0; i < got; i++)
		if (!CPU_ISSET(cpus[i], &allowed)) {
			snprintf(err, err_len, "CPU %d in -C %s is not online or not allowed here (see nproc, taskset -p $$)",
				 cpus[i], s);
			return -1;
		}
	*n = got;
	return 0;
}

static __u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + (__u64)ts.tv_nsec;
}

/* Copies s into d (size n), cutting it short if needed. */
static void cpy(char *d, size_t n, const char *s)
{
	size_t l = strlen(s);

	if (l >= n)
		l = n - 1;
	memcpy(d, s, l);
	d[l] = '\0';
}

static __u64 parse_u64(const char *v)
{
	return strtoull(v, NULL, 10);
}

static void parse_tids(struct st_workload_result *r, const char *v)
{
	char buf[1024], *save = NULL;

	cpy(buf, sizeof(buf), v);
	r->nr_tids = 0;
	for (char *t = strtok_r(buf, ",", &save); t && r->nr_tids < ST_MAX_TIDS; t = strtok_r(NULL, ",", &save))
		r->tids[r->nr_tids++] = atoi(t);
}

static void progress(const struct st_run_opts *o, __u64 t0, int done, int total, bool final)
{
	if (!o->progress)
		return;
	if (final) {
		if (mono_ns() - t0 > 2000000000ULL)
			fprintf(stderr, "\r\033[K");
		return;
	}
	if (mono_ns() - t0 < 2000000000ULL)
		return;
	fprintf(stderr, "\rschedtrace: %s: repeat %d of %d done (%.0f s) ", o->workload, done, total,
		(double)(mono_ns() - t0) / 1e9);
}

/* The CPUs the collector may use: allowed minus traced; empty when none is free. */
static void collector_cpus(const cpu_set_t *allowed, const int *cpus, int n, cpu_set_t *out)
{
	*out = *allowed;
	for (int i = 0; i < n; i++)
		CPU_CLR(cpus[i], out);
}

struct run_ctx {
	const struct st_run_opts *o;
	struct st_run *run;
	struct st_tracer *tracer;
	struct st_launch l;
	struct st_snapshot *before, *after;
	int traced_cpus[ST_RUN_MAX_CPUS];
	int nr_traced;
	struct st_repeat_result cur;
	bool in_window;
	bool freed; /* free_sides done */
	int windows; /* gate=start seen */
	int ended;   /* gate=end seen */
	bool sampling; /* syscall hooks in the first repeat only (run->syscalls_repeat) */
	/*
	 * With a timeline, the workload's first window is the timeline's own,
	 * not a repeat: the records' cost stays out of the repeats and of the
	 * syscall split they borrow. tl_window: planned; in_tl_window: the
	 * window being read is that one.
	 */
	bool tl_window;
	bool in_tl_window;
	/*
	 * run's default (not --no-untraced-repeat): one window after the
	 * repeats with every hook detached (planned); detached: done, at the
	 * last repeat's end gate; in_untraced_window: the window being read is
	 * that one.
	 */
	bool untraced_window;
	bool detached;
	bool in_untraced_window;
	bool timeline_on;
	struct st_tl_thread *threads;
	int nr_threads;
	struct st_usertl utl; /* coroutine switch ring, with the timeline (usertl.h) */
	/* the workload's command line, and where the collector may run */
	char path[4096], cpus_arg[32], n_arg[32], r_arg[32];
	char *argv[8 + WL_CATALOG_MAX_ARGS + ST_RUN_MAX_WL_ARGS];
	char catalog_args[128];
	cpu_set_t allowed;
	bool pinned; /* the collector moved off the traced CPUs */
	/* where the workload's own keys go: kept as written, summed per repeat, or dropped (the timeline's window) */
	enum { KEYS_KEEP, KEYS_SUM, KEYS_DROP } keys;
	__u64 t0;
};

/* Names of the workload's threads for the timeline, while they are alive (at the first gate). */
static void name_threads(struct run_ctx *x)
{
	const struct st_workload_result *r = &x->run->result;
	int n = r->nr_tids + 1;

	x->threads = calloc((size_t)n, sizeof(*x->threads));
	if (!x->threads)
		return;
	for (int i = 0; i < n; i++) {
		int tid = i < r->nr_tids ? r->tids[i] : x->l.pid;
		char path[64], line[256];
		struct st_tl_thread *t = &x->threads[x->nr_threads];
		bool dup = false;
		FILE *f;

		for (int j = 0; j < x->nr_threads; j++)
			dup |= x->threads[j].tid == (__u32)tid;
		snprintf(path, sizeof(path), "/proc/%d/status", tid);
		if (dup || !(f = fopen(path, "r")))
			continue;
		t->tid = (__u32)tid;
		while (fgets(line, sizeof(line), f)) {
			unsigned v;

			if (!strncmp(line, "Name:\t", 6)) {
				line[strcspn(line, "\n")] = '\0';
				cpy(t->comm, sizeof(t->comm), line + 6);
			} else if (sscanf(line, "Tgid: %u", &v) == 1) {
				t->pid = v;
			}
		}
		fclose(f);
		x->nr_threads++;
	}
}

/* Hands the recorded timeline to run->timeline. */
static void keep_timeline(struct run_ctx *x)
{
	struct st_timeline *tl;
	struct st_tl_event *ev = NULL;
	__u64 n = 0, *lost = NULL;
	int ncpu = 0;
	bool cut = false;

	if (!x->timeline_on || !x->tracer)
		return;
	x->timeline_on = false;
	tl = calloc(1, sizeof(*tl));
	if (!tl)
		return;
	st_tracer_timeline_take(x->tracer, &ev, &n, &lost, &ncpu, &cut);
	if (cut)
		fprintf(stderr, "schedtrace: the timeline stops after %llu records (its window was longer)\n",
			(unsigned long long)n);
	tl->events = ev;
	tl->nr_events = n;
	tl->threads = x->threads;
	tl->nr_threads = x->nr_threads;
	tl->lost_per_cpu = lost;
	tl->nr_cpus = ncpu;
	if (st_usertl_take(&x->utl, tl, (__u32)x->l.pid, (__u32)x->traced_cpus[0]))
		fprintf(stderr, "schedtrace: out of memory merging the coroutine switches into the timeline\n");
	st_tl_counts_of(tl, cut, &x->run->tl_counts);
	if (tl->user_dropped)
		fprintf(stderr, "schedtrace: the coroutine track holds the first %llu switches of the timeline's window; %llu more did not fit (lower -n)\n",
			(unsigned long long)tl->user_switches, (unsigned long long)tl->user_dropped);
	x->threads = NULL;
	x->run->timeline = tl;
}

void st_run_release(struct st_run *run)
{
	struct st_timeline *tl = (struct st_timeline *)run->timeline;

	if (!tl)
		return;
	free((void *)tl->events);
	free((void *)tl->threads);
	free((void *)tl->lost_per_cpu);
	free(tl);
	run->timeline = NULL;
}

static bool stopped(const struct run_ctx *x)
{
	return x->o->stop && *x->o->stop;
}

/* free_sides: from the first window on, every side may run on any traced CPU. */
static void free_sides(struct run_ctx *x)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	for (int i = 0; i < x->nr_traced; i++)
		CPU_SET(x->traced_cpus[i], &set);
	for (int i = 0; i < x->run->result.nr_tids; i++)
		sched_setaffinity(x->run->result.tids[i], sizeof(set), &set);
	x->freed = true;
}

/*
 * The kernel's own switch counts of the workload's threads, beside the
 * counters (proc_switches.h): /proc first, then the exited threads, so that
 * one exiting in between is counted once, at its exit.
 */
static void read_proc_switches(struct run_ctx *x, struct st_snapshot *s)
{
	static struct st_thread_switches live[4096], gone[ST_MAX_EXITED];
	pid_t tgids[64];
	int n = 1, nr_live, nr_gone;

	tgids[0] = x->l.pid;
	n += st_tracer_followed(x->tracer, tgids + 1, (int)(sizeof(tgids) / sizeof(tgids[0])) - 1);
	nr_live = st_proc_threads(tgids, n, live, (int)(sizeof(live) / sizeof(live[0])));
	nr_gone = st_tracer_exited(x->tracer, gone, ST_MAX_EXITED);
	if (nr_live < 0 && nr_gone == 0) {
		memset(&s->proc, 0, sizeof(s->proc));
		return;
	}
	st_switches_total(live, nr_live > 0 ? nr_live : 0, gone, nr_gone, &s->proc);
}

/* One protocol line. Returns 1 when done=1, 0 to go on, negative on error. */
/* "gate start" / "gate end": a window opens or closes; the workload waits until we answer. */
static int on_gate(struct run_ctx *x, const char *v, char *err, size_t err_len)
{
	bool start = !strcmp(v, "start");
	int e;

	if (start && x->o->free_sides && !x->freed)
		free_sides(x);
	if (start && x->detached)
		x->in_untraced_window = true;
	/* the timeline has the first window; set up before the snapshot, outside the window */
	if (x->tl_window && start && x->windows++ == 0) {
		x->in_tl_window = true;
		name_threads(x);
		if (st_tracer_timeline_begin(x->tracer) == 0) {
			x->timeline_on = true;
			st_usertl_arm(&x->utl, true);
		}
	}
	if (x->tracer && (e = st_tracer_snapshot_edge(x->tracer, start ? x->before : x->after, start))) {
		snprintf(err, err_len, "reading the BPF counters failed: %s", strerror(-e));
		return e;
	}
	/* the lean repeats' switch counts (x->sampling: lean from the first repeat's end gate on) */
	if (x->tracer && x->sampling && !x->detached)
		read_proc_switches(x, start ? x->before : x->after);
	x->in_window = start;
	if (!start && x->timeline_on)
		keep_timeline(x);
	/*
	 * The first repeat has had every hook; the others are lean (sched_switch
	 * without per-thread state, and the rare fork/exit/migrate) and borrow
	 * its syscall split and runqueue waits. Detached here, at the gate,
	 * outside any window.
	 */
	if (!start && !x->in_tl_window && x->ended++ == 0 && x->tracer && !x->o->light && !x->o->every_repeat &&
	    x->run->result.repeats_planned > 1) {
		x->sampling = st_tracer_set_detail_hooks(x->tracer, false) == 0;
		if (x->sampling)
			st_tracer_go_lean(x->tracer);
	}
	/* after the last repeat: the workload alone, as --no-trace would run it, beside the corrected figure */
	if (!start && x->untraced_window && x->tracer && !x->detached && x->ended == x->run->result.repeats_planned) {
		const struct timespec settle = { 0, 50000000 };

		st_tracer_detach_all(x->tracer);
		x->detached = true;
		/*
		 * Detaching leaves work behind (RCU callbacks freeing the links,
		 * the tracepoints' code patched back): let it run before the
		 * window opens. Untraced windows read 5.5 and 6.8 us against
		 * 4.6-4.7 in 2 of 6 pthread runs without this pause, none of 6 with it.
		 */
		nanosleep(&settle, NULL);
	}
	if ((e = st_launch_gate(&x->l))) {
		snprintf(err, err_len, "the workload stopped listening at its gate: %s", strerror(-e));
		return e;
	}
	return 0;
}

/* "ns_per_switch": the last line of a window; its snapshots become a repeat's breakdown. */
static void on_repeat_done(struct run_ctx *x, const char *v)
{
	struct st_workload_result *r = &x->run->result;
	struct st_breakdown *b;
	int i = r->nr_repeats;

	x->cur.ns_per_switch = strtod(v, NULL);
	x->keys = x->in_tl_window || x->in_untraced_window ? KEYS_DROP : KEYS_SUM;
	if (x->in_untraced_window) { /* not a repeat: the witness of the corrected figure */
		x->in_untraced_window = false;
		x->run->untraced_ns_per_switch = x->cur.ns_per_switch;
		return;
	}
	if (x->in_tl_window) { /* not a repeat: what recording cost the workload */
		x->in_tl_window = false;
		x->run->tl_window = x->cur;
		x->run->tl_counts.ns_per_switch = x->cur.ns_per_switch;
		/* the counters of the same window: what its records are checked against */
		st_attribute(x->before, x->after, &x->cur, x->nr_traced, &x->run->cal, &x->run->tl_breakdown);
		return;
	}
	if (i >= ST_MAX_REPEATS)
		return;
	r->repeat[i] = x->cur;
	x->run->nr_repeats = ++r->nr_repeats;
	b = &x->run->repeat[i];
	if (!x->tracer) {
		memset(b, 0, sizeof(*b));
		b->switches = x->cur.switches;
		b->ns_per_switch = x->cur.ns_per_switch;
		b->window_ns = (double)(x->cur.end_ns - x->cur.start_ns);
		b->nr_cpus = x->nr_traced;
		return;
	}
	st_attribute(x->before, x->after, &x->cur, x->nr_traced, &x->run->cal, b);
	if (x->sampling && i > 0) {
		st_breakdown_borrow_syscalls(b, &x->run->repeat[0]);
		st_breakdown_borrow_waits(b, &x->run->repeat[0]);
		/* lean: sched_switch no longer counts the switches between traced threads; the kernel does */
		st_breakdown_kernel_counts(b, &x->before->proc, &x->after->proc);
		x->run->syscalls_repeat = 1;
	}
	if (getenv("SCHEDTRACE_RAW"))
		st_snapshot_dump(stderr, x->before, x->after);
}

/* A key of the workload's own (an extra, per-repeat or run key): into result.metrics. */
static void on_metric(struct run_ctx *x, const char *k, const char *v)
{
	struct st_workload_result *r = &x->run->result;

	if (x->keys == KEYS_KEEP)
		st_metric_put(r, k, v);
	else if (x->keys == KEYS_SUM && st_metric_summed(k))
		st_metric_add(r, k, strtod(v, NULL));
}

/*
 * competitor_pid=: a process the workload forked to compete for its CPU (futex
 * --competitor-nice) is interference, not the workload: stop following it, so
 * its time counts as other tasks and its waits are not the workload's.
 */
static void on_competitor(struct run_ctx *x, const char *v)
{
	long pid = strtol(v, NULL, 10);
	int e;

	if (!x->tracer || pid <= 0 || pid == x->l.pid)
		return;
	if ((e = st_tracer_unfollow(x->tracer, (pid_t)pid)))
		fprintf(stderr, "schedtrace: the competitor (pid %ld) stays traced (%s): its CPU time counts as "
			"the workload's\n", pid, strerror(-e));
}

/* One line of the result protocol (workloads/common/workload.h): 0, 1 at "done", or < 0. */
static int on_line(struct run_ctx *x, const char *k, const char *v, char *err, size_t err_len)
{
	struct st_workload_result *r = &x->run->result;

	if (!strcmp(k, "gate")) {
		x->keys = KEYS_DROP; /* until a repeat's last line */
		return on_gate(x, v, err, err_len);
	}
	if (!strcmp(k, "workload"))
		cpy(r->name, sizeof(r->name), v);
	else if (!strcmp(k, "switch"))
		cpy(r->switch_desc, sizeof(r->switch_desc), v);
	else if (!strcmp(k, "iterations"))
		r->iterations = parse_u64(v);
	else if (!strcmp(k, "repeats"))
		r->repeats_planned = atoi(v) - (x->tl_window ? 1 : 0) - (x->untraced_window ? 1 : 0);
	else if (!strcmp(k, "tids"))
		parse_tids(r, v);
	else if (!strcmp(k, "competitor_pid"))
		on_competitor(x, v);
	else if (!strcmp(k, "repeat"))
		memset(&x->cur, 0, sizeof(x->cur));
	else if (!strcmp(k, "switches"))
		x->cur.switches = parse_u64(v);
	else if (!strcmp(k, "round_trips"))
		x->cur.round_trips = parse_u64(v);
	else if (!strcmp(k, "start_ns"))
		x->cur.start_ns = parse_u64(v);
	else if (!strcmp(k, "end_ns"))
		x->cur.end_ns = parse_u64(v);
	else if (!strcmp(k, "ns_per_switch"))
		on_repeat_done(x, v);
	else if (!strcmp(k, "error"))
		return snprintf(err, err_len, "%s", v), -ENOEXEC;
	else if (!strcmp(k, "done"))
		return 1;
	else if (!strcmp(k, "median_ns_per_switch"))
		x->keys = KEYS_KEEP; /* the run keys follow */
	else if (strcmp(k, "median_ns_per_round_trip") && strcmp(k, "warmup") && strcmp(k, "cpus") &&
		 strcmp(k, "switches_per_iteration"))
		on_metric(x, k, v);
	return 0;
}

/* The traced CPUs (the lowest allowed one by default) and the workload's command line. */
static int plan(struct run_ctx *x, char *err, size_t err_len)
{
	const struct st_run_opts *o = x->o;
	int argc = 0;
	const struct wl_catalog_entry *w = wl_catalog_find(o->workload);

	if (!w) {
		snprintf(err, err_len, "unknown workload '%s' (schedtrace list shows them)", o->workload);
		return -EINVAL;
	}
	if (st_workload_path(wl_catalog_binary(w), x->path, sizeof(x->path))) {
		snprintf(err, err_len, "cannot find the workload binaries (set SCHEDTRACE_WORKLOADS)");
		return -ENOENT;
	}
	if (sched_getaffinity(0, sizeof(x->allowed), &x->allowed)) {
		snprintf(err, err_len, "sched_getaffinity: %s", strerror(errno));
		return -errno;
	}
	for (int i = 0; i < o->nr_cpus && i < ST_RUN_MAX_CPUS; i++)
		x->traced_cpus[x->nr_traced++] = o->cpus[i];
	for (int c = 0; !x->nr_traced && c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &x->allowed))
			x->traced_cpus[x->nr_traced++] = c;
	if (x->nr_traced == 2 && x->traced_cpus[0] == x->traced_cpus[1])
		x->nr_traced = 1; /* -C 0,0: one CPU */
	if (x->nr_traced == 2)
		snprintf(x->cpus_arg, sizeof(x->cpus_arg), "%d,%d", x->traced_cpus[0], x->traced_cpus[1]);
	else
		snprintf(x->cpus_arg, sizeof(x->cpus_arg), "%d", x->traced_cpus[0]);
	snprintf(x->run->cpus, sizeof(x->run->cpus), "%s", x->cpus_arg);

	x->tl_window = x->run->traced && o->timeline;
	x->untraced_window = x->run->traced && o->untraced_last;
	x->argv[argc++] = x->path;
	x->argv[argc++] = "-C";
	x->argv[argc++] = x->cpus_arg;
	if (o->iterations > 0) {
		snprintf(x->n_arg, sizeof(x->n_arg), "%ld", o->iterations);
		x->argv[argc++] = "-n";
		x->argv[argc++] = x->n_arg;
	}
	/* the timeline's and the untraced windows come on top of -r; the workload's default count includes them */
	if (o->repeats > 0) {
		snprintf(x->r_arg, sizeof(x->r_arg), "%ld", o->repeats + (x->tl_window ? 1 : 0) + (x->untraced_window ? 1 : 0));
		x->argv[argc++] = "-r";
		x->argv[argc++] = x->r_arg;
	}
	argc += wl_catalog_args(w, x->catalog_args, sizeof(x->catalog_args), x->argv + argc, WL_CATALOG_MAX_ARGS);
	for (int i = 0; i < o->nr_wl_args && i < ST_RUN_MAX_WL_ARGS; i++)
		x->argv[argc++] = o->wl_args[i];
	x->argv[argc] = NULL;
	return 0;
}

/* A traced run: the calibration and the snapshots. */
static int prepare_tracing(struct run_ctx *x, char *err, size_t err_len)
{
	const struct st_run_opts *o = x->o;
	struct st_run *run = x->run;
	const char *why = st_tracer_missing();
	int e;

	if (why) {
		snprintf(err, err_len, "%s", why);
		return -EPERM;
	}
	if (o->progress && (o->recalibrate || st_calibration_load(&run->cal) != 0))
		fprintf(stderr, "schedtrace: calibrating this machine (a few seconds; kept for an hour in "
				ST_CALIBRATION_PATH ")\n");
	if ((e = st_calibration_get(&run->cal, o->recalibrate, o->stop, err, err_len)))
		return e;
	x->before = calloc(1, sizeof(*x->before));
	x->after = calloc(1, sizeof(*x->after));
	if (!x->before || !x->after) {
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

/* Forks the workload held at its gate, moves the collector off its CPUs, attaches, lets it go. */
static int start(struct run_ctx *x, char *err, size_t err_len)
{
	const struct st_run_opts *o = x->o;
	struct st_run *run = x->run;
	__u64 t_fork = mono_ns();
	cpu_set_t mine;
	int e;

	/* a timeline also shows coroutine switches: the workload inherits a ring to mark them in */
	if (run->traced && o->timeline && !st_usertl_open(&x->utl, ST_USERTL_CAPACITY))
		st_usertl_export(&x->utl);
	/* the child gets the original affinity back */
	e = st_launch_start(&x->l, x->path, x->argv, &x->allowed, err, err_len);
	st_usertl_unexport(&x->utl);
	if (e)
		return e;
	collector_cpus(&x->allowed, x->traced_cpus, x->nr_traced, &mine);
	if (CPU_COUNT(&mine) > 0 && !sched_setaffinity(0, sizeof(mine), &mine))
		x->pinned = true;
	if (run->traced) {
		struct st_tracer_opts to = { .tgid = x->l.pid, .follow = true, .cpus = x->traced_cpus,
					     .nr_cpus = x->nr_traced, .timeline = o->timeline,
					     .ring_bytes = o->ring_bytes, .no_syscalls = o->light };

		if ((e = st_tracer_start(&x->tracer, &to, err, err_len)))
			return e;
		st_tracer_describe(x->tracer, run);
	}
	if ((e = st_launch_go(&x->l))) {
		snprintf(err, err_len, "the workload did not start: %s", strerror(-e));
		return e;
	}
	run->startup_ns = (double)(mono_ns() - t_fork);
	return 0;
}

/* The workload's result lines until its "done" (1), EOF (0) or a failure (< 0). */
static int read_results(struct run_ctx *x, char *err, size_t err_len)
{
	const struct st_run_opts *o = x->o;
	char key[64], val[2048];

	for (;;) {
		int r;

		if (stopped(x))
			return ST_RUN_INTERRUPTED;
		r = st_launch_line(&x->l, key, sizeof(key), val, sizeof(val));
		if (r == -EINTR)
			continue;
		if (r < 0) {
			snprintf(err, err_len, "reading the workload's results: %s", strerror(-r));
			return r;
		}
		if (r == 0)
			return 0; /* EOF: the exit status says why */
		if ((r = on_line(x, key, val, err, err_len)) != 0)
			return r;
		if (!strcmp(key, "ns_per_switch"))
			progress(o, x->t0, x->run->nr_repeats, o->repeats > 0 ? (int)o->repeats : 0, false);
	}
}

/* Detaches, reaps the workload and says what went wrong if it did not finish cleanly. */
static int reap(struct run_ctx *x, bool done, char *err, size_t err_len)
{
	const char *w = x->o->workload;
	int status;

	/* detach before reaping: nothing of ours stays loaded whatever the child did */
	st_tracer_stop(x->tracer);
	x->tracer = NULL;
	status = st_launch_wait(&x->l);
	if (done && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFSIGNALED(status))
		snprintf(err, err_len, "workload %s was killed by signal %d", w, WTERMSIG(status));
	else if (!done && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		snprintf(err, err_len, "workload %s exited without finishing its result", w);
	else
		snprintf(err, err_len, "workload %s failed (exit %d); run %s by hand to see why", w,
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1, x->path);
	return -ECHILD;
}

/*
 * The lean repeats' user share, from their cpu-clock samples pooled (about a
 * hundred a repeat at 1 kHz): the every-hook repeat's would overstate it
 * (st_breakdown_user_share). Too few samples: its share stays.
 */
static void lean_user_share(struct st_run *run)
{
	__u64 user = 0, traced = 0;

	for (int i = 1; i < run->nr_repeats; i++) {
		user += run->repeat[i].samples.user;
		traced += run->repeat[i].samples.user + run->repeat[i].samples.kernel;
	}
	if (traced < ST_SAMPLES_FOR_SHARE)
		return;
	for (int i = 1; i < run->nr_repeats; i++)
		st_breakdown_user_share(&run->repeat[i], (double)user / (double)traced);
}

/* Undoes whatever was started, in every case, and takes the summary of the repeats measured. */
static void finish(struct run_ctx *x, int e, char *err, size_t err_len)
{
	struct st_run *run = x->run;

	keep_timeline(x); /* interrupted inside the first window: keep what was recorded */
	st_usertl_close(&x->utl);
	free(x->threads);
	st_tracer_stop(x->tracer);
	if (x->l.pid > 0) {
		st_launch_kill(&x->l);
		st_launch_wait(&x->l);
	}
	if (x->pinned)
		sched_setaffinity(0, sizeof(x->allowed), &x->allowed);
	progress(x->o, x->t0, 0, 0, true);
	if (x->sampling)
		lean_user_share(run);
	if (run->nr_repeats > 0)
		st_breakdown_median(run->repeat, run->nr_repeats, &run->summary);
	if (e == ST_RUN_INTERRUPTED) {
		run->complete = false;
		run->result.complete = false;
		snprintf(err, err_len, "interrupted: %d repeat%s measured", run->nr_repeats,
			 run->nr_repeats == 1 ? "" : "s");
	}
	free(x->before);
	free(x->after);
}

int st_run_workload(const struct st_run_opts *o, struct st_run *run, char *err, size_t err_len)
{
	struct run_ctx x = { .o = o, .run = run, .t0 = mono_ns() };
	int e;

	memset(run, 0, sizeof(*run));
	snprintf(run->workload, sizeof(run->workload), "%s", o->workload);
	run->traced = !o->no_trace;
	run->light = run->traced && o->light;
	if ((e = plan(&x, err, err_len)))
		return e;
	st_machine_read(&run->machine);
	if (run->traced && (e = prepare_tracing(&x, err, err_len)))
		goto out;
	if (stopped(&x)) {
		e = ST_RUN_INTERRUPTED;
		goto out;
	}
	if ((e = start(&x, err, err_len)) || (e = read_results(&x, err, err_len)) < 0)
		goto out;
	if ((e = reap(&x, e == 1, err, err_len)))
		goto out;
	run->complete = true;
	run->result.complete = true;
out:
	finish(&x, e, err, err_len);
	return e;
}
