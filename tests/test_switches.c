// SPDX-License-Identifier: GPL-2.0
/*
 * test_switches.c — the switch rows (user/core/switches.c) from synthetic
 * timeline records, each column checked against values worked out by hand
 * below. The story: process 100 has threads A and B (named) and C (found by
 * its tgid); CPU 0 is traced, CPU 1 is not; X (999) and W (888) are other
 * tasks, 0 the idle task.
 *
 *   t     CPU  record                      what it exercises
 *   500   1    switch B -> W, blocked      B's first record: in a syscall (its first syscall record is an exit)
 *   1000  0    switch idle -> A            A's first switch-in: class none, migrated unknown
 *   1300  0    A sys_enter futex
 *   1500  0    wake-up A -> B              B woken at 1500
 *   1600  0    A sys_exit
 *   1750  0    A sys_enter futex
 *   2150  0    switch A -> B, blocked      A: slice 1150, in syscall; B: woken 650, migrated (CPU 1 -> 0)
 *   2400  0    B sys_exit                  (its first syscall record)
 *   2500  0    B sys_enter futex
 *   2600  0    wake-up B -> A              A woken at 2600
 *   2700  0    B sys_exit
 *   3000  0    switch B -> A, runnable     B: slice 850, not in syscall; A: woken 400, not migrated
 *   3200  0    A sys_exit
 *   3500  0    switch A -> X, runnable     A preempted at 3500; X not traced
 *   4500  0    switch X -> B, runnable     X's slice 1000 (CPU 0 traced); B: preempted 1500
 *   4600  0    B sys_enter
 *   4700  0    wake-up X -> A              A already waiting: nothing changes
 *   4800  0    switch B -> A, blocked      B: slice 300, in syscall; A: preempted 1300
 *   5000  0    A sys_enter
 *   5100  1    wake-up W -> A              A still running: the wake-up races its switch-out
 *   5150  0    switch A -> idle, blocked   A: woken since 5100 (the race), slice 350
 *   5400  1    switch W -> A, runnable     W's slice unknown (CPU 1 untraced); A: woken 300, migrated
 *   5500  1    A sys_enter
 *   5550  0    wake-up idle -> A           A running: pending ...
 *   5600  1    A sys_exit                  ... forgotten: it never blocked
 *   6000  1    switch A -> W, blocked      A: slice 600, not in syscall; blocked, no wake-up
 *   6100  0    switch idle -> A            idle's slice 950; A: none (no wake-up), migrated
 *   6200  0    switch A -> C, runnable     C traced by its tgid: none, migrated unknown
 *   6250  1    switch W -> idle            neither traced: no row
 *   6400  0    switch C -> A, blocked      C: not in syscall (made none), slice 200; A: preempted 200
 *
 * Migrations, coroutine switches and a record on a CPU beyond ST_MAX_CPUS
 * are mixed in and change nothing; the records are handed over out of
 * order, as the ring buffer interleaves CPUs.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include "testutil.h"
#include "switches.h"

#define PID 100
#define A 101
#define B 102
#define C 103
#define X 999
#define W 888
#define T0 1000000ULL
#define U ST_SW_UNKNOWN

static struct st_tl_event ev[64];
static int nev;

static __u32 tgid_of(__u32 tid)
{
	return tid == A || tid == B || tid == C ? PID : tid;
}

static void add(__u64 t, __u32 cpu, __u32 kind, __u32 tid, __u32 other, __s32 arg)
{
	struct st_tl_event *e = &ev[nev++];
	__u64 arg2 = 0;

	assert_true(nev <= 64);
	if (kind == ST_TL_SWITCH || kind == ST_TL_WAKEUP)
		arg2 = tgid_of(other); /* next's / the wakee's tgid (timeline.h) */
	*e = (struct st_tl_event){ .ts = T0 + t, .cpu = cpu, .kind = kind, .tid = tid, .pid = tgid_of(tid),
				   .other_tid = other, .arg = arg, .arg2 = arg2 };
}

