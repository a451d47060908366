// SPDX-License-Identifier: GPL-2.0
/*
 * test_perfetto.c — the timeline converter on synthetic records of a pthread
 * ping-pong (two threads handing over through futexes on one CPU, a
 * migration, a coroutine thread): the output parses as JSON (with our own
 * parser) and holds the tracks, slices and flows Perfetto shows. Also the
 * .gz path through zlib, and a run without a timeline refused in one line.
 */
#include <linux/futex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <zlib.h>
#include "testutil.h"
#include "report_fixture.h"
#include "gzip_file.h"
#include "json_parse.h"
#include "perfetto.h"
#include "report.h"

#define PID 100
#define A 101 /* pthread side A */
#define B 102 /* pthread side B */
#define C 103 /* a coroutine scheduler thread */
#define T0 5000000000ULL

struct rec {
	struct st_tl_event ev[256];
	int n;
	__u64 now;
};

static void add(struct rec *r, __u64 dt, __u32 cpu, __u32 kind, __u32 tid, __u32 other, __s32 arg, __u64 arg2)
{
	struct st_tl_event *e = &r->ev[r->n++];

	assert_true(r->n <= 256);
	r->now += dt;
	*e = (struct st_tl_event){ .ts = r->now, .cpu = cpu, .kind = kind, .tid = tid, .pid = tid ? PID : 0,
				   .other_tid = other, .arg = arg, .arg2 = arg2 };
}

/* One hand-over from `from` to `to` on CPU 0, the way glibc's condvar ping-pong does it. */
static void hand_over(struct rec *r, __u32 from, __u32 to)
{
	add(r, 300, 0, ST_TL_SYS_ENTER, from, 0, SYS_futex, FUTEX_WAKE | FUTEX_PRIVATE_FLAG);
	add(r, 200, 0, ST_TL_WAKEUP, from, to, 0, PID);
	add(r, 100, 0, ST_TL_SYS_EXIT, from, 0, SYS_futex, 1);
	add(r, 150, 0, ST_TL_SYS_ENTER, from, 0, SYS_futex, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG);
	add(r, 400, 0, ST_TL_SWITCH, from, to, 1 /* TASK_INTERRUPTIBLE */, PID);
	add(r, 250, 0, ST_TL_SYS_EXIT, to, 0, SYS_futex, 0);
}

/*
 * B starts blocked in futex WAIT (entered before the trace); A hands over to
 * B and back three times; then A is preempted by a kworker, migrates to CPU
 * 1 and runs there; C switches coroutines 1 -> 2 -> 1 on CPU 1.
 */
static void pthread_records(struct rec *r)
{
	memset(r, 0, sizeof(*r));
	r->now = T0;
	add(r, 0, 0, ST_TL_SWITCH, 0, A, 0, PID); /* idle -> A */
	for (int i = 0; i < 3; i++) {
		hand_over(r, A, B);
		hand_over(r, B, A);
	}
	add(r, 500, 0, ST_TL_SWITCH, A, 999, 0 /* preempted */, 999);
	add(r, 100, 0, ST_TL_MIGRATE, A, 0, 1, 0);
	add(r, 100, 1, ST_TL_SWITCH, 0, A, 0, PID);
	add(r, 100, 1, ST_TL_SWITCH, A, C, 1, PID);
	add(r, 100, 1, ST_TL_USER_SWITCH, C, 0, 1, 0);
	add(r, 100, 1, ST_TL_USER_SWITCH, C, 0, 2, 1);
	add(r, 100, 1, ST_TL_USER_SWITCH, C, 0, 1, 2);
	add(r, 100, 0, ST_TL_SWITCH, 999, 0, 1, 0); /* kworker -> idle */
	/* the ring buffer delivers CPUs interleaved: the converter sorts */
	struct st_tl_event tmp = r->ev[3];
	r->ev[3] = r->ev[4];
	r->ev[4] = tmp;
}

static const struct st_tl_thread threads[] = {
	{ A, PID, "pthread-a" }, { B, PID, "pthread-b" }, { C, PID, "coro-sched" }
};

static char *convert(struct st_timeline *tl, size_t *len)
{
	struct st_run *run = fx_new_runs(1);
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	fx_run(run, "pthread", "0", 1, 5000);
	run->timeline = tl;
	assert_int_equal(st_perfetto_write(f, run, 1), 0);
	fclose(f);
	free(run);
	return buf;
}

