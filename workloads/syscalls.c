// SPDX-License-Identifier: GPL-2.0
/*
 * syscalls — the price of a kernel crossing (lab 2): one thread makes one
 * kind of call in a loop, and each call is one "switch" (the unit the
 * harness counts): no thread changes, only the mode.
 *
 *   nowork         a reserved system call number, which the kernel enters,
 *                  finds no handler for and leaves with -ENOSYS: entry and
 *                  exit and nothing else (the one schedtrace calibrate times,
 *                  user/collect/calibrate.c)
 *   getppid        the classic null system call: entry, a few loads, exit
 *   clock-vdso     clock_gettime(CLOCK_MONOTONIC) through libc, which reads
 *                  the clock in the vDSO without entering the kernel (unless
 *                  the clocksource cannot be read from user space)
 *   clock-syscall  the same clock read as a real system call
 *
 * The system calls go through syscall(2), the same wrapper for all three,
 * so their differences are the kernel's. Each loop keeps its results (a
 * volatile sink), so no call is optimised away.
 */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "nowork.h"
#include "workload.h"

enum call { CALL_NOWORK, CALL_GETPPID, CALL_CLOCK_VDSO, CALL_CLOCK_SYSCALL, NR_CALLS };

static const char *const call_names[NR_CALLS + 1] = {
	[CALL_NOWORK] = "nowork", [CALL_GETPPID] = "getppid",
	[CALL_CLOCK_VDSO] = "clock-vdso", [CALL_CLOCK_SYSCALL] = "clock-syscall",
};

/* What one switch is, per call: the report's wording. */
static const char *const call_defs[NR_CALLS] = {
	[CALL_NOWORK] = "one system call that does no work (a reserved number, -ENOSYS): "
			"entering and leaving the kernel",
	[CALL_GETPPID] = "one getppid() system call",
	[CALL_CLOCK_VDSO] = "one clock_gettime(CLOCK_MONOTONIC) call through the vDSO "
			    "(libc; no system call)",
	[CALL_CLOCK_SYSCALL] = "one clock_gettime(CLOCK_MONOTONIC) system call "
			       "(syscall(SYS_clock_gettime), past the vDSO)",
};

/* -n default per call: a repeat of ~0.1-0.3 s on this 2-vCPU guest (the
 * system calls ~125-250 ns each, the vDSO read ~20-30 ns). */
static const long call_iterations[NR_CALLS] = {
	[CALL_NOWORK] = 1000000, [CALL_GETPPID] = 1000000,
	[CALL_CLOCK_VDSO] = 8000000, [CALL_CLOCK_SYSCALL] = 1000000,
};

static long opt_call = CALL_GETPPID;
static volatile long sink;

static int loop_nowork(void *arg, long n)
{
	long acc = 0;

	(void)arg;
	for (long i = 0; i < n; i++)
		acc += syscall(NOWORK_NR);
	sink = acc;
	return 0;
}

static int loop_getppid(void *arg, long n)
{
	long acc = 0;

	(void)arg;
	for (long i = 0; i < n; i++)
		acc += syscall(SYS_getppid);
	sink = acc;
	return 0;
}

static int loop_clock_vdso(void *arg, long n)
{
	struct timespec ts;
	long acc = 0;

	(void)arg;
	for (long i = 0; i < n; i++) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		acc += ts.tv_nsec;
	}
	sink = acc;
	return 0;
}

static int loop_clock_syscall(void *arg, long n)
{
	struct timespec ts;
	long acc = 0;

	(void)arg;
	for (long i = 0; i < n; i++) {
		syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
		acc += ts.tv_nsec;
	}
	sink = acc;
	return 0;
}

static const wl_loop_fn call_loops[NR_CALLS] = {
	[CALL_NOWORK] = loop_nowork, [CALL_GETPPID] = loop_getppid,
	[CALL_CLOCK_VDSO] = loop_clock_vdso, [CALL_CLOCK_SYSCALL] = loop_clock_syscall,
};

/* Each kind once, checked: a number that is not reserved here would time real work. */
static void check_call(void)
{
	struct timespec ts;

	switch (opt_call) {
	case CALL_NOWORK:
		if (syscall(NOWORK_NR) != -1 || errno != ENOSYS)
			wl_die("system call %d is not a reserved number on this kernel (it did not "
			       "return -ENOSYS); use --call getppid", NOWORK_NR);
		break;
	case CALL_GETPPID:
		if (syscall(SYS_getppid) < 0)
			wl_die("getppid failed (%s); please report it", strerror(errno));
		break;
	case CALL_CLOCK_VDSO:
		if (clock_gettime(CLOCK_MONOTONIC, &ts))
			wl_die("clock_gettime failed (%s); please report it", strerror(errno));
		break;
	default:
		if (syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts))
			wl_die("the clock_gettime system call failed (%s); please report it",
			       strerror(errno));
	}
}

static int body(struct wl_run *run)
{
	pid_t tid = wl_gettid();

	if (wl_pin_self(wl_cpu(run, 0)))
		wl_die("cannot pin to CPU %d; pick another with -C", wl_cpu(run, 0));
	check_call();
	wl_report_tids(run, &tid, 1);
	wl_report(run, "call", "%s", call_names[opt_call]);
	if (opt_call != CALL_CLOCK_VDSO)
		wl_report(run, "syscall_nr", "%ld",
			  opt_call == CALL_NOWORK ? (long)NOWORK_NR
			  : opt_call == CALL_GETPPID ? (long)SYS_getppid : (long)SYS_clock_gettime);
	return wl_measure(run, call_loops[opt_call], NULL);
}

static const char *switch_def_of(void)
{
	return call_defs[opt_call];
}

static long iterations_of(void)
{
	return call_iterations[opt_call];
}

static struct wl_option options[] = {
	{ .name = "call", .arg = "KIND", .help = "what one call is", .min = 0, .max = NR_CALLS - 1,
	  .value = &opt_call, .choices = call_names },
	{ 0 },
};

static const struct wl_spec spec = {
	.name = "syscalls",
	.switch_def = "one call of the kind --call picks (by default one getppid() system call); "
		      "no thread changes",
	.details = "The price of a kernel crossing. One thread calls one kind of call in a loop;\n"
		   "each call counts as one switch. --call nowork: a reserved system call number\n"
		   "(-ENOSYS, entry and exit only); getppid: a null system call; clock-vdso:\n"
		   "clock_gettime(CLOCK_MONOTONIC) through libc and the vDSO, no kernel entry;\n"
		   "clock-syscall: the same clock read as a real system call. -n defaults to\n"
		   "1000000, and 8000000 for clock-vdso.",
	.switches_per_iter = 1,
	.round_trips_per_iter = 0,
	.sides = 1,
	.default_iterations = 1000000,
	.default_warmup = 10000,
	.default_repeats = 5,
	.options = options,
	.switch_def_of = switch_def_of,
	.iterations_of = iterations_of,
};

int main(int argc, char **argv)
{
	return wl_main(&spec, argc, argv, body);
}
