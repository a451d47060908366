// SPDX-License-Identifier: GPL-2.0
/*
 * test_preempt.c — asynchronous preemption of coroutines (workloads/coro/
 * preempt.c): a coroutine that never yields is switched out and the other
 * runs; what the interrupted coroutine had in its registers, its FP control
 * state and errno survive; ticks that land in the library do no harm; and
 * what counts as a safe point.
 *
 * No assertion here is about speed: loops are bounded by generous wall-clock
 * limits only so that a broken preemption fails instead of hanging.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fenv.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <time.h>
#include <unistd.h>
#include "testutil.h"
#include "coro.h"
#include "coro_ctx.h"
#include "preempt.h"
#include "stack_pool.h"

#define SLICE_US 1000
#define LIMIT_NS (5ull * 1000000000ull)	/* a loop that waits for preemption gives up after */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int sched_setup(void **state)
{
	*state = coro_sched_new();
	return *state ? 0 : -1;
}

static int sched_teardown(void **state)
{
	coro_preempt_stop();
	coro_sched_free(*state);
	return 0;
}

/* ---- a coroutine that never yields ---------------------------------------- */

static volatile int flag;		/* set by the second coroutine */
static volatile int spinner_done;
static int flag_seen_by_spinner, spinner_done_when_setter_ran;

static void spinner(void *arg)
{
	uint64_t limit = now_ns() + (uintptr_t)arg;

	while (!flag && now_ns() < limit)
		;	/* never yields */
	flag_seen_by_spinner = flag;
	spinner_done = 1;
}

static void setter(void *arg)
{
	(void)arg;
	spinner_done_when_setter_ran = spinner_done;
	flag = 1;
}

static void run_spinner_and_setter(struct coro_sched *s, uint64_t limit_ns)
{
	flag = spinner_done = 0;
	flag_seen_by_spinner = spinner_done_when_setter_ran = -1;
	/* the spinner first: without preemption the setter only runs once it gave up */
	assert_non_null(coro_create(s, spinner, (void *)(uintptr_t)limit_ns, 0));
	assert_non_null(coro_create(s, setter, NULL, 0));
	assert_int_equal(coro_sched_run(s), 0);
}

static void never_yielding_coroutine_is_preempted(void **state)
{
	struct coro_sched *s = *state;

	assert_int_equal(coro_preempt_start(s, SLICE_US), 0);
	run_spinner_and_setter(s, LIMIT_NS);
	coro_preempt_stop();
	assert_int_equal(spinner_done_when_setter_ran, 0);	/* the setter ran mid-spin */
	assert_int_equal(flag_seen_by_spinner, 1);		/* and the spinner saw it after */
	assert_true(coro_preempt_stats().preemptions >= 1);
}

/* The control: the same pair without preemption runs one after the other. */
static void without_preemption_the_spinner_runs_to_its_end(void **state)
{
	struct coro_sched *s = *state;

	run_spinner_and_setter(s, 30 * 1000000ull);
	assert_int_equal(spinner_done_when_setter_ran, 1);
	assert_int_equal(flag_seen_by_spinner, 0);
}

/* ---- what the interrupted coroutine keeps ------------------------------------ */

/* Rounds on every step (different results for different rounding modes) and
 * keeps several independent accumulators live, in registers. */
static double fp_work(long n, double seed)
{
	double a = seed, b = seed * 3, c = seed * 5, d = seed * 7;
	uint64_t i1 = 1, i2 = 2;

	for (long i = 0; i < n; i++) {
		a = a * 1.0000001 + 1e-7;
		b = b * 0.9999999 + 3e-7;
		c = c / 1.0000003 + a;
		d = d + b / 3.0;
		i1 = i1 * 6364136223846793005ull + 1442695040888963407ull;
		i2 ^= i1 >> 7;
	}
	return a + b + c + d + (double)(i2 & 0xffff);
}

#define FP_N 4000000L
/* volatile: the compiler may not merge two calls with the same arguments made
 * under different rounding modes (it assumes the default mode throughout) */
static volatile double seed_a = 1.5, seed_b = 2.5;
static double result_a, result_b;
static volatile int a_done;
static unsigned long preempts_during_a;

static void fp_a(void *arg)
{
	unsigned long before = coro_preempt_count();

	(void)arg;
	result_a = fp_work(FP_N, seed_a);	/* default rounding */
	preempts_during_a = coro_preempt_count() - before;
	a_done = 1;
}

static void fp_b(void *arg)
{
	(void)arg;
	fesetround(FE_TOWARDZERO);	/* MXCSR and x87 control word of this coroutine only */
	while (!a_done)
		result_b = fp_work(20000, seed_b);
	fesetround(FE_TONEAREST);
}

