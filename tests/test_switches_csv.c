// SPDX-License-Identifier: GPL-2.0
/*
 * test_switches_csv.c — the --switches writer (report/switches_csv.c):
 *  - a short ping-pong written byte for byte as worked out by hand (CRLF,
 *    empty cells for what the records cannot say);
 *  - the header is docs/switches-csv.md's table, in its order;
 *  - round trip: thousands of generated switches written, read back with a
 *    small RFC 4180 parser of the test's own (quotes, doubled quotes, line
 *    breaks in quotes, CRLF), every field compared with the row the walk
 *    (user/core/switches.c) gave;
 *  - the note on stderr when records were lost or the recording was cut,
 *    and none when the records are whole;
 *  - through st_outputs_write: the file, and a run without a timeline refused.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "testutil.h"
#include "report.h"
#include "switches_csv.h"

#define PID 100
#define T0 1000000ULL

static const struct st_tl_thread named[] = { { .tid = 101, .pid = PID, .comm = "pthread" },
					     { .tid = 102, .pid = PID, .comm = "pthread" },
					     { .tid = 103, .pid = PID, .comm = "pthread" } };

static struct st_tl_event *ev;
static int nev, cap;

static void add(__u64 t, __u32 cpu, __u32 kind, __u32 tid, __u32 other, __s32 arg)
{
	if (nev == cap) {
		cap = cap ? cap * 2 : 64;
		ev = realloc(ev, (size_t)cap * sizeof(*ev));
		assert_non_null(ev);
	}
	ev[nev++] = (struct st_tl_event){ .ts = T0 + t, .cpu = cpu, .kind = kind, .tid = tid,
					  .pid = tid >= 101 && tid <= 103 ? PID : tid, .other_tid = other, .arg = arg,
					  .arg2 = other >= 101 && other <= 103 ? PID : other };
}

static void run_of(struct st_run *run, struct st_timeline *tl)
{
	memset(run, 0, sizeof(*run));
	*tl = (struct st_timeline){ .events = ev, .nr_events = (__u64)nev, .threads = named, .nr_threads = 3 };
	snprintf(run->workload, sizeof(run->workload), "pthread");
	snprintf(run->cpus, sizeof(run->cpus), "0");
	run->timeline = tl;
	run->tl_counts.recorded = true;
}

/* Writes runs[0] to memory; the caller frees. */
static char *write_csv(const struct st_run *run, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	assert_non_null(f);
	assert_int_equal(st_switches_csv_write(f, run, 1), 0);
	fclose(f);
	return buf;
}

/* ---- the hand-worked ping-pong ------------------------------------------------ */

static void test_hand_worked_rows(void **state)
{
	static const char want[] =
		"time_ns,cpu,prev_tid,next_tid,prev_state,next_wait_ns,next_wait_class,prev_slice_ns,"
		"prev_in_syscall,next_migrated\r\n"
		/* idle -> A: A's first switch-in (none), nothing before it on CPU 0 (no slice) */
		"1001000,0,0,101,runnable,,none,,,\r\n"
		/* A blocks in futex: slice 1500-1000; B woken at 1200 waited 300; B never seen before */
		"1001500,0,101,102,blocked,300,woken,500,true,\r\n"
		/* B preempted after its sys_exit: slice 500; A woken at 1800 waited 200 on CPU 0 again */
		"1002000,0,102,101,runnable,200,woken,500,false,false\r\n"
		/* B on CPU 1 (not traced): idle's slice there unknown; B preempted at 2000 waited 600, migrated */
		"1002600,1,0,102,runnable,600,preempted,,,true\r\n";
	struct st_timeline tl;
	struct st_run run;
	size_t len;
	char *got;

	(void)state;
	nev = 0;
	add(1000, 0, ST_TL_SWITCH, 0, 101, 0);
	add(1100, 0, ST_TL_SYS_ENTER, 101, 0, SYS_futex);
	add(1200, 0, ST_TL_WAKEUP, 101, 102, 0);
	add(1500, 0, ST_TL_SWITCH, 101, 102, 1);
	add(1600, 0, ST_TL_SYS_EXIT, 102, 0, SYS_futex);
	add(1800, 0, ST_TL_WAKEUP, 102, 101, 0);
	add(2000, 0, ST_TL_SWITCH, 102, 101, 0);
	add(2600, 1, ST_TL_SWITCH, 0, 102, 0);
	run_of(&run, &tl);
	got = write_csv(&run, &len);
	assert_int_equal(len, strlen(want));
	assert_string_equal(got, want);
	free(got);
}

