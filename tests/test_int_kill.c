// SPDX-License-Identifier: GPL-2.0
/*
 * test_int_kill.c — kill -9 of schedtrace leaves nothing behind (root + BPF).
 * Each round starts schedtrace, waits for a point of its life, kills it with
 * SIGKILL (no handler runs) and then checks, within 2 s:
 *   - no process of it remains: none of its descendants seen before the kill,
 *     and nothing in the workload's process group (zombies waiting for init
 *     to reap them count as gone: they hold no CPU, no memory, no BPF);
 *   - no BPF object of it remains: programs, links, .rodata maps carrying its
 *     pid (user/collect/bpf_census.c), nothing pinned.
 * The points, in turn: right after the workload is forked; inside the
 * timeline's window (--perfetto); among many short repeats (a kill near a
 * gate, between repeats); while `trace -- COMMAND` runs; a pipe workload,
 * whose second process is not schedtrace's child.
 *
 * SCHEDTRACE_KILL_ROUNDS=N sets the number of rounds (default 6, bench/kill9.sh
 * runs 20); SCHEDTRACE_KILL_SEED the random seed (printed). ~1-2 s a round.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "bpf_census.h"
#include "calibrate.h"
#include "testutil.h"

#define MAX_PIDS 256

struct proc {
	pid_t pid, ppid, pgrp;
	char state;
};

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* /proc/PID/stat: state, ppid, pgrp (the comm may hold spaces and parentheses: parse after the last ')') */
static bool read_proc(pid_t pid, struct proc *p)
{
	char path[64], buf[1024], *rp;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	rp = strrchr(buf, ')');
	if (!rp || sscanf(rp + 1, " %c %d %d", &p->state, &p->ppid, &p->pgrp) != 3)
		return false;
	p->pid = pid;
	return true;
}

/* Every process now, into ps (at most max); returns how many. */
static int all_procs(struct proc *ps, int max)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) && n < max) {
		pid_t pid = atoi(e->d_name);

		if (pid > 0 && read_proc(pid, &ps[n]))
			n++;
	}
	closedir(d);
	return n;
}

/* Descendants of root (not root itself) into out; returns how many. */
static int descendants(pid_t root, pid_t *out, int max)
{
	static struct proc ps[32768];
	int n = all_procs(ps, 32768), k = 0;
	bool grew = true;

	while (grew) {
		grew = false;
		for (int i = 0; i < n; i++) {
			bool known = false, parent_in = ps[i].ppid == root;

			for (int j = 0; j < k; j++) {
				known |= out[j] == ps[i].pid;
				parent_in |= out[j] == ps[i].ppid;
			}
			if (!known && parent_in && k < max) {
				out[k++] = ps[i].pid;
				grew = true;
			}
		}
	}
	return k;
}

/* A live (not zombie) process that is one of pids, or in process group pgrp (> 0). */
static pid_t survivor(const pid_t *pids, int n, pid_t pgrp)
{
	static struct proc ps[32768];
	int np = all_procs(ps, 32768);

	for (int i = 0; i < np; i++) {
		if (ps[i].state == 'Z' || ps[i].state == 'X')
			continue;
		if (pgrp > 0 && ps[i].pgrp == pgrp)
			return ps[i].pid;
		for (int j = 0; j < n; j++)
			if (ps[i].pid == pids[j])
				return ps[i].pid;
	}
	return 0;
}

static pid_t start(char *const argv[])
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* Waits (bounded) until cond(pid) holds: 1; 0 on timeout; -1 when pid ended (reaped, *status). */
static int wait_for(pid_t pid, bool (*cond)(pid_t), long timeout_ms, int *status)
{
	long end = now_ms() + timeout_ms;

	while (now_ms() < end) {
		if (waitpid(pid, status, WNOHANG) == pid)
			return -1;
		if (cond(pid))
			return 1;
		sleep_ms(2);
	}
	return 0;
}

static bool has_child(pid_t pid)
{
	pid_t d[4];

	return descendants(pid, d, 4) > 0;
}

static bool has_programs(pid_t pid)
{
	struct st_census c;

	return st_census_take(pid, &c) == 0 && c.progs > 0 && c.links > 0;
}

enum point { AFTER_LAUNCH, IN_TIMELINE, AMONG_REPEATS, IN_TRACE, PIPE_WORKLOAD, NR_POINTS };
static const char *const point_name[] = { "after launch", "in the timeline window", "among short repeats",
					  "in trace -- COMMAND", "pipe workload (two processes)" };

static char tl_path[64];

/* The command line of a round at point p. */
static void argv_for(enum point p, char **argv)
{
	static char bin[4096], futex[4096];
	int n = 0;

	snprintf(bin, sizeof(bin), "%s", testutil_bin("schedtrace"));
	snprintf(futex, sizeof(futex), "%s", testutil_bin("workloads/futex"));
	argv[n++] = bin;
	switch (p) {
	case AFTER_LAUNCH:
		argv[n++] = "run", argv[n++] = "pthread", argv[n++] = "-n", argv[n++] = "2000000";
		break;
	case IN_TIMELINE:
		argv[n++] = "run", argv[n++] = "pthread", argv[n++] = "-n", argv[n++] = "1000000";
		argv[n++] = "--light", argv[n++] = "--perfetto", argv[n++] = tl_path;
		break;
	case AMONG_REPEATS:
		argv[n++] = "run", argv[n++] = "futex", argv[n++] = "-n", argv[n++] = "2000";
		argv[n++] = "-r", argv[n++] = "64";
		break;
	case IN_TRACE:
		argv[n++] = "trace", argv[n++] = "--", argv[n++] = futex, argv[n++] = "-n";
		argv[n++] = "100000000", argv[n++] = "-w", argv[n++] = "0", argv[n++] = "-r", argv[n++] = "1";
		break;
	case PIPE_WORKLOAD:
		argv[n++] = "run", argv[n++] = "pipe", argv[n++] = "-n", argv[n++] = "2000000";
		break;
	default:
		break;
	}
	argv[n] = NULL;
}

