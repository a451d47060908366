/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hog.h — the CPU-hog experiment, shared by hog-loop, hog-coro and
 * hog-threads: one shape, one model of scheduling each.
 *
 * Two tasks share one CPU. The hog computes for H ms of wall time (--hog,
 * default 200) between chances to yield; the probe asks to run 1 ms after
 * its last run and records how late it got the CPU (lateness = when it ran
 * minus when it asked to). The hog drives the windows: one iteration is one
 * chunk of H ms, so ns/switch is the time per chunk. What each model makes
 * of it is the lateness distribution (NAME_p50_ns ... on the result fd) and
 * the hog's throughput (units of work per ms).
 *
 * The probe records only while the window is open (active): the hog opens
 * it after the start gate and closes it before the window's end, and each
 * model makes sure its probe has stopped before the hog returns.
 */
#ifndef WL_HOG_H
#define WL_HOG_H

#include <stdint.h>
#include "dist.h"
#include "workload.h"

#define HOG_PROBE_PERIOD_NS 1000000ull	/* the probe asks to run 1 ms after its last run */
#define HOG_DEFAULT_MS      200

struct hog {
	long hog_ms;			/* --hog */
	uint64_t units;			/* work units done in the open window */
	uint64_t sink;			/* the work's result, so it is not optimised away */
	uint64_t last_ts;		/* clock read after the latest unit */
	/* called after each unit with the clock just read (hog-coro measures
	 * its preemptions with it); NULL: nothing */
	void (*step)(struct hog *h, uint64_t now);
	void *step_arg;
	struct wl_samples lateness;	/* this window's */
	struct wl_samples all;		/* every window's, for the run's distribution */
	double *units_per_ms;		/* one per repeat */
	long repeats_done;
};

/* The --hog option (writes h->hog_ms); list it in the spec's options. */
#define HOG_OPTION(h) { .name = "hog", .arg = "MS", \
			.help = "the hog computes this long between chances to yield", \
			.min = 1, .max = 60000, .value = &(h).hog_ms }

/* One unit of work: a fixed run of integer mixing, about 0.1 µs. */
uint64_t hog_unit(uint64_t x);
/* A chunk: units until hog_ms of wall time have passed since it started. */
void hog_chunk(struct hog *h);
/* The probe ran at `now` having asked for `deadline`. */
void hog_probe_record(struct hog *h, uint64_t deadline, uint64_t now);
/* Sets up h for run (after wl_main parsed the options); sets run->finish to
 * hog_finish with run->finish_arg = h. */
void hog_init(struct hog *h, struct wl_run *run);
/* The run's lateness_all_* and median_hog_units_per_ms keys, and the human
 * lines "lateness-ns: p50 X (p99 Y, max Z, n N)" and "hog-units/ms: median X
 * (min Y, max Z, n R)". A workload with lines of its own calls it from its
 * own finish. */
void hog_finish(struct wl_run *run);
/* After a repeat (a wl_after_fn, arg is the struct hog): that repeat's
 * lateness_* and hog_* keys; after the warm-up (run NULL) drops its counts. */
void hog_after_repeat(void *arg, struct wl_run *run);
/* Reports hog_ms and probe_period_ns (before the first gate). */
void hog_report_setup(struct hog *h, struct wl_run *run);

#endif /* WL_HOG_H */