/* A run without a timeline writes the header only (st_outputs refuses it before, see below). */
static void test_header_only(void **state)
{
	struct st_run run;
	size_t len;
	char *got;

	(void)state;
	memset(&run, 0, sizeof(run));
	got = write_csv(&run, &len);
	assert_non_null(strstr(got, "next_migrated\r\n"));
	assert_int_equal(strchr(got, '\n')[1], '\0');
	free(got);
}

static void test_header_is_the_documented_table(void **state)
{
	char names[64][64];
	int n = testutil_doc_columns("docs/switches-csv.md", names, 64);

	(void)state;
	assert_int_equal(n, st_switches_csv_nr_columns);
	for (int i = 0; i < n; i++)
		assert_string_equal(names[i], st_switches_csv_columns[i]);
}

/* ---- an RFC 4180 reader of the test's own ---------------------------------------- */

struct table {
	char ***rows; /* rows[r][f], each field NUL-terminated */
	int *nf;
	int n;
};

/* One field at *p: quoted ("" is a quote; commas and line breaks inside) or up to , or CRLF. */
static char *field(const char **p)
{
	size_t cap = 16, n = 0;
	char *out = malloc(cap);
	const char *s = *p;
	bool quoted = *s == '"';

	assert_non_null(out);
	if (quoted)
		s++;
	for (;;) {
		if (quoted && *s == '"' && s[1] == '"') {
			s++;
		} else if (quoted && *s == '"') {
			s++;
			break;
		} else if (!quoted && (*s == ',' || *s == '\r' || *s == '\0')) {
			break;
		}
		if (*s == '\0')
			fail_msg("unterminated quoted field");
		if (n + 2 > cap)
			assert_non_null(out = realloc(out, cap *= 2));
		out[n++] = *s++;
	}
	out[n] = '\0';
	*p = s;
	return out;
}

/* Rows end in CRLF (RFC 4180 2.1); a bare LF outside quotes is an error here. */
static void parse(const char *s, struct table *t)
{
	memset(t, 0, sizeof(*t));
	while (*s) {
		char **r = NULL;
		int nf = 0;

		for (;;) {
			assert_non_null(r = realloc(r, (size_t)(nf + 1) * sizeof(*r)));
			r[nf++] = field(&s);
			if (*s == ',') {
				s++;
				continue;
			}
			if (s[0] != '\r' || s[1] != '\n')
				fail_msg("row %d does not end in CRLF", t->n);
			s += 2;
			break;
		}
		assert_non_null(t->rows = realloc(t->rows, (size_t)(t->n + 1) * sizeof(*t->rows)));
		assert_non_null(t->nf = realloc(t->nf, (size_t)(t->n + 1) * sizeof(*t->nf)));
		t->rows[t->n] = r;
		t->nf[t->n++] = nf;
	}
}

static void table_free(struct table *t)
{
	for (int i = 0; i < t->n; i++) {
		for (int k = 0; k < t->nf[i]; k++)
			free(t->rows[i][k]);
		free(t->rows[i]);
	}
	free(t->rows);
	free(t->nf);
}

