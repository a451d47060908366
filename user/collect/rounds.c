// SPDX-License-Identifier: GPL-2.0
/* rounds.c — see rounds.h. */
#include <stdlib.h>
#include <string.h>
#include "compare.h"
#include "metrics.h"
#include "rounds.h"

void st_rounds_add(struct st_rounds *r, const struct st_run *one, int rounds)
{
	int n = one->result.nr_metrics;

	st_run_append(r->acc, one);
	if (one->nr_repeats < 1 || n < 1 || r->n >= rounds || r->n >= ST_MAX_REPEATS)
		return;
	/* without memory the first round's figures stay, as st_run_append copied them */
	if (!r->metrics && !(r->metrics = calloc((size_t)rounds, sizeof(*r->metrics))))
		return;
	memcpy(r->metrics[r->n], one->result.metrics, sizeof(one->result.metrics[0]) * (size_t)n);
	r->nr[r->n++] = n;
}

void st_rounds_finish(struct st_rounds *r, int rounds_planned)
{
	st_run_finish(r->acc, rounds_planned);
	if (r->n)
		st_metrics_of_rounds(&r->acc->result, r->metrics, r->nr, r->n);
	free(r->metrics);
	r->metrics = NULL;
	r->n = 0;
}
