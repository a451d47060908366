// SPDX-License-Identifier: GPL-2.0
/*
 * overhead.c — `make bench`'s observer-effect section: what tracing costs the
 * workload it explains, next to perf sched record and bpftrace.
 *
 * For each kernel-switching workload, one round runs every mode once in a
 * shuffled order (the host drifts by tens of percent over tens of seconds, so
 * each mode is compared with the bare run of its own round):
 *   bare       the workload alone (--no-trace)
 *   summary    schedtrace run: every hook the breakdown needs in the first
 *              repeat, the scheduler hooks alone in the others (which take
 *              its syscall split); the median repeat is the mode's
 *   full       schedtrace run --every-repeat: every hook in every repeat
 *   light      schedtrace run --light (scheduler view, no syscall hooks)
 *   timeline   schedtrace run --perfetto (ring buffer records of a window of
 *              its own, the workload's first, before the repeats: that
 *              window's ns/switch is the mode's)
 *   tl-light   schedtrace run --perfetto --light (the scheduler's records
 *              only: no syscall slices, no wake-up flows)
 *   switches   schedtrace run --switches: the timeline's records and window,
 *              written as a CSV row per kernel switch instead of a trace
 *   perf       perf sched record -- WORKLOAD            (when installed)
 *   bpftrace   bpftrace with the same hooks, -c WORKLOAD (when installed)
 * A ratio is the median over rounds of (mode / bare of the same round).
 *
 * Each of our runs happens in a forked child, so its CPU time and peak RSS
 * are the collector's own (the workload is the child's child). Then, with
 * BPF run-time stats on for that section only, each program's ns per run and
 * our events per switch; and the start-up time (fork to release, BPF
 * attached).
 *
 *   overhead [-r ROUNDS] [-w "pthread futex ..."] [-m "bare summary ..."] [-C CPU] [-n ITERATIONS]
 *   SCHEDTRACE_BUILD=D   build directory (workload binaries in D/workloads)
 *
 * The two modes that write what they recorded (timeline: the Perfetto JSON,
 * switches: the CSV) also time the writing, after the collector's CPU time
 * is taken, and measure the file: bytes per kernel switch row (the rows
 * user/core/switches.c derives, the same count for both), and what 100,000
 * switches make.
 *
 * Prints one table per section; the summary line of each workload and mode is
 *   overhead: WORKLOAD MODE ratio median X (min Y, max Z, n N)
 * and of each output
 *   output: WORKLOAD MODE bytes/row median X (min Y, max Z, n N); 100k switches: M MB, written in T ms
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "perfetto.h"
#include "run.h"
#include "stats.h"
#include "switches.h"
#include "switches_csv.h"
#include "tracer.h"

#define MAX_ROUNDS 32
#define MAX_WL 8

enum mode { M_BARE, M_SUMMARY, M_FULL, M_LIGHT, M_TIMELINE, M_TL_LIGHT, M_SWITCHES, M_PERF, M_BPFTRACE, NR_MODES };

static const char *const mode_names[NR_MODES] = { "bare",     "summary",  "full",	"light", "timeline",
						    "tl-light", "switches", "perf", "bpftrace" };

/* The modes that record a timeline window of their own (its ns/switch is theirs). */
static bool records(int m)
{
	return m == M_TIMELINE || m == M_TL_LIGHT || m == M_SWITCHES;
}

/* What one run measured; filled in a child and sent back through a pipe. */
struct sample {
	int ok;
	double ns;	  /* ns/switch, the workload's median over its repeats (timeline: the first) */
	double ns_first;  /* ours: the first repeat's */
	double corrected; /* ours: ns/switch less the tracer estimate */
	double events;	  /* ours: BPF events per switch */
	double unexplained_pct;
	__u64 lost;
	double cpu_ms;	  /* the collector's own CPU time (user + sys) */
	long maxrss_kb;	  /* the collector's peak RSS */
	double startup_ms;
	/* timeline, switches: the file written from the records */
	double out_bytes, out_rows, out_ms;
	char err[200];
};