/* The reader itself, on what a writer may legally quote. */
static void test_reader(void **state)
{
	struct table t;

	(void)state;
	parse("a,\"b,c\",\"say \"\"hi\"\"\"\r\n,\"two\r\nlines\",\r\n", &t);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.nf[0], 3);
	assert_string_equal(t.rows[0][1], "b,c");
	assert_string_equal(t.rows[0][2], "say \"hi\"");
	assert_int_equal(t.nf[1], 3);
	assert_string_equal(t.rows[1][0], "");
	assert_string_equal(t.rows[1][1], "two\r\nlines");
	assert_string_equal(t.rows[1][2], "");
	table_free(&t);
}

/* ---- the round trip ------------------------------------------------------------ */

/* xorshift: the same records every run */
static __u32 rnd(void)
{
	static __u32 x = 2463534242u;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return x;
}

/*
 * Three threads on two CPUs handing over through futexes, with preemptions,
 * other tasks and idle in between: every class, state and yes/no/unknown.
 */
static void generated(int switches)
{
	__u32 on[2] = { 0, 0 }; /* running on each CPU */
	__u64 t = 0;

	nev = 0;
	for (int i = 0; i < switches; i++) {
		__u32 cpu = rnd() % 2, prev = on[cpu], next;
		int pick = (int)(rnd() % 6);

		next = pick < 3 ? 101 + (__u32)pick : pick == 3 ? 0 : 500 + rnd() % 3;
		if (next == prev || (next && next == on[!cpu]))
			continue;
		t += 100 + rnd() % 5000;
		if (prev >= 101 && prev <= 103 && rnd() % 2) {
			add(t, cpu, ST_TL_SYS_ENTER, prev, 0, SYS_futex);
			t += 50;
		}
		if (next >= 101 && next <= 103 && rnd() % 3)
			add(t - 20, !cpu, ST_TL_WAKEUP, 0, next, 0);
		add(t, cpu, ST_TL_SWITCH, prev, next, rnd() % 2 ? 1 : 0);
		if (next >= 101 && next <= 103 && rnd() % 2)
			add(t + 30, cpu, ST_TL_SYS_EXIT, next, 0, SYS_futex);
		on[cpu] = next;
	}
}

static void expect_field(int row, const char *col, const char *got, const char *want)
{
	if (strcmp(got, want))
		fail_msg("row %d, %s: '%s' read back, '%s' written", row, col, got, want);
}

static const char *u64s(char *buf, bool known, __u64 v)
{
	if (!known)
		return "";
	snprintf(buf, 24, "%llu", (unsigned long long)v);
	return buf;
}

static const char *yes_no(int v)
{
	return v == ST_SW_UNKNOWN ? "" : v ? "true" : "false";
}

/* Every field of row i against the walk's row r, formatted here from docs/switches-csv.md. */
static void compare_row(int i, char **f, const struct st_switch_row *r)
{
	static const char *const cls[] = { [ST_SW_UNTRACED] = "", [ST_SW_NONE] = "none", [ST_SW_WOKEN] = "woken",
					   [ST_SW_PREEMPTED] = "preempted" };
	bool waited = r->wait_class == ST_SW_WOKEN || r->wait_class == ST_SW_PREEMPTED;
	char b[24];

	expect_field(i, "time_ns", f[0], u64s(b, true, r->ts));
	expect_field(i, "cpu", f[1], u64s(b, true, r->cpu));
	expect_field(i, "prev_tid", f[2], u64s(b, true, r->prev_tid));
	expect_field(i, "next_tid", f[3], u64s(b, true, r->next_tid));
	expect_field(i, "prev_state", f[4], r->prev_state ? "blocked" : "runnable");
	expect_field(i, "next_wait_ns", f[5], u64s(b, waited, r->wait_ns));
	expect_field(i, "next_wait_class", f[6], cls[r->wait_class]);
	expect_field(i, "prev_slice_ns", f[7], u64s(b, r->slice_known, r->slice_ns));
	expect_field(i, "prev_in_syscall", f[8], yes_no(r->prev_in_syscall));
	expect_field(i, "next_migrated", f[9], yes_no(r->next_migrated));
}

