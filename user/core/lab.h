/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lab.h — the classroom labs (docs/labs/): each is a question, a handful of
 * experiments (a workload in a mode, on one CPU or two) measured
 * interleaved, and a table whose columns are picked from the breakdown.
 * Pure C: the runner is user/collect/lab_run.c; the worksheet, with its
 * "what to notice" sentences computed from the measurements, is
 * report/lab_notice.c, lab_text.c and lab_html.c.
 */
#ifndef SCHEDTRACE_LAB_H
#define SCHEDTRACE_LAB_H

#include <stdbool.h>
#include <stddef.h>
#include "model.h"

#define ST_LAB_MAX_EXPS 6
#define ST_LAB_MAX_COLS 6 /* 22 columns of label and 6 x 9 of numbers fit 78 */
#define ST_LAB_MAX_QUESTIONS 5

/* How an experiment is measured. */
enum st_lab_mode {
	ST_LAB_TRACED, /* one repeat per round, every hook */
	ST_LAB_BARE,   /* no tracer: the workload's own ns/switch */
	ST_LAB_LIGHT,  /* scheduler view only (run --light) */
	ST_LAB_PERF,   /* bare, under `perf sched record` (when perf is installed) */
};

struct st_lab_exp {
	const char *label;    /* the table's row, 22 columns at most: "coroutine yield" */
	const char *workload; /* a catalog name */
	int nr_cpus;	      /* 1: the first CPU; 2: side A on it, side B on the next */
	bool free_sides;      /* with 2: both sides may run on either CPU */
	enum st_lab_mode mode;
	long iterations;      /* per round: a window of ~0.1-0.3 s on a 2-vCPU guest */
};

/* The table's columns: each a number read from an experiment's run (st_lab_value). */
enum st_lab_col {
	ST_COL_NS,	    /* ns per switch (or per call), as measured */
	ST_COL_NS_FIX,	    /* ... without the probes' estimate */
	ST_COL_RATIO,	    /* ns per switch over the first experiment's */
	ST_COL_SYSCALLS,    /* system calls per switch */
	ST_COL_KSWITCH,	    /* kernel switches per switch */
	ST_COL_INVOL,	    /* of them, preemptions */
	ST_COL_MODE,	    /* mode switch ns per switch */
	ST_COL_SCHED,	    /* scheduler work ns */
	ST_COL_SYSWORK,	    /* the calls' own work ns */
	ST_COL_USER,	    /* user code ns */
	ST_COL_MIGR,	    /* migrations per switch */
	ST_COL_XWAKE,	    /* cross-CPU wake-ups per switch */
	ST_COL_IDLE,	    /* idle ns per switch */
	ST_COL_WAIT_WOKEN,  /* a woken thread's runqueue wait, p50 ns */
	ST_COL_WAIT_PREEMPT, /* a preempted thread's, p50 ns */
	ST_COL_OTHER,	    /* other tasks' ns per switch */
	ST_COL_WAIT_SUM,    /* all runqueue waits, ns per switch */
	ST_COL_WAIT_P99,    /* runqueue waits' p99 ns */
	ST_COL_LATE_P99,    /* a hog experiment's probe lateness, p99 ns */
	ST_COL_UNITS,	    /* the hog's work per ms */
	ST_NR_COLS
};

struct st_lab_col_info {
	const char *head;  /* the column's heading, 8 columns at most */
	const char *unit;  /* "ns": printed as a duration; "x": a ratio; "": a count */
	bool traced;	   /* needs the tracer (a bare run leaves it blank) */
	const char *what;  /* the legend under the table */
};
extern const struct st_lab_col_info st_lab_cols[ST_NR_COLS];

struct st_lab {
	int number;
	const char *slug;     /* docs/labs/NN-SLUG.md */
	const char *title;
	const char *question; /* the lab's question, one paragraph */
	const struct st_lab_exp exps[ST_LAB_MAX_EXPS];
	int nr_exps;
	const enum st_lab_col cols[ST_LAB_MAX_COLS];
	int nr_cols;
	const char *questions[ST_LAB_MAX_QUESTIONS]; /* to answer, after the table */
	int rounds;	      /* default rounds */
};

extern const struct st_lab st_labs[];
extern const int st_nr_labs;

/* Lab number n, NULL for none. */
const struct st_lab *st_lab_find(int n);

/*
 * Column col of run (the first experiment's run is base, for the ratio);
 * false when it has no value there (not traced, not measured, no such
 * figure).
 */
bool st_lab_value(enum st_lab_col col, const struct st_run *run, const struct st_run *base, double *out);

#endif
