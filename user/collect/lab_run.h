/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lab_run.h — measures a lab's experiments (lab.h) on this machine: one
 * repeat of each per round, in turn, starting one later each round (the
 * host drifts: never one block after another), as compare does. Library
 * code: the CLI and the tests call it in-process.
 */
#ifndef SCHEDTRACE_LAB_RUN_H
#define SCHEDTRACE_LAB_RUN_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include "lab.h"

struct st_lab_opts {
	const struct st_lab *lab;
	int rounds;	/* 0: the lab's own */
	int cpu;	/* the first CPU; -1: the lowest allowed */
	double scale;	/* the experiments' sizes times this (tests: 0.1); 0: 1 */
	bool recalibrate;
	bool progress;	/* a progress line on stderr */
	volatile sig_atomic_t *stop;
};

struct st_lab_result {
	struct st_run *runs;		   /* one per experiment, over the rounds (allocated) */
	const struct st_run *by_exp[ST_LAB_MAX_EXPS]; /* runs[i], for the worksheet */
	char skipped[ST_LAB_MAX_EXPS][160]; /* why an experiment did not run ("" when it did) */
	int rounds_done;
	bool complete;
};

/*
 * Measures. Returns 0, -EINTR when stopped (what was measured stays), or
 * another negative errno with one line in err. An experiment this machine
 * cannot run (one CPU, no perf, a workload not built) is skipped with its
 * reason, not an error; so is one whose workload fails (its reason says so).
 */
int st_lab_run(const struct st_lab_opts *o, struct st_lab_result *r, char *err, size_t err_len);
void st_lab_release(struct st_lab_result *r);

/* Does the lab need the tracer (root, BTF): any experiment traced? */
bool st_lab_traced(const struct st_lab *lab);

#endif
