// SPDX-License-Identifier: GPL-2.0
/* cli.c — see cli.h. */
#include <getopt.h>
#include <stdarg.h>
#include <string.h>
#include "cli.h"

#define MAX_OPTS 40
#define HELP_COLUMN 26 /* where an option's help starts */

static int nr_opts(const struct st_cmd *cmd)
{
	int n = 0;

	while (cmd->opts && cmd->opts[n].name)
		n++;
	return n;
}

int st_cli_usage_error(const struct st_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "schedtrace: %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "; try schedtrace %s -h\n", cmd->name);
	return 2;
}

/* The option whose key is k, NULL for none. */
static const struct st_opt *opt_of(const struct st_cmd *cmd, int k)
{
	for (int i = 0; cmd->opts && cmd->opts[i].name; i++)
		if (cmd->opts[i].key == k)
			return &cmd->opts[i];
	return NULL;
}

/* What the user typed for the option the parser just read: "--json" or "-C". */
static const char *typed(char **argv, int optind_now)
{
	const char *a = argv[optind_now - 1];

	return a ? a : "?";
}

int st_cli_parse(const struct st_cmd *cmd, int argc, char **argv, st_opt_fn on_opt, void *ctx, int *first)
{
	struct option longs[MAX_OPTS + 2];
	char shorts[2 * MAX_OPTS + 4];
	size_t ns;
	int n = nr_opts(cmd), c;

	if (n > MAX_OPTS)
		n = MAX_OPTS;
	/* '+': stop at the first operand; ':': say a value is missing apart from an unknown option */
	snprintf(shorts, sizeof(shorts), "%s:h", cmd->stop_at_operand ? "+" : "");
	ns = strlen(shorts);
	for (int i = 0; i < n; i++) {
		const struct st_opt *o = &cmd->opts[i];

		longs[i] = (struct option){ o->name, o->arg ? required_argument : no_argument, NULL, o->key };
		if (o->key > 0 && o->key < 256) {
			shorts[ns++] = (char)o->key;
			if (o->arg)
				shorts[ns++] = ':';
		}
	}
	shorts[ns] = '\0';
	longs[n] = (struct option){ "help", no_argument, NULL, 'h' };
	longs[n + 1] = (struct option){ NULL, 0, NULL, 0 };
	opterr = 0;
	optind = 0; /* glibc: start afresh (a test may parse twice in one process) */
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		int status;

		if (c == 'h' && !opt_of(cmd, 'h')) {
			st_cli_help(stdout, cmd);
			return 0;
		}
		if (c == '?') {
			if (optopt && optopt < 256 && !opt_of(cmd, optopt))
				return st_cli_usage_error(cmd, "unknown option '-%c'", optopt);
			return st_cli_usage_error(cmd, "unknown option '%s'", typed(argv, optind));
		}
		if (c == ':') {
			const struct st_opt *o = optopt ? opt_of(cmd, optopt) : NULL;

			return st_cli_usage_error(cmd, "%s needs a value%s%s", typed(argv, optind), o ? ", " : "",
						  o ? o->arg : "");
		}
		if ((status = on_opt(ctx, c, optarg)) != 0)
			return status;
	}
	*first = optind;
	return -1;
}

/* "  -C, --cpus CPUS" or "      --json F", padded to the help column. */
static void opt_head(FILE *f, const struct st_opt *o)
{
	char head[80];
	int len;

	if (o->key > 0 && o->key < 256)
		len = snprintf(head, sizeof(head), "  -%c, --%s%s%s", o->key, o->name, o->arg ? " " : "",
			       o->arg ? o->arg : "");
	else
		len = snprintf(head, sizeof(head), "      --%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
	fputs(head, f);
	if (len >= HELP_COLUMN - 1)
		fprintf(f, "\n%*s", HELP_COLUMN, "");
	else
		fprintf(f, "%*s", HELP_COLUMN - len, "");
}

/*
 * Text word-wrapped to end by column 80, its lines after the first starting at
 * column `indent`. The table's own line breaks are only spaces here: the
 * columns are this printer's to decide.
 */
static void wrapped(FILE *f, const char *text, int indent)
{
	int col = indent, width = 80 - indent;
	const char *p = text;

	while (*p) {
		size_t n;

		while (*p == ' ' || *p == '\n')
			p++;
		n = strcspn(p, " \n");
		if (!n)
			break;
		if (col > indent && col + 1 + (int)n > indent + width) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, n, f);
		col += (int)n;
		p += n;
	}
	fputc('\n', f);
}

/* Text whose lines after the first start at column `indent`, its line breaks kept. */
static void indented(FILE *f, const char *text, int indent)
{
	for (const char *p = text; *p; p++) {
		fputc(*p, f);
		if (*p == '\n' && p[1])
			fprintf(f, "%*s", indent, "");
	}
	fputc('\n', f);
}

void st_cli_help(FILE *f, const struct st_cmd *cmd)
{
	fprintf(f, "usage: schedtrace %s%s%s%s\n\n", cmd->name, nr_opts(cmd) ? " [options]" : "",
		cmd->operands[0] ? " " : "", cmd->operands);
	fprintf(f, "%s\n", cmd->about);
	fputs("\nOptions:\n", f);
	for (int i = 0; cmd->opts && cmd->opts[i].name; i++) {
		opt_head(f, &cmd->opts[i]);
		wrapped(f, cmd->opts[i].help, HELP_COLUMN);
	}
	opt_head(f, &(const struct st_opt){ "help", 'h', NULL, NULL });
	fputs("this help\n", f);
	if (cmd->examples && cmd->examples[0]) {
		fputs("\nExamples:\n  ", f);
		indented(f, cmd->examples, 2);
	}
	if (cmd->notes && cmd->notes[0])
		fprintf(f, "\n%s\n", cmd->notes);
}
