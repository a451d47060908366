// SPDX-License-Identifier: GPL-2.0
/* dist.c — see dist.h. */
#include <stdio.h>
#include <stdlib.h>
#include "dist.h"
#include "stats.h"
#include "workload.h"

uint64_t wl_percentile(const uint64_t *sorted, size_t n, unsigned per_mille)
{
	size_t rank = ((size_t)per_mille * n + 999) / 1000;	/* ceil(p * n), 1-based */

	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

struct wl_dist wl_dist_of(uint64_t *v, size_t n)
{
	struct wl_dist d = { .n = n };
	double sum = 0;

	if (n == 0)
		return d;
	qsort(v, n, sizeof(*v), st_cmp_u64);
	for (size_t i = 0; i < n; i++)
		sum += (double)v[i];
	d.min = v[0];
	d.max = v[n - 1];
	d.p50 = wl_percentile(v, n, 500);
	d.p90 = wl_percentile(v, n, 900);
	d.p99 = wl_percentile(v, n, 990);
	d.p999 = wl_percentile(v, n, 999);
	d.mean = sum / (double)n;
	return d;
}

static unsigned bucket_of(uint64_t ns)
{
	return ns < 2 ? 0 : 63u - (unsigned)__builtin_clzll(ns);
}

int wl_hist_pow2(const uint64_t *v, size_t n, char *buf, size_t len)
{
	size_t count[64] = { 0 }, used = 0;

	if (len == 0)
		return -1;
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		count[bucket_of(v[i])]++;
	for (unsigned b = 0; b < 64; b++) {
		int w;

		if (!count[b])
			continue;
		w = snprintf(buf + used, len - used, "%s%u:%zu", used ? "," : "", b, count[b]);
		if (w < 0 || (size_t)w >= len - used)
			return -1;
		used += (size_t)w;
	}
	return (int)used;
}

void wl_samples_push(struct wl_samples *s, uint64_t x)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 4096;
		uint64_t *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			wl_die("out of memory for %zu latency samples; lower -n", cap);
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = x;
}

void wl_samples_free(struct wl_samples *s)
{
	free(s->v);
	*s = (struct wl_samples){ 0 };
}
