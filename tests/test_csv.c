// SPDX-License-Identifier: GPL-2.0
/*
 * test_csv.c — the CSV output: the documented header, one row per workload
 * per repeat, CRLF rows, RFC 4180 quoting, doubles exact and NaN empty.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "report_fixture.h"
#include "csv.h"

/* The columns of docs/csv.md, in order: a rename or a reorder fails here. */
static const char header[] =
	"workload,cpus,traced,complete,repeat,workload_switches,workload_round_trips,start_ns,end_ns,"
	"workload_ns_per_switch,switches,switches_from_kernel,window_ns,ns_per_switch,nr_cpus,user_ns,"
	"mode_switch_ns,syscall_work_ns,switch_path_ns,other_tasks_ns,idle_ns,tracer_ns,unexplained_ns,"
	"elsewhere_ns,corrected_ns_per_switch,syscalls,kernel_switches,voluntary,involuntary,wakeups,"
	"cross_cpu_wakeups,migrations,"
	"runq_count,runq_mean_ns,runq_p50_ns,runq_p90_ns,runq_p99_ns,runq_max_ns,"
	"runq_migrated_count,runq_migrated_mean_ns,runq_migrated_p50_ns,runq_migrated_p90_ns,"
	"runq_migrated_p99_ns,runq_migrated_max_ns,"
	"runq_local_count,runq_local_mean_ns,runq_local_p50_ns,runq_local_p90_ns,runq_local_p99_ns,"
	"runq_local_max_ns,"
	"syscall_count,syscall_mean_ns,syscall_p50_ns,syscall_p90_ns,syscall_p99_ns,syscall_max_ns,"
	"oncpu_count,oncpu_mean_ns,oncpu_p50_ns,oncpu_p90_ns,oncpu_p99_ns,oncpu_max_ns,"
	"events,lost,lost_storage,lost_map_update,lost_ringbuf,lost_recursion,"
	"kernel,cpu_model,nr_cpus_online,virtualization,hostname,date,"
	"syscalls_repeat,syscalls_profiled,light,runq_untimed," /* added at the end, as the contract says */
	"sched_work_ns,return_path_ns,"
	"runq_woken_count,runq_woken_mean_ns,runq_woken_p50_ns,runq_woken_p90_ns,runq_woken_p99_ns,runq_woken_max_ns,"
	"runq_preempted_count,runq_preempted_mean_ns,runq_preempted_p50_ns,runq_preempted_p90_ns,"
	"runq_preempted_p99_ns,runq_preempted_max_ns,"
	"samples_user,samples_kernel,samples_other,samples_idle\r\n";

static char *to_csv(const struct st_run *runs, int n)
{
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(st_csv_write(f, runs, n), 0);
	fclose(f);
	return buf;
}

/*
 * Splits one CSV record starting at *p into fields (RFC 4180, quotes undone);
 * returns the field count and moves *p past the CRLF.
 */
static int parse_record(const char **p, char fields[][256], int max)
{
	int n = 0;
	const char *s = *p;

	for (;;) {
		size_t k = 0;

		assert_true(n < max);
		if (*s == '"') {
			for (s++;; s++) {
				assert_true(*s != '\0');
				if (*s == '"' && s[1] == '"')
					fields[n][k++] = *s++;
				else if (*s == '"')
					break;
				else
					fields[n][k++] = *s;
			}
			s++;
		} else {
			while (*s != ',' && *s != '\r' && *s != '\n' && *s)
				fields[n][k++] = *s++;
		}
		fields[n++][k] = '\0';
		if (*s == ',') {
			s++;
			continue;
		}
		assert_true(s[0] == '\r' && s[1] == '\n'); /* every record ends in CRLF */
		*p = s + 2;
		return n;
	}
}

static int column(const char *name)
{
	char cols[128][256];
	const char *p = header;
	int n = parse_record(&p, cols, 128);

	for (int i = 0; i < n; i++)
		if (!strcmp(cols[i], name))
			return i;
	fail_msg("no column %s", name);
	return -1;
}

