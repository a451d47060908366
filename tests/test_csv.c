// SPDX-License-Identifier: GPL-2.0
/*
 * test_csv.c — the CSV output: the documented header, one row per workload
 * per repeat, CRLF rows, RFC 4180 quoting, doubles exact and NaN empty.
 */
#include <math.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_and_rows),
		cmocka_unit_test(test_quoting_rfc4180),
		cmocka_unit_test(test_missing_values_are_empty),
	};
	return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