static const char *build_dir = "build";
static int cpu;
static char tmpdir[64];
static bool have[NR_MODES];

/* Iterations per repeat: each run ~0.1-0.3 s of measured work here. */
static long iterations_opt;

/* The per-program cost section: every hook in every repeat, with -L the --light programs, with -T the timeline. */
static enum mode cost_mode = M_FULL;

static long iterations_of(const char *w)
{
	if (iterations_opt > 0)
		return iterations_opt;
	if (!strcmp(w, "pipe"))
		return 8000;
	return 10000;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* median, min and max of v[0..n) (sorted in place). */
static double stats(double *v, int n, double *lo, double *hi)
{
	if (n <= 0) {
		*lo = *hi = 0;
		return 0;
	}
	double m = st_median(v, n); /* sorts v */

	*lo = v[0];
	*hi = v[n - 1];
	return m;
}

/* ---- our modes: st_run_workload in a forked child ------------------------------ */

static double mono_ms(void)
{
	return now_s() * 1e3;
}

/*
 * timeline / switches: writes the recorded window's file to tmpdir, as the
 * CLI would (--perfetto F.json, --switches F.csv), timed; its size, and the
 * kernel switch rows of the window (user/core/switches.c, for both modes).
 */
static void write_output(const struct st_run *run, enum mode m, struct sample *s)
{
	struct st_switch_walk *w = st_switch_walk_new(run->timeline, run->cpus);
	struct st_switch_row row;
	char path[128];
	double t0;
	FILE *f;
	int e;

	while (w && st_switch_walk_next(w, &row) > 0)
		s->out_rows++;
	st_switch_walk_free(w);
	snprintf(path, sizeof(path), "%s/out.%d", tmpdir, (int)getpid());
	f = fopen(path, "w");
	if (!f)
		return;
	t0 = mono_ms();
	e = m == M_SWITCHES ? st_switches_csv_write(f, run, 1) : st_perfetto_write(f, run, 1);
	e |= fflush(f);
	s->out_ms = mono_ms() - t0;
	s->out_bytes = e ? 0 : (double)ftell(f);
	fclose(f);
	unlink(path);
}

static void ours_child(const char *w, enum mode m, struct sample *s)
{
	static struct st_run run;
	struct st_run_opts o = { .workload = w, .cpus = { cpu }, .nr_cpus = 1, .iterations = iterations_of(w),
				 .repeats = 3, .no_trace = m == M_BARE, .light = m == M_LIGHT || m == M_TL_LIGHT,
				 .every_repeat = m == M_FULL, .timeline = records(m) };
	const struct st_breakdown *b;
	struct rusage ru;
	int e;

	e = st_run_workload(&o, &run, s->err, sizeof(s->err));
	if (e)
		return;
	getrusage(RUSAGE_SELF, &ru);
	b = &run.summary;
	s->ok = 1;
	s->ns_first = run.nr_repeats > 0 ? run.repeat[0].ns_per_switch : 0;
	s->ns = b->ns_per_switch;
	s->corrected = b->corrected_ns_per_switch;
	s->events = b->switches ? (double)b->events / (double)b->switches : 0;
	/* the timeline records a window of its own, the workload's first, before the repeats: that is its cost */
	if (records(m)) {
		s->ns = run.tl_counts.ns_per_switch;
		s->ok = s->ns > 0;
	}
	if (run.timeline && (m == M_TIMELINE || m == M_SWITCHES))
		write_output(&run, m, s);
	s->unexplained_pct = s->ns > 0 ? 100 * b->unexplained / (s->ns * b->nr_cpus) : 0;
	for (int i = 0; i < run.nr_repeats; i++)
		s->lost += run.repeat[i].lost;
	if (run.timeline) {
		const struct st_timeline *tl = run.timeline;

		for (int c = 0; c < tl->nr_cpus; c++)
			s->lost += tl->lost_per_cpu[c];
	}
	s->cpu_ms = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
		    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
	s->maxrss_kb = ru.ru_maxrss;
	s->startup_ms = run.startup_ns / 1e6;
	st_run_release(&run);
}

/* ---- perf and bpftrace: exec, and parse the workload's own line ------------------ */

/*
 * The hooks our summary mode uses, with per-thread state in maps keyed by
 * tid: syscall enter/exit with its cost by number, runqueue wait from waking
 * to switch-in, on-CPU slices. Children of the traced process followed.
 */
static const char bpftrace_script[] =
	"tracepoint:sched:sched_process_fork /args->parent_pid == cpid || @tr[args->parent_pid]/ "
	"{ @tr[args->child_pid] = 1; }\n"
	"tracepoint:raw_syscalls:sys_enter /pid == cpid || @tr[pid]/ { @enter[tid] = nsecs; @nr[tid] = args->id; }\n"
	"tracepoint:raw_syscalls:sys_exit /@enter[tid]/ { @sys_ns[@nr[tid]] = sum(nsecs - @enter[tid]); "
	"@sys_cnt[@nr[tid]] = count(); delete(@enter[tid]); }\n"
	"tracepoint:sched:sched_waking /@tr[args->pid] || args->pid == cpid/ { @wake[args->pid] = nsecs; }\n"
	"tracepoint:sched:sched_switch {\n"
	"  if (@in[args->prev_pid]) { @oncpu = hist(nsecs - @in[args->prev_pid]); delete(@in[args->prev_pid]); }\n"
	"  if (@tr[args->next_pid] || args->next_pid == cpid) {\n"
	"    @in[args->next_pid] = nsecs;\n"
	"    if (@wake[args->next_pid]) { @runq = hist(nsecs - @wake[args->next_pid]); delete(@wake[args->next_pid]); }\n"
	"  }\n"
	"}\n";

static void exec_child(const char *w, enum mode m, struct sample *s)
{
	char bin[4096], n_arg[32], cpu_arg[16], cmd[4400], data[128], line[512];
	int pfd[2];
	pid_t pid;
	FILE *f;
	int status;

	snprintf(bin, sizeof(bin), "%s/workloads/%s", build_dir, w);
	snprintf(n_arg, sizeof(n_arg), "%ld", iterations_of(w));
	snprintf(cpu_arg, sizeof(cpu_arg), "%d", cpu);
	snprintf(data, sizeof(data), "%s/perf.data", tmpdir);
	snprintf(cmd, sizeof(cmd), "%s -C %d -n %s -r 3", bin, cpu, n_arg);
	if (pipe(pfd))
		return;
	pid = fork();
	if (pid < 0)
		return;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(pfd[1], 1);
		dup2(null, 2);
		close(pfd[0]);
		if (m == M_PERF)
			execlp("perf", "perf", "sched", "record", "-q", "-o", data, "--", bin, "-C", cpu_arg, "-n",
			       n_arg, "-r", "3", (char *)NULL);
		else
			execlp("bpftrace", "bpftrace", "-q", "-e", bpftrace_script, "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	f = fdopen(pfd[0], "r");
	while (f && fgets(line, sizeof(line), f)) {
		double v;

		if (sscanf(line, "ns/switch: median %lf", &v) == 1) {
			s->ns = v;
			s->ok = 1;
		}
	}
	if (f)
		fclose(f);
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		s->ok = 0;
		snprintf(s->err, sizeof(s->err), "%s exited with status %d", mode_names[m], status);
	}
	unlink(data);
}

/* One run of workload w in mode m. */
static struct sample one(const char *w, enum mode m)
{
	struct sample s;
	int pfd[2];
	pid_t pid;

	memset(&s, 0, sizeof(s));
	if (m == M_PERF || m == M_BPFTRACE) {
		exec_child(w, m, &s);
		return s;
	}
	if (pipe(pfd))
		return s;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct sample c;

		close(pfd[0]);
		memset(&c, 0, sizeof(c));
		ours_child(w, m, &c);
		if (write(pfd[1], &c, sizeof(c)) != (ssize_t)sizeof(c))
			_exit(1);
		_exit(0);
	}
	close(pfd[1]);
	if (pid < 0 || read(pfd[0], &s, sizeof(s)) != (ssize_t)sizeof(s)) {
		memset(&s, 0, sizeof(s));
		snprintf(s.err, sizeof(s.err), "the run's child died");
	}
	close(pfd[0]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return s;
}

/* ---- the ratio table ------------------------------------------------------------ */

struct wl_results {
	const char *name;
	struct sample s[NR_MODES][MAX_ROUNDS];
	int n;
};

static void shuffle(int *v, int n)
{
	for (int i = n - 1; i > 0; i--) {
		int j = rand() % (i + 1), t = v[i];

		v[i] = v[j];
		v[j] = t;
	}
}

/* What mode m is compared with: bare's median, or for the timeline bare's first repeat. */
static double bare_ns(const struct sample *bare, int m)
{
	return records(m) ? bare->ns_first : bare->ns;
}

static const double target[NR_MODES] = { [M_SUMMARY] = 1.15, [M_LIGHT] = 1.10, [M_TIMELINE] = 1.30 };

static void print_ratios(struct wl_results *r, const bool *modes)
{
	printf("%-9s %-9s %10s %7s %7s %7s %3s %10s %6s %6s %8s %8s %6s\n", "workload", "mode", "ns/switch",
	       "ratio", "min", "max", "n", "corrected", "corr/b", "ev/sw", "cpu ms", "rss KiB", "lost");
	for (int m = 0; m < NR_MODES; m++) {
		double ns[MAX_ROUNDS], q[MAX_ROUNDS], corr[MAX_ROUNDS], cq[MAX_ROUNDS], ev[MAX_ROUNDS], cpu_ms[MAX_ROUNDS];
		double lo, hi, med, qm, qlo = 0, qhi = 0;
		long rss = 0;
		__u64 lost = 0;
		int n = 0, nq = 0;

		if (!modes[m])
			continue;
		if (!have[m]) {
			printf("%-9s %-9s not installed\n", r->name, mode_names[m]);
			continue;
		}
		for (int i = 0; i < r->n; i++) {
			const struct sample *s = &r->s[m][i], *b = &r->s[M_BARE][i];

			if (!s->ok)
				continue;
			ns[n] = s->ns;
			corr[n] = s->corrected;
			ev[n] = s->events;
			cpu_ms[n] = s->cpu_ms;
			if (s->maxrss_kb > rss)
				rss = s->maxrss_kb;
			lost += s->lost;
			n++;
			if (b->ok && bare_ns(b, m) > 0) {
				q[nq] = s->ns / bare_ns(b, m);
				cq[nq] = s->corrected / bare_ns(b, m);
				nq++;
			}
		}
		if (!n) {
			printf("%-9s %-9s failed: %s\n", r->name, mode_names[m], r->s[m][0].err);
			continue;
		}
		med = stats(ns, n, &lo, &hi);
		qm = stats(q, nq, &qlo, &qhi);
		printf("%-9s %-9s %10.1f %7.3f %7.3f %7.3f %3d", r->name, mode_names[m], med, qm, qlo, qhi, nq);
		if (m == M_BARE || m == M_PERF || m == M_BPFTRACE || records(m)) {
			printf(" %10s %6s %6s", "-", "-", "-");
		} else {
			printf(" %10.1f %6.3f %6.2f", stats(corr, n, &lo, &hi), stats(cq, nq, &lo, &hi),
			       stats(ev, n, &lo, &hi));
		}
		if (m == M_PERF || m == M_BPFTRACE)
			printf(" %8s %8s %6s\n", "-", "-", "-");
		else
			printf(" %8.1f %8ld %6llu\n", stats(cpu_ms, n, &lo, &hi), rss, (unsigned long long)lost);
	}
	for (int m = 1; m < NR_MODES; m++) {
		double q[MAX_ROUNDS], lo, hi, med;
		int nq = 0;

		if (!modes[m] || !have[m])
			continue;
		for (int i = 0; i < r->n; i++)
			if (r->s[m][i].ok && r->s[M_BARE][i].ok && bare_ns(&r->s[M_BARE][i], m) > 0)
				q[nq++] = r->s[m][i].ns / bare_ns(&r->s[M_BARE][i], m);
		med = stats(q, nq, &lo, &hi);
		printf("overhead: %s %s ratio median %.3f (min %.3f, max %.3f, n %d)", r->name, mode_names[m], med,
		       lo, hi, nq);
		/* the overhead issue's targets, pinned pthread */
		if (!strcmp(r->name, "pthread") && target[m] > 0)
			printf("; target <= %.2f: %s", target[m], nq && med <= target[m] ? "met" : "NOT met");
		putchar('\n');
	}
}

/*
 * The files of the recording modes, per kernel switch row of the window:
 * bytes, what 100,000 switches make, and the time to write them.
 */
static void print_outputs(struct wl_results *r, const bool *modes)
{
	static const int out_modes[] = { M_TIMELINE, M_SWITCHES };
	bool header = false;

	for (int k = 0; k < 2; k++) {
		double bpr[MAX_ROUNDS], ms[MAX_ROUNDS], rows[MAX_ROUNDS], lo, hi, med, mlo, mhi, mms, mrows;
		int m = out_modes[k], n = 0;

		if (!modes[m] || !have[m])
			continue;
		for (int i = 0; i < r->n; i++) {
			const struct sample *s = &r->s[m][i];

			if (!s->ok || s->out_rows <= 0 || s->out_bytes <= 0)
				continue;
			bpr[n] = s->out_bytes / s->out_rows;
			ms[n] = s->out_ms * 1e5 / s->out_rows;
			rows[n++] = s->out_rows;
		}
		if (!n)
			continue;
		if (!header)
			printf("%-9s %-9s %9s %9s %10s %10s\n", "workload", "output", "rows", "bytes/row", "MB/100k",
			       "ms/100k");
		header = true;
		med = stats(bpr, n, &mlo, &mhi);
		mms = stats(ms, n, &lo, &hi);
		mrows = stats(rows, n, &lo, &hi);
		printf("%-9s %-9s %9.0f %9.1f %10.2f %10.1f\n", r->name, mode_names[m], mrows, med, med * 1e5 / 1e6, mms);
		printf("output: %s %s bytes/row median %.1f (min %.1f, max %.1f, n %d); 100k switches: %.1f MB, "
		       "written in %.0f ms\n",
		       r->name, mode_names[m], med, mlo, mhi, n, med * 1e5 / 1e6, mms);
	}
}

/* ---- per-event cost: BPF run-time stats during this section only ---------------- */

struct prog_acc {
	char name[32];
	__u32 id;
	__u64 cnt, rt;
};

#define MAX_ACC 64
static struct prog_acc acc[MAX_ACC];
static int nr_acc;
static volatile int sampling;

/* Every loaded program of ours, its latest counters (they are cumulative per load). */
static void sample_progs(void)
{
	__u32 id = 0;

	while (!bpf_prog_get_next_id(id, &id)) {
		struct bpf_prog_info info;
		__u32 len = sizeof(info);
		int fd = bpf_prog_get_fd_by_id(id), i;

		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(fd, &info, &len) || !st_tracer_is_our_prog(info.name)) {
			close(fd);
			continue;
		}
		close(fd);
		for (i = 0; i < nr_acc && acc[i].id != id; i++)
			;
		if (i == nr_acc) {
			if (nr_acc == MAX_ACC)
				continue;
			nr_acc++;
			acc[i].id = id;
			snprintf(acc[i].name, sizeof(acc[i].name), "%s", info.name);
		}
		acc[i].cnt = info.run_cnt;
		acc[i].rt = info.run_time_ns;
	}
}

