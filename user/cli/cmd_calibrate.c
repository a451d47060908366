// SPDX-License-Identifier: GPL-2.0
/* cmd_calibrate.c — `schedtrace calibrate`: measure, print, refresh the cache. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "calibrate.h"
#include "cmd.h"
#include "run.h"
#include "tracer.h"

int cmd_calibrate(int argc, char **argv)
{
	struct st_calibration cal;
	struct st_calibration_check chk;
	char err[512];
	long cpu = -1;
	int e;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			printf("usage: schedtrace calibrate [-C CPU]\n\n"
			       "Measures on this machine, pinned to one CPU (default: the lowest allowed):\n"
			       "the mode switch (entry + exit: the bare round trip of a syscall that does\n"
			       "no work), the probes' cost inside and outside the syscall window (that\n"
			       "call traced), getppid as the witness of both, and each probe's cost per\n"
			       "event.\n"
			       "The result is cached in %s for this boot and kernel;\n"
			       "run uses the cache and measures on first use (--recalibrate redoes it).\n",
			       ST_CALIBRATION_PATH);
			return ST_EXIT_OK;
		}
		if (!strcmp(argv[i], "-C") && i + 1 < argc) {
			if (st_parse_long(argv[++i], 0, 4095, &cpu))
				return st_fail(ST_EXIT_USAGE, "bad CPU '%s': give one CPU number, e.g. -C 0", argv[i]);
			continue;
		}
		return st_fail(ST_EXIT_USAGE, "calibrate: unknown argument '%s'; try schedtrace calibrate -h",
			       argv[i]);
	}
	{
		const char *why = st_tracer_missing();

		if (why)
			return st_fail(ST_EXIT_FAIL, "%s", why);
	}
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
