// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_trace.c — `schedtrace trace (-p PID | --cgroup DIR | -- COMMAND...)`:
 * parse, trace one window (user/collect/trace.c), print. Switches are the
 * kernel's: there is no workload count.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "calibrate.h"
#include "cmd.h"
#include "report.h"
#include "run.h"
#include "trace.h"
#include "tracer.h"

enum { OPT_CGROUP = 256, OPT_LIGHT, OPT_GOROUTINES, OPT_JSON, OPT_CSV, OPT_HTML, OPT_RECALIBRATE };

static const struct st_opt opts[] = {
	{ "pid", 'p', "PID", "a running process (a thread id means its process);\n"
			     "detaching leaves it running, untouched" },
	{ "cgroup", OPT_CGROUP, "DIR", "every task of this cgroup v2 and of the groups below\n"
				       "it, those that join or start later included (a\n"
				       "container's tasks); the window ends at -d, on Ctrl-C,\n"
				       "or when the group is removed" },
	{ "duration", 'd', "SECONDS", "end the window after SECONDS (e.g. 5 or 0.5); a COMMAND\n"
				      "started here then gets SIGTERM (SIGKILL 2 s later), a\n"
				      "-p process is left running" },
	{ "follow", 'f', NULL, "also follow the processes it forks (default: the\n"
			       "process only)" },
	{ "cpus", 'C', "CPUS", "the CPUs whose time is split, e.g. 0 or 0-3,6\n"
			       "(default: all online)" },
	{ "light", OPT_LIGHT, NULL, "scheduler view only (switches, waits, wake-ups, CPU\n"
				    "time): no syscall hooks and no sched_waking, so a live\n"
				    "program slows down less; syscall time then shows as\n"
				    "user time, and which CPU woke a thread is not traced" },
	{ "goroutines", OPT_GOROUTINES, NULL, "a Go program: count its goroutine switches too, with a "
					      "uprobe on runtime.gogo; each one then traps into the kernel "
					      "(microseconds a switch), so the program runs slower" },
	{ "json", OPT_JSON, "F", "also write the trace to F as JSON" },
	{ "csv", OPT_CSV, "F", "... as CSV" },
	{ "html", OPT_HTML, "F", "... as a self-contained HTML page" },
	{ "recalibrate", OPT_RECALIBRATE, NULL, "measure the calibration again instead of using\n"
						"the cached one" },
	{ NULL, 0, NULL, NULL },
};

struct trace_args {
	const struct st_cmd *cmd;
	struct st_trace_opts o;
	struct st_outputs outs;
	const char *pid, *dur, *cpus;
};

