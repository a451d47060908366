/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stats.h — the small statistics every layer needs (median, the comparison
 * qsort takes). Pure C, no state; the workloads link it too (libworkload).
 */
#ifndef SCHEDTRACE_STATS_H
#define SCHEDTRACE_STATS_H

#include <stdint.h>

/* qsort comparisons, ascending: of two doubles, of two uint64_t. */
int st_cmp_double(const void *a, const void *b);
int st_cmp_u64(const void *a, const void *b);

/* Median of v[0..n), sorting v in place; the mean of the two middle values for even n; 0 for n <= 0. */
double st_median(double *v, int n);

/* The same without touching v (n <= 64; larger n are cut to the first 64). */
double st_median_of(const double *v, int n);

#endif
