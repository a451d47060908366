// SPDX-License-Identifier: GPL-2.0
/* cmd_list.c — `schedtrace list`: the bundled workloads (workloads/common/catalog.c), one line each. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "catalog.h"
#include "cli.h"
#include "cmd.h"
#include "launch.h"

enum { OPT_NAMES = 256, OPT_GROUP };

static const struct st_opt opts[] = {
	{ "names", OPT_NAMES, NULL, "the names alone, one per line (for scripts)" },
	{ "group", OPT_GROUP, "GROUP", "only this group: switch (the seed's hand-offs:\n"
				       "compare's and make bench's set), mn, hog, lang,\n"
				       "syscall (one call is a switch) or lab" },
	{ NULL, 0, NULL, NULL },
};

struct list_opts {
	const struct st_cmd *cmd;
	bool names;
	const char *group;
};

static int on_opt(void *ctx, int key, const char *value)
{
	struct list_opts *o = ctx;

	if (key == OPT_NAMES)
		o->names = true;
	else if (key == OPT_GROUP)
		o->group = value;
	return 0;
}

static bool group_known(const char *g)
{
	for (int i = 0; i < wl_catalog_size; i++)
		if (!strcmp(wl_group_name(wl_catalog[i].group), g))
			return true;
	return false;
}

/* The longest name: the label column starts after it. */
static int name_width(void)
{
	int width = 0;

	for (int i = 0; i < wl_catalog_size; i++)
		if ((int)strlen(wl_catalog[i].name) > width)
			width = (int)strlen(wl_catalog[i].name);
	return width;
}

static int cmd_list(const struct st_cmd *cmd, int argc, char **argv)
{
	struct list_opts o = { .cmd = cmd };
	int first, status = st_cli_parse(cmd, argc, argv, on_opt, &o, &first);

	if (status >= 0)
		return status;
	if (first < argc)
		return st_cli_usage_error(cmd, "it takes no operands ('%s')", argv[first]);
	if (o.group && !group_known(o.group)) {
		char groups[128] = "";
		size_t used = 0;

		for (int g = 0; g < WL_NR_GROUPS && used < sizeof(groups); g++)
			used += (size_t)snprintf(groups + used, sizeof(groups) - used, "%s%s",
						 g ? (g == WL_NR_GROUPS - 1 ? " and " : ", ") : "", wl_group_name(g));
		return st_cli_usage_error(cmd, "no group '%s': the groups are %s", o.group, groups);
	}
	for (int i = 0; i < wl_catalog_size; i++) {
		const struct wl_catalog_entry *w = &wl_catalog[i];
		char note[64] = "";

		if (o.group && strcmp(wl_group_name(w->group), o.group))
			continue;
		if (o.names) {
			printf("%s\n", w->name);
			continue;
		}
		if (!st_workload_built(w))
			snprintf(note, sizeof(note), w->needs ? " (needs %s)" : " (not built)", w->needs);
		printf("%-*s %-7s %s%s\n", name_width(), w->name, wl_group_name(w->group), w->label, note);
	}
	return ST_EXIT_OK;
}

const struct st_cmd st_cmd_list = {
	.name = "list",
	.fn = cmd_list,
	.operands = "",
	.summary = "the bundled workloads",
	.about = "Lists the bundled workloads: name, group and what one of them hands over.\n"
		 "A workload whose toolchain is missing says what it needs (go, node).",
	.opts = opts,
	.examples = "schedtrace list\n"
		    "schedtrace list --names --group switch\n"
		    "    the workloads compare and make bench run by default",
	.notes = "",
};
