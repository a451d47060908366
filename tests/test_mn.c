// SPDX-License-Identifier: GPL-2.0
/*
 * test_mn.c — the M:N scheduler (workloads/coro/mn.h): its queues on their
 * own (order, capacity, stealing half and never a homed coroutine, no item
 * lost or taken twice under a concurrent thief), then the runtime: hand-off
 * kinds counted as the placement dictates, stealing with and without, homes
 * kept, a worker handed over around a blocking call, a deadlock reported,
 * yields interleaving, preemption.
 *
 * Nothing here is timed. Where threads race, the assertions are about what
 * must hold whatever the interleaving (counts that add up, a coroutine that
 * could only have run elsewhere), and waits that a bug would make endless
 * give up after seconds with a failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "testutil.h"
#include "mn_internal.h"

/* ---- the queues alone -------------------------------------------------------- */

static struct mn_coro *fake(int home)
{
	struct mn_coro *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	c->home = home;
	return c;
}

static void runq_is_fifo_and_bounded(void **state)
{
	static struct mn_runq q;
	struct mn_coro *c[MN_RUNQ_SIZE + 1];

	(void)state;
	memset(&q, 0, sizeof(q));
	for (int i = 0; i <= MN_RUNQ_SIZE; i++)
		c[i] = fake(-1);
	assert_null(mn_runq_pop(&q));
	for (int i = 0; i < MN_RUNQ_SIZE; i++)
		assert_true(mn_runq_push(&q, c[i]));
	assert_false(mn_runq_push(&q, c[MN_RUNQ_SIZE]));	/* full */
	assert_int_equal(mn_runq_len(&q), MN_RUNQ_SIZE);
	for (int i = 0; i < MN_RUNQ_SIZE; i++)
		assert_ptr_equal(mn_runq_pop(&q), c[i]);
	assert_null(mn_runq_pop(&q));
	/* around the ring's end: the indices wrap */
	for (int lap = 0; lap < 3; lap++) {
		for (int i = 0; i < 200; i++)
			assert_true(mn_runq_push(&q, c[i]));
		for (int i = 0; i < 200; i++)
			assert_ptr_equal(mn_runq_pop(&q), c[i]);
	}
	for (int i = 0; i <= MN_RUNQ_SIZE; i++)
		free(c[i]);
}

static void steal_takes_half_and_never_a_homed_one(void **state)
{
	static struct mn_runq from, to;
	struct mn_coro *u[6], *h = fake(0);

	(void)state;
	memset(&from, 0, sizeof(from));
	memset(&to, 0, sizeof(to));
	for (int i = 0; i < 6; i++)
		u[i] = fake(-1);
	assert_int_equal(mn_runq_steal(&from, &to), 0);		/* nothing there */
	for (int i = 0; i < 6; i++)
		mn_runq_push(&from, u[i]);
	assert_int_equal(mn_runq_steal(&from, &to), 3);		/* half of 6, from the head */
	for (int i = 0; i < 3; i++)
		assert_ptr_equal(mn_runq_pop(&to), u[i]);
	assert_int_equal(mn_runq_len(&from), 3);
	assert_int_equal(mn_runq_steal(&from, &to), 2);		/* half of 3, rounded up */
	assert_ptr_equal(mn_runq_pop(&to), u[3]);
	assert_ptr_equal(mn_runq_pop(&to), u[4]);
	assert_int_equal(mn_runq_steal(&from, &to), 1);		/* one of one */
	assert_ptr_equal(mn_runq_pop(&to), u[5]);
	/* a homed coroutine at the head stops the thief; behind it, only up to it */
	mn_runq_push(&from, h);
	mn_runq_push(&from, u[0]);
	assert_int_equal(mn_runq_steal(&from, &to), 0);
	assert_ptr_equal(mn_runq_pop(&from), h);
	mn_runq_push(&from, u[1]);
	mn_runq_push(&from, u[2]);
	mn_runq_push(&from, h);
	mn_runq_push(&from, u[3]);	/* [u0 u1 u2 h u3]: half is 3, the third is u2 */
	assert_int_equal(mn_runq_steal(&from, &to), 3);
	assert_ptr_equal(mn_runq_pop(&from), h);
	for (int i = 0; i < 6; i++)
		free(u[i]);
	free(h);
}