struct parsed {
	struct st_json_doc *d;
	const struct st_json *ev;
};

static void parse(const char *buf, size_t len, struct parsed *p)
{
	char err[256];

	p->d = st_json_parse(buf, len, err, sizeof(err));
	if (!p->d)
		fail_msg("the trace is not valid JSON: %s", err);
	p->ev = st_json_get(p->d, st_json_root(p->d), "traceEvents");
	assert_non_null(p->ev);
	assert_int_equal(p->ev->type, ST_JSON_ARRAY);
}

static const char *sget(const struct parsed *p, const struct st_json *e, const char *key)
{
	const struct st_json *v = st_json_get(p->d, e, key);

	return v && v->type == ST_JSON_STRING ? st_json_str(p->d, v) : "";
}

static double nget(const struct parsed *p, const struct st_json *e, const char *key)
{
	const struct st_json *v = st_json_get(p->d, e, key);

	return v && v->type == ST_JSON_NUMBER ? v->num : -1;
}

/* Events with phase ph (and name, and tid when given; NULL/0 match any). */
static int count(const struct parsed *p, const char *ph, const char *name, double tid)
{
	int n = 0;

	for (uint32_t i = 0; i < p->ev->len; i++) {
		const struct st_json *e = st_json_at(p->d, p->ev, i);
		if (!strcmp(sget(p, e, "ph"), ph) && (!name || !strcmp(sget(p, e, "name"), name)) &&
		    (!tid || nget(p, e, "tid") == tid))
			n++;
	}
	return n;
}

/* The metadata event naming (pid, tid), or "". */
static const char *track_name(const struct parsed *p, const char *what, double tid)
{
	for (uint32_t i = 0; i < p->ev->len; i++) {
		const struct st_json *e = st_json_at(p->d, p->ev, i);
		if (!strcmp(sget(p, e, "ph"), "M") && !strcmp(sget(p, e, "name"), what) && nget(p, e, "tid") == tid)
			return sget(p, st_json_get(p->d, e, "args"), "name");
	}
	return "";
}

/* Slices on one track never overlap (Perfetto would mis-nest them). */
static void assert_no_overlap(const struct parsed *p)
{
	for (uint32_t i = 0; i < p->ev->len; i++) {
		const struct st_json *a = st_json_at(p->d, p->ev, i);
		if (strcmp(sget(p, a, "ph"), "X"))
			continue;
		assert_true(nget(p, a, "dur") >= 0);
		for (uint32_t k = i + 1; k < p->ev->len; k++) {
			const struct st_json *b = st_json_at(p->d, p->ev, k);
			double a0 = nget(p, a, "ts"), a1 = a0 + nget(p, a, "dur"), b0 = nget(p, b, "ts"),
			       b1 = b0 + nget(p, b, "dur");
			if (strcmp(sget(p, b, "ph"), "X") || nget(p, a, "tid") != nget(p, b, "tid"))
				continue;
			if (a0 < b1 - 1e-6 && b0 < a1 - 1e-6)
				fail_msg("overlap on tid %.0f: %s [%f, %f] and %s [%f, %f]", nget(p, a, "tid"),
					 sget(p, a, "name"), a0, a1, sget(p, b, "name"), b0, b1);
		}
	}
}

