/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compare_parts.h — the pieces of the compare report (text_compare.c puts
 * them together): the seed's figures beside this machine's
 * (compare_seed.c), pinned vs split (compare_split.c) and the CPU hogs
 * (compare_hog.c).
 */
#ifndef SCHEDTRACE_COMPARE_PARTS_H
#define SCHEDTRACE_COMPARE_PARTS_H

#include <stdio.h>
#include "compare.h"

/* Rounding noise (|v| < 0.05) as 0, so it never prints as -0.0. */
double st_cmp_tidy(double v);
/* coro-yield when it was run, else the cheapest pinned run; NULL when none. */
const struct st_run *st_cmp_baseline(const struct st_compare *c);

/* The seed's figures beside this machine's, and why they differ. */
void st_cmp_seed(FILE *f, const struct st_compare *c);
/* Go and Node beside our coroutines and the seed's Go, when they were in the set. */
void st_cmp_lang(FILE *f, const struct st_compare *c);
/* The CPU-hog runs side by side: the probe's lateness, the hog's work, preemption. */
void st_cmp_hog(FILE *f, const struct st_compare *c);
/* Each split run beside its pinned run: migrations, cross-CPU wakeups, idle, runqueue wait. */
void st_cmp_split(FILE *f, const struct st_compare *c);

#endif
