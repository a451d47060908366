// SPDX-License-Identifier: GPL-2.0
/*
 * preempt.c — asynchronous preemption of coroutines by a timer signal
 * (preempt.h), in the manner of Go 1.14's: the signal interrupts the
 * coroutine wherever it is; at a safe point the handler switches away.
 *
 * Mechanism. A preempting thread has a POSIX timer (CLOCK_MONOTONIC,
 * SIGEV_THREAD_ID: the signal goes to that thread) ticking every slice/4.
 * The handler runs on the interrupted coroutine's stack, below the signal
 * frame the kernel pushed there. To preempt, the handler calls the
 * scheduler's yield: the coroutine is suspended *inside the handler*, other
 * coroutines run, and when the scheduler resumes it the handler returns and
 * sigreturn puts back the interrupted state exactly.
 *
 * What is saved, and by whom. The kernel's signal frame holds every
 * register the interrupted code was using: the caller-saved general
 * registers (rax, rcx, rdx, rsi, rdi, r8-r11), rflags, and the whole FPU
 * state (xsave: x87 stack, xmm/ymm, MXCSR with its status flags). The
 * switch (switch_x86_64.S) then saves what a function call must keep, rbx,
 * rbp, r12-r15, rsp, rip, and the MXCSR and x87 control words, which it
 * reloads for whichever coroutine runs next. Between the two nothing is
 * lost: code interrupted between any two instructions finds its registers,
 * its FP rounding mode and exception masks as it left them. The kernel
 * leaves the 128-byte red zone below rsp alone when it writes the frame, so
 * a leaf function's red-zone data survives. The handler saves errno on
 * entry and restores it on return: errno is per thread, and the coroutines
 * that ran meanwhile may have set it. The frame costs stack: with AVX-512
 * state about 3.5 KB, plus the handler and the scheduler's yield (the
 * 64 KB default stack has room; a coroutine close to its guard page does
 * not).
 *
 * Safe points. Switching away is safe where the interrupted coroutine holds
 * nothing that another coroutine on the same thread could need:
 *   - not in the coroutine library (coro_text.h): a run queue or channel
 *     may be half updated there, or a switch half done (sched->current
 *     already names the next coroutine while the registers are still the
 *     old one's). Yielding there would corrupt the scheduler.
 *   - not in libc, the vDSO or the dynamic linker: libc may hold a lock
 *     (malloc's arena, stdio's FILE lock) that the next coroutine on the
 *     thread would wait for forever, and its state is not re-entrant.
 * So a safe point is an interrupted pc in the program's own code: inside
 * the executable's text [__executable_start, etext) and outside
 * [__start_coro_text, __stop_coro_text), with the interrupted stack pointer
 * on the running coroutine's own stack. The second half matters: between
 * naming the next coroutine and loading its registers the library may call
 * out through the PLT, whose stubs lie in the executable's text (under
 * ASan it calls __sanitizer_start_switch_fiber there). A tick on such a stub
 * took the next coroutine for the running one and stamped the save area the
 * switch was about to load (test_preempt aborted once under ASan in a CI
 * rehearsal). The stack pointer is still the old one's there. The handler itself only makes
 * async-signal-safe calls. Go's asynchronous safe points are of the same
 * kind (not in the runtime, not in code without safe-point metadata) for
 * the same reasons. A due preemption that finds the coroutine in the vDSO
 * (a clock read: over it in well under a microsecond) is retried a moment
 * later, RETRY_NS, up to MAX_RETRIES times; one that finds it in libc,
 * perhaps blocked in a system call, waits for the next tick, a quarter
 * slice later. A coroutine that spends all its time in libc is never
 * preempted. What stays the program's
 * business: a coroutine preempted while it holds a lock of its own (a
 * pthread mutex) blocks every coroutine of the thread that wants it, as
 * under any scheduler that preempts user-level threads of one kernel thread.
 *
 * "Run past its slice", and nothing added to the switch. A running
 * coroutine's save area is dead: it is read only to resume the coroutine,
 * and every switch out writes it first. So at a tick the handler stamps the
 * running coroutine's saved resume address with an address that aborts; if
 * the stamp is still there at the next tick, the coroutine has not
 * switched out in between. Four ticks in a row (a tick every slice/4) mean
 * it has run for a whole slice: preempt. Run time before preemption is
 * slice to 1.25 slices. The switch pays nothing for any of this. The stamp
 * is written only when the pc is outside the library, never during a
 * switch, which may be reading the save area of the coroutine that
 * sched->current already names.
 *
 * The signal is blocked while the handler runs, as usual, so ticks do not
 * nest. Before it yields, the handler unblocks it (one sigprocmask call per
 * preemption, not per tick): a coroutine suspended in the handler would
 * otherwise leave the signal blocked for every coroutine that runs
 * meanwhile. When the coroutine is resumed and the handler returns,
 * sigreturn puts back the mask the coroutine had. A tick that arrives
 * during the yield finds its pc in the library (the handler is CORO_TEXT)
 * and does nothing. SA_RESTART restarts the system calls that can be; a
 * thread blocked in one still gets a tick every quarter slice (the timer
 * counts wall time, as Go's sysmon does).
 */
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include "coro_internal.h"
#include "preempt.h"

