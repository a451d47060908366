/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dist.h — a latency distribution from raw samples: nearest-rank
 * percentiles, and the sparse power-of-two histogram the result protocol
 * carries (docs/result-protocol.md, "Distributions"). Pure functions, so
 * tests/test_dist.c checks them against hand-worked samples.
 *
 * Nearest rank: the p-th percentile of n sorted samples is the sample at
 * rank ceil(p * n) (1-based), so it is always one of the samples; p50 of
 * {1, 2, 3, 4} is 2, p99 of 100 samples is the 99th, of 10 samples the 10th.
 */
#ifndef WL_DIST_H
#define WL_DIST_H

#include <stddef.h>
#include <stdint.h>

struct wl_dist {
	size_t n;
	uint64_t min, p50, p90, p99, p999, max;
	double mean;
};

/* Sorts v[0..n) ascending and summarises it; all zero for n == 0. */
struct wl_dist wl_dist_of(uint64_t *v, size_t n);
/* Nearest-rank percentile of sorted[0..n), per_mille in 1..1000 (500: p50). n >= 1. */
uint64_t wl_percentile(const uint64_t *sorted, size_t n, unsigned per_mille);
/* "b:count,b:count,..." for the non-empty buckets, b ascending: bucket b holds
 * [2^b, 2^(b+1)) ns, bucket 0 also 0 ns. Returns the length, or -1 if buf is
 * too small (buf then holds a truncated list). */
int wl_hist_pow2(const uint64_t *v, size_t n, char *buf, size_t len);

/* A growing array of samples. push dies (wl_die) when memory runs out. */
struct wl_samples {
	uint64_t *v;
	size_t n, cap;
};
void wl_samples_push(struct wl_samples *s, uint64_t x);
void wl_samples_free(struct wl_samples *s);

#endif /* WL_DIST_H */
