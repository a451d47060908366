// SPDX-License-Identifier: GPL-2.0
/* compare.c — see compare.h. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "attribute.h"
#include "compare.h"
#include "stats.h"

const char *const st_part_names[ST_NR_PARTS] = {
	[ST_PART_USER] = "user code",
	[ST_PART_MODE_SWITCH] = "mode switch",
	[ST_PART_SCHED_WORK] = "kernel: scheduler work",
	[ST_PART_SYSCALL_WORK] = "kernel: syscall work",
	[ST_PART_RETURN_PATH] = "kernel: return path",
	[ST_PART_OTHER_TASKS] = "other tasks",
	[ST_PART_IDLE] = "idle",
	[ST_PART_TRACER] = "tracer (estimate)",
	[ST_PART_UNEXPLAINED] = "unexplained",
};

void st_parts_of(const struct st_breakdown *b, double scale, double out[ST_NR_PARTS])
{
	out[ST_PART_USER] = b->user * scale;
	out[ST_PART_MODE_SWITCH] = b->mode_switch * scale;
	out[ST_PART_SCHED_WORK] = b->sched_work * scale;
	out[ST_PART_SYSCALL_WORK] = b->syscall_work * scale;
	out[ST_PART_RETURN_PATH] = b->return_path * scale;
	out[ST_PART_OTHER_TASKS] = b->other_tasks * scale;
	out[ST_PART_IDLE] = b->idle * scale;
	out[ST_PART_TRACER] = b->tracer * scale;
	out[ST_PART_UNEXPLAINED] = b->unexplained * scale;
}

void st_spread_of(const double *v, int n, struct st_spread *s)
{
	double sorted[ST_MAX_REPEATS], sum = 0, sq = 0;

	memset(s, 0, sizeof(*s));
	if (n > ST_MAX_REPEATS)
		n = ST_MAX_REPEATS;
	if (n < 1)
		return;
	memcpy(sorted, v, sizeof(v[0]) * (size_t)n);
	qsort(sorted, (size_t)n, sizeof(sorted[0]), st_cmp_double);
	s->n = n;
	s->min = sorted[0];
	s->max = sorted[n - 1];
	/* the same median st_breakdown_median takes: the mean of the middle two for even n */
	s->median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
	for (int i = 0; i < n; i++)
		sum += sorted[i];
	s->mean = sum / n;
	for (int i = 0; i < n; i++)
		sq += (sorted[i] - s->mean) * (sorted[i] - s->mean);
	s->sd = n > 1 ? sqrt(sq / (n - 1)) : 0;
	s->cv = s->mean > 0 ? s->sd / s->mean : 0;
}

bool st_spread_noisy(const struct st_spread *s)
{
	return s->n > 1 && s->cv > ST_NOISY_CV;
}

void st_run_spread(const struct st_run *run, struct st_spread *s)
{
	double v[ST_MAX_REPEATS];
	int n = run->nr_repeats < ST_MAX_REPEATS ? run->nr_repeats : ST_MAX_REPEATS;

	for (int i = 0; i < n; i++)
		v[i] = run->repeat[i].ns_per_switch;
	st_spread_of(v, n, s);
}

const struct st_breakdown *st_run_median_repeat(const struct st_run *run)
{
	int n = run->nr_repeats < ST_MAX_REPEATS ? run->nr_repeats : ST_MAX_REPEATS;

	for (int i = 0; i < n; i++) {
		int below = 0, equal = 0;

		for (int j = 0; j < n; j++) {
			below += run->repeat[j].ns_per_switch < run->repeat[i].ns_per_switch;
			equal += run->repeat[j].ns_per_switch == run->repeat[i].ns_per_switch;
		}
		/* sorted position (n - 1) / 2 falls within i's run of equal values */
		if (below <= (n - 1) / 2 && (n - 1) / 2 < below + equal)
			return &run->repeat[i];
	}
	return n > 0 ? &run->repeat[0] : NULL;
}

double st_run_switches_per_round_trip(const struct st_run *run)
{
	const struct st_repeat_result *r = &run->result.repeat[0];

	if (run->result.nr_repeats < 1 || !r->round_trips || !r->switches)
		return 0;
	return (double)r->switches / (double)r->round_trips;
}