static void *sampler(void *arg)
{
	(void)arg;
	while (sampling) {
		sample_progs();
		usleep(10000);
	}
	return NULL;
}

/* Events of ours per kind from the raw window dump (SCHEDTRACE_RAW=1 writes it to stderr). */
static void parse_raw(const char *path, double *ev)
{
	static const char *const keys[] = { "ev_switch", "ev_wakeup", "ev_migrate", "ev_sys_enter", "ev_sys_exit",
					    "ev_fork_exit" };
	char line[256], k[64];
	unsigned long long v;
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " %63s %llu", k, &v) == 2)
			for (int i = 0; i < 6; i++)
				if (!strcmp(k, keys[i]))
					ev[i] += (double)v;
	fclose(f);
}

static void section_cost(char **wl, int nwl)
{
	static const char *const kinds[] = { "switch", "waking", "wake_new", "migrate", "fork", "exit", "sys_enter",
					     "sys_exit" };
	static const int kind_ev[] = { 0, 1, 1, 2, 5, 5, 3, 4 };
	int stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	char raw[128];
	pthread_t th;

	printf("\n== Per-event cost of each program (BPF run-time stats on for this section only), "
	       "%s mode, 3 runs per workload\n", mode_names[cost_mode]);
	if (stats_fd < 0) {
		printf("BPF_ENABLE_STATS failed (%s): not measured\n", strerror(errno));
		return;
	}
	printf("%-9s %-10s %12s %12s %10s %10s\n", "workload", "program", "runs", "ours", "ns/run", "ours/switch");
	for (int wi = 0; wi < nwl; wi++) {
		double ev[6] = { 0 }, switches = 0;
		int saved = dup(2);

		nr_acc = 0;
		memset(acc, 0, sizeof(acc));
		sampling = 1;
		pthread_create(&th, NULL, sampler, NULL);
		snprintf(raw, sizeof(raw), "%s/raw.txt", tmpdir);
		setenv("SCHEDTRACE_RAW", "1", 1);
		for (int r = 0; r < 3; r++) {
			static struct st_run run;
			struct st_run_opts o = { .workload = wl[wi], .cpus = { cpu }, .nr_cpus = 1,
						 .iterations = iterations_of(wl[wi]),
						 /* -T: the timeline's window and one repeat (every hook, no records) */
						 .repeats = cost_mode == M_TIMELINE ? 1 : 3,
						 .every_repeat = cost_mode == M_FULL, .light = cost_mode == M_LIGHT,
						 .timeline = cost_mode == M_TIMELINE };
			char err[256];
			int fd = open(raw, O_WRONLY | O_CREAT | O_TRUNC, 0600);

			fflush(stderr);
			dup2(fd, 2);
			close(fd);
			if (!st_run_workload(&o, &run, err, sizeof(err)))
				for (int i = 0; i < run.nr_repeats; i++)
					switches += (double)run.repeat[i].switches;
			fflush(stderr);
			dup2(saved, 2);
			parse_raw(raw, ev);
			sample_progs(); /* also the last counters of a program that is about to go */
		}
		unsetenv("SCHEDTRACE_RAW");
		close(saved);
		sampling = 0;
		pthread_join(th, NULL);
		for (int k = 0; k < 8; k++) {
			__u64 cnt = 0, rt = 0;

			for (int i = 0; i < nr_acc; i++)
				if (!strcmp(strchr(acc[i].name + 3, '_') + 1, kinds[k])) {
					cnt += acc[i].cnt;
					rt += acc[i].rt;
				}
			if (!cnt)
				continue;
			printf("%-9s %-10s %12llu %12.0f %10.1f %10.2f\n", wl[wi], kinds[k], (unsigned long long)cnt,
			       k == 2 ? 0.0 : ev[kind_ev[k]], (double)rt / (double)cnt,
			       switches > 0 && k != 2 ? ev[kind_ev[k]] / switches : 0);
		}
		printf("%-9s %-10s %12s %12s %10s %10.2f\n", wl[wi], "all", "", "", "",
		       switches > 0 ? (ev[0] + ev[1] + ev[2] + ev[3] + ev[4] + ev[5]) / switches : 0);
	}
	snprintf(raw, sizeof(raw), "%s/raw.txt", tmpdir);
	unlink(raw);
	printf("(ns/run is over every run, also the filtered-out runs for other tasks, which return early;\n"
	       " ours = runs that passed the filter, counted by the programs in the measured windows)\n");
	close(stats_fd);
}