static void test_header_and_rows(void **state)
{
	struct st_run *r = fx_new_runs(2);
	char *csv, (*f)[256] = calloc(128, 256);
	const char *p;
	int ncols, rows = 0;

	(void)state;
	fx_run(&r[0], "pthread", "0", 3, 5612.3);
	fx_run(&r[1], "coro-yield", "0,1", 2, 41.7);
	r[0].syscalls_repeat = 1;
	r[1].light = true;
	for (int i = 0; i < 3; i++)
		r[0].repeat[i].runq.untimed = 100 + (__u64)i;
	csv = to_csv(r, 2);
	assert_memory_equal(csv, header, strlen(header));
	p = csv;
	ncols = parse_record(&p, f, 128);
	while (*p) {
		const struct st_run *run = rows < 3 ? &r[0] : &r[1];
		int i = rows < 3 ? rows : rows - 3;
		char want[64];

		assert_int_equal(parse_record(&p, f, 128), ncols);
		assert_string_equal(f[column("workload")], run->workload);
		assert_string_equal(f[column("cpus")], run->cpus);
		snprintf(want, sizeof(want), "%d", i);
		assert_string_equal(f[column("repeat")], want);
		assert_true(strtod(f[column("ns_per_switch")], NULL) == run->repeat[i].ns_per_switch);
		assert_true(strtod(f[column("user_ns")], NULL) == run->repeat[i].user);
		assert_true(strtod(f[column("workload_ns_per_switch")], NULL) == run->result.repeat[i].ns_per_switch);
		assert_true(strtod(f[column("runq_p99_ns")], NULL) == run->repeat[i].runq.p99_ns);
		assert_true(strtoull(f[column("start_ns")], NULL, 10) == run->result.repeat[i].start_ns);
		assert_string_equal(f[column("lost_recursion")], "8");
		assert_string_equal(f[column("traced")], "true");
		assert_string_equal(f[column("cpu_model")], run->machine.cpu_model);
		snprintf(want, sizeof(want), "%d", run->syscalls_repeat);
		assert_string_equal(f[column("syscalls_repeat")], want);
		assert_string_equal(f[column("light")], run->light ? "true" : "false");
		assert_true(strtoull(f[column("runq_untimed")], NULL, 10) == run->repeat[i].runq.untimed);
		/* the old part is the two that split it, so old readers' sums still hold */
		assert_true(strtod(f[column("switch_path_ns")], NULL) ==
			    run->repeat[i].sched_work + run->repeat[i].return_path);
		assert_true(strtod(f[column("sched_work_ns")], NULL) == run->repeat[i].sched_work);
		assert_true(strtod(f[column("return_path_ns")], NULL) == run->repeat[i].return_path);
		assert_true(strtod(f[column("runq_woken_p50_ns")], NULL) == run->repeat[i].runq_woken.p50_ns);
		assert_true(strtod(f[column("runq_preempted_max_ns")], NULL) == run->repeat[i].runq_preempted.max_ns);
		assert_true(strtoull(f[column("samples_user")], NULL, 10) == run->repeat[i].samples.user);
		assert_true(strtoull(f[column("samples_idle")], NULL, 10) == run->repeat[i].samples.idle);
		rows++;
	}
	assert_int_equal(rows, 5); /* one per workload per repeat */
	free(f);
	free(csv);
	free(r);
}

static void test_quoting_rfc4180(void **state)
{
	struct st_run *r = fx_new_runs(1);
	char *csv, (*f)[256] = calloc(128, 256);
	const char *p;

	(void)state;
	fx_run(r, "pthread", "0,1", 1, 5000);
	snprintf(r->machine.cpu_model, ST_TEXT_LEN, "Xeon \"Gold\", 2 GHz\r\nline two");
	snprintf(r->machine.hostname, ST_NAME_LEN, "plain host");
	csv = to_csv(r, 1);
	assert_non_null(strstr(csv, ",\"0,1\","));
	assert_non_null(strstr(csv, ",\"Xeon \"\"Gold\"\", 2 GHz\r\nline two\","));
	assert_non_null(strstr(csv, ",plain host,"));
	p = csv;
	parse_record(&p, f, 128);
	parse_record(&p, f, 128);
	assert_string_equal(f[column("cpus")], "0,1");
	assert_string_equal(f[column("cpu_model")], r->machine.cpu_model);
	assert_string_equal(p, "");
	free(f);
	free(csv);
	free(r);
}

