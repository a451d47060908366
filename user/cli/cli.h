/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cli.h — what every command of the CLI is made of, and the one parser they
 * share. Each command is a file (cmd_NAME.c) that defines a struct st_cmd:
 * its name, its operands, what it does, its options and examples. main.c
 * lists the commands once (git's builtin table, bpftool's cmd_select); the
 * usage of `schedtrace -h`, each `schedtrace CMD -h`, the man page and the
 * shell completion are printed from these tables, so they cannot drift from
 * the parser, which is getopt_long over the same table.
 */
#ifndef SCHEDTRACE_CLI_H
#define SCHEDTRACE_CLI_H

#include <stdbool.h>
#include <stdio.h>

/* An option: --name (and -c when key is a printable letter). */
struct st_opt {
	const char *name; /* long name, "json"; NULL ends a table */
	int key;	  /* its short letter, or a code >= 256 for a long-only option */
	const char *arg;  /* its value's name ("F", "CPUS"), NULL for a flag */
	const char *help; /* what it does: prose, wrapped when printed */
};

struct st_cmd;
/* A command's body: argv[0] is the command's name. Returns the exit status. */
typedef int (*st_cmd_fn)(const struct st_cmd *cmd, int argc, char **argv);

struct st_cmd {
	const char *name;
	st_cmd_fn fn;
	const char *operands; /* after the options in the synopsis, "WORKLOAD", "" for none */
	const char *summary;  /* one line, for schedtrace -h */
	const char *about;    /* paragraphs under the usage line */
	const struct st_opt *opts;
	const char *examples; /* "schedtrace run pthread\n    what it does\n..." */
	const char *notes;    /* after the options: root, exits, files */
	bool stop_at_operand; /* options end at the first operand (trace COMMAND ARGS...) */
};

/* The commands, in the order `schedtrace -h` lists them. */
extern const struct st_cmd *const st_cmds[];
extern const int st_nr_cmds;

/* What the parser hands a command for each option it reads: its key and its value (NULL for a flag). */
typedef int (*st_opt_fn)(void *ctx, int key, const char *value);

/*
 * getopt_long over cmd->opts (and -h/--help): calls on_opt for each option
 * in order; a nonzero return stops with that status. The operands are left
 * in argv[*first..argc) (GNU order: options may follow them; "--" ends the
 * options, as `trace -- COMMAND` needs). Returns -1 to go on, or the exit
 * status to return: 0 after printing the help, 2 after a one-line error
 * (unknown option, missing value).
 */
int st_cli_parse(const struct st_cmd *cmd, int argc, char **argv, st_opt_fn on_opt, void *ctx, int *first);

/* The help of one command, from its table. */
void st_cli_help(FILE *f, const struct st_cmd *cmd);
/* "schedtrace: CMD: <msg>; try schedtrace CMD -h" on stderr; returns 2. */
int st_cli_usage_error(const struct st_cmd *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The whole CLI as a man page (roff, section 8) and as a bash completion script. */
void st_cli_man(FILE *f);
void st_cli_bash_completion(FILE *f);

#endif
