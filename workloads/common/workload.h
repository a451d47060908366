/* SPDX-License-Identifier: GPL-2.0 */
/*
 * workload.h — the harness every bundled workload is built on.
 *
 * A workload is one source file with a struct wl_spec (its name, what one
 * switch is, its defaults) and a body. main() is one line:
 *
 *	int main(int argc, char **argv) { return wl_main(&spec, argc, argv, body); }
 *
 * wl_main() parses the common command line (-n -w -r -C -h), opens the
 * collector's fds (docs/result-protocol.md), calls body(), then prints
 *
 *	ns/switch: median X (min Y, max Z, n R)
 *	ns/round-trip: median X (min Y, max Z, n R)    (round-trip workloads only)
 *
 * The body sets up its threads (pinned with wl_thread_start / wl_pin_self),
 * reports their tids with wl_report_tids(), then drives the measurement from
 * side A with wl_measure() (or wl_window_begin/end by hand). Side B serves
 * wl_total_iterations() iterations and is blocked, not spinning, whenever
 * side A waits at a gate.
 *
 * One iteration is spec->switches_per_iter switches (and
 * spec->round_trips_per_iter round trips); -n counts iterations.
 *
 * A workload with options of its own (--hog MS, --preempt MS, ...) lists
 * them in spec->options: one table that both the parser and -h read. A
 * workload with per-repeat results beyond ns/switch (a latency
 * distribution, counts by kind) reports them with wl_measure_each()'s
 * callback, right after each repeat's own lines.
 */
#ifndef WORKLOAD_H
#define WORKLOAD_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define WL_MAX_CPUS 64	/* -C entries of a workload with one thread per CPU (max_cpus) */

struct wl_opts;

/* One workload-specific long option, --NAME or --NAME VALUE (also --NAME=VALUE). */
struct wl_option {
	const char *name;	/* "preempt" for --preempt; NULL ends the table */
	const char *arg;	/* value's name in -h ("MS"); NULL: a flag, *value set to 1 */
	const char *help;	/* one line for -h (the default is added from *value) */
	long min, max;		/* accepted values (strict decimal) */
	long *value;		/* in: the default; out: the value given */
	const char *const *choices; /* optional: the value is one of these words, stored as its index */
};

struct wl_spec {
	const char *name;		/* binary name, "pthread" */
	const char *switch_def;		/* one line: what one switch is */
	const char *details;		/* optional -h paragraph (how it works), or NULL */
	unsigned switches_per_iter;	/* switches in one iteration (>= 1) */
	unsigned round_trips_per_iter;	/* round trips in one iteration; 0: no round-trip line */
	unsigned sides;			/* 1: one CPU runs it all; 2: -C A,B places side A and B */
	unsigned max_cpus;		/* > 2: -C takes up to this many CPUs, one thread each
					   (at most the CPUs this process may use); 0: sides */
	long default_iterations;	/* -n: ~0.5-1 s for the whole standalone run */
	long default_warmup;		/* -w */
	long default_repeats;		/* -r */
	const struct wl_option *options; /* the workload's own long options, or NULL */
	/* Optional: after parsing, whether the options fit together. Returns 0,
	 * or -1 with one line in err (name: what is wrong; what to do): a usage
	 * error, exit 2. */
	int (*check)(const struct wl_opts *opts, char *err, size_t err_len);
	/* Optional, for a workload whose options change what one switch is
	 * (syscalls --call, pthread --signal-after-unlock): after parsing, the
	 * definition for these options, or NULL for switch_def (which -h prints). */
	const char *(*switch_def_of)(void);
	/* Optional, for options that change a switch's cost tenfold: after
	 * parsing, the -n default for these options when -n was not given;
	 * NULL or <= 0: default_iterations (which -h prints). */
	long (*iterations_of)(void);
};

/* The parsed command line. */
struct wl_opts {
	long iterations;	/* -n, per repeat, >= 1 */
	long warmup;		/* -w, >= 0 */
	long repeats;		/* -r, >= 1 */
	int cpu[2];		/* -C: side A, side B (equal when one CPU was given) */
	int ncpus;		/* CPUs given with -C (1 by default) */
	int cpus[WL_MAX_CPUS];	/* all of them, in the order given */
	const char *switch_def;	/* what one switch is, for these options (switch= on the result fd) */
};