#define TICKS_PER_SLICE 4
#define RETRY_NS        50000	/* a due preemption found in the vDSO is tried again this soon */
#define MAX_RETRIES     4	/* then at the next tick; a signal costs ~20 µs in a VM */

#if defined(__x86_64__)
#define CTX_RESUME(c)	((c)->rip)
#define UC_PC(uc)	((uintptr_t)(uc)->uc_mcontext.gregs[REG_RIP])
#define UC_SP(uc)	((uintptr_t)(uc)->uc_mcontext.gregs[REG_RSP])
#elif defined(__aarch64__)
#define CTX_RESUME(c)	((c)->pc)
#define UC_PC(uc)	((uintptr_t)(uc)->uc_mcontext.pc)
#define UC_SP(uc)	((uintptr_t)(uc)->uc_mcontext.sp)
#endif

/* From the linker: where the executable's own code starts and ends. */
extern const char __executable_start[], etext[];

struct preempt_thread {
	const struct coro_preempt_ops *ops;
	void *arg;
	timer_t timer;
	struct itimerspec period;	/* the tick */
	struct coro_ctx *stamped;	/* whose resume address carries the stamp */
	unsigned ticks_run;		/* ticks in a row the stamp survived */
	unsigned retries;		/* of the preemption due now */
	volatile unsigned long ticks, preemptions, deferred;
};

/* Per thread, no allocation: the handler reads it; the counters outlive stop. */
static __thread struct preempt_thread tls_pt;
static __thread volatile sig_atomic_t tls_on;

static pthread_once_t handler_once = PTHREAD_ONCE_INIT;
static int handler_err;
static uintptr_t vdso_lo, vdso_hi;	/* the vDSO's code, from its ELF header */
static sigset_t preempt_sigset;		/* just CORO_PREEMPT_SIGNAL */

/* The stamp: a resume address no switch ever saves. Resuming it is a bug. */
CORO_TEXT __attribute__((noreturn, used)) static void stamp_resumed(void)
{
	static const char msg[] = "coro: a coroutine was resumed from a preemption stamp; "
				  "this is a bug in workloads/coro/preempt.c, please report it\n";
	ssize_t ignored = write(2, msg, sizeof(msg) - 1);

	(void)ignored;
	abort();
}
#define STAMP ((uint64_t)(uintptr_t)stamp_resumed)

CORO_TEXT bool coro_preempt_pc_in_library(uintptr_t pc)
{
	return pc >= (uintptr_t)__start_coro_text && pc < (uintptr_t)__stop_coro_text;
}

CORO_TEXT static bool pc_in_vdso(uintptr_t pc)
{
	return pc >= vdso_lo && pc < vdso_hi;
}

/* The vDSO's loaded range: its program headers, relative to where the kernel mapped it. */
static void find_vdso(void)
{
	const ElfW(Ehdr) *eh = (const void *)getauxval(AT_SYSINFO_EHDR);
	const ElfW(Phdr) *ph;
	uintptr_t bias = 0;
	bool first = true;

	if (!eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
		return;
	ph = (const void *)((const char *)eh + eh->e_phoff);
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (first) {
			bias = (uintptr_t)eh - ph[i].p_vaddr;
			vdso_lo = bias + ph[i].p_vaddr;
			first = false;
		}
		if (bias + ph[i].p_vaddr + ph[i].p_memsz > vdso_hi)
			vdso_hi = bias + ph[i].p_vaddr + ph[i].p_memsz;
	}
}

CORO_TEXT bool coro_preempt_pc_safe(uintptr_t pc)
{
	return pc >= (uintptr_t)__executable_start && pc < (uintptr_t)etext &&
	       !coro_preempt_pc_in_library(pc);
}