static void sw(__u64 t, __u32 cpu, __u32 prev, __u32 next, bool blocked)
{
	add(t, cpu, ST_TL_SWITCH, prev, next, blocked ? 1 /* TASK_INTERRUPTIBLE */ : 0);
}

static void sys(__u64 t, __u32 cpu, __u32 tid, bool enter)
{
	add(t, cpu, enter ? ST_TL_SYS_ENTER : ST_TL_SYS_EXIT, tid, 0, SYS_futex);
}

static void story(bool with_syscalls)
{
	nev = 0;
	sw(500, 1, B, W, true);
	sw(1000, 0, 0, A, false);
	sys(1300, 0, A, true);
	add(1500, 0, ST_TL_WAKEUP, A, B, 0);
	sys(1600, 0, A, false);
	sys(1750, 0, A, true);
	sw(2150, 0, A, B, true);
	sys(2400, 0, B, false);
	sys(2500, 0, B, true);
	add(2600, 0, ST_TL_WAKEUP, B, A, 0);
	sys(2700, 0, B, false);
	sw(3000, 0, B, A, false);
	sys(3200, 0, A, false);
	sw(3500, 0, A, X, false);
	add(3600, 0, ST_TL_MIGRATE, A, 0, 1); /* decided, not done: the switches' CPUs say where it ran */
	sw(4500, 0, X, B, false);
	sys(4600, 0, B, true);
	add(4700, 0, ST_TL_WAKEUP, X, A, 0);
	sw(4800, 0, B, A, true);
	sys(5000, 0, A, true);
	add(5100, 1, ST_TL_WAKEUP, W, A, 0);
	sw(5150, 0, A, 0, true);
	add(5200, 0, ST_TL_USER_SWITCH, A, 0, 2);
	sw(5400, 1, W, A, false);
	sys(5500, 1, A, true);
	add(5550, 0, ST_TL_WAKEUP, 0, A, 0);
	sys(5600, 1, A, false);
	sw(6000, 1, A, W, true);
	sw(6100, 0, 0, A, false);
	sw(6200, 0, A, C, false);
	sw(6250, 1, W, 0, false);
	add(6300, ST_MAX_CPUS, ST_TL_SWITCH, A, B, 0); /* a CPU this build does not know: skipped */
	sw(6400, 0, C, A, true);
	if (!with_syscalls) { /* --light: no syscall records */
		int k = 0;

		for (int i = 0; i < nev; i++)
			if (ev[i].kind != ST_TL_SYS_ENTER && ev[i].kind != ST_TL_SYS_EXIT)
				ev[k++] = ev[i];
		nev = k;
	}
	/* the ring buffer hands CPUs' batches over interleaved: CPU 1's first, then CPU 0's */
	struct st_tl_event tmp[64];
	int k = 0;

	for (int pass = 1; pass >= 0; pass--)
		for (int i = 0; i < nev; i++)
			if ((ev[i].cpu == 1) == (pass == 1))
				tmp[k++] = ev[i];
	memcpy(ev, tmp, sizeof(ev[0]) * (size_t)nev);
}

static const struct st_tl_thread named[] = { { .tid = A, .pid = PID, .comm = "pthread" },
					     { .tid = B, .pid = PID, .comm = "pthread" } };

struct want {
	__u64 t;
	__u32 cpu, prev, next;
	bool blocked;
	enum st_sw_class cls;
	long long wait; /* -1: no value */
	long long slice; /* -1: unknown */
	int in_sys, migrated;
};

