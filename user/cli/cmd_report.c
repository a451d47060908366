// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_report.c — `schedtrace report FILE.json [--text | --html F]`: renders a
 * run saved with --json again, as the terminal report or an HTML page. The
 * file is untrusted: anything wrong with it is one line and exit 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "json_read.h"
#include "path_check.h"
#include "report.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: schedtrace report FILE.json [--text | --html F]\n"
		"  Renders a run saved with --json again (a compare set: every run in it).\n"
		"  --text     the terminal report, on stdout (the default)\n"
		"  --html F   a self-contained HTML page with charts, written to F\n");
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

int cmd_report(int argc, char **argv)
{
	const char *file = NULL, *html = NULL;
	bool text = false;
	struct st_run *runs;
	char err[512];
	int n, ret;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return ST_EXIT_OK;
		} else if (!strcmp(a, "--text")) {
			text = true;
		} else if (!strcmp(a, "--html")) {
			if (i + 1 >= argc)
				return st_fail(ST_EXIT_USAGE, "report: --html needs a file name; try schedtrace report -h");
			html = argv[++i];
		} else if (a[0] == '-' && a[1]) {
			return st_fail(ST_EXIT_USAGE, "report: unknown option '%s'; try schedtrace report -h", a);
		} else if (!file) {
			file = a;
		} else {
			return st_fail(ST_EXIT_USAGE, "report: one file at a time ('%s' and '%s'); try schedtrace report -h",
				       file, a);
		}
	}
	if (!file)
		return st_fail(ST_EXIT_USAGE, "report: which file? give a JSON file written by --json");
	if (text && html)
		return st_fail(ST_EXIT_USAGE, "report: --text or --html, not both");
	if (html && st_path_check("--html", html, err, sizeof(err)))
		return st_fail(ST_EXIT_USAGE, "report: %s", err);

	if (st_json_read_file(file, &runs, &n, err, sizeof(err)))
		return st_fail(ST_EXIT_FAIL, "%s: %s", file, err);
	if (html) {
		struct st_outputs o = { .html = html };
		ret = st_outputs_write(&o, runs, n) ? ST_EXIT_FAIL : ST_EXIT_OK;
	} else {
		ret = print_text(runs, n) ? st_fail(ST_EXIT_FAIL, "report: cannot write the report to stdout")
					  : ST_EXIT_OK;
	}
	free(runs);
	return ret;
}
