// SPDX-License-Identifier: GPL-2.0
/* cmd_run.c — `schedtrace run WORKLOAD ...`: parse, run (user/collect/run.c), report. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "calibrate.h"
#include "catalog.h"
#include "cmd.h"
#include "report.h"
#include "run.h"
#include "size_arg.h"
#include "tracer.h"

enum { OPT_JSON = 256, OPT_CSV, OPT_HTML, OPT_PERFETTO, OPT_RING, OPT_NO_TRACE, OPT_LIGHT, OPT_EVERY,
       OPT_RECALIBRATE, OPT_SWITCHES, OPT_UNTRACED };

static const struct st_opt opts[] = {
	{ "cpus", 'C', "CPUS", "the CPU of side A, or A,B for two-sided workloads (default:\n"
			       "the lowest allowed CPU); their time is what the breakdown splits" },
	{ "iterations", 'n', "N", "iterations per repeat (default: the workload's)" },
	{ "repeats", 'r', "R", "measured windows, 1 to 64 (default: the workload's); the\n"
			       "summary is the median over them" },
	{ "json", OPT_JSON, "F", "also write the run to F as JSON (docs/json-schema.md)" },
	{ "csv", OPT_CSV, "F", "... as CSV, a row per repeat (docs/csv.md)" },
	{ "html", OPT_HTML, "F", "... as a self-contained HTML page with charts" },
	{ "perfetto", OPT_PERFETTO, "F", "... as a Perfetto timeline (F.gz: gzipped), recorded in a\n"
					 "window of its own before the repeats" },
	{ "switches", OPT_SWITCHES, "F", "... as CSV, a row per kernel switch of the workload's threads in the "
					 "timeline's window (docs/switches-csv.md: CPU, both threads, prev's state and "
					 "slice, next's runqueue wait and its class, syscall, migration); with --perfetto, "
					 "the two share that window" },
	{ "ring-size", OPT_RING, "SIZE", "the timeline's ring buffer, a power of two from 4K to 1G\n"
					 "(default 2M); records that do not fit are counted per\n"
					 "CPU, the Perfetto file marks the gaps they leave and\n"
					 "--switches says so on stderr" },
	{ "no-trace", OPT_NO_TRACE, NULL, "no BPF: the workload's own ns/switch only" },
	{ "light", OPT_LIGHT, NULL, "scheduler view only (sched_switch and sched_waking): less\n"
				    "overhead, and the threads' time is not split into user\n"
				    "and kernel; with --perfetto or --switches, a\n"
				    "scheduler-only timeline (no system calls)" },
	{ "every-repeat", OPT_EVERY, NULL, "every hook in every repeat; by default only the first\n"
					   "repeat has them and the others are lean (switch counts\n"
					   "from the kernel, user share from their samples, the rest\n"
					   "in the first's shares, its waits)" },
	{ "no-untraced-repeat", OPT_UNTRACED, NULL, "no extra window after the repeats; by default one\n"
						    "more runs with every hook detached, the workload's own\n"
						    "ns/switch beside the corrected figure" },
	{ "recalibrate", OPT_RECALIBRATE, NULL, "measure the calibration again instead of using the\n"
						"cached one (" ST_CALIBRATION_PATH ", an hour)" },
	{ NULL, 0, NULL, NULL },
};

struct run_args {
	const struct st_cmd *cmd;
	struct st_run_opts o;
	struct st_outputs outs;
	const char *cpus, *n, *r, *ring;
	bool no_untraced;
};

static int on_opt(void *ctx, int key, const char *value)
{
	struct run_args *a = ctx;

	switch (key) {
	case 'C': a->cpus = value; break;
	case 'n': a->n = value; break;
	case 'r': a->r = value; break;
	case OPT_JSON: a->outs.json = value; break;
	case OPT_CSV: a->outs.csv = value; break;
	case OPT_HTML: a->outs.html = value; break;
	case OPT_PERFETTO: a->outs.perfetto = value; break;
	case OPT_SWITCHES: a->outs.switches = value; break;
	case OPT_RING: a->ring = value; break;
	case OPT_NO_TRACE: a->o.no_trace = true; break;
	case OPT_LIGHT: a->o.light = true; break;
	case OPT_EVERY: a->o.every_repeat = true; break;
	case OPT_RECALIBRATE: a->o.recalibrate = true; break;
	case OPT_UNTRACED: a->no_untraced = true; break;
	}
	return 0;
}

/* The values of the options, checked; 0 or the exit status of a usage error. */
static int check(struct run_args *a)
{
	const struct st_cmd *cmd = a->cmd;
	char err[1024];

	if (a->cpus && st_parse_cpus(a->cpus, a->o.cpus, ST_RUN_MAX_CPUS, &a->o.nr_cpus, err, sizeof(err)))
		return st_cli_usage_error(cmd, "%s", err);
	if (a->n && st_parse_long(a->n, 1, 1000000000000L, &a->o.iterations))
		return st_cli_usage_error(cmd, "bad iteration count -n '%s': give a whole number from 1, e.g. -n 100000",
					  a->n);
	if (a->r && st_parse_long(a->r, 1, ST_MAX_REPEATS, &a->o.repeats))
		return st_cli_usage_error(cmd, "bad repeat count -r '%s': give a whole number from 1 to %d", a->r,
					  ST_MAX_REPEATS);
	if (a->ring && !a->outs.perfetto && !a->outs.switches)
		return st_cli_usage_error(cmd, "--ring-size sizes the timeline's ring buffer: give it with --perfetto F "
					       "or --switches F");
	if (a->o.no_trace && a->no_untraced)
		return st_cli_usage_error(cmd, "--no-untraced-repeat drops the untraced window of a traced run: "
					       "with --no-trace every repeat is untraced; drop one of them");
	a->o.untraced_last = !a->o.no_trace && !a->no_untraced;
	if (a->o.no_trace && (a->outs.perfetto || a->outs.switches))
		return st_cli_usage_error(cmd, "%s needs the tracer (it writes what the timeline recorded): drop --no-trace",
					  a->outs.perfetto ? "--perfetto" : "--switches");
	if (a->ring && st_parse_ring_size(a->ring, &a->o.ring_bytes, err, sizeof(err)))
		return st_cli_usage_error(cmd, "%s", err);
	if (st_outputs_check(&a->outs, err, sizeof(err)))
		return st_cli_usage_error(cmd, "%s", err);
	return 0;
}