double st_ratio(double a, double b)
{
	return b > 0 ? a / b : 0;
}

void st_gap_split(const struct st_breakdown *hi, double scale_hi, const struct st_breakdown *lo,
		  double scale_lo, struct st_gap *g)
{
	double ph[ST_NR_PARTS], pl[ST_NR_PARTS], named = 0;

	memset(g, 0, sizeof(*g));
	g->hi_ns = hi->ns_per_switch * scale_hi;
	g->lo_ns = lo->ns_per_switch * scale_lo;
	g->gap_ns = g->hi_ns - g->lo_ns;
	g->ratio = st_ratio(g->hi_ns, g->lo_ns);
	st_parts_of(hi, scale_hi, ph);
	st_parts_of(lo, scale_lo, pl);
	for (int p = 0; p < ST_PART_UNEXPLAINED; p++) {
		g->part_ns[p] = ph[p] - pl[p];
		named += g->part_ns[p];
	}
	g->part_ns[ST_PART_UNEXPLAINED] = g->gap_ns - named;
	for (int p = 0; p < ST_NR_PARTS; p++)
		g->part_pct[p] = g->gap_ns != 0 ? 100 * g->part_ns[p] / g->gap_ns : 0;
}

void st_run_append(struct st_run *acc, const struct st_run *one)
{
	if (one->nr_repeats < 1)
		return;
	if (acc->nr_repeats == 0) {
		*acc = *one;
		return;
	}
	for (int i = 0; i < one->nr_repeats && acc->nr_repeats < ST_MAX_REPEATS; i++)
		acc->repeat[acc->nr_repeats++] = one->repeat[i];
	for (int i = 0; i < one->result.nr_repeats && acc->result.nr_repeats < ST_MAX_REPEATS; i++)
		acc->result.repeat[acc->result.nr_repeats++] = one->result.repeat[i];
}

void st_run_finish(struct st_run *acc, int rounds_planned)
{
	acc->result.repeats_planned = rounds_planned;
	acc->complete = acc->nr_repeats >= rounds_planned;
	acc->result.complete = acc->complete;
	if (acc->nr_repeats > 0)
		st_breakdown_median(acc->repeat, acc->nr_repeats, &acc->summary);
}

int st_find_run(const struct st_run *runs, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(runs[i].workload, name))
			return i;
	return -1;
}

static void add_why(char *why, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add_why(char *why, size_t len, const char *fmt, ...)
{
	size_t used = len ? strlen(why) : 0;
	va_list ap;

	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(why + used, len - used, fmt, ap);
	va_end(ap);
}

int st_check_order(const struct st_run *runs, int n, double tol, char *why, size_t why_len)
{
	static const char *const chain[] = { "coro-yield", "coro-chan", "futex", "pthread" };
	const struct st_run *prev = NULL;
	int bad = 0, e;

	if (why_len)
		why[0] = '\0';
	for (size_t i = 0; i < sizeof(chain) / sizeof(chain[0]); i++) {
		int k = st_find_run(runs, n, chain[i]);
		double a, b;

		if (k < 0)
			continue;
		if (prev) {
			a = prev->summary.ns_per_switch;
			b = runs[k].summary.ns_per_switch;
			if (!(a <= b * (1 + tol))) {
				add_why(why, why_len, "%s (%.1f ns) should cost less than %s (%.1f ns)\n",
					prev->workload, a, runs[k].workload, b);
				bad++;
			}
		}
		prev = &runs[k];
	}
	e = st_find_run(runs, n, "epoll");
	if (e >= 0) {
		const struct st_breakdown *b = &runs[e].summary;

		if (runs[e].traced && !(b->syscalls > 0.5)) {
			add_why(why, why_len, "epoll should make system calls (%.2f per switch)\n", b->syscalls);
			bad++;
		}
		if (runs[e].traced && !(b->kernel_switches < 0.05)) {
			add_why(why, why_len, "epoll should not switch threads in the kernel (%.2f per switch)\n",
				b->kernel_switches);
			bad++;
		}
	}
	return bad;
}
