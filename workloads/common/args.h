/* SPDX-License-Identifier: GPL-2.0 */
/*
 * args.h — the workloads' command-line and environment parsing, pure
 * functions so tests/test_workload_args.c can call them.
 */
#ifndef WL_ARGS_H
#define WL_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include "workload.h"

#define WL_MAX_ITERATIONS 1000000000000L	/* 10^12 */
#define WL_MAX_REPEATS    1000000L
#define WL_MAX_OPTIONS    16		/* entries of spec->options that are read */

/* Strict decimal: digits only (no sign, no spaces, no suffix), min..max.
 * Returns 0 and sets *out, or -1. */
int wl_parse_count(const char *s, long min, long max, long *out);

/* The one CPU-list parser: numbers and ranges, "0", "3,1", "0-3,6" (in that
 * order, at most max, each 0..CPU_SETSIZE-1; with distinct, none twice: a
 * set of CPUs, else a CPU per side or worker, which may share one). Returns
 * how many it stored in cpus[], or -1 with one line in err (err may be
 * NULL). Does not check that they exist: the callers check online or allowed. */
int wl_parse_cpus(const char *s, int *cpus, int max, bool distinct, char *err, size_t err_len);

/* Is cpu online and in this process's allowed set? */
bool wl_cpu_usable(int cpu);
/* The default CPU: 0, or the lowest allowed CPU when 0 is not allowed; -1 if none. */
int wl_default_cpu(void);

enum wl_parse_result { WL_PARSE_OK, WL_PARSE_HELP, WL_PARSE_ERROR };
/* Parses -n -w -r -C -h into opts (defaults from spec), and spec->options into
 * their *value. On WL_PARSE_ERROR,
 * err holds one line (no newline) saying what is wrong and what to do. */
enum wl_parse_result wl_parse_args(const struct wl_spec *spec, int argc, char **argv,
				   struct wl_opts *opts, char *err, size_t err_len);

/* An fd number from the environment variable var: -1 if unset, -2 (and err
 * filled) if set but not a number or not an open fd with the wanted access
 * (want_write: writable, else readable). */
int wl_env_fd(const char *var, bool want_write, char *err, size_t err_len);

/* Writes the -h text for spec to fp. */
#include <stdio.h>
void wl_usage(const struct wl_spec *spec, FILE *fp);

#endif /* WL_ARGS_H */
