// SPDX-License-Identifier: GPL-2.0
/*
 * text_compare.c — the terminal report of `schedtrace compare`: the side by
 * side table (median, spread, CV, ratio, counts), the CPU-time parts, the
 * gap explained, then compare_seed.c's seed section and pinned vs split.
 * All from the median breakdowns; the arithmetic is compare.c's.
 */
#include <math.h>
#include <string.h>
#include "compare_parts.h"
#include "format.h"
#include "text_compare.h"
#include "text_parts.h"
#include "witness.h"

/* Rounding noise (-0.01 ns) prints as 0.0, not -0.0. */
double st_cmp_tidy(double v)
{
	return fabs(v) < 0.05 ? 0 : v;
}

const struct st_run *st_cmp_baseline(const struct st_compare *c)
{
	const struct st_run *best = NULL;
	int k = st_find_run(c->pinned, c->nr_pinned, "coro-yield");

	if (k >= 0)
		return &c->pinned[k];
	for (int i = 0; i < c->nr_pinned; i++)
		if (!best || c->pinned[i].summary.ns_per_switch < best->summary.ns_per_switch)
			best = &c->pinned[i];
	return best;
}

static void header(FILE *f, const struct st_compare *c)
{
	const struct st_run *r0 = c->nr_pinned ? &c->pinned[0] : c->split;
	int rounds = r0 ? r0->nr_repeats : 0;
	char w[32];

	fprintf(f, "schedtrace compare: %d workload%s pinned to CPU %s", c->nr_pinned,
		c->nr_pinned == 1 ? "" : "s", r0 ? r0->cpus : "?");
	if (c->nr_split)
		fprintf(f, ", %d again on CPUs %s", c->nr_split, c->split[0].cpus);
	fprintf(f, "\n%d round%s, every workload once per round in turn (the host drifts)", rounds,
		rounds == 1 ? "" : "s");
	if (c->wall_s > 0)
		fprintf(f, "; took %s", st_fmt_ns(w, sizeof(w), c->wall_s * 1e9));
	fputs("\n", f);
	if (r0 && r0->syscalls_profiled)
		fputs("The system calls, and which CPU woke each thread, were traced in one more run of each\n"
		      "workload, with every hook; the rounds ran with the scheduler switch hook alone\n"
		      "(cheaper) and carry that run's kernel split per switch (--every-round traces every\n"
		      "round).\n", f);
	if (!c->complete)
		fprintf(f, "INCOMPLETE: interrupted after %d of %d rounds; the numbers are from those.\n",
			rounds, c->rounds_planned);
	fputc('\n', f);
}

/*
 * The unit a table's numbers fit its columns in: ns while the largest
 * ns/switch stays below `fits` ns, else µs or ms (a CPU hog's switch is
 * its 200 ms chunk). Writes its name; returns the divisor.
 */
static double table_unit(const struct st_compare *c, double fits, const char **name)
{
	double max = 0;

	for (int i = 0; i < c->nr_pinned; i++)
		if (c->pinned[i].summary.ns_per_switch > max)
			max = c->pinned[i].summary.ns_per_switch;
	if (max < fits)
		return *name = "ns", 1;
	if (max < fits * 1e3)
		return *name = "µs", 1e3;
	return *name = "ms", 1e6;
}

/* The workload column: 11 wide, wider for a longer name (hog-coro-preempt). */
static int name_width(const struct st_compare *c)
{
	int w = 11;

	for (int i = 0; i < c->nr_pinned; i++)
		if ((int)strlen(c->pinned[i].workload) + 1 > w)
			w = (int)strlen(c->pinned[i].workload) + 1;
	return w;
}

