// SPDX-License-Identifier: GPL-2.0
/*
 * test_coro.c — the coroutine scheduler (workloads/coro/): what the switch
 * preserves, stacks and their guard pages, 100,000 coroutines, channels.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "testutil.h"
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif
#include "coro.h"
#include "coro_internal.h"

/* A scheduler per test, freed by the teardown even when an assert fails. */
static int sched_setup(void **state)
{
	*state = coro_sched_new();
	return *state ? 0 : -1;
}

static int sched_teardown(void **state)
{
	coro_sched_free(*state);
	return 0;
}

/* ---- callee-saved registers ------------------------------------------- */

#if defined(__x86_64__)
/*
 * uint64_t callee_saved_survive(void (*fn)(void), uint64_t seed)
 *
 * Loads rbx, rbp, r12..r15 with seed+0..seed+5, calls fn, and returns a mask
 * of the registers that no longer hold their value (bit 0 rbx .. bit 5 r15).
 * Written in assembly so the compiler cannot keep the values elsewhere or
 * reload them: what is checked is exactly what fn's callee left behind.
 */
uint64_t callee_saved_survive(void (*fn)(void), uint64_t seed);
__asm__(
	".text\n"
	".globl callee_saved_survive\n"
	".type callee_saved_survive, @function\n"
	"callee_saved_survive:\n"
	"	pushq %rbx\n pushq %rbp\n pushq %r12\n pushq %r13\n pushq %r14\n pushq %r15\n"
	"	pushq %rsi\n"			/* 7 pushes: rsp is 16-aligned for the call */
	"	leaq 0(%rsi), %rbx\n leaq 1(%rsi), %rbp\n leaq 2(%rsi), %r12\n"
	"	leaq 3(%rsi), %r13\n leaq 4(%rsi), %r14\n leaq 5(%rsi), %r15\n"
	"	call *%rdi\n"
	"	popq %rsi\n"
	"	xorl %eax, %eax\n"
	"	leaq 0(%rsi), %rdx\n cmpq %rdx, %rbx\n je 1f\n orl $1, %eax\n1:\n"
	"	leaq 1(%rsi), %rdx\n cmpq %rdx, %rbp\n je 1f\n orl $2, %eax\n1:\n"
	"	leaq 2(%rsi), %rdx\n cmpq %rdx, %r12\n je 1f\n orl $4, %eax\n1:\n"
	"	leaq 3(%rsi), %rdx\n cmpq %rdx, %r13\n je 1f\n orl $8, %eax\n1:\n"
	"	leaq 4(%rsi), %rdx\n cmpq %rdx, %r14\n je 1f\n orl $16, %eax\n1:\n"
	"	leaq 5(%rsi), %rdx\n cmpq %rdx, %r15\n je 1f\n orl $32, %eax\n1:\n"
	"	popq %r15\n popq %r14\n popq %r13\n popq %r12\n popq %rbp\n popq %rbx\n"
	"	ret\n"
	".size callee_saved_survive, .-callee_saved_survive\n"

	/* Breaks the ABI on purpose: proves the checker can see a clobber. */
	".globl clobber_callee_saved\n"
	".type clobber_callee_saved, @function\n"
	"clobber_callee_saved:\n"
	"	movq $-1, %rbx\n movq $-1, %rbp\n movq $-1, %r12\n"
	"	movq $-1, %r13\n movq $-1, %r14\n movq $-1, %r15\n"
	"	ret\n"
	".size clobber_callee_saved, .-clobber_callee_saved\n");
void clobber_callee_saved(void);
#define CALLEE_SAVED_ALL 0x3f

#elif defined(__aarch64__)
/*
 * The same for AArch64: x19..x29 get seed+0..seed+10 (mask bits 0-10) and
 * d8..d15 seed+11..seed+18 (bits 11-18).
 */