static void test_missing_values_are_empty(void **state)
{
	struct st_run *r = fx_new_runs(1);
	char *csv, (*f)[256] = calloc(128, 256);
	const char *p;
	int rows = 0;

	(void)state;
	fx_run(r, "pthread", "0", 2, 5000);
	r->repeat[0].idle = NAN;
	r->nr_repeats = 1; /* interrupted: the workload reported 2 repeats, the tracer 1 */
	csv = to_csv(r, 1);
	p = csv;
	parse_record(&p, f, 128);
	while (*p) {
		parse_record(&p, f, 128);
		if (rows == 0) {
			assert_string_equal(f[column("idle_ns")], "");
			assert_string_not_equal(f[column("user_ns")], "");
		} else {
			assert_string_equal(f[column("user_ns")], "");
			assert_string_not_equal(f[column("workload_ns_per_switch")], "");
		}
		rows++;
	}
	assert_int_equal(rows, 2);
	free(f);
	free(csv);
	free(r);
}

/* ---- every documented column, value by value ------------------------------------ */

/* What a cell must hold: a number (compared exactly once read back), a string or a boolean. */
struct want {
	enum { W_DOUBLE, W_U64, W_STR, W_BOOL } kind;
	double d;
	unsigned long long u;
	const char *s;
};

#define WD(v) ((struct want){ .kind = W_DOUBLE, .d = (v) })
#define WU(v) ((struct want){ .kind = W_U64, .u = (unsigned long long)(v) })
#define WS(v) ((struct want){ .kind = W_STR, .s = (v) })
#define WB(v) ((struct want){ .kind = W_BOOL, .u = (v) ? 1 : 0 })

/* A latency column "<prefix>_<stat>" of the breakdown, or false when col is not one. */
static bool latency_want(const char *col, const struct st_breakdown *b, struct want *w)
{
	static const struct {
		const char *prefix;
		size_t off;
	} lats[] = {
		/* longest prefixes first: "runq_" would match "runq_woken_count" */
		{ "runq_migrated_", offsetof(struct st_breakdown, runq_migrated) },
		{ "runq_local_", offsetof(struct st_breakdown, runq_local) },
		{ "runq_woken_", offsetof(struct st_breakdown, runq_woken) },
		{ "runq_preempted_", offsetof(struct st_breakdown, runq_preempted) },
		{ "runq_", offsetof(struct st_breakdown, runq) },
		{ "syscall_", offsetof(struct st_breakdown, syscall) },
		{ "oncpu_", offsetof(struct st_breakdown, oncpu) },
	};

	for (size_t k = 0; k < sizeof(lats) / sizeof(lats[0]); k++) {
		const struct st_latency *l = (const void *)((const char *)b + lats[k].off);
		const char *stat = col + strlen(lats[k].prefix);

		if (strncmp(col, lats[k].prefix, strlen(lats[k].prefix)))
			continue;
		if (!strcmp(stat, "count"))
			*w = WU(l->count);
		else if (!strcmp(stat, "mean_ns"))
			*w = WD(l->mean_ns);
		else if (!strcmp(stat, "p50_ns"))
			*w = WD(l->p50_ns);
		else if (!strcmp(stat, "p90_ns"))
			*w = WD(l->p90_ns);
		else if (!strcmp(stat, "p99_ns"))
			*w = WD(l->p99_ns);
		else if (!strcmp(stat, "max_ns"))
			*w = WD(l->max_ns);
		else if (!strcmp(stat, "untimed") && l == &b->runq)
			*w = WU(l->untimed);
		else
			continue;
		return true;
	}
	return false;
}

/*
 * The value docs/csv.md gives column col in row i of run r, spelled out
 * here field by field (not through csv.c's table); false for a column this
 * test does not know.
 */
