/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pair_words.h — `schedtrace report A.json B.json` (user/core/pair.h): the
 * sentences both renderers print, drawn from the numbers alone, and the two
 * renderers (text_pair.c, html_pair.c).
 */
#ifndef SCHEDTRACE_PAIR_WORDS_H
#define SCHEDTRACE_PAIR_WORDS_H

#include <stdio.h>
#include "format.h"
#include "pair.h"

/*
 * How the two machines differ, in sentences: "Same machine: ..." and how far
 * apart the two were made, or each difference (CPU, kernel, virtualization,
 * clocksource, CPUs online, PTI and the calibrated mode switch, the other
 * mitigations) and that the comparison is then to be read as ratios within
 * each file. Appended to p.
 */
void st_pair_machine_words(struct st_para *p, const struct st_pair *pair);

/*
 * One paired run: "B is slower: ..." / "B is faster: ..." / "the same within
 * 2%", what changed most and its share of the change, and a sentence when
 * the two were traced differently (--light, --no-trace). Appended to p.
 */
void st_pair_row_words(struct st_para *p, const struct st_pair_row *r);

/* "pthread on CPU 0" / "on CPUs 0,1" / "on any CPU" */
void st_pair_run_label(char *buf, size_t len, const struct st_run *run);

/* The two reports side by side, as text; files: the names A and B stand for. 0, or -1 when writing failed. */
int st_report_pair_text(FILE *f, const struct st_pair *pair, const char *file_a, const char *file_b);

/* The same as a self-contained HTML page (html.c's style and helpers, a grouped bar chart per pair). */
int st_report_pair_html(FILE *f, const struct st_pair *pair, const char *file_a, const char *file_b);

#endif
