// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_trace.c — `schedtrace trace (-p PID | -- COMMAND...)`: trace any
 * program, all its threads (and with -f the processes it forks), over one
 * window: the command's whole run, or until Ctrl-C, -d or the process exits.
 * Switches are the kernel's (st_attribute with no workload count).
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "attribute.h"
#include "calibrate.h"
#include "cgroup.h"
#include "cmd.h"
#include "machine.h"
#include "report.h"
#include "run.h"
#include "trace_target.h"
#include "tracer.h"

#define MAX_CPUS 1024
#define GRACE_MS 2000 /* a command we started: SIGTERM, then SIGKILL after this */

struct trace_opts {
	pid_t pid;		/* -p, 0 when a command is given */
	char **cmd;		/* NULL-terminated, NULL with -p */
	double seconds;		/* -d, 0: no limit */
	bool follow;		/* -f */
	bool light;		/* --light: scheduler view only, no syscall hooks */
	bool recalibrate;
	int cpus[MAX_CPUS];
	int nr_cpus;
	struct st_outputs outs;
	const char *cgroup;	/* --cgroup, NULL without */
	struct st_cgroup cg;	/* ... resolved */
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: schedtrace trace -p PID [-d SECONDS] [-f] [-C CPUS] [--light] [--json F] [--csv F] [--html F]\n"
		"       schedtrace trace [-d SECONDS] [-f] [-C CPUS] [--light] [--json F] ... -- COMMAND [ARGS...]\n"
		"       schedtrace trace --cgroup DIR [-d SECONDS] [-C CPUS] [--light] [--json F] ...\n\n"
		"Traces any program with eBPF and says where its time goes around context switches:\n"
		"all its threads, including the ones it creates while traced.\n\n"
		"  -p PID          a running process (a thread id means its process); detaching\n"
		"                  leaves it running, untouched\n"
		"  -- COMMAND      start COMMAND held until the probes are attached, then run it;\n"
		"                  the window is its whole run\n"
		"  -d SECONDS      end the window after SECONDS (e.g. 5 or 0.5); a COMMAND started\n"
		"                  here then gets SIGTERM (SIGKILL 2 s later), a -p process is left\n"
		"  -f              also follow the processes it forks (default: the process only)\n"
		"  --cgroup DIR    every task of this cgroup v2 and of the groups below it, those\n"
		"                  that join or start later included (a container's tasks); the\n"
		"                  window ends at -d, on Ctrl-C, or when the group is removed\n"
		"  -C CPUS         the CPUs whose time is split, e.g. 0 or 0-3,6 (default: all online)\n"
		"  --light         scheduler view only (switches, waits, wake-ups, CPU time): no\n"
		"                  syscall hooks and no sched_waking, so a live program slows down\n"
		"                  less; syscall time then shows as user time, and which CPU woke\n"
		"                  a thread is not traced\n"
		"  --json/--csv/--html F   also write the trace to F\n"
		"  --recalibrate   measure the calibration again instead of using the cached one\n\n"
		"Switches are counted from the kernel's side (switch-outs of the traced threads):\n"
		"there is no workload count, so \"per switch\" means per kernel switch, and the CPU\n"
		"time is that of the traced CPUs over the whole window, other programs included.\n"
		"The window ends when the process exits, at -d, or on Ctrl-C / SIGTERM (then the\n"
		"report is printed; a COMMAND started here gets the same signal).\n"
		"Needs root (or CAP_BPF+CAP_PERFMON). Exit: 0 traced (whatever the command's own\n"
		"status, which the report gives), 1 runtime failure (no such process, command not\n"
		"found), 2 usage error.\n");
}

/* Strict positive seconds with an optional fraction: "5", "0.25". */
static int parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !(v > 0) || v > 1e7)
		return -1;
	*out = v;
	return 0;
}