static void main_table(FILE *f, const struct st_compare *c)
{
	const struct st_run *base = st_cmp_baseline(c);
	int noisy = 0, single = 0;
	char range[48], head[16];
	const char *unit;
	double div = table_unit(c, 1e7, &unit);

	fprintf(f, "Per switch, pinned (median over rounds; ratio to %s)\n",
		base ? base->workload : "the cheapest");
	snprintf(head, sizeof(head), "%s/switch", unit);
	fprintf(f, "  %-*s%*s  %-17s%7s %8s %9s %9s\n", name_width(c), "workload", 10 + (div > 1), head, "min..max",
		"CV", "ratio", "syscalls", "kernel sw");
	for (int i = 0; i < c->nr_pinned; i++) {
		const struct st_run *r = &c->pinned[i];
		const struct st_breakdown *b = &r->summary;
		struct st_spread s;
		bool flag;

		st_run_spread(r, &s);
		flag = st_spread_noisy(&s);
		noisy += flag;
		single += s.n < 2;
		snprintf(range, sizeof(range), "%.1f..%.1f", s.min / div, s.max / div);
		fprintf(f, "  %-*s%10.1f  %-17s", name_width(c), r->workload, b->ns_per_switch / div, range);
		if (s.n > 1)
			fprintf(f, "%6.1f%%%c", 100 * s.cv, flag ? '!' : ' ');
		else
			fprintf(f, "%7s ", "-");
		fprintf(f, "%7.1fx", st_ratio(b->ns_per_switch, base ? base->summary.ns_per_switch : 0));
		if (r->traced)
			fprintf(f, " %9.2f %9.2f\n", b->syscalls, b->kernel_switches);
		else
			fprintf(f, " %9s %9s\n", "-", "-");
	}
	if (noisy)
		fprintf(f, "  ! CV above %.0f%%: too noisy to trust; rerun with a larger -r or on a\n"
			   "    quieter machine.\n", 100 * ST_NOISY_CV);
	if (single)
		fprintf(f, "  (one round: no spread; -r 3 or more gives a CV)\n");
	fprintf(f, "  CV = standard deviation / mean of the rounds' ns/switch. Syscalls and kernel\n"
		   "  switches are per counted switch.\n\n");
}

/*
 * The parts of the median round, which add up to its ns/switch (the
 * field-by-field medians of the summary need not), with the summary's
 * ns/switch: for an odd number of rounds the two are the same.
 */
static void consistent(const struct st_run *r, struct st_breakdown *out)
{
	const struct st_breakdown *m = st_run_median_repeat(r);

	*out = m ? *m : r->summary;
	out->ns_per_switch = r->summary.ns_per_switch;
}

/* Each run's user share against its rounds' cpu-clock samples (report/witness.h). */
static void witness_lines(FILE *f, const struct st_compare *c)
{
	for (int i = 0; i < c->nr_pinned; i++) {
		const struct st_run *r = &c->pinned[i];
		struct st_witness w;
		char line[256];

		st_witness_of(&r->summary, &w);
		if (!r->traced || !w.sampled)
			continue;
		snprintf(line, sizeof(line), "witness, %s: user code %.1f%% of the time, cpu-clock samples %.1f%% "
			 "(+/- %.1f, %llu samples): %s", r->workload, 100 * w.attributed_user, 100 * w.sampled_user,
			 200 * w.sampled_err, (unsigned long long)w.samples,
			 w.disagrees ? "DISAGREE" : w.too_few ? "too few to tell" : "agree");
		fputs("  ", f);
		st_fput_wrapped(f, line, 2, 4, ST_TEXT_WIDTH);
	}
}

static void parts_table(FILE *f, const struct st_compare *c)
{
	struct st_breakdown b;
	const char *unit;
	double div = table_unit(c, 1e5, &unit);

	fprintf(f, "CPU time per switch, %s (the median round's: the parts add up to %s/switch)\n", unit, unit);
	fprintf(f, "  %-*s%7s%7s%7s%7s%7s%7s%7s%7s%7s\n", name_width(c), "workload", "user", "mode", "sched", "sys",
		"return", "other", "idle", "tracer", "unexpl");
	for (int i = 0; i < c->nr_pinned; i++) {
		const struct st_run *r = &c->pinned[i];
		double p[ST_NR_PARTS];

		if (!r->traced)
			continue;
		consistent(r, &b);
		st_parts_of(&b, 1, p);
		fprintf(f, "  %-*s", name_width(c), r->workload);
		for (int k = 0; k < ST_NR_PARTS; k++)
			fprintf(f, "%7.1f", st_cmp_tidy(p[k] / div));
		fputc('\n', f);
	}
	fprintf(f, "  mode: calibrated entry+exit x syscalls; sched: the scheduler's work (waking,\n"
		   "  __schedule()); sys: the calls' own work; return: after a switch, back to\n"
		   "  user; other: other tasks on the CPU; tracer: our probes.\n");
	witness_lines(f, c);
	fputc('\n', f);
}

