// SPDX-License-Identifier: GPL-2.0
/* cmd_run.c — `schedtrace run WORKLOAD ...`: parse, run, report. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "calibrate.h"
#include "cmd.h"
#include "report.h"
#include "run.h"
#include "size_arg.h"
#include "tracer.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: schedtrace run WORKLOAD [-C CPUS] [-n ITERATIONS] [-r REPEATS] [--json F] [--csv F]\n"
		"                      [--html F] [--perfetto F [--ring-size SIZE]] [--no-trace] [--light]\n"
		"                      [--every-repeat] [--recalibrate]\n\n"
		"Runs a bundled workload (schedtrace list) pinned to CPUS, traces it with eBPF and\n"
		"says where the time of one switch goes.\n\n"
		"  -C CPUS         the CPU of side A, or A,B for two-sided workloads (default: the\n"
		"                  lowest allowed CPU); these CPUs' time is what the breakdown splits\n"
		"  -n ITERATIONS   iterations per repeat (default: the workload's)\n"
		"  -r REPEATS      measured windows, 1..%d (default: the workload's); the summary is\n"
		"                  the median over them\n"
		"  --json/--csv/--html/--perfetto F   also write the run to F; --perfetto records\n"
		"                  a window of its own before the repeats (one more for the workload)\n"
		"  --ring-size SIZE  the timeline's ring buffer, a power of two from 4K to 1G\n"
		"                  (default 2M); records that do not fit are counted per CPU, and\n"
		"                  the Perfetto file marks the gaps they leave\n"
		"  --no-trace      no BPF: only the workload's own ns/switch\n"
		"  --light         scheduler view only: no syscall hooks and no sched_waking (less\n"
		"                  overhead); syscall time then shows as user time, and which CPU\n"
		"                  woke a thread is not traced; with --perfetto, a timeline of the\n"
		"                  scheduler only (no syscall slices, no wake-up flows) at under\n"
		"                  half the full timeline's overhead\n"
		"  --every-repeat  time system calls in every repeat; by default only the first\n"
		"                  repeat has the syscall hooks and the others, which perturb the\n"
		"                  workload ~3x less, take its kernel/user split per switch\n"
		"  --recalibrate   measure the calibration again instead of using the cached one\n"
		"                  (" ST_CALIBRATION_PATH ", for an hour, this boot and kernel)\n\n"
		"Needs root (or CAP_BPF+CAP_PERFMON) unless --no-trace. Works without tracefs.\n"
		"Ctrl-C or SIGTERM stops the workload, detaches, prints what was measured marked\n"
		"incomplete and exits 130 (SIGINT) or 143 (SIGTERM). Other exits: 0 ok, 1 runtime\n"
		"failure, 2 usage error.\n",
		ST_MAX_REPEATS);
}

static void workload_names(char *out, size_t len)
{
	size_t n = 0;

	out[0] = '\0';
	for (int i = 0; i < st_nr_workloads && n < len; i++)
		n += (size_t)snprintf(out + n, len - n, "%s%s", i ? " " : "", st_workloads[i].name);
}

int cmd_run(int argc, char **argv)
{
	static struct st_run run;
	struct st_run_opts o = { 0 };
	struct st_outputs outs = { 0 };
	const char *workload = NULL, *cpus = NULL, *n = NULL, *r = NULL, *ring = NULL;
	char err[1024], names[256];
	int e;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **val = NULL;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return ST_EXIT_OK;
		} else if (!strcmp(a, "--no-trace")) {
			o.no_trace = true;
			continue;
		} else if (!strcmp(a, "--recalibrate")) {
			o.recalibrate = true;
			continue;
		} else if (!strcmp(a, "--light")) {
			o.light = true;
			continue;
		} else if (!strcmp(a, "--every-repeat")) {
			o.every_repeat = true;
			continue;
		} else if (!strcmp(a, "-C")) {
			val = &cpus;
		} else if (!strcmp(a, "-n")) {
			val = &n;
		} else if (!strcmp(a, "-r")) {
			val = &r;
		} else if (!strcmp(a, "--ring-size")) {
			val = &ring;
		} else if ((val = st_outputs_slot(&outs, a, 1))) {
			/* a file to write */
		} else if (a[0] == '-') {
			return st_fail(ST_EXIT_USAGE, "run: unknown option '%s'; try schedtrace run -h", a);
		} else if (!workload) {
			workload = a;
			continue;
		} else {
			return st_fail(ST_EXIT_USAGE, "run: one workload at a time ('%s' and '%s'); try schedtrace run -h",
				       workload, a);
		}
		if (i + 1 >= argc)
			return st_fail(ST_EXIT_USAGE, "run: %s needs a value; try schedtrace run -h", a);
		*val = argv[++i];
	}

	workload_names(names, sizeof(names));
	if (!workload)
		return st_fail(ST_EXIT_USAGE, "run: which workload? one of: %s", names);
	if (!st_workload_find(workload))
		return st_fail(ST_EXIT_USAGE, "unknown workload '%s'; the workloads are: %s", workload, names);
	o.workload = workload;
	if (cpus && st_parse_cpus(cpus, o.cpus, ST_RUN_MAX_CPUS, &o.nr_cpus, err, sizeof(err)))
		return st_fail(ST_EXIT_USAGE, "%s", err);
	if (n && st_parse_long(n, 1, 1000000000000L, &o.iterations))
		return st_fail(ST_EXIT_USAGE, "bad iteration count -n '%s': give a whole number from 1, e.g. -n 100000",
			       n);
	if (r && st_parse_long(r, 1, ST_MAX_REPEATS, &o.repeats))
		return st_fail(ST_EXIT_USAGE, "bad repeat count -r '%s': give a whole number from 1 to %d", r,
			       ST_MAX_REPEATS);
	if (ring && !outs.perfetto)
		return st_fail(ST_EXIT_USAGE, "run: --ring-size sizes the timeline's ring buffer: give it with --perfetto F");
	if (ring && st_parse_ring_size(ring, &o.ring_bytes, err, sizeof(err)))
		return st_fail(ST_EXIT_USAGE, "run: %s", err);
	if (st_outputs_check(&outs, err, sizeof(err)))
		return st_fail(ST_EXIT_USAGE, "run: %s", err);
	if (!o.no_trace) {
		const char *why = st_tracer_missing();

		if (why)
			return st_fail(ST_EXIT_FAIL, "%s", why);
	}

	o.progress = isatty(STDERR_FILENO);
	o.timeline = outs.perfetto != NULL;
	o.stop = &st_exiting;
	st_install_signals(); /* before anything it must undo is started */
	e = st_run_workload(&o, &run, err, sizeof(err));
	if (e && e != ST_RUN_INTERRUPTED)
		return st_fail(ST_EXIT_FAIL, "%s", err);

	/* interrupted in the timeline's window: no repeat yet, but its records are worth keeping */
	if (run.nr_repeats > 0 || run.timeline) {
		st_report_text(stdout, &run);
		fflush(stdout);
		if (st_outputs_write(&outs, &run, 1))
			e = e ? e : -EIO;
	}
	st_run_release(&run);
	if (e == ST_RUN_INTERRUPTED) {
		st_fail(0, "%s; the report above is incomplete", err);
		return 128 + (st_exiting ? st_exiting : SIGINT);
	}
	return e ? ST_EXIT_FAIL : ST_EXIT_OK;
}