/* Parses argv into o; returns -1 when it asked for help, else an exit status (0: go on). */
static int parse(int argc, char **argv, struct trace_opts *o)
{
	const char *cpus = NULL, *pid = NULL, *dur = NULL;
	char err[1024];

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **val = NULL;

		if (!strcmp(a, "--") || a[0] != '-') {
			o->cmd = &argv[i + !strcmp(a, "--")];
			break;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return -1;
		} else if (!strcmp(a, "-f")) {
			o->follow = true;
			continue;
		} else if (!strcmp(a, "--recalibrate")) {
			o->recalibrate = true;
			continue;
		} else if (!strcmp(a, "--light")) {
			o->light = true;
			continue;
		} else if (!strcmp(a, "-p")) {
			val = &pid;
		} else if (!strcmp(a, "-d")) {
			val = &dur;
		} else if (!strcmp(a, "-C")) {
			val = &cpus;
		} else if (!strcmp(a, "--cgroup")) {
			val = &o->cgroup;
		} else if ((val = st_outputs_slot(&o->outs, a, 0))) {
			/* a file to write */
		} else {
			return st_fail(ST_EXIT_USAGE, "trace: unknown option '%s'; try schedtrace trace -h", a);
		}
		if (i + 1 >= argc)
			return st_fail(ST_EXIT_USAGE, "trace: %s needs a value; try schedtrace trace -h", a);
		*val = argv[++i];
	}
	if (o->cmd && !o->cmd[0])
		return st_fail(ST_EXIT_USAGE, "trace: no command after --; e.g. schedtrace trace -- ls -l");
	if (pid && o->cmd)
		return st_fail(ST_EXIT_USAGE, "trace: give -p PID or a command, not both");
	if (o->cgroup && (pid || o->cmd))
		return st_fail(ST_EXIT_USAGE, "trace: --cgroup traces a whole group: give it without -p or a command");
	if (o->cgroup && o->follow)
		return st_fail(ST_EXIT_USAGE, "trace: --cgroup already follows every process of the group: drop -f");
	if (!pid && !o->cmd && !o->cgroup)
		return st_fail(ST_EXIT_USAGE,
			       "trace: what to trace? give -p PID, --cgroup DIR or -- COMMAND [ARGS]; try schedtrace trace -h");
	if (o->cgroup && st_cgroup_resolve(o->cgroup, &o->cg, err, sizeof(err)))
		return st_fail(ST_EXIT_USAGE, "trace: %s", err);
	if (pid) {
		long v;

		if (st_parse_long(pid, 1, 0x3fffffff, &v))
			return st_fail(ST_EXIT_USAGE, "trace: bad PID '%s': give a process id, e.g. -p 1234", pid);
		o->pid = (pid_t)v;
	}
	if (st_outputs_check(&o->outs, err, sizeof(err)))
		return st_fail(ST_EXIT_USAGE, "trace: %s", err);
	if (dur && parse_seconds(dur, &o->seconds))
		return st_fail(ST_EXIT_USAGE, "trace: bad duration -d '%s': give seconds above 0, e.g. -d 5 or -d 0.5",
			       dur);
	if (cpus) {
		int online[MAX_CPUS], nr_online = st_online_cpus(online, MAX_CPUS);

		if (st_parse_cpu_list(cpus, o->cpus, MAX_CPUS, &o->nr_cpus, err, sizeof(err)))
			return st_fail(ST_EXIT_USAGE, "trace: %s", err);
		for (int i = 0; i < o->nr_cpus; i++) {
			bool on = false;

			for (int k = 0; k < nr_online; k++)
				on |= online[k] == o->cpus[i];
			if (!on)
				return st_fail(ST_EXIT_USAGE, "trace: CPU %d in -C %s is not online (see lscpu)",
					       o->cpus[i], cpus);
		}
	} else {
		o->nr_cpus = st_online_cpus(o->cpus, MAX_CPUS);
		if (!o->nr_cpus)
			return st_fail(ST_EXIT_FAIL, "trace: cannot tell which CPUs are online; give them with -C");
	}
	return 0;
}

