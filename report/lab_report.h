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

int st_lab_text(FILE *f, const struct st_lab *lab, const struct st_run *const *runs, int rounds);
int st_lab_html(FILE *f, const struct st_lab *lab, const struct st_run *const *runs, int rounds);

#endif
