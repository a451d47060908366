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

/*
 * One set of figures from the runs of the same workload (compare's rounds):
 * rounds[r][0..nr[r]) each. Counts (st_metric_summed, NAME_samples) are
 * added, NAME_max_ns takes the largest and NAME_min_ns the smallest, any
 * other number the median over the rounds that wrote it, and a word (go's
 * version, mn's handoff) the first round's. Replaces out's metrics.
 */
void st_metrics_of_rounds(struct st_workload_result *out, const struct st_metric (*rounds)[ST_MAX_METRICS],
			  const int *nr, int n);

#endif