/* The line above the report: what was traced, where, how long, and how it ended. */
static void intro(FILE *f, const struct trace_opts *o, const struct st_target *t, pid_t pid,
		  const struct st_run *run, const char *ended)
{
	if (o->cgroup)
		fprintf(f, "schedtrace trace: cgroup %s (id %llu), every task in it and in the groups below it,\n"
			   "those that joined later included, on CPU%s %s, %.2f s %s.\n",
			o->cg.path, (unsigned long long)o->cg.id, strpbrk(run->cpus, ",-") ? "s" : "", run->cpus,
			run->summary.window_ns / 1e9, ended);
	else
		fprintf(f, "schedtrace trace: %s (pid %d), all its threads%s, on CPU%s %s, %.2f s %s.\n",
			t->name, (int)pid, o->follow ? " and the processes it forks" : "",
			strpbrk(run->cpus, ",-") ? "s" : "", run->cpus, run->summary.window_ns / 1e9, ended);
	fprintf(f, "Switches are counted from the kernel's side: each switch-out of a traced thread is\n"
		   "one. \"Per switch\" below is per kernel switch, and the CPU-time parts split the\n"
		   "traced CPUs' whole window, other programs' time included.\n\n");
}

/* --cgroup: waits until the group is removed (1), *stop is set or timeout_ms has passed (0; < 0: none). */
static int wait_cgroup(const struct st_cgroup *cg, long timeout_ms, volatile sig_atomic_t *stop)
{
	struct timespec slice = { 0, 100 * 1000000L }, t0, now;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (!st_cgroup_alive(cg))
			return 1;
		if (*stop)
			return 0;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (timeout_ms >= 0 &&
		    (now.tv_sec - t0.tv_sec) * 1000L + (now.tv_nsec - t0.tv_nsec) / 1000000L >= timeout_ms)
			return 0;
		nanosleep(&slice, NULL); /* a signal cuts it short */
	}
}

