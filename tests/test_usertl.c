// SPDX-License-Identifier: GPL-2.0
/*
 * test_usertl.c — the coroutine switch ring without root: the merge of ring
 * records into kernel timeline records (order, fields, CPU taken from the
 * kernel's switch-ins), and the ring end to end through the real scheduler
 * (workloads/coro/ marks while the ring is on, counts drops when it is full,
 * does nothing when it is off or absent).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "testutil.h"
#include "coro.h"
#include "usertl.h"

#define PID 500
#define TID 501

static void test_merge_order_and_fields(void **state)
{
	/* kernel records out of order (two CPUs interleave); TID runs on CPU 1 from ts 150 */
	const struct st_tl_event k[] = {
		{ .ts = 300, .cpu = 0, .kind = ST_TL_SYS_ENTER, .tid = 9, .pid = 9 },
		{ .ts = 150, .cpu = 1, .kind = ST_TL_SWITCH, .tid = 0, .other_tid = TID, .arg = 1, .arg2 = PID },
		{ .ts = 100, .cpu = 1, .kind = ST_TL_WAKEUP, .tid = 0, .other_tid = TID, .arg = 1, .arg2 = PID },
		{ .ts = 200, .cpu = 0, .kind = ST_TL_SYS_EXIT, .tid = 9, .pid = 9 },
	};
	const struct coro_tl_rec u[] = {
		{ .ts = 120, .tid = TID, .from = 0, .to = 1 }, /* before any switch-in: the fallback CPU */
		{ .ts = 200, .tid = TID, .from = 1, .to = 2 }, /* same ts as a kernel record: after it */
		{ .ts = 400, .tid = TID, .from = 2, .to = 1 },
	};
	static const __u64 want_ts[] = { 100, 120, 150, 200, 200, 300, 400 };
	static const __u32 want_kind[] = { ST_TL_WAKEUP, ST_TL_USER_SWITCH, ST_TL_SWITCH, ST_TL_SYS_EXIT,
					   ST_TL_USER_SWITCH, ST_TL_SYS_ENTER, ST_TL_USER_SWITCH };
	struct st_tl_event *m = NULL;
	__u64 n = 0;

	(void)state;
	assert_int_equal(st_usertl_merge(k, 4, u, 3, PID, 7, &m, &n), 0);
	assert_int_equal(n, 7);
	for (int i = 0; i < 7; i++) {
		assert_int_equal(m[i].ts, want_ts[i]);
		assert_int_equal(m[i].kind, want_kind[i]);
	}
	assert_int_equal(m[1].cpu, 7); /* fallback */
	assert_int_equal(m[1].tid, TID);
	assert_int_equal(m[1].pid, PID);
	assert_int_equal(m[1].arg, 1);	/* to */
	assert_int_equal(m[1].arg2, 0); /* from */
	assert_int_equal(m[4].cpu, 1);	/* switched in on CPU 1 at 150 */
	assert_int_equal(m[4].arg, 2);
	assert_int_equal(m[4].arg2, 1);
	assert_int_equal(m[6].other_tid, 0);
	free(m);
}

static void test_merge_empty_sides(void **state)
{
	const struct coro_tl_rec u[] = { { .ts = 5, .tid = TID, .from = 3, .to = 4 } };
	const struct st_tl_event k[] = { { .ts = 9, .kind = ST_TL_SWITCH, .other_tid = 1 } };
	struct st_tl_event *m = NULL;
	__u64 n = 99;

	(void)state;
	assert_int_equal(st_usertl_merge(NULL, 0, u, 1, PID, 0, &m, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].kind, ST_TL_USER_SWITCH);
	free(m);
	assert_int_equal(st_usertl_merge(k, 1, NULL, 0, PID, 0, &m, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].kind, ST_TL_SWITCH);
	free(m);
}

/* ---- the ring through the real scheduler (in this process) ------------------- */

static long yields;

static void yielder(void *arg)
{
	(void)arg;
	for (long i = 0; i < yields; i++)
		coro_yield();
}

/*
 * Two coroutines yielding `n` times each: 2n + 4 switches:
 * main->A, then 2n yields that switch (B's last one lands back in A),
 * A->main, main->B, B->main.
 */
static void run_yielders(long n)
{
	struct coro_sched *s = coro_sched_new();

	assert_non_null(s);
	yields = n;
	assert_non_null(coro_create(s, yielder, NULL, 0));
	assert_non_null(coro_create(s, yielder, NULL, 0));
	assert_int_equal(coro_sched_run(s), 0);
	coro_sched_free(s);
}

/*
 * One test for the whole life of the ring: the scheduler reads CORO_TL_ENV
 * once per process, so off, on, full and take follow each other here.
 */
static void test_ring_through_scheduler(void **state)
{
	struct st_usertl u;
	struct st_timeline tl = { 0 };
	const struct coro_tl_rec *r;
	int fd;

	(void)state;
	assert_int_equal(st_usertl_open(&u, 64), 0);
	fd = u.fd;
	assert_int_equal(st_usertl_export(&u), 0);
	/* off: claimed, nothing written */
	run_yielders(10);
	assert_int_equal(u.ring->owner, (__u32)gettid());
	assert_int_equal(u.ring->head, 0);
	assert_int_equal(u.ring->dropped, 0);

	st_usertl_arm(&u, true);
	run_yielders(10); /* 24 switches */
	assert_int_equal(u.ring->head, 24);
	r = u.ring->rec;
	assert_int_equal(r[0].from, 0);	 /* the loop starts the first coroutine */
	assert_int_not_equal(r[0].to, 0);
	assert_int_equal(r[0].tid, (__u32)gettid());
	for (int i = 1; i < 24; i++) {
		assert_true(r[i].ts >= r[i - 1].ts);
		assert_int_equal(r[i].from, r[i - 1].to); /* one thread: each switch leaves where the last landed */
	}
	assert_int_equal(r[23].to, 0); /* the last one ends back in the loop */

	run_yielders(20); /* 44 more: 40 fit, 4 dropped */
	assert_int_equal(u.ring->head, 64);
	assert_int_equal(u.ring->dropped, 4);

	st_usertl_unexport(&u);
	assert_null(getenv(CORO_TL_ENV));
	assert_int_equal(fcntl(fd, F_GETFD), -1); /* our copy is closed */

	assert_int_equal(st_usertl_take(&u, &tl, PID, 3), 0);
	assert_true(tl.user_ring);
	assert_int_equal(tl.user_switches, 64);
	assert_int_equal(tl.user_dropped, 4);
	assert_int_equal(tl.nr_events, 64);
	assert_int_equal(tl.events[0].kind, ST_TL_USER_SWITCH);
	assert_int_equal(tl.events[0].cpu, 3);
	assert_int_equal(u.ring->on, 0); /* take disarms */
	run_yielders(1);
	assert_int_equal(u.ring->dropped, 4);
	free((void *)tl.events);
	st_usertl_close(&u);
	assert_null(u.ring);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge_order_and_fields),
		cmocka_unit_test(test_merge_empty_sides),
		cmocka_unit_test(test_ring_through_scheduler),
	};

	return cmocka_run_group_tests_name("usertl", tests, NULL, NULL);
}
