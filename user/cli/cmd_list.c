// SPDX-License-Identifier: GPL-2.0
/* cmd_list.c — `schedtrace list`: the bundled workloads, one line each. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "launch.h"
#include "run.h"

int cmd_list(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("usage: schedtrace list\n");
		return ST_EXIT_OK;
	}
	if (argc > 1)
		return st_fail(ST_EXIT_USAGE, "list takes no arguments");
	for (int i = 0; i < st_nr_workloads; i++) {
		char path[4096];
		bool built = st_workload_path(st_workloads[i].name, path, sizeof(path)) == 0 &&
			     access(path, X_OK) == 0;

		printf("%-11s %s%s\n", st_workloads[i].name, st_workloads[i].what, built ? "" : " (not built)");
	}
	return ST_EXIT_OK;
}