uint64_t callee_saved_survive(void (*fn)(void), uint64_t seed);
__asm__(
	".text\n"
	".globl callee_saved_survive\n"
	".type callee_saved_survive, %function\n"
	"callee_saved_survive:\n"
	"	stp x29, x30, [sp, #-176]!\n"
	"	stp x19, x20, [sp, #16]\n stp x21, x22, [sp, #32]\n stp x23, x24, [sp, #48]\n"
	"	stp x25, x26, [sp, #64]\n stp x27, x28, [sp, #80]\n"
	"	stp d8, d9, [sp, #96]\n stp d10, d11, [sp, #112]\n"
	"	stp d12, d13, [sp, #128]\n stp d14, d15, [sp, #144]\n"
	"	str x1, [sp, #160]\n"
	"	add x19, x1, #0\n add x20, x1, #1\n add x21, x1, #2\n add x22, x1, #3\n"
	"	add x23, x1, #4\n add x24, x1, #5\n add x25, x1, #6\n add x26, x1, #7\n"
	"	add x27, x1, #8\n add x28, x1, #9\n add x29, x1, #10\n"
	"	add x9, x1, #11\n fmov d8, x9\n add x9, x1, #12\n fmov d9, x9\n"
	"	add x9, x1, #13\n fmov d10, x9\n add x9, x1, #14\n fmov d11, x9\n"
	"	add x9, x1, #15\n fmov d12, x9\n add x9, x1, #16\n fmov d13, x9\n"
	"	add x9, x1, #17\n fmov d14, x9\n add x9, x1, #18\n fmov d15, x9\n"
	"	blr x0\n"
	"	ldr x1, [sp, #160]\n"
	"	mov x0, #0\n"
	"	.irp n, 19,20,21,22,23,24,25,26,27,28,29\n"
	"	add x9, x1, #(\\n - 19)\n cmp x\\n, x9\n cset x10, ne\n orr x0, x0, x10, lsl #(\\n - 19)\n"
	"	.endr\n"
	"	.irp n, 8,9,10,11,12,13,14,15\n"
	"	add x9, x1, #(\\n + 3)\n fmov x11, d\\n\n cmp x11, x9\n cset x10, ne\n orr x0, x0, x10, lsl #(\\n + 3)\n"
	"	.endr\n"
	"	ldp x19, x20, [sp, #16]\n ldp x21, x22, [sp, #32]\n ldp x23, x24, [sp, #48]\n"
	"	ldp x25, x26, [sp, #64]\n ldp x27, x28, [sp, #80]\n"
	"	ldp d8, d9, [sp, #96]\n ldp d10, d11, [sp, #112]\n"
	"	ldp d12, d13, [sp, #128]\n ldp d14, d15, [sp, #144]\n"
	"	ldp x29, x30, [sp], #176\n"
	"	ret\n"
	".size callee_saved_survive, .-callee_saved_survive\n"

	".globl clobber_callee_saved\n"
	".type clobber_callee_saved, %function\n"
	"clobber_callee_saved:\n"
	"	mov x9, #-1\n"
	"	.irp n, 19,20,21,22,23,24,25,26,27,28,29\n mov x\\n, x9\n .endr\n"
	"	.irp n, 8,9,10,11,12,13,14,15\n fmov d\\n, x9\n .endr\n"
	"	ret\n"
	".size clobber_callee_saved, .-clobber_callee_saved\n");
void clobber_callee_saved(void);
#define CALLEE_SAVED_ALL 0x7ffff
#endif

static uint64_t reg_mask[2];
static int reg_yields;

static void reg_worker(void *arg)
{
	int id = (int)(intptr_t)arg;

	/* Both coroutines hold different values across the same yields. */
	for (int i = 0; i < 3; i++) {
		reg_mask[id] |= callee_saved_survive(coro_yield, 0x1111111111111111ull * (uint64_t)(id + 1) + (uint64_t)i * 16);
		reg_yields++;
	}
}

static struct coro_sched *reg_sched;
static void run_reg_sched(void)
{
	coro_sched_run(reg_sched);
}

static void test_switch_preserves_callee_saved(void **state)
{
	struct coro_sched *s = *state;

	assert_int_equal(callee_saved_survive(clobber_callee_saved, 100), CALLEE_SAVED_ALL);
	reg_mask[0] = reg_mask[1] = 0;
	reg_yields = 0;
	assert_non_null(coro_create(s, reg_worker, (void *)0, 0));
	assert_non_null(coro_create(s, reg_worker, (void *)1, 0));
	reg_sched = s;
	/* The scheduler's own context is checked too, across the whole run. */
	assert_int_equal(callee_saved_survive(run_reg_sched, 0x7777000000000000ull), 0);
	assert_int_equal(reg_yields, 6);
	assert_int_equal(reg_mask[0], 0);
	assert_int_equal(reg_mask[1], 0);
}

