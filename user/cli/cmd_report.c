// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_report.c — `schedtrace report FILE.json [FILE2.json] [--text | --html
 * F]`: renders a run saved with --json again, as the terminal report or an
 * HTML page; with two files, the runs of both side by side (user/core/pair.h,
 * report/pair_words.h). The files are untrusted: anything wrong with one is
 * one line and exit 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "atomic_file.h"
#include "json_read.h"
#include "pair.h"
#include "pair_words.h"
#include "path_check.h"
#include "report.h"

enum { OPT_TEXT = 256, OPT_HTML };

static const struct st_opt opts[] = {
	{ "text", OPT_TEXT, NULL, "the terminal report, on stdout (the default)" },
	{ "html", OPT_HTML, "F", "a self-contained HTML page with charts, written to F" },
	{ NULL, 0, NULL, NULL },
};

struct report_args {
	bool text;
	const char *html;
};

static int on_opt(void *ctx, int key, const char *value)
{
	struct report_args *a = ctx;

	if (key == OPT_TEXT)
		a->text = true;
	else if (key == OPT_HTML)
		a->html = value;
	return 0;
}

static int print_text(const struct st_run *runs, int n)
{
	for (int i = 0; i < n; i++) {
		if (i)
			fputc('\n', stdout);
		if (st_report_text(stdout, &runs[i]))
			return -1;
	}
	return fflush(stdout) ? -1 : 0;
}

/* The pair page, written as every output file is: whole or not at all, owned by the invoking user. */
static int write_pair_html(const char *path, const struct st_pair *pair, const char *fa, const char *fb)
{
	struct st_atomic_file af;

	if (st_atomic_open(&af, path))
		return -1;
	if (st_report_pair_html(af.f, pair, fa, fb)) {
		st_atomic_abort(&af);
		return st_fail(-1, "cannot write %s: writing failed (disk full?); the old file, if any, is unchanged",
			       path);
	}
	return st_atomic_commit(&af);
}

/* report A.json B.json: the runs in both files side by side. */
static int report_pair(const struct report_args *a, const char *fa, const char *fb)
{
	struct st_run *ra, *rb;
	struct st_pair *pair;
	char err[512];
	int na, nb, ret;

	if (st_json_read_file(fa, &ra, &na, err, sizeof(err)))
		return st_fail(ST_EXIT_FAIL, "%s: %s", fa, err);
	if (st_json_read_file(fb, &rb, &nb, err, sizeof(err))) {
		free(ra);
		return st_fail(ST_EXIT_FAIL, "%s: %s", fb, err);
	}
	pair = malloc(sizeof(*pair));
	if (!pair) {
		ret = st_fail(ST_EXIT_FAIL, "report: out of memory");
	} else {
		st_pair_runs(ra, na, rb, nb, pair);
		if (a->html)
			ret = write_pair_html(a->html, pair, fa, fb) ? ST_EXIT_FAIL : ST_EXIT_OK;
		else if (st_report_pair_text(stdout, pair, fa, fb) || fflush(stdout))
			ret = st_fail(ST_EXIT_FAIL, "report: cannot write the report to stdout");
		else
			ret = ST_EXIT_OK;
	}
	free(pair);
	free(ra);
	free(rb);
	return ret;
}

static int cmd_report(const struct st_cmd *cmd, int argc, char **argv)
{
	struct report_args a = { 0 };
	struct st_run *runs;
	char err[512];
	int n, first, ret = st_cli_parse(cmd, argc, argv, on_opt, &a, &first);

	if (ret >= 0)
		return ret;
	if (first >= argc)
		return st_cli_usage_error(cmd, "which file? give a JSON file written by --json");
	if (first + 2 < argc)
		return st_cli_usage_error(cmd, "one file, or two side by side ('%s', '%s' and '%s')", argv[first],
					  argv[first + 1], argv[first + 2]);
	if (a.text && a.html)
		return st_cli_usage_error(cmd, "--text or --html, not both");
	if (a.html && st_path_check("--html", a.html, err, sizeof(err)))
		return st_cli_usage_error(cmd, "%s", err);
	if (first + 1 < argc)
		return report_pair(&a, argv[first], argv[first + 1]);

	if (st_json_read_file(argv[first], &runs, &n, err, sizeof(err)))
		return st_fail(ST_EXIT_FAIL, "%s: %s", argv[first], err);
	if (a.html) {
		struct st_outputs o = { .html = a.html };
		ret = st_outputs_write(&o, runs, n) ? ST_EXIT_FAIL : ST_EXIT_OK;
	} else {
		ret = print_text(runs, n) ? st_fail(ST_EXIT_FAIL, "report: cannot write the report to stdout")
					  : ST_EXIT_OK;
	}
	free(runs);
	return ret;
}

const struct st_cmd st_cmd_report = {
	.name = "report",
	.fn = cmd_report,
	.operands = "FILE.json [FILE2.json]",
	.summary = "render saved runs again, or two files side by side; no root needed",
	.about = "Renders a run saved with --json again (a compare set: every run in it), as\n"
		 "the terminal report or an HTML page.\n"
		 "\n"
		 "With two files, A and B (two machines, two kernels, before and after), the\n"
		 "runs in both (same workload, same CPUs) side by side: each CPU-time part per\n"
		 "switch on A and B, B - A and B/A, ns/switch, the counts, the calibrated mode\n"
		 "switch; which side is faster and the part that changed most, in sentences;\n"
		 "how the two machines differ (CPU, kernel, virtualization, PTI and the other\n"
		 "mitigations), and whether to read absolute numbers or the ratios within each\n"
		 "file. Runs in one file only are listed.",
	.opts = opts,
	.examples = "schedtrace report pthread.json\n"
		    "    the terminal report of a saved run\n"
		    "schedtrace report compare.json --html compare.html\n"
		    "    a saved compare set as a page with charts\n"
		    "schedtrace report mine.json neighbour.json\n"
		    "    your runs beside your neighbour's: what differs, and why\n"
		    "schedtrace report before.json after.json --html diff.html\n"
		    "    before and after, as a page with a bar chart per run",
	.notes = "The files are read as untrusted: anything wrong with one is one line and exit 1.\n"
		 "Exit: 0 ok, 1 unreadable file, 2 usage error.",
};
