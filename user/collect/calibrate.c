// SPDX-License-Identifier: GPL-2.0
/* calibrate.c — see calibrate.h. */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "calibrate.h"
#include "calibrate_derive.h"
#include "nowork.h"
#include "stats.h"
#include "tracer.h"

#define ROUNDS 10
#define NULL_CALLS 20000
#define PINGPONG_SWITCHES 16000

static const char *const ev_names[ST_NR_STATS] = {
	[ST_EV_SWITCH] = "switch",	     [ST_EV_WAKEUP] = "wakeup",		 [ST_EV_MIGRATE] = "migrate",
	[ST_EV_SYS_ENTER] = "sys_enter",     [ST_EV_SYS_EXIT] = "sys_exit",	 [ST_EV_FORK_EXIT] = "fork_exit",
	[ST_EV_WAKEUP_DONE] = "wakeup_done", [ST_EV_SCHED_ENTRY] = "sched_entry", [ST_EV_SCHED_EXIT] = "sched_exit",
	[ST_EV_RSEQ] = "rseq",
};

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + (__u64)ts.tv_nsec;
}

static void read_line_file(const char *path, char *out, size_t len)
{
	FILE *f = fopen(path, "r");

	out[0] = '\0';
	if (!f)
		return;
	if (fgets(out, (int)len, f))
		out[strcspn(out, "\n")] = '\0';
	fclose(f);
}

static void identity(struct st_calibration *cal)
{
	struct utsname u;

	read_line_file("/proc/sys/kernel/random/boot_id", cal->boot_id, sizeof(cal->boot_id));
	if (uname(&u) == 0)
		snprintf(cal->kernel, sizeof(cal->kernel), "%.*s", (int)sizeof(cal->kernel) - 1, u.release);
}

/* ---- the loads ------------------------------------------------------------ */

/*
 * The loads are timed in CPU time, not wall time: on a busy machine other
 * tasks share the pinned CPU, and their slices must not count as ours.
 */
static __u64 cpu_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + (__u64)ts.tv_nsec;
}

/*
 * NOWORK_NR (nowork.h, shared with the syscalls workload): a reserved system
 * call number, its round trip entry + exit and nothing else. Below
 * ST_MAX_SYSCALLS, so the kernel side keeps its sys_enter -> sys_exit time.
 */
_Static_assert(NOWORK_NR < ST_MAX_SYSCALLS, "the no-work syscall must fit the kernel side's table");

/* CPU time per call of `calls` back-to-back syscalls nr (no arguments). */
static double timed_syscalls(long nr, int calls)
{
	__u64 t0 = cpu_ns(CLOCK_THREAD_CPUTIME_ID);

	for (int i = 0; i < calls; i++)
		syscall(nr);
	return (double)(cpu_ns(CLOCK_THREAD_CPUTIME_ID) - t0) / calls;
}

static double null_syscalls(void)
{
	return timed_syscalls(SYS_getppid, NULL_CALLS);
}

static double nowork_syscalls(void)
{
	return timed_syscalls(NOWORK_NR, NULL_CALLS);
}

static _Atomic int turn;
static long pp_left;