/* ---- start-up ------------------------------------------------------------------ */

static void section_startup(void)
{
	double v[5], lo, hi, med;
	int n = 0;

	for (int i = 0; i < 5; i++) {
		struct sample s = one("pthread", M_SUMMARY);

		if (s.ok)
			v[n++] = s.startup_ms;
	}
	med = stats(v, n, &lo, &hi);
	printf("\n== Start-up: fork of the workload to its release at the gate, BPF loaded and attached "
	       "(summary mode, calibration cached)\n");
	printf("startup: median %.1f ms (min %.1f, max %.1f, n %d); target <= 500 ms: %s\n", med, lo, hi, n,
	       n && med <= 500 ? "met" : "NOT met");
}

/* ---- main ------------------------------------------------------------------------ */

static bool in_path(const char *prog)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", prog);
	return system(cmd) == 0;
}

static int split(char *s, char **out, int max)
{
	int n = 0;
	char *save = NULL;

	for (char *t = strtok_r(s, " ,", &save); t && n < max; t = strtok_r(NULL, " ,", &save))
		out[n++] = t;
	return n;
}

/* The command line: -r -w -m -s -c, and the globals -C -n -L -T set. */
struct bench_opts {
	int rounds;
	char wl_list[256];
	char mode_list[256];
	bool no_cost, cost_only;
};