static void test_round_trip(void **state)
{
	struct st_switch_walk *w;
	struct st_switch_row r;
	struct st_timeline tl;
	struct st_run run;
	struct table t;
	int classes[4] = { 0 }, rows = 0;
	size_t len;
	char *csv;

	(void)state;
	generated(20000);
	run_of(&run, &tl);
	csv = write_csv(&run, &len);
	parse(csv, &t);
	assert_true(t.n > 1000);
	assert_int_equal(t.nf[0], st_switches_csv_nr_columns);
	for (int k = 0; k < t.nf[0]; k++)
		assert_string_equal(t.rows[0][k], st_switches_csv_columns[k]);
	w = st_switch_walk_new(&tl, run.cpus);
	assert_non_null(w);
	while (st_switch_walk_next(w, &r) > 0) {
		rows++;
		assert_true(rows < t.n);
		assert_int_equal(t.nf[rows], st_switches_csv_nr_columns);
		compare_row(rows, t.rows[rows], &r);
		classes[r.wait_class]++;
	}
	st_switch_walk_free(w);
	assert_int_equal(rows, t.n - 1);
	for (int c = 0; c < 4; c++) /* the generator reaches every class */
		assert_true(classes[c] > 0);
	print_message("[   INFO   ] %d rows, %zu bytes: %.1f bytes per row\n", rows, len, (double)len / rows);
	table_free(&t);
	free(csv);
}

/* ---- what the file cannot hold -------------------------------------------------- */

static void test_note(void **state)
{
	struct st_tl_counts c = { .recorded = true, .records = 1000, .nr_cpus = 2 };
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_int_equal(st_switches_csv_note(f, "sw.csv", &c), 0);
	fflush(f);
	assert_int_equal(len, 0);
	c.lost = 96;
	c.lost_per_cpu[1] = 96;
	c.cut = true;
	assert_int_equal(st_switches_csv_note(f, "sw.csv", &c), 2);
	fclose(f);
	assert_non_null(strstr(buf, "schedtrace: sw.csv: 96 timeline records were lost (the ring buffer was full: 96 on CPU 1)"));
	assert_non_null(strstr(buf, "--ring-size"));
	assert_null(strstr(buf, "on CPU 0"));
	assert_non_null(strstr(buf, "\nschedtrace: sw.csv: the recording stopped at the collector's limit, after 1000 records"));
	assert_int_equal(buf[len - 1], '\n');
	free(buf);
}

/* st_outputs: --switches writes the file; without a timeline it is refused with one line. */
static void test_outputs(void **state)
{
	char dir[] = "/tmp/st-switches-XXXXXX", path[64], head[32] = "";
	struct st_outputs o = { 0 };
	struct st_timeline tl;
	struct st_run run;
	char err[256];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sw.csv", dir);
	o.switches = path;
	assert_int_equal(st_outputs_check(&o, err, sizeof(err)), 0);
	generated(100);
	run_of(&run, &tl);
	assert_int_equal(st_outputs_write(&o, &run, 1), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(head, sizeof(head), f));
	fclose(f);
	assert_int_equal(strncmp(head, "time_ns,cpu,prev_tid,next_tid,", 30), 0);
	unlink(path);
	run.timeline = NULL;
	assert_int_equal(st_outputs_write(&o, &run, 1), -1);
	assert_int_equal(access(path, F_OK), -1);
	/* --switches and another option on one file is a usage error */
	o.csv = path;
	assert_int_equal(st_outputs_check(&o, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--csv and --switches both name"));
	rmdir(dir);
}

static int teardown(void **state)
{
	(void)state;
	free(ev);
	ev = NULL;
	nev = cap = 0;
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand_worked_rows),
		cmocka_unit_test(test_header_only),
		cmocka_unit_test(test_header_is_the_documented_table),
		cmocka_unit_test(test_reader),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_note),
		cmocka_unit_test(test_outputs),
	};

	testutil_filter();
	return cmocka_run_group_tests_name("switches_csv", tests, NULL, teardown);
}
