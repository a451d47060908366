/* SPDX-License-Identifier: GPL-2.0 */
/*
 * switches_csv.h — `run --switches F`: one row per kernel switch of the
 * traced threads in the timeline's window (docs/switches-csv.md), derived
 * from the timeline's records by user/core/switches.h. RFC 4180 like csv.h:
 * a header row, CRLF line ends.
 */
#ifndef SCHEDTRACE_SWITCHES_CSV_H
#define SCHEDTRACE_SWITCHES_CSV_H

#include <stdio.h>
#include "model.h"
#include "switches.h"

/* The column names, in order: the header row (docs/switches-csv.md documents each). */
extern const char *const st_switches_csv_columns[];
extern const int st_switches_csv_nr_columns;

/* The rows of every run that recorded a timeline, in run order, after one header. 0, or -1 (errno). */
int st_switches_csv_write(FILE *f, const struct st_run *runs, int n);

/* One row, CRLF-terminated. */
void st_switches_csv_row(FILE *f, const struct st_switch_row *r);

/*
 * What the file cannot hold, one line on f (stderr) when there is something
 * to say: records the ring buffer lost (per CPU), or a recording cut at the
 * collector's limit. Nothing when the records are whole. Returns the lines written.
 */
int st_switches_csv_note(FILE *f, const char *path, const struct st_tl_counts *c);

#endif
