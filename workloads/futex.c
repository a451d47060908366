// SPDX-License-Identifier: GPL-2.0
/*
 * futex — two threads ping-pong a turn word with raw futex wait and wake:
 * the floor of a kernel thread switch (no mutex, no condvar, one wake and
 * one wait per hand-off).
 *
 * Side A (the main thread) drives the windows. At a gate the turn is A's, so
 * side B is parked in FUTEX_WAIT for its next turn.
 *
 * --competitor-nice N (lab 6, waiting in line): a CPU hog at nice N shares
 * side A's CPU for the whole run, so a thread the other side wakes, or one
 * the hog's presence preempts, waits in the run queue behind it. The hog is
 * a forked process, not a thread: the collector traces the workload's whole
 * process (its tgid) and follows what it forks, so the workload names the
 * hog (competitor_pid=, before the first gate) and the collector stops
 * following it; its CPU time then shows as other tasks, and only the two
 * ping-pong threads' waits are timed. It spins on pure computation (no
 * system calls), started before the warm-up and killed after the last
 * window; it dies with the workload (PR_SET_PDEATHSIG) too.
 */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "workload.h"

enum { TURN_A, TURN_B };

struct pingpong {
	int turn;		/* the futex word */
	long b_iterations;
};

static void futex_wait(int *word, int val)
{
	if (syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0) &&
	    errno != EAGAIN && errno != EINTR)
		wl_die("FUTEX_WAIT failed (%s); the kernel refused a plain futex, please report it",
		       strerror(errno));
}

static void futex_wake(int *word)
{
	if (syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) < 0)
		wl_die("FUTEX_WAKE failed (%s); the kernel refused a plain futex, please report it",
		       strerror(errno));
}

/* Hand the turn to the other side, wake it, sleep until the turn is back. */
static void hand_over(struct pingpong *p, int mine)
{
	__atomic_store_n(&p->turn, 1 - mine, __ATOMIC_RELEASE);
	futex_wake(&p->turn);
	while (__atomic_load_n(&p->turn, __ATOMIC_ACQUIRE) != mine)
		futex_wait(&p->turn, 1 - mine);
}

static void *side_b(void *arg)
{
	struct pingpong *p = arg;

	while (__atomic_load_n(&p->turn, __ATOMIC_ACQUIRE) != TURN_B)
		futex_wait(&p->turn, TURN_A);
	for (long i = 0; i < p->b_iterations - 1; i++)
		hand_over(p, TURN_B);
	/* the last hand-off: give the turn back and leave */
	__atomic_store_n(&p->turn, TURN_A, __ATOMIC_RELEASE);
	futex_wake(&p->turn);
	return NULL;
}

static int side_a(void *arg, long n)
{
	struct pingpong *p = arg;

	for (long i = 0; i < n; i++)
		hand_over(p, TURN_A);
	return 0;
}

static long opt_competitor_nice = -1;	/* --competitor-nice; -1: no competitor */

/* The competitor's whole life: computing, no system call, until it is killed. */
static volatile uint64_t compete_sink;	/* so the computation is not optimised away */

static void __attribute__((noreturn)) compete(void)
{
	uint64_t x = 1;

	for (;;) {
		for (int i = 0; i < 1024; i++)
			x = x * 6364136223846793005ull + 1442695040888963407ull;
		compete_sink = x;
	}
}

/* Forks the CPU hog onto side A's CPU at nice N (the caller is pinned there). */
static pid_t start_competitor(int cpu, int nice)
{
	pid_t parent = getpid(), pid = fork();

	if (pid < 0)
		wl_die("cannot fork the competitor (%s)", strerror(errno));
	if (pid == 0) {
		/* dies with the workload's main thread, even when it was already gone */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
			_exit(1);
		prctl(PR_SET_NAME, "competitor");
		if (wl_pin_self(cpu))
			_exit(1);
		compete();
	}
	if (setpriority(PRIO_PROCESS, (id_t)pid, nice)) {
		int e = errno;

		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		wl_die("cannot set the competitor's nice to %d (%s); a nice below this process's "
		       "own needs root or CAP_SYS_NICE: pick a higher --competitor-nice", nice,
		       strerror(e));
	}
	return pid;
}

static void stop_competitor(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

static int body(struct wl_run *run)
{
	static struct pingpong p = { .turn = TURN_A };
	struct wl_thread b;
	pid_t tids[2], competitor = 0;
	int failed;

	p.b_iterations = wl_total_iterations(run);
	if (wl_pin_self(wl_cpu(run, 0)))
		wl_die("cannot pin to CPU %d; pick another with -C", wl_cpu(run, 0));
	/* before the second thread: the fork copies one thread */
	if (opt_competitor_nice >= 0)
		competitor = start_competitor(wl_cpu(run, 0), (int)opt_competitor_nice);
	if (wl_thread_start(&b, wl_cpu(run, 1), side_b, &p))
		wl_die("cannot start the second thread on CPU %d; pick another with -C",
		       wl_cpu(run, 1));
	tids[0] = wl_gettid();
	tids[1] = b.tid;
	wl_report_tids(run, tids, 2);
	wl_report(run, "futex_word", "%p", (void *)&p.turn);
	if (competitor) {
		wl_report(run, "competitor_nice", "%ld", opt_competitor_nice);
		wl_report(run, "competitor_pid", "%d", (int)competitor);
	}

	failed = wl_measure(run, side_a, &p);
	wl_thread_join(&b);
	stop_competitor(competitor);
	return failed;
}

static struct wl_option options[] = {
	{ .name = "competitor-nice", .arg = "N", .help = "add a CPU hog at nice N on side A's CPU",
	  .min = 0, .max = 19, .value = &opt_competitor_nice },
	{ 0 },
};

static const struct wl_spec spec = {
	.name = "futex",
	.switch_def = "one turn handed to the other thread with FUTEX_WAKE, the giver then "
		      "sleeping in FUTEX_WAIT (raw futex, no mutex or condvar)",
	.details = "Two threads share one turn word. Each hand-off is one FUTEX_WAKE by the giver\n"
		   "and one FUTEX_WAIT return in the taker: the floor of a kernel thread switch.\n"
		   "Side A is the main thread, side B a second thread; -C 0,1 puts them on two CPUs.\n"
		   "--competitor-nice N adds a CPU hog at nice N (0-19) on side A's CPU for the\n"
		   "whole run: a process of its own that computes without system calls, not a\n"
		   "thread of the ping-pong, so a trace shows it as other tasks (competitor_pid=\n"
		   "tells the collector to stop following it) and times the threads' waits for\n"
		   "the CPU behind it.",
	.switches_per_iter = 2,
	.round_trips_per_iter = 1,
	.sides = 2,
	.default_iterations = 20000,
	.default_warmup = 2000,
	.default_repeats = 5,
	.options = options,
};

int main(int argc, char **argv)
{
	return wl_main(&spec, argc, argv, body);
}