static void registers_and_fp_control_survive(void **state)
{
	struct coro_sched *s = *state;
	double want_a, want_b;

	want_a = fp_work(FP_N, seed_a);
	fesetround(FE_TOWARDZERO);
	want_b = fp_work(20000, seed_b);
	fesetround(FE_TONEAREST);
	assert_true(want_a != 0 && want_b != 0);
	/* the two modes give different answers, or the check below could not fail */
	assert_true(fp_work(20000, seed_b) != want_b);

	a_done = 0;
	assert_non_null(coro_create(s, fp_a, NULL, 0));
	assert_non_null(coro_create(s, fp_b, NULL, 0));
	assert_int_equal(coro_preempt_start(s, CORO_PREEMPT_MIN_SLICE), 0);
	assert_int_equal(coro_sched_run(s), 0);
	coro_preempt_stop();
	if (preempts_during_a == 0)
		fail_msg("the computation was never preempted; nothing was tested");
	assert_true(result_a == want_a);
	assert_true(result_b == want_b);
	assert_int_equal(fegetround(), FE_TONEAREST);
}

static volatile int errno_a_done;
static int errno_seen;

static void errno_a(void *arg)
{
	unsigned long start = coro_preempt_count();
	uint64_t limit = now_ns() + LIMIT_NS;

	(void)arg;
	errno = 1234;
	while (coro_preempt_count() < start + 4 && now_ns() < limit)
		;
	errno_seen = errno;
	errno_a_done = 1;
}

static void errno_b(void *arg)
{
	(void)arg;
	while (!errno_a_done)
		close(-1);	/* errno = EBADF, again and again */
}

static void errno_survives_preemption(void **state)
{
	struct coro_sched *s = *state;

	errno_a_done = 0;
	errno_seen = 0;
	assert_non_null(coro_create(s, errno_a, NULL, 0));
	assert_non_null(coro_create(s, errno_b, NULL, 0));
	assert_int_equal(coro_preempt_start(s, CORO_PREEMPT_MIN_SLICE), 0);	/* counters start at 0 */
	assert_int_equal(coro_sched_run(s), 0);
	coro_preempt_stop();
	assert_true(coro_preempt_stats().preemptions >= 4);
	assert_int_equal(errno_seen, 1234);
}

/* ---- ticks inside the library --------------------------------------------------- */

#define PP_ROUNDS 2000000L
static struct chan *pp_ch;
static long pp_received, pp_out_of_order;
static volatile int pp_done;

static void pp_ping(void *arg)
{
	(void)arg;
	for (long i = 0; i < PP_ROUNDS; i++) {
		void *reply;

		if (!chan_send(pp_ch, (void *)(intptr_t)i) || !chan_recv(pp_ch, &reply) ||
		    reply != (void *)(intptr_t)(i + 1))
			pp_out_of_order++;
	}
	pp_done = 1;
	chan_close(pp_ch);
}

static void pp_pong(void *arg)
{
	void *v;
	long want = 0;

	(void)arg;
	while (chan_recv(pp_ch, &v)) {
		if (v != (void *)(intptr_t)want++)
			pp_out_of_order++;
		pp_received++;
		chan_send(pp_ch, (void *)((intptr_t)v + 1));
	}
}

/* Never yields; preempted, it hands each of ping and pong a turn. Gone after
 * a few preemptions: with it in the run queue every hand-off waits a slice. */
static void pp_spin(void *arg)
{
	(void)arg;
	while (!pp_done && coro_preempt_count() < 4)
		;
}

/* The shortest slice (a tick every quarter of it) over a channel ping-pong
 * that spends most of its time inside the library, a spinner beside it at
 * first: ticks land in the middle of channel operations and switches. */
static void ticks_in_the_library_do_no_harm(void **state)
{
	struct coro_sched *s = *state;
	struct coro_preempt_stats st;

	pp_ch = chan_new(s);
	pp_received = pp_out_of_order = 0;
	pp_done = 0;
	assert_non_null(pp_ch);
	assert_non_null(coro_create(s, pp_pong, NULL, 0));
	assert_non_null(coro_create(s, pp_ping, NULL, 0));
	assert_non_null(coro_create(s, pp_spin, NULL, 0));
	assert_int_equal(coro_preempt_start(s, CORO_PREEMPT_MIN_SLICE), 0);
	assert_int_equal(coro_sched_run(s), 0);
	coro_preempt_stop();
	st = coro_preempt_stats();
	chan_free(pp_ch);
	assert_int_equal(pp_received, PP_ROUNDS);
	assert_int_equal(pp_out_of_order, 0);
	assert_true(st.preemptions >= 1);
}