/* The holder pushes and pops while another thread steals: each item once. */
#define RACE_ITEMS 200000
static struct mn_runq race_q;
static volatile int race_done;
static int race_seen[RACE_ITEMS];
static struct mn_coro race_items[RACE_ITEMS];

static void *race_thief(void *arg)
{
	static struct mn_runq mine;
	long *taken = arg;

	while (!__atomic_load_n(&race_done, __ATOMIC_ACQUIRE) || mn_runq_len(&race_q)) {
		struct mn_coro *c;

		mn_runq_steal(&race_q, &mine);
		while ((c = mn_runq_pop(&mine))) {
			__atomic_fetch_add(&race_seen[c - race_items], 1, __ATOMIC_RELAXED);
			(*taken)++;
		}
	}
	return NULL;
}

static void runq_concurrent_thief_loses_nothing(void **state)
{
	pthread_t thief;
	long taken_by_thief = 0, taken_by_holder = 0;
	int next = 0;

	(void)state;
	memset(&race_q, 0, sizeof(race_q));
	memset(race_seen, 0, sizeof(race_seen));
	race_done = 0;
	for (int i = 0; i < RACE_ITEMS; i++)
		race_items[i].home = -1;
	assert_int_equal(pthread_create(&thief, NULL, race_thief, &taken_by_thief), 0);
	while (next < RACE_ITEMS) {
		for (int k = 0; k < 7 && next < RACE_ITEMS; k++)
			if (mn_runq_push(&race_q, &race_items[next]))
				next++;
		for (int k = 0; k < 3; k++) {
			struct mn_coro *c = mn_runq_pop(&race_q);

			if (c) {
				__atomic_fetch_add(&race_seen[c - race_items], 1, __ATOMIC_RELAXED);
				taken_by_holder++;
			}
		}
	}
	for (struct mn_coro *c; (c = mn_runq_pop(&race_q));) {
		__atomic_fetch_add(&race_seen[c - race_items], 1, __ATOMIC_RELAXED);
		taken_by_holder++;
	}
	__atomic_store_n(&race_done, 1, __ATOMIC_RELEASE);
	pthread_join(thief, NULL);
	assert_int_equal(taken_by_holder + taken_by_thief, RACE_ITEMS);
	for (int i = 0; i < RACE_ITEMS; i++)
		if (race_seen[i] != 1)
			fail_msg("item %d taken %d times", i, race_seen[i]);
}

/* Producers push concurrently; taking all gives each producer's items in its order. */
#define IB_PRODUCERS 4
#define IB_EACH 20000
static struct mn_inbox ib;
static struct mn_coro ib_items[IB_PRODUCERS][IB_EACH];

static void *ib_producer(void *arg)
{
	int who = (int)(intptr_t)arg;

	for (int i = 0; i < IB_EACH; i++)
		mn_inbox_push(&ib, &ib_items[who][i]);
	return NULL;
}

static void inbox_keeps_each_producers_order(void **state)
{
	pthread_t t[IB_PRODUCERS];
	int next[IB_PRODUCERS] = { 0 }, total = 0;

	(void)state;
	ib.head = NULL;
	for (int i = 0; i < IB_PRODUCERS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, ib_producer, (void *)(intptr_t)i), 0);
	for (int done = 0; done < IB_PRODUCERS * IB_EACH;) {
		for (struct mn_coro *c = mn_inbox_take(&ib), *n; c; c = n) {
			int who = (int)((c - &ib_items[0][0]) / IB_EACH), idx = (int)(c - ib_items[who]);

			n = c->next;
			assert_int_equal(idx, next[who]);
			next[who]++;
			done++;
			total++;
		}
	}
	for (int i = 0; i < IB_PRODUCERS; i++)
		pthread_join(t[i], NULL);
	assert_true(mn_inbox_empty(&ib));
	assert_int_equal(total, IB_PRODUCERS * IB_EACH);
}

/* ---- the runtime ---------------------------------------------------------------- */

/* Two CPUs this process may use, distinct if it has two; false if only one. */
static bool two_cpus(int cpus[2])
{
	cpu_set_t set;
	int n = 0;

	cpus[0] = cpus[1] = 0;
	if (sched_getaffinity(0, sizeof(set), &set))
		return false;
	for (int c = 0; c < CPU_SETSIZE && n < 2; c++)
		if (CPU_ISSET(c, &set))
			cpus[n++] = c;
	if (n == 1)
		cpus[1] = cpus[0];
	return n == 2;
}