#define N_ROWS 13
static const struct want rows[N_ROWS] = {
	{ 500, 1, B, W, true, ST_SW_UNTRACED, -1, -1, 1, U },
	{ 1000, 0, 0, A, false, ST_SW_NONE, -1, -1, U, U },
	{ 2150, 0, A, B, true, ST_SW_WOKEN, 650, 1150, 1, 1 },
	{ 3000, 0, B, A, false, ST_SW_WOKEN, 400, 850, 0, 0 },
	{ 3500, 0, A, X, false, ST_SW_UNTRACED, -1, 500, 0, U },
	{ 4500, 0, X, B, false, ST_SW_PREEMPTED, 1500, 1000, U, 0 },
	{ 4800, 0, B, A, true, ST_SW_PREEMPTED, 1300, 300, 1, 0 },
	{ 5150, 0, A, 0, true, ST_SW_UNTRACED, -1, 350, 1, U },
	{ 5400, 1, W, A, false, ST_SW_WOKEN, 300, -1, U, 1 },
	{ 6000, 1, A, W, true, ST_SW_UNTRACED, -1, 600, 0, U },
	{ 6100, 0, 0, A, false, ST_SW_NONE, -1, 950, U, 1 },
	{ 6200, 0, A, C, false, ST_SW_NONE, -1, 100, 0, U },
	{ 6400, 0, C, A, true, ST_SW_PREEMPTED, 200, 200, 0, 0 },
};

static int walk(const char *cpus, struct st_switch_row *out, int max)
{
	struct st_timeline tl = { .events = ev, .nr_events = (__u64)nev, .threads = named, .nr_threads = 2 };
	struct st_switch_walk *w = st_switch_walk_new(&tl, cpus);
	int n = 0, r;

	assert_non_null(w);
	while ((r = st_switch_walk_next(w, &out[n])) > 0) {
		n++;
		assert_true(n < max);
	}
	assert_int_equal(r, 0);
	st_switch_walk_free(w);
	return n;
}

static bool traced_tid(__u32 tid)
{
	return tid == A || tid == B || tid == C;
}

static void check_row(int i, const struct st_switch_row *got, const struct want *w, bool with_syscalls)
{
	int in_sys = with_syscalls ? w->in_sys : U;

	if (got->ts != T0 + w->t || got->cpu != w->cpu || got->prev_tid != w->prev || got->next_tid != w->next)
		fail_msg("row %d: t %llu cpu %u %u -> %u, wanted t %llu cpu %u %u -> %u", i,
			 (unsigned long long)(got->ts - T0), got->cpu, got->prev_tid, got->next_tid,
			 (unsigned long long)w->t, w->cpu, w->prev, w->next);
	assert_int_equal(got->prev_state != 0, w->blocked);
	assert_int_equal(got->prev_traced, traced_tid(w->prev));
	assert_int_equal(got->next_traced, traced_tid(w->next));
	if (got->wait_class != w->cls)
		fail_msg("row %d (t %llu): class %s, wanted %s", i, (unsigned long long)w->t,
			 st_sw_class_name(got->wait_class), st_sw_class_name(w->cls));
	if (w->wait >= 0)
		assert_int_equal(got->wait_ns, w->wait);
	if (got->slice_known != (w->slice >= 0) || (w->slice >= 0 && got->slice_ns != (__u64)w->slice))
		fail_msg("row %d (t %llu): slice %s%llu, wanted %lld", i, (unsigned long long)w->t,
			 got->slice_known ? "" : "unknown ", (unsigned long long)got->slice_ns, w->slice);
	if (got->prev_in_syscall != in_sys)
		fail_msg("row %d (t %llu): prev_in_syscall %d, wanted %d", i, (unsigned long long)w->t,
			 got->prev_in_syscall, in_sys);
	if (got->next_migrated != w->migrated)
		fail_msg("row %d (t %llu): next_migrated %d, wanted %d", i, (unsigned long long)w->t,
			 got->next_migrated, w->migrated);
}

static void test_every_column(void **state)
{
	struct st_switch_row got[32];
	int n;

	(void)state;
	story(true);
	n = walk("0", got, 32);
	assert_int_equal(n, N_ROWS);
	for (int i = 0; i < n; i++)
		check_row(i, &got[i], &rows[i], true);
}

/*
 * --light: no syscall records, so no row can say whether prev was in a
 * system call; and no sys_exit forgets the wake-up at 5550, so A's blocked
 * switch-out at 6000 takes it for a race: woken, 6100 - 5550. The rest stands.
 */
