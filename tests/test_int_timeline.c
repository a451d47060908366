// SPDX-License-Identifier: GPL-2.0
/*
 * test_int_timeline.c — the coroutine switch ring end to end (root + BPF):
 * `run coro-yield` with a timeline gets one USER_SWITCH record per switch
 * of the first window, merged in time order with the kernel's records, and
 * the Perfetto trace has the thread's coroutine track (through the library
 * and through `schedtrace run --perfetto`). A pthread run with a
 * timeline gets no user records (its workload has no coroutine scheduler),
 * and with --light only the scheduler's records, runnable slices included.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "perfetto.h"
#include "report.h"
#include "run.h"
#include "testutil.h"

static struct st_run run;

static int teardown(void **state)
{
	(void)state;
	st_run_release(&run);
	return 0;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static void test_coro_yield_user_switches(void **state)
{
	struct st_run_opts o = { .workload = "coro-yield", .cpus = { 0 }, .nr_cpus = 1, .iterations = 50000,
				 .repeats = 2, .timeline = true };
	char err[1024] = "", *buf = NULL;
	const struct st_timeline *tl;
	__u64 user = 0, prev = 0, window;
	size_t len = 0, slices;
	FILE *f;
	int e;

	(void)state;
	require_bpf();
	e = st_run_workload(&o, &run, err, sizeof(err));
	if (e)
		fail_msg("run coro-yield with a timeline: %s", err);
	tl = run.timeline;
	assert_non_null(tl);
	window = run.tl_window.switches;
	assert_int_equal(run.nr_repeats, 2); /* the recorded window is not one of them */
	for (__u64 i = 0; i < tl->nr_events; i++) {
		const struct st_tl_event *ev = &tl->events[i];

		assert_true(ev->ts >= prev); /* merged in time order */
		prev = ev->ts;
		if (ev->kind != ST_TL_USER_SWITCH)
			continue;
		user++;
		assert_int_equal(ev->pid, (__u32)run.result.tids[0]); /* one thread: tid == tgid */
		assert_int_equal(ev->tid, (__u32)run.result.tids[0]);
		assert_int_equal(ev->cpu, 0);
		assert_true(ev->arg > 0 && ev->arg2 > 0); /* coroutine to coroutine, not the loop */
		/* inside the timeline's window, as the workload's clock saw it */
		assert_true(ev->ts >= run.tl_window.start_ns - 100000);
		assert_true(ev->ts <= run.tl_window.end_ns);
	}
	print_message("[   INFO   ] %llu records, %llu user switches (%llu in the window), %llu dropped\n",
		      (unsigned long long)tl->nr_events, (unsigned long long)user, (unsigned long long)window,
		      (unsigned long long)tl->user_dropped);
	assert_true(tl->user_ring);
	assert_int_equal(tl->user_switches, user);
	assert_int_equal(tl->user_dropped, 0);
	/* the window's switches, all of them: the ring is on from its start gate to its end gate */
	assert_int_equal(user, window);

	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(st_perfetto_write(f, &run, 1), 0);
	fclose(f);
	assert_non_null(strstr(buf, " coroutines\""));
	slices = count(buf, "\"cat\":\"coroutine\"");
	assert_true(slices + 1 >= user && slices <= user); /* each switch ends the slice before it */
	free(buf);
}

/* The command line: the trace file has the coroutine track, the text report its counts. */
static void test_cli_perfetto(void **state)
{
	static char out[1 << 16], err[4096];
	char path[] = "/tmp/st-int-timeline-XXXXXX", *buf;
	char *argv[] = { (char *)testutil_bin("schedtrace"), "run", "coro-yield", "-C", "0", "-n", "20000", "-r", "1",
			 "--perfetto", path, NULL };
	long len;
	FILE *f;
	int fd, rc;

	(void)state;
	require_bpf();
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	rc = testutil_run(argv, out, sizeof(out), err, sizeof(err));
	if (rc != 0)
		fail_msg("schedtrace run coro-yield --perfetto: exit %d: %s", rc, err);
	assert_non_null(strstr(out, "timeline: 40,"));
	assert_non_null(strstr(out, "(40,000 coroutine"));
	f = fopen(path, "r");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	unlink(path);
	assert_non_null(strstr(buf, " coroutines\""));
	assert_true(count(buf, "\"cat\":\"coroutine\"") >= 39999);
	free(buf);
}