#define PP_N 2000
static struct mn_chan *pp_ch;
static long pp_bad;

static void pp_ping(void *arg)
{
	(void)arg;
	for (long i = 0; i < PP_N; i++) {
		void *r;

		if (!mn_chan_send(pp_ch, (void *)(intptr_t)i) || !mn_chan_recv(pp_ch, &r) ||
		    r != (void *)(intptr_t)(i + 1))
			pp_bad++;
	}
	mn_chan_close(pp_ch);
}

static void pp_pong(void *arg)
{
	void *v;

	(void)arg;
	while (mn_chan_recv(pp_ch, &v))
		mn_chan_send(pp_ch, (void *)((intptr_t)v + 1));
}

static struct mn_stats ping_pong(const struct mn_config *cfg, int pong_home)
{
	struct mn_rt *rt = mn_rt_new(cfg);
	struct mn_stats s;

	assert_non_null(rt);
	pp_ch = mn_chan_new(rt);
	pp_bad = 0;
	assert_non_null(pp_ch);
	assert_non_null(mn_spawn(rt, pp_pong, NULL, pong_home));
	assert_non_null(mn_spawn(rt, pp_ping, NULL, 0));
	assert_int_equal(mn_rt_run(rt), 0);
	s = mn_rt_stats(rt);
	mn_chan_free(pp_ch);
	mn_rt_free(rt);
	assert_int_equal(pp_bad, 0);
	return s;
}

/* One worker: every hand-off (two per round trip) stays on it. */
static void same_worker_handoffs(void **state)
{
	int cpu = 0;
	struct mn_config cfg = { .workers = 1, .cpus = NULL, .spin_ns = MN_SPIN_DEFAULT };
	struct mn_stats s;

	(void)state;
	(void)cpu;
	s = ping_pong(&cfg, 0);
	assert_int_equal(s.handoffs[MN_SAME_WORKER], 2 * PP_N);
	assert_int_equal(s.handoffs[MN_CROSS_RUNNING], 0);
	assert_int_equal(s.handoffs[MN_CROSS_PARKED], 0);
	assert_int_equal(s.parks, 0);	/* worker 0 always had one of the two to run */
}

/* Pong on worker 1, nobody spins: no hand-off stays on a worker, and the
 * parked worker had to be woken at least once (its first hand-off: it
 * parked right after pong blocked, before ping's first send... or not, but
 * over 2000 round trips without spinning, some find it parked). */
static void cross_worker_handoffs_parked(void **state)
{
	int cpus[2];
	struct mn_config cfg = { .workers = 2, .cpus = cpus, .spin_ns = 0 };
	struct mn_stats s;

	(void)state;
	two_cpus(cpus);
	s = ping_pong(&cfg, 1);
	assert_int_equal(s.handoffs[MN_SAME_WORKER], 0);
	assert_int_equal(s.handoffs[MN_CROSS_RUNNING] + s.handoffs[MN_CROSS_PARKED], 2 * PP_N);
	assert_true(s.handoffs[MN_CROSS_PARKED] >= 1);
	assert_true(s.parks >= s.handoffs[MN_CROSS_PARKED]);	/* each wake ended a park */
}

/* Spinning allowed (the default, on two CPUs): the kinds still add up. */
static void cross_worker_handoffs_spinning(void **state)
{
	int cpus[2];
	struct mn_config cfg = { .workers = 2, .cpus = cpus, .spin_ns = MN_SPIN_DEFAULT };
	struct mn_stats s;

	(void)state;
	if (!two_cpus(cpus)) {
		print_message("[   SKIP   ] one CPU allowed: workers cannot spin on their own CPUs\n");
		skip();
	}
	s = ping_pong(&cfg, 1);
	assert_int_equal(s.handoffs[MN_SAME_WORKER], 0);
	assert_int_equal(s.handoffs[MN_CROSS_RUNNING] + s.handoffs[MN_CROSS_PARKED], 2 * PP_N);
}

/* Work stealing: 32 coroutines queued on worker 0 before the start, each
 * busy for a while; with stealing some run on worker 1, without none do. */
#define STEAL_N 32
static int ran_on[STEAL_N];

