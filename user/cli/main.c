// SPDX-License-Identifier: GPL-2.0
/*
 * main.c — schedtrace's command line: a table of subcommands, each in its
 * own cmd_NAME.c. compare, trace and report slot in here when they land.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "calibrate.h"
#include "cmd.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
} cmds[] = {
	{ "list", cmd_list, "list                          the bundled workloads" },
	{ "run", cmd_run,
	  "run WORKLOAD [-C CPUS] [-n ITERATIONS] [-r REPEATS] [--json F] [--csv F] [--html F]\n"
	  "                  [--perfetto F] [--no-trace] [--recalibrate]\n"
	  "                                where one switch's time goes (run -h for more)" },
	{ "compare", cmd_compare,
	  "compare [WORKLOAD...] [-C CPU[,CPU2]] [-n N] [-r ROUNDS] [--json F] [--csv F] [--html F]\n"
	  "                                side by side, and the gap explained (compare -h)" },
	{ "trace", cmd_trace,
	  "trace (-p PID | --cgroup DIR | -- COMMAND [ARGS]) [-d SECONDS] [-f] [-C CPUS] [--json F] ...\n"
	  "                                trace any program (trace -h)" },
	{ "calibrate", cmd_calibrate, "calibrate                     measure mode-switch and probe costs here" },
	{ "report", cmd_report,
	  "report FILE.json [--text | --html F]\n"
	  "                                render a run saved with --json again" },
};

volatile sig_atomic_t st_exiting;

static void on_signal(int sig)
{
	st_exiting = sig;
}

void st_install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int st_fail(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("schedtrace: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: schedtrace COMMAND [ARGS]\n\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  schedtrace %s\n", cmds[i].usage);
	fprintf(f, "\nrun and calibrate need root (or CAP_BPF+CAP_PERFMON) and kernel BTF.\n"
		   "The calibration is cached for an hour, per boot and kernel, in " ST_CALIBRATION_PATH ".\n"
		   "Exit status: 0 ok, 1 runtime failure, 2 usage error, 130 interrupted (SIGINT),\n"
		   "143 terminated (SIGTERM).\n");
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage(stderr), ST_EXIT_USAGE;
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help"))
		return usage(stdout), ST_EXIT_OK;
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	return st_fail(ST_EXIT_USAGE, "unknown command '%s'; try schedtrace --help", argv[1]);
}