static void check_pthread_trace(const char *buf, size_t len)
{
	struct parsed p;
	int s = 0, f = 0;

	parse(buf, len, &p);
	/* tracks: CPUs, and the threads with their syscall and coroutine tracks */
	assert_string_equal(track_name(&p, "process_name", ST_PF_CPU_PID(0)), "CPUs");
	assert_string_equal(track_name(&p, "thread_name", ST_PF_CPU_TID(0, 0)), "CPU 0");
	assert_string_equal(track_name(&p, "thread_name", ST_PF_CPU_TID(0, 1)), "CPU 1");
	assert_string_equal(track_name(&p, "thread_name", A), "pthread-a 101");
	assert_string_equal(track_name(&p, "thread_name", B), "pthread-b 102");
	assert_string_equal(track_name(&p, "thread_name", ST_PF_SYSCALL_TID(A)), "pthread-a 101 syscalls");
	assert_string_equal(track_name(&p, "thread_name", ST_PF_CORO_TID(C)), "coro-sched 103 coroutines");
	assert_string_equal(track_name(&p, "process_name", PID), "pthread 100");

	/* CPU tracks: which thread ran */
	assert_int_equal(count(&p, "X", "pthread-a 101", ST_PF_CPU_TID(0, 0)), 4);
	assert_int_equal(count(&p, "X", "pthread-b 102", ST_PF_CPU_TID(0, 0)), 3);
	assert_int_equal(count(&p, "X", "tid 999", ST_PF_CPU_TID(0, 0)), 1);
	assert_int_equal(count(&p, "X", "pthread-a 101", ST_PF_CPU_TID(0, 1)), 1);
	assert_int_equal(count(&p, "X", "idle", 0), 0); /* before the first switch, and at the very end: no length */
	assert_int_equal(count(&p, "X", "coro-sched 103", ST_PF_CPU_TID(0, 1)), 1);

	/* thread states */
	assert_int_equal(count(&p, "X", "running", A), 5);
	assert_int_equal(count(&p, "X", "blocked", A), 4); /* the last, after A -> C, lasts to the end */
	assert_int_equal(count(&p, "X", "runnable", A), 3);
	assert_int_equal(count(&p, "X", "runnable (preempted)", A), 1);
	assert_int_equal(count(&p, "X", "running", B), 3);
	assert_int_equal(count(&p, "X", "runnable", B), 3);

	/* syscalls, futex command in the name; B's first exit was entered before the trace */
	assert_int_equal(count(&p, "X", "futex WAKE", ST_PF_SYSCALL_TID(A)), 3);
	assert_int_equal(count(&p, "X", "futex WAIT_BITSET", ST_PF_SYSCALL_TID(A)), 3);
	assert_int_equal(count(&p, "X", "futex WAKE", ST_PF_SYSCALL_TID(B)), 3);
	assert_int_equal(count(&p, "X", "futex WAIT_BITSET", ST_PF_SYSCALL_TID(B)), 3);
	assert_int_equal(count(&p, "X", "futex", ST_PF_SYSCALL_TID(B)), 1); /* its command was in the entry */
	assert_int_equal(count(&p, "X", "futex WAIT", ST_PF_SYSCALL_TID(B)), 0);

	/* wake-ups: one flow each, from the waker's futex WAKE to the wakee's state track */
	for (uint32_t i = 0; i < p.ev->len; i++) {
		const struct st_json *e = st_json_at(p.d, p.ev, i);
		const char *ph = sget(&p, e, "ph");

		if (!strcmp(ph, "s")) {
			s++;
			assert_true(nget(&p, e, "tid") == ST_PF_SYSCALL_TID(A) || nget(&p, e, "tid") == ST_PF_SYSCALL_TID(B));
		} else if (!strcmp(ph, "f")) {
			f++;
			assert_string_equal(sget(&p, e, "bp"), "e");
			assert_true(nget(&p, e, "tid") == A || nget(&p, e, "tid") == B);
			assert_true(nget(&p, e, "id") >= 1 && nget(&p, e, "id") <= 6);
		}
	}
	assert_int_equal(s, 6);
	assert_int_equal(f, 6);

	/* migration and coroutine switches */
	assert_int_equal(count(&p, "i", "migrate CPU 0 \xe2\x86\x92 1", A), 1);
	assert_int_equal(count(&p, "X", "coroutine 1", ST_PF_CORO_TID(C)), 2);
	assert_int_equal(count(&p, "X", "coroutine 2", ST_PF_CORO_TID(C)), 1);

	assert_no_overlap(&p);
	st_json_free(p.d);
}

static void test_pthread_trace(void **state)
{
	struct rec *r = malloc(sizeof(*r));
	struct st_timeline tl = { 0 };
	size_t len;
	char *buf;

	(void)state;
	pthread_records(r);
	tl.events = r->ev;
	tl.nr_events = (__u64)r->n;
	tl.threads = threads;
	tl.nr_threads = 3;
	buf = convert(&tl, &len);
	check_pthread_trace(buf, len);
	/* times: µs from the first record, ns as decimals */
	assert_non_null(strstr(buf, "\"ts\":0.000,"));
	assert_non_null(strstr(buf, "\"clock_base_ns\":5000000000"));
	free(buf);
	free(r);
}

