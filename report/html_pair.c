// SPDX-License-Identifier: GPL-2.0
/*
 * html_pair.c — `schedtrace report A.json B.json --html F`: the two reports
 * side by side as one self-contained page, in html.c's style. The machines
 * in sentences, then per run in both files the sentences, a grouped bar of
 * its parts (A above B) and the table (A, B, B - A, B/A); the ratios within
 * each file, the runs in one file only, and both machine blocks.
 */
#include <math.h>
#include <string.h>
#include "html.h"
#include "pair_words.h"

static void td_diff(FILE *f, double d)
{
	char buf[64];

	if (!isfinite(d)) {
		fputs("<td>n/a</td>", f);
		return;
	}
	if (fabs(d) < 0.5)
		d = 0;
	fprintf(f, "<td>%s%s</td>", d > 0 ? "+" : d < 0 ? "\xe2\x88\x92" : "", /* U+2212 minus */
		st_fmt_ns(buf, sizeof(buf), fabs(d)));
}

static void tr_val(FILE *f, const char *name, const char *color, const struct st_pair_val *v, bool ns)
{
	fputs("<tr><td>", f);
	if (color)
		fprintf(f, "<span class=\"sw\" style=\"background:%s\"></span>", color);
	st_html_escape(f, name);
	fputs("</td>", f);
	if (ns) {
		st_html_td_ns(f, v->a);
		st_html_td_ns(f, v->b);
		td_diff(f, v->diff);
	} else {
		st_html_td_num(f, "%.2f", v->a);
		st_html_td_num(f, "%.2f", v->b);
		st_html_td_num(f, fabs(v->diff) < 0.005 ? "%.2f" : "%+.2f", v->diff);
	}
	/* B/A of what prints as 0 on A (under half a ns, or 0.00) is noise */
	st_html_td_num(f, "%.2f", fabs(v->a) < (ns ? 0.5 : 0.005) ? NAN : v->ratio);
	fputs("</tr>\n", f);
}

static void row_chart(FILE *f, const struct st_pair_row *r)
{
	double a[ST_NR_PARTS + 1], b[ST_NR_PARTS + 1];
	const char *names[ST_NR_PARTS + 1], *colors[ST_NR_PARTS + 1];

	for (int p = 0; p < ST_NR_PARTS; p++) {
		a[p] = r->part[p].a;
		b[p] = r->part[p].b;
		names[p] = st_html_parts[p].name;
		colors[p] = st_html_parts[p].color;
	}
	a[ST_NR_PARTS] = r->ns.a;
	b[ST_NR_PARTS] = r->ns.b;
	names[ST_NR_PARTS] = "measured ns/switch";
	colors[ST_NR_PARTS] = "#555555";
	st_svg_pair_bars(f, a, b, ST_NR_PARTS + 1, names, colors);
}

static void row_section(FILE *f, const struct st_pair_row *r, int i)
{
	struct st_para p = { .len = 0 };
	char label[ST_NAME_LEN * 2 + 16];

	st_pair_run_label(label, sizeof(label), r->a);
	fprintf(f, "<section id=\"pair-%d\">\n<h2>", i);
	st_html_escape(f, label);
	fputs("</h2>\n<p class=\"lead\">", f);
	st_pair_row_words(&p, r);
	st_html_escape(f, p.text);
	fputs("</p>\n", f);
	if (r->traced)
		row_chart(f, r);
	fputs("<table>\n<tr><th>per switch</th><th>A</th><th>B</th><th>B &minus; A</th><th>B/A</th></tr>\n", f);
	if (r->traced) {
		for (int k = 0; k < ST_NR_PARTS; k++)
			tr_val(f, st_html_parts[k].name, st_html_parts[k].color, &r->part[k], true);
		tr_val(f, "total CPU time", NULL, &r->total, true);
	}
	tr_val(f, "measured ns/switch", NULL, &r->ns, true);
	if (r->traced) {
		for (int c = 0; c < ST_NR_PAIR_COUNTS; c++)
			tr_val(f, st_pair_count_names[c], NULL, &r->count[c], false);
		tr_val(f, "mode switch, calibrated (per system call)", NULL, &r->mode_switch_cal, true);
	}
	fputs("</table>\n", f);
	if (r->traced)
		fputs("<p class=\"note\">A's bars are solid, B's lighter. The parts are the median repeat's, which add "
		      "up to its time (times the traced CPUs); ns/switch and the counts are the medians over the "
		      "repeats.</p>\n", f);
	fputs("</section>\n", f);
}

