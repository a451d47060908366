// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_compare.c — `schedtrace compare [WORKLOAD...]`: parse, measure
 * (user/collect/compare_run.c), report (report/text_compare.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "catalog.h"
#include "cmd.h"
#include "compare_run.h"
#include "report.h"
#include "text_compare.h"
#include "tracer.h"

enum { OPT_JSON = 256, OPT_CSV, OPT_HTML, OPT_EVERY, OPT_RECALIBRATE };

static const struct st_opt opts[] = {
	{ "cpus", 'C', "CPU[,CPU2]", "the CPU every workload is pinned to (default: the lowest\n"
				     "allowed). With CPU,CPU2 the kernel-switching workloads\n"
				     "also run on two CPUs, twice: split (side A on CPU, B on\n"
				     "CPU2: every hand-off wakes the other CPU) and free (the\n"
				     "scheduler places them): migrations, cross-CPU wake-ups,\n"
				     "idle, and the waits of migrated vs local wake-ups" },
	{ "iterations", 'n', "N", "iterations per window for every workload (default: each\n"
				  "one's, a traced window of ~0.2-0.3 s on a 2-vCPU guest)" },
	{ "rounds", 'r', "R", "rounds, 1 to 64 (default 3); each round runs every workload\n"
			      "once, in turn. Each row is the median over rounds, with\n"
			      "min..max and the CV; above 10% it is flagged too noisy" },
	{ "json", OPT_JSON, "F", "also write the runs to F as JSON (a compare set)" },
	{ "csv", OPT_CSV, "F", "... as CSV" },
	{ "html", OPT_HTML, "F", "... as an HTML page" },
	{ "every-round", OPT_EVERY, NULL, "every hook in every round; by default one more run of\n"
					  "each workload does, and the rounds, cheaper,\n"
					  "split their time in its shares" },
	{ "recalibrate", OPT_RECALIBRATE, NULL, "measure the calibration again instead of using the cached one" },
	{ NULL, 0, NULL, NULL },
};

struct compare_args {
	struct st_compare_opts o;
	struct st_outputs outs;
	const char *cpus, *n, *r;
};

static int on_opt(void *ctx, int key, const char *value)
{
	struct compare_args *a = ctx;

	switch (key) {
	case 'C': a->cpus = value; break;
	case 'n': a->n = value; break;
	case 'r': a->r = value; break;
	case OPT_JSON: a->outs.json = value; break;
	case OPT_CSV: a->outs.csv = value; break;
	case OPT_HTML: a->outs.html = value; break;
	case OPT_EVERY: a->o.every_round = true; break;
	case OPT_RECALIBRATE: a->o.recalibrate = true; break;
	}
	return 0;
}

/* The operands (workloads) and the options' values, checked; 0 or a usage error's status. */
static int check(const struct st_cmd *cmd, struct compare_args *a, char **names, int nr_names)
{
	long rounds = ST_COMPARE_DEFAULT_ROUNDS;
	char err[1024];

	for (int i = 0; i < nr_names; i++) {
		if (!wl_catalog_find(names[i]))
			return st_cli_usage_error(cmd, "unknown workload '%s': give one of %s", names[i],
						  wl_catalog_names(err, sizeof(err)));
		for (int k = 0; k < i; k++)
			if (!strcmp(names[k], names[i]))
				return st_cli_usage_error(cmd, "'%s' is named twice; name each workload once", names[i]);
	}
	if (nr_names > ST_COMPARE_MAX_JOBS / 3)
		return st_cli_usage_error(cmd, "%d workloads: at most %d at a time", nr_names, ST_COMPARE_MAX_JOBS / 3);
	a->o.names = (const char *const *)names;
	a->o.nr_names = nr_names;
	if (a->cpus && st_parse_cpus(a->cpus, a->o.cpus, ST_RUN_MAX_CPUS, &a->o.nr_cpus, err, sizeof(err)))
		return st_cli_usage_error(cmd, "%s", err);
	if (a->o.nr_cpus == 2 && a->o.cpus[0] == a->o.cpus[1])
		a->o.nr_cpus = 1;
	if (a->n && st_parse_long(a->n, 1, 1000000000000L, &a->o.iterations))
		return st_cli_usage_error(cmd, "bad iteration count -n '%s': give a whole number from 1, e.g. -n 5000",
					  a->n);
	if (a->r && st_parse_long(a->r, 1, ST_MAX_REPEATS, &rounds))
		return st_cli_usage_error(cmd, "bad round count -r '%s': give a whole number from 1 to %d", a->r,
					  ST_MAX_REPEATS);
	a->o.rounds = (int)rounds;
	if (st_outputs_check(&a->outs, err, sizeof(err)))
		return st_cli_usage_error(cmd, "%s", err);
	return 0;
}

static int cmd_compare(const struct st_cmd *cmd, int argc, char **argv)
{
	struct compare_args a = { .o = { .rounds = ST_COMPARE_DEFAULT_ROUNDS } };
	struct st_compare c;
	char err[1024];
	int first, e = st_cli_parse(cmd, argc, argv, on_opt, &a, &first);

	if (e >= 0 || (e = check(cmd, &a, argv + first, argc - first)))
		return e;
	if (st_tracer_missing())
		return st_fail(ST_EXIT_FAIL, "%s", st_tracer_missing());
	a.o.progress = isatty(STDERR_FILENO);
	a.o.stop = &st_exiting;
	st_install_signals(); /* before anything it must undo is started */
	e = st_compare_run(&a.o, &c, err, sizeof(err));
	if (e && e != ST_RUN_INTERRUPTED)
		return st_fail(ST_EXIT_FAIL, "compare: %s", err);
	if (c.nr_pinned + c.nr_split > 0) {
		st_report_compare_text(stdout, &c);
		fflush(stdout);
		if (st_outputs_write(&a.outs, c.pinned, c.nr_pinned + c.nr_split))
			e = e ? e : -EIO;
	}
	st_compare_release(&c);
	return st_measured_status(cmd, e, err);
}

const struct st_cmd st_cmd_compare = {
	.name = "compare",
	.fn = cmd_compare,
	.operands = "[WORKLOAD...]",
	.summary = "workloads side by side, and the gap between them explained",
	.about = "Runs workloads side by side, traced, and explains the gap between a kernel\n"
		 "thread switch (pthread) and a user-space one (coro-yield, coro-chan): a table\n"
		 "per switch, the CPU-time parts, the gap in the seed article's three causes,\n"
		 "and the seed's figures beside this machine's. WORKLOAD... defaults to the\n"
		 "switch group of schedtrace list.",
	.opts = opts,
	.examples = "schedtrace compare\n"
		    "    the default set, 3 rounds (~20 s on 2 vCPUs)\n"
		    "schedtrace compare coro-yield pthread -r 5 --html gap.html\n"
		    "    the seed's gap alone, and a page with its chart\n"
		    "schedtrace compare -C 0,1\n"
		    "    and the kernel-switching workloads over two CPUs (~45 s)",
	.notes = "Needs root (or CAP_BPF+CAP_PERFMON). Ctrl-C or SIGTERM stops, prints what was\n"
		 "measured marked INCOMPLETE and exits 130 or 143. Other exits: 0 ok, 1 runtime\n"
		 "failure, 2 usage error.",
};
