// SPDX-License-Identifier: GPL-2.0
/* metrics.c — see metrics.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "metrics.h"

/* The per-repeat counts of the result protocol; its per-repeat distributions are read pooled (NAME_all_*). */
static const char *const summed[] = {
	"handoffs_same_worker", "handoffs_cross_running", "handoffs_cross_parked", "worker_parks", "steals",
	"blocking_calls", "worker_handoffs", "hog_units", "preemptions", "preempt_ticks", "preempt_deferred",
};

bool st_metric_summed(const char *key)
{
	for (size_t i = 0; i < sizeof(summed) / sizeof(summed[0]); i++)
		if (!strcmp(summed[i], key))
			return true;
	return false;
}

static struct st_metric *find(const struct st_workload_result *r, const char *key)
{
	int n = r->nr_metrics < ST_MAX_METRICS ? r->nr_metrics : ST_MAX_METRICS;

	for (int i = 0; i < n; i++)
		if (!strcmp(r->metrics[i].key, key))
			return (struct st_metric *)&r->metrics[i];
	return NULL;
}

const char *st_metric(const struct st_workload_result *r, const char *key)
{
	const struct st_metric *m = find(r, key);

	return m ? m->value : NULL;
}

bool st_metric_num(const struct st_workload_result *r, const char *key, double *out)
{
	const char *s = st_metric(r, key);
	char *end;
	double v;

	if (!s || !*s)
		return false;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

bool st_metric_put(struct st_workload_result *r, const char *key, const char *value)
{
	struct st_metric *m = find(r, key);

	if (strlen(key) >= ST_METRIC_LEN)
		return false;
	if (!m) {
		if (r->nr_metrics >= ST_MAX_METRICS)
			return false;
		m = &r->metrics[r->nr_metrics++];
		snprintf(m->key, sizeof(m->key), "%s", key);
	}
	snprintf(m->value, sizeof(m->value), "%s", value);
	return true;
}

bool st_metric_add(struct st_workload_result *r, const char *key, double v)
{
	char buf[ST_METRIC_LEN];
	double old = 0;

	st_metric_num(r, key, &old);
	snprintf(buf, sizeof(buf), "%.17g", old + v);
	return st_metric_put(r, key, buf);
}