static void within_section(FILE *f, const struct st_pair *pair)
{
	char label[ST_NAME_LEN * 2 + 16];

	if (pair->base < 0)
		return;
	fputs("<section id=\"within\">\n<h2>Ratios within each file</h2>\n<p class=\"note\">Each run's ns/switch "
	      "over ", f);
	st_html_escape(f, pair->rows[pair->base].a->workload);
	fputs("'s in the same file: across machines, these compare.</p>\n<table>\n<tr><th>run</th><th>A</th>"
	      "<th>B</th><th>B/A</th></tr>\n", f);
	for (int i = 0; i < pair->nr_rows; i++) {
		st_pair_run_label(label, sizeof(label), pair->rows[i].a);
		fputs("<tr><td>", f);
		st_html_escape(f, label);
		fputs("</td>", f);
		st_html_td_num(f, "%.2fx", pair->within[i].a);
		st_html_td_num(f, "%.2fx", pair->within[i].b);
		st_html_td_num(f, "%.2f", pair->within[i].ratio);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n</section>\n", f);
}

static void only_in(FILE *f, const char *side, const struct st_run *const *runs, int n)
{
	char label[ST_NAME_LEN * 2 + 16];

	if (!n)
		return;
	fprintf(f, "<p>Only in %s (no run of the same workload on the same CPUs in %s): ", side,
		side[0] == 'A' ? "B" : "A");
	for (int i = 0; i < n; i++) {
		st_pair_run_label(label, sizeof(label), runs[i]);
		st_html_escape(f, label);
		fputs(i + 1 < n ? ", " : ".</p>\n", f);
	}
}

static void head(FILE *f, const struct st_pair *pair, const char *fa, const char *fb)
{
	const char *files[2] = { fa, fb }, *sides[2] = { "A", "B" };
	const struct st_run *first[2] = { pair->first_a, pair->first_b };
	int nruns[2] = { pair->nr_rows + pair->nr_only_a, pair->nr_rows + pair->nr_only_b };
	char title[2 * 256 + 24];

	snprintf(title, sizeof(title), "schedtrace: %.256s vs %.256s", fa, fb);
	st_html_page_start(f, title);
	fputs("<header>\n<h1>Two reports side by side</h1>\n<p class=\"sub\">", f);
	for (int s = 0; s < 2; s++) {
		fprintf(f, "%s<b>%s</b>: ", s ? "<br>\n" : "", sides[s]);
		st_html_escape(f, files[s]);
		fprintf(f, ", %d run%s", nruns[s], nruns[s] == 1 ? "" : "s");
		if (first[s]) {
			fputs(", ", f);
			st_html_escape(f, first[s]->machine.hostname[0] ? first[s]->machine.hostname : "unknown host");
			fputs(", ", f);
			st_html_escape(f, first[s]->machine.date[0] ? first[s]->machine.date : "no date");
		}
	}
	fputs("</p>\n</header>\n", f);
}

static void machines(FILE *f, const struct st_pair *pair)
{
	struct st_para p = { .len = 0 };
	const struct st_machine_diff *d = &pair->machine;

	st_pair_machine_words(&p, pair);
	fputs("<section id=\"machines\">\n<h2>Machines</h2>\n", f);
	fprintf(f, "<p class=\"%s\">", d->same_setup && d->same_machine ? "note" : "warn");
	st_html_escape(f, p.text);
	fputs("</p>\n</section>\n", f);
}

static void machine_blocks(FILE *f, const struct st_pair *pair, const char *fa, const char *fb)
{
	fputs("<section id=\"machine\">\n<h2>The machine blocks</h2>\n", f);
	if (pair->first_a) {
		fputs("<h3>A: ", f);
		st_html_escape(f, fa);
		fputs("</h3>\n", f);
		st_html_machine_block(f, pair->first_a);
	}
	if (pair->first_b) {
		fputs("<h3>B: ", f);
		st_html_escape(f, fb);
		fputs("</h3>\n", f);
		st_html_machine_block(f, pair->first_b);
	}
	fputs("</section>\n", f);
}

int st_report_pair_html(FILE *f, const struct st_pair *pair, const char *file_a, const char *file_b)
{
	head(f, pair, file_a, file_b);
	machines(f, pair);
	if (!pair->nr_rows)
		fputs("<p class=\"warn\">No run is in both files (the same workload on the same CPUs): nothing to set "
		      "side by side.</p>\n", f);
	for (int i = 0; i < pair->nr_rows; i++)
		row_section(f, &pair->rows[i], i);
	within_section(f, pair);
	if (pair->nr_only_a || pair->nr_only_b) {
		fputs("<section id=\"unpaired\">\n<h2>In one file only</h2>\n", f);
		only_in(f, "A", pair->only_a, pair->nr_only_a);
		only_in(f, "B", pair->only_b, pair->nr_only_b);
		fputs("</section>\n", f);
	}
	machine_blocks(f, pair, file_a, file_b);
	st_html_page_end(f);
	return ferror(f) ? -1 : 0;
}