/* Returns -1 to go on, else the exit status (-h, a bad option or -r). */
static int parse_options(int argc, char **argv, struct bench_opts *o)
{
	int opt;

	while ((opt = getopt(argc, argv, "r:w:m:C:n:scLTh")) != -1) {
		switch (opt) {
		case 'r': o->rounds = atoi(optarg); break;
		case 'w': snprintf(o->wl_list, sizeof(o->wl_list), "%s", optarg); break;
		case 'm': snprintf(o->mode_list, sizeof(o->mode_list), "%s", optarg); break;
		case 'C': cpu = atoi(optarg); break;
		case 'n': iterations_opt = atol(optarg); break;
		case 's': o->no_cost = true; break;
		case 'c': o->cost_only = true; break;
		case 'L': cost_mode = M_LIGHT; break;
		case 'T': cost_mode = M_TIMELINE; break;
		default:
			fprintf(stderr, "usage: overhead [-r ROUNDS] [-w WORKLOADS] [-m MODES] [-C CPU] [-n ITERATIONS] [-s] [-c] [-L | -T]\n"
					"  -s  ratios only: skip the per-event cost and start-up sections\n"
					"  -c  the per-event cost and start-up sections only\n");
			return opt == 'h' ? 0 : 2;
		}
	}
	if (o->rounds < 1 || o->rounds > MAX_ROUNDS) {
		fprintf(stderr, "overhead: -r must be 1..%d\n", MAX_ROUNDS);
		return 2;
	}
	return -1;
}

