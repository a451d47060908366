/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compare.h — the arithmetic of `schedtrace compare`, pure C over model.h:
 * the spread of repeats (median, CV, "too noisy"), a row's ratio to the
 * baseline, the gap between two workloads split into the CPU-time parts,
 * and the ordering physics demands. No syscalls: the unit tests feed it.
 */
#ifndef SCHEDTRACE_COMPARE_H
#define SCHEDTRACE_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include "model.h"

/* The seed article's figures (Intel N100, kernel 6.8, Go 1.23). */
#define ST_SEED_CPU "Intel N100"
#define ST_SEED_YIELD_NS 102.0	    /* runtime.Gosched, GOMAXPROCS=1 */
#define ST_SEED_CHAN_RT_NS 436.0    /* unbuffered channel round trip (2 G-switches) */
#define ST_SEED_PTHREAD_NS 2900.0   /* mutex+cond ping-pong, per switch, one core */
#define ST_SEED_MODE_SWITCH_NS 100.0 /* "~100 ns of entry/exit" per syscall */

/* A result whose coefficient of variation over repeats exceeds this is flagged. */
#define ST_NOISY_CV 0.10

/* The CPU-time parts of a breakdown, in the order the reports list them. */
enum st_part {
	ST_PART_USER,
	ST_PART_MODE_SWITCH,
	ST_PART_SCHED_WORK,
	ST_PART_SYSCALL_WORK,
	ST_PART_RETURN_PATH,
	ST_PART_OTHER_TASKS,
	ST_PART_IDLE,
	ST_PART_TRACER,
	ST_PART_UNEXPLAINED,
	ST_NR_PARTS
};
extern const char *const st_part_names[ST_NR_PARTS];

/* b's parts, ns per switch times scale (1: per switch; switches per round trip: per round trip). */
void st_parts_of(const struct st_breakdown *b, double scale, double out[ST_NR_PARTS]);

/* Spread of n values: median, min, max, mean, sample standard deviation, CV = sd / mean. */
struct st_spread {
	int n;
	double median, min, max, mean, sd, cv;
};
void st_spread_of(const double *v, int n, struct st_spread *s);
/* More than one value and CV above ST_NOISY_CV. */
bool st_spread_noisy(const struct st_spread *s);
/* The spread of ns/switch over a run's repeats. */
void st_run_spread(const struct st_run *run, struct st_spread *s);

/*
 * The breakdown of the run's median repeat (the lower middle one for an
 * even count), whose CPU-time parts add up to its own ns/switch; unlike
 * the field-by-field median summary, whose parts come from different
 * repeats. Returns NULL for a run with no repeats.
 */
const struct st_breakdown *st_run_median_repeat(const struct st_run *run);

/* Switches per round trip from the workload's own counts; 0 when it has no round trips. */
double st_run_switches_per_round_trip(const struct st_run *run);

/* a / b, 0 when b is not positive. */
double st_ratio(double a, double b);

/*
 * hi minus lo, per unit (scale_* = switches per unit: 1 per switch, the
 * switches per round trip of each workload per round trip), split into the
 * parts. Each named part is the difference of that part; unexplained takes
 * whatever is left, so the parts always add up to gap_ns exactly. Pass
 * breakdowns whose parts add up (st_run_median_repeat) to keep unexplained
 * to what the attribution itself left unexplained.
 */
struct st_gap {
	double hi_ns, lo_ns, gap_ns, ratio; /* ratio = hi / lo */
	double part_ns[ST_NR_PARTS];
	double part_pct[ST_NR_PARTS]; /* of gap_ns; 0 when the gap is 0 */
};
void st_gap_split(const struct st_breakdown *hi, double scale_hi, const struct st_breakdown *lo,
		  double scale_lo, struct st_gap *g);

/*
 * What one `compare` measured: the set pinned to one CPU and, when two CPUs
 * were given, the kernel-switching workloads again with side A on the first
 * CPU and side B on the second ("split").
 */
struct st_compare {
	const struct st_run *pinned;
	int nr_pinned;
	const struct st_run *split;
	int nr_split;
	int rounds_planned; /* -r */
	double wall_s;	    /* the whole compare, 0 when unknown */
	bool complete;	    /* false when interrupted */
};

/*
 * compare runs each workload one repeat at a time, round after round; these
 * gather the rounds into one st_run. append: the first call's run is taken
 * whole (result, calibration, machine), later ones add their repeats.
 * finish: the summary is the median over the repeats (st_breakdown_median),
 * complete when all rounds_planned were measured.
 */
void st_run_append(struct st_run *acc, const struct st_run *one);
void st_run_finish(struct st_run *acc, int rounds_planned);

/* Index of the run of workload name in runs[0..n), -1 if absent. */
int st_find_run(const struct st_run *runs, int n, const char *name);

/*
 * The ordering physics demands, checked on the runs present (absent
 * workloads are skipped): coro-yield < coro-chan < futex <= pthread in
 * ns/switch, each "<" allowing tol (a fraction) of the larger side for noise;
 * epoll makes system calls but no kernel switches (< 0.05 per switch).
 * Returns the number of violations; each is one line appended to why.
 */
int st_check_order(const struct st_run *runs, int n, double tol, char *why, size_t why_len);

#endif