static long futex(_Atomic int *uaddr, int op, int val)
{
	return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

/* Waits until turn == me, then hands it to the other side. */
static void hand_off(int me)
{
	while (atomic_load(&turn) != me)
		futex(&turn, FUTEX_WAIT_PRIVATE, !me);
	atomic_store(&turn, !me);
	futex(&turn, FUTEX_WAKE_PRIVATE, 1);
}

static void *pp_side_b(void *arg)
{
	long n = (long)arg;

	for (long i = 0; i < n; i++)
		hand_off(1);
	return NULL;
}

/* ns per switch of a futex ping-pong of two threads pinned to cpu; <0 on failure. */
static double pingpong(int cpu)
{
	pthread_attr_t attr;
	pthread_t b;
	cpu_set_t set;
	long n = PINGPONG_SWITCHES / 2;
	__u64 t0, t1;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_attr_init(&attr);
	pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
	atomic_store(&turn, 0);
	pp_left = n;
	if (pthread_create(&b, &attr, pp_side_b, (void *)n)) {
		pthread_attr_destroy(&attr);
		return -1;
	}
	pthread_attr_destroy(&attr);
	/* both threads on one CPU: process CPU time is the pair's time, others' excluded */
	t0 = cpu_ns(CLOCK_PROCESS_CPUTIME_ID);
	for (long i = 0; i < n; i++)
		hand_off(0);
	t1 = cpu_ns(CLOCK_PROCESS_CPUTIME_ID);
	pthread_join(b, NULL);
	return (double)(t1 - t0) / (double)(2 * n);
}

/* ---- the measurement ------------------------------------------------------- */

struct prog_delta {
	__u64 cnt[ST_NR_STATS], rt[ST_NR_STATS]; /* summed over the programs of each ST_EV_* */
	__u64 waking_cnt, waking_rt;		 /* sched_waking alone (wake_new shares its ST_EV) */
};

static void prog_sample(struct st_tracer *t, struct prog_delta *d)
{
	struct st_prog_stat ps[ST_TRACER_MAX_PROGS];
	int n = st_tracer_prog_stats(t, ps, ST_TRACER_MAX_PROGS);

	memset(d, 0, sizeof(*d));
	for (int i = 0; i < n; i++) {
		if (ps[i].ev < 0 || ps[i].ev >= ST_NR_STATS)
			continue;
		d->cnt[ps[i].ev] += ps[i].run_cnt;
		d->rt[ps[i].ev] += ps[i].run_time_ns;
		if (strstr(ps[i].name, "waking")) {
			d->waking_cnt = ps[i].run_cnt;
			d->waking_rt = ps[i].run_time_ns;
		}
	}
}

static void prog_sub(struct prog_delta *a, const struct prog_delta *b)
{
	for (int i = 0; i < ST_NR_STATS; i++) {
		a->cnt[i] -= b->cnt[i];
		a->rt[i] -= b->rt[i];
	}
	a->waking_cnt -= b->waking_cnt;
	a->waking_rt -= b->waking_rt;
}

/*
 * Run time per event of ours: the stats count every run, also the cheap
 * filtered-out runs for other processes, whose cost idle_ns was measured in a
 * quiet phase. -1 when none of our events ran.
 */
static double own_run_ns(__u64 rt, __u64 cnt, __u64 ours, double idle_ns)
{
	double filtered;

	if (!ours)
		return -1; /* none of ours ran: not measured in this round */
	filtered = cnt > ours ? (double)(cnt - ours) * idle_ns : 0;
	return (double)rt > filtered ? ((double)rt - filtered) / (double)ours : 0;
}

static bool stop_now(volatile sig_atomic_t *stop)
{
	return stop && *stop;
}

/* What one calibration holds while its rounds run. */
struct cal_ctx {
	struct st_tracer *t;
	struct st_cal_samples *s;
	int cpu;
	int stats_fd; /* BPF run-time stats on while >= 0 */
	double idle_waking;
};

/* Kernel time per call of syscall nr between two snapshots, as BPF saw it; -1 when none was seen. */
static double kernel_per_call(const struct st_snapshot *a, const struct st_snapshot *b, int nr)
{
	const struct st_sys_stat *x = &a->t.sys[nr], *y = &b->t.sys[nr];

	return y->count > x->count ? (double)(y->work_ns - x->work_ns) / (double)(y->count - x->count) : -1;
}

/* A quiet phase: what a filtered-out run of each program costs (everyone else's events). */
static void quiet_phase(struct cal_ctx *x)
{
	struct prog_delta p0, p1;

	prog_sample(x->t, &p0);
	usleep(100000);
	prog_sample(x->t, &p1);
	prog_sub(&p1, &p0);
	for (int i = 0; i < ST_NR_STATS; i++)
		x->s->idle_run_ns[i] = p1.cnt[i] ? (double)p1.rt[i] / (double)p1.cnt[i] : 0;
	x->idle_waking = p1.waking_cnt ? (double)p1.waking_rt / (double)p1.waking_cnt : 0;
}

static void bare_phase(struct cal_ctx *x, int r)
{
	x->s->nowork_bare[r] = nowork_syscalls();
	x->s->getppid_bare[r] = null_syscalls();
	x->s->pp_bare[r] = pingpong(x->cpu);
}

/* The loads traced, timed with the run-time stats off (they add two clock reads per run). */
static int traced_phase(struct cal_ctx *x, int r)
{
	static struct st_snapshot s0, s1;
	int e;

	if (x->stats_fd >= 0)
		close(x->stats_fd);
	x->stats_fd = -1;
	st_tracer_snapshot(x->t, &s0);
	x->s->nowork_traced[r] = nowork_syscalls();
	st_tracer_snapshot(x->t, &s1);
	x->s->nowork_kernel[r] = kernel_per_call(&s0, &s1, NOWORK_NR);
	st_tracer_snapshot(x->t, &s0);
	x->s->getppid_traced[r] = null_syscalls();
	st_tracer_snapshot(x->t, &s1);
	x->s->getppid_kernel[r] = kernel_per_call(&s0, &s1, SYS_getppid);
	x->s->pp_traced[r] = pingpong(x->cpu);
	/* without the syscall hooks and sched_waking, as in the repeats that borrow the split */
	if ((e = st_tracer_set_detail_hooks(x->t, false)) == 0) {
		x->s->pp_alone[r] = pingpong(x->cpu);
		e = st_tracer_set_detail_hooks(x->t, true);
		/* the syscall hooks ignore a CPU until its next switch puts its stamps back on the monotonic clock */
		usleep(100);
	}
	return e;
}

/* The same loads again with the stats on, for each program's run time per event of ours. */
static void stats_phase(struct cal_ctx *x, int r)
{
	static struct st_snapshot s0, s1;
	struct st_cal_samples *s = x->s;
	struct prog_delta p0, p1;

	x->stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	st_tracer_snapshot(x->t, &s0);
	prog_sample(x->t, &p0);
	null_syscalls();
	prog_sample(x->t, &p1);
	st_tracer_snapshot(x->t, &s1);
	prog_sub(&p1, &p0);
	for (int ev = ST_EV_SYS_ENTER; ev <= ST_EV_SYS_EXIT; ev++)
		s->run_ns[ev][r] = own_run_ns(p1.rt[ev], p1.cnt[ev], s1.c.stat[ev] - s0.c.stat[ev], s->idle_run_ns[ev]);
	st_tracer_snapshot(x->t, &s0);
	prog_sample(x->t, &p0);
	pingpong(x->cpu);
	prog_sample(x->t, &p1);
	st_tracer_snapshot(x->t, &s1);
	prog_sub(&p1, &p0);
	for (int ev = ST_EV_FIRST; ev <= ST_EV_LAST; ev++)
		s->pp_events[ev][r] = (double)(s1.c.stat[ev] - s0.c.stat[ev]) / PINGPONG_SWITCHES;
	for (int ev = ST_EV_FIRST; ev <= ST_EV_LAST; ev++)
		if (ev == ST_EV_SWITCH || ev >= ST_EV_WAKEUP_DONE)
			s->run_ns[ev][r] = own_run_ns(p1.rt[ev], p1.cnt[ev], s1.c.stat[ev] - s0.c.stat[ev],
						      s->idle_run_ns[ev]);
	/* sched_waking alone: wake_new shares its event counter */
	s->run_ns[ST_EV_WAKEUP][r] = own_run_ns(p1.waking_rt, p1.waking_cnt,
						s1.c.stat[ST_EV_WAKEUP] - s0.c.stat[ST_EV_WAKEUP], x->idle_waking);
}

/* ROUNDS shuffled pairs of a bare and a traced phase (the host drifts: pairs cancel it). */
static int rounds(struct cal_ctx *x, volatile sig_atomic_t *stop, char *err, size_t err_len)
{
	int e;

	srand((unsigned)now_ns());
	null_syscalls(); /* warm up */
	for (int r = 0; r < ROUNDS; r++) {
		int first = rand() & 1;

		if (stop_now(stop)) {
			snprintf(err, err_len, "interrupted");
			return -EINTR;
		}
		for (int k = 0; k < 2; k++) {
			if ((k == 0) == (first == 0)) {
				bare_phase(x, r);
				continue;
			}
			if ((e = st_tracer_attach(x->t))) {
				snprintf(err, err_len, "attaching the BPF programs failed: %s", strerror(-e));
				return e;
			}
			if ((e = traced_phase(x, r))) {
				snprintf(err, err_len, "re-attaching the syscall hooks failed: %s", strerror(-e));
				return e;
			}
			stats_phase(x, r);
			st_tracer_detach(x->t);
		}
		x->s->rounds = r + 1;
	}
	return 0;
}

/* The rounds' raw samples (SCHEDTRACE_RAW=1), as the unit tests record them. */
static void dump_samples(FILE *f, const struct st_cal_samples *s)
{
	static const struct {
		const char *name;
		size_t off;
	} rows[] = {
		{ "nowork_bare", offsetof(struct st_cal_samples, nowork_bare) },
		{ "nowork_traced", offsetof(struct st_cal_samples, nowork_traced) },
		{ "nowork_kernel", offsetof(struct st_cal_samples, nowork_kernel) },
		{ "getppid_bare", offsetof(struct st_cal_samples, getppid_bare) },
		{ "getppid_traced", offsetof(struct st_cal_samples, getppid_traced) },
		{ "getppid_kernel", offsetof(struct st_cal_samples, getppid_kernel) },
		{ "pp_bare", offsetof(struct st_cal_samples, pp_bare) },
		{ "pp_traced", offsetof(struct st_cal_samples, pp_traced) },
		{ "pp_alone", offsetof(struct st_cal_samples, pp_alone) },
	};

	fprintf(f, "calibration samples: %d rounds, stats %d\n", s->rounds, s->stats);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const double *v = (const double *)((const char *)s + rows[i].off);

		fprintf(f, "  %-15s", rows[i].name);
		for (int r = 0; r < s->rounds; r++)
			fprintf(f, " %.1f", v[r]);
		fputc('\n', f);
	}
	for (int ev = ST_EV_FIRST; ev <= ST_EV_LAST; ev++) {
		if (!ev_names[ev])
			continue;
		fprintf(f, "  run_ns.%-11s idle %.1f:", ev_names[ev], s->idle_run_ns[ev]);
		for (int r = 0; r < s->rounds; r++)
			fprintf(f, " %.1f", s->run_ns[ev][r]);
		fprintf(f, "\n  pp_events.%-6s", ev_names[ev]);
		for (int r = 0; r < s->rounds; r++)
			fprintf(f, " %.3f", s->pp_events[ev][r]);
		fputc('\n', f);
	}
}

