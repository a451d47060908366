// SPDX-License-Identifier: GPL-2.0
/* calibrate.c — see calibrate.h. */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
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
#include "tracer.h"

#define ROUNDS 10
#define NULL_CALLS 20000
#define PINGPONG_SWITCHES 16000

static const char *const ev_names[ST_NR_STATS] = {
	[ST_EV_SWITCH] = "switch",   [ST_EV_WAKEUP] = "wakeup",	    [ST_EV_MIGRATE] = "migrate",
	[ST_EV_SYS_ENTER] = "sys_enter", [ST_EV_SYS_EXIT] = "sys_exit", [ST_EV_FORK_EXIT] = "fork_exit",
};

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + (__u64)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	if (n <= 0)
		return 0;
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
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

static double null_syscalls(void)
{
	__u64 t0 = cpu_ns(CLOCK_THREAD_CPUTIME_ID);

	for (int i = 0; i < NULL_CALLS; i++)
		syscall(SYS_getppid);
	return (double)(cpu_ns(CLOCK_THREAD_CPUTIME_ID) - t0) / NULL_CALLS;
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
 * quiet phase.
 */
static double own_run_ns(__u64 rt, __u64 cnt, __u64 ours, double idle_ns)
{
	double filtered;

	if (!ours)
		return 0;
	filtered = cnt > ours ? (double)(cnt - ours) * idle_ns : 0;
	return (double)rt > filtered ? ((double)rt - filtered) / (double)ours : 0;
}

static bool stop_now(volatile sig_atomic_t *stop)
{
	return stop && *stop;
}

int st_calibrate(struct st_calibration *cal, struct st_calibration_check *chk, int cpu,
		 volatile sig_atomic_t *stop, char *err, size_t err_len)
{
	static struct st_snapshot s0, s1;
	double bare[ROUNDS], traced[ROUNDS], kern[ROUNDS], pp_bare[ROUNDS], pp_traced[ROUNDS], pp_alone[ROUNDS];
	double r_run[ST_NR_STATS][ROUNDS], r_waking[ROUNDS], evs[ST_NR_STATS][ROUNDS];
	double idle_ns[ST_NR_STATS] = { 0 }, idle_waking = 0;
	struct st_calibration_check local;
	struct st_tracer *t = NULL;
	struct prog_delta p0, p1;
	cpu_set_t allowed, one;
	int stats_fd = -1, e = 0, nk = 0;
	double null_delta, pp_delta, pp_alone_delta;

	if (!chk)
		chk = &local;
	memset(cal, 0, sizeof(*cal));
	memset(chk, 0, sizeof(*chk));
	memset(r_run, 0, sizeof(r_run));
	memset(evs, 0, sizeof(evs));
	identity(cal);
	if (sched_getaffinity(0, sizeof(allowed), &allowed)) {
		snprintf(err, err_len, "sched_getaffinity: %s", strerror(errno));
		return -errno;
	}
	if (cpu < 0)
		for (int c = 0; c < CPU_SETSIZE && cpu < 0; c++)
			if (CPU_ISSET(c, &allowed))
				cpu = c;
	if (cpu < 0 || !CPU_ISSET(cpu, &allowed)) {
		snprintf(err, err_len, "no usable CPU to calibrate on");
		return -EINVAL;
	}
	chk->cpu = cpu;
	chk->rounds = ROUNDS;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	if (sched_setaffinity(0, sizeof(one), &one)) {
		snprintf(err, err_len, "cannot pin to CPU %d: %s", cpu, strerror(errno));
		return -errno;
	}

	{
		struct st_tracer_opts to = { .tgid = getpid(), .cpus = &cpu, .nr_cpus = 1 };

		e = st_tracer_start(&t, &to, err, err_len);
		if (e)
			goto out;
	}
	stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	chk->stats = stats_fd >= 0;

	/* quiet phase: what a filtered-out run costs (everyone else's events) */
	prog_sample(t, &p0);
	usleep(100000);
	prog_sample(t, &p1);
	prog_sub(&p1, &p0);
	for (int i = 0; i < ST_NR_STATS; i++)
		idle_ns[i] = p1.cnt[i] ? (double)p1.rt[i] / (double)p1.cnt[i] : 0;
	idle_waking = p1.waking_cnt ? (double)p1.waking_rt / (double)p1.waking_cnt : 0;
	st_tracer_detach(t);

	srand((unsigned)now_ns());
	null_syscalls(); /* warm up */
	for (int r = 0; r < ROUNDS; r++) {
		int first = rand() & 1;

		if (stop_now(stop)) {
			e = -EINTR;
			snprintf(err, err_len, "interrupted");
			goto out;
		}
		for (int k = 0; k < 2; k++) {
			if ((k == 0) == (first == 0)) {
				bare[r] = null_syscalls();
				pp_bare[r] = pingpong(cpu);
				continue;
			}
			if ((e = st_tracer_attach(t))) {
				snprintf(err, err_len, "attaching the BPF programs failed: %s", strerror(-e));
				goto out;
			}
			/* timed with the run-time stats off: they add two clock reads per run */
			if (stats_fd >= 0)
				close(stats_fd);
			st_tracer_snapshot(t, &s0);
			traced[r] = null_syscalls();
			st_tracer_snapshot(t, &s1);
			{
				const struct st_sys_stat *a = &s0.t.sys[SYS_getppid], *b = &s1.t.sys[SYS_getppid];

				if (b->count > a->count)
					kern[nk++] = (double)(b->work_ns - a->work_ns) / (double)(b->count - a->count);
			}
			pp_traced[r] = pingpong(cpu);
			/* without the syscall hooks and sched_waking, as in the repeats that borrow the split */
			if ((e = st_tracer_set_detail_hooks(t, false)) == 0) {
				pp_alone[r] = pingpong(cpu);
				e = st_tracer_set_detail_hooks(t, true);
				/*
				 * the syscall hooks ignore a CPU until its next switch
				 * puts its stamps back on the monotonic clock: make one
				 */
				usleep(100);
			}
			if (e) {
				snprintf(err, err_len, "re-attaching the syscall hooks failed: %s", strerror(-e));
				goto out;
			}
			/* the same loads again with the stats on, for each program's run time */
			stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
			st_tracer_snapshot(t, &s0);
			prog_sample(t, &p0);
			null_syscalls();
			prog_sample(t, &p1);
			st_tracer_snapshot(t, &s1);
			prog_sub(&p1, &p0);
			for (int ev = ST_EV_SYS_ENTER; ev <= ST_EV_SYS_EXIT; ev++)
				r_run[ev][r] = own_run_ns(p1.rt[ev], p1.cnt[ev], s1.c.stat[ev] - s0.c.stat[ev],
							  idle_ns[ev]);
			st_tracer_snapshot(t, &s0);
			prog_sample(t, &p0);
			pingpong(cpu);
			prog_sample(t, &p1);
			st_tracer_snapshot(t, &s1);
			prog_sub(&p1, &p0);
			for (int ev = ST_EV_SWITCH; ev <= ST_EV_FORK_EXIT; ev++)
				evs[ev][r] = (double)(s1.c.stat[ev] - s0.c.stat[ev]) / PINGPONG_SWITCHES;
			r_run[ST_EV_SWITCH][r] = own_run_ns(p1.rt[ST_EV_SWITCH], p1.cnt[ST_EV_SWITCH],
							    s1.c.stat[ST_EV_SWITCH] - s0.c.stat[ST_EV_SWITCH],
							    idle_ns[ST_EV_SWITCH]);
			r_waking[r] = own_run_ns(p1.waking_rt, p1.waking_cnt,
						 s1.c.stat[ST_EV_WAKEUP] - s0.c.stat[ST_EV_WAKEUP], idle_waking);
			st_tracer_detach(t);
		}
	}

	/* paired differences: each pair ran back to back, so drift cancels */
	{
		double dn[ROUNDS], dp[ROUNDS], da[ROUNDS];

		for (int i = 0; i < ROUNDS; i++) {
			dn[i] = traced[i] - bare[i];
			dp[i] = pp_traced[i] - pp_bare[i];
			da[i] = pp_alone[i] - pp_bare[i];
		}
		null_delta = median(dn, ROUNDS);
		pp_delta = median(dp, ROUNDS);
		pp_alone_delta = median(da, ROUNDS);
	}
	cal->null_syscall_bare_ns = median(bare, ROUNDS);
	cal->null_syscall_traced_ns = cal->null_syscall_bare_ns + null_delta;
	cal->null_syscall_kernel_ns = median(kern, nk);
	cal->mode_switch_ns = cal->null_syscall_bare_ns - cal->null_syscall_kernel_ns;
	if (cal->mode_switch_ns < 0)
		cal->mode_switch_ns = 0;
	for (int ev = ST_EV_SWITCH; ev <= ST_EV_FORK_EXIT; ev++) {
		chk->run_ns[ev] = median(r_run[ev], ROUNDS);
		chk->pingpong_events[ev] = median(evs[ev], ROUNDS);
	}
	chk->run_ns[ST_EV_WAKEUP] = median(r_waking, ROUNDS);
	/* runs we could not provoke cheaply: what a filtered run costs plus the counter update */
	chk->run_ns[ST_EV_MIGRATE] = idle_ns[ST_EV_MIGRATE] + 10;
	chk->run_ns[ST_EV_FORK_EXIT] = idle_ns[ST_EV_FORK_EXIT] + 10;
	chk->dispatch_ns = (null_delta - chk->run_ns[ST_EV_SYS_ENTER] - chk->run_ns[ST_EV_SYS_EXIT]) / 2;
	if (chk->dispatch_ns < 0)
		chk->dispatch_ns = 0;
	if (!chk->stats) {
		/* no run-time stats: the whole traced - bare difference, split evenly */
		chk->dispatch_ns = null_delta / 2;
		if (chk->dispatch_ns < 0)
			chk->dispatch_ns = 0;
	}
	for (int ev = ST_EV_SWITCH; ev <= ST_EV_FORK_EXIT; ev++)
		cal->probe_ns[ev] = chk->run_ns[ev] + chk->dispatch_ns;
	chk->pingpong_bare_ns = median(pp_bare, ROUNDS);
	chk->pingpong_traced_ns = chk->pingpong_bare_ns + pp_delta;
	chk->pingpong_unscaled_ns = chk->pingpong_bare_ns;
	for (int ev = ST_EV_SWITCH; ev <= ST_EV_FORK_EXIT; ev++)
		chk->pingpong_unscaled_ns += chk->pingpong_events[ev] * cal->probe_ns[ev];
	/* the scheduler probes take what the ping-pong's traced - bare leaves (calibrate.h) */
	chk->sched_scale = 1;
	{
		double sys = 0, sched = 0, sw;

		for (int ev = ST_EV_SYS_ENTER; ev <= ST_EV_SYS_EXIT; ev++)
			sys += chk->pingpong_events[ev] * cal->probe_ns[ev];
		sched = chk->pingpong_events[ST_EV_SWITCH] * cal->probe_ns[ST_EV_SWITCH] +
			chk->pingpong_events[ST_EV_WAKEUP] * cal->probe_ns[ST_EV_WAKEUP];
		if (chk->stats && sched > 0 && pp_delta > sys) {
			double k = (pp_delta - sys) / sched;

			chk->sched_scale = k < 0.75 ? 0.75 : k > 2.5 ? 2.5 : k;
		}
		/* alone (sched_switch: sched_waking goes with the syscall hooks), it takes all of traced - bare */
		sw = chk->pingpong_events[ST_EV_SWITCH] * cal->probe_ns[ST_EV_SWITCH];
		chk->sched_alone_scale = chk->sched_scale;
		if (chk->stats && sw > 0 && pp_alone_delta > 0) {
			double k = pp_alone_delta / sw;

			chk->sched_alone_scale = k < 0.5 ? 0.5 : k > 2.5 ? 2.5 : k;
		}
		chk->pingpong_alone_ns = chk->pingpong_bare_ns + pp_alone_delta;
		for (int ev = ST_EV_SWITCH; ev <= ST_EV_MIGRATE; ev++)
			cal->probe_alone_ns[ev] = cal->probe_ns[ev] * chk->sched_alone_scale;
		cal->probe_ns[ST_EV_SWITCH] *= chk->sched_scale;
		cal->probe_ns[ST_EV_WAKEUP] *= chk->sched_scale;
		cal->probe_ns[ST_EV_MIGRATE] *= chk->sched_scale;
	}
	chk->pingpong_predicted_ns = chk->pingpong_bare_ns;
	for (int ev = ST_EV_SWITCH; ev <= ST_EV_FORK_EXIT; ev++)
		chk->pingpong_predicted_ns += chk->pingpong_events[ev] * cal->probe_ns[ev];
	cal->measured_at = (__u64)time(NULL);
	e = 0;
out:
	if (stats_fd >= 0)
		close(stats_fd);
	st_tracer_stop(t);
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
		else if (!strncmp(line, "probe_ns.", 9))
			read_probe(line + 9, eq, c.probe_ns);
		else if (!strncmp(line, "probe_alone_ns.", 15))
			have += read_probe(line + 15, eq, c.probe_alone_ns) == ST_EV_SWITCH;
	}
	fclose(f);
	/* a cache written before the alone costs existed is measured again */
	if (have < 3 || !st_calibration_fresh(&c, &want, (__u64)time(NULL)))
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
	fprintf(f, "  null syscall (getppid), bare     %8.1f ns\n", cal->null_syscall_bare_ns);
	fprintf(f, "  null syscall, traced             %8.1f ns\n", cal->null_syscall_traced_ns);
	fprintf(f, "  in kernel (sys_enter->sys_exit)  %8.1f ns\n", cal->null_syscall_kernel_ns);
	fprintf(f, "  mode switch (entry + exit)       %8.1f ns   charged per syscall\n", cal->mode_switch_ns);
	fprintf(f, "  probe cost per event:\n");
	for (int ev = ST_EV_SWITCH; ev <= ST_EV_FORK_EXIT; ev++) {
		fprintf(f, "    %-10s %8.1f ns", ev_names[ev], cal->probe_ns[ev]);
		if (chk) {
			bool sched = ev == ST_EV_SWITCH || ev == ST_EV_WAKEUP || ev == ST_EV_MIGRATE;

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
	for (int ev = ST_EV_SWITCH; ev <= ST_EV_FORK_EXIT; ev++)
		fprintf(f, " %s %.2f", ev_names[ev], chk->pingpong_events[ev]);
	fputc('\n', f);
}
