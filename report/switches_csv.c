// SPDX-License-Identifier: GPL-2.0
/*
 * switches_csv.c — the switch rows (switches.h) as CSV. The column names are
 * a contract (docs/switches-csv.md): add columns at the end, never rename
 * or reorder. No field can hold a comma, a quote or a line break (numbers,
 * fixed words), so none is quoted.
 */
#include <errno.h>
#include "switches_csv.h"

const char *const st_switches_csv_columns[] = {
	"time_ns",	   "cpu",	    "prev_tid",	     "next_tid",	"prev_state",
	"next_wait_ns",	   "next_wait_class", "prev_slice_ns", "prev_in_syscall", "next_migrated",
};
const int st_switches_csv_nr_columns = (int)(sizeof(st_switches_csv_columns) / sizeof(st_switches_csv_columns[0]));

/* A yes/no the records may not answer: true, false, or an empty cell. */
static const char *yes_no(int v)
{
	return v == ST_SW_UNKNOWN ? "" : v ? "true" : "false";
}

void st_switches_csv_row(FILE *f, const struct st_switch_row *r)
{
	char wait[24] = "", slice[24] = "";

	if (r->wait_class == ST_SW_WOKEN || r->wait_class == ST_SW_PREEMPTED)
		snprintf(wait, sizeof(wait), "%llu", (unsigned long long)r->wait_ns);
	if (r->slice_known)
		snprintf(slice, sizeof(slice), "%llu", (unsigned long long)r->slice_ns);
	fprintf(f, "%llu,%u,%u,%u,%s,%s,%s,%s,%s,%s\r\n", (unsigned long long)r->ts, r->cpu, r->prev_tid, r->next_tid,
		r->prev_state ? "blocked" : "runnable", wait, st_sw_class_name(r->wait_class), slice,
		yes_no(r->prev_in_syscall), yes_no(r->next_migrated));
}

static int write_run(FILE *f, const struct st_run *run)
{
	struct st_switch_walk *w = st_switch_walk_new(run->timeline, run->cpus);
	struct st_switch_row row;
	int r;

	if (!w) {
		errno = ENOMEM;
		return -1;
	}
	while ((r = st_switch_walk_next(w, &row)) > 0)
		st_switches_csv_row(f, &row);
	st_switch_walk_free(w);
	if (r < 0)
		errno = ENOMEM;
	return r;
}

int st_switches_csv_write(FILE *f, const struct st_run *runs, int n)
{
	for (int c = 0; c < st_switches_csv_nr_columns; c++)
		fprintf(f, "%s%s", c ? "," : "", st_switches_csv_columns[c]);
	fputs("\r\n", f);
	for (int k = 0; k < n; k++)
		if (runs[k].timeline && write_run(f, &runs[k]))
			return -1;
	return ferror(f) ? -1 : 0;
}

int st_switches_csv_note(FILE *f, const char *path, const struct st_tl_counts *c)
{
	int lines = 0, shown = 0;

	if (c->lost) {
		fprintf(f, "schedtrace: %s: %llu timeline records were lost (the ring buffer was full:", path,
			(unsigned long long)c->lost);
		for (int k = 0; k < c->nr_cpus && k < ST_MAX_CPUS; k++)
			if (c->lost_per_cpu[k])
				fprintf(f, "%s %llu on CPU %d", shown++ ? "," : "", (unsigned long long)c->lost_per_cpu[k], k);
		fputs("); their switches have no row, and rows next to a gap may lack a wait, its class or a slice; "
		      "a larger --ring-size keeps them\n", f);
		lines++;
	}
	if (c->cut) {
		fprintf(f, "schedtrace: %s: the recording stopped at the collector's limit, after %llu records: the rows "
			   "end before the window does (a smaller -n keeps it whole)\n",
			path, (unsigned long long)c->records);
		lines++;
	}
	return lines;
}
