/* SPDX-License-Identifier: GPL-2.0 */
/*
 * metrics.h — a workload's own figures (struct st_metric, model.h): how the
 * collector files them and how the reports read them. Pure C.
 */
#ifndef SCHEDTRACE_METRICS_H
#define SCHEDTRACE_METRICS_H

#include <stdbool.h>
#include "model.h"

/* The value written for key, NULL when the workload did not write it. */
const char *st_metric(const struct st_workload_result *r, const char *key);
/* The value of key as a number; false (and *out untouched) when absent or not a number. */
bool st_metric_num(const struct st_workload_result *r, const char *key, double *out);

/* Sets key to value (the last write wins); false when the table is full or key too long. */
bool st_metric_put(struct st_workload_result *r, const char *key, const char *value);
/* Adds v to key's number (0 when absent): a per-repeat count summed over the repeats. */
bool st_metric_add(struct st_workload_result *r, const char *key, double v);

/* Is key a per-repeat count the collector sums over the repeats (docs/result-protocol.md)? */
bool st_metric_summed(const char *key);

#endif
