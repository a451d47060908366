// SPDX-License-Identifier: GPL-2.0
/*
 * lab_html.c — a lab's worksheet as a self-contained page: the question,
 * the filled table, the CPU-time parts as bars (inline SVG), the questions,
 * what to notice, and the machine.
 */
#include <string.h>
#include "format.h"
#include "html.h"
#include "lab_notice.h"
#include "lab_report.h"

static void td_value(FILE *f, const struct st_lab *lab, int c, const struct st_run *run, const struct st_run *base)
{
	char b[32];

	fputs("<td>", f);
	st_html_escape(f, st_lab_cell(b, sizeof(b), lab, c, run, base));
	fputs("</td>", f);
}

static void table(FILE *f, const struct st_lab *lab, const struct st_run *const *runs, int rounds)
{
	fprintf(f, "<section id=\"table\">\n<h2>Table</h2>\n<p class=\"sub\">Median over %d round%s, "
		   "interleaved.</p>\n<table>\n<tr><th>experiment</th>",
		rounds, rounds == 1 ? "" : "s");
	for (int c = 0; c < lab->nr_cols; c++) {
		fputs("<th>", f);
		st_html_escape(f, st_lab_cols[lab->cols[c]].head);
		fputs("</th>", f);
	}
	fputs("</tr>\n", f);
	for (int i = 0; i < lab->nr_exps; i++) {
		fputs("<tr><td>", f);
		st_html_escape(f, lab->exps[i].label);
		fputs("</td>", f);
		for (int c = 0; c < lab->nr_cols; c++)
			td_value(f, lab, c, runs[i], runs[0]);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n<ul class=\"note\">\n", f);
	for (int c = 0; c < lab->nr_cols; c++) {
		fputs("<li><b>", f);
		st_html_escape(f, st_lab_cols[lab->cols[c]].head);
		fputs("</b>: ", f);
		st_html_escape(f, st_lab_cols[lab->cols[c]].what);
		fputs("</li>\n", f);
	}
	fputs("</ul>\n</section>\n", f);
}

/* The traced experiments' parts, each bar its own 100% (workloads may be 100x apart). */
static void parts(FILE *f, const struct st_lab *lab, const struct st_run *const *runs)
{
	const struct st_run *traced[ST_LAB_MAX_EXPS];
	int n = 0;

	for (int i = 0; i < lab->nr_exps; i++)
		if (runs[i] && runs[i]->nr_repeats > 0 && runs[i]->traced)
			traced[n++] = runs[i];
	if (!n)
		return;
	fputs("<section id=\"parts\">\n<h2>Where the time goes</h2>\n", f);
	st_svg_parts_bars(f, traced, n, 0);
	fputs("<ul class=\"legend\">\n", f);
	for (int p = 0; p < ST_HTML_NR_PARTS; p++)
		fprintf(f, "<li><span class=\"sw\" style=\"background:%s\"></span>%s</li>\n", st_html_parts[p].color,
			st_html_parts[p].name);
	fputs("</ul>\n<p class=\"note\">Each bar is its own 100%: the experiments may be 100x apart.</p>\n</section>\n", f);
}

static void questions(FILE *f, const struct st_lab *lab)
{
	fputs("<section id=\"questions\">\n<h2>Questions</h2>\n<ol>\n", f);
	for (int q = 0; q < ST_LAB_MAX_QUESTIONS && lab->questions[q]; q++) {
		fputs("<li>", f);
		st_html_escape(f, lab->questions[q]);
		fputs("</li>\n", f);
	}
	fputs("</ol>\n</section>\n", f);
}

int st_lab_html(FILE *f, const struct st_lab *lab, const struct st_run *const *runs, int rounds)
{
	struct st_para p = { .len = 0 };
	char title[160];
	const struct st_run *machine = NULL;

	snprintf(title, sizeof(title), "schedtrace lab %d: %s", lab->number, lab->title);
	st_html_page_start(f, title);
	fputs("<h1>", f);
	st_html_escape(f, title);
	fputs("</h1>\n<p class=\"lead\">", f);
	st_html_escape(f, lab->question);
	fprintf(f, "</p>\n<p class=\"sub\">Handout: docs/labs/%02d-%s.md</p>\n", lab->number, lab->slug);
	table(f, lab, runs, rounds);
	parts(f, lab, runs);
	questions(f, lab);
	st_lab_notice(&p, lab, runs);
	fputs("<section id=\"notice\">\n<h2>What to notice</h2>\n<p>", f);
	st_html_escape(f, p.len ? p.text : "Nothing measured to compare.");
	fputs("</p>\n<p class=\"note\">Computed from this machine's numbers above.</p>\n</section>\n", f);
	for (int i = 0; i < lab->nr_exps && !machine; i++)
		if (runs[i] && runs[i]->nr_repeats > 0)
			machine = runs[i];
	if (machine)
		st_html_machine(f, machine);
	st_html_page_end(f);
	return ferror(f) ? -1 : 0;
}
