/* SPDX-License-Identifier: GPL-2.0 */
/*
 * html.h — the HTML report: one self-contained page (inline CSS and SVG, no
 * script, no network). html.c lays out the page and its tables; html_svg.c
 * draws the charts.
 */
#ifndef SCHEDTRACE_HTML_H
#define SCHEDTRACE_HTML_H

#include <stddef.h>
#include <stdio.h>
#include "model.h"

/* The CPU-time parts of a breakdown, in the order the report stacks them. */
struct st_html_part {
	const char *name;
	const char *what;
	const char *color;
	size_t off; /* of the double in struct st_breakdown */
};

#define ST_HTML_NR_PARTS 9
#define ST_HTML_MAX_RUNS 32 /* runs one page shows (a compare set holds at most 32) */
extern const struct st_html_part st_html_parts[ST_HTML_NR_PARTS];

double st_html_part_ns(const struct st_breakdown *b, int part);

/*
 * The breakdown whose parts the charts stack: the median repeat's, whose parts
 * add up to its time (a field-by-field median's need not), with the
 * summary's ns/switch, as `compare` does; the summary when there are no
 * repeats.
 */
void st_html_parts_of(const struct st_run *run, struct st_breakdown *out);

/* text with & < > " ' escaped, for element content and attribute values */
void st_html_escape(FILE *f, const char *s);

/* "pthread, CPU 0" / "pthread, CPUs 0,1" / "pthread, any CPU" */
void st_html_run_label(char *buf, size_t len, const struct st_run *run);

/*
 * One stacked bar per run of the CPU-time parts. With a shared scale the bars
 * are comparable in length (runs of one workload); without, each bar is its
 * own 100% (workloads 100x apart) and its total is written at its end.
 */
void st_svg_parts_bars(FILE *f, const struct st_run *const *runs, int n, int shared_scale);

/* The runqueue-wait histogram (log-linear slots) with its p50 and p99 marked. */
void st_svg_latency_hist(FILE *f, const struct st_latency *l, const char *title);

/* From fast's ns per switch to slow's, part by part: where the difference goes. */
void st_svg_gap(FILE *f, const struct st_run *fast, const struct st_run *slow);

/* A page of its own (the lab worksheet): the head with the report's style, the machine, the footer. */
void st_html_page_start(FILE *f, const char *title);
void st_html_machine(FILE *f, const struct st_run *run);
void st_html_page_end(FILE *f);

/*
 * A grouped bar per part: A's bar (the part's colour) above B's (the same,
 * lighter), on one scale from the lowest value (0 or below) to the highest,
 * each bar's value at its end. a[0..n), b[0..n) in ns; names[k] labels group
 * k, colors[k] fills it.
 */
void st_svg_pair_bars(FILE *f, const double *a, const double *b, int n, const char *const *names,
		      const char *const *colors);

/* <td> cells: a duration (st_fmt_ns, "n/a" when not finite), a number in fmt ("n/a" likewise). */
void st_html_td_ns(FILE *f, double ns);
void st_html_td_num(FILE *f, const char *fmt, double v);
/* The run's machine and calibration as a <dl> (st_html_machine puts it in a section). */
void st_html_machine_block(FILE *f, const struct st_run *r);

/* The page: every run of a compare set, the gap and pinned/unpinned when present. */
int st_html_write(FILE *f, const struct st_run *runs, int n);

#endif