/* ---- FP control state -------------------------------------------------- */

#if defined(__x86_64__)

static uint32_t get_mxcsr(void)
{
	uint32_t v;

	__asm__ volatile("stmxcsr %0" : "=m"(v));
	return v;
}

static void set_mxcsr(uint32_t v)
{
	__asm__ volatile("ldmxcsr %0" : : "m"(v));
}

static uint16_t get_x87cw(void)
{
	uint16_t v;

	__asm__ volatile("fnstcw %0" : "=m"(v));
	return v;
}

static void set_x87cw(uint16_t v)
{
	__asm__ volatile("fldcw %0" : : "m"(v));
}

#define MXCSR_RC_MASK (3u << 13)
#define MXCSR_RC_ZERO (3u << 13)	/* round toward zero */
#define X87_RC_MASK   (3u << 10)
#define X87_RC_UP     (2u << 10)	/* round up */
#define X87_PC_MASK   (3u << 8)
#define X87_PC_SINGLE (0u << 8)	/* 24-bit mantissa */

struct fp_seen {
	uint32_t mxcsr_changer_after, mxcsr_other;
	uint16_t x87_changer_after, x87_other;
	double quotient_other;		/* 1.0/10.0 computed by the other coroutine */
};
static struct fp_seen fp;

/* In asm so that the compiler cannot move it across the ldmxcsr. */
static double sse_div(double a, double b)
{
	__asm__ volatile("divsd %1, %0" : "+x"(a) : "x"(b));
	return a;
}

static void fp_changer(void *arg)
{
	(void)arg;
	set_mxcsr((get_mxcsr() & ~MXCSR_RC_MASK) | MXCSR_RC_ZERO);
	set_x87cw((uint16_t)((get_x87cw() & ~(X87_RC_MASK | X87_PC_MASK)) | X87_RC_UP | X87_PC_SINGLE));
	coro_yield();	/* the other coroutine looks now */
	fp.mxcsr_changer_after = get_mxcsr();
	fp.x87_changer_after = get_x87cw();
}

static void fp_other(void *arg)
{
	(void)arg;
	fp.mxcsr_other = get_mxcsr();
	fp.x87_other = get_x87cw();
	fp.quotient_other = sse_div(1.0, 10.0);	/* SSE division, rounding from MXCSR */
	coro_yield();
}

static void test_switch_keeps_fp_control_per_coroutine(void **state)
{
	struct coro_sched *s = *state;
	uint32_t mxcsr0 = get_mxcsr();
	uint16_t x87_0 = get_x87cw();
	double nearest = sse_div(1.0, 10.0), toward_zero;

	set_mxcsr((mxcsr0 & ~MXCSR_RC_MASK) | MXCSR_RC_ZERO);
	toward_zero = sse_div(1.0, 10.0);
	set_mxcsr(mxcsr0);
	memset(&fp, 0, sizeof(fp));
	assert_non_null(coro_create(s, fp_changer, NULL, 0));
	assert_non_null(coro_create(s, fp_other, NULL, 0));
	assert_int_equal(coro_sched_run(s), 0);

	assert_int_equal(fp.mxcsr_changer_after & MXCSR_RC_MASK, MXCSR_RC_ZERO);
	/* valgrind's x87 always reports 64-bit precision: check rounding only */
	if (RUNNING_ON_VALGRIND)
		assert_int_equal(fp.x87_changer_after & X87_RC_MASK, X87_RC_UP);
	else
		assert_int_equal(fp.x87_changer_after & (X87_RC_MASK | X87_PC_MASK), X87_RC_UP | X87_PC_SINGLE);
	assert_int_equal(fp.mxcsr_other & MXCSR_RC_MASK, mxcsr0 & MXCSR_RC_MASK);
	assert_int_equal(fp.x87_other, x87_0);
	/* 0.1 rounds up to nearest and down toward zero: they differ in the last
	 * bit, so the other coroutine's quotient shows which mode it ran in.
	 * (valgrind computes every SSE operation rounding to nearest) */
	if (RUNNING_ON_VALGRIND)
		print_message("[   NOTE   ] valgrind: SSE rounding not emulated, quotient not checked\n");
	else
		assert_true(nearest != toward_zero && fp.quotient_other == nearest);
	/* and the scheduler's thread got its own state back */
	assert_int_equal(get_mxcsr() & MXCSR_RC_MASK, mxcsr0 & MXCSR_RC_MASK);
	assert_int_equal(get_x87cw(), x87_0);
}
#elif defined(__aarch64__)
#define FPCR_RMODE_MASK (3ul << 22)
#define FPCR_RMODE_ZERO (3ul << 22)

