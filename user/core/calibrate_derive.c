// SPDX-License-Identifier: GPL-2.0
/* calibrate_derive.c — see calibrate_derive.h. */
#include <string.h>
#include "calibrate_derive.h"
#include "stats.h"

static double clamp(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Median of the rounds' values that were measured (>= 0). */
static double median_seen(const double *v, int n)
{
	double keep[ST_CAL_MAX_ROUNDS];
	int k = 0;

	for (int i = 0; i < n && i < ST_CAL_MAX_ROUNDS; i++)
		if (v[i] >= 0)
			keep[k++] = v[i];
	return st_median(keep, k);
}

/* Median of a[i] - b[i]: each pair ran back to back, so drift cancels. */
static double median_paired_delta(const double *a, const double *b, int n)
{
	double d[ST_CAL_MAX_ROUNDS];

	for (int i = 0; i < n && i < ST_CAL_MAX_ROUNDS; i++)
		d[i] = a[i] - b[i];
	return st_median(d, n < ST_CAL_MAX_ROUNDS ? n : ST_CAL_MAX_ROUNDS);
}

/* The syscall probes: the mode switch, the probes inside the window and their whole cost. */
static void syscall_costs(const struct st_cal_samples *s, struct st_calibration *cal,
			  struct st_calibration_check *chk)
{
	int n = s->rounds;
	double total, enter_share = 0.5;

	cal->nowork_syscall_bare_ns = st_median_of(s->nowork_bare, n);
	cal->mode_switch_ns = cal->nowork_syscall_bare_ns;
	total = clamp(median_paired_delta(s->nowork_traced, s->nowork_bare, n), 0, 1e9);
	cal->nowork_syscall_traced_ns = cal->nowork_syscall_bare_ns + total;
	/* inside the window: never more than the probes cost in all */
	cal->syscall_probe_in_ns = clamp(median_seen(s->nowork_kernel, n), 0, total);

	cal->null_syscall_bare_ns = st_median_of(s->getppid_bare, n);
	cal->null_syscall_traced_ns =
		cal->null_syscall_bare_ns + median_paired_delta(s->getppid_traced, s->getppid_bare, n);
	cal->null_syscall_kernel_ns = median_seen(s->getppid_kernel, n);
	chk->getppid_predicted_ns = cal->mode_switch_ns + cal->null_syscall_kernel_ns - cal->syscall_probe_in_ns;

	/* the whole cost per syscall, split between the two programs as their run times are */
	if (s->stats && chk->run_ns[ST_EV_SYS_ENTER] + chk->run_ns[ST_EV_SYS_EXIT] > 0)
		enter_share = chk->run_ns[ST_EV_SYS_ENTER] /
			      (chk->run_ns[ST_EV_SYS_ENTER] + chk->run_ns[ST_EV_SYS_EXIT]);
	cal->probe_ns[ST_EV_SYS_ENTER] = total * enter_share;
	cal->probe_ns[ST_EV_SYS_EXIT] = total - cal->probe_ns[ST_EV_SYS_ENTER];
	/* what the run-time stats do not see, per program run: shared by the two */
	chk->dispatch_ns = s->stats ? clamp((total - chk->run_ns[ST_EV_SYS_ENTER] - chk->run_ns[ST_EV_SYS_EXIT]) / 2,
					    0, 1e9)
				    : total / 2;
}

/* The probes the ping-pong's fit scales: the scheduler's hooks (the migrate one is scaled along, unseen). */
static bool scheduler_probe(int ev)
{
	return ev == ST_EV_SWITCH || ev == ST_EV_WAKEUP || ev == ST_EV_WAKEUP_DONE || ev == ST_EV_SCHED_ENTRY ||
	       ev == ST_EV_SCHED_EXIT || ev == ST_EV_RSEQ;
}

/*
 * The scheduler probes: run time plus dispatch, scaled so that the futex
 * ping-pong's traced - bare is what its events cost (bounded: a scale far
 * from 1 means the run time says little, not that the probes cost 10x).
 */
static void sched_costs(const struct st_cal_samples *s, struct st_calibration *cal,
			struct st_calibration_check *chk)
{
	int n = s->rounds;
	double pp_delta = median_paired_delta(s->pp_traced, s->pp_bare, n);
	double pp_alone_delta = median_paired_delta(s->pp_alone, s->pp_bare, n);
	double sys = 0, sched, sw;

	for (int ev = ST_EV_FIRST; ev <= ST_EV_LAST; ev++)
		if (ev != ST_EV_SYS_ENTER && ev != ST_EV_SYS_EXIT && ev != ST_EV_SAMPLE)
			cal->probe_ns[ev] = chk->run_ns[ev] + chk->dispatch_ns;
	chk->pingpong_bare_ns = st_median_of(s->pp_bare, n);
	chk->pingpong_traced_ns = chk->pingpong_bare_ns + pp_delta;
	chk->pingpong_alone_ns = chk->pingpong_bare_ns + pp_alone_delta;
	chk->pingpong_unscaled_ns = chk->pingpong_bare_ns;
	for (int ev = ST_EV_FIRST; ev <= ST_EV_LAST; ev++)
		chk->pingpong_unscaled_ns += chk->pingpong_events[ev] * cal->probe_ns[ev];

	sched = 0;
	for (int ev = ST_EV_FIRST; ev <= ST_EV_LAST; ev++) {
		if (ev == ST_EV_SYS_ENTER || ev == ST_EV_SYS_EXIT)
			sys += chk->pingpong_events[ev] * cal->probe_ns[ev];
		else if (scheduler_probe(ev))
			sched += chk->pingpong_events[ev] * cal->probe_ns[ev];
	}
	chk->sched_scale = 1;
	if (s->stats && sched > 0 && pp_delta > sys)
		chk->sched_scale = clamp((pp_delta - sys) / sched, 0.75, 2.5);
	/* without the detail hooks, sched_switch and sched_waking take all of traced - bare */
	sw = chk->pingpong_events[ST_EV_SWITCH] * cal->probe_ns[ST_EV_SWITCH] +
	     chk->pingpong_events[ST_EV_WAKEUP] * cal->probe_ns[ST_EV_WAKEUP];
	chk->sched_alone_scale = chk->sched_scale;
	if (s->stats && sw > 0 && pp_alone_delta > 0)
		chk->sched_alone_scale = clamp(pp_alone_delta / sw, 0.5, 2.5);
	for (int ev = ST_EV_SWITCH; ev <= ST_EV_MIGRATE; ev++)
		cal->probe_alone_ns[ev] = cal->probe_ns[ev] * chk->sched_alone_scale;
	for (int ev = ST_EV_FIRST; ev <= ST_EV_LAST; ev++)
		if (scheduler_probe(ev) || ev == ST_EV_MIGRATE)
			cal->probe_ns[ev] *= chk->sched_scale;

	chk->pingpong_predicted_ns = chk->pingpong_bare_ns;
	for (int ev = ST_EV_FIRST; ev <= ST_EV_LAST; ev++)
		chk->pingpong_predicted_ns += chk->pingpong_events[ev] * cal->probe_ns[ev];
}

void st_calibration_derive(const struct st_cal_samples *s, struct st_calibration *cal,
			   struct st_calibration_check *chk)
{
	struct st_calibration_check local;
	int n = s->rounds < ST_CAL_MAX_ROUNDS ? s->rounds : ST_CAL_MAX_ROUNDS;

	if (!chk)
		chk = &local;
	memset(chk, 0, sizeof(*chk));
	memset(cal->probe_ns, 0, sizeof(cal->probe_ns));
	memset(cal->probe_alone_ns, 0, sizeof(cal->probe_alone_ns));
	chk->rounds = n;
	chk->stats = s->stats;
	for (int ev = ST_EV_FIRST; ev <= ST_EV_LAST; ev++) {
		chk->run_ns[ev] = median_seen(s->run_ns[ev], n);
		chk->pingpong_events[ev] = st_median_of(s->pp_events[ev], n);
	}
	/* runs the loops cannot provoke cheaply: what a filtered run costs plus the counter update */
	chk->run_ns[ST_EV_MIGRATE] = s->idle_run_ns[ST_EV_MIGRATE] + 10;
	chk->run_ns[ST_EV_FORK_EXIT] = s->idle_run_ns[ST_EV_FORK_EXIT] + 10;

	syscall_costs(s, cal, chk);
	sched_costs(s, cal, chk);
}
