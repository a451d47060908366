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
	if (first + 1 < argc)
		return st_cli_usage_error(cmd, "one file at a time ('%s' and '%s')", argv[first], argv[first + 1]);
	if (a.text && a.html)
		return st_cli_usage_error(cmd, "--text or --html, not both");
	if (a.html && st_path_check("--html", a.html, err, sizeof(err)))
		return st_cli_usage_error(cmd, "%s", err);

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
	.operands = "FILE.json",
	.summary = "render a run saved with --json again (text or HTML); no root needed",
	.about = "Renders a run saved with --json again (a compare set: every run in it), as\n"
		 "the terminal report or an HTML page.",
	.opts = opts,
	.examples = "schedtrace report pthread.json\n"
		    "    the terminal report of a saved run\n"
		    "schedtrace report compare.json --html compare.html\n"
		    "    a saved compare set as a page with charts",
	.notes = "The file is read as untrusted: anything wrong with it is one line and exit 1.\n"
		 "Exit: 0 ok, 1 unreadable file, 2 usage error.",
};
