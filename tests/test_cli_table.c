// SPDX-License-Identifier: GPL-2.0
/*
 * test_cli_table.c — walks the command table (user/cli/commands.c): every
 * option of every command is in its `-h`, in the man page and in the bash
 * completion, and the parser takes it in each of its spellings (--name V,
 * --name=V, -cV, -c V). The expectations are read from the binary's output
 * and from getopt's documented forms, not from the printers. No root needed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "cli.h"

static char out[1 << 18], err[1 << 14];

static int run_bin(const char *a1, const char *a2)
{
	char *argv[4] = { (char *)testutil_bin("schedtrace"), (char *)a1, (char *)a2, NULL };

	return testutil_run(argv, out, sizeof(out), err, sizeof(err));
}

/* What the parser handed the command: the last key and value, and how many. */
struct seen {
	int key, calls;
	char value[64];
};

static int record(void *ctx, int key, const char *value)
{
	struct seen *s = ctx;

	s->key = key;
	s->calls++;
	snprintf(s->value, sizeof(s->value), "%s", value ? value : "(null)");
	return 0;
}

/* Parses {cmd, a1, a2}; returns st_cli_parse's status (-1: go on). */
static int parse(const struct st_cmd *cmd, const char *a1, const char *a2, struct seen *s, int *first)
{
	char *argv[4] = { (char *)cmd->name, (char *)a1, (char *)a2, NULL };
	int argc = a2 ? 3 : 2;

	memset(s, 0, sizeof(*s));
	return st_cli_parse(cmd, argc, argv, record, s, first);
}

static void expect_taken(const struct st_cmd *cmd, const struct st_opt *o, const char *a1, const char *a2)
{
	struct seen s;
	int first;

	if (parse(cmd, a1, a2, &s, &first) != -1)
		fail_msg("%s: '%s %s' was refused", cmd->name, a1, a2 ? a2 : "");
	if (s.calls != 1 || s.key != o->key)
		fail_msg("%s: '%s %s' did not reach --%s", cmd->name, a1, a2 ? a2 : "", o->name);
	if (o->arg && strcmp(s.value, "V7"))
		fail_msg("%s: '%s %s' gave the value '%s', not V7", cmd->name, a1, a2 ? a2 : "", s.value);
	if (first != (a2 ? 3 : 2))
		fail_msg("%s: '%s %s' left operands from %d", cmd->name, a1, a2 ? a2 : "", first);
}

/* Each option, in each spelling getopt_long documents. */
static void test_parser_takes_every_spelling(void **state)
{
	char buf[96], shortopt[8];

	(void)state;
	for (int k = 0; k < st_nr_cmds; k++) {
		const struct st_cmd *c = st_cmds[k];

		for (const struct st_opt *o = c->opts; o && o->name; o++) {
			bool has_short = o->key > 0 && o->key < 256;

			snprintf(buf, sizeof(buf), "--%s", o->name);
			snprintf(shortopt, sizeof(shortopt), "-%c", o->key);
			if (!o->arg) {
				expect_taken(c, o, buf, NULL);
				if (has_short)
					expect_taken(c, o, shortopt, NULL);
				continue;
			}
			expect_taken(c, o, buf, "V7");
			snprintf(buf, sizeof(buf), "--%s=V7", o->name);
			expect_taken(c, o, buf, NULL);
			if (has_short) {
				expect_taken(c, o, shortopt, "V7");
				snprintf(buf, sizeof(buf), "-%cV7", o->key);
				expect_taken(c, o, buf, NULL);
			}
		}
	}
}

/* Unknown options and missing values are usage errors (2), never the command's. */
static void test_parser_refuses(void **state)
{
	struct seen s;
	int first;

	(void)state;
	for (int k = 0; k < st_nr_cmds; k++) {
		const struct st_cmd *c = st_cmds[k];

		assert_int_equal(parse(c, "--no-such-option", NULL, &s, &first), 2);
		assert_int_equal(s.calls, 0);
		for (const struct st_opt *o = c->opts; o && o->name; o++) {
			char buf[64];

			if (!o->arg)
				continue;
			snprintf(buf, sizeof(buf), "--%s", o->name);
			assert_int_equal(parse(c, buf, NULL, &s, &first), 2);
		}
	}
}

/* The section of text from the line holding `from` to the next one holding `to` (or the end). */
static const char *section(const char *text, const char *from, const char *to, size_t *len)
{
	const char *a = strstr(text, from), *b;

	if (!a)
		return NULL;
	b = to ? strstr(a + strlen(from), to) : NULL;
	*len = b ? (size_t)(b - a) : strlen(a);
	return a;
}