static bool want_of(const char *col, const struct st_run *r, int i, struct want *w)
{
	const struct st_repeat_result *rr = &r->result.repeat[i];
	const struct st_breakdown *b = &r->repeat[i];
	const struct st_machine *m = &r->machine;

	/* the run */
	if (!strcmp(col, "workload")) *w = WS(r->workload);
	else if (!strcmp(col, "cpus")) *w = WS(r->cpus);
	else if (!strcmp(col, "traced")) *w = WB(r->traced);
	else if (!strcmp(col, "complete")) *w = WB(r->complete);
	else if (!strcmp(col, "repeat")) *w = WU(i);
	else if (!strcmp(col, "syscalls_repeat")) *w = WU(r->syscalls_repeat);
	else if (!strcmp(col, "syscalls_profiled")) *w = WB(r->syscalls_profiled);
	else if (!strcmp(col, "light")) *w = WB(r->light);
	/* what the workload measured in repeat i */
	else if (!strcmp(col, "workload_switches")) *w = WU(rr->switches);
	else if (!strcmp(col, "workload_round_trips")) *w = WU(rr->round_trips);
	else if (!strcmp(col, "start_ns")) *w = WU(rr->start_ns);
	else if (!strcmp(col, "end_ns")) *w = WU(rr->end_ns);
	else if (!strcmp(col, "workload_ns_per_switch")) *w = WD(rr->ns_per_switch);
	/* the breakdown of repeat i */
	else if (!strcmp(col, "switches")) *w = WU(b->switches);
	else if (!strcmp(col, "switches_from_kernel")) *w = WB(b->switches_from_kernel);
	else if (!strcmp(col, "window_ns")) *w = WD(b->window_ns);
	else if (!strcmp(col, "ns_per_switch")) *w = WD(b->ns_per_switch);
	else if (!strcmp(col, "nr_cpus")) *w = WU(b->nr_cpus);
	else if (!strcmp(col, "user_ns")) *w = WD(b->user);
	else if (!strcmp(col, "mode_switch_ns")) *w = WD(b->mode_switch);
	else if (!strcmp(col, "syscall_work_ns")) *w = WD(b->syscall_work);
	else if (!strcmp(col, "switch_path_ns")) *w = WD(b->sched_work + b->return_path);
	else if (!strcmp(col, "sched_work_ns")) *w = WD(b->sched_work);
	else if (!strcmp(col, "return_path_ns")) *w = WD(b->return_path);
	else if (!strcmp(col, "other_tasks_ns")) *w = WD(b->other_tasks);
	else if (!strcmp(col, "idle_ns")) *w = WD(b->idle);
	else if (!strcmp(col, "tracer_ns")) *w = WD(b->tracer);
	else if (!strcmp(col, "unexplained_ns")) *w = WD(b->unexplained);
	else if (!strcmp(col, "elsewhere_ns")) *w = WD(b->elsewhere);
	else if (!strcmp(col, "corrected_ns_per_switch")) *w = WD(b->corrected_ns_per_switch);
	else if (!strcmp(col, "syscalls")) *w = WD(b->syscalls);
	else if (!strcmp(col, "kernel_switches")) *w = WD(b->kernel_switches);
	else if (!strcmp(col, "voluntary")) *w = WD(b->voluntary);
	else if (!strcmp(col, "involuntary")) *w = WD(b->involuntary);
	else if (!strcmp(col, "wakeups")) *w = WD(b->wakeups);
	else if (!strcmp(col, "cross_cpu_wakeups")) *w = WD(b->cross_cpu_wakeups);
	else if (!strcmp(col, "migrations")) *w = WD(b->migrations);
	else if (!strcmp(col, "events")) *w = WU(b->events);
	else if (!strcmp(col, "lost")) *w = WU(b->lost);
	else if (!strcmp(col, "lost_storage")) *w = WU(b->lost_by_kind[0]);
	else if (!strcmp(col, "lost_map_update")) *w = WU(b->lost_by_kind[1]);
	else if (!strcmp(col, "lost_ringbuf")) *w = WU(b->lost_by_kind[2]);
	else if (!strcmp(col, "lost_recursion")) *w = WU(b->lost_by_kind[3]);
	else if (!strcmp(col, "samples_user")) *w = WU(b->samples.user);
	else if (!strcmp(col, "samples_kernel")) *w = WU(b->samples.kernel);
	else if (!strcmp(col, "samples_other")) *w = WU(b->samples.other);
	else if (!strcmp(col, "samples_idle")) *w = WU(b->samples.idle);
	/* the machine */
	else if (!strcmp(col, "kernel")) *w = WS(m->kernel);
	else if (!strcmp(col, "cpu_model")) *w = WS(m->cpu_model);
	else if (!strcmp(col, "nr_cpus_online")) *w = WU(m->nr_cpus_online);
	else if (!strcmp(col, "virtualization")) *w = WS(m->virtualization);
	else if (!strcmp(col, "hostname")) *w = WS(m->hostname);
	else if (!strcmp(col, "date")) *w = WS(m->date);
	else return latency_want(col, b, w);
	return true;
}

