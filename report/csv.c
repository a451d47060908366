// SPDX-License-Identifier: GPL-2.0
/*
 * csv.c — the runs as a table for spreadsheets and notebooks: one row per
 * workload per repeat. The column names are a contract (docs/csv.md): add
 * columns at the end, never rename or reorder.
 */
#include <math.h>
#include <string.h>
#include "csv.h"
#include "json_emit.h"

enum source { RUN, RESULT_REPEAT, BREAKDOWN, MACHINE };
enum kind { DOUBLE, U64, INT, BOOL, STR };

struct column {
	const char *name;
	enum source src;
	enum kind kind;
	size_t off;
};

#define R(k, m, name) { name, RUN, k, offsetof(struct st_run, m) }
#define RR(k, m, name) { name, RESULT_REPEAT, k, offsetof(struct st_repeat_result, m) }
#define B(k, m, name) { name, BREAKDOWN, k, offsetof(struct st_breakdown, m) }
#define M(k, m, name) { name, MACHINE, k, offsetof(struct st_machine, m) }
#define LAT(m, prefix)                                                                                    \
	B(U64, m.count, prefix "_count"), B(DOUBLE, m.mean_ns, prefix "_mean_ns"),                       \
	B(DOUBLE, m.p50_ns, prefix "_p50_ns"), B(DOUBLE, m.p90_ns, prefix "_p90_ns"),                    \
	B(DOUBLE, m.p99_ns, prefix "_p99_ns"), B(DOUBLE, m.max_ns, prefix "_max_ns")

static const struct column columns[] = {
	R(STR, workload, "workload"),
	R(STR, cpus, "cpus"),
	R(BOOL, traced, "traced"),
	R(BOOL, complete, "complete"),
	{ "repeat", RUN, INT, 0 }, /* the row's index, filled in by write_row */
	RR(U64, switches, "workload_switches"),
	RR(U64, round_trips, "workload_round_trips"),
	RR(U64, start_ns, "start_ns"),
	RR(U64, end_ns, "end_ns"),
	RR(DOUBLE, ns_per_switch, "workload_ns_per_switch"),
	B(U64, switches, "switches"),
	B(BOOL, switches_from_kernel, "switches_from_kernel"),
	B(DOUBLE, window_ns, "window_ns"),
	B(DOUBLE, ns_per_switch, "ns_per_switch"),
	B(INT, nr_cpus, "nr_cpus"),
	B(DOUBLE, user, "user_ns"),
	B(DOUBLE, mode_switch, "mode_switch_ns"),
	B(DOUBLE, syscall_work, "syscall_work_ns"),
	{ "switch_path_ns", BREAKDOWN, DOUBLE, 0 }, /* sched_work + return_path, filled in by write_row */
	B(DOUBLE, other_tasks, "other_tasks_ns"),
	B(DOUBLE, idle, "idle_ns"),
	B(DOUBLE, tracer, "tracer_ns"),
	B(DOUBLE, unexplained, "unexplained_ns"),
	B(DOUBLE, elsewhere, "elsewhere_ns"),
	B(DOUBLE, corrected_ns_per_switch, "corrected_ns_per_switch"),
	B(DOUBLE, syscalls, "syscalls"),
	B(DOUBLE, kernel_switches, "kernel_switches"),
	B(DOUBLE, voluntary, "voluntary"),
	B(DOUBLE, involuntary, "involuntary"),
	B(DOUBLE, wakeups, "wakeups"),
	B(DOUBLE, cross_cpu_wakeups, "cross_cpu_wakeups"),
	B(DOUBLE, migrations, "migrations"),
	LAT(runq, "runq"),
	LAT(runq_migrated, "runq_migrated"),
	LAT(runq_local, "runq_local"),
	LAT(syscall, "syscall"),
	LAT(oncpu, "oncpu"),
	B(U64, events, "events"),
	B(U64, lost, "lost"),
	B(U64, lost_by_kind[0], "lost_storage"),
	B(U64, lost_by_kind[1], "lost_map_update"),
	B(U64, lost_by_kind[2], "lost_ringbuf"),
	B(U64, lost_by_kind[3], "lost_recursion"),
	M(STR, kernel, "kernel"),
	M(STR, cpu_model, "cpu_model"),
	M(INT, nr_cpus_online, "nr_cpus_online"),
	M(STR, virtualization, "virtualization"),
	M(STR, hostname, "hostname"),
	M(STR, date, "date"),
	/* added later, at the end (docs/csv.md) */
	R(INT, syscalls_repeat, "syscalls_repeat"),
	R(BOOL, syscalls_profiled, "syscalls_profiled"),
	R(BOOL, light, "light"),
	B(U64, runq.untimed, "runq_untimed"),
	B(DOUBLE, sched_work, "sched_work_ns"),
	B(DOUBLE, return_path, "return_path_ns"),
	LAT(runq_woken, "runq_woken"),
	LAT(runq_preempted, "runq_preempted"),
	B(U64, samples.user, "samples_user"),
	B(U64, samples.kernel, "samples_kernel"),
	B(U64, samples.other, "samples_other"),
	B(U64, samples.idle, "samples_idle"),
};