static void busy_one(void *arg)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do
		clock_gettime(CLOCK_MONOTONIC, &t);
	while ((t.tv_sec - t0.tv_sec) * 1000000000L + (t.tv_nsec - t0.tv_nsec) < 2000000);
	ran_on[(intptr_t)arg] = mn_worker();
}

static struct mn_stats run_busy(bool no_steal, int home, int *on_1)
{
	int cpus[2];
	struct mn_config cfg = { .workers = 2, .cpus = cpus, .spin_ns = MN_SPIN_DEFAULT,
				 .no_steal = no_steal };
	struct mn_rt *rt;
	struct mn_stats s;

	two_cpus(cpus);
	rt = mn_rt_new(&cfg);
	assert_non_null(rt);
	for (int i = 0; i < STEAL_N; i++) {
		ran_on[i] = -2;
		assert_non_null(mn_spawn(rt, busy_one, (void *)(intptr_t)i, home));
	}
	assert_int_equal(mn_rt_run(rt), 0);
	s = mn_rt_stats(rt);
	mn_rt_free(rt);
	*on_1 = 0;
	for (int i = 0; i < STEAL_N; i++) {
		assert_true(ran_on[i] == 0 || ran_on[i] == 1);
		*on_1 += ran_on[i] == 1;
	}
	return s;
}

static void idle_worker_steals(void **state)
{
	int on_1;
	struct mn_stats s;

	(void)state;
	s = run_busy(false, -1, &on_1);
	assert_true(s.steals >= 1);
	assert_true(on_1 >= 1);		/* only stealing could have put one there */
	assert_true(s.stolen >= (unsigned long)on_1);
}

static void no_steal_keeps_everything_on_worker_0(void **state)
{
	int on_1;
	struct mn_stats s;

	(void)state;
	s = run_busy(true, -1, &on_1);
	assert_int_equal(s.steals, 0);
	assert_int_equal(on_1, 0);
}

static void homed_coroutines_are_not_stolen(void **state)
{
	int on_1;
	struct mn_stats s;

	(void)state;
	s = run_busy(false, 0, &on_1);
	assert_int_equal(s.steals, 0);
	assert_int_equal(on_1, 0);
	s = run_busy(false, 1, &on_1);	/* and a home elsewhere is kept too */
	assert_int_equal(on_1, STEAL_N);
}

/* A blocking call: with its worker handed over, the other coroutine of the
 * same (only) worker runs meanwhile and unblocks it. Without the hand-off
 * the writer could not run: the read gives up after 5 s and the test fails. */
static int bl_pipe[2];
static int bl_read_ok, bl_writer_saw_reader_blocked;
static volatile int bl_reader_in_call;

static void bl_reader(void *arg)
{
	struct pollfd p = { .fd = bl_pipe[0], .events = POLLIN };
	char byte;

	(void)arg;
	mn_block_enter();
	bl_reader_in_call = 1;
	if (poll(&p, 1, 5000) == 1 && read(bl_pipe[0], &byte, 1) == 1 && byte == 'x')
		bl_read_ok = 1;
	bl_reader_in_call = 0;
	mn_block_exit();
}

static void bl_writer(void *arg)
{
	(void)arg;
	while (!bl_reader_in_call)
		mn_yield();	/* the reader goes first */
	bl_writer_saw_reader_blocked = bl_reader_in_call;
	if (write(bl_pipe[1], "x", 1) != 1)
		fail_msg("write to the pipe failed");
}

static void blocking_call_hands_the_worker_over(void **state)
{
	struct mn_config cfg = { .workers = 1, .spin_ns = 0, .spare_threads = 1 };
	struct mn_rt *rt;
	struct mn_stats s;

	(void)state;
	assert_int_equal(pipe(bl_pipe), 0);
	bl_read_ok = bl_writer_saw_reader_blocked = 0;
	bl_reader_in_call = 0;
	rt = mn_rt_new(&cfg);
	assert_non_null(rt);
	assert_non_null(mn_spawn(rt, bl_reader, NULL, 0));
	assert_non_null(mn_spawn(rt, bl_writer, NULL, 0));
	assert_int_equal(mn_rt_run(rt), 0);
	s = mn_rt_stats(rt);
	mn_rt_free(rt);
	close(bl_pipe[0]);
	close(bl_pipe[1]);
	assert_int_equal(bl_read_ok, 1);
	assert_int_equal(bl_writer_saw_reader_blocked, 1);
	assert_int_equal(s.blocking_calls, 1);
	assert_int_equal(s.worker_handoffs, 1);
}