/* The CPU to calibrate on (cpu < 0: the lowest allowed); pins this thread there. */
static int pin_cpu(int *cpu, const cpu_set_t *allowed, char *err, size_t err_len)
{
	cpu_set_t one;

	if (*cpu < 0)
		for (int c = 0; c < CPU_SETSIZE && *cpu < 0; c++)
			if (CPU_ISSET(c, allowed))
				*cpu = c;
	if (*cpu < 0 || !CPU_ISSET(*cpu, allowed)) {
		snprintf(err, err_len, "no usable CPU to calibrate on");
		return -EINVAL;
	}
	CPU_ZERO(&one);
	CPU_SET(*cpu, &one);
	if (sched_setaffinity(0, sizeof(one), &one)) {
		snprintf(err, err_len, "cannot pin to CPU %d: %s", *cpu, strerror(errno));
		return -errno;
	}
	return 0;
}

int st_calibrate(struct st_calibration *cal, struct st_calibration_check *chk, int cpu,
		 volatile sig_atomic_t *stop, char *err, size_t err_len)
{
	static struct st_cal_samples samples;
	struct cal_ctx x = { .s = &samples, .stats_fd = -1 };
	struct st_tracer_opts to = { .tgid = getpid(), .nr_cpus = 1, .no_sampling = true };
	cpu_set_t allowed;
	int e;

	memset(cal, 0, sizeof(*cal));
	memset(&samples, 0, sizeof(samples));
	identity(cal);
	if (syscall(NOWORK_NR) != -1 || errno != ENOSYS) {
		snprintf(err, err_len, "syscall %d is not a reserved number on this kernel; calibration needs one",
			 NOWORK_NR);
		return -ENOSYS;
	}
	if (sched_getaffinity(0, sizeof(allowed), &allowed)) {
		snprintf(err, err_len, "sched_getaffinity: %s", strerror(errno));
		return -errno;
	}
	if ((e = pin_cpu(&cpu, &allowed, err, err_len)))
		return e;
	x.cpu = cpu;
	to.cpus = &cpu;
	e = st_tracer_start(&x.t, &to, err, err_len);
	if (e)
		goto out;
	x.stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	samples.stats = x.stats_fd >= 0;
	quiet_phase(&x);
	st_tracer_detach(x.t);
	if ((e = rounds(&x, stop, err, err_len)))
		goto out;
	if (getenv("SCHEDTRACE_RAW"))
		dump_samples(stderr, &samples);
	st_calibration_derive(&samples, cal, chk);
	if (chk)
		chk->cpu = cpu;
	cal->measured_at = (__u64)time(NULL);
out:
	if (x.stats_fd >= 0)
		close(x.stats_fd);
	st_tracer_stop(x.t);
	sched_setaffinity(0, sizeof(allowed), &allowed);
	return e;
}

