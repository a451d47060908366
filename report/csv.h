/* SPDX-License-Identifier: GPL-2.0 */
/*
 * csv.h — one row per workload per repeat (docs/csv.md), RFC 4180: a header
 * row, CRLF line ends, fields with a comma, quote or line break in quotes.
 */
#ifndef SCHEDTRACE_CSV_H
#define SCHEDTRACE_CSV_H

#include <stdio.h>
#include "model.h"

int st_csv_write(FILE *f, const struct st_run *runs, int n);

/* One field, quoted and its quotes doubled when it needs it. */
void st_csv_field(FILE *f, const char *s);

#endif
