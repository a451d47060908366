// SPDX-License-Identifier: GPL-2.0
/*
 * compare_split.c — each kernel-switching workload run twice: both sides on
 * one CPU, and side A and side B on two CPUs. Beside each other: ns/switch,
 * migrations, cross-CPU wakeups, idle, and the runqueue wait of wake-ups
 * that landed on the thread's last CPU vs another one.
 */
#include <string.h>
#include "compare_parts.h"
#include "format.h"
#include "text_parts.h"

static void lat_cell(FILE *f, const struct st_latency *l)
{
	char t[32];

	st_fput_padded(f, l->count ? st_fmt_ns(t, sizeof(t), l->p50_ns) : "-", 9, 1);
}

static void split_row(FILE *f, const char *name, const struct st_run *r)
{
	const struct st_breakdown *b = &r->summary;
	struct st_spread s;

	st_run_spread(r, &s);
	fprintf(f, "  %-9s%-5s%10.1f%4.0f%%%7.2f%8.2f%10.1f", name, r->cpus, b->ns_per_switch, 100 * s.cv,
		b->migrations, b->cross_cpu_wakeups, st_cmp_tidy(b->idle));
	lat_cell(f, &b->runq_local);
	lat_cell(f, &b->runq_migrated);
	fputc('\n', f);
}

/* How much dearer two CPUs make a hand-off, and where the time of the dearest one went. */
static void summary(FILE *f, const struct st_compare *c)
{
	const char *virt = c->split[0].machine.virtualization;
	const struct st_run *worst = NULL;
	double lo = 0, hi = 0, cpu, idle, other;
	char line[768], t[32], i_[32], o[32], r[32];
	size_t len;
	int n = 0;

	for (int i = 0; i < c->nr_split; i++) {
		int k = st_find_run(c->pinned, c->nr_pinned, c->split[i].workload);
		double x;

		if (k < 0 || c->pinned[k].summary.ns_per_switch <= 0 || c->split[i].summary.ns_per_switch <= 0)
			continue;
		x = c->split[i].summary.ns_per_switch / c->pinned[k].summary.ns_per_switch;
		lo = n ? (x < lo ? x : lo) : x;
		if (!n || x > hi) {
			hi = x;
			worst = &c->split[i];
		}
		n++;
	}
	if (!n)
		return;
	cpu = worst->summary.ns_per_switch * (worst->summary.nr_cpus > 0 ? worst->summary.nr_cpus : 1);
	idle = worst->summary.idle;
	other = worst->summary.other_tasks;
	len = (size_t)snprintf(line, sizeof(line),
			       "On two CPUs a hand-off costs %.1fx to %.1fx what it costs on one. For %s, of "
			       "%s of CPU time per switch (both CPUs) %s was idle and %s went to other tasks; "
			       "a woken thread waited %s (median) for its CPU.",
			       lo, hi, worst->workload, st_fmt_ns(t, sizeof(t), cpu),
			       st_fmt_ns(i_, sizeof(i_), idle), st_fmt_ns(o, sizeof(o), other),
			       st_fmt_ns(r, sizeof(r), worst->summary.runq.p50_ns));
	if (len < sizeof(line) && idle > 0.25 * cpu)
		snprintf(line + len, sizeof(line) - len,
			 " The woken side's CPU had often gone idle, and waking it takes an interprocessor "
			 "interrupt%s.",
			 virt[0] && strcmp(virt, "none") ? " and an idle exit, both through the hypervisor here" : "");
	else if (len < sizeof(line) && other > 0.25 * cpu)
		snprintf(line + len, sizeof(line) - len,
			 " The other CPU was busy with other tasks, so the woken side waited its turn there.");
	fputs("  ", f);
	st_fput_wrapped(f, line, 2, 2, ST_TEXT_WIDTH);
}

void st_cmp_split(FILE *f, const struct st_compare *c)
{
	fprintf(f, "One CPU vs two (side A on CPU %.*s, side B on the other)\n",
		(int)strcspn(c->split[0].cpus, ","), c->split[0].cpus);
	fprintf(f, "  %-9s%-5s%10s%5s%7s%8s%10s%9s%9s\n", "workload", "CPUs", "ns/switch", "CV", "migr",
		"xCPU wk", "idle ns", "runq p50", "p50 migr");
	for (int i = 0; i < c->nr_split; i++) {
		const struct st_run *two = &c->split[i];
		int k = st_find_run(c->pinned, c->nr_pinned, two->workload);

		if (k >= 0)
			split_row(f, two->workload, &c->pinned[k]);
		split_row(f, k >= 0 ? "" : two->workload, two);
	}
	summary(f, c);
	fprintf(f, "  Per switch: migrations (switch-ins on another CPU than last time), wakeups\n"
		   "  from another CPU, idle CPU time (summed over the traced CPUs), and the median\n"
		   "  runqueue wait of wake-ups on the thread's last CPU (runq p50) vs after a\n"
		   "  migration (p50 migr). With each side pinned to its own CPU no thread can\n"
		   "  migrate: what two CPUs change is that every hand-off wakes the other CPU.\n\n");
}
