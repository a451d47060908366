/* SPDX-License-Identifier: GPL-2.0 */
/*
 * witness.h — the breakdown checked against an independent measurement of
 * the same window: cpu-clock samples on the traced CPUs (user/collect/sampler.h)
 * say how much of the time a traced thread ran in user mode; the attribution
 * says how much was user code. Pure C over the model.
 */
#ifndef SCHEDTRACE_WITNESS_H
#define SCHEDTRACE_WITNESS_H

#include <stdbool.h>
#include "model.h"

/* Beyond this many points (and three standard errors) the two disagree. */
#define ST_WITNESS_POINTS 5.0

struct st_witness {
	bool sampled;		/* any sample was taken */
	__u64 samples;		/* on the traced CPUs, in all */
	double sampled_user;	/* share of the samples: a traced thread in user mode, 0..1 */
	double sampled_err;	/* its standard error (binomial) */
	double attributed_user; /* user / (ns per switch x CPUs), 0..1 */
	double diff_points;	/* (attributed - sampled) x 100 */
	bool disagrees;		/* |diff| > ST_WITNESS_POINTS and > 3 standard errors */
	bool too_few;		/* |diff| > ST_WITNESS_POINTS but within the sampling error */
};

void st_witness_of(const struct st_breakdown *b, struct st_witness *w);

/* One sentence saying what the witness found, into buf; returns buf. Empty when nothing was sampled. */
char *st_witness_sentence(char *buf, size_t len, const struct st_breakdown *b);

/*
 * What the witness judges in a run: the repeat with every hook when the
 * others (lean) took their user share from their own samples (a judge of
 * itself would always agree), else the summary.
 */
const struct st_breakdown *st_witness_subject(const struct st_run *run);

/* st_witness_sentence of the subject, and what the lean repeats' samples said; returns buf. */
char *st_witness_run_sentence(char *buf, size_t len, const struct st_run *run);

/*
 * The untraced window beside the repeat before it, corrected
 * (st_untraced_witness), as one sentence into buf; returns buf, empty when
 * the run has no such window.
 */
char *st_untraced_sentence(char *buf, size_t len, const struct st_run *run);

#endif
