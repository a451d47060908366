/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cmd.h — the subcommands of the CLI, one file each (cmd_NAME.c), each a
 * struct st_cmd (cli.h) listed once in main.c's table. Each returns the
 * process exit status: 0 success, 1 runtime failure, 2 usage error,
 * 128+signal when interrupted.
 */
#ifndef SCHEDTRACE_CMD_H
#define SCHEDTRACE_CMD_H

#include <signal.h>

#define ST_EXIT_OK 0
#define ST_EXIT_FAIL 1
#define ST_EXIT_USAGE 2

#include "cli.h"

extern const struct st_cmd st_cmd_list, st_cmd_run, st_cmd_compare, st_cmd_trace, st_cmd_calibrate,
	st_cmd_report, st_cmd_lab;

/* Set by SIGINT/SIGTERM (the signal number); the long-running commands poll it. */
extern volatile sig_atomic_t st_exiting;
/* Installs the handlers (no SA_RESTART: a blocked read returns EINTR). */
void st_install_signals(void);

/*
 * The exit status of a command that measured and printed: 0, 1 after a
 * failure (-EIO: a file not written), or 128+signal after a line saying the
 * report above is incomplete (e == -EINTR, err says how far it got).
 */
int st_measured_status(const struct st_cmd *cmd, int e, const char *err);

/* "schedtrace: <msg>\n" on stderr; returns code. */
int st_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