static int on_opt(void *ctx, int key, const char *value)
{
	struct trace_args *a = ctx;

	switch (key) {
	case 'p': a->pid = value; break;
	case 'd': a->dur = value; break;
	case 'f': a->o.follow = true; break;
	case 'C': a->cpus = value; break;
	case OPT_CGROUP: a->o.cgroup = value; break;
	case OPT_LIGHT: a->o.light = true; break;
	case OPT_GOROUTINES: a->o.goroutines = true; break;
	case OPT_JSON: a->outs.json = value; break;
	case OPT_CSV: a->outs.csv = value; break;
	case OPT_HTML: a->outs.html = value; break;
	case OPT_RECALIBRATE: a->o.recalibrate = true; break;
	}
	return 0;
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

/* Whom to trace: exactly one of -p, --cgroup and a command; 0 or a usage error's status. */
static int check_whom(struct trace_args *a, int argc, char **argv, int first)
{
	const struct st_cmd *cmd = a->cmd;
	struct st_trace_opts *o = &a->o;
	char err[1024];
	long v;

	if (first < argc)
		o->cmd = &argv[first];
	if (a->pid && o->cmd)
		return st_cli_usage_error(cmd, "give -p PID or a command, not both");
	if (o->cgroup && (a->pid || o->cmd))
		return st_cli_usage_error(cmd, "--cgroup traces a whole group: give it without -p or a command");
	if (o->cgroup && o->follow)
		return st_cli_usage_error(cmd, "--cgroup already follows every process of the group: drop -f");
	if (!a->pid && !o->cmd && !o->cgroup)
		return st_cli_usage_error(cmd, "what to trace? give -p PID, --cgroup DIR or -- COMMAND [ARGS]");
	if (o->cgroup && st_cgroup_resolve(o->cgroup, &o->cg, err, sizeof(err)))
		return st_cli_usage_error(cmd, "%s", err);
	if (a->pid && st_parse_long(a->pid, 1, 0x3fffffff, &v))
		return st_cli_usage_error(cmd, "bad PID '%s': give a process id, e.g. -p 1234", a->pid);
	o->pid = a->pid ? (pid_t)v : 0;
	return 0;
}

/* The window's length, the CPUs and the files; 0 or a usage error's status. */
static int check_rest(struct trace_args *a)
{
	struct st_trace_opts *o = &a->o;
	char err[1024];

	if (st_outputs_check(&a->outs, err, sizeof(err)))
		return st_cli_usage_error(a->cmd, "%s", err);
	if (a->dur && parse_seconds(a->dur, &o->seconds))
		return st_cli_usage_error(a->cmd, "bad duration -d '%s': give seconds above 0, e.g. -d 5 or -d 0.5",
					  a->dur);
	if (a->cpus)
		return st_parse_online_cpus(a->cpus, o->cpus, ST_TRACE_MAX_CPUS, &o->nr_cpus, err, sizeof(err))
			       ? st_cli_usage_error(a->cmd, "%s", err)
			       : 0;
	o->nr_cpus = st_online_cpus(o->cpus, ST_TRACE_MAX_CPUS);
	if (!o->nr_cpus)
		return st_fail(ST_EXIT_FAIL, "trace: cannot tell which CPUs are online; give them with -C");
	return 0;
}

/* The lines above the report: what was traced, where, how long, and how it ended. */
static void intro(FILE *f, const struct st_trace_opts *o, const struct st_trace_what *w, const struct st_run *run)
{
	const char *s = strpbrk(run->cpus, ",-") ? "s" : "";

	if (o->cgroup)
		fprintf(f, "schedtrace trace: cgroup %s (id %llu), every task in it and in the groups below it,\n"
			   "those that joined later included, on CPU%s %s, %.2f s %s.\n",
			o->cg.path, (unsigned long long)o->cg.id, s, run->cpus, run->summary.window_ns / 1e9, w->ended);
	else
		fprintf(f, "schedtrace trace: %s (pid %d), all its threads%s, on CPU%s %s, %.2f s %s.\n",
			w->target.name, (int)w->traced_pid, o->follow ? " and the processes it forks" : "", s,
			run->cpus, run->summary.window_ns / 1e9, w->ended);
	fprintf(f, "Switches are counted from the kernel's side: each switch-out of a traced thread is\n"
		   "one. \"Per switch\" below is per kernel switch, and the CPU-time parts split the\n"
		   "traced CPUs' whole window, other programs' time included.\n\n");
}

static int cmd_trace(const struct st_cmd *cmd, int argc, char **argv)
{
	static struct trace_args a;
	static struct st_run run;
	static struct st_trace_what what;
	char err[1024];
	const char *why;
	int first, e;

	memset(&a, 0, sizeof(a));
	a.cmd = cmd;
	e = st_cli_parse(cmd, argc, argv, on_opt, &a, &first);
	if (e >= 0 || (e = check_whom(&a, argc, argv, first)) || (e = check_rest(&a)))
		return e;
	if ((why = st_tracer_missing()))
		return st_fail(ST_EXIT_FAIL, "%s", why);

	a.o.stop = &st_exiting;
	st_install_signals(); /* before anything it must undo is started */
	e = st_trace_run(&a.o, &run, &what, err, sizeof(err));
	if (e == -EINTR)
		return 128 + (st_exiting ? st_exiting : SIGINT);
	if (e)
		return st_fail(ST_EXIT_FAIL, "trace: %s", err);
	if (what.calibration_err[0])
		st_fail(0, "trace: no calibration (%s); mode switch and tracer shares are left out",
			what.calibration_err);
	intro(stdout, &a.o, &what, &run);
	st_report_text(stdout, &run);
	fflush(stdout);
	return st_outputs_write(&a.outs, &run, 1) ? ST_EXIT_FAIL : ST_EXIT_OK;
}

const struct st_cmd st_cmd_trace = {
	.name = "trace",
	.fn = cmd_trace,
	.operands = "(-p PID | --cgroup DIR | -- COMMAND [ARGS])",
	.summary = "any program (a pid, a command, a cgroup), traced",
	.about = "Traces any program with eBPF and says where its time goes around context\n"
		 "switches: all its threads, including the ones it creates while traced. A\n"
		 "COMMAND is started held until the probes are attached, then run; the window\n"
		 "is its whole run. Options end at the COMMAND.",
	.opts = opts,
	.examples = "schedtrace trace -- ./server --port 8080\n"
		    "    a command's whole run\n"
		    "schedtrace trace -p 1234 -d 5 --json live.json\n"
		    "    five seconds of a running process, saved\n"
		    "schedtrace trace --cgroup /sys/fs/cgroup/system.slice/nginx.service -d 10\n"
		    "    every task of a service",
	.notes = "Switches are counted from the kernel's side (switch-outs of the traced threads):\n"
		 "there is no workload count, so \"per switch\" means per kernel switch, and the CPU\n"
		 "time is that of the traced CPUs over the whole window, other programs included.\n"
		 "The window ends when the process exits, at -d, or on Ctrl-C / SIGTERM (then the\n"
		 "report is printed; a COMMAND started here gets the same signal).\n"
		 "Needs root (or CAP_BPF+CAP_PERFMON). Exit: 0 traced (whatever the command's own\n"
		 "status, which the report gives), 1 runtime failure (no such process, command not\n"
		 "found), 2 usage error.",
	.stop_at_operand = true,
};