/* modes[]: those named in mode_list (all when it is empty), and bare always; have[]: which can run here. */
static void select_modes(char *mode_list, bool *modes)
{
	char *ml[NR_MODES];

	if (*mode_list) {
		int n = split(mode_list, ml, NR_MODES);

		for (int i = 0; i < n; i++)
			for (int m = 0; m < NR_MODES; m++)
				if (!strcmp(ml[i], mode_names[m]))
					modes[m] = true;
	} else {
		for (int m = 0; m < NR_MODES; m++)
			modes[m] = true;
	}
	modes[M_BARE] = true;
	for (int m = 0; m < NR_MODES; m++)
		have[m] = true;
	have[M_PERF] = in_path("perf");
	have[M_BPFTRACE] = in_path("bpftrace");
}

/* perf sched record needs tracefs: mount it for the bench when it is not there (true: unmount after). */
static bool mount_tracefs(const bool *modes)
{
	struct stat st;

	if (have[M_PERF] && modes[M_PERF] && stat("/sys/kernel/tracing/events", &st) != 0) {
		if (mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL) == 0)
			return true;
		printf("(cannot mount tracefs: %s; perf sched may fail)\n", strerror(errno));
	}
	return false;
}

/* Each round runs every mode of every workload once, in a shuffled order. */
static void run_rounds(struct wl_results *res, char **wl, int nwl, const bool *modes, int rounds)
{
	for (int wi = 0; wi < nwl; wi++)
		res[wi].name = wl[wi];
	for (int r = 0; r < rounds; r++) {
		for (int wi = 0; wi < nwl; wi++) {
			int order[NR_MODES], n = 0;

			for (int m = 0; m < NR_MODES; m++)
				if (modes[m] && have[m])
					order[n++] = m;
			shuffle(order, n);
			for (int i = 0; i < n; i++)
				res[wi].s[order[i]][r] = one(wl[wi], (enum mode)order[i]);
			res[wi].n = r + 1;
		}
	}
}

