// SPDX-License-Identifier: GPL-2.0
/*
 * latency.c — percentiles, mean and max from a log-linear histogram. The slot
 * function itself lives in bpf/hist.h, shared with the kernel side.
 */
#include "latency.h"
#include "attribute.h"
#include "hist.h"

int st_hist_slot(__u64 v)
{
	return (int)st_hist_slot_of(v);
}

__u64 st_hist_slot_lo(int s)
{
	return st_hist_lo_of((__u32)s);
}

/* Slot 127 is open-ended; its nominal top (8 << 30 ns) stands in for infinity. */
__u64 st_hist_slot_hi(int s)
{
	return st_hist_lo_of((__u32)s + 1);
}

__u64 st_hist_count(const __u64 *hist)
{
	__u64 n = 0;

	for (int s = 0; s < ST_HIST_SLOTS; s++)
		n += hist[s];
	return n;
}

double st_hist_percentile(const __u64 *hist, double p)
{
	__u64 n = st_hist_count(hist);
	double rank, below = 0;

	if (n == 0)
		return 0;
	if (p < 0)
		p = 0;
	if (p > 1)
		p = 1;
	rank = p * (double)n;
	for (int s = 0; s < ST_HIST_SLOTS; s++) {
		double in = (double)hist[s], lo, hi;

		if (in == 0)
			continue;
		if (below + in >= rank) {
			lo = (double)st_hist_slot_lo(s);
			hi = (double)st_hist_slot_hi(s);
			return lo + (hi - lo) * (rank - below) / in;
		}
		below += in;
	}
	return st_hist_max_bound(hist); /* not reached: rank <= n */
}

double st_hist_max_bound(const __u64 *hist)
{
	for (int s = ST_HIST_SLOTS - 1; s >= 0; s--)
		if (hist[s])
			return (double)(st_hist_slot_hi(s) - 1);
	return 0;
}

double st_hist_mean_estimate(const __u64 *hist)
{
	double sum = 0;
	__u64 n = st_hist_count(hist);

	if (n == 0)
		return 0;
	for (int s = 0; s < ST_HIST_SLOTS; s++)
		if (hist[s])
			sum += (double)hist[s] *
			       ((double)st_hist_slot_lo(s) + (double)(st_hist_slot_hi(s) - 1)) / 2;
	return sum / (double)n;
}

/* Percentiles from the histogram, never above the maximum. */
static void percentiles(struct st_latency *l, const __u64 *hist)
{
	l->p50_ns = st_hist_percentile(hist, 0.50);
	l->p90_ns = st_hist_percentile(hist, 0.90);
	l->p99_ns = st_hist_percentile(hist, 0.99);
	/* interpolation may overshoot a max the kernel measured exactly */
	if (l->p50_ns > l->max_ns)
		l->p50_ns = l->max_ns;
	if (l->p90_ns > l->max_ns)
		l->p90_ns = l->max_ns;
	if (l->p99_ns > l->max_ns)
		l->p99_ns = l->max_ns;
}

static void counts_and_mean(struct st_latency *l, const __u64 *hist, double exact_sum_ns, __u64 exact_count)
{
	for (int s = 0; s < ST_HIST_SLOTS; s++)
		l->hist[s] = hist[s];
	l->count = st_hist_count(hist);
	if (l->count == 0 && exact_count)
		l->count = exact_count;
	l->mean_ns = exact_count ? exact_sum_ns / (double)exact_count : st_hist_mean_estimate(hist);
}

/*
 * The kernel side keeps each window's maximum (zeroed at its start), so
 * max_ns is a measured value when there is one. Without it, the top of the
 * highest non-empty slot bounds the truth, and max_exact says so.
 */
void st_latency_fill(struct st_latency *l, const __u64 *hist, double exact_sum_ns,
		     __u64 exact_count, __u64 window_max_ns)
{
	counts_and_mean(l, hist, exact_sum_ns, exact_count);
	l->max_exact = window_max_ns > 0 && l->count > 0;
	l->max_ns = l->max_exact ? (double)window_max_ns : st_hist_max_bound(hist);
	percentiles(l, hist);
}

void st_latency_fill_bounded(struct st_latency *l, const __u64 *hist, __u64 bound_ns)
{
	double top;

	counts_and_mean(l, hist, 0, 0);
	top = st_hist_max_bound(hist);
	l->max_exact = false;
	l->max_ns = bound_ns && (double)bound_ns < top ? (double)bound_ns : top;
	percentiles(l, hist);
}