static void test_pthread_no_user_switches(void **state)
{
	struct st_run_opts o = { .workload = "pthread", .cpus = { 0 }, .nr_cpus = 1, .iterations = 2000,
				 .repeats = 1, .timeline = true };
	char err[1024] = "";

	(void)state;
	require_bpf();
	if (st_run_workload(&o, &run, err, sizeof(err)))
		fail_msg("run pthread with a timeline: %s", err);
	assert_non_null(run.timeline);
	assert_false(run.timeline->user_ring);
	assert_int_equal(run.timeline->user_switches, 0);
	for (__u64 i = 0; i < run.timeline->nr_events; i++)
		assert_int_not_equal(run.timeline->events[i].kind, ST_TL_USER_SWITCH);
	assert_null(getenv("SCHEDTRACE_CORO_RING_FD")); /* the collector's environment is as it was */
}

/*
 * --perfetto --light: the scheduler's records only (no syscall hooks, no
 * sched_waking), and still runnable slices: a switch record carries next's
 * runqueue wait from the kernel's enqueue stamp.
 */
static void test_pthread_light_timeline(void **state)
{
	struct st_run_opts o = { .workload = "pthread", .cpus = { 0 }, .nr_cpus = 1, .iterations = 5000,
				 .repeats = 1, .timeline = true, .light = true };
	char err[1024] = "", *buf = NULL;
	__u64 kinds[ST_TL_NR_KINDS] = { 0 }, waited = 0;
	size_t len = 0;
	FILE *f;

	(void)state;
	require_bpf();
	if (st_run_workload(&o, &run, err, sizeof(err)))
		fail_msg("run pthread --light with a timeline: %s", err);
	assert_non_null(run.timeline);
	for (__u64 i = 0; i < run.timeline->nr_events; i++) {
		const struct st_tl_event *ev = &run.timeline->events[i];

		if (ev->kind < ST_TL_NR_KINDS)
			kinds[ev->kind]++;
		if (ev->kind == ST_TL_SWITCH && ev->arg2 >> 32)
			waited++;
	}
	print_message("[   INFO   ] light timeline: %llu switch records, %llu with a runqueue wait\n",
		      (unsigned long long)kinds[ST_TL_SWITCH], (unsigned long long)waited);
	assert_true(kinds[ST_TL_SWITCH] >= 10000); /* 5,000 iterations, two switches each */
	/* no syscall slices; sched_waking stays (it times the woken threads' waits): their flows */
	assert_int_equal(kinds[ST_TL_SYS_ENTER] + kinds[ST_TL_SYS_EXIT], 0);
	assert_true(kinds[ST_TL_WAKEUP] >= 5000);
	assert_true(waited > kinds[ST_TL_SWITCH] / 4);

	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(st_perfetto_write(f, &run, 1), 0);
	fclose(f);
	assert_true(count(buf, "\"name\":\"runnable\"") > 0);
	assert_true(count(buf, "\"name\":\"blocked\"") > 0);
	assert_int_equal(count(buf, "\"cat\":\"syscall\""), 0);
	assert_true(count(buf, "\"ph\":\"s\"") > 0); /* sched_waking's records: the wake-up flows */
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_coro_yield_user_switches, teardown),
		cmocka_unit_test(test_cli_perfetto),
		cmocka_unit_test_teardown(test_pthread_no_user_switches, teardown),
		cmocka_unit_test_teardown(test_pthread_light_timeline, teardown),
	};

	return cmocka_run_group_tests_name("int_timeline", tests, testutil_use_built_workloads, NULL);
}
