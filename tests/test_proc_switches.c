// SPDX-License-Identifier: GPL-2.0
/*
 * test_proc_switches.c — the kernel's per-thread switch counts read from
 * /proc (user/collect/proc_switches.c): the status lines parsed, and the
 * counts of this very process moving as it blocks and as its threads come.
 * No root needed: /proc/self is ours.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "testutil.h"
#include "proc_switches.h"

/* The part of a real status file (6.18) around the two lines. */
static const char status[] = "Name:\tpthread\n"
			     "Cpus_allowed_list:\t0\n"
			     "Mems_allowed_list:\t0\n"
			     "voluntary_ctxt_switches:\t40213\n"
			     "nonvoluntary_ctxt_switches:\t27977\n"
			     "x86_Thread_features:\t\n";

static void test_parse(void **state)
{
	char cut[sizeof(status)];
	__u64 v = 0, iv = 0;

	(void)state;
	assert_true(st_proc_switches_parse(status, &v, &iv));
	assert_int_equal(v, 40213);
	assert_int_equal(iv, 27977);
	/* "voluntary_" is also the tail of "nonvoluntary_": only a line's start counts */
	memcpy(cut, status, sizeof(status));
	memcpy(strstr(cut, "\nvoluntary") + 1, "Voluntary", 9);
	assert_false(st_proc_switches_parse(cut, &v, &iv));
	assert_false(st_proc_switches_parse("Name:\tx\n", &v, &iv));
	assert_false(st_proc_switches_parse("voluntary_ctxt_switches:\t\nnonvoluntary_ctxt_switches:\t3\n", &v, &iv));
}

static void *sleeper(void *arg)
{
	const struct timespec ms = { 0, 1000000 };

	(void)arg;
	for (int i = 0; i < 20; i++)
		nanosleep(&ms, NULL);
	return NULL;
}

static struct st_thread_switches live[64];

/* This process, read: its threads' counts, each thread once. */
static struct st_proc_switches self_now(int *nr)
{
	pid_t self = getpid();
	struct st_proc_switches s;

	*nr = st_proc_threads(&self, 1, live, 64);
	assert_true(*nr >= 1);
	st_switches_total(live, *nr, NULL, 0, &s);
	return s;
}

/* A second thread comes and goes: two threads read while it lives, one after. */
static void test_self(void **state)
{
	pid_t gone_pid = 0x3ffffff0, two[2];
	struct st_proc_switches a;
	pthread_t t;
	int n;

	(void)state;
	a = self_now(&n);
	assert_int_equal(n, 1);
	assert_int_equal(live[0].tid, getpid());
	assert_int_equal(pthread_create(&t, NULL, sleeper, NULL), 0);
	usleep(5000);
	self_now(&n);
	assert_int_equal(n, 2);
	pthread_join(t, NULL);
	self_now(&n);
	assert_int_equal(n, 1); /* the sleeper is gone from /proc, and its counts with it */
	/* a process that does not exist: an error */
	assert_true(st_proc_threads(&gone_pid, 1, live, 64) < 0);
	/* one of two gone: the other still reads */
	two[0] = gone_pid;
	two[1] = getpid();
	assert_int_equal(st_proc_threads(two, 2, live, 64), 1);
	assert_true(live[0].voluntary >= a.voluntary);
}

/* This thread's own blocking switches, as the kernel counts them: ten sleeps, at least ten. */
static void test_counts_move(void **state)
{
	const struct timespec ms = { 0, 1000000 };
	struct st_proc_switches a, b;
	int n;

	(void)state;
	a = self_now(&n);
	for (int i = 0; i < 10; i++)
		nanosleep(&ms, NULL);
	b = self_now(&n);
	if (b.voluntary < a.voluntary + 10)
		fail_msg("10 sleeps, %llu -> %llu blocking switches", (unsigned long long)a.voluntary,
			 (unsigned long long)b.voluntary);
	assert_true(b.involuntary >= a.involuntary);
}

/*
 * Threads 11, 12, 13 alive in /proc; 12 and 14 exited (their counts at
 * exit): 12 is counted once, from its exit; 14 (released, gone from /proc)
 * from its exit too. By hand: 1+30+5 blocking, 2+40+6 preempted, 4 threads.
 */
static void test_total_each_thread_once(void **state)
{
	const struct st_thread_switches l[] = { { 11, 1, 2 }, { 12, 10, 20 }, { 13, 5, 6 } };
	struct st_thread_switches g[] = { { 14, 300, 400 }, { 12, 30, 40 } };
	struct st_proc_switches s;

	(void)state;
	st_switches_total(l, 3, g, 2, &s);
	assert_int_equal(s.voluntary, 1 + 30 + 5 + 300);
	assert_int_equal(s.involuntary, 2 + 40 + 6 + 400);
	assert_int_equal(s.threads, 4);
	st_switches_total(l, 3, NULL, 0, &s);
	assert_int_equal(s.voluntary, 16);
	assert_int_equal(s.threads, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_self),
		cmocka_unit_test(test_counts_move),
		cmocka_unit_test(test_total_each_thread_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
