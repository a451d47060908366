// SPDX-License-Identifier: GPL-2.0
/*
 * main.c — schedtrace's command line: picks the command from the table
 * (commands.c) and hands it the rest of argv.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "calibrate.h"
#include "cmd.h"
#include "version.h" /* ST_VERSION: git describe, written by the Makefile */

static void usage(FILE *f)
{
	fprintf(f, "usage: schedtrace COMMAND [options] [operands]\n\n"
		   "Where does the time of one context switch go? Runs bundled workloads pinned\n"
		   "to a core, traces them with eBPF and splits each switch into its causes.\n\n"
		   "Commands:\n");
	for (int i = 0; i < st_nr_cmds; i++)
		fprintf(f, "  %-11s %s\n", st_cmds[i]->name, st_cmds[i]->summary);
	fprintf(f, "\nschedtrace COMMAND -h says more, with examples; man schedtrace has it all.\n"
		   "run, compare, trace and calibrate need root (or CAP_BPF+CAP_PERFMON) and\n"
		   "kernel BTF; run --no-trace, list and report do not. The calibration is cached\n"
		   "for an hour, per boot and kernel, in " ST_CALIBRATION_PATH ".\n"
		   "Exit status: 0 ok, 1 runtime failure, 2 usage error, 130 interrupted (SIGINT),\n"
		   "143 terminated (SIGTERM).\n");
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage(stderr), ST_EXIT_USAGE;
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help"))
		return usage(stdout), ST_EXIT_OK;
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))
		return printf("schedtrace %s\n", ST_VERSION) < 0 ? ST_EXIT_FAIL : ST_EXIT_OK;
	if (!strcmp(argv[1], "--man"))
		return st_cli_man(stdout), ST_EXIT_OK;
	if (!strcmp(argv[1], "--bash-completion"))
		return st_cli_bash_completion(stdout), ST_EXIT_OK;
	for (int i = 0; i < st_nr_cmds; i++)
		if (!strcmp(argv[1], st_cmds[i]->name))
			return st_cmds[i]->fn(st_cmds[i], argc - 1, argv + 1);
	return st_fail(ST_EXIT_USAGE, "unknown command '%s'; try schedtrace --help", argv[1]);
}