int cmd_trace(int argc, char **argv)
{
	static struct trace_opts o;
	static struct st_run run;
	struct st_snapshot *before = NULL, *after = NULL;
	struct st_tracer *tracer = NULL;
	struct st_target t = { .pid = -1, .go_fd = -1, .exec_fd = -1, .pidfd = -1 };
	const struct st_calibration *cal = NULL;
	char err[1024], ended[128];
	const char *why;
	bool exited_in_window, removed = false;
	pid_t traced_pid;
	int e, rc = ST_EXIT_FAIL;

	memset(&o, 0, sizeof(o));
	memset(&run, 0, sizeof(run));
	e = parse(argc, argv, &o);
	if (e)
		return e < 0 ? ST_EXIT_OK : e;
	if ((why = st_tracer_missing()))
		return st_fail(ST_EXIT_FAIL, "%s", why);

	st_install_signals(); /* before anything it must undo is started */
	e = st_calibration_get(&run.cal, o.recalibrate, &st_exiting, err, sizeof(err));
	if (e == -EINTR || st_exiting)
		return 128 + (st_exiting ? st_exiting : SIGINT);
	if (e) {
		st_fail(0, "trace: no calibration (%s); mode switch and tracer shares are left out", err);
	} else {
		cal = &run.cal;
		/* the host drifts within the hour the calibration serves: this trace's own mode switch */
		st_calibration_rescale(&run.cal, st_nowork_syscall_now(o.nr_cpus ? o.cpus[0] : sched_getcpu()));
	}
	st_machine_read(&run.machine);
	before = calloc(1, sizeof(*before));
	after = calloc(1, sizeof(*after));
	if (!before || !after) {
		st_fail(0, "trace: out of memory");
		goto out;
	}

	if (o.cgroup) {
		const char *base = strrchr(o.cg.path, '/');

		snprintf(t.name, sizeof(t.name), "%.*s", (int)sizeof(t.name) - 1, base && base[1] ? base + 1 : o.cg.path);
		e = 0;
	} else {
		e = o.cmd ? st_target_spawn(&t, o.cmd, err, sizeof(err)) : st_target_attach(&t, o.pid, err, sizeof(err));
	}
	if (e) {
		st_fail(0, "trace: %s", err);
		goto out;
	}
	traced_pid = o.cgroup ? 0 : t.pid;
	{
		struct st_tracer_opts to = {
			.tgid = o.cgroup ? 0 : t.pid,
			.cgroup_id = o.cgroup ? o.cg.id : 0,
			.cgroup_level = o.cg.level,
			.follow = o.follow,
			.no_syscalls = o.light,
			.cpus = o.cpus,
			.nr_cpus = o.nr_cpus,
		};

		e = st_tracer_start(&tracer, &to, err, sizeof(err));
	}
	if (e) {
		st_fail(0, "%s", err);
		goto out;
	}
	st_tracer_describe(tracer, &run);
	if ((e = st_tracer_snapshot_edge(tracer, before, true))) {
		st_fail(0, "trace: reading the BPF counters failed: %s", strerror(-e));
		goto out;
	}
	if ((e = st_target_go(&t, err, sizeof(err)))) {
		st_fail(0, "trace: %s", err);
		goto out;
	}

	if (o.cgroup)
		removed = wait_cgroup(&o.cg, o.seconds > 0 ? (long)(o.seconds * 1000 + 0.5) : -1, &st_exiting);
	else
		st_target_wait(&t, o.seconds > 0 ? (long)(o.seconds * 1000 + 0.5) : -1, &st_exiting);
	if ((e = st_tracer_snapshot(tracer, after))) {
		st_fail(0, "trace: reading the BPF counters failed: %s", strerror(-e));
		goto out;
	}
	st_tracer_stop(tracer); /* detach first: whatever happens next, nothing of ours stays loaded */
	tracer = NULL;

	exited_in_window = t.exited;
	if (removed)
		snprintf(ended, sizeof(ended), "until the group was removed");
	else if (t.exited)
		snprintf(ended, sizeof(ended), "until it exited");
	else if (st_exiting)
		snprintf(ended, sizeof(ended), "until %s", st_exiting == SIGINT ? "Ctrl-C" : "SIGTERM");
	else
		snprintf(ended, sizeof(ended), "(-d %g)", o.seconds);
	/* a command we started: the same signal (or SIGTERM at -d), then reaped */
	st_target_end(&t, st_exiting ? st_exiting : SIGTERM, GRACE_MS);
	if (o.cmd) {
		size_t n = strlen(ended);

		if (WIFEXITED(t.status))
			snprintf(ended + n, sizeof(ended) - n,
				 exited_in_window ? " (exit status %d)" : "; the command then exited with status %d",
				 WEXITSTATUS(t.status));
		else if (WIFSIGNALED(t.status))
			snprintf(ended + n, sizeof(ended) - n,
				 exited_in_window ? " (killed by signal %d)" : "; the command then ended on signal %d",
				 WTERMSIG(t.status));
	}

	st_attribute(before, after, NULL, o.nr_cpus, cal, &run.summary);
	snprintf(run.workload, sizeof(run.workload), "%s", t.name);
	st_fmt_cpu_list(run.cpus, sizeof(run.cpus), o.cpus, o.nr_cpus);
	run.traced = run.complete = true;
	run.light = o.light;
	snprintf(run.result.name, sizeof(run.result.name), "%s", t.name);
	run.result.complete = true;
	run.result.nr_tids = 1;
	run.result.tids[0] = traced_pid;
	run.nr_repeats = 1;
	run.repeat[0] = run.summary;

	intro(stdout, &o, &t, traced_pid, &run, ended);
	st_report_text(stdout, &run);
	fflush(stdout);
	rc = st_outputs_write(&o.outs, &run, 1) ? ST_EXIT_FAIL : ST_EXIT_OK;
out:
	st_tracer_stop(tracer);
	st_target_end(&t, SIGKILL, 0); /* only a started command still held or running; -p is left */
	free(before);
	free(after);
	return rc;
}