static uint64_t get_fpcr(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, fpcr" : "=r"(v));
	return v;
}

static void set_fpcr(uint64_t v)
{
	__asm__ volatile("msr fpcr, %0" : : "r"(v));
}

static double fp_div(double a, double b)
{
	__asm__ volatile("fdiv %d0, %d0, %d1" : "+w"(a) : "w"(b));
	return a;
}

static uint64_t fpcr_changer_after, fpcr_other;
static double quotient_other;

static void fpcr_changer(void *arg)
{
	(void)arg;
	set_fpcr((get_fpcr() & ~FPCR_RMODE_MASK) | FPCR_RMODE_ZERO);
	coro_yield();
	fpcr_changer_after = get_fpcr();
}

static void fpcr_observer(void *arg)
{
	(void)arg;
	fpcr_other = get_fpcr();
	quotient_other = fp_div(1.0, 10.0);
	coro_yield();
}

static void test_switch_keeps_fp_control_per_coroutine(void **state)
{
	struct coro_sched *s = *state;
	uint64_t fpcr0 = get_fpcr();
	double nearest = fp_div(1.0, 10.0), toward_zero;

	set_fpcr((fpcr0 & ~FPCR_RMODE_MASK) | FPCR_RMODE_ZERO);
	toward_zero = fp_div(1.0, 10.0);
	set_fpcr(fpcr0);
	assert_non_null(coro_create(s, fpcr_changer, NULL, 0));
	assert_non_null(coro_create(s, fpcr_observer, NULL, 0));
	assert_int_equal(coro_sched_run(s), 0);
	assert_int_equal(fpcr_changer_after & FPCR_RMODE_MASK, FPCR_RMODE_ZERO);
	assert_int_equal(fpcr_other, fpcr0);
	assert_true(nearest != toward_zero && quotient_other == nearest);
	assert_int_equal(get_fpcr(), fpcr0);
}
#endif

/* ---- stacks ------------------------------------------------------------ */

#define FRAME_BYTES 1024

struct depth {
	uintptr_t top, deepest;
	long sum;
};

/* Each level keeps a live 1 KiB array, so the stack really grows. */
static __attribute__((noinline)) long recurse(struct depth *d, int level, int max)
{
	volatile char frame[FRAME_BYTES];
	long below;

	for (size_t i = 0; i < sizeof(frame); i += 64)
		frame[i] = (char)level;
	if ((uintptr_t)frame < d->deepest)
		d->deepest = (uintptr_t)frame;
	below = level < max ? recurse(d, level + 1, max) : 0;
	return below + frame[FRAME_BYTES / 2 & ~63] + 1;
}

static struct depth deep;

static void deep_worker(void *arg)
{
	int levels = (int)(intptr_t)arg;
	volatile char here;

	deep.top = (uintptr_t)&here;
	deep.deepest = UINTPTR_MAX;
	deep.sum = recurse(&deep, 0, levels);
}

static void test_deep_recursion_on_64k_stack(void **state)
{
	struct coro_sched *s = *state;
	int levels = 40;	/* 41 frames of > 1 KiB */
	long expect = 0;

	for (int l = 0; l <= levels; l++)
		expect += (char)l + 1;
	assert_non_null(coro_create(s, deep_worker, (void *)(intptr_t)levels, 64 * 1024));
	assert_int_equal(coro_sched_run(s), 0);
	assert_int_equal(deep.sum, expect);
	assert_true(deep.top - deep.deepest >= 40 * 1024);
}

/* Recurses until something stops it. */
static void overflow_worker(void *arg)
{
	(void)arg;
	deep.deepest = UINTPTR_MAX;
	recurse(&deep, 0, 1 << 30);
}

static void *guard_lo, *guard_hi;

