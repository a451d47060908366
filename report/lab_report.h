/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lab_report.h — a lab's worksheet (lab.h), on the terminal and as a page.
 * runs[i] is experiment i's run, merged over the rounds (NULL, or no
 * repeats, when it was not measured); runs NULL: the blank worksheet
 * (`lab N --questions`), to predict before measuring.
 */
#ifndef SCHEDTRACE_LAB_REPORT_H
#define SCHEDTRACE_LAB_REPORT_H

#include <stdio.h>
#include "lab.h"

/* Column c of run's row as the worksheet prints it: a duration, a ratio or a count; "-" when it has none. */
char *st_lab_cell(char *buf, size_t len, const struct st_lab *lab, int c, const struct st_run *run,
		  const struct st_run *base);

int st_lab_text(FILE *f, const struct st_lab *lab, const struct st_run *const *runs, int rounds);
int st_lab_html(FILE *f, const struct st_lab *lab, const struct st_run *const *runs, int rounds);

#endif
