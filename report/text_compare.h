/* SPDX-License-Identifier: GPL-2.0 */
/*
 * text_compare.h — the terminal report of `schedtrace compare`: the side by
 * side table with spread and noise flags, the CPU-time parts, the gap
 * explained, the seed's figures beside this machine's, and pinned vs split.
 */
#ifndef SCHEDTRACE_TEXT_COMPARE_H
#define SCHEDTRACE_TEXT_COMPARE_H

#include <stdio.h>
#include "compare.h"

/* Writes the whole report; 0, or -1 when writing failed. */
int st_report_compare_text(FILE *f, const struct st_compare *c);

#endif
