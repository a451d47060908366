// SPDX-License-Identifier: GPL-2.0
/* pair.c — see pair.h. */
#include <math.h>
#include <stddef.h>
#include <string.h>
#include "pair.h"
#include "stats.h"

const char *const st_pair_count_names[ST_NR_PAIR_COUNTS] = {
	[ST_PC_SYSCALLS] = "system calls",
	[ST_PC_KERNEL_SWITCHES] = "kernel switches",
	[ST_PC_MIGRATIONS] = "migrations",
};

void st_pair_val(struct st_pair_val *v, double a, double b)
{
	v->a = a;
	v->b = b;
	v->diff = b - a;
	v->ratio = a > 0 && b >= 0 ? b / a : NAN;
}

void st_pair_most_of(const struct st_pair_row *r, struct st_pair_most *m)
{
	double best = 0, change = r->total.diff;

	m->dir = 0;
	m->part = -1;
	m->share = NAN;
	if (r->ns.a > 0 && r->ns.b > r->ns.a * (1 + ST_PAIR_SAME))
		m->dir = 1;
	else if (r->ns.a > 0 && r->ns.b < r->ns.a * (1 - ST_PAIR_SAME))
		m->dir = -1;
	if (!m->dir || !r->traced)
		return;
	/* the part that went furthest the way ns/switch went */
	for (int p = 0; p < ST_NR_PARTS; p++)
		if (r->part[p].diff * m->dir > best) {
			best = r->part[p].diff * m->dir;
			m->part = p;
		}
	if (m->part >= 0 && change * m->dir > 0)
		m->share = r->part[m->part].diff / change;
}

static void fill_row(struct st_pair_row *r, const struct st_run *a, const struct st_run *b)
{
	const struct st_breakdown *ma = st_run_median_repeat(a), *mb = st_run_median_repeat(b);
	double pa[ST_NR_PARTS], pb[ST_NR_PARTS], ta = 0, tb = 0;
	static const size_t counts[ST_NR_PAIR_COUNTS] = {
		[ST_PC_SYSCALLS] = offsetof(struct st_breakdown, syscalls),
		[ST_PC_KERNEL_SWITCHES] = offsetof(struct st_breakdown, kernel_switches),
		[ST_PC_MIGRATIONS] = offsetof(struct st_breakdown, migrations),
	};

	memset(r, 0, sizeof(*r));
	r->a = a;
	r->b = b;
	r->traced = a->traced && b->traced;
	st_pair_val(&r->ns, a->summary.ns_per_switch, b->summary.ns_per_switch);
	/* the median repeat's parts add up to its time; the field-by-field summary's need not */
	st_parts_of(ma ? ma : &a->summary, 1, pa);
	st_parts_of(mb ? mb : &b->summary, 1, pb);
	for (int p = 0; p < ST_NR_PARTS; p++) {
		st_pair_val(&r->part[p], pa[p], pb[p]);
		ta += pa[p];
		tb += pb[p];
	}
	st_pair_val(&r->total, ta, tb);
	for (int c = 0; c < ST_NR_PAIR_COUNTS; c++)
		st_pair_val(&r->count[c], *(const double *)((const char *)&a->summary + counts[c]),
			    *(const double *)((const char *)&b->summary + counts[c]));
	st_pair_val(&r->mode_switch_cal, a->cal.mode_switch_ns, b->cal.mode_switch_ns);
	st_pair_most_of(r, &r->most);
}

/* coro-yield when paired, else the row cheapest on A; -1 with fewer than two rows. */
static int baseline(const struct st_pair *p)
{
	int best = -1;

	if (p->nr_rows < 2)
		return -1;
	for (int i = 0; i < p->nr_rows; i++)
		if (!strcmp(p->rows[i].a->workload, "coro-yield"))
			return i;
	for (int i = 0; i < p->nr_rows; i++)
		if (p->rows[i].ns.a > 0 && (best < 0 || p->rows[i].ns.a < p->rows[best].ns.a))
			best = i;
	return best;
}

static void within_runs(struct st_pair *p)
{
	const struct st_pair_val *base;

	p->base = baseline(p);
	if (p->base < 0)
		return;
	base = &p->rows[p->base].ns;
	for (int i = 0; i < p->nr_rows; i++)
		st_pair_val(&p->within[i], base->a > 0 ? p->rows[i].ns.a / base->a : NAN,
			    base->b > 0 ? p->rows[i].ns.b / base->b : NAN);
}

/* The median of the runs' calibrated mode switch, over those that have one. */
static double file_mode_switch(const struct st_run *runs, int n)
{
	double v[ST_PAIR_MAX_RUNS];
	int m = 0;

	for (int i = 0; i < n; i++)
		if (runs[i].traced && runs[i].cal.mode_switch_ns > 0)
			v[m++] = runs[i].cal.mode_switch_ns;
	return st_median(v, m);
}

void st_pair_runs(const struct st_run *a, int na, const struct st_run *b, int nb, struct st_pair *p)
{
	bool used[ST_PAIR_MAX_RUNS] = { false };

	memset(p, 0, sizeof(*p));
	na = na < ST_PAIR_MAX_RUNS ? na : ST_PAIR_MAX_RUNS;
	nb = nb < ST_PAIR_MAX_RUNS ? nb : ST_PAIR_MAX_RUNS;
	for (int i = 0; i < na; i++) {
		int j = 0;

		while (j < nb && (used[j] || strcmp(a[i].workload, b[j].workload) || strcmp(a[i].cpus, b[j].cpus)))
			j++;
		if (j == nb) {
			p->only_a[p->nr_only_a++] = &a[i];
			continue;
		}
		used[j] = true;
		fill_row(&p->rows[p->nr_rows++], &a[i], &b[j]);
	}
	for (int j = 0; j < nb; j++)
		if (!used[j])
			p->only_b[p->nr_only_b++] = &b[j];
	p->first_a = na > 0 ? a : NULL;
	p->first_b = nb > 0 ? b : NULL;
	if (na > 0 && nb > 0)
		st_machine_diff(&a[0].machine, &b[0].machine, &p->machine);
	st_pair_val(&p->mode_switch, file_mode_switch(a, na), file_mode_switch(b, nb));
	within_runs(p);
}
