/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pair.h — two saved reports side by side (`schedtrace report A.json
 * B.json`): two machines, two kernels, before and after. The runs present in
 * both files are paired by workload and CPUs; for each pair, every CPU-time
 * part per switch of A and B, the difference B - A and the ratio B / A, the
 * same for ns/switch and the counts, the calibrated mode switch of each, and
 * the part that changed most. Runs in one file only are listed, and the two
 * machines compared (machine_diff.h). Pure C over the model: report/ renders
 * it (text_pair.c, html_pair.c).
 */
#ifndef SCHEDTRACE_PAIR_H
#define SCHEDTRACE_PAIR_H

#include <stdbool.h>
#include "compare.h"
#include "machine_diff.h"
#include "model.h"

#define ST_PAIR_MAX_RUNS 32 /* runs per file (a compare set holds at most 32) */

/* Within this fraction, ns/switch is the same on A and B: no part "changed most". */
#define ST_PAIR_SAME 0.02

/* The counts per switch set side by side. */
enum st_pair_count { ST_PC_SYSCALLS, ST_PC_KERNEL_SWITCHES, ST_PC_MIGRATIONS, ST_NR_PAIR_COUNTS };
extern const char *const st_pair_count_names[ST_NR_PAIR_COUNTS];

/* One figure on A and on B: B - A, and B / A (NaN when A is not above 0 or B is below 0). */
struct st_pair_val {
	double a, b, diff, ratio;
};

/*
 * What changed most, from the numbers alone. dir: +1 B is slower (ns/switch
 * more than ST_PAIR_SAME above A's), -1 B is faster, 0 the same. part: the
 * part whose difference went furthest in that direction, -1 when dir is 0, a
 * side was not traced or no part moved that way. share: that difference over
 * the change of all parts (the change in CPU time per switch), NaN when the
 * parts changed the other way in all.
 */
struct st_pair_most {
	int dir;
	int part;
	double share;
};

struct st_pair_row {
	const struct st_run *a, *b;
	struct st_pair_val ns;		     /* ns/switch, measured (the summary's median) */
	struct st_pair_val part[ST_NR_PARTS]; /* ns per switch, the median repeat's (they add up) */
	struct st_pair_val total;	     /* the sum of the parts: ns/switch x the traced CPUs */
	struct st_pair_val count[ST_NR_PAIR_COUNTS];
	struct st_pair_val mode_switch_cal;  /* the calibrated mode switch, ns per syscall */
	struct st_pair_most most;
	bool traced; /* both sides were traced: the parts mean something */
};

struct st_pair {
	int nr_rows;
	struct st_pair_row rows[ST_PAIR_MAX_RUNS];
	/* in one file only, in file order */
	int nr_only_a, nr_only_b;
	const struct st_run *only_a[ST_PAIR_MAX_RUNS], *only_b[ST_PAIR_MAX_RUNS];
	/* the machines: each file's first run's (NULL for an empty file) */
	const struct st_run *first_a, *first_b;
	struct st_machine_diff machine;
	/*
	 * The calibrated mode switch of each file: the median over its traced
	 * runs (each run times its own, the host drifts), 0 when none has one.
	 */
	struct st_pair_val mode_switch;
	/*
	 * Each row's ns/switch over the baseline row's in its own file, when two
	 * or more rows: the comparison across machines (pthread / coro-yield on A
	 * against on B). base: coro-yield when paired, else A's cheapest; -1
	 * when fewer than two rows.
	 */
	int base;
	struct st_pair_val within[ST_PAIR_MAX_RUNS];
};

/* One figure of A and of B (diff, ratio). */
void st_pair_val(struct st_pair_val *v, double a, double b);

/*
 * Pairs a[0..na) with b[0..nb) (each at most ST_PAIR_MAX_RUNS; more are
 * ignored) by workload and CPUs, in A's order, each run of B used once.
 */
void st_pair_runs(const struct st_run *a, int na, const struct st_run *b, int nb, struct st_pair *p);

/* The most-changed part of one row, as st_pair_runs computes it (exposed for the tests). */
void st_pair_most_of(const struct st_pair_row *r, struct st_pair_most *m);

#endif
