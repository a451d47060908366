// SPDX-License-Identifier: GPL-2.0
/*
 * text_pair.c — `schedtrace report A.json B.json` on the terminal: which file
 * is A and which B, the two machines in sentences, then for each run in both
 * files the sentences (faster or slower, what changed most) and a table of
 * every CPU-time part, ns/switch, the counts and the calibrated mode switch:
 * A, B, B - A and B / A. Then the ratios within each file and the runs in
 * one file only. The arithmetic is user/core/pair.c's.
 */
#include <math.h>
#include <stdbool.h>
#include <string.h>
#include "pair_words.h"
#include "text_parts.h"

#define NAME_W 24

/* B / A, or "-" when it means nothing (A not above 0 or prints as 0, B below 0) */
static void put_ratio(FILE *f, double r, bool a_shown)
{
	if (isfinite(r) && a_shown)
		fprintf(f, " %8.2f", r);
	else
		fprintf(f, " %8s", "-");
}

/* v in units of div; what prints as 0 (rounding noise) is 0, never -0.0. */
static double tidy(double v, double div, int decimals)
{
	return fabs(v / div) < 0.5 * pow(10, -decimals) ? 0 : v / div;
}

static void val_row(FILE *f, const char *name, const struct st_pair_val *v, double div, int decimals)
{
	double d = tidy(v->diff, div, decimals);

	fputs("  ", f);
	st_fput_padded(f, name, NAME_W, 0);
	fprintf(f, "%10.*f %10.*f ", decimals, tidy(v->a, div, decimals), decimals, tidy(v->b, div, decimals));
	if (d == 0)
		fprintf(f, "%10.*f", decimals, 0.0);
	else
		fprintf(f, "%+10.*f", decimals, d);
	put_ratio(f, v->ratio, tidy(v->a, div, decimals) != 0);
	fputc('\n', f);
}

static void header(FILE *f, const char *title, bool diff)
{
	fputs("  ", f);
	st_fput_padded(f, title, NAME_W, 0);
	fprintf(f, "%10s %10s %10s %8s\n", "A", "B", diff ? "B - A" : "", "B/A");
}

static void row_table(FILE *f, const struct st_pair_row *r)
{
	/* the unit the totals fit 10 columns in (a hog's 200 ms switch: µs or ms) */
	double big = fmax(fmax(fabs(r->total.a), fabs(r->total.b)), fmax(r->ns.a, r->ns.b));
	double div = big < 1e7 ? 1 : big < 1e10 ? 1e3 : 1e6;
	const char *unit = div == 1 ? "ns" : div == 1e3 ? "µs" : "ms";
	char title[64];

	if (r->traced) {
		snprintf(title, sizeof(title), "CPU time per switch, %s", unit);
		header(f, title, true);
		for (int p = 0; p < ST_NR_PARTS; p++)
			val_row(f, st_part_names[p], &r->part[p], div, 1);
		val_row(f, r->a->summary.nr_cpus > 1 ? "total (all its CPUs)" : "total", &r->total, div, 1);
	} else {
		snprintf(title, sizeof(title), "per switch, %s", unit);
		header(f, title, true);
	}
	snprintf(title, sizeof(title), "measured %s/switch", unit);
	val_row(f, title, &r->ns, div, 1);
	if (!r->traced)
		return;
	for (int c = 0; c < ST_NR_PAIR_COUNTS; c++)
		val_row(f, st_pair_count_names[c], &r->count[c], 1, 2);
	val_row(f, "mode switch, calibrated", &r->mode_switch_cal, 1, 1);
	fputs("  (counts per switch; the calibrated mode switch in ns per system call)\n", f);
}

static void row_block(FILE *f, const struct st_pair_row *r)
{
	struct st_para p = { .len = 0 };
	char label[ST_NAME_LEN * 2 + 16];

	st_pair_run_label(label, sizeof(label), r->a);
	fprintf(f, "%s\n", label);
	st_pair_row_words(&p, r);
	fputs("  ", f);
	st_fput_wrapped(f, p.text, 2, 2, ST_TEXT_WIDTH);
	row_table(f, r);
	fputc('\n', f);
}

