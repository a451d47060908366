// SPDX-License-Identifier: GPL-2.0
/*
 * lab_text.c — a lab's worksheet on the terminal: the question, the table
 * filled with this machine's numbers (or blank, to predict first), the
 * questions, what to notice, and the machine.
 */
#include <string.h>
#include "format.h"
#include "lab_notice.h"
#include "lab_report.h"
#include "text_parts.h"

#define LABEL_W 22
#define CELL_W 9

char *st_lab_cell(char *buf, size_t len, const struct st_lab *lab, int c, const struct st_run *run,
		  const struct st_run *base)
{
	const struct st_lab_col_info *ci = &st_lab_cols[lab->cols[c]];
	double v;

	if (!st_lab_value(lab->cols[c], run, base, &v))
		snprintf(buf, len, "-");
	else if (!strcmp(ci->unit, "ns"))
		st_fmt_ns(buf, len, v);
	else if (!strcmp(ci->unit, "x"))
		snprintf(buf, len, v >= 10 ? "%.0fx" : "%.2fx", v);
	else
		snprintf(buf, len, v >= 100 ? "%.0f" : "%.2f", v);
	return buf;
}

/* One cell of the table, "____" to fill in. */
static void cell(FILE *f, const struct st_lab *lab, int c, const struct st_run *run, const struct st_run *base,
		 bool blank)
{
	char b[32];

	if (blank)
		snprintf(b, sizeof(b), "____");
	else
		st_lab_cell(b, sizeof(b), lab, c, run, base);
	fputc(' ', f);
	st_fput_padded(f, b, CELL_W - 1, 1);
}

static void table(FILE *f, const struct st_lab *lab, const struct st_run *const *runs, int rounds, bool blank)
{
	if (blank)
		fprintf(f, "Table: predict, then fill in from `schedtrace lab %d`\n", lab->number);
	else
		fprintf(f, "Table (median over %d round%s, interleaved)\n", rounds, rounds == 1 ? "" : "s");
	fputs("  ", f);
	st_fput_padded(f, "experiment", LABEL_W, 0);
	for (int c = 0; c < lab->nr_cols; c++) {
		fputc(' ', f);
		st_fput_padded(f, st_lab_cols[lab->cols[c]].head, CELL_W - 1, 1);
	}
	fputc('\n', f);
	for (int i = 0; i < lab->nr_exps; i++) {
		fputs("  ", f);
		st_fput_padded(f, lab->exps[i].label, LABEL_W, 0);
		for (int c = 0; c < lab->nr_cols; c++)
			cell(f, lab, c, runs ? runs[i] : NULL, runs ? runs[0] : NULL, blank);
		fputc('\n', f);
	}
	for (int c = 0; c < lab->nr_cols; c++)
		fprintf(f, "  %s: %s\n", st_lab_cols[lab->cols[c]].head, st_lab_cols[lab->cols[c]].what);
	fputc('\n', f);
}

static void questions(FILE *f, const struct st_lab *lab)
{
	char line[512];

	fputs("Questions\n", f);
	for (int q = 0; q < ST_LAB_MAX_QUESTIONS && lab->questions[q]; q++) {
		snprintf(line, sizeof(line), "%d. %s", q + 1, lab->questions[q]);
		fputs("  ", f);
		st_fput_wrapped(f, line, 2, 5, ST_TEXT_WIDTH);
	}
	fputc('\n', f);
}

int st_lab_text(FILE *f, const struct st_lab *lab, const struct st_run *const *runs, int rounds)
{
	struct st_para p = { .len = 0 };
	const struct st_run *machine = NULL;

	fprintf(f, "Lab %d: %s\n", lab->number, lab->title);
	st_fput_wrapped(f, lab->question, 0, 0, ST_TEXT_WIDTH);
	fprintf(f, "Handout: docs/labs/%02d-%s.md\n\n", lab->number, lab->slug);
	table(f, lab, runs, rounds, runs == NULL);
	questions(f, lab);
	if (!runs) {
		fprintf(f, "Write down your predictions, then run `sudo schedtrace lab %d` for this machine's "
			   "numbers.\n", lab->number);
		return ferror(f) ? -1 : 0;
	}
	st_lab_notice(&p, lab, runs);
	fputs("What to notice (computed from this machine's numbers)\n", f);
	if (p.len) {
		fputs("  ", f);
		st_fput_wrapped(f, p.text, 2, 2, ST_TEXT_WIDTH);
	} else {
		fputs("  Nothing measured to compare: see the table's '-'.\n", f);
	}
	fputc('\n', f);
	for (int i = 0; i < lab->nr_exps && !machine; i++)
		if (runs[i] && runs[i]->nr_repeats > 0)
			machine = runs[i];
	if (machine)
		st_text_machine(f, machine);
	return ferror(f) ? -1 : 0;
}
