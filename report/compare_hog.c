// SPDX-License-Identifier: GPL-2.0
/*
 * compare_hog.c — the CPU-hog experiments side by side (the seed's second
 * half): how late a 1 ms probe ran beside a hog in each model, what the hog
 * got done, and sentences drawn from those numbers: who waited out the
 * whole chunk, what preemption bought and cost.
 */
#include <string.h>
#include "compare_parts.h"
#include "format.h"
#include "metrics.h"
#include "text_parts.h"

#define MAX_HOGS 16

struct hog_row {
	const struct st_run *run;
	double hog_ns, p50, p99, max, units_per_ms, slice_ns, preemptions, cost_p50;
};

/* The runs that measured a probe's lateness, in the compare's order. */
static int gather(const struct st_compare *c, struct hog_row *rows)
{
	int n = 0;

	for (int i = 0; i < c->nr_pinned && n < MAX_HOGS; i++) {
		const struct st_workload_result *r = &c->pinned[i].result;
		struct hog_row *h = &rows[n];
		double ms = 0;

		memset(h, 0, sizeof(*h));
		if (!st_metric_num(r, "lateness_all_p99_ns", &h->p99))
			continue;
		h->run = &c->pinned[i];
		st_metric_num(r, "hog_ms", &ms);
		h->hog_ns = ms * 1e6;
		st_metric_num(r, "lateness_all_p50_ns", &h->p50);
		st_metric_num(r, "lateness_all_max_ns", &h->max);
		st_metric_num(r, "median_hog_units_per_ms", &h->units_per_ms);
		st_metric_num(r, "preempt_slice_ns", &h->slice_ns);
		st_metric_num(r, "preemptions", &h->preemptions);
		st_metric_num(r, "preempt_cost_all_p50_ns", &h->cost_p50);
		n++;
	}
	return n;
}

static void cell(FILE *f, double ns, int width)
{
	char b[32];

	st_fput_padded(f, ns > 0 ? st_fmt_ns(b, sizeof(b), ns) : "-", width, 1);
}

static void table(FILE *f, const struct hog_row *rows, int n)
{
	char b[32];

	fprintf(f, "Under a CPU hog: a probe wants the CPU every 1 ms (median over rounds)\n");
	fprintf(f, "  %-17s%8s%10s%10s%10s%10s%9s\n", "workload", "hog", "late p50", "p99", "max", "units/ms",
		"preempt");
	for (int i = 0; i < n; i++) {
		const struct hog_row *h = &rows[i];

		fprintf(f, "  %-17s", h->run->workload);
		cell(f, h->hog_ns, 8);
		cell(f, h->p50, 10);
		cell(f, h->p99, 10);
		cell(f, h->max, 10);
		snprintf(b, sizeof(b), "%.0f", h->units_per_ms);
		st_fput_padded(f, h->units_per_ms > 0 ? b : "-", 10, 1);
		snprintf(b, sizeof(b), "%.0f", h->preemptions);
		st_fput_padded(f, h->slice_ns > 0 ? b : "-", 9, 1);
		fputc('\n', f);
	}
}

/* Did nothing cut the hog's chunk for the probe: its p99 at least half the chunk? */
static bool waited_out(const struct hog_row *h)
{
	return h->hog_ns > 0 && h->p99 >= 0.5 * h->hog_ns;
}

/* The cooperative row whose throughput a preempted one is set against: hog-coro's, else the first. */
static const struct hog_row *cooperative(const struct hog_row *rows, int n)
{
	const struct hog_row *any = NULL;

	for (int i = 0; i < n; i++)
		if (waited_out(&rows[i]) && rows[i].units_per_ms > 0) {
			if (!strcmp(rows[i].run->result.name, "hog-coro"))
				return &rows[i];
			any = any ? any : &rows[i];
		}
	return any;
}

/* "hog-loop, hog-coro and node-hog nothing interrupts ...": the rows that waited out the chunk, in one sentence. */
static void waited_out_sentence(struct st_para *p, const struct hog_row *rows, int n)
{
	int k = 0, total = 0;
	char a[32];

	for (int i = 0; i < n; i++)
		total += waited_out(&rows[i]);
	if (!total)
		return;
	st_para_add(p, "In ");
	for (int i = 0; i < n; i++)
		if (waited_out(&rows[i]))
			st_para_add(p, "%s%s", k++ ? (k == total ? " and " : ", ") : "", rows[i].run->workload);
	st_para_add(p, " nothing interrupts the hog: the probe waited out the chunk, p99 ");
	k = 0;
	for (int i = 0; i < n; i++)
		if (waited_out(&rows[i]))
			st_para_add(p, "%s%s", k++ ? (k == total ? " and " : ", ") : "", st_fmt_ns(a, sizeof(a), rows[i].p99));
	st_para_add(p, " beside a %s chunk. ", st_fmt_ns(a, sizeof(a), rows[0].hog_ns));
}

static void sentences(FILE *f, const struct hog_row *rows, int n)
{
	struct st_para p = { .len = 0 };
	const struct hog_row *coop = cooperative(rows, n);
	char a[32], b[32], c[32];

	waited_out_sentence(&p, rows, n);
	for (int i = 0; i < n; i++) {
		const struct hog_row *h = &rows[i];

		if (waited_out(h))
			continue;
		if (h->slice_ns > 0)
			st_para_add(&p, "In %s a %s slice cut the probe's p99 to %s, %.1fx the slice%s%s. ",
				    h->run->workload, st_fmt_ns(a, sizeof(a), h->slice_ns),
				    st_fmt_ns(b, sizeof(b), h->p99), h->p99 / h->slice_ns,
				    h->cost_p50 > 0 ? ", each preemption costing " : "",
				    h->cost_p50 > 0 ? st_fmt_ns(c, sizeof(c), h->cost_p50) : "");
		else
			st_para_add(&p, "In %s the kernel preempted the hog for the probe: p99 %s%s. ", h->run->workload,
				    st_fmt_ns(a, sizeof(a), h->p99), h->hog_ns > 0 ? ", far below the chunk" : "");
		if (coop && h->units_per_ms > 0)
			st_para_add(&p, "Its hog did %.0f%% of the work per ms the cooperative one (%s) did. ",
				    100 * h->units_per_ms / coop->units_per_ms, coop->run->workload);
	}
	st_para_flush(f, &p, ST_TEXT_WIDTH);
}

void st_cmp_hog(FILE *f, const struct st_compare *c)
{
	struct hog_row rows[MAX_HOGS];
	int n = gather(c, rows);

	if (!n)
		return;
	table(f, rows, n);
	fputc('\n', f);
	sentences(f, rows, n);
}