static void test_light_no_syscall_column(void **state)
{
	struct st_switch_row got[32];
	struct want light[N_ROWS];
	int n;

	(void)state;
	memcpy(light, rows, sizeof(rows));
	light[10].cls = ST_SW_WOKEN;
	light[10].wait = 550;
	story(false);
	n = walk("0", got, 32);
	assert_int_equal(n, N_ROWS);
	for (int i = 0; i < n; i++)
		check_row(i, &got[i], &light[i], false);
}

/* Without the traced CPU list, only the traced threads' slices are known: idle's and X's are not. */
static void test_untraced_slices_need_the_cpu_list(void **state)
{
	struct st_switch_row got[32];
	int n;

	(void)state;
	story(true);
	n = walk(NULL, got, 32);
	assert_int_equal(n, N_ROWS);
	for (int i = 0; i < n; i++)
		assert_int_equal(got[i].slice_known, rows[i].slice >= 0 && traced_tid(rows[i].prev));
}

/*
 * A lost stretch of records on CPU 0 (the ring drops whole batches): the
 * switch after it does not leave the thread the last one brought in, so its
 * slice is unknown rather than wrong.
 */
static void test_gap_leaves_the_slice_unknown(void **state)
{
	struct st_switch_row got[32];
	int n, k = 0;

	(void)state;
	story(true);
	for (int i = 0; i < nev; i++) /* drop "switch X -> B" */
		if (!(ev[i].kind == ST_TL_SWITCH && ev[i].tid == X))
			ev[k++] = ev[i];
	nev = k;
	n = walk("0", got, 32);
	assert_int_equal(n, N_ROWS - 1);
	/* B -> A at 4800: B's switch-in was lost; its wait and A's are what the records left */
	assert_int_equal(got[5].ts, T0 + 4800);
	assert_false(got[5].slice_known);
	assert_int_equal(got[5].wait_class, ST_SW_PREEMPTED);
	assert_int_equal(got[5].wait_ns, 1300);
}

/* No named threads (a timeline read back without them): the records' subjects and their tgids say who is traced. */
static void test_traced_from_records(void **state)
{
	struct st_switch_row got[32];
	struct st_timeline tl;
	struct st_switch_walk *w;
	int n = 0;

	(void)state;
	story(true);
	tl = (struct st_timeline){ .events = ev, .nr_events = (__u64)nev };
	w = st_switch_walk_new(&tl, "0");
	assert_non_null(w);
	while (st_switch_walk_next(w, &got[n]) > 0)
		n++;
	st_switch_walk_free(w);
	assert_int_equal(n, N_ROWS);
	for (int i = 0; i < n; i++)
		check_row(i, &got[i], &rows[i], true);
}

static void test_empty_and_names(void **state)
{
	struct st_timeline tl = { 0 };
	struct st_switch_walk *w = st_switch_walk_new(&tl, "0");
	struct st_switch_row r;

	(void)state;
	assert_non_null(w);
	assert_int_equal(st_switch_walk_next(w, &r), 0);
	st_switch_walk_free(w);
	st_switch_walk_free(NULL);
	assert_string_equal(st_sw_class_name(ST_SW_WOKEN), "woken");
	assert_string_equal(st_sw_class_name(ST_SW_PREEMPTED), "preempted");
	assert_string_equal(st_sw_class_name(ST_SW_NONE), "none");
	assert_string_equal(st_sw_class_name(ST_SW_UNTRACED), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_column),
		cmocka_unit_test(test_light_no_syscall_column),
		cmocka_unit_test(test_untraced_slices_need_the_cpu_list),
		cmocka_unit_test(test_gap_leaves_the_slice_unknown),
		cmocka_unit_test(test_traced_from_records),
		cmocka_unit_test(test_empty_and_names),
	};

	testutil_filter();
	return cmocka_run_group_tests_name("switches", tests, NULL, NULL);
}