static bool within(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= len; i++)
		if (!memcmp(s + i, needle, n))
			return true;
	return false;
}

/* `schedtrace CMD -h` names each option, with its short letter beside it; lines fit 80 columns. */
static void test_help_lists_every_option(void **state)
{
	char want[96];

	(void)state;
	for (int k = 0; k < st_nr_cmds; k++) {
		const struct st_cmd *c = st_cmds[k];

		assert_int_equal(run_bin(c->name, "-h"), 0);
		for (const char *p = out, *nl; *p; p = nl + 1) {
			nl = strchr(p, '\n');
			if (!nl)
				break;
			if (nl - p > 80)
				fail_msg("%s -h: a line of %d columns: %.*s", c->name, (int)(nl - p), (int)(nl - p), p);
		}
		for (const struct st_opt *o = c->opts; o && o->name; o++) {
			if (o->key > 0 && o->key < 256)
				snprintf(want, sizeof(want), "-%c, --%s", o->key, o->name);
			else
				snprintf(want, sizeof(want), "--%s", o->name);
			if (!strstr(out, want))
				fail_msg("%s -h does not list '%s'", c->name, want);
		}
	}
	assert_int_equal(run_bin("-h", NULL), 0);
	for (const char *p = out, *nl; (nl = strchr(p, '\n')); p = nl + 1)
		if (nl - p > 80)
			fail_msg("schedtrace -h: a line of %d columns: %.*s", (int)(nl - p), (int)(nl - p), p);
	for (int k = 0; k < st_nr_cmds; k++)
		if (!strstr(out, st_cmds[k]->name))
			fail_msg("schedtrace -h does not list %s", st_cmds[k]->name);
}

/* The man page: a section per command, each option in it (roff escapes the dashes). */
static void test_man_page_lists_every_option(void **state)
{
	char head[64], next[64], want[96];

	(void)state;
	assert_int_equal(run_bin("--man", NULL), 0);
	assert_non_null(strstr(out, ".TH SCHEDTRACE 8"));
	for (int k = 0; k < st_nr_cmds; k++) {
		const struct st_cmd *c = st_cmds[k];
		const char *sec;
		size_t len;

		snprintf(head, sizeof(head), ".SS \"schedtrace %s", c->name);
		snprintf(next, sizeof(next), ".SS ");
		sec = section(out, head, k + 1 < st_nr_cmds ? next : ".SH EXIT", &len);
		if (!sec)
			fail_msg("the man page has no section for %s", c->name);
		for (const struct st_opt *o = c->opts; o && o->name; o++) {
			snprintf(want, sizeof(want), "\\fB\\-\\-");
			for (const char *p = o->name; *p; p++)
				snprintf(want + strlen(want), sizeof(want) - strlen(want), *p == '-' ? "\\-" : "%c", *p);
			if (!within(sec, len, want))
				fail_msg("the man page's %s section does not list --%s", c->name, o->name);
		}
	}
}

/* The completion offers each command, and each option after its command. */
static void test_completion_offers_every_option(void **state)
{
	char head[64], want[96];

	(void)state;
	assert_int_equal(run_bin("--bash-completion", NULL), 0);
	assert_non_null(strstr(out, "complete -F _schedtrace schedtrace"));
	for (int k = 0; k < st_nr_cmds; k++) {
		const struct st_cmd *c = st_cmds[k];
		const char *sec;
		size_t len;

		snprintf(head, sizeof(head), "\t%s) opts='", c->name);
		sec = section(out, head, ";;", &len);
		if (!sec)
			fail_msg("the completion has no case for %s", c->name);
		for (const struct st_opt *o = c->opts; o && o->name; o++) {
			snprintf(want, sizeof(want), "--%s ", o->name);
			if (!within(sec, len, want))
				fail_msg("the completion of %s does not offer --%s", c->name, o->name);
		}
	}
}

/* --version: one line, the name and a version. */
static void test_version(void **state)
{
	(void)state;
	assert_int_equal(run_bin("--version", NULL), 0);
	assert_int_equal(strncmp(out, "schedtrace ", 11), 0);
	assert_true(strlen(out) > 12 && strchr(out, '\n') == out + strlen(out) - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parser_takes_every_spelling),
		cmocka_unit_test(test_parser_refuses),
		cmocka_unit_test(test_help_lists_every_option),
		cmocka_unit_test(test_man_page_lists_every_option),
		cmocka_unit_test(test_completion_offers_every_option),
		cmocka_unit_test(test_version),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
