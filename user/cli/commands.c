// SPDX-License-Identifier: GPL-2.0
/*
 * commands.c — the table of commands (cli.h), each in its own cmd_NAME.c,
 * and what they share (cmd.h): the exit line, the signal flag.
 * Adding a command is its file plus one line here; the usage, the man page,
 * the completion and tests/test_cli_table.c all walk this table.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "cmd.h"

const struct st_cmd *const st_cmds[] = {
	&st_cmd_list, &st_cmd_run, &st_cmd_compare, &st_cmd_trace, &st_cmd_lab, &st_cmd_calibrate, &st_cmd_report,
};
const int st_nr_cmds = sizeof(st_cmds) / sizeof(st_cmds[0]);

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

int st_measured_status(const struct st_cmd *cmd, int e, const char *err)
{
	if (e == -EINTR) {
		st_fail(0, "%s: %s; the report above is incomplete", cmd->name, err);
		return 128 + (st_exiting ? st_exiting : SIGINT);
	}
	return e ? ST_EXIT_FAIL : ST_EXIT_OK;
}