static void on_segv(int sig, siginfo_t *si, void *uctx)
{
	(void)sig;
	(void)uctx;
	/* 42: the fault hit the guard page; 43: somewhere else */
	_exit((char *)si->si_addr >= (char *)guard_lo && (char *)si->si_addr < (char *)guard_hi ? 42 : 43);
}

/* Runs an overflowing coroutine in a child; returns its wait status. */
static int overflow_in_child(bool catch_fault, enum stack_guard_mode mode)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		struct coro_sched *s;

		if (mode != STACK_GUARD_UNKNOWN)
			stack_guard_mode_force(mode);
		s = coro_sched_new();
		struct coro *c = s ? coro_create(s, overflow_worker, NULL, 16 * 1024) : NULL;

		if (!c)
			_exit(2);
		if (catch_fault) {
			static char altstack[64 * 1024];
			stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
			struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO | SA_ONSTACK };

			guard_hi = c->stack.lo;
			guard_lo = c->stack.lo - stack_page_size();
			if (sigaltstack(&ss, NULL) || sigaction(SIGSEGV, &sa, NULL))
				_exit(3);
		}
		coro_sched_run(s);
		_exit(0);	/* the overflow was not caught */
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

static void test_stack_overflow_hits_guard_page(void **state)
{
	int status;

	(void)state;
	status = overflow_in_child(false, STACK_GUARD_UNKNOWN);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGSEGV);

	status = overflow_in_child(true, STACK_GUARD_UNKNOWN);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 42);

	/* the fallback for kernels before 6.13: a PROT_NONE page */
	status = overflow_in_child(true, STACK_GUARD_MPROTECT);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 42);
}

/* ---- 100,000 coroutines ------------------------------------------------ */

#define MANY 100000

static void churn_child(void *arg);

struct maps {
	long count;		/* lines in /proc/self/maps (adjacent slabs may merge) */
	long mib;		/* address space mapped, malloc's [heap] aside */
};

static struct maps read_maps(void)
{
	struct maps m = { 0, 0 };
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long lo, hi, bytes = 0;
	char line[512];

	if (!f)
		return (struct maps){ -1, -1 };
	while (fgets(line, sizeof(line), f)) {
		m.count++;
		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && !strstr(line, "[heap]"))
			bytes += hi - lo;
	}
	fclose(f);
	m.mib = (long)(bytes >> 20);
	return m;
}

static long many_steps;
static struct maps maps_all_live;

static void many_worker(void *arg)
{
	(void)arg;
	many_steps++;
	coro_yield();	/* by the time it returns, all of them have started */
	if (maps_all_live.count == 0)
		maps_all_live = read_maps();
	many_steps++;
}

