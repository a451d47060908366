/* SPDX-License-Identifier: GPL-2.0 */
/*
 * latency.h — reading the log-linear histograms of bpf/hist.h back:
 * percentiles, mean and max of a window's histogram delta. Pure C.
 */
#ifndef SCHEDTRACE_LATENCY_H
#define SCHEDTRACE_LATENCY_H

#include "model.h"

/* Slot a value falls in: the same function the BPF side uses (bpf/hist.h). */
int st_hist_slot(__u64 v);
/* Lower bound of slot s. */
__u64 st_hist_slot_lo(int s);
/* Upper bound (exclusive) of slot s: the lower bound of slot s + 1. */
__u64 st_hist_slot_hi(int s);

/* Number of values in hist[0..ST_HIST_SLOTS). */
__u64 st_hist_count(const __u64 *hist);

/*
 * Value below which a fraction p (0..1) of the values lie, interpolating
 * linearly inside the slot that holds that rank. 0 for an empty histogram.
 */
double st_hist_percentile(const __u64 *hist, double p);

/* Largest value the histogram may hold: the top of its highest non-empty slot. */
double st_hist_max_bound(const __u64 *hist);

/* Mean assuming each value sits at the middle of its slot. */
double st_hist_mean_estimate(const __u64 *hist);

/*
 * Fills l from a window's histogram delta. exact_sum_ns / exact_count give
 * the mean when the kernel keeps them (exact_count 0: estimate from the
 * histogram). window_max_ns is the window's measured maximum (0: none kept:
 * the top of the highest slot bounds it, max_exact false).
 */
void st_latency_fill(struct st_latency *l, const __u64 *hist, double exact_sum_ns,
		     __u64 exact_count, __u64 window_max_ns);

/* The same for a subset with no maximum of its own: bounded by bound_ns (a measured max of the whole). */
void st_latency_fill_bounded(struct st_latency *l, const __u64 *hist, __u64 bound_ns);

#endif