#define MAX_DOC_COLS 160

static void check_cell(const char *col, const char *cell, const struct want *w, int row)
{
	char *end;

	switch (w->kind) {
	case W_STR:
		if (strcmp(cell, w->s))
			fail_msg("row %d, %s: \"%s\", expected \"%s\"", row, col, cell, w->s);
		break;
	case W_BOOL:
		if (strcmp(cell, w->u ? "true" : "false"))
			fail_msg("row %d, %s: %s, expected %s", row, col, cell, w->u ? "true" : "false");
		break;
	case W_U64:
		if (strtoull(cell, &end, 10) != w->u || *end || !*cell)
			fail_msg("row %d, %s: %s, expected %llu", row, col, cell, w->u);
		break;
	case W_DOUBLE:
		if (strtod(cell, &end) != w->d || *end || !*cell)
			fail_msg("row %d, %s: %s, expected %.17g", row, col, cell, w->d);
		break;
	}
}

/*
 * Every column docs/csv.md documents is in the header, and every column of
 * the header holds, in every row, the value the docs say (the fixture gives
 * every field a value of its own, so a column written from the wrong field
 * shows).
 */
static void test_every_documented_column(void **state)
{
	static char docs[MAX_DOC_COLS][64], hdr[MAX_DOC_COLS][256], f[MAX_DOC_COLS][256];
	struct st_run *r = fx_new_runs(2);
	int ndocs = testutil_csv_columns(docs, MAX_DOC_COLS), ncols, rows = 0;
	const char *p;
	char *csv;

	(void)state;
	fx_run(&r[0], "pthread", "0", 3, 5612.3);
	fx_run(&r[1], "futex", "0,1", 2, 3901.7);
	r[0].syscalls_repeat = 2;
	r[1].light = true;
	r[1].syscalls_profiled = true;
	for (int i = 0; i < 3; i++)
		r[0].repeat[i].runq.untimed = 17 + (__u64)i;
	csv = to_csv(r, 2);
	p = csv;
	ncols = parse_record(&p, hdr, MAX_DOC_COLS);
	assert_true(ndocs >= 75); /* a parser that misses the table finds none: the docs list 76 and more */
	for (int d = 0; d < ndocs; d++) {
		bool found = false;

		for (int c = 0; c < ncols && !found; c++)
			found = !strcmp(docs[d], hdr[c]);
		if (!found)
			fail_msg("docs/csv.md documents column %s, the CSV has none", docs[d]);
	}
	while (*p) {
		const struct st_run *run = rows < 3 ? &r[0] : &r[1];
		int i = rows < 3 ? rows : rows - 3;

		assert_int_equal(parse_record(&p, f, MAX_DOC_COLS), ncols);
		for (int c = 0; c < ncols; c++) {
			struct want w = { 0 };

			if (!want_of(hdr[c], run, i, &w))
				fail_msg("column %s: this test does not know what it holds (say it here and in docs/csv.md)",
					 hdr[c]);
			check_cell(hdr[c], f[c], &w, rows);
		}
		rows++;
	}
	assert_int_equal(rows, 5);
	free(csv);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_and_rows),
		cmocka_unit_test(test_every_documented_column),
		cmocka_unit_test(test_quoting_rfc4180),
		cmocka_unit_test(test_missing_values_are_empty),
	};
	return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
