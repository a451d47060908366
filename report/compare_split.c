// SPDX-License-Identifier: GPL-2.0
/*
 * compare_split.c — the kernel-switching workloads on one CPU and on two:
 * split (side A on one CPU, side B on the other, each pinned) and free (the
 * cpus label ends in " free": both may run on either CPU). Beside each
 * other: ns/switch, migrations, cross-CPU wakeups, idle, and the runqueue
 * wait of wake-ups on the thread's last CPU vs after a migration.
 */
#include <string.h>
#include "compare_parts.h"
#include "format.h"
#include "text_parts.h"

static bool is_free(const struct st_run *r)
{
	return strstr(r->cpus, " free") != NULL;
}

static void lat_cell(FILE *f, const struct st_latency *l)
{
	char t[32];

	st_fput_padded(f, l->count ? st_fmt_ns(t, sizeof(t), l->p50_ns) : "-", 9, 1);
}

static void row(FILE *f, const char *name, const struct st_run *r)
{
	const struct st_breakdown *b = &r->summary;
	struct st_spread s;

	st_run_spread(r, &s);
	fprintf(f, "  %-9s%-9s%10.1f%4.0f%%%7.3f%8.2f%10.1f", name, r->cpus, b->ns_per_switch, 100 * s.cv,
		b->migrations, b->cross_cpu_wakeups, st_cmp_tidy(b->idle));
	lat_cell(f, &b->runq_local);
	lat_cell(f, &b->runq_migrated);
	fputc('\n', f);
}

/* Range of (two-CPU ns / one-CPU ns) over the runs of one kind; the dearest run. */
struct range {
	int n;
	double lo, hi, migr_lo, migr_hi, xcpu_lo, xcpu_hi;
	const struct st_run *worst;
};

static void ranges(const struct st_compare *c, bool want_free, struct range *g)
{
	memset(g, 0, sizeof(*g));
	for (int i = 0; i < c->nr_split; i++) {
		const struct st_run *two = &c->split[i];
		int k = st_find_run(c->pinned, c->nr_pinned, two->workload);
		double x, m = two->summary.migrations;

		if (is_free(two) != want_free || k < 0 || c->pinned[k].summary.ns_per_switch <= 0 ||
		    two->summary.ns_per_switch <= 0)
			continue;
		x = two->summary.ns_per_switch / c->pinned[k].summary.ns_per_switch;
		if (!g->n || x < g->lo)
			g->lo = x;
		if (!g->n || x > g->hi) {
			g->hi = x;
			g->worst = two;
		}
		if (!g->n || two->summary.cross_cpu_wakeups < g->xcpu_lo)
			g->xcpu_lo = two->summary.cross_cpu_wakeups;
		if (!g->n || two->summary.cross_cpu_wakeups > g->xcpu_hi)
			g->xcpu_hi = two->summary.cross_cpu_wakeups;
		if (!g->n || m < g->migr_lo)
			g->migr_lo = m;
		if (!g->n || m > g->migr_hi)
			g->migr_hi = m;
		g->n++;
	}
}

/* How much dearer split makes a hand-off and where the dearest one's time went; then free. */
static void summary(FILE *f, const struct st_compare *c)
{
	const char *virt = c->split[0].machine.virtualization;
	char line[1024], t[32], i_[32], o[32], r[32];
	struct range sp, fr;
	size_t len = 0;

	ranges(c, false, &sp);
	ranges(c, true, &fr);
	line[0] = '\0';
	if (sp.n) {
		const struct st_breakdown *b = &sp.worst->summary;
		double cpu = b->ns_per_switch * (b->nr_cpus > 0 ? b->nr_cpus : 1);

		len += (size_t)snprintf(line + len, sizeof(line) - len,
					"Split over two CPUs a hand-off costs %.1fx to %.1fx what it costs on "
					"one. For %s, of %s of CPU time per switch (both CPUs) %s was idle and "
					"%s went to other tasks; a woken thread waited %s (median) for its CPU. ",
					sp.lo, sp.hi, sp.worst->workload, st_fmt_ns(t, sizeof(t), cpu),
					st_fmt_ns(i_, sizeof(i_), b->idle), st_fmt_ns(o, sizeof(o), b->other_tasks),
					st_fmt_ns(r, sizeof(r), b->runq.p50_ns));
		if (len < sizeof(line) && b->idle > 0.25 * cpu)
			len += (size_t)snprintf(line + len, sizeof(line) - len,
						"The woken side's CPU had often gone idle, and waking it takes an "
						"interprocessor interrupt%s. ",
						virt[0] && strcmp(virt, "none")
							? " and an idle exit, both through the hypervisor here"
							: "");
		else if (len < sizeof(line) && b->other_tasks > 0.25 * cpu)
			len += (size_t)snprintf(line + len, sizeof(line) - len,
						"The other CPU was busy with other tasks, so the woken side "
						"waited its turn there. ");
	}
	if (fr.n && len < sizeof(line))
		snprintf(line + len, sizeof(line) - len,
			 "Free to use both CPUs, %s (%.2f to %.2f cross-CPU per switch), the threads "
			 "migrated %.3f to %.3f times per switch, and a hand-off cost %.1fx to %.1fx the "
			 "one-CPU figure%s.",
			 fr.xcpu_hi < 0.5 ? "most wake-ups stayed on the waker's CPU" : "most wake-ups crossed CPUs",
			 fr.xcpu_lo, fr.xcpu_hi, fr.migr_lo, fr.migr_hi, fr.lo, fr.hi,
			 fr.xcpu_hi < 0.5 ? ": the scheduler mostly kept each pair on one CPU" : "");
	if (!line[0])
		return;
	fputs("  ", f);
	st_fput_wrapped(f, line, 2, 2, ST_TEXT_WIDTH);
}

void st_cmp_split(FILE *f, const struct st_compare *c)
{
	fprintf(f, "One CPU vs two\n");
	fprintf(f, "  %-9s%-9s%10s%5s%7s%8s%10s%9s%9s\n", "workload", "CPUs", "ns/switch", "CV", "migr",
		"xCPU wk", "idle ns", "runq p50", "p50 migr");
	for (int i = 0; i < c->nr_split; i++) {
		const struct st_run *two = &c->split[i];
		int k = st_find_run(c->pinned, c->nr_pinned, two->workload);
		bool first = i == 0 || strcmp(c->split[i - 1].workload, two->workload);

		if (first && k >= 0)
			row(f, two->workload, &c->pinned[k]);
		row(f, first && k < 0 ? two->workload : "", two);
	}
	summary(f, c);
	fprintf(f, "  CPUs: one CPU both sides; A,B side A on A and side B on B (split: pinned,\n"
		   "  nothing can migrate); \"free\": they start split, then either may run on either\n"
		   "  CPU. Per switch: migrations (switch-ins on another CPU than last time), wakeups\n"
		   "  from another CPU, idle CPU time (summed over both CPUs), and the median\n"
		   "  runqueue wait of wake-ups on the thread's last CPU (runq p50) vs after a\n"
		   "  migration (p50 migr).\n\n");
}