/* The workload operand; 0 or the exit status of a usage error. */
static int workload_of(struct run_args *a, int argc, char **argv, int first)
{
	if (first >= argc)
		return st_cli_usage_error(a->cmd, "which workload? schedtrace list shows them");
	if (first + 1 < argc)
		return st_cli_usage_error(a->cmd, "one workload at a time ('%s' and '%s')", argv[first], argv[first + 1]);
	if (!wl_catalog_find(argv[first])) {
		char names[512];

		return st_cli_usage_error(a->cmd, "unknown workload '%s': give one of %s", argv[first],
					  wl_catalog_names(names, sizeof(names)));
	}
	a->o.workload = argv[first];
	return 0;
}

static int cmd_run(const struct st_cmd *cmd, int argc, char **argv)
{
	static struct st_run run;
	struct run_args a = { .cmd = cmd };
	char err[1024];
	int first, ours = argc, e;

	/* after "--", the workload's own options: ours are parsed up to it */
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			ours = i;
			a.o.wl_args = argv + i + 1;
			a.o.nr_wl_args = argc - i - 1;
			break;
		}
	if (a.o.nr_wl_args > ST_RUN_MAX_WL_ARGS)
		return st_cli_usage_error(cmd, "at most %d options after --, for the workload", ST_RUN_MAX_WL_ARGS);
	e = st_cli_parse(cmd, ours, argv, on_opt, &a, &first);
	if (e >= 0 || (e = workload_of(&a, ours, argv, first)) || (e = check(&a)))
		return e;
	if (!a.o.no_trace && st_tracer_missing())
		return st_fail(ST_EXIT_FAIL, "%s", st_tracer_missing());

	a.o.progress = isatty(STDERR_FILENO);
	/* --switches writes its rows from the timeline's records: one window serves both */
	a.o.timeline = a.outs.perfetto || a.outs.switches;
	a.o.stop = &st_exiting;
	st_install_signals(); /* before anything it must undo is started */
	e = st_run_workload(&a.o, &run, err, sizeof(err));
	if (e && e != ST_RUN_INTERRUPTED)
		return st_fail(ST_EXIT_FAIL, "%s", err);
	/* interrupted in the timeline's window: no repeat yet, but its records are worth keeping */
	if (run.nr_repeats > 0 || run.timeline) {
		st_report_text(stdout, &run);
		fflush(stdout);
		if (st_outputs_write(&a.outs, &run, 1))
			e = e ? e : -EIO;
	}
	st_run_release(&run);
	return st_measured_status(cmd, e, err);
}

const struct st_cmd st_cmd_run = {
	.name = "run",
	.fn = cmd_run,
	.operands = "WORKLOAD [-- WORKLOAD-OPTIONS]",
	.summary = "a bundled workload pinned and traced: where one switch's time goes",
	.about = "Runs a bundled workload (schedtrace list) pinned to CPUS, traces it with eBPF\n"
		 "and says where the time of one switch goes: user code, mode switches, the\n"
		 "scheduler's work, the system calls' own work, the return path, other tasks,\n"
		 "idle, the tracer itself and what is left unexplained, each part checked\n"
		 "against a witness (cpu-clock sampling) in the report.",
	.opts = opts,
	.examples = "schedtrace run pthread\n"
		    "    one pthread switch, split into its causes\n"
		    "schedtrace run futex -C 0,1 --json futex.json\n"
		    "    its two sides on two CPUs: migrations, cross-CPU wake-ups, idle\n"
		    "schedtrace run pthread --perfetto trace.json.gz\n"
		    "    and a timeline for ui.perfetto.dev\n"
		    "schedtrace run pthread --switches switches.csv\n"
		    "    a row per kernel switch: waits, slices, migrations\n"
		    "schedtrace run hog-coro -- --preempt 10\n"
		    "    the workload's own options after -- (build/workloads/hog-coro -h)",
	.notes = "Needs root (or CAP_BPF+CAP_PERFMON) unless --no-trace. Works without tracefs.\n"
		 "Ctrl-C or SIGTERM stops the workload, detaches, prints what was measured marked\n"
		 "INCOMPLETE and exits 130 (SIGINT) or 143 (SIGTERM). Other exits: 0 ok, 1 runtime\n"
		 "failure, 2 usage error.",
};