static struct mn_chan *dl_ch;

static void dl_waiter(void *arg)
{
	(void)arg;
	mn_chan_recv(dl_ch, NULL);	/* nobody will send */
}

static void done_one(void *arg)
{
	(void)arg;
}

static void deadlock_is_reported(void **state)
{
	struct mn_config cfg = { .workers = 2, .spin_ns = 0 };
	struct mn_rt *rt = mn_rt_new(&cfg);

	(void)state;
	assert_non_null(rt);
	dl_ch = mn_chan_new(rt);
	assert_non_null(mn_spawn(rt, dl_waiter, NULL, 1));
	assert_non_null(mn_spawn(rt, done_one, NULL, -1));
	assert_int_equal(mn_rt_run(rt), 1);	/* the waiter, left blocked */
	mn_chan_free(dl_ch);
	mn_rt_free(rt);
}

static char order[64];
static int order_len;

static void yielder(void *arg)
{
	for (int i = 0; i < 3; i++) {
		order[order_len++] = *(const char *)arg;
		mn_yield();
	}
}

static void yields_interleave(void **state)
{
	struct mn_config cfg = { .workers = 1, .spin_ns = 0 };
	struct mn_rt *rt = mn_rt_new(&cfg);

	(void)state;
	order_len = 0;
	assert_non_null(rt);
	assert_non_null(mn_spawn(rt, yielder, "a", 0));
	assert_non_null(mn_spawn(rt, yielder, "b", 0));
	assert_int_equal(mn_rt_run(rt), 0);
	mn_rt_free(rt);
	order[order_len] = '\0';
	assert_string_equal(order, "ababab");
}

static struct mn_chan *cl_ch;
static int cl_results[2];

static void cl_waiter(void *arg)
{
	void *v = (void *)1;

	cl_results[(intptr_t)arg] = mn_chan_recv(cl_ch, &v) ? 1 : (v == NULL ? 0 : 2);
}

static void cl_closer(void *arg)
{
	(void)arg;
	mn_chan_close(cl_ch);
	assert_false(mn_chan_send(cl_ch, NULL));
}

static void close_wakes_waiters_with_false(void **state)
{
	int cpus[2];
	struct mn_config cfg = { .workers = 2, .cpus = cpus, .spin_ns = 0 };
	struct mn_rt *rt;

	(void)state;
	two_cpus(cpus);
	rt = mn_rt_new(&cfg);
	assert_non_null(rt);
	cl_ch = mn_chan_new(rt);
	cl_results[0] = cl_results[1] = -1;
	assert_non_null(mn_spawn(rt, cl_waiter, (void *)0, 0));
	assert_non_null(mn_spawn(rt, cl_waiter, (void *)1, 1));
	assert_non_null(mn_spawn(rt, cl_closer, NULL, 0));
	assert_int_equal(mn_rt_run(rt), 0);
	mn_chan_free(cl_ch);
	mn_rt_free(rt);
	assert_int_equal(cl_results[0], 0);
	assert_int_equal(cl_results[1], 0);
}

/* Preemption per thread: a coroutine that never yields shares its worker. */
static volatile int pr_flag, pr_spinner_done;
static int pr_done_when_setter_ran;

static void pr_spinner(void *arg)
{
	struct timespec t0, t;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do
		clock_gettime(CLOCK_MONOTONIC, &t);
	while (!pr_flag && t.tv_sec - t0.tv_sec < 5);
	pr_spinner_done = 1;
}

static void pr_setter(void *arg)
{
	(void)arg;
	pr_done_when_setter_ran = pr_spinner_done;
	pr_flag = 1;
}

static void preemption_on_a_worker(void **state)
{
	struct mn_config cfg = { .workers = 1, .spin_ns = 0, .preempt_us = 1000 };
	struct mn_rt *rt = mn_rt_new(&cfg);
	struct mn_stats s;

	(void)state;
	pr_flag = pr_spinner_done = 0;
	pr_done_when_setter_ran = -1;
	assert_non_null(rt);
	assert_non_null(mn_spawn(rt, pr_spinner, NULL, 0));
	assert_non_null(mn_spawn(rt, pr_setter, NULL, 0));
	assert_int_equal(mn_rt_run(rt), 0);
	s = mn_rt_stats(rt);
	mn_rt_free(rt);
	assert_int_equal(pr_done_when_setter_ran, 0);
	assert_true(s.preemptions >= 1);
}