static void test_threads_found_without_names(void **state)
{
	struct rec *r = malloc(sizeof(*r));
	struct st_timeline tl = { 0 };
	struct parsed p;
	size_t len;
	char *buf;

	(void)state;
	pthread_records(r);
	tl.events = r->ev;
	tl.nr_events = (__u64)r->n;
	buf = convert(&tl, &len); /* no thread table: the threads the records are about get tracks */
	parse(buf, len, &p);
	assert_string_equal(track_name(&p, "thread_name", A), "tid 101");
	assert_int_equal(count(&p, "X", "futex WAKE", ST_PF_SYSCALL_TID(B)), 3);
	assert_int_equal(count(&p, "s", NULL, 0), 6);
	assert_int_equal(track_name(&p, "thread_name", 999)[0], '\0'); /* the kworker only on the CPU track */
	st_json_free(p.d);
	free(buf);
	free(r);
}

/*
 * --light records no wake-ups: a woken thread's runnable slice starts at the
 * kernel's enqueue stamp, its runqueue wait carried in the high half of the
 * switch record's arg2 (timeline.h). No stamp (0): blocked until it runs.
 */
static void test_runnable_from_queue_wait(void **state)
{
#define WAITED(ns) ((__u64)PID | (__u64)(ns) << 32)
	struct st_tl_event ev[] = {
		{ .ts = T0, .cpu = 0, .kind = ST_TL_SWITCH, .tid = 0, .other_tid = A, .arg2 = PID },
		{ .ts = T0 + 1000, .cpu = 0, .kind = ST_TL_SWITCH, .tid = A, .pid = PID, .other_tid = B, .arg = 1,
		  .arg2 = WAITED(0) },
		{ .ts = T0 + 2000, .cpu = 0, .kind = ST_TL_SWITCH, .tid = B, .pid = PID, .other_tid = A, .arg = 1,
		  .arg2 = WAITED(400) },
		{ .ts = T0 + 3000, .cpu = 0, .kind = ST_TL_SWITCH, .tid = A, .pid = PID, .other_tid = B, .arg = 0,
		  .arg2 = WAITED(0) },
		{ .ts = T0 + 4000, .cpu = 0, .kind = ST_TL_SWITCH, .tid = B, .pid = PID, .other_tid = A, .arg = 1,
		  .arg2 = WAITED(700) }, /* A was preempted, runnable already: the wait changes nothing */
	};
#undef WAITED
	struct st_timeline tl = { .events = ev, .nr_events = 5, .threads = threads, .nr_threads = 2 };
	struct parsed p;
	size_t len;
	char *buf;
	int seen = 0;

	(void)state;
	buf = convert(&tl, &len);
	parse(buf, len, &p);
	assert_int_equal(count(&p, "X", "runnable", A), 1);
	assert_int_equal(count(&p, "X", "blocked", A), 1);
	assert_int_equal(count(&p, "X", "runnable (preempted)", A), 1);
	assert_int_equal(count(&p, "X", "runnable", B), 0);
	assert_int_equal(count(&p, "X", "blocked", B), 1);
	assert_int_equal(count(&p, "s", NULL, 0), 0);
	for (uint32_t i = 0; i < p.ev->len; i++) {
		const struct st_json *e = st_json_at(p.d, p.ev, i);

		if (strcmp(sget(&p, e, "name"), "runnable") || nget(&p, e, "tid") != A)
			continue;
		/* µs from the first record: queued at 1.6, running at 2.0 */
		assert_near(nget(&p, e, "ts"), 1.6, 1e-12);
		assert_near(nget(&p, e, "dur"), 0.4, 1e-12);
		seen++;
	}
	assert_int_equal(seen, 1);
	assert_no_overlap(&p);
	st_json_free(p.d);
	free(buf);
}

static void test_lost_and_garbage_records(void **state)
{
	struct st_tl_event ev[] = {
		{ .ts = 10, .cpu = 0, .kind = ST_TL_SWITCH, .tid = 0, .other_tid = A, .arg2 = PID },
		{ .ts = 20, .cpu = 9999, .kind = ST_TL_SWITCH, .tid = A, .other_tid = 0 }, /* CPU out of range */
		{ .ts = 30, .cpu = 0, .kind = 77, .tid = A },				   /* unknown kind */
		{ .ts = 40, .cpu = 0, .kind = ST_TL_SYS_EXIT, .tid = A, .arg = SYS_read },  /* no enter */
		{ .ts = 50, .cpu = 0, .kind = ST_TL_SYS_ENTER, .tid = A, .arg = SYS_write },
		{ .ts = 60, .cpu = 0, .kind = ST_TL_SYS_ENTER, .tid = A, .arg = SYS_read }, /* write's exit lost */
	};
	__u64 lost[2] = { 0, 42 };
	struct st_timeline tl = { .events = ev, .nr_events = 6, .threads = threads, .nr_threads = 1,
				  .lost_per_cpu = lost, .nr_cpus = 2 };
	struct parsed p;
	size_t len;
	char *buf;

	(void)state;
	buf = convert(&tl, &len);
	parse(buf, len, &p);
	assert_int_equal(count(&p, "i", "42 records lost", ST_PF_CPU_TID(0, 1)), 1);
	assert_string_equal(track_name(&p, "thread_name", ST_PF_CPU_TID(0, 1)), "CPU 1");
	assert_int_equal(count(&p, "X", "read", ST_PF_SYSCALL_TID(A)), 2); /* before the trace, and open at its end */
	assert_int_equal(count(&p, "X", "write", ST_PF_SYSCALL_TID(A)), 1);
	assert_non_null(strstr(buf, "\"records_lost\":42"));
	assert_no_overlap(&p);
	st_json_free(p.d);
	free(buf);
}