/* ---- cache ------------------------------------------------------------------ */

int st_calibration_save(const struct st_calibration *cal)
{
	char tmp[sizeof(ST_CALIBRATION_PATH) + 16];
	FILE *f;

	mkdir(ST_CALIBRATION_DIR, 0755);
	snprintf(tmp, sizeof(tmp), "%s.%d", ST_CALIBRATION_PATH, (int)getpid());
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	fprintf(f, "# schedtrace calibration; valid for this boot and kernel only\n");
	fprintf(f, "boot_id=%s\nkernel=%s\nmeasured_at=%llu\n", cal->boot_id, cal->kernel,
		(unsigned long long)cal->measured_at);
	fprintf(f, "null_syscall_bare_ns=%.3f\nnull_syscall_traced_ns=%.3f\n", cal->null_syscall_bare_ns,
		cal->null_syscall_traced_ns);
	fprintf(f, "null_syscall_kernel_ns=%.3f\nmode_switch_ns=%.3f\n", cal->null_syscall_kernel_ns,
		cal->mode_switch_ns);
	fprintf(f, "nowork_syscall_bare_ns=%.3f\nnowork_syscall_traced_ns=%.3f\nsyscall_probe_in_ns=%.3f\n",
		cal->nowork_syscall_bare_ns, cal->nowork_syscall_traced_ns, cal->syscall_probe_in_ns);
	for (int ev = 0; ev < ST_NR_STATS; ev++)
		if (ev_names[ev])
			fprintf(f, "probe_ns.%s=%.3f\n", ev_names[ev], cal->probe_ns[ev]);
	for (int ev = 0; ev < ST_NR_STATS; ev++)
		if (ev_names[ev] && cal->probe_alone_ns[ev] > 0)
			fprintf(f, "probe_alone_ns.%s=%.3f\n", ev_names[ev], cal->probe_alone_ns[ev]);
	if (fclose(f)) {
		unlink(tmp);
		return -errno;
	}
	if (rename(tmp, ST_CALIBRATION_PATH)) {
		int e = -errno;

		unlink(tmp);
		return e;
	}
	return 0;
}

