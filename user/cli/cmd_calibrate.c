// SPDX-License-Identifier: GPL-2.0
/* cmd_calibrate.c — `schedtrace calibrate`: measure, print, refresh the cache. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "calibrate.h"
#include "cmd.h"
#include "run.h"
#include "tracer.h"

static const struct st_opt opts[] = {
	{ "cpu", 'C', "CPU", "the CPU to measure on (default: the lowest allowed)" },
	{ NULL, 0, NULL, NULL },
};

static int on_opt(void *ctx, int key, const char *value)
{
	long *cpu = ctx;

	if (key == 'C' && st_parse_long(value, 0, 4095, cpu))
		return st_fail(ST_EXIT_USAGE, "calibrate: bad CPU '%s': give one CPU number, e.g. -C 0", value);
	return 0;
}

static int cmd_calibrate(const struct st_cmd *cmd, int argc, char **argv)
{
	struct st_calibration cal;
	struct st_calibration_check chk;
	char err[512];
	const char *why;
	long cpu = -1;
	int first, e = st_cli_parse(cmd, argc, argv, on_opt, &cpu, &first);

	if (e >= 0)
		return e;
	if (first < argc)
		return st_cli_usage_error(cmd, "unknown argument '%s'", argv[first]);
	if ((why = st_tracer_missing()))
		return st_fail(ST_EXIT_FAIL, "%s", why);
	st_install_signals();
	e = st_calibrate(&cal, &chk, (int)cpu, &st_exiting, err, sizeof(err));
	if (e) {
		if (st_exiting)
			return st_fail(128 + st_exiting, "calibration interrupted; nothing was saved");
		return st_fail(ST_EXIT_FAIL, "%s", err);
	}
	st_calibration_print(stdout, &cal, &chk);
	if ((e = st_calibration_save(&cal)))
		fprintf(stderr, "schedtrace: warning: cannot cache it in %s: %s\n", ST_CALIBRATION_PATH,
			strerror(-e));
	else
		printf("  saved in %s\n", ST_CALIBRATION_PATH);
	return ST_EXIT_OK;
}

const struct st_cmd st_cmd_calibrate = {
	.name = "calibrate",
	.fn = cmd_calibrate,
	.operands = "",
	.summary = "measure the mode switch and the probes' cost on this machine",
	.about = "Measures on this machine, pinned to one CPU: the mode switch (entry + exit:\n"
		 "the bare round trip of a syscall that does no work), the probes' cost inside\n"
		 "and outside the syscall window (that call traced), getppid as the witness of\n"
		 "both, and each probe's cost per event.",
	.opts = opts,
	.examples = "schedtrace calibrate\n"
		    "    measure and cache\n"
		    "SCHEDTRACE_RAW=1 schedtrace calibrate -C 1\n"
		    "    on CPU 1, every sample printed too",
	.notes = "The result is cached in " ST_CALIBRATION_PATH " for this boot and kernel;\n"
		 "run uses the cache and measures on first use (--recalibrate redoes it).\n"
		 "Needs root (or CAP_BPF+CAP_PERFMON). Exit: 0 ok, 1 failure, 2 usage error,\n"
		 "130 interrupted.",
};