/* A token passed around a ring of coroutines that may run anywhere, some
 * yielding on the way: with stealing and migration between the threads,
 * every pass arrives, in order, and everything ends. */
#define RING 40
#define LAPS 300
static struct mn_chan *ring_ch[RING];
static long ring_passes, ring_bad;

static void ring_member(void *arg)
{
	int i = (int)(intptr_t)arg;
	void *v;

	while (mn_chan_recv(ring_ch[i], &v)) {
		long token = (long)(intptr_t)v;

		__atomic_fetch_add(&ring_passes, 1, __ATOMIC_RELAXED);
		if (token % RING != i)
			__atomic_fetch_add(&ring_bad, 1, __ATOMIC_RELAXED);
		if (token % 7 == 0)
			mn_yield();
		if (token + 1 == (long)RING * LAPS) {	/* the last pass: close the ring */
			for (int k = 0; k < RING; k++)
				mn_chan_close(ring_ch[k]);
			return;
		}
		mn_chan_send(ring_ch[(i + 1) % RING], (void *)(intptr_t)(token + 1));
	}
}

static void ring_starter(void *arg)
{
	(void)arg;
	mn_chan_send(ring_ch[0], (void *)0);
}

static void token_ring_across_threads(void **state)
{
	int cpus[2];
	struct mn_config cfg = { .workers = 2, .cpus = cpus, .spin_ns = MN_SPIN_DEFAULT };
	struct mn_rt *rt;

	(void)state;
	two_cpus(cpus);
	rt = mn_rt_new(&cfg);
	assert_non_null(rt);
	ring_passes = ring_bad = 0;
	for (int i = 0; i < RING; i++)
		assert_non_null(ring_ch[i] = mn_chan_new(rt));
	for (int i = 0; i < RING; i++)
		assert_non_null(mn_spawn(rt, ring_member, (void *)(intptr_t)i, -1));
	assert_non_null(mn_spawn(rt, ring_starter, NULL, -1));
	assert_int_equal(mn_rt_run(rt), 0);
	for (int i = 0; i < RING; i++)
		mn_chan_free(ring_ch[i]);
	mn_rt_free(rt);
	assert_int_equal(ring_passes, (long)RING * LAPS);
	assert_int_equal(ring_bad, 0);
}

static void config_is_checked(void **state)
{
	int cpus[1] = { 0 };
	struct mn_config bad[] = {
		{ .workers = 0 },
		{ .workers = MN_MAX_WORKERS + 1 },
		{ .workers = 1, .spare_threads = -1 },
		{ .workers = 1, .cpus = cpus, .preempt_us = 10 },
	};

	(void)state;
	assert_null(mn_rt_new(NULL));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		assert_null(mn_rt_new(&bad[i]));
		assert_int_equal(errno, EINVAL);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(runq_is_fifo_and_bounded),
		cmocka_unit_test(steal_takes_half_and_never_a_homed_one),
		cmocka_unit_test(runq_concurrent_thief_loses_nothing),
		cmocka_unit_test(inbox_keeps_each_producers_order),
		cmocka_unit_test(same_worker_handoffs),
		cmocka_unit_test(cross_worker_handoffs_parked),
		cmocka_unit_test(cross_worker_handoffs_spinning),
		cmocka_unit_test(idle_worker_steals),
		cmocka_unit_test(no_steal_keeps_everything_on_worker_0),
		cmocka_unit_test(homed_coroutines_are_not_stolen),
		cmocka_unit_test(blocking_call_hands_the_worker_over),
		cmocka_unit_test(deadlock_is_reported),
		cmocka_unit_test(yields_interleave),
		cmocka_unit_test(close_wakes_waiters_with_false),
		cmocka_unit_test(preemption_on_a_worker),
		cmocka_unit_test(token_ring_across_threads),
		cmocka_unit_test(config_is_checked),
	};

	return cmocka_run_group_tests_name("mn", tests, NULL, NULL);
}
