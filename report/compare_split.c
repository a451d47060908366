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

static void lat_cell(FILE *f, const struct st_latency *l)
{
	char t[32];

	st_fput_padded(f, l->count ? st_fmt_ns(t, sizeof(t), l->p50_ns) : "-", 10, 1);
}

static void split_row(FILE *f, const char *name, const struct st_run *r)
{
	const struct st_breakdown *b = &r->summary;
	struct st_spread s;

	st_run_spread(r, &s);
	fprintf(f, "  %-10s%-6s%10.1f%5.0f%%%9.2f%9.2f%10.1f", name, r->cpus, b->ns_per_switch, 100 * s.cv,
		b->migrations, b->cross_cpu_wakeups, st_cmp_tidy(b->idle));
	lat_cell(f, &b->runq_local);
	lat_cell(f, &b->runq_migrated);
	fputc('\n', f);
}

void st_cmp_split(FILE *f, const struct st_compare *c)
{
	fprintf(f, "One CPU vs two (side A on CPU %.*s, side B on the other)\n",
		(int)strcspn(c->split[0].cpus, ","), c->split[0].cpus);
	fprintf(f, "  %-10s%-6s%10s%6s%9s%9s%10s%10s%10s\n", "workload", "CPUs", "ns/switch", "CV",
		"migr", "xCPU wk", "idle ns", "runq p50", "p50 migr");
	for (int i = 0; i < c->nr_split; i++) {
		const struct st_run *two = &c->split[i];
		int k = st_find_run(c->pinned, c->nr_pinned, two->workload);

		if (k >= 0)
			split_row(f, two->workload, &c->pinned[k]);
		split_row(f, k >= 0 ? "" : two->workload, two);
	}
	fprintf(f, "  Per switch: migrations (switch-ins on another CPU than last time), wakeups\n"
		   "  from another CPU, idle CPU time (summed over the traced CPUs), and the median\n"
		   "  runqueue wait of wake-ups on the thread's last CPU (runq p50) vs after a\n"
		   "  migration (p50 migr). With each side pinned to its own CPU no thread can\n"
		   "  migrate: what two CPUs change is that every hand-off wakes the other CPU.\n\n");
}