/* Stores a probe_ns.NAME=value line's value in costs[ev]; returns ev, or -1 for an unknown name. */
static int read_probe(const char *name, const char *value, double *costs)
{
	for (int ev = 0; ev < ST_NR_STATS; ev++)
		if (ev_names[ev] && !strcmp(name, ev_names[ev])) {
			costs[ev] = strtod(value, NULL);
			return ev;
		}
	return -1;
}

bool st_calibration_fresh(const struct st_calibration *cached, const struct st_calibration *here, __u64 now_s)
{
	return here->boot_id[0] && !strcmp(cached->boot_id, here->boot_id) && !strcmp(cached->kernel, here->kernel) &&
	       cached->measured_at <= now_s && now_s - cached->measured_at <= ST_CALIBRATION_MAX_AGE_S;
}

int st_calibration_load(struct st_calibration *cal)
{
	struct st_calibration want, c;
	char line[256];
	int have = 0;
	FILE *f;

	memset(&want, 0, sizeof(want));
	identity(&want);
	memset(&c, 0, sizeof(c));
	f = fopen(ST_CALIBRATION_PATH, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *eq = strchr(line, '=');

		if (line[0] == '#' || !eq)
			continue;
		*eq++ = '\0';
		eq[strcspn(eq, "\n")] = '\0';
		if (!strcmp(line, "boot_id"))
			snprintf(c.boot_id, sizeof(c.boot_id), "%s", eq);
		else if (!strcmp(line, "kernel"))
			snprintf(c.kernel, sizeof(c.kernel), "%s", eq);
		else if (!strcmp(line, "measured_at"))
			c.measured_at = strtoull(eq, NULL, 10);
		else if (!strcmp(line, "null_syscall_bare_ns"))
			c.null_syscall_bare_ns = strtod(eq, NULL), have++;
		else if (!strcmp(line, "null_syscall_traced_ns"))
			c.null_syscall_traced_ns = strtod(eq, NULL);
		else if (!strcmp(line, "null_syscall_kernel_ns"))
			c.null_syscall_kernel_ns = strtod(eq, NULL);
		else if (!strcmp(line, "mode_switch_ns"))
			c.mode_switch_ns = strtod(eq, NULL), have++;
		else if (!strcmp(line, "nowork_syscall_bare_ns"))
			c.nowork_syscall_bare_ns = strtod(eq, NULL), have++;
		else if (!strcmp(line, "nowork_syscall_traced_ns"))
			c.nowork_syscall_traced_ns = strtod(eq, NULL);
		else if (!strcmp(line, "syscall_probe_in_ns"))
			c.syscall_probe_in_ns = strtod(eq, NULL), have++;
		else if (!strncmp(line, "probe_ns.", 9))
			have += read_probe(line + 9, eq, c.probe_ns) == ST_EV_SCHED_EXIT;
		else if (!strncmp(line, "probe_alone_ns.", 15))
			have += read_probe(line + 15, eq, c.probe_alone_ns) == ST_EV_SWITCH;
	}
	fclose(f);
	/* a cache written before the alone costs, the no-work syscall or the scheduler hooks is measured again */
	if (have < 6 || !st_calibration_fresh(&c, &want, (__u64)time(NULL)))
		return -ESTALE;
	c.from_cache = true;
	*cal = c;
	return 0;
}