CORO_TEXT static void on_tick(int sig, siginfo_t *si, void *ucv)
{
	struct preempt_thread *pt = &tls_pt;
	ucontext_t *uc = ucv;
	int saved_errno = errno;
	struct coro_ctx *ctx;
	uintptr_t pc;

	(void)sig;
	if (!tls_on || si->si_code != SI_TIMER)
		return;
	pt->ticks++;
	pc = UC_PC(uc);
	if (coro_preempt_pc_in_library(pc))
		goto out;	/* maybe mid-switch: touch no save area */
	ctx = pt->ops->running(pt->arg, UC_SP(uc));
	if (!ctx) {
		pt->stamped = NULL;
		goto out;
	}
	if (ctx == pt->stamped && CTX_RESUME(ctx) == STAMP) {
		pt->ticks_run++;
	} else {
		pt->stamped = ctx;
		pt->ticks_run = 0;
		pt->retries = 0;
		CTX_RESUME(ctx) = STAMP;
	}
	if (pt->ticks_run < TICKS_PER_SLICE)
		goto out;
	if (!coro_preempt_pc_safe(pc)) {
		pt->deferred++;
		if (pc_in_vdso(pc) && pt->retries++ < MAX_RETRIES) {
			/* out again in a moment: retry then, not a tick later */
			struct itimerspec soon = pt->period;

			soon.it_value.tv_sec = 0;
			soon.it_value.tv_nsec = RETRY_NS;
			timer_settime(pt->timer, 0, &soon, NULL);	/* async-signal-safe */
		}
		goto out;
	}
	pt->stamped = NULL;
	pt->ticks_run = 0;
	pt->retries = 0;
	/* counted first, so the coroutine that runs next sees it */
	pt->preemptions++;
	pthread_sigmask(SIG_UNBLOCK, &preempt_sigset, NULL);	/* for whoever runs next */
	if (!pt->ops->yield(pt->arg))
		pt->preemptions--;	/* nothing else to run: carry on */
	/* resumed, maybe on another thread (mn.h): pt is not ours any more */
out:
	errno = saved_errno;
}

static void install_handler(void)
{
	struct sigaction sa = { .sa_sigaction = on_tick, .sa_flags = SA_SIGINFO | SA_RESTART };

	sigemptyset(&sa.sa_mask);
	sigemptyset(&preempt_sigset);
	sigaddset(&preempt_sigset, CORO_PREEMPT_SIGNAL);
	find_vdso();
	handler_err = sigaction(CORO_PREEMPT_SIGNAL, &sa, NULL) ? errno : 0;
}

int coro_preempt_thread_start(const struct coro_preempt_ops *ops, void *arg, unsigned long slice_us)
{
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD_ID,
				.sigev_signo = CORO_PREEMPT_SIGNAL };
	struct preempt_thread *pt = &tls_pt;
	unsigned long long period_ns;

	if (!ops || !ops->running || !ops->yield || slice_us < CORO_PREEMPT_MIN_SLICE ||
	    slice_us > 3600ul * 1000 * 1000) {
		errno = EINVAL;
		return -1;
	}
	if (tls_on) {
		errno = EBUSY;
		return -1;
	}
	/* the handler is in place before the first timer exists */
	pthread_once(&handler_once, install_handler);
	if (handler_err) {
		errno = handler_err;
		return -1;
	}
	*pt = (struct preempt_thread){ .ops = ops, .arg = arg };
	sev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
	if (timer_create(CLOCK_MONOTONIC, &sev, &pt->timer))
		return -1;
	tls_on = 1;	/* before arming: the first tick finds its state */
	period_ns = (unsigned long long)slice_us * 1000 / TICKS_PER_SLICE;
	pt->period.it_interval.tv_sec = (time_t)(period_ns / 1000000000ull);
	pt->period.it_interval.tv_nsec = (long)(period_ns % 1000000000ull);
	pt->period.it_value = pt->period.it_interval;
	if (timer_settime(pt->timer, 0, &pt->period, NULL)) {
		int err = errno;

		tls_on = 0;
		timer_delete(pt->timer);
		errno = err;
		return -1;
	}
	return 0;
}

void coro_preempt_stop(void)
{
	if (!tls_on)
		return;
	timer_delete(tls_pt.timer);
	/* a signal the timer queued before it went is ignored when it arrives */
	tls_on = 0;
}

struct coro_preempt_stats coro_preempt_stats(void)
{
	return (struct coro_preempt_stats){ .ticks = tls_pt.ticks,
					    .preemptions = tls_pt.preemptions,
					    .deferred = tls_pt.deferred };
}

unsigned long coro_preempt_count(void)
{
	return tls_pt.preemptions;
}

/* ---- the one-thread scheduler of coro.h --------------------------------- */

CORO_TEXT static struct coro_ctx *sched_running(void *arg, uintptr_t sp)
{
	struct coro_sched *s = arg;
	struct coro *c = coro_tls_sched == s ? s->current : NULL;

	return c && stack_holds(&c->stack, sp) ? &c->ctx : NULL;
}

CORO_TEXT static bool sched_yield_op(void *arg)
{
	struct coro_sched *s = arg;

	if (!s->runq_head)
		return false;
	coro_yield();
	return true;
}

static const struct coro_preempt_ops sched_ops = { sched_running, sched_yield_op };

int coro_preempt_start(struct coro_sched *s, unsigned long slice_us)
{
	if (!s) {
		errno = EINVAL;
		return -1;
	}
	return coro_preempt_thread_start(&sched_ops, s, slice_us);
}
