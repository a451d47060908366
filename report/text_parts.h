/* SPDX-License-Identifier: GPL-2.0 */
/*
 * text_parts.h — the pieces of the terminal report (report.h's
 * st_report_text puts them together), exposed for the unit tests.
 */
#ifndef SCHEDTRACE_TEXT_PARTS_H
#define SCHEDTRACE_TEXT_PARTS_H

#include <stdio.h>
#include "model.h"

#define ST_TEXT_WIDTH 78 /* columns the report keeps within */

/*
 * A log-linear histogram (bpf/hist.h slots) as rows "lo - hi  count |###|",
 * from the first to the last non-empty slot. One row per slot; when that
 * would be more than ST_TEXT_HIST_ROWS rows, one row per power of two (4
 * slots). A run of two or more empty rows in between prints as one. The
 * fullest row gets bar_width '#'s. Prints "(no samples)" for an empty one.
 */
#define ST_TEXT_HIST_ROWS 24
void st_text_hist(FILE *f, const __u64 *hist, int nslots, int bar_width);

/* The opening paragraphs: what one switch costs and where it goes, in words. */
void st_text_story(FILE *f, const struct st_run *run);

/* What the workload counted itself (metrics.h) beside the kernel's view: mn, hog-*, go-*. */
void st_text_workload(FILE *f, const struct st_run *run);

/* The machine block and the calibration used. */
void st_text_machine(FILE *f, const struct st_run *run);

#endif