int main(int argc, char **argv)
{
	static struct wl_results res[MAX_WL];
	struct bench_opts o = { .rounds = 7, .wl_list = "pthread futex epoll-2t pipe" };
	char dir[4096];
	char *wl[MAX_WL];
	bool modes[NR_MODES] = { 0 }, mounted;
	int nwl, e;
	double t0 = now_s();

	setvbuf(stdout, NULL, _IOLBF, 0);
	e = parse_options(argc, argv, &o);
	if (e >= 0)
		return e;
	if (getenv("SCHEDTRACE_BUILD") && *getenv("SCHEDTRACE_BUILD"))
		build_dir = getenv("SCHEDTRACE_BUILD");
	snprintf(dir, sizeof(dir), "%s/workloads", build_dir);
	setenv("SCHEDTRACE_WORKLOADS", dir, 1);
	if (st_tracer_missing()) {
		printf("== Tracer overhead: skipped (%s)\n", st_tracer_missing());
		return 0;
	}
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/schedtrace-bench.XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("overhead: mkdtemp");
		return 1;
	}
	select_modes(o.mode_list, modes);
	mounted = mount_tracefs(modes);
	nwl = split(o.wl_list, wl, MAX_WL);
	srand((unsigned)time(NULL));
	if (o.cost_only) {
		section_cost(wl, nwl);
		section_startup();
		rmdir(tmpdir);
		return 0;
	}

	printf("== Tracer overhead: ns/switch pinned to CPU %d, bare vs traced, %d shuffled rounds "
	       "(ratio = median over rounds of mode / bare of the same round)\n",
	       cpu, o.rounds);
	run_rounds(res, wl, nwl, modes, o.rounds);
	if (mounted)
		umount("/sys/kernel/tracing");
	for (int wi = 0; wi < nwl; wi++)
		print_ratios(&res[wi], modes);
	for (int wi = 0; wi < nwl; wi++)
		print_outputs(&res[wi], modes);
	printf("(corrected = ns/switch less the tracer row, events x calibrated cost; corr/b its ratio to bare;\n"
	       " timeline, tl-light, switches: the recorded window (the workload's first, before its 3 repeats) against\n"
	       "  bare's first repeat; no breakdown of it, so no corrected figure; switches records what timeline\n"
	       "  does and writes a CSV instead of the trace;\n"
	       " cpu ms and rss: the collector process alone, per run of 3 repeats, before any file is written;\n"
	       " lost: records or state lost; output: the file written from the records, per kernel switch row)\n");
	if (!o.no_cost) {
		section_cost(wl, nwl);
		section_startup();
	}
	printf("\n(overhead section: %.0f s)\n", now_s() - t0);
	rmdir(tmpdir);
	return 0;
}
