// SPDX-License-Identifier: GPL-2.0
/*
 * cli_doc.c — the command table as a man page and as a bash completion
 * script (cli.h): `make` writes build/schedtrace.8 and
 * build/schedtrace.bash from them, `make install` installs both.
 */
#include <string.h>
#include "cli.h"

/* roff: text with its backslashes and hyphens escaped, and a line that starts with a dot guarded. */
static void roff(FILE *f, const char *s)
{
	bool line_start = true;

	for (; *s; s++) {
		if (line_start && (*s == '.' || *s == '\''))
			fputs("\\&", f);
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-')
			fputs("\\-", f);
		else
			fputc(*s, f);
		line_start = *s == '\n';
	}
}

/* Help text joined into one paragraph (its line breaks were only for the terminal). */
static void roff_para(FILE *f, const char *s)
{
	char buf[2048];
	size_t n = 0;

	for (; *s && n < sizeof(buf) - 1; s++)
		buf[n++] = *s == '\n' ? ' ' : *s;
	buf[n] = '\0';
	roff(f, buf);
	fputc('\n', f);
}

static void man_options(FILE *f, const struct st_cmd *c)
{
	for (int i = 0; c->opts && c->opts[i].name; i++) {
		const struct st_opt *o = &c->opts[i];

		fputs(".TP\n", f);
		if (o->key > 0 && o->key < 256)
			fprintf(f, "\\fB\\-%c\\fR, ", o->key);
		fputs("\\fB\\-\\-", f);
		roff(f, o->name);
		fputs("\\fR", f);
		if (o->arg) {
			fputs(" \\fI", f);
			roff(f, o->arg);
			fputs("\\fR", f);
		}
		fputc('\n', f);
		roff_para(f, o->help);
	}
}

void st_cli_man(FILE *f)
{
	fputs(".TH SCHEDTRACE 8 \"\" \"schedtrace\" \"System Administration\"\n"
	      ".SH NAME\nschedtrace \\- where the time of one context switch goes\n"
	      ".SH SYNOPSIS\n.B schedtrace\n.I COMMAND\n[\\fIoptions\\fR] [\\fIoperands\\fR]\n"
	      ".br\n.B schedtrace \\-\\-version\n"
	      ".SH DESCRIPTION\nschedtrace runs a bundled workload pinned to a core, traces it with eBPF and "
	      "splits the time of one context switch into its causes: mode switches, the scheduler's work, the "
	      "system calls' own work, the return path, other tasks, idle, the tracer itself and what is left "
	      "unexplained, each checked against an independent witness on this machine.\n"
	      ".SH COMMANDS\n", f);
	for (int k = 0; k < st_nr_cmds; k++) {
		const struct st_cmd *c = st_cmds[k];

		fprintf(f, ".SS \"schedtrace %s%s", c->name, c->opts && c->opts[0].name ? " [options]" : "");
		if (c->operands[0]) {
			fputc(' ', f);
			roff(f, c->operands);
		}
		fputs("\"\n", f);
		roff_para(f, c->about);
		man_options(f, c);
		if (c->examples && c->examples[0]) {
			fputs(".PP\nExamples:\n.nf\n.RS\n", f);
			roff(f, c->examples);
			fputs("\n.RE\n.fi\n", f);
		}
		if (c->notes && c->notes[0]) {
			fputs(".PP\n", f);
			roff_para(f, c->notes);
		}
	}
	fputs(".SH EXIT STATUS\n0 success, 1 a runtime failure, 2 a usage error, 130 interrupted (SIGINT), "
	      "143 terminated (SIGTERM): what was measured is still reported, marked INCOMPLETE.\n"
	      ".SH FILES\n.TP\n/run/schedtrace/calibration\nthe calibration, for an hour, per boot and kernel\n"
	      ".SH SEE ALSO\n\\fBperf\\-sched\\fR(1), \\fBbpftool\\fR(8)\n", f);
}

/* The options of c as the completion words: "--json -C --cpus ...". */
static void words_of(FILE *f, const struct st_cmd *c)
{
	for (int i = 0; c->opts && c->opts[i].name; i++) {
		if (c->opts[i].key > 0 && c->opts[i].key < 256)
			fprintf(f, "-%c ", c->opts[i].key);
		fprintf(f, "--%s ", c->opts[i].name);
	}
	fputs("--help", f);
}

void st_cli_bash_completion(FILE *f)
{
	fputs("# bash completion for schedtrace, written by `schedtrace --bash-completion`\n"
	      "_schedtrace() {\n"
	      "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} opts='' takes=''\n"
	      "\tif [ \"$COMP_CWORD\" -eq 1 ]; then\n"
	      "\t\tCOMPREPLY=($(compgen -W '", f);
	for (int k = 0; k < st_nr_cmds; k++)
		fprintf(f, "%s ", st_cmds[k]->name);
	fputs("--help --version' -- \"$cur\"))\n\t\treturn\n\tfi\n\tcase ${COMP_WORDS[1]} in\n", f);
	for (int k = 0; k < st_nr_cmds; k++) {
		const struct st_cmd *c = st_cmds[k];

		fprintf(f, "\t%s) opts='", c->name);
		words_of(f, c);
		fputs("'; takes='", f);
		/* the options that take a value: complete a file name for them */
		for (int i = 0; c->opts && c->opts[i].name; i++)
			if (c->opts[i].arg) {
				if (c->opts[i].key > 0 && c->opts[i].key < 256)
					fprintf(f, "-%c ", c->opts[i].key);
				fprintf(f, "--%s ", c->opts[i].name);
			}
		fputs("' ;;\n", f);
	}
	fputs("\tesac\n"
	      "\tcase \" $takes \" in *\" $prev \"*) COMPREPLY=($(compgen -f -- \"$cur\")); return ;; esac\n"
	      "\tif [[ $cur == -* ]]; then\n"
	      "\t\tCOMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
	      "\telif [[ ${COMP_WORDS[1]} == run || ${COMP_WORDS[1]} == compare ]]; then\n"
	      "\t\tCOMPREPLY=($(compgen -W \"$(schedtrace list --names 2>/dev/null)\" -- \"$cur\"))\n"
	      "\telse\n"
	      "\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n"
	      "\tfi\n"
	      "}\n"
	      "complete -F _schedtrace schedtrace\n", f);
}