/* "pthread minus coro-yield per switch: 11.2 µs - 9.8 ns = 11.2 µs (1143x)" */
static void gap_line(FILE *f, const char *hi, const char *lo, const char *unit, const struct st_gap *g)
{
	char a[32], b[32], d[32], line[256];

	snprintf(line, sizeof(line), "%s minus %s, per %s: %s - %s = %s (%s is %.1fx %s).", hi, lo, unit,
		 st_fmt_ns(a, sizeof(a), g->hi_ns), st_fmt_ns(b, sizeof(b), g->lo_ns),
		 st_fmt_ns(d, sizeof(d), g->gap_ns), hi, g->ratio, lo);
	fputs("  ", f);
	st_fput_wrapped(f, line, 2, 4, ST_TEXT_WIDTH);
}

/*
 * The gap in the seed article's three causes: the mode switch, the
 * scheduler's work in the kernel, and migration with its cache and TLB
 * cost (pinned runs have none; it shows in the other parts when they
 * migrate); then what else the kernel did, and the rest.
 */
static void seed_causes(FILE *f, const struct st_gap *g, double migrations)
{
	struct st_para p = { .len = 0 };
	char a[32], b[32], c[32], d[32];

	if (g->gap_ns <= 0)
		return;
	st_para_add(&p, "In the seed's three causes: entering and leaving the kernel (the mode switch) is "
		    "%s (%.0f%%); the scheduler's work in the kernel (waking, and __schedule(): runqueues, "
		    "locking, picking, the context switch) %s (%.0f%%); ",
		    st_fmt_ns(a, sizeof(a), g->part_ns[ST_PART_MODE_SWITCH]), g->part_pct[ST_PART_MODE_SWITCH],
		    st_fmt_ns(b, sizeof(b), g->part_ns[ST_PART_SCHED_WORK]), g->part_pct[ST_PART_SCHED_WORK]);
	if (migrations < 0.01)
		st_para_add(&p, "migration, none: the threads are pinned and never changed CPU. ");
	else
		st_para_add(&p, "migration: %.2f per switch, whose cache and TLB cost is inside the other parts. ",
			    migrations);
	st_para_add(&p, "What else the kernel did: the system calls' own work %s (%.0f%%) and the way back "
		    "to user after a switch %s (%.0f%%). ",
		    st_fmt_ns(c, sizeof(c), g->part_ns[ST_PART_SYSCALL_WORK]), g->part_pct[ST_PART_SYSCALL_WORK],
		    st_fmt_ns(d, sizeof(d), g->part_ns[ST_PART_RETURN_PATH]), g->part_pct[ST_PART_RETURN_PATH]);
	st_para_add(&p, "User code adds %s (%.0f%%) and the tracer %s (%.0f%%).",
		    st_fmt_ns(a, sizeof(a), g->part_ns[ST_PART_USER]), g->part_pct[ST_PART_USER],
		    st_fmt_ns(b, sizeof(b), g->part_ns[ST_PART_TRACER]), g->part_pct[ST_PART_TRACER]);
	fputs("  ", f);
	st_fput_wrapped(f, p.text, 2, 2, ST_TEXT_WIDTH);
}

/* The two largest parts of a gap, in words. */
static void gap_sentence(FILE *f, const struct st_gap *g, const char *what)
{
	int first = -1, second = -1;
	char line[320], a[32], b[32];

	for (int p = 0; p < ST_NR_PARTS; p++) {
		if (first < 0 || g->part_ns[p] > g->part_ns[first]) {
			second = first;
			first = p;
		} else if (second < 0 || g->part_ns[p] > g->part_ns[second]) {
			second = p;
		}
	}
	if (first < 0 || g->gap_ns <= 0)
		return;
	snprintf(line, sizeof(line), "Of the %s, %s takes %s (%.0f%%) and %s %s (%.0f%%).", what,
		 st_part_names[first], st_fmt_ns(a, sizeof(a), g->part_ns[first]), g->part_pct[first],
		 st_part_names[second], st_fmt_ns(b, sizeof(b), g->part_ns[second]), g->part_pct[second]);
	fputs("  ", f);
	st_fput_wrapped(f, line, 2, 2, ST_TEXT_WIDTH);
}

