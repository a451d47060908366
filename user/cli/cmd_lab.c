// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_lab.c — `schedtrace lab [N]`: the classroom labs (docs/labs/). Without
 * N, the list; with N, the lab's experiments measured here
 * (user/collect/lab_run.c) and its worksheet printed (report/lab_text.c),
 * also as a page and as the JSON a student hands in.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "atomic_file.h"
#include "cmd.h"
#include "lab_report.h"
#include "lab_run.h"
#include "report.h"
#include "run.h"
#include "tracer.h"

enum { OPT_QUESTIONS = 256, OPT_HTML, OPT_JSON, OPT_RECALIBRATE };

static const struct st_opt opts[] = {
	{ "questions", OPT_QUESTIONS, NULL, "print the worksheet with its table blank, to predict before "
					    "measuring; nothing runs" },
	{ "rounds", 'r', "R", "rounds, 1 to 64 (default: the lab's, 2 or 3)" },
	{ "cpu", 'C', "CPU", "the first CPU the experiments use (default: the lowest allowed); two-CPU "
			     "experiments add the next allowed one" },
	{ "html", OPT_HTML, "F", "also write the worksheet to F as a self-contained page" },
	{ "json", OPT_JSON, "F", "also write the measured runs to F as JSON: what a student hands in "
				 "(schedtrace report F renders it)" },
	{ "recalibrate", OPT_RECALIBRATE, NULL, "measure the calibration again instead of using the cached one" },
	{ NULL, 0, NULL, NULL },
};

struct lab_args {
	const struct st_cmd *cmd;
	struct st_lab_opts o;
	bool questions;
	const char *rounds, *cpu, *html, *json;
};

static int on_opt(void *ctx, int key, const char *value)
{
	struct lab_args *a = ctx;

	switch (key) {
	case OPT_QUESTIONS: a->questions = true; break;
	case 'r': a->rounds = value; break;
	case 'C': a->cpu = value; break;
	case OPT_HTML: a->html = value; break;
	case OPT_JSON: a->json = value; break;
	case OPT_RECALIBRATE: a->o.recalibrate = true; break;
	}
	return 0;
}

static void list(void)
{
	for (int i = 0; i < st_nr_labs; i++)
		printf("%2d  %s\n", st_labs[i].number, st_labs[i].title);
	printf("\nschedtrace lab N runs one (each well under two minutes); schedtrace lab N --questions\n"
	       "prints its worksheet blank, to predict first. The handouts: docs/labs/.\n");
}

/* The lab and the options' values, checked; 0 or a usage error's status. */
static int check(struct lab_args *a, int argc, char **argv, int first)
{
	long v;
	char err[512];
	struct st_outputs outs = { .json = a->json, .html = a->html };

	if (first + 1 < argc)
		return st_cli_usage_error(a->cmd, "one lab at a time ('%s' and '%s')", argv[first], argv[first + 1]);
	if (st_parse_long(argv[first], 1, 99, &v) || !(a->o.lab = st_lab_find((int)v)))
		return st_cli_usage_error(a->cmd, "no lab '%s': give a number from 1 to %d (schedtrace lab lists them)",
					  argv[first], st_nr_labs);
	if (a->rounds && st_parse_long(a->rounds, 1, ST_MAX_REPEATS, &v))
		return st_cli_usage_error(a->cmd, "bad round count -r '%s': give a whole number from 1 to %d",
					  a->rounds, ST_MAX_REPEATS);
	a->o.rounds = a->rounds ? (int)v : 0;
	a->o.cpu = -1;
	if (a->cpu && st_parse_long(a->cpu, 0, 4095, &v))
		return st_cli_usage_error(a->cmd, "bad CPU '%s': give one CPU number, e.g. -C 0", a->cpu);
	if (a->cpu)
		a->o.cpu = (int)v;
	if (st_outputs_check(&outs, err, sizeof(err)))
		return st_cli_usage_error(a->cmd, "%s", err);
	return 0;
}

