/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report.h — renderers of struct st_run (model.h). Each writes to a FILE and
 * returns 0, or -1 with errno set when writing failed.
 */
#ifndef SCHEDTRACE_REPORT_H
#define SCHEDTRACE_REPORT_H

#include <stdio.h>
#include "model.h"

/* The terminal report: plain sentences, the table, the histogram, the machine. */
int st_report_text(FILE *f, const struct st_run *run);

/* Files asked for on the command line; NULL members are not written. */
struct st_outputs {
	const char *json;
	const char *csv;
	const char *html;
	const char *perfetto;
	const char *switches; /* run --switches: a CSV row per kernel switch (switches_csv.h) */
};

/*
 * Writes every file asked for, each atomically (temporary + rename) and owned
 * by the invoking user under sudo. runs[0..n) are one run or a compare set.
 * Returns 0, or -1 after printing one line per file that could not be written.
 */
int st_outputs_write(const struct st_outputs *o, const struct st_run *runs, int n);

/*
 * Before any work: every file asked for can be written (path_check.h), and
 * no two options name the same file. 0, or -1 with one line in err.
 */
int st_outputs_check(const struct st_outputs *o, char *err, size_t err_len);

#endif