static void gap_table(FILE *f, const struct st_compare *c)
{
	int hi = st_find_run(c->pinned, c->nr_pinned, "pthread");
	int y = st_find_run(c->pinned, c->nr_pinned, "coro-yield");
	int ch = st_find_run(c->pinned, c->nr_pinned, "coro-chan");
	struct st_gap gs, gr;
	struct st_breakdown bh, by, bc;
	double rt_hi, rt_ch;
	bool per_switch, per_rt;

	if (hi < 0 || !c->pinned[hi].traced)
		return;
	rt_hi = st_run_switches_per_round_trip(&c->pinned[hi]);
	rt_ch = ch >= 0 ? st_run_switches_per_round_trip(&c->pinned[ch]) : 0;
	per_switch = y >= 0 && c->pinned[y].traced;
	per_rt = ch >= 0 && c->pinned[ch].traced && rt_hi > 0 && rt_ch > 0;
	if (!per_switch && !per_rt)
		return;
	consistent(&c->pinned[hi], &bh);
	if (per_switch) {
		consistent(&c->pinned[y], &by);
		st_gap_split(&bh, 1, &by, 1, &gs);
	}
	if (per_rt) {
		consistent(&c->pinned[ch], &bc);
		st_gap_split(&bh, rt_hi, &bc, rt_ch, &gr);
	}

	fprintf(f, "The gap explained\n");
	if (per_switch)
		gap_line(f, "pthread", "coro-yield", "switch", &gs);
	if (per_rt)
		gap_line(f, "pthread", "coro-chan", "round trip", &gr);
	fprintf(f, "  %-24s", "part of the gap");
	if (per_switch)
		fprintf(f, "%19s", "per switch");
	if (per_rt)
		fprintf(f, "%21s", "per round trip");
	fprintf(f, "\n  %-24s", "");
	if (per_switch)
		fprintf(f, "%10s %8s", "ns", "% of gap");
	if (per_rt)
		fprintf(f, "  %10s %8s", "ns", "% of gap");
	fputc('\n', f);
	for (int p = 0; p <= ST_NR_PARTS; p++) {
		fputs("  ", f);
		st_fput_padded(f, p < ST_NR_PARTS ? st_part_names[p] : "the gap", 24, 0);
		if (per_switch)
			fprintf(f, "%10.1f %7.1f%%", st_cmp_tidy(p < ST_NR_PARTS ? gs.part_ns[p] : gs.gap_ns),
				st_cmp_tidy(p < ST_NR_PARTS ? gs.part_pct[p] : 100));
		if (per_rt)
			fprintf(f, "  %10.1f %7.1f%%", st_cmp_tidy(p < ST_NR_PARTS ? gr.part_ns[p] : gr.gap_ns),
				st_cmp_tidy(p < ST_NR_PARTS ? gr.part_pct[p] : 100));
		fputc('\n', f);
	}
	fprintf(f, "  Each part is pthread's minus the other's, from each one's median round;\n"
		   "  unexplained is what the named parts leave of the measured gap.\n");
	if (per_switch)
		gap_sentence(f, &gs, "per-switch gap");
	if (per_rt)
		gap_sentence(f, &gr, "round-trip gap");
	seed_causes(f, per_switch ? &gs : &gr, bh.migrations);
	fputc('\n', f);
}

static void order_check(FILE *f, const struct st_compare *c)
{
	char why[1024];
	int bad = st_check_order(c->pinned, c->nr_pinned, 0.10, why, sizeof(why));

	if (!bad)
		return;
	fprintf(f, "Unexpected ordering (more than 10%% off what the mechanisms imply; noise?):\n");
	for (char *s = why, *nl; *s; s = nl + 1) {
		nl = strchr(s, '\n');
		if (!nl)
			break;
		fprintf(f, "  %.*s\n", (int)(nl - s), s);
	}
	fputc('\n', f);
}

int st_report_compare_text(FILE *f, const struct st_compare *c)
{
	header(f, c);
	if (c->nr_pinned) {
		main_table(f, c);
		parts_table(f, c);
		gap_table(f, c);
		st_cmp_seed(f, c);
		st_cmp_lang(f, c);
		st_cmp_hog(f, c);
		order_check(f, c);
	}
	if (c->nr_split)
		st_cmp_split(f, c);
	if (c->nr_pinned)
		st_text_machine(f, &c->pinned[0]);
	else if (c->nr_split)
		st_text_machine(f, &c->split[0]);
	return ferror(f) ? -1 : 0;
}
