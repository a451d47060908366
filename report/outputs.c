// SPDX-License-Identifier: GPL-2.0
/*
 * outputs.c — writes the files asked for on the command line, each through
 * atomic_file.c: complete or not at all, owned by the invoking user.
 */
#include <stdio.h>
#include "atomic_file.h"
#include "csv.h"
#include "html.h"
#include "json_schema.h"
#include "report.h"

typedef int (*st_render_fn)(FILE *f, const struct st_run *runs, int n);

static int write_file(const char *path, st_render_fn render, const struct st_run *runs, int n)
{
	struct st_atomic_file a;

	if (st_atomic_open(&a, path))
		return -1;
	if (render(a.f, runs, n)) {
		fprintf(stderr, "schedtrace: cannot write %s: writing failed (disk full?); the old file, if any, is unchanged\n",
			path);
		st_atomic_abort(&a);
		return -1;
	}
	return st_atomic_commit(&a);
}

static int not_built(const char *opt)
{
	fprintf(stderr, "schedtrace: %s is not built yet; drop it\n", opt);
	return -1;
}

int st_outputs_write(const struct st_outputs *o, const struct st_run *runs, int n)
{
	int err = 0;

	if (o->json && write_file(o->json, st_json_write, runs, n))
		err = -1;
	if (o->csv && write_file(o->csv, st_csv_write, runs, n))
		err = -1;
	if (o->html && write_file(o->html, st_html_write, runs, n))
		err = -1;
	if (o->perfetto && not_built("--perfetto"))
		err = -1;
	return err;
}