int st_calibration_get(struct st_calibration *cal, bool redo, volatile sig_atomic_t *stop, char *err,
		       size_t err_len)
{
	int e;

	if (!redo && st_calibration_load(cal) == 0)
		return 0;
	e = st_calibrate(cal, NULL, -1, stop, err, err_len);
	if (e)
		return e;
	if (st_calibration_save(cal))
		fprintf(stderr, "schedtrace: warning: cannot cache the calibration in %s: %s\n",
			ST_CALIBRATION_PATH, strerror(errno));
	return 0;
}

void st_calibration_print(FILE *f, const struct st_calibration *cal, const struct st_calibration_check *chk)
{
	fprintf(f, "calibration (kernel %s%s)\n", cal->kernel, cal->from_cache ? ", cached" : "");
	fprintf(f, "  no-work syscall (-ENOSYS), bare    %8.1f ns   = the mode switch (entry + exit), charged per syscall\n",
		cal->nowork_syscall_bare_ns);
	fprintf(f, "  no-work syscall, traced           %8.1f ns   the probes cost %.1f ns per syscall,\n",
		cal->nowork_syscall_traced_ns, cal->nowork_syscall_traced_ns - cal->nowork_syscall_bare_ns);
	fprintf(f, "                                               %.1f ns of it inside sys_enter -> sys_exit\n",
		cal->syscall_probe_in_ns);
	fprintf(f, "  getppid, bare                     %8.1f ns", cal->null_syscall_bare_ns);
	if (chk)
		fprintf(f, "   witness: mode switch + its own work (%.1f in kernel - %.1f probes) = %.1f ns",
			cal->null_syscall_kernel_ns, cal->syscall_probe_in_ns, chk->getppid_predicted_ns);
	fprintf(f, "\n  getppid, traced                   %8.1f ns\n", cal->null_syscall_traced_ns);
	fprintf(f, "  probe cost per event:\n");
	for (int ev = ST_EV_FIRST; ev <= ST_EV_LAST; ev++) {
		bool sys = ev == ST_EV_SYS_ENTER || ev == ST_EV_SYS_EXIT;

		if (!ev_names[ev])
			continue;
		fprintf(f, "    %-10s %8.1f ns", ev_names[ev], cal->probe_ns[ev]);
		if (chk && sys) {
			fprintf(f, "   (program %.1f; with the other, traced - bare of the no-work syscall)", chk->run_ns[ev]);
		} else if (chk) {
			bool sched = ev != ST_EV_FORK_EXIT;

			fprintf(f, "   (%sprogram %.1f + dispatch %.1f%s", sched ? "(" : "", chk->run_ns[ev], chk->dispatch_ns,
				sched ? ")" : "");
			if (sched)
				fprintf(f, " x %.2f", chk->sched_scale);
			fputc(')', f);
		}
		if (cal->probe_alone_ns[ev] > 0)
			fprintf(f, "   alone %.1f ns", cal->probe_alone_ns[ev]);
		fputc('\n', f);
	}
	if (!chk)
		return;
	fprintf(f, "  check, pinned futex ping-pong on CPU %d (%d interleaved rounds%s):\n", chk->cpu, chk->rounds,
		chk->stats ? "" : ", no BPF run-time stats");
	fprintf(f, "    bare %.1f ns/switch, traced %.1f ns/switch (x%.3f), predicted %.1f ns/switch\n",
		chk->pingpong_bare_ns, chk->pingpong_traced_ns,
		chk->pingpong_bare_ns > 0 ? chk->pingpong_traced_ns / chk->pingpong_bare_ns : 0,
		chk->pingpong_predicted_ns);
	fprintf(f, "    (from the programs' run time alone %.1f ns/switch: switch and wakeup costs scaled x%.2f)\n",
		chk->pingpong_unscaled_ns, chk->sched_scale);
	fprintf(f, "    sched_switch alone %.1f ns/switch (x%.3f): its cost scaled x%.2f\n",
		chk->pingpong_alone_ns, chk->pingpong_bare_ns > 0 ? chk->pingpong_alone_ns / chk->pingpong_bare_ns : 0,
		chk->sched_alone_scale);
	fprintf(f, "    events per switch:");
	for (int ev = ST_EV_FIRST; ev <= ST_EV_LAST; ev++)
		if (ev_names[ev])
			fprintf(f, " %s %.2f", ev_names[ev], chk->pingpong_events[ev]);
	fputc('\n', f);
}