void st_csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void write_value(FILE *f, enum kind kind, const void *p)
{
	char buf[40];

	switch (kind) {
	case DOUBLE:
		if (isfinite(*(const double *)p)) { /* NaN and infinities: an empty cell */
			st_json_format_double(buf, sizeof(buf), *(const double *)p);
			fputs(buf, f);
		}
		break;
	case U64: fprintf(f, "%llu", (unsigned long long)*(const __u64 *)p); break;
	case INT: fprintf(f, "%d", *(const int *)p); break;
	case BOOL: fputs(*(const bool *)p ? "true" : "false", f); break;
	case STR: st_csv_field(f, p); break;
	}
}

/* Row i of run r: the workload's repeat i and the breakdown of repeat i, either may be absent. */
static void write_row(FILE *f, const struct st_run *r, int i)
{
	for (size_t c = 0; c < sizeof(columns) / sizeof(columns[0]); c++) {
		const struct column *col = &columns[c];
		const void *base = NULL;

		if (c)
			fputc(',', f);
		switch (col->src) {
		case RUN: base = r; break;
		case RESULT_REPEAT: base = i < r->result.nr_repeats ? (const void *)&r->result.repeat[i] : NULL; break;
		case BREAKDOWN: base = i < r->nr_repeats ? (const void *)&r->repeat[i] : NULL; break;
		case MACHINE: base = &r->machine; break;
		}
		if (!strcmp(col->name, "repeat")) {
			fprintf(f, "%d", i);
		} else if (!strcmp(col->name, "switch_path_ns") && base) {
			/* the part sched_work_ns and return_path_ns split since (docs/csv.md) */
			const struct st_breakdown *b = base;
			double v = b->sched_work + b->return_path;

			write_value(f, DOUBLE, &v);
		} else if (base)
			write_value(f, col->kind, (const char *)base + col->off);
	}
	fputs("\r\n", f);
}

int st_csv_write(FILE *f, const struct st_run *runs, int n)
{
	for (size_t c = 0; c < sizeof(columns) / sizeof(columns[0]); c++)
		fprintf(f, "%s%s", c ? "," : "", columns[c].name);
	fputs("\r\n", f);
	for (int k = 0; k < n; k++) {
		const struct st_run *r = &runs[k];
		int rows = r->nr_repeats > r->result.nr_repeats ? r->nr_repeats : r->result.nr_repeats;

		if (rows > ST_MAX_REPEATS)
			rows = ST_MAX_REPEATS;
		for (int i = 0; i < rows; i++)
			write_row(f, r, i);
	}
	return ferror(f) ? -1 : 0;
}