struct result {
	int rounds, orphans, leftover_objects, missed;
	long worst_clean_ms;
};

static void one_round(int round, enum point p, unsigned *seed, struct result *res)
{
	char *argv[24];
	pid_t pid, desc[MAX_PIDS], pgrp = 0, left = 0;
	struct st_census c = { 0 };
	int nd, status, e = 0;
	long delay, t_kill, t_clean = -1;
	int reached;

	argv_for(p, argv);
	pid = start(argv);
	/* the point: the workload forked (after launch), or our programs attached, then a random delay */
	reached = wait_for(pid, p == AFTER_LAUNCH ? has_child : has_programs, 10000, &status);
	if (reached < 0) {
		print_message("[   INFO   ] kill %2d: %s: schedtrace ended by itself first (status 0x%x)\n", round + 1,
			      point_name[p], status);
		res->rounds++;
		res->missed++;
		return;
	}
	switch (p) {
	case AFTER_LAUNCH: delay = rand_r(seed) % 40; break;
	case IN_TIMELINE: delay = 300 + rand_r(seed) % 1500; break; /* the window is ~10 s */
	case AMONG_REPEATS: delay = 20 + rand_r(seed) % 400; break;	/* 64 repeats of ~10 ms, gates between */
	default: delay = 100 + rand_r(seed) % 1000; break;
	}
	if (reached > 0)
		sleep_ms(delay);
	nd = descendants(pid, desc, MAX_PIDS);
	for (int i = 0; i < nd; i++) {
		struct proc pr;

		/* the workload leads its own process group; trace's command stays in ours */
		if (read_proc(desc[i], &pr) && pr.ppid == pid && pr.pgrp == desc[i])
			pgrp = desc[i];
	}
	kill(pid, SIGKILL);
	t_kill = now_ms();
	assert_int_equal(waitpid(pid, &status, 0), pid);
	/* up to 2 s for the kernel: SIGKILL delivery to the children, RCU freeing the programs */
	while (now_ms() - t_kill < 2000) {
		left = survivor(desc, nd, pgrp);
		e = st_census_take(pid, &c);
		assert_int_equal(e, 0);
		if (!left && !st_census_total(&c)) {
			t_clean = now_ms() - t_kill;
			break;
		}
		sleep_ms(5);
	}
	print_message("[   INFO   ] kill %2d: %-30s %s +%4ld ms, %d descendant%s%s: %s (%ld ms)\n", round + 1,
		      point_name[p], reached > 0 ? "reached," : "NOT reached,", delay, nd, nd == 1 ? "" : "s",
		      pgrp ? "" : " (no workload group)",
		      t_clean >= 0 ? "nothing left" : "LEFT BEHIND", t_clean >= 0 ? t_clean : 2000);
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
		res->missed++; /* it ended on its own before the kill: the round proves nothing */
	res->rounds++;
	if (left) {
		res->orphans++;
		print_message("[   INFO   ] survivor: pid %d\n", (int)left);
		kill(left, SIGKILL);
	}
	if (st_census_total(&c)) {
		res->leftover_objects += st_census_total(&c);
		print_message("[   INFO   ] left: %d programs, %d links, %d maps, %d pinned\n", c.progs, c.links,
			      c.maps, c.pinned);
	}
	if (t_clean > res->worst_clean_ms)
		res->worst_clean_ms = t_clean;
	unlink(tl_path);
}

static void test_kill9_leaves_nothing(void **state)
{
	const char *r = getenv("SCHEDTRACE_KILL_ROUNDS"), *s = getenv("SCHEDTRACE_KILL_SEED");
	int rounds = r && atoi(r) > 0 ? atoi(r) : 6;
	unsigned seed = s && *s ? (unsigned)strtoul(s, NULL, 10) : (unsigned)time(NULL);
	struct result res = { 0 };
	struct st_calibration cal;
	char err[512];

	(void)state;
	require_bpf();
	/* a cached calibration, so that the points are reached in seconds, not after calibrating */
	if (st_calibration_get(&cal, false, NULL, err, sizeof(err)))
		fail_msg("calibration: %s", err);
	snprintf(tl_path, sizeof(tl_path), "/tmp/st-int-kill-%d.json", (int)getpid());
	print_message("[   INFO   ] %d rounds, seed %u (SCHEDTRACE_KILL_SEED=%u repeats them)\n", rounds, seed, seed);
	for (int i = 0; i < rounds; i++)
		one_round(i, (enum point)(i % NR_POINTS), &seed, &res);
	print_message("[   INFO   ] kill -9: %d rounds, %d with orphans, %d BPF objects left, %d ended before the "
		      "kill; slowest clean-up %ld ms\n",
		      res.rounds, res.orphans, res.leftover_objects, res.missed, res.worst_clean_ms);
	assert_int_equal(res.orphans, 0);
	assert_int_equal(res.leftover_objects, 0);
	assert_int_equal(res.missed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kill9_leaves_nothing),
	};

	return cmocka_run_group_tests_name("int_kill", tests, NULL, NULL);
}