/*
 * A full ring buffer drops a batch of records on a CPU: on a traced CPU every
 * switch is recorded, so the switch after the gap does not leave the thread
 * the last one brought in. What ran ends at the last record before the gap,
 * and the gap is a "records lost" slice up to the record after it. A CPU
 * outside the traced set (CPU 1 here: the run's CPUs are "0") records only
 * the traced threads' switches, so a break there is no gap.
 */
static void test_gap_marked_where_records_were_lost(void **state)
{
	struct st_tl_event ev[] = {
		{ .ts = 100, .cpu = 0, .kind = ST_TL_SWITCH, .tid = 0, .other_tid = A, .arg2 = PID },
		{ .ts = 200, .cpu = 0, .kind = ST_TL_SWITCH, .tid = A, .other_tid = B, .arg = 1, .arg2 = PID },
		{ .ts = 250, .cpu = 0, .kind = ST_TL_SYS_ENTER, .tid = B, .arg = SYS_getpid },
		/* lost here: B -> A and A -> B; the next record has A leaving */
		{ .ts = 900, .cpu = 0, .kind = ST_TL_SWITCH, .tid = A, .other_tid = 0, .arg = 1, .arg2 = 0 },
		{ .ts = 1000, .cpu = 0, .kind = ST_TL_SWITCH, .tid = 0, .other_tid = B, .arg2 = PID },
		/* CPU 1 (not traced): A in, then B out, the switches between untraced tasks unrecorded */
		{ .ts = 300, .cpu = 1, .kind = ST_TL_SWITCH, .tid = 0, .other_tid = C, .arg2 = PID },
		{ .ts = 600, .cpu = 1, .kind = ST_TL_SWITCH, .tid = 999, .other_tid = C, .arg2 = PID },
	};
	__u64 lost[2] = { 32, 32 };
	struct st_timeline tl = { .events = ev, .nr_events = sizeof(ev) / sizeof(ev[0]), .threads = threads,
				  .nr_threads = 3, .lost_per_cpu = lost, .nr_cpus = 2 };
	struct parsed p;
	size_t len;
	char *buf;
	int gaps = 0;

	(void)state;
	buf = convert(&tl, &len);
	parse(buf, len, &p);
	for (uint32_t i = 0; i < p.ev->len; i++) {
		const struct st_json *e = st_json_at(p.d, p.ev, i);

		if (strcmp(sget(&p, e, "name"), "records lost") || strcmp(sget(&p, e, "ph"), "X"))
			continue;
		gaps++;
		assert_true(nget(&p, e, "tid") == ST_PF_CPU_TID(0, 0));
		/* from the record before the gap (250 ns) to the one after it (900 ns), in µs from the first record */
		assert_true(nget(&p, e, "ts") > 0.149 && nget(&p, e, "ts") < 0.151);
		assert_true(nget(&p, e, "dur") > 0.649 && nget(&p, e, "dur") < 0.651);
	}
	assert_int_equal(gaps, 1);
	assert_non_null(strstr(buf, "\"gaps_marked\":1"));
	assert_non_null(strstr(buf, "\"records_lost\":64"));
	/* B's slice on CPU 0 (from 200 ns) ends where the records stop (250 ns), not at the switch after the gap */
	assert_int_equal(count(&p, "X", "pthread-b 102", ST_PF_CPU_TID(0, 0)), 1);
	for (uint32_t i = 0; i < p.ev->len; i++) {
		const struct st_json *e = st_json_at(p.d, p.ev, i);

		if (!strcmp(sget(&p, e, "name"), "pthread-b 102") && nget(&p, e, "tid") == ST_PF_CPU_TID(0, 0))
			assert_true(nget(&p, e, "dur") > 0.049 && nget(&p, e, "dur") < 0.051);
	}
	assert_no_overlap(&p);
	st_json_free(p.d);
	free(buf);

	/* no losses: the same break is not a gap (nothing says records are missing) */
	lost[0] = lost[1] = 0;
	buf = convert(&tl, &len);
	assert_null(strstr(buf, "records lost"));
	assert_non_null(strstr(buf, "\"gaps_marked\":0"));
	free(buf);
}