static void within_table(FILE *f, const struct st_pair *pair)
{
	char title[ST_NAME_LEN + 64], label[ST_NAME_LEN * 2 + 16];

	if (pair->base < 0)
		return;
	snprintf(title, sizeof(title), "Ratios within each file (ns/switch over %s's)", pair->rows[pair->base].a->workload);
	fprintf(f, "%s\n", title);
	header(f, "", false);
	for (int i = 0; i < pair->nr_rows; i++) {
		const struct st_pair_val *w = &pair->within[i];

		st_pair_run_label(label, sizeof(label), pair->rows[i].a);
		fputs("  ", f);
		st_fput_padded(f, label, NAME_W, 0);
		fprintf(f, "%9.2fx %9.2fx %10s", w->a, w->b, "");
		put_ratio(f, w->ratio, w->a > 0);
		fputc('\n', f);
	}
	fputc('\n', f);
}

static void only_in(FILE *f, const char *side, const struct st_run *const *runs, int n)
{
	char label[ST_NAME_LEN * 2 + 16], line[ST_PAIR_MAX_RUNS * (ST_NAME_LEN * 2 + 20)];
	size_t used;

	if (!n)
		return;
	used = (size_t)snprintf(line, sizeof(line), "Only in %s (no run of the same workload on the same CPUs in %s): ",
				side, side[0] == 'A' ? "B" : "A");
	for (int i = 0; i < n && used < sizeof(line); i++) {
		st_pair_run_label(label, sizeof(label), runs[i]);
		used += (size_t)snprintf(line + used, sizeof(line) - used, "%s%s", label, i + 1 < n ? ", " : ".");
	}
	st_fput_wrapped(f, line, 0, 2, ST_TEXT_WIDTH);
}

static void files(FILE *f, const char *side, const char *file, const struct st_run *first, int nruns)
{
	fprintf(f, "  %s  %s: %d run%s", side, file, nruns, nruns == 1 ? "" : "s");
	if (first)
		fprintf(f, ", %s, %s", first->machine.hostname[0] ? first->machine.hostname : "unknown host",
			first->machine.date[0] ? first->machine.date : "no date");
	fputc('\n', f);
}

int st_report_pair_text(FILE *f, const struct st_pair *pair, const char *file_a, const char *file_b)
{
	struct st_para p = { .len = 0 };

	fprintf(f, "schedtrace: two reports side by side\n");
	files(f, "A", file_a, pair->first_a, pair->nr_rows + pair->nr_only_a);
	files(f, "B", file_b, pair->first_b, pair->nr_rows + pair->nr_only_b);
	fputc('\n', f);
	fprintf(f, "Machines\n");
	st_pair_machine_words(&p, pair);
	fputs("  ", f);
	st_fput_wrapped(f, p.text, 2, 2, ST_TEXT_WIDTH);
	fputc('\n', f);
	if (!pair->nr_rows) {
		st_fput_wrapped(f, "No run is in both files (the same workload on the same CPUs): nothing to set side "
				   "by side.", 0, 0, ST_TEXT_WIDTH);
		fputc('\n', f);
	}
	for (int i = 0; i < pair->nr_rows; i++)
		row_block(f, &pair->rows[i]);
	within_table(f, pair);
	only_in(f, "A", pair->only_a, pair->nr_only_a);
	only_in(f, "B", pair->only_b, pair->nr_only_b);
	if (pair->nr_only_a || pair->nr_only_b)
		fputc('\n', f);
	if (pair->nr_rows)
		st_fput_wrapped(f, "The parts are the median repeat's, which add up to its time (times the traced "
				   "CPUs); ns/switch and the counts are the medians over the repeats.", 0, 0,
				ST_TEXT_WIDTH);
	return ferror(f) ? -1 : 0;
}