static long max_map_count(void)
{
	FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
	long n = -1;

	if (f) {
		if (fscanf(f, "%ld", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

static void test_100k_coroutines_no_leak(void **state)
{
	struct maps before, after;
	struct coro_sched *s;

	/* probe how this kernel makes guard pages */
	assert_non_null(coro_create(*state, churn_child, NULL, 0));
	if (stack_guard_mode() == STACK_GUARD_MPROTECT && max_map_count() < 2 * MANY + 1000) {
		print_message("[   SKIP   ] guard pages by mprotect (kernel before 6.13) take 2 mappings "
			      "per stack: 100k need vm.max_map_count > %d\n", 2 * MANY + 1000);
		skip();
	}
	before = read_maps();
	s = coro_sched_new();
	assert_non_null(s);
	many_steps = 0;
	maps_all_live.count = 0;
	for (int i = 0; i < MANY; i++)
		assert_non_null(coro_create(s, many_worker, NULL, 0));
	assert_int_equal(coro_sched_run(s), 0);
	coro_sched_free(s);
	after = read_maps();

	assert_int_equal(many_steps, 2 * MANY);
	/* 100k live stacks of 64 KiB were mapped, in few mappings */
	assert_true(maps_all_live.mib - before.mib >= MANY / 16);
	assert_true(maps_all_live.count - before.count < 2000);
	/* and all unmapped again (valgrind maps memory of its own meanwhile) */
	if (!RUNNING_ON_VALGRIND) {
		assert_int_equal(after.count, before.count);
		assert_true(after.mib - before.mib < 4);
	}
}

/* Stacks of ended coroutines are reused: create/exit loops do not grow. */
static long churn_done;
static struct maps churn_maps;
static void churn_child(void *arg)
{
	(void)arg;
	churn_done++;
}

static void churn_parent(void *arg)
{
	struct coro_sched *s = arg;

	for (int i = 0; i < 10000; i++)
		coro_join(coro_create(s, churn_child, NULL, 0));
	/* never joined: each ends while the parent yields */
	for (int i = 0; i < 10000; i++) {
		coro_create(s, churn_child, NULL, 0);
		coro_yield();
	}
	churn_maps = read_maps();	/* before coro_sched_run() cleans up */
}

static void test_stacks_are_reused(void **state)
{
	struct coro_sched *s = *state;
	struct maps before = read_maps();

	churn_done = 0;
	assert_non_null(coro_create(s, churn_parent, s, 0));
	assert_int_equal(coro_sched_run(s), 0);
	assert_int_equal(churn_done, 20000);
	/* one slab of 8 MiB, maybe a spare: 20000 stacks would be 1300 MiB */
	assert_true(churn_maps.mib - before.mib <= 16 + 4);
}

static struct coro *self_seen;
static void record_self(void *arg)
{
	(void)arg;
	self_seen = coro_self();
}

static void test_create_and_self(void **state)
{
	struct coro_sched *s = *state;
	struct coro *c;

	errno = 0;
	assert_null(coro_create(s, record_self, NULL, CORO_MAX_STACK + 1));
	assert_int_equal(errno, EINVAL);
	assert_null(coro_create(s, NULL, NULL, 0));
	assert_null(coro_self());
	c = coro_create(s, record_self, NULL, 1);	/* rounded up to a page */
	assert_non_null(c);
	assert_int_equal(c->stack.hi - c->stack.lo, stack_page_size());
	assert_int_equal(coro_sched_run(s), 0);
	assert_ptr_equal(self_seen, c);
}

/* The ABI's stack alignment at function entry (rsp+8, or sp, 16-aligned)
 * shows in the frame address, where the frame pointer was pushed. */
static uintptr_t entry_frame, callee_frame;

static __attribute__((noinline)) void note_callee_frame(void)
{
	callee_frame = (uintptr_t)__builtin_frame_address(0);
	__asm__ volatile("" ::: "memory");
}

static void note_entry_frame(void *arg)
{
	(void)arg;
	entry_frame = (uintptr_t)__builtin_frame_address(0);
	note_callee_frame();
}

static void test_new_coroutine_stack_is_aligned(void **state)
{
	struct coro_sched *s = *state;

	entry_frame = callee_frame = 1;
	/* odd sizes too: the top of the stack is rounded to a page anyway */
	assert_non_null(coro_create(s, note_entry_frame, NULL, 4096 + 8));
	assert_int_equal(coro_sched_run(s), 0);
	assert_int_equal(entry_frame % 16, 0);
	assert_int_equal(callee_frame % 16, 0);
}

/* ---- yield, exit, join ------------------------------------------------- */

static char trace[64];
static size_t trace_len;
static void note(char c)
{
	if (trace_len < sizeof(trace) - 1)
		trace[trace_len++] = c;
	trace[trace_len] = '\0';
}

static void yielder(void *arg)
{
	char name = (char)(intptr_t)arg;

	for (int i = 0; i < 3; i++) {
		note(name);
		coro_yield();
	}
}

static void test_yield_round_robin(void **state)
{
	struct coro_sched *s = *state;

	trace_len = 0;
	assert_non_null(coro_create(s, yielder, (void *)'a', 0));
	assert_non_null(coro_create(s, yielder, (void *)'b', 0));
	assert_non_null(coro_create(s, yielder, (void *)'c', 0));
	assert_int_equal(coro_sched_run(s), 0);
	assert_string_equal(trace, "abcabcabc");
	assert_null(coro_self());
}

static void exits_early(void *arg)
{
	(void)arg;
	note('1');
	coro_exit();
	note('X');	/* never */
}

static void joiner(void *arg)
{
	struct coro *target = arg;

	note('j');
	coro_join(target);
	note('J');
}

static void test_exit_and_join(void **state)
{
	struct coro_sched *s = *state;
	struct coro *worker;

	trace_len = 0;
	/* the joiner runs first and must wait for the worker's end */
	worker = coro_create(s, yielder, (void *)'w', 0);
	assert_non_null(worker);
	/* run queue: worker, joiner, early */
	assert_non_null(coro_create(s, joiner, worker, 0));
	assert_non_null(coro_create(s, exits_early, NULL, 0));
	assert_int_equal(coro_sched_run(s), 0);
	assert_string_equal(trace, "wj1wwJ");
}

/* ---- channels ---------------------------------------------------------- */

struct chan_test {
	struct chan *ch;
	int got[16];
	int ngot;
	bool ok[16];
};
static struct chan_test ct;

static void sender(void *arg)
{
	int id = (int)(intptr_t)arg;

	note('s');
	ct.ok[id] = chan_send(ct.ch, (void *)(intptr_t)id);
	note('S');
}

static void receiver(void *arg)
{
	int n = (int)(intptr_t)arg;

	for (int i = 0; i < n; i++) {
		void *v;

		note('r');
		if (chan_recv(ct.ch, &v))
			ct.got[ct.ngot++] = (int)(intptr_t)v;
		note('R');
	}
}

static void chan_reset(struct coro_sched *s)
{
	memset(&ct, 0, sizeof(ct));
	ct.ch = chan_new(s);
	assert_non_null(ct.ch);
	trace_len = 0;
	trace[0] = '\0';
}

static void test_chan_fifo_among_senders(void **state)
{
	struct coro_sched *s = *state;

	chan_reset(s);
	for (int id = 1; id <= 5; id++)
		assert_non_null(coro_create(s, sender, (void *)(intptr_t)id, 0));
	assert_non_null(coro_create(s, receiver, (void *)5, 0));
	assert_int_equal(coro_sched_run(s), 0);
	assert_int_equal(ct.ngot, 5);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(ct.got[i], i + 1);
		assert_true(ct.ok[i + 1]);
	}
	chan_free(ct.ch);
}

static int recv_got[4];
static void numbered_receiver(void *arg)
{
	int id = (int)(intptr_t)arg;
	void *v = NULL;

	if (chan_recv(ct.ch, &v))
		recv_got[id] = (int)(intptr_t)v;
}

static void send_three(void *arg)
{
	(void)arg;
	for (int i = 1; i <= 3; i++)
		ct.ok[i] = chan_send(ct.ch, (void *)(intptr_t)(10 * i));
}

static void test_chan_fifo_among_receivers(void **state)
{
	struct coro_sched *s = *state;

	chan_reset(s);
	memset(recv_got, 0, sizeof(recv_got));
	for (int id = 1; id <= 3; id++)
		assert_non_null(coro_create(s, numbered_receiver, (void *)(intptr_t)id, 0));
	assert_non_null(coro_create(s, send_three, NULL, 0));
	assert_int_equal(coro_sched_run(s), 0);
	assert_int_equal(recv_got[1], 10);
	assert_int_equal(recv_got[2], 20);
	assert_int_equal(recv_got[3], 30);
	assert_true(ct.ok[1] && ct.ok[2] && ct.ok[3]);
	chan_free(ct.ch);
}

static void test_chan_receive_blocks_until_send(void **state)
{
	struct coro_sched *s = *state;

	chan_reset(s);
	/* receiver first: it must block ('r') and return ('R') only after the send */
	assert_non_null(coro_create(s, receiver, (void *)1, 0));
	assert_non_null(coro_create(s, sender, (void *)7, 0));
	assert_int_equal(coro_sched_run(s), 0);
	/* the sender hands off without blocking, so it also finishes first */
	assert_string_equal(trace, "rsSR");
	assert_int_equal(ct.ngot, 1);
	assert_int_equal(ct.got[0], 7);
	chan_free(ct.ch);
}

static void test_chan_send_blocks_until_received(void **state)
{
	struct coro_sched *s = *state;

	chan_reset(s);
	assert_non_null(coro_create(s, sender, (void *)3, 0));
	assert_non_null(coro_create(s, receiver, (void *)1, 0));
	assert_int_equal(coro_sched_run(s), 0);
	assert_string_equal(trace, "srRS");
	assert_true(ct.ok[3]);
	chan_free(ct.ch);
}

static void test_chan_send_without_receiver_deadlocks(void **state)
{
	struct coro_sched *s = *state;

	chan_reset(s);
	assert_non_null(coro_create(s, sender, (void *)1, 0));
	/* nobody will receive: the run ends with the sender still blocked */
	assert_int_equal(coro_sched_run(s), 1);
	assert_string_equal(trace, "s");
	chan_free(ct.ch);	/* wakes it with false */
	assert_int_equal(coro_sched_run(s), 0);
	assert_string_equal(trace, "sS");
	assert_false(ct.ok[1]);
}

static void closer(void *arg)
{
	(void)arg;
	note('c');
	chan_close(ct.ch);
}

static bool closed_recv_ok = true, closed_send_ok = true;
static void *closed_recv_value;

static void recv_after_close(void *arg)
{
	(void)arg;
	closed_recv_value = (void *)1;
	closed_recv_ok = chan_recv(ct.ch, &closed_recv_value);
	closed_send_ok = chan_send(ct.ch, (void *)5);
	note('x');
}

static void test_chan_close(void **state)
{
	struct coro_sched *s = *state;

	chan_reset(s);
	/* two receivers block, the closer wakes them, a late receiver and sender fail at once */
	assert_non_null(coro_create(s, receiver, (void *)1, 0));
	assert_non_null(coro_create(s, receiver, (void *)1, 0));
	assert_non_null(coro_create(s, closer, NULL, 0));
	assert_non_null(coro_create(s, recv_after_close, NULL, 0));
	assert_int_equal(coro_sched_run(s), 0);
	/* both receivers woke with false (nothing stored), after the close */
	assert_int_equal(ct.ngot, 0);
	assert_string_equal(trace, "rrcxRR");
	assert_false(closed_recv_ok);
	assert_null(closed_recv_value);
	assert_false(closed_send_ok);
	chan_close(ct.ch);	/* closing again is harmless */
	chan_free(ct.ch);

	/* a blocked sender wakes with false */
	chan_reset(s);
	assert_non_null(coro_create(s, sender, (void *)2, 0));
	assert_non_null(coro_create(s, closer, NULL, 0));
	ct.ok[2] = true;
	assert_int_equal(coro_sched_run(s), 0);
	assert_false(ct.ok[2]);
	assert_string_equal(trace, "scS");
	chan_free(ct.ch);
}

/* The ping-pong the coro-chan workload measures, checked for values. */
static long pingpong_sum, pingpong_failures;
static void pong(void *arg)
{
	void *v;

	(void)arg;
	while (chan_recv(ct.ch, &v))
		chan_send(ct.ch, (void *)((intptr_t)v + 1));
}

static void ping(void *arg)
{
	void *v = NULL;

	(void)arg;
	for (intptr_t i = 0; i < 1000; i++) {
		if (!chan_send(ct.ch, (void *)(2 * i)) || !chan_recv(ct.ch, &v))
			pingpong_failures++;
		pingpong_sum += (intptr_t)v;
	}
	chan_close(ct.ch);
}

static void test_chan_ping_pong(void **state)
{
	struct coro_sched *s = *state;

	chan_reset(s);
	pingpong_sum = pingpong_failures = 0;
	assert_non_null(coro_create(s, pong, NULL, 0));
	assert_non_null(coro_create(s, ping, NULL, 0));
	assert_int_equal(coro_sched_run(s), 0);
	assert_int_equal(pingpong_failures, 0);
	assert_int_equal(pingpong_sum, 999 * 1000 + 1000);	/* sum of 2i+1 */
	chan_free(ct.ch);
}

#define T(f) cmocka_unit_test_setup_teardown(f, sched_setup, sched_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_switch_preserves_callee_saved),
		T(test_switch_keeps_fp_control_per_coroutine),
		T(test_new_coroutine_stack_is_aligned),
		T(test_deep_recursion_on_64k_stack),
		T(test_stack_overflow_hits_guard_page),
		T(test_100k_coroutines_no_leak),
		T(test_stacks_are_reused),
		T(test_create_and_self),
		T(test_yield_round_robin),
		T(test_exit_and_join),
		T(test_chan_fifo_among_senders),
		T(test_chan_fifo_among_receivers),
		T(test_chan_receive_blocks_until_send),
		T(test_chan_send_blocks_until_received),
		T(test_chan_send_without_receiver_deadlocks),
		T(test_chan_close),
		T(test_chan_ping_pong),
	};

	return cmocka_run_group_tests_name("coro", tests, NULL, NULL);
}