/* The .gz path: zlib's gzip stream inflates back to the same trace. */
static void test_gzip(void **state)
{
	struct rec *r = malloc(sizeof(*r));
	struct st_timeline tl = { 0 };
	struct st_run *run = fx_new_runs(1);
	char path[] = "/tmp/st-perfetto-XXXXXX", *plain = NULL, *back = calloc(1, 1 << 20);
	size_t plain_len;
	FILE *f, *gz;
	gzFile in;
	int fd, n;

	(void)state;
	pthread_records(r);
	tl.events = r->ev;
	tl.nr_events = (__u64)r->n;
	tl.threads = threads;
	tl.nr_threads = 3;
	fx_run(run, "pthread", "0", 1, 5000);
	run->timeline = &tl;
	f = open_memstream(&plain, &plain_len);
	assert_int_equal(st_perfetto_write(f, run, 1), 0);
	fclose(f);

	fd = mkstemp(path);
	f = fdopen(fd, "w");
	gz = st_gzip_fopen(f);
	assert_non_null(gz);
	assert_int_equal(st_perfetto_write(gz, run, 1), 0);
	assert_int_equal(fclose(gz), 0);
	assert_int_equal(fclose(f), 0);

	in = gzopen(path, "rb");
	assert_non_null(in);
	n = gzread(in, back, (1 << 20) - 1);
	assert_int_equal(gzclose(in), Z_OK);
	assert_int_equal(n, (int)plain_len);
	assert_memory_equal(back, plain, plain_len);
	check_pthread_trace(back, (size_t)n);
	unlink(path);
	free(back);
	free(plain);
	free(run);
	free(r);
}

static int call_outputs(const struct st_outputs *o, struct st_run *run, char *err, size_t len)
{
	FILE *tmp = tmpfile();
	int saved = dup(2), ret;
	size_t n;

	fflush(stderr);
	dup2(fileno(tmp), 2);
	ret = st_outputs_write(o, run, 1);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	n = fread(err, 1, len - 1, tmp);
	err[n] = '\0';
	fclose(tmp);
	return ret;
}

static void test_outputs_gz_and_no_timeline(void **state)
{
	struct rec *r = malloc(sizeof(*r));
	struct st_timeline tl = { 0 };
	struct st_run *run = fx_new_runs(1);
	char dir[] = "/tmp/st-perfetto-out-XXXXXX", path[96], err[512];
	struct st_outputs o = { 0 };
	unsigned char magic[2];
	FILE *f;

	(void)state;
	pthread_records(r);
	tl.events = r->ev;
	tl.nr_events = (__u64)r->n;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/trace.json.gz", dir);
	fx_run(run, "pthread", "0", 1, 5000);
	o.perfetto = path;

	assert_int_equal(call_outputs(&o, run, err, sizeof(err)), -1); /* no timeline: refused, nothing left */
	assert_non_null(strstr(err, "no timeline was recorded"));
	assert_int_equal(strchr(err, '\n') - err, (long)strlen(err) - 1);
	assert_int_not_equal(access(path, F_OK), 0);

	run->timeline = &tl;
	assert_int_equal(call_outputs(&o, run, err, sizeof(err)), 0);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(magic, 1, 2, f), 2);
	fclose(f);
	assert_int_equal(magic[0], 0x1f); /* gzip */
	assert_int_equal(magic[1], 0x8b);
	unlink(path);
	rmdir(dir);
	free(run);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pthread_trace),
		cmocka_unit_test(test_threads_found_without_names),
		cmocka_unit_test(test_runnable_from_queue_wait),
		cmocka_unit_test(test_lost_and_garbage_records),
		cmocka_unit_test(test_gap_marked_where_records_were_lost),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_outputs_gz_and_no_timeline),
	};
	return cmocka_run_group_tests_name("perfetto", tests, NULL, NULL);
}