/* The worksheet's files: the page, and the runs that were measured as JSON. */
static int write_files(const struct lab_args *a, const struct st_lab_result *r, int rounds)
{
	struct st_atomic_file f;
	struct st_outputs outs = { .json = a->json };
	struct st_run *kept = calloc((size_t)a->o.lab->nr_exps, sizeof(*kept));
	int n = 0, rc = 0;

	if (a->html) {
		if (st_atomic_open(&f, a->html))
			rc = -1;
		else if (st_lab_html(f.f, a->o.lab, r->by_exp, rounds))
			st_atomic_abort(&f), rc = -1;
		else
			rc |= st_atomic_commit(&f);
	}
	for (int i = 0; kept && i < a->o.lab->nr_exps; i++)
		if (r->runs[i].nr_repeats > 0)
			kept[n++] = r->runs[i];
	if (a->json && (!kept || st_outputs_write(&outs, kept, n)))
		rc = -1;
	free(kept);
	return rc;
}

static int cmd_lab(const struct st_cmd *cmd, int argc, char **argv)
{
	static struct lab_args a;
	struct st_lab_result r;
	char err[1024];
	int first, rounds, e;

	memset(&a, 0, sizeof(a));
	a.cmd = cmd;
	if ((e = st_cli_parse(cmd, argc, argv, on_opt, &a, &first)) >= 0)
		return e;
	if (first >= argc)
		return list(), ST_EXIT_OK;
	if ((e = check(&a, argc, argv, first)))
		return e;
	if (a.questions)
		return st_lab_text(stdout, a.o.lab, NULL, 0) ? ST_EXIT_FAIL : ST_EXIT_OK;
	if (st_lab_traced(a.o.lab) && st_tracer_missing())
		return st_fail(ST_EXIT_FAIL, "%s", st_tracer_missing());
	a.o.progress = isatty(STDERR_FILENO);
	a.o.stop = &st_exiting;
	st_install_signals();
	e = st_lab_run(&a.o, &r, err, sizeof(err));
	if (e && e != -EINTR)
		return st_lab_release(&r), st_fail(ST_EXIT_FAIL, "lab: %s", err);
	rounds = a.o.rounds > 0 ? a.o.rounds : a.o.lab->rounds;
	for (int i = 0; i < a.o.lab->nr_exps; i++)
		if (r.skipped[i][0])
			fprintf(stderr, "schedtrace: lab %d: '%s' not measured: %s\n", a.o.lab->number,
				a.o.lab->exps[i].label, r.skipped[i]);
	st_lab_text(stdout, a.o.lab, r.by_exp, e ? r.rounds_done : rounds);
	fflush(stdout);
	if (write_files(&a, &r, e ? r.rounds_done : rounds))
		e = e ? e : -EIO;
	st_lab_release(&r);
	if (e == -EINTR)
		snprintf(err, sizeof(err), "interrupted after %d of %d rounds", r.rounds_done, rounds);
	return st_measured_status(cmd, e, err);
}

const struct st_cmd st_cmd_lab = {
	.name = "lab",
	.fn = cmd_lab,
	.operands = "[N]",
	.summary = "the classroom labs: run one here and print its worksheet",
	.about = "Lists the labs, or runs lab N on this machine: its experiments measured\n"
		 "interleaved, and its worksheet printed with this machine's numbers and what to\n"
		 "notice in them, computed from the measurements. The handouts are in docs/labs/.",
	.opts = opts,
	.examples = "schedtrace lab\n"
		    "    the labs\n"
		    "schedtrace lab 1 --questions\n"
		    "    lab 1's worksheet, blank: predict first\n"
		    "schedtrace lab 1 --html lab1.html --json lab1.json\n"
		    "    run it; the page to read, the JSON to hand in",
	.notes = "Labs with traced experiments need root (or CAP_BPF+CAP_PERFMON); lab 2 and\n"
		 "--questions do not. Ctrl-C stops, prints the worksheet of what was measured and\n"
		 "exits 130. Other exits: 0 ok, 1 runtime failure, 2 usage error.",
};
