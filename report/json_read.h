/* SPDX-License-Identifier: GPL-2.0 */
/*
 * json_read.h — a saved "schedtrace/1" document back into struct st_run, for
 * `schedtrace report`. Everything is checked (schema, types, ranges, sizes):
 * a truncated, corrupted or foreign file gives a one-phrase reason naming
 * where it went wrong, e.g. "runs[0].summary.cpu_time_ns.user: expected a
 * number, found a string".
 */
#ifndef SCHEDTRACE_JSON_READ_H
#define SCHEDTRACE_JSON_READ_H

#include <stddef.h>
#include "model.h"

#define ST_JSON_MAX_RUNS 32

/* On success returns 0 with *runs (calloc'd, free() it) holding *n >= 1 runs. */
int st_json_read(const char *text, size_t len, struct st_run **runs, int *n, char *err, size_t err_len);

/* The same for a file; err does not repeat the file name. */
int st_json_read_file(const char *path, struct st_run **runs, int *n, char *err, size_t err_len);

#endif
