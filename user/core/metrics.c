// SPDX-License-Identifier: GPL-2.0
/* metrics.c — see metrics.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "metrics.h"
#include "stats.h"

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

static const struct st_metric *find_in(const struct st_metric *m, int nr, const char *key)
{
	for (int i = 0; i < nr && i < ST_MAX_METRICS; i++)
		if (!strcmp(m[i].key, key))
			return &m[i];
	return NULL;
}

static struct st_metric *find(const struct st_workload_result *r, const char *key)
{
	return (struct st_metric *)find_in(r->metrics, r->nr_metrics, key);
}

const char *st_metric(const struct st_workload_result *r, const char *key)
{
	const struct st_metric *m = find(r, key);

	return m ? m->value : NULL;
}

/* A whole number or a decimal: false for a word, an empty value or NULL. */
static bool parse_num(const char *s, double *out)
{
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

bool st_metric_num(const struct st_workload_result *r, const char *key, double *out)
{
	return parse_num(st_metric(r, key), out);
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

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && !strcmp(s + n - t, tail);
}

/* The value of key in one round's metrics as a number; false when absent or a word. */
static bool round_num(const struct st_metric *m, int nr, const char *key, double *out)
{
	const struct st_metric *f = find_in(m, nr, key);

	return f && parse_num(f->value, out);
}

/* key's value over the rounds, by the rule its name says (metrics.h). */
static void merge_key(struct st_workload_result *out, const char *key, const struct st_metric (*rounds)[ST_MAX_METRICS],
		      const int *nr, int n, const char *first)
{
	double v[ST_MAX_REPEATS], x, acc = 0;
	int k = 0;
	char buf[ST_METRIC_LEN];

	for (int r = 0; r < n && k < ST_MAX_REPEATS; r++)
		if (round_num(rounds[r], nr[r], key, &x))
			v[k++] = x;
	if (k == 0) { /* a word: the first round's */
		st_metric_put(out, key, first);
		return;
	}
	if (st_metric_summed(key) || ends_with(key, "_samples"))
		for (int i = 0; i < k; i++)
			acc += v[i];
	else if (ends_with(key, "_max_ns") || ends_with(key, "_min_ns"))
		for (int i = 0; i < k; i++)
			acc = i == 0 || (ends_with(key, "_max_ns") ? v[i] > acc : v[i] < acc) ? v[i] : acc;
	else
		acc = st_median(v, k);
	snprintf(buf, sizeof(buf), "%.17g", acc);
	st_metric_put(out, key, buf);
}

void st_metrics_of_rounds(struct st_workload_result *out, const struct st_metric (*rounds)[ST_MAX_METRICS],
			  const int *nr, int n)
{
	out->nr_metrics = 0;
	for (int r = 0; r < n; r++)
		for (int i = 0; i < nr[r] && i < ST_MAX_METRICS; i++)
			if (!st_metric(out, rounds[r][i].key))
				merge_key(out, rounds[r][i].key, rounds, nr, n, rounds[r][i].value);
}
