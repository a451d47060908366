// SPDX-License-Identifier: GPL-2.0
/*
 * workload.c — wl_main(), the measured windows and the result-fd protocol
 * (docs/result-protocol.md).
 *
 * The gate pause is never measured: the window's clock is read after the
 * collector's byte arrives and before gate=end is written.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "args.h"
#include "dist.h"
#include "internal.h"
#include "stats.h"
#include "workload.h"

const char *wl_name = "workload";
int wl_error_fd = -1;

uint64_t wl_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

long wl_total_iterations(const struct wl_run *run)
{
	return run->opts.warmup + run->opts.repeats * run->opts.iterations;
}

int wl_cpu(const struct wl_run *run, int side)
{
	return run->opts.cpu[side ? 1 : 0];
}

int wl_ncpus(const struct wl_run *run)
{
	return run->opts.ncpus;
}

int wl_cpu_at(const struct wl_run *run, int i)
{
	return i >= 0 && i < run->opts.ncpus ? run->opts.cpus[i] : run->opts.cpus[0];
}

/* One protocol line, one write(). A collector that stopped reading is fatal. */
static void emit(struct wl_run *run, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(struct wl_run *run, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int len;

	if (run->result_fd < 0)
		return;
	va_start(ap, fmt);
	len = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= sizeof(line) - 1)
		wl_die("result line too long; this is a bug, please report it");
	line[len++] = '\n';
	for (;;) {
		ssize_t w = write(run->result_fd, line, (size_t)len);

		if (w == len)
			return;
		if (w < 0 && errno == EINTR)
			continue;
		wl_die("writing to SCHEDTRACE_RESULT_FD failed (%s); is the collector still reading?",
		       w < 0 ? strerror(errno) : "short write");
	}
}

void wl_report(struct wl_run *run, const char *key, const char *fmt, ...)
{
	char value[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	emit(run, "%s=%s", key, value);
}

void wl_report_tids(struct wl_run *run, const pid_t *tids, int n)
{
	char list[900];	/* up to ~100 tids: mn's worker and spare threads */
	size_t used = 0;

	list[0] = '\0';
	for (int i = 0; i < n && used < sizeof(list); i++)
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%d",
					 i ? "," : "", (int)tids[i]);
	emit(run, "tids=%s", list);
}

void wl_close_protocol_fds(struct wl_run *run)
{
	if (run->result_fd >= 0)
		close(run->result_fd);
	if (run->gate_fd >= 0)
		close(run->gate_fd);
	run->result_fd = run->gate_fd = wl_error_fd = -1;
}

/* Blocks (parked in read) until the collector writes one byte. */
static void wait_gate(struct wl_run *run)
{
	char byte;

	if (run->gate_fd < 0)
		return;
	for (;;) {
		ssize_t r = read(run->gate_fd, &byte, 1);

		if (r == 1)
			return;
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			wl_die("the collector closed SCHEDTRACE_GATE_FD; stopping without a result "
			       "(see the collector's own error)");
		wl_die("reading SCHEDTRACE_GATE_FD failed (%s); is it the read end of a pipe?",
		       strerror(errno));
	}
}

void wl_window_begin(struct wl_run *run)
{
	emit(run, "gate=start");
	wait_gate(run);
	run->start_ns = wl_now_ns();
}

void wl_window_end(struct wl_run *run)
{
	uint64_t end_ns = wl_now_ns();
	const struct wl_spec *spec = run->spec;
	long switches = run->opts.iterations * (long)spec->switches_per_iter;
	double ns = (double)(end_ns - run->start_ns) / (double)switches;

	emit(run, "gate=end");
	wait_gate(run);
	emit(run, "repeat=%ld", run->repeat);
	emit(run, "switches=%ld", switches);
	if (spec->round_trips_per_iter)
		emit(run, "round_trips=%ld", run->opts.iterations * (long)spec->round_trips_per_iter);
	emit(run, "start_ns=%llu", (unsigned long long)run->start_ns);
	emit(run, "end_ns=%llu", (unsigned long long)end_ns);
	emit(run, "ns_per_switch=%.3f", ns);
	if (run->repeat < run->opts.repeats)
		run->ns_per_switch[run->repeat] = ns;
	run->repeat++;
}

int wl_measure_each(struct wl_run *run, wl_loop_fn loop, wl_after_fn after, void *arg)
{
	if (run->opts.warmup > 0 && loop(arg, run->opts.warmup))
		return -1;
	if (after && run->opts.warmup > 0)
		after(arg, NULL);	/* NULL: the warm-up's counts, to be dropped */
	for (long r = 0; r < run->opts.repeats; r++) {
		int failed;

		wl_window_begin(run);
		failed = loop(arg, run->opts.iterations);
		if (failed)
			return -1;
		wl_window_end(run);
		if (after)
			after(arg, run);
	}
	return 0;
}

int wl_measure(struct wl_run *run, wl_loop_fn loop, void *arg)
{
	return wl_measure_each(run, loop, NULL, arg);
}