struct wl_run {
	const struct wl_spec *spec;
	struct wl_opts opts;
	int result_fd;		/* -1 when SCHEDTRACE_RESULT_FD is unset */
	int gate_fd;		/* -1 when SCHEDTRACE_GATE_FD is unset */
	long repeat;		/* index of the next window */
	uint64_t start_ns;	/* of the open window */
	double *ns_per_switch;	/* one per finished repeat */
	/* Set by the body, or NULL: called after the human ns/switch lines and
	 * median_ns_per_switch, before done=1, for keys about the whole run (a
	 * distribution over every repeat) and human lines of its own. */
	void (*finish)(struct wl_run *run);
	void *finish_arg;	/* for finish, as the body likes */
};

typedef int (*wl_body_fn)(struct wl_run *run);
/* Runs `iterations` iterations on side A; returns 0, or -1 after printing why. */
typedef int (*wl_loop_fn)(void *arg, long iterations);

/* Parses argv, runs body, prints the result. Returns main()'s exit status:
 * 0 ok, 1 runtime failure (body returned non-zero), 2 usage error. */
int wl_main(const struct wl_spec *spec, int argc, char **argv, wl_body_fn body);

/* Iterations side B must serve over the whole run: warmup + repeats * n. */
long wl_total_iterations(const struct wl_run *run);
/* CPU of side 0 (A) or 1 (B). */
int wl_cpu(const struct wl_run *run, int side);
/* Workloads with max_cpus: how many CPUs -C gave, and the i-th. */
int wl_ncpus(const struct wl_run *run);
int wl_cpu_at(const struct wl_run *run, int i);

/* ---- measurement (call on side A) ------------------------------------- */
/* Warm-up (unmeasured, before the first gate), then per repeat:
 * wl_window_begin, loop(arg, n), wl_window_end. Returns loop's failure. */
int wl_measure(struct wl_run *run, wl_loop_fn loop, void *arg);
/* As wl_measure, and after each repeat's own lines calls after(arg, run) so
 * the workload can add that repeat's keys (wl_report) and reset its counters;
 * after the warm-up it calls after(arg, NULL): drop the warm-up's counts.
 * after may be NULL. */
typedef void (*wl_after_fn)(void *arg, struct wl_run *run);
int wl_measure_each(struct wl_run *run, wl_loop_fn loop, wl_after_fn after, void *arg);
/* gate=start, wait for the collector's byte, then read the clock. */
void wl_window_begin(struct wl_run *run);
/* Read the clock, gate=end, wait for the byte, then report the repeat. */
void wl_window_end(struct wl_run *run);
uint64_t wl_now_ns(void);	/* CLOCK_MONOTONIC */

/* ---- protocol lines (no-ops without SCHEDTRACE_RESULT_FD) -------------- */
/* tids=<t0>,<t1>,... : call once, after setup, before wl_measure. */
void wl_report_tids(struct wl_run *run, const pid_t *tids, int n);
/* key=value, value formatted like printf; call before the first gate (a
 * workload-wide key), or right after a repeat's lines (that repeat's key,
 * from wl_measure_each's callback), or after the run (wl_main's finish). */
void wl_report(struct wl_run *run, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A latency distribution: NAME_samples, NAME_p50_ns ... NAME_max_ns and
 * NAME_hist_pow2_ns (docs/result-protocol.md, "Distributions"). Sorts
 * ns[] in place. Nothing is written for n == 0 but NAME_samples=0. */
void wl_report_dist(struct wl_run *run, const char *name, uint64_t *ns, size_t n);

/* In a forked child (side B of pipe): only side A talks to the collector. */
void wl_close_protocol_fds(struct wl_run *run);

/* ---- threads and pinning ---------------------------------------------- */
pid_t wl_gettid(void);
/* Pins the calling thread to cpu. Returns 0 or -1 (errno set). */
int wl_pin_self(int cpu);

struct wl_thread {
	pthread_t handle;
	pid_t tid;		/* valid once wl_thread_start returned 0 */
	void *(*fn)(void *);
	void *arg;
	int cpu;
	int started;		/* futex word: 1 once tid is set */
};
/* Starts fn(arg) on a thread pinned to cpu from its first instruction, and
 * returns once the thread runs and its tid is known. 0 or -1 (errno set). */
int wl_thread_start(struct wl_thread *t, int cpu, void *(*fn)(void *), void *arg);
int wl_thread_join(struct wl_thread *t);	/* 0 or -1 */

/* Prints "NAME: <message>\n" on stderr (and error=NAME: <message> on the
 * result fd) and exits 1: a runtime failure the workload cannot recover
 * from, e.g. a futex call failing. */
void wl_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif /* WORKLOAD_H */