/* ---- safe points ------------------------------------------------------------ */

/* The interrupted stack pointer must be on the coroutine the handler would stamp: [lo, hi), no more. */
static void stamp_only_on_its_own_stack(void **state)
{
	char area[256];
	struct stack st = { .lo = area + 64, .hi = area + 192 };

	(void)state;
	assert_true(stack_holds(&st, (uintptr_t)(area + 64)));
	assert_true(stack_holds(&st, (uintptr_t)(area + 191)));
	assert_false(stack_holds(&st, (uintptr_t)(area + 192))); /* hi is past the stack */
	assert_false(stack_holds(&st, (uintptr_t)(area + 63)));	 /* the guard below lo */
	assert_false(stack_holds(&st, (uintptr_t)area + 4096));	 /* another stack */
}

static void safe_points(void **state)
{
	uintptr_t lib[] = {
		(uintptr_t)coro_create, (uintptr_t)coro_yield, (uintptr_t)coro_exit,
		(uintptr_t)coro_join, (uintptr_t)coro_sched_run, (uintptr_t)coro_sched_free,
		(uintptr_t)chan_send, (uintptr_t)chan_recv, (uintptr_t)chan_close,
		(uintptr_t)chan_free, (uintptr_t)stack_pool_get, (uintptr_t)stack_pool_put,
		(uintptr_t)coro_ctx_init, (uintptr_t)coro_ctx_switch,
		(uintptr_t)coro_preempt_pc_safe,
	};
	void *libc_fn = dlsym(RTLD_DEFAULT, "getpid");
	int on_stack;

	(void)state;
	for (size_t i = 0; i < sizeof(lib) / sizeof(lib[0]); i++) {
		if (!coro_preempt_pc_in_library(lib[i]))
			fail_msg("library function #%zu at %#lx is outside coro_text", i,
				 (unsigned long)lib[i]);
		assert_false(coro_preempt_pc_safe(lib[i]));
		assert_false(coro_preempt_pc_safe(lib[i] + 4));	/* inside, not just at the start */
	}
	/* the program's own code */
	assert_true(coro_preempt_pc_safe((uintptr_t)fp_work));
	assert_true(coro_preempt_pc_safe((uintptr_t)spinner + 8));
	/* libc, the vDSO, the stack */
	assert_non_null(libc_fn);
	assert_false(coro_preempt_pc_safe((uintptr_t)libc_fn));
	assert_false(coro_preempt_pc_safe((uintptr_t)getauxval(AT_SYSINFO_EHDR) + 0x100));
	assert_false(coro_preempt_pc_safe((uintptr_t)&on_stack));
	assert_false(coro_preempt_pc_safe(0));
}

/* ---- starting and stopping --------------------------------------------------- */

static void busy_for(uint64_t ns)
{
	uint64_t end = now_ns() + ns;

	while (now_ns() < end)
		;
}

static void stop_means_no_more_ticks(void **state)
{
	struct coro_sched *s = *state;
	unsigned long ticks;

	assert_int_equal(coro_preempt_start(s, CORO_PREEMPT_MIN_SLICE), 0);
	busy_for(20 * 1000000ull);
	coro_preempt_stop();
	ticks = coro_preempt_stats().ticks;
	assert_true(ticks >= 1);	/* 80 due; one is enough to know the timer ran */
	busy_for(20 * 1000000ull);
	assert_int_equal(coro_preempt_stats().ticks, ticks);
}

static void start_checks_its_arguments(void **state)
{
	struct coro_sched *s = *state;

	errno = 0;
	assert_int_equal(coro_preempt_start(s, CORO_PREEMPT_MIN_SLICE - 1), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(coro_preempt_start(NULL, 1000), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(coro_preempt_start(s, 1000), 0);
	assert_int_equal(coro_preempt_start(s, 1000), -1);
	assert_int_equal(errno, EBUSY);
	coro_preempt_stop();
	assert_int_equal(coro_preempt_start(s, 1000), 0);	/* again after a stop */
	coro_preempt_stop();
	coro_preempt_stop();	/* twice is harmless */
}

#define T(f) cmocka_unit_test_setup_teardown(f, sched_setup, sched_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(never_yielding_coroutine_is_preempted),
		T(without_preemption_the_spinner_runs_to_its_end),
		T(registers_and_fp_control_survive),
		T(errno_survives_preemption),
		T(ticks_in_the_library_do_no_harm),
		T(safe_points),
		T(stamp_only_on_its_own_stack),
		T(stop_means_no_more_ticks),
		T(start_checks_its_arguments),
	};

	return cmocka_run_group_tests_name("preempt", tests, NULL, NULL);
}