void wl_report_dist(struct wl_run *run, const char *name, uint64_t *ns, size_t n)
{
	struct wl_dist d = wl_dist_of(ns, n);
	char key[64], hist[400];

#define DIST_KEY(suffix) (snprintf(key, sizeof(key), "%s_" suffix, name), key)
	wl_report(run, DIST_KEY("samples"), "%zu", n);
	if (n == 0)
		return;
	wl_report(run, DIST_KEY("min_ns"), "%llu", (unsigned long long)d.min);
	wl_report(run, DIST_KEY("p50_ns"), "%llu", (unsigned long long)d.p50);
	wl_report(run, DIST_KEY("p90_ns"), "%llu", (unsigned long long)d.p90);
	wl_report(run, DIST_KEY("p99_ns"), "%llu", (unsigned long long)d.p99);
	wl_report(run, DIST_KEY("p999_ns"), "%llu", (unsigned long long)d.p999);
	wl_report(run, DIST_KEY("max_ns"), "%llu", (unsigned long long)d.max);
	wl_report(run, DIST_KEY("mean_ns"), "%.3f", d.mean);
	if (wl_hist_pow2(ns, n, hist, sizeof(hist)) >= 0)
		wl_report(run, DIST_KEY("hist_pow2_ns"), "%s", hist);
#undef DIST_KEY
}

struct stats {
	double median, min, max;
};

static struct stats summarize(double *v, long n)
{
	struct stats s;

	s.median = st_median(v, (int)n); /* sorts v */
	s.min = v[0];
	s.max = v[n - 1];
	return s;
}

static void print_result(struct wl_run *run)
{
	const struct wl_spec *spec = run->spec;
	struct stats s = summarize(run->ns_per_switch, run->repeat);

	printf("ns/switch: median %.1f (min %.1f, max %.1f, n %ld)\n",
	       s.median, s.min, s.max, run->repeat);
	if (spec->round_trips_per_iter) {
		double k = (double)spec->switches_per_iter / spec->round_trips_per_iter;

		printf("ns/round-trip: median %.1f (min %.1f, max %.1f, n %ld)\n",
		       s.median * k, s.min * k, s.max * k, run->repeat);
	}
	fflush(stdout);
	emit(run, "median_ns_per_switch=%.3f", s.median);
	if (spec->round_trips_per_iter)
		emit(run, "median_ns_per_round_trip=%.3f",
		     s.median * spec->switches_per_iter / spec->round_trips_per_iter);
	if (run->finish) {
		run->finish(run);
		fflush(stdout);
	}
	emit(run, "done=1");
}

int wl_main(const struct wl_spec *spec, int argc, char **argv, wl_body_fn body)
{
	/*
	 * Static: wl_die() may exit from a coroutine's stack, where
	 * LeakSanitizer does not see this frame, and would take what run holds
	 * (ns_per_switch) for a leak. (make check-asan)
	 */
	static struct wl_run run;
	char err[512];

	run = (struct wl_run){ .spec = spec, .result_fd = -1, .gate_fd = -1 };
	wl_name = spec->name;
	switch (wl_parse_args(spec, argc, argv, &run.opts, err, sizeof(err))) {
	case WL_PARSE_HELP:
		wl_usage(spec, stdout);
		return 0;
	case WL_PARSE_ERROR:
		fprintf(stderr, "%s\n", err);
		return 2;
	case WL_PARSE_OK:
		break;
	}
	run.result_fd = wl_env_fd("SCHEDTRACE_RESULT_FD", true, err, sizeof(err));
	if (run.result_fd == -2 ||
	    (run.gate_fd = wl_env_fd("SCHEDTRACE_GATE_FD", false, err, sizeof(err))) == -2) {
		fprintf(stderr, "%s: %s\n", spec->name, err);
		return 2;
	}
	/* a collector that went away shows up as EPIPE and exit 1, not a silent SIGPIPE death */
	if (run.result_fd >= 0)
		signal(SIGPIPE, SIG_IGN);
	wl_error_fd = run.result_fd;
	run.ns_per_switch = calloc((size_t)run.opts.repeats, sizeof(double));
	if (!run.ns_per_switch) {
		fprintf(stderr, "%s: out of memory for %ld repeats; lower -r\n",
			spec->name, run.opts.repeats);
		return 1;
	}

	emit(&run, "workload=%s", spec->name);
	emit(&run, "switch=%s", run.opts.switch_def);
	emit(&run, "iterations=%ld", run.opts.iterations);
	emit(&run, "repeats=%ld", run.opts.repeats);
	emit(&run, "warmup=%ld", run.opts.warmup);
	emit(&run, "switches_per_iteration=%u", spec->switches_per_iter);
	if (spec->max_cpus > 2) {
		char list[WL_MAX_CPUS * 6] = "";
		size_t used = 0;

		for (int i = 0; i < run.opts.ncpus && used < sizeof(list); i++)
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%d",
						 i ? "," : "", run.opts.cpus[i]);
		emit(&run, "cpus=%s", list);
	} else if (spec->sides == 2) {
		emit(&run, "cpus=%d,%d", run.opts.cpu[0], run.opts.cpu[1]);
	} else {
		emit(&run, "cpus=%d", run.opts.cpu[0]);
	}

	if (body(&run)) {
		free(run.ns_per_switch);
		return 1;
	}
	if (run.repeat != run.opts.repeats)
		wl_die("measured %ld of %ld repeats; this is a bug in the workload, please report it",
		       run.repeat, run.opts.repeats);
	print_result(&run);
	free(run.ns_per_switch);
	return 0;
}
