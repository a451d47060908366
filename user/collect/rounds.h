/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rounds.h — one workload measured one repeat per round, interleaved with
 * others (compare, lab): its rounds gathered into one run, its own figures
 * (metrics.h) kept per round and merged at the end.
 */
#ifndef SCHEDTRACE_ROUNDS_H
#define SCHEDTRACE_ROUNDS_H

#include "model.h"

struct st_rounds {
	struct st_run *acc;			  /* the run the rounds go into */
	struct st_metric (*metrics)[ST_MAX_METRICS]; /* each round's figures; NULL until one has some */
	int nr[ST_MAX_REPEATS];
	int n;
};

/* Adds one round's run (its repeats, and its figures: at most `rounds` of them) to r->acc. */
void st_rounds_add(struct st_rounds *r, const struct st_run *one, int rounds);
/* The summary over the rounds, the figures merged; frees what st_rounds_add kept. */
void st_rounds_finish(struct st_rounds *r, int rounds_planned);

#endif
