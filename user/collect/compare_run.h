/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compare_run.h — what `schedtrace compare` measures: every workload traced
 * one repeat at a time, round after round in turn (the host drifts by tens
 * of percent over tens of seconds: never one block after another), gathered
 * per workload into one st_run each (user/core/compare.h). Before the
 * rounds, one run of each with every hook gives its split; the rounds run
 * without the detail hooks and borrow it (every_round: every hook in every
 * round). Library code: the CLI and the tests call it in-process.
 */
#ifndef SCHEDTRACE_COMPARE_RUN_H
#define SCHEDTRACE_COMPARE_RUN_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include "compare.h"
#include "run.h"

#define ST_COMPARE_DEFAULT_ROUNDS 3
#define ST_COMPARE_MAX_JOBS 32

struct st_compare_opts {
	const char *const *names; /* the workloads; nr_names 0: the catalog's compare set */
	int nr_names;
	int cpus[ST_RUN_MAX_CPUS]; /* nr_cpus 0: the lowest allowed CPU; 2: also split over both */
	int nr_cpus;
	long iterations;	   /* 0: each workload's compare size (workloads/common/catalog.c) */
	int rounds;
	bool every_round;
	bool recalibrate;
	bool progress;		   /* a progress line on stderr */
	volatile sig_atomic_t *stop;
};

/*
 * Measures. c's runs are allocated (st_compare_release frees them); an
 * interrupted compare keeps the workloads it reached (c->complete false).
 * Returns 0, ST_RUN_INTERRUPTED, or another negative errno with one line in err.
 */
int st_compare_run(const struct st_compare_opts *o, struct st_compare *c, char *err, size_t err_len);
void st_compare_release(struct st_compare *c);

#endif
