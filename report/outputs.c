// SPDX-License-Identifier: GPL-2.0
/*
 * outputs.c — writes the files asked for on the command line, each through
 * atomic_file.c: complete or not at all, owned by the invoking user.
 */
#include <stdio.h>
#include <string.h>
#include "atomic_file.h"
#include "csv.h"
#include "gzip_file.h"
#include "html.h"
#include "json_schema.h"
#include "path_check.h"
#include "perfetto.h"
#include "report.h"
#include "switches_csv.h"

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

/* The timeline through zlib, for a name ending in .gz (Perfetto's UI opens both). */
static int perfetto_gz(FILE *f, const struct st_run *runs, int n)
{
	FILE *gz = st_gzip_fopen(f);
	int err;

	if (!gz)
		return -1;
	err = st_perfetto_write(gz, runs, n);
	return fclose(gz) || err ? -1 : 0;
}

static int write_perfetto(const char *path, const struct st_run *runs, int n)
{
	size_t len = strlen(path);

	if (!st_perfetto_has_timeline(runs, n)) {
		fprintf(stderr, "schedtrace: cannot write %s: no timeline was recorded in this run%s (run --perfetto records one)\n",
			path, n > 1 ? " set" : "");
		return -1;
	}
	if (len > 3 && !strcmp(path + len - 3, ".gz"))
		return write_file(path, perfetto_gz, runs, n);
	return write_file(path, st_perfetto_write, runs, n);
}

/*
 * The switch rows come from the timeline's records, like the Perfetto file;
 * what the records lack (lost, cut) is said on stderr, so the file stays
 * plain CSV (docs/switches-csv.md).
 */
static int write_switches(const char *path, const struct st_run *runs, int n)
{
	if (!st_perfetto_has_timeline(runs, n)) {
		fprintf(stderr, "schedtrace: cannot write %s: no switches were recorded in this run%s (run --switches records them)\n",
			path, n > 1 ? " set" : "");
		return -1;
	}
	if (write_file(path, st_switches_csv_write, runs, n))
		return -1;
	for (int i = 0; i < n; i++)
		if (runs[i].timeline)
			st_switches_csv_note(stderr, path, &runs[i].tl_counts);
	return 0;
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
	if (o->perfetto && write_perfetto(o->perfetto, runs, n))
		err = -1;
	if (o->switches && write_switches(o->switches, runs, n))
		err = -1;
	return err;
}

int st_outputs_check(const struct st_outputs *o, char *err, size_t err_len)
{
	const struct {
		const char *option, *path;
	} f[] = { { "--json", o->json }, { "--csv", o->csv }, { "--html", o->html }, { "--perfetto", o->perfetto },
		{ "--switches", o->switches } };
	const int n = (int)(sizeof(f) / sizeof(f[0]));

	for (int i = 0; i < n; i++) {
		if (!f[i].path)
			continue;
		for (int j = 0; j < i; j++)
			if (f[j].path && !strcmp(f[j].path, f[i].path)) {
				snprintf(err, err_len, "%s and %s both name %s; give each its own file", f[j].option,
					 f[i].option, f[i].path);
				return -1;
			}
		if (st_path_check(f[i].option, f[i].path, err, err_len))
			return -1;
	}
	return 0;
}
