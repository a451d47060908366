// SPDX-License-Identifier: GPL-2.0
/* test_attribute.c — attribution over synthetic snapshots. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <asm/unistd.h>
#include "testutil.h"
#include "attribute.h"
#include "latency.h"

#define SW 1000 /* switches per synthetic window */

/* big structs: static, reset by the fixture */
static struct st_snapshot before, after;
static struct st_calibration cal;
static struct st_repeat_result rep;
static struct st_breakdown b;

static int reset(void **state)
{
	(void)state;
	memset(&before, 0, sizeof(before));
	memset(&after, 0, sizeof(after));
	memset(&cal, 0, sizeof(cal));
	memset(&b, 0, sizeof(b));
	/* counters do not start at zero: attribution must use deltas */
	for (int i = 0; i < ST_NR_STATS; i++)
		before.c.stat[i] = after.c.stat[i] = 1000000 + i;
	before.taken_ns = 5000000;
	after.taken_ns = before.taken_ns + 5600 * SW; /* the window is exactly 5.6 µs a switch */
	rep.switches = SW;
	rep.start_ns = before.taken_ns;
	rep.end_ns = after.taken_ns;
	return 0;
}

static void add(int stat, __u64 v)
{
	after.c.stat[stat] += v;
}

static double sum_of_parts(const struct st_breakdown *x)
{
	return x->user + x->mode_switch + x->syscall_work + x->sched_work + x->return_path + x->other_tasks +
	       x->idle + x->tracer + x->unexplained;
}

/* Adds a window delta to one by-syscall table entry. */
static void set_sys(struct st_sys_stat *s, __u64 count, __u64 work, __u64 sched, __u64 blocked,
		    __u64 blocked_ns)
{
	s->count += count;
	s->work_ns += work;
	s->sched_ns += sched;
	s->blocked += blocked;
	s->blocked_ns += blocked_ns;
}

/*
 * A pthread-like window with every hook: 5.6 µs a switch, 2 syscalls, 1
 * kernel switch (2 sched_switch runs: out and in), 1 wake-up, 2 __schedule()
 * brackets, 1 return to user after a preemption.
 */
static void pthread_window(void)
{
	add(ST_NS_USER, 3000 * SW);
	add(ST_NS_SYSCALL, 1000 * SW);
	add(ST_NS_SCHED, 1200 * SW);
	add(ST_NS_RETURN, 300 * SW);
	add(ST_NS_OTHER, 60 * SW);
	add(ST_NS_IDLE, 40 * SW);
	add(ST_SYSCALLS, 2 * SW);
	add(ST_EV_SYS_ENTER, 2 * SW);
	add(ST_EV_SYS_EXIT, 2 * SW);
	add(ST_EV_SWITCH, 2 * SW);
	add(ST_EV_WAKEUP, SW);
	add(ST_EV_WAKEUP_DONE, SW);
	add(ST_EV_SCHED_ENTRY, 2 * SW);
	add(ST_EV_SCHED_EXIT, 2 * SW);
	add(ST_EV_RSEQ, SW);
	add(ST_SWITCH_OUT, SW);
	add(ST_SWITCH_OUT_VOLUNTARY, SW);
	add(ST_WAKEUPS, SW);
}

/* Every probe's cost per run, for pthread_window. */
static void probe_costs(void)
{
	cal.probe_ns[ST_EV_SYS_ENTER] = 20;
	cal.probe_ns[ST_EV_SYS_EXIT] = 30;
	cal.probe_ns[ST_EV_SWITCH] = 50;
	cal.probe_ns[ST_EV_WAKEUP] = 40;
	cal.probe_ns[ST_EV_WAKEUP_DONE] = 10;
	cal.probe_ns[ST_EV_SCHED_ENTRY] = 25;
	cal.probe_ns[ST_EV_SCHED_EXIT] = 25;
	cal.probe_ns[ST_EV_RSEQ] = 10;
	cal.syscall_probe_in_ns = 15; /* of the pair's 50 ns, between sys_enter's and sys_exit's clock reads */
}

static void test_parts_add_up(void **state)
{
	(void)state;
	pthread_window();
	cal.mode_switch_ns = 1000;
	probe_costs();
	st_attribute(&before, &after, &rep, 1, &cal, &b);

	assert_int_equal(b.switches, SW);
	assert_false(b.switches_from_kernel);
	assert_near(b.ns_per_switch, 5600, 1e-12);
	/* the mode switch sits in user time: 2 syscalls x 1000 ns out of 3000 */
	assert_near(b.mode_switch, 2000, 1e-12);
	/*
	 * each probe leaves the bucket it ran in: the syscall pair 15 ns a call
	 * inside the kernel bucket and the other 35 ns in user's
	 */
	assert_near(b.user, 3000 - 2000 - 2 * 35, 1e-12);
	assert_near(b.syscall_work, 1000 - 2 * 15, 1e-12);
	/* the scheduler's hooks run in its work: 2 switches, waking and wakeup, 2 brackets */
	assert_near(b.sched_work, 1200 - (2 * 50 + 40 + 10 + 2 * 25 + 2 * 25), 1e-12);
	assert_near(b.return_path, 300 - 10, 1e-12);
	assert_near(b.tracer, 2 * 20 + 2 * 30 + 2 * 50 + 40 + 10 + 2 * 25 + 2 * 25 + 10, 1e-12);
	assert_near(b.other_tasks, 60, 1e-12);
	assert_near(b.idle, 40, 1e-12);
	/* the buckets partition the window: nothing is left unexplained */
	assert_near(b.unexplained, 0, 1e-6);
	assert_near(sum_of_parts(&b), b.ns_per_switch, 1e-12);
	assert_near(b.corrected_ns_per_switch, 5600 - 360, 1e-12);
	assert_near(b.clamped, 0, 0);

	assert_near(b.syscalls, 2, 1e-12);
	assert_near(b.kernel_switches, 1, 1e-12);
	assert_near(b.voluntary, 1, 1e-12);
	assert_near(b.involuntary, 0, 1e-9);
	assert_near(b.wakeups, 1, 1e-12);
	assert_int_equal(b.events, 13 * SW); /* 2 + 2 syscall, 2 switch, 2 wake-up, 2 + 2 bracket, 1 rseq */
	assert_int_equal(b.lost, 0);
}

/* Two CPUs: the parts add up to ns_per_switch x 2, tracer correction halves. */
static void test_two_cpus(void **state)
{
	(void)state;
	add(ST_NS_USER, 4000 * SW);
	add(ST_NS_IDLE, 7100 * SW);
	add(ST_EV_SWITCH, SW);
	cal.probe_ns[ST_EV_SWITCH] = 100;
	add(ST_NS_SCHED, 100 * SW);
	add(ST_NS_ELSEWHERE, 77 * SW);
	st_attribute(&before, &after, &rep, 2, &cal, &b);
	assert_int_equal(b.nr_cpus, 2);
	assert_near(b.unexplained, 0, 1e-6);
	assert_near(sum_of_parts(&b), 2 * b.ns_per_switch, 1e-12);
	assert_near(b.corrected_ns_per_switch, 5600 - 50, 1e-12);
	assert_near(b.elsewhere, 77, 1e-12); /* reported, not in the sum */
}

/*
 * Every event kind and every counter, on two CPUs: 5.6 µs a switch of wall
 * time, so 11,200 ns of CPU time per switch to place. Per switch the kernel
 * side saw: user 3000, syscall 1500, scheduler 1400, return 200, other
 * tasks 900, idle 4200 (= 11,200), elsewhere 33; 2 syscalls; sched_switch
 * 4 runs (2 kernel switches, out and in), sched_waking 2, sched_wakeup 2,
 * the __schedule() bracket 2 + 2, sched_migrate_task 0.5, rseq 1,
 * fork/exit 0.01, witness samples 0.2.
 *
 * By hand, per switch: mode switch 2 x 250 = 500, out of user. The syscall
 * pair costs 2 x (40 + 30) = 140, 2 x 20 = 40 of it inside the window
 * (syscall work), 100 in user. In the scheduler's work: switch 4 x 60 = 240,
 * waking 2 x 35 = 70, wakeup 2 x 15 = 30, bracket 2 x 10 + 2 x 10 = 40,
 * migrate 0.5 x 80 = 40: 420. Return path: rseq 12. Syscall work: fork/exit
 * 0.01 x 300 = 3. Tracer 140 + 420 + 12 + 3 = 575.
 *   user 3000 - 500 - 100 = 2400, syscall work 1500 - 40 - 3 = 1457,
 *   scheduler 1400 - 420 = 980, return 200 - 12 = 188;
 *   2400 + 500 + 1457 + 980 + 188 + 900 + 4200 + 575 = 11,200: nothing unexplained.
 * Corrected: 5600 - 575 / 2 CPUs = 5312.5.
 */
static void test_all_events_two_cpus(void **state)
{
	static const struct {
		int ev;
		double per_switch, cost;
	} events[] = {
		{ ST_EV_SYS_ENTER, 2, 40 }, { ST_EV_SYS_EXIT, 2, 30 },	   { ST_EV_SWITCH, 4, 60 },
		{ ST_EV_WAKEUP, 2, 35 },    { ST_EV_WAKEUP_DONE, 2, 15 }, { ST_EV_SCHED_ENTRY, 2, 10 },
		{ ST_EV_SCHED_EXIT, 2, 10 }, { ST_EV_MIGRATE, 0.5, 80 },  { ST_EV_RSEQ, 1, 12 },
		{ ST_EV_FORK_EXIT, 0.01, 300 }, { ST_EV_SAMPLE, 0.2, 0 },
	};

	(void)state;
	add(ST_NS_USER, 3000 * SW);
	add(ST_NS_SYSCALL, 1500 * SW);
	add(ST_NS_SCHED, 1400 * SW);
	add(ST_NS_RETURN, 200 * SW);
	add(ST_NS_OTHER, 900 * SW);
	add(ST_NS_IDLE, 4200 * SW);
	add(ST_NS_ELSEWHERE, 33 * SW);
	add(ST_SYSCALLS, 2 * SW);
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		add(events[i].ev, (__u64)(events[i].per_switch * SW));
		cal.probe_ns[events[i].ev] = events[i].cost;
		cal.probe_alone_ns[events[i].ev] = 1000; /* not used: the detail hooks ran */
	}
	cal.syscall_probe_in_ns = 20;
	cal.mode_switch_ns = 250;
	add(ST_SWITCH_OUT, 2 * SW);
	add(ST_SWITCH_OUT_VOLUNTARY, 1500);
	add(ST_SWITCH_OUT_PREEMPTED, 500);
	add(ST_WAKEUPS, 2 * SW);
	add(ST_WAKEUPS_CROSS_CPU, 1250);
	add(ST_MIGRATIONS, 250);
	add(ST_MIGRATE_EVENTS, 500);
	add(ST_SAMPLES_USER, 40);
	add(ST_SAMPLES_KERNEL, 60);
	add(ST_SAMPLES_OTHER, 25);
	add(ST_SAMPLES_IDLE, 75);
	add(ST_LOST_STORAGE, 1);
	add(ST_LOST_MAP_UPDATE, 2);
	add(ST_LOST_RINGBUF, 3);
	add(ST_LOST_RECURSION, 4);
	/* wall time of the syscalls (30 around 700 ns) and the on-CPU slices (20 around 2.5 µs) */
	after.c.hist[ST_HIST_SYSCALL][st_hist_slot(700)] = 30;
	after.max.v[ST_MAX_SYSCALL] = 760;
	after.c.hist[ST_HIST_ONCPU_SLICE][st_hist_slot(2500)] = 20;
	after.max.v[ST_MAX_ONCPU_SLICE] = 2600;
	st_attribute(&before, &after, &rep, 2, &cal, &b);

	assert_int_equal(b.nr_cpus, 2);
	assert_near(b.ns_per_switch, 5600, 1e-12);
	assert_near(b.mode_switch, 500, 1e-12);
	assert_near(b.user, 2400, 1e-12);
	assert_near(b.syscall_work, 1457, 1e-12);
	assert_near(b.sched_work, 980, 1e-12);
	assert_near(b.return_path, 188, 1e-12);
	assert_near(b.other_tasks, 900, 1e-12);
	assert_near(b.idle, 4200, 1e-12);
	assert_near(b.tracer, 575, 1e-12);
	assert_near(b.unexplained, 0, 1e-6);
	assert_near(b.clamped, 0, 0);
	assert_near(b.elsewhere, 33, 1e-12);
	assert_near(b.corrected_ns_per_switch, 5312.5, 1e-12);

	assert_near(b.syscalls, 2, 1e-12);
	assert_near(b.kernel_switches, 2, 1e-12);
	assert_near(b.voluntary, 1.5, 1e-12);
	assert_near(b.involuntary, 0.5, 1e-12);
	assert_near(b.wakeups, 2, 1e-12);
	assert_near(b.cross_cpu_wakeups, 1.25, 1e-12);
	assert_near(b.migrations, 0.25, 1e-12);
	/* program runs: 2000 + 2000 + 4000 + 2000 + 2000 + 2000 + 2000 + 500 + 1000 + 10 + 200 */
	assert_int_equal(b.events, 17710);
	assert_int_equal(b.samples.user, 40);
	assert_int_equal(b.samples.kernel, 60);
	assert_int_equal(b.samples.other, 25);
	assert_int_equal(b.samples.idle, 75);
	assert_int_equal(b.lost, 10);
	for (int k = 0; k < ST_LOST_KINDS; k++)
		assert_int_equal(b.lost_by_kind[k], k + 1);
	/* each latency from its own histogram and maximum */
	assert_int_equal(b.syscall.count, 30);
	assert_near(b.syscall.max_ns, 760, 0);
	assert_true(b.syscall.p50_ns >= 640 && b.syscall.p50_ns <= 760); /* inside [640, 768), under the max */
	assert_int_equal(b.oncpu.count, 20);
	assert_near(b.oncpu.max_ns, 2600, 0);
	assert_true(b.oncpu.p50_ns >= 2048 && b.oncpu.p50_ns <= 2600);
	assert_int_equal(b.runq.count, 0);
}

/* A calibration larger than the bucket: clamped at 0, the excess shows as unexplained. */
static void test_tracer_clamped(void **state)
{
	(void)state;
	add(ST_NS_USER, 5000 * SW);
	add(ST_NS_SCHED, 600 * SW);
	add(ST_EV_SWITCH, 2 * SW);
	cal.probe_ns[ST_EV_SWITCH] = 500; /* 1000 ns a switch taken out of 600 */
	st_attribute(&before, &after, &rep, 1, &cal, &b);
	assert_near(b.sched_work, 0, 1e-9);
	assert_near(b.tracer, 1000, 1e-12);
	assert_near(b.unexplained, -400, 1e-12);
	assert_near(b.clamped, 400, 1e-12);
	assert_near(b.user, 5000, 1e-12);
}

/*
 * The scheduler view without syscall hooks (--light): every on-CPU ns of the
 * traced threads reads as user, so the scheduler probes' cost comes out of
 * user, not out of an empty switch path, and nothing is clamped.
 */
static void test_tracer_without_syscall_hooks(void **state)
{
	(void)state;
	add(ST_NS_USER, 5600 * SW);
	add(ST_EV_SWITCH, 2 * SW);
	add(ST_EV_WAKEUP, SW);
	cal.probe_ns[ST_EV_SWITCH] = 150;
	cal.probe_ns[ST_EV_WAKEUP] = 100;
	st_attribute(&before, &after, &rep, 1, &cal, &b);
	assert_near(b.tracer, 400, 1e-12);
	assert_near(b.user, 5200, 1e-12);
	assert_near(b.sched_work, 0, 1e-9);
	assert_near(b.clamped, 0, 1e-9);
	assert_near(b.unexplained, 0, 1e-6);

	/* measured alone (calibrate.h), the scheduler probes are charged that cost here */
	cal.probe_alone_ns[ST_EV_SWITCH] = 200;
	cal.probe_alone_ns[ST_EV_WAKEUP] = 120;
	st_attribute(&before, &after, &rep, 1, &cal, &b);
	assert_near(b.tracer, 520, 1e-12);
	assert_near(b.user, 5080, 1e-12);

	/* with syscall events the with-hooks cost applies, and nothing comes out of user but theirs */
	reset(NULL);
	cal.probe_ns[ST_EV_SWITCH] = 150;
	cal.probe_ns[ST_EV_WAKEUP] = 100;
	cal.probe_alone_ns[ST_EV_SWITCH] = 200;
	pthread_window();
	st_attribute(&before, &after, &rep, 1, &cal, &b);
	assert_near(b.tracer, 2 * 150 + 100, 1e-12);
	assert_near(b.sched_work, 1200 - 400, 1e-12);
	assert_near(b.user, 3000, 1e-12);
}

/*
 * No syscall at all, but the detail hooks ran: a coroutine preempted by the
 * timer (the scheduler's bracket saw 500 ns a switch) or a return path after
 * it. Time in any detail bucket means the split is there, so each probe comes
 * out of the bucket it runs in at its cost with every hook, not out of user
 * at the scheduler-alone cost.
 */
static void test_split_without_syscalls(void **state)
{
	(void)state;
	/* on a kernel without rseq_update: the scheduler's bucket alone */
	add(ST_NS_USER, 5100 * SW);
	add(ST_NS_SCHED, 500 * SW);
	add(ST_EV_SWITCH, 2 * SW);
	add(ST_EV_SCHED_ENTRY, 2 * SW);
	add(ST_EV_SCHED_EXIT, 2 * SW);
	cal.probe_ns[ST_EV_SWITCH] = 50;
	cal.probe_ns[ST_EV_SCHED_ENTRY] = 20;
	cal.probe_ns[ST_EV_SCHED_EXIT] = 20;
	cal.probe_alone_ns[ST_EV_SWITCH] = 90;
	st_attribute(&before, &after, &rep, 1, &cal, &b);
	assert_near(b.tracer, 2 * 50 + 2 * 20 + 2 * 20, 1e-12);
	assert_near(b.sched_work, 500 - 180, 1e-12);
	assert_near(b.user, 5100, 1e-12);
	assert_near(b.unexplained, 0, 1e-6);

	/* the return path alone (rseq after a preemption): rseq's cost comes out of it */
	reset(NULL);
	add(ST_NS_USER, 5300 * SW);
	add(ST_NS_RETURN, 300 * SW);
	add(ST_EV_RSEQ, SW);
	cal.probe_ns[ST_EV_RSEQ] = 10;
	cal.probe_alone_ns[ST_EV_RSEQ] = 70;
	st_attribute(&before, &after, &rep, 1, &cal, &b);
	assert_near(b.tracer, 10, 1e-12);
	assert_near(b.return_path, 290, 1e-12);
	assert_near(b.user, 5300, 1e-12);
}

/*
 * A lean repeat (no sched_waking, no per-thread state, no slice timed) takes
 * the waits, the on-CPU slices, the wake-ups and the migrations of a repeat
 * that timed and counted them; its switch counts and its CPU time stay its
 * own.
 */
static void test_borrow_waits(void **state)
{
	static struct st_breakdown full;

	(void)state;
	pthread_window();
	/* full: 1000 woken waits of ~2 us, 500 preempted of ~5 us; per switch 1 wake-up (pthread_window's), */
	/* 0.25 of them across CPUs, 0.1 migrations */
	after.c.hist[ST_HIST_RUNQ_WOKEN][st_hist_slot(2000)] = 1000;
	after.c.hist[ST_HIST_RUNQ_PREEMPTED][st_hist_slot(5000)] = 500;
	after.c.hist[ST_HIST_RUNQ_WAIT][st_hist_slot(2000)] = 1000;
	after.c.hist[ST_HIST_RUNQ_WAIT][st_hist_slot(5000)] = 500;
	add(ST_WAKEUPS_CROSS_CPU, SW / 4);
	add(ST_MIGRATIONS, SW / 10);
	after.c.hist[ST_HIST_ONCPU_SLICE][st_hist_slot(3000)] = 2 * SW; /* and on-CPU slices of ~3 us */
	st_attribute(&before, &after, &rep, 1, &cal, &full);
	assert_int_equal(full.runq.count, 1500);
	assert_int_equal(full.oncpu.count, 2 * SW);

	/* lean: 2 switch-outs per switch, and nothing of the above (no slice is timed there either) */
	reset(NULL);
	add(ST_NS_USER, 5600 * SW);
	add(ST_SWITCH_OUT, 2 * SW);
	add(ST_SWITCH_OUT_VOLUNTARY, SW);
	add(ST_SWITCH_OUT_PREEMPTED, SW);
	st_attribute(&before, &after, &rep, 1, &cal, &b);
	assert_int_equal(b.oncpu.count, 0);
	assert_int_equal(b.runq.count, 0);
	st_breakdown_borrow_waits(&b, &full);
	assert_int_equal(b.runq.count, 1500);
	assert_int_equal(b.runq_woken.count, 1000);
	assert_int_equal(b.runq_preempted.count, 500);
	assert_int_equal(b.runq_woken.hist[st_hist_slot(2000)], 1000);
	assert_near(b.runq_preempted.p50_ns, full.runq_preempted.p50_ns, 0);
	assert_near(b.wakeups, 1, 1e-12);
	assert_near(b.cross_cpu_wakeups, 0.25, 1e-12);
	assert_near(b.migrations, 0.1, 1e-12);
	assert_int_equal(b.oncpu.count, 2 * SW);
	assert_int_equal(b.oncpu.hist[st_hist_slot(3000)], 2 * SW);
	/* its own */
	assert_near(b.kernel_switches, 2, 1e-12);
	assert_near(b.involuntary, 1, 1e-12);
	assert_near(b.user, 5600, 1e-12);
	assert_near(b.unexplained, 0, 1e-6);
}

/*
 * A lean repeat's kernel switches are the kernel's own per-thread counts at
 * its two ends: 1000 blocking and 700 preempted in 1000 switches.
 */
static void test_kernel_counts(void **state)
{
	struct st_proc_switches a = { 100, 50, 2 }, z = { 1100, 750, 2 }, unread = { 0, 0, 0 };

	(void)state;
	add(ST_NS_USER, 5600 * SW);
	add(ST_SWITCH_OUT, SW / 10); /* the few sched_switch still counted (a thread going idle) */
	add(ST_SWITCH_OUT_VOLUNTARY, SW / 10);
	st_attribute(&before, &after, &rep, 1, &cal, &b);
	assert_near(b.kernel_switches, 0.1, 1e-12);
	st_breakdown_kernel_counts(&b, &a, &z);
	assert_near(b.voluntary, 1.0, 1e-12);
	assert_near(b.involuntary, 0.7, 1e-12);
	assert_near(b.kernel_switches, 1.7, 1e-12);
	/* an end not read: the counters' figures stay */
	st_attribute(&before, &after, &rep, 1, &cal, &b);
	st_breakdown_kernel_counts(&b, &unread, &z);
	assert_near(b.kernel_switches, 0.1, 1e-12);
	st_breakdown_kernel_counts(&b, &a, &unread);
	assert_near(b.voluntary, 0.1, 1e-12);
}

/*
 * A lean repeat's user share from its samples: 6000 ns of the threads' own
 * time split 1200 user + 1000 mode switch + 2400 sched + 1200 syscall + 200
 * return; at a sampled 10%, user is 600 and the kernel's 4800 become 5400 in
 * the same proportions (x 1.125): 1125, 2700, 1350, 225; a row of 800 ns
 * becomes 900. The sum stays.
 */
static void test_user_share(void **state)
{
	(void)state;
	memset(&b, 0, sizeof(b));
	b.nr_cpus = 1;
	b.ns_per_switch = 6000;
	b.user = 1200;
	b.mode_switch = 1000;
	b.sched_work = 2400;
	b.syscall_work = 1200;
	b.return_path = 200;
	b.nr_sys_rows = 1;
	b.sys_rows[0].work_ns = 800;
	st_breakdown_user_share(&b, 0.10);
	assert_true(b.user_sampled);
	assert_near(b.user, 600, 1e-9);
	assert_near(b.mode_switch, 1125, 1e-9);
	assert_near(b.sched_work, 2700, 1e-9);
	assert_near(b.syscall_work, 1350, 1e-9);
	assert_near(b.return_path, 225, 1e-9);
	assert_near(b.sys_rows[0].work_ns, 900, 1e-9);
	assert_near(b.unexplained, 0, 1e-9);
	/* a share that is not one: nothing moves */
	st_breakdown_user_share(&b, 1.5);
	assert_near(b.user, 600, 1e-9);
}

/*
 * A repeat timed without the detail hooks borrows the split of one timed
 * with every hook, as shares of the threads' own time: the parts move out of
 * user, the sum stays, and a slower repeat (the host drifts) is slower in
 * every part alike.
 */
static void test_borrow_syscalls(void **state)
{
	static struct st_breakdown full;

	(void)state;
	pthread_window();
	/*
	 * full's system calls, per switch: 1 futex WAIT_BITSET (600 ns of its
	 * own work, 500 of the scheduler's, blocked 4000 ns) and 1 futex WAKE
	 * (400 + 100); their wall time, 2000 calls in [1536, 1792) ns, the
	 * longest 1790 ns
	 */
	set_sys(&after.t.futex[9], SW, 600 * SW, 500 * SW, SW, 4000 * SW);
	set_sys(&after.t.futex[1], SW, 400 * SW, 100 * SW, 0, 0);
	after.c.hist[ST_HIST_SYSCALL][st_hist_slot(1600)] = 2 * SW;
	after.max.v[ST_MAX_SYSCALL] = 1790;
	cal.mode_switch_ns = 300;
	st_attribute(&before, &after, &rep, 1, &cal, &full);
	/* no probe costs: the buckets as they are, less the mode switch */
	assert_near(full.user, 3000 - 600, 1e-12);
	assert_int_equal(full.nr_sys_rows, 2);
	assert_string_equal(full.sys_rows[0].name, "futex WAIT_BITSET"); /* 1100 ns before 500 */
	assert_near(full.sys_rows[0].calls, 1, 1e-12);
	assert_near(full.sys_rows[0].work_ns, 600, 1e-12);
	assert_near(full.sys_rows[1].sched_ns, 100, 1e-12);
	assert_int_equal(full.syscall.count, 2 * SW);
	assert_near(full.syscall.max_ns, 1790, 0);

	reset(NULL);
	add(ST_NS_USER, 5500 * SW); /* the threads' own time, unsplit */
	add(ST_NS_IDLE, 100 * SW);
	add(ST_EV_SWITCH, 2 * SW);
	st_attribute(&before, &after, &rep, 1, &cal, &b);
	assert_near(b.syscalls, 0, 1e-9);
	st_breakdown_borrow_syscalls(&b, &full);
	assert_near(b.syscalls, full.syscalls, 1e-12);
	assert_near(b.cross_cpu_wakeups, 0, 1e-9); /* none of full's crossed */
	assert_near(b.mode_switch, full.mode_switch, 1e-12);
	assert_near(b.syscall_work, 1000, 1e-12);
	assert_near(b.sched_work, 1200, 1e-12);
	assert_near(b.return_path, 300, 1e-12);
	/* the threads' own 5500 ns, as full's were: 2400 user + 600 + 1000 + 1200 + 300 */
	assert_near(b.user, 2400, 1e-12);
	assert_near(b.idle, 100, 1e-12);
	assert_near(b.unexplained, 0, 1e-6);
	assert_near(sum_of_parts(&b), 5600, 1e-12);
	/* full's rows and syscall latency, the rows at the same shares (here: the same ns) */
	assert_int_equal(b.nr_sys_rows, 2);
	assert_string_equal(b.sys_rows[1].name, "futex WAKE");
	assert_near(b.sys_rows[0].work_ns, 600, 1e-12);
	assert_near(b.sys_rows[0].sched_ns, 500, 1e-12);
	assert_int_equal(b.syscall.count, 2 * SW);
	assert_near(b.syscall.max_ns, 1790, 0);
	assert_true(b.syscall.max_exact);
	assert_int_equal(b.syscall.hist[st_hist_slot(1600)], 2 * SW);

	/* sched_waking stays attached: b's own cross-CPU wake-ups are kept */
	b.cross_cpu_wakeups = 0.25;
	st_breakdown_borrow_syscalls(&b, &full);
	assert_near(b.cross_cpu_wakeups, 0.25, 0);

	/* a repeat a fifth slower (6600 ns of own time): every part a fifth larger */
	reset(NULL);
	add(ST_NS_USER, 6600 * SW);
	after.taken_ns = before.taken_ns + 6600 * SW;
	rep.end_ns = after.taken_ns;
	st_attribute(&before, &after, &rep, 1, &cal, &b);
	st_breakdown_borrow_syscalls(&b, &full);
	assert_near(b.user, 2400 * 1.2, 1e-12);
	assert_near(b.mode_switch, 600 * 1.2, 1e-12);
	assert_near(b.sched_work, 1200 * 1.2, 1e-12);
	assert_near(b.return_path, 300 * 1.2, 1e-12);
	assert_near(b.unexplained, 0, 1e-6);
	/* the rows' time on CPU scales alike; the counts and the off-CPU time are full's */
	assert_near(b.sys_rows[0].work_ns, 600 * 1.2, 1e-12);
	assert_near(b.sys_rows[0].sched_ns, 500 * 1.2, 1e-12);
	assert_near(b.sys_rows[1].work_ns, 400 * 1.2, 1e-12);
	assert_near(b.sys_rows[0].calls, 1, 1e-12);
	assert_near(b.sys_rows[0].blocked, 1, 1e-12);
	assert_near(b.sys_rows[0].blocked_ns, 4000, 1e-12);
	assert_near(b.syscalls, 2, 1e-12);
	assert_int_equal(b.syscall.count, 2 * SW);
}

/*
 * A switch into a thread that was preempted (not blocked in a syscall) is
 * still __schedule()'s: with the bracket, sched_switch's whole cost comes out
 * of the scheduler's work, preempted or not; user keeps its own.
 */
static void test_switch_cost_in_sched(void **state)
{
	(void)state;
	pthread_window();
	add(ST_SWITCH_OUT, SW); /* now 1 voluntary and 1 preempted switch-out per switch */
	add(ST_SWITCH_OUT_PREEMPTED, SW);
	cal.probe_ns[ST_EV_SWITCH] = 100; /* 2 runs per switch */
	st_attribute(&before, &after, &rep, 1, &cal, &b);
	assert_near(b.tracer, 200, 1e-12);
	assert_near(b.sched_work, 1200 - 200, 1e-12);
	assert_near(b.user, 3000, 1e-12);
	assert_near(b.syscall_work, 1000, 1e-12);
	assert_near(b.return_path, 300, 1e-12);
	assert_near(b.unexplained, 0, 1e-6);
}

/* Gate edges: snapshots bracket a slightly shorter workload window. */
static void test_gate_edges(void **state)
{
	(void)state;
	add(ST_NS_USER, 5600 * SW);
	rep.start_ns += 2000;
	rep.end_ns -= 3000;
	st_attribute(&before, &after, &rep, 1, &cal, &b);
	assert_near(b.window_ns, 5600.0 * SW - 5000, 1e-12);
	assert_near(b.unexplained, -5.0, 1e-12); /* 5 µs over 1000 switches */
	assert_near(b.gates_ns, 5000, 1e-12);	 /* which the gates account for */
	/* a workload clock past the counters' (cannot happen): no negative gate */
	rep.end_ns = after.taken_ns + 9000;
	st_attribute(&before, &after, &rep, 1, &cal, &b);
	assert_true(b.gates_ns == 0);
}

/* A coroutine yield: no syscalls, no kernel switches, all user. */
static void test_coroutine(void **state)
{
	(void)state;
	add(ST_NS_USER, 5600 * SW);
	cal.mode_switch_ns = 1200;
	cal.probe_ns[ST_EV_SYS_EXIT] = 30;
	st_attribute(&before, &after, &rep, 1, &cal, &b);
	assert_near(b.user, b.ns_per_switch, 1e-12);
	assert_near(b.mode_switch, 0, 1e-9);
	assert_near(b.syscall_work + b.sched_work + b.return_path + b.tracer, 0, 1e-9);
	assert_near(b.syscalls, 0, 1e-9);
	assert_near(b.kernel_switches, 0, 1e-9);
	assert_int_equal(b.nr_sys_rows, 0);
	assert_int_equal(b.runq.count, 0);
}

static const struct st_sys_row *row(const char *name)
{
	for (int i = 0; i < b.nr_sys_rows; i++)
		if (!strcmp(b.sys_rows[i].name, name))
			return &b.sys_rows[i];
	return NULL;
}

static void test_futex_rows(void **state)
{
	const struct st_sys_row *r;

	(void)state;
	/* the aggregate futex entry is replaced by the per-command rows */
	set_sys(&after.t.sys[__NR_futex], 2100, 1600 * SW, 900 * SW, 1800, 7000 * SW);
	set_sys(&after.t.futex[9], 1000, 700 * SW, 600 * SW, 1000, 4000 * SW);
	set_sys(&after.t.futex[0], 800, 600 * SW, 300 * SW, 800, 3000 * SW);
	set_sys(&after.t.futex[1], 300, 300 * SW, 0, 0, 0);
	set_sys(&after.t.sys[__NR_write], 10, 5 * SW, 0, 0, 0);
	/* seen before the window only: no row */
	set_sys(&before.t.sys[__NR_read], 5, 5, 0, 0, 0);
	set_sys(&after.t.sys[__NR_read], 5, 5, 0, 0, 0);
	st_attribute(&before, &after, &rep, 1, NULL, &b);

	assert_int_equal(b.nr_sys_rows, 4);
	assert_null(row("futex"));
	assert_null(row("read"));
	/* dearest first: 1300, 900, 300, 5 ns a switch */
	assert_string_equal(b.sys_rows[0].name, "futex WAIT_BITSET");
	assert_string_equal(b.sys_rows[0].note, "condition-variable wait (glibc)");
	assert_string_equal(b.sys_rows[1].name, "futex WAIT");
	assert_string_equal(b.sys_rows[1].note, "mutex lock contention (glibc)");
	assert_string_equal(b.sys_rows[2].name, "futex WAKE");
	assert_string_equal(b.sys_rows[3].name, "write");
	assert_string_equal(b.sys_rows[3].note, "");
	r = row("futex WAIT");
	assert_non_null(r);
	assert_near(r->calls, 0.8, 1e-12);
	assert_near(r->work_ns, 600, 1e-12);
	assert_near(r->sched_ns, 300, 1e-12);
	assert_near(r->blocked, 0.8, 1e-12);
	assert_near(r->blocked_ns, 3000, 1e-12);
}

/* The kernel side kept no per-command split: the futex row stays whole. */
static void test_futex_unsplit(void **state)
{
	(void)state;
	set_sys(&after.t.sys[__NR_futex], 2000, 100, 0, 0, 0);
	st_attribute(&before, &after, &rep, 1, NULL, &b);
	assert_int_equal(b.nr_sys_rows, 1);
	assert_string_equal(b.sys_rows[0].name, "futex");
	assert_near(b.sys_rows[0].calls, 2, 1e-12);
}

/* More syscalls than rows: the cheapest fold into one row, so the rows still sum. */
static void test_rows_folded(void **state)
{
	double calls = 0, work = 0;

	(void)state;
	for (int nr = 0; nr < 30; nr++)
		set_sys(&after.t.sys[nr == __NR_futex ? 300 : nr], SW, (__u64)(nr + 1) * SW, 0, 0, 0);
	st_attribute(&before, &after, &rep, 1, NULL, &b);
	assert_int_equal(b.nr_sys_rows, ST_MAX_SYS_ROWS);
	for (int i = 0; i < b.nr_sys_rows; i++) {
		calls += b.sys_rows[i].calls;
		work += b.sys_rows[i].work_ns;
		if (i > 0 && i < b.nr_sys_rows - 1)
			assert_true(b.sys_rows[i - 1].work_ns >= b.sys_rows[i].work_ns);
	}
	assert_near(calls, 30, 1e-12);
	assert_near(work, 30 * 31 / 2, 1e-12);
	assert_string_equal(b.sys_rows[ST_MAX_SYS_ROWS - 1].name, "7 others");
	assert_near(b.sys_rows[0].work_ns, 30, 1e-12);
}

/*
 * The boundary: exactly ST_MAX_SYS_ROWS syscalls all get a row of their own;
 * one more, and the two cheapest share the last row.
 */
static void test_rows_fold_boundary(void **state)
{
	int nrs[ST_MAX_SYS_ROWS + 1], n = 0;

	(void)state;
	for (int nr = 0; n < ST_MAX_SYS_ROWS; nr++)
		if (nr != __NR_futex)
			nrs[n++] = nr;
	/* syscall k (0-based) costs 100 + k ns a switch, k + 1 calls */
	for (int k = 0; k < ST_MAX_SYS_ROWS; k++)
		set_sys(&after.t.sys[nrs[k]], (__u64)(k + 1) * SW, (__u64)(100 + k) * SW, 0, 0, 0);
	st_attribute(&before, &after, &rep, 1, NULL, &b);
	assert_int_equal(b.nr_sys_rows, ST_MAX_SYS_ROWS);
	for (int i = 0; i < ST_MAX_SYS_ROWS; i++) {
		assert_null(strstr(b.sys_rows[i].name, "others"));
		/* dearest first: row i is syscall 23 - i */
		assert_near(b.sys_rows[i].work_ns, 100 + (ST_MAX_SYS_ROWS - 1 - i), 1e-12);
		assert_near(b.sys_rows[i].calls, ST_MAX_SYS_ROWS - i, 1e-12);
	}

	/* one more syscall, the cheapest (99 ns): 23 rows, then "2 others" with the two cheapest */
	reset(NULL);
	for (int k = 0; k < ST_MAX_SYS_ROWS; k++)
		set_sys(&after.t.sys[nrs[k]], (__u64)(k + 1) * SW, (__u64)(100 + k) * SW, 0, 0, 0);
	set_sys(&after.t.sys[300], 7 * SW, 99 * SW, 0, 0, 0);
	st_attribute(&before, &after, &rep, 1, NULL, &b);
	assert_int_equal(b.nr_sys_rows, ST_MAX_SYS_ROWS);
	assert_near(b.sys_rows[ST_MAX_SYS_ROWS - 2].work_ns, 101, 1e-12);
	assert_string_equal(b.sys_rows[ST_MAX_SYS_ROWS - 1].name, "2 others");
	assert_near(b.sys_rows[ST_MAX_SYS_ROWS - 1].work_ns, 100 + 99, 1e-12);
	assert_near(b.sys_rows[ST_MAX_SYS_ROWS - 1].calls, 1 + 7, 1e-12);
}

/* Trace mode: no workload count, the kernel's switch-outs are the denominator. */
static void test_trace_mode(void **state)
{
	(void)state;
	after.taken_ns = before.taken_ns + 1000000;
	add(ST_SWITCH_OUT, 250);
	add(ST_NS_USER, 600000);
	add(ST_NS_IDLE, 400000);
	st_attribute(&before, &after, NULL, 1, NULL, &b);
	assert_true(b.switches_from_kernel);
	assert_int_equal(b.switches, 250);
	assert_near(b.window_ns, 1000000, 1e-12);
	assert_near(b.ns_per_switch, 4000, 1e-12);
	assert_near(b.kernel_switches, 1, 1e-12);
	assert_near(b.user, 2400, 1e-12);
	assert_near(b.unexplained, 0, 1e-9);
}

/* Interference, named: the window's time per other task, most first, the collector marked. */
static void other(struct st_snapshot *s, __u32 pid, __u32 tgid, const char *comm, __u64 ns)
{
	struct st_other_entry *e = &s->others[s->nr_others++];

	e->pid = pid;
	e->t.tgid = tgid;
	e->t.ns = ns;
	snprintf(e->t.comm, sizeof(e->t.comm), "%s", comm);
}

static void test_top_others(void **state)
{
	(void)state;
	/* before the window: kworker had 5 us, the collector 1 us */
	other(&before, 40, 40, "kworker/0:1", 5000);
	other(&before, 77, 77, "schedtrace", 1000);
	/* in it: kworker +60 us, collector +20 us, 6 short-lived tasks new, 1..6 us each */
	other(&after, 77, 77, "schedtrace", 21000);
	other(&after, 40, 40, "kworker/0:1", 65000);
	for (__u32 i = 1; i <= 6; i++)
		other(&after, 100 + i, 100 + i, "sh", 1000 * i);
	other(&after, 200, 200, "quiet", 0); /* seen, no time in this window */
	after.collector_tgid = 77;
	st_attribute(&before, &after, &rep, 1, NULL, &b);
	/* per switch (1000 switches): 60 ns, 20 ns, then the biggest sh: 6, 5, 4 ns */
	assert_int_equal(b.nr_top_others, ST_TOP_OTHERS);
	assert_string_equal(b.top_others[0].comm, "kworker/0:1");
	assert_near(b.top_others[0].ns, 60, 1e-12);
	assert_false(b.top_others[0].collector);
	assert_int_equal(b.top_others[1].pid, 77);
	assert_near(b.top_others[1].ns, 20, 1e-12);
	assert_true(b.top_others[1].collector);
	assert_int_equal(b.top_others[2].pid, 106);
	assert_int_equal(b.top_others[3].pid, 105);
	assert_int_equal(b.top_others[4].pid, 104);
	assert_near(b.top_others[4].ns, 4, 1e-12);
}

static void test_losses(void **state)
{
	(void)state;
	add(ST_LOST_STORAGE, 3);
	add(ST_LOST_RINGBUF, 4);
	st_attribute(&before, &after, &rep, 1, NULL, &b);
	assert_int_equal(b.lost, 7);
	assert_int_equal(b.lost_by_kind[0], 3);
	assert_int_equal(b.lost_by_kind[1], 0);
	assert_int_equal(b.lost_by_kind[2], 4);
}

/* ---- latency --------------------------------------------------------------- */

static void test_percentiles(void **state)
{
	__u64 h[ST_HIST_SLOTS] = { 0 };
	int s1 = st_hist_slot(1024), s2 = st_hist_slot(2048);

	(void)state;
	assert_near(st_hist_percentile(h, 0.5), 0, 0);
	/* slot [1024, 1280) holds 50 values, slot [2048, 2560) 50 */
	h[s1] = 50;
	h[s2] = 50;
	assert_int_equal(st_hist_slot_lo(s1 + 1), 1280);
	assert_int_equal(st_hist_slot_lo(s2 + 1), 2560);
	/* rank 25 is halfway through the first slot */
	assert_near(st_hist_percentile(h, 0.25), 1024 + 256 * 0.5, 1e-12);
	assert_near(st_hist_percentile(h, 0.5), 1280, 1e-12);
	/* rank 90 is 40/50 into the second slot */
	assert_near(st_hist_percentile(h, 0.9), 2048 + 512 * 0.8, 1e-12);
	assert_near(st_hist_percentile(h, 0.99), 2048 + 512 * 0.98, 1e-12);
	assert_near(st_hist_max_bound(h), 2559, 0);
	assert_near(st_hist_mean_estimate(h), (1024 + 1279 + 2048 + 2559) / 4.0, 1e-12);
}

/* A class with no value in the window has no measured maximum, whatever the window kept. */
static void test_latency_empty_class(void **state)
{
	__u64 h[ST_HIST_SLOTS] = { 0 };
	struct st_latency l;

	(void)state;
	memset(&l, 0xff, sizeof(l));
	st_latency_fill(&l, h, 0, 0, 5000);
	assert_int_equal(l.count, 0);
	assert_false(l.max_exact);
	assert_near(l.max_ns, 0, 0);
	assert_near(l.p50_ns, 0, 0);
	assert_near(l.mean_ns, 0, 0);
	/* one value: mean, maximum and percentiles are that value (the slot [4096, 5120) holds it) */
	h[st_hist_slot(5000)] = 1;
	st_latency_fill(&l, h, 5000, 1, 5000);
	assert_int_equal(l.count, 1);
	assert_true(l.max_exact);
	assert_near(l.mean_ns, 5000, 0);
	assert_near(l.max_ns, 5000, 0);
	assert_near(l.p99_ns, 5000, 0);
}

/*
 * Runqueue waits by class: 5 woken threads waited 3000 ns, one preempted
 * 9000 ns (the user-space sum of the classes is the "all" histogram).
 */
static void test_runq_latency(void **state)
{
	(void)state;
	after.c.hist[ST_HIST_RUNQ_WOKEN][st_hist_slot(3000)] = 9;
	before.c.hist[ST_HIST_RUNQ_WOKEN][st_hist_slot(3000)] = 4; /* 5 in the window */
	after.c.hist[ST_HIST_RUNQ_PREEMPTED][st_hist_slot(9000)] = 1;
	for (int s = 0; s < ST_HIST_SLOTS; s++) {
		before.c.hist[ST_HIST_RUNQ_WAIT][s] = before.c.hist[ST_HIST_RUNQ_WOKEN][s];
		after.c.hist[ST_HIST_RUNQ_WAIT][s] =
			after.c.hist[ST_HIST_RUNQ_WOKEN][s] + after.c.hist[ST_HIST_RUNQ_PREEMPTED][s];
	}
	after.c.hist[ST_HIST_RUNQ_WAIT_LOCAL][st_hist_slot(3000)] = 5;
	after.c.hist[ST_HIST_RUNQ_WAIT_LOCAL][st_hist_slot(9000)] = 1;
	add(ST_RUNQ_WOKEN_NS, 5 * 3000);
	add(ST_RUNQ_WOKEN_COUNT, 5);
	add(ST_RUNQ_PREEMPTED_NS, 9000);
	add(ST_RUNQ_PREEMPTED_COUNT, 1);
	add(ST_RUNQ_WAIT_UNTIMED, 4); /* no stamp covered their wait: apart */
	/* the window's maxima, as the kernel side kept them */
	after.max.v[ST_MAX_RUNQ_WOKEN] = 3100;
	after.max.v[ST_MAX_RUNQ_PREEMPTED] = 9000;
	st_attribute(&before, &after, &rep, 1, NULL, &b);
	assert_int_equal(b.runq.count, 6);
	assert_int_equal(b.runq.untimed, 4);
	assert_int_equal(b.runq_local.untimed, 0);
	assert_near(b.runq.mean_ns, 4000, 1e-12); /* exact, from the counters */
	assert_near(b.runq.max_ns, 9000, 0);
	assert_true(b.runq.max_exact);
	assert_int_equal(b.runq_woken.count, 5);
	assert_near(b.runq_woken.mean_ns, 3000, 1e-12);
	assert_near(b.runq_woken.max_ns, 3100, 0);
	assert_int_equal(b.runq_preempted.count, 1);
	assert_near(b.runq_preempted.max_ns, 9000, 0);
	assert_near(b.runq_preempted.mean_ns, 9000, 0); /* one wait: its exact value, not its slot's middle */
	/*
	 * The all-waits p90 interpolates to rank 5.4 of 6: 0.4 into [8192, 10240),
	 * 9011 ns, above the measured 9000: it is held at the maximum, as is p99.
	 */
	assert_near(b.runq.p90_ns, 9000, 0);
	assert_near(b.runq.p99_ns, 9000, 0);
	assert_int_equal(b.runq.hist[st_hist_slot(3000)], 5);
	assert_true(b.runq.p50_ns >= 2560 && b.runq.p50_ns < 3072);
	assert_true(b.runq.p99_ns >= 8192 && b.runq.p99_ns <= 9000);
	assert_int_equal(b.runq_local.count, 6);
	assert_int_equal(b.runq_migrated.count, 0);
	/* by CPU there is no maximum of its own: bounded by the measured one, and said to be a bound */
	assert_near(b.runq_local.max_ns, 9000, 0);
	assert_false(b.runq_local.max_exact);

	/* no maximum kept (a window from before they existed): the top of the highest slot, a bound */
	memset(&after.max, 0, sizeof(after.max));
	st_attribute(&before, &after, &rep, 1, NULL, &b);
	assert_near(b.runq.max_ns, 10239, 0); /* top of [8192, 10240) */
	assert_false(b.runq.max_exact);
}

/* ---- median ---------------------------------------------------------------- */

static struct st_breakdown reps[4];

static void test_median_odd(void **state)
{
	static const double ns[] = { 5000, 7000, 6000 };

	(void)state;
	memset(reps, 0, sizeof(reps));
	for (int i = 0; i < 3; i++) {
		reps[i].ns_per_switch = ns[i];
		reps[i].user = 100 * (3 - i);	/* 300, 200, 100: median from another repeat */
		reps[i].switches = 1000 + i;
		reps[i].runq.p99_ns = 10 * i;
		reps[i].runq.untimed = 50 - 10 * (__u64)i; /* 50, 40, 30 */
		reps[i].lost = i == 1 ? 5 : 0; /* one repeat lost events */
		reps[i].lost_by_kind[2] = reps[i].lost;
		reps[i].nr_sys_rows = 1;
		snprintf(reps[i].sys_rows[0].name, ST_NAME_LEN, "row of %d", i);
		reps[i].samples.user = 10 * ((__u64)i + 1); /* 10, 20, 30 */
		reps[i].samples.idle = 7;
	}
	/* the longest waits: 3000 (measured), 9000 (a bound only), 5000 (measured) */
	reps[0].runq.max_ns = 3000;
	reps[0].runq.max_exact = true;
	reps[1].runq.max_ns = 9000;
	reps[1].runq.max_exact = false;
	reps[2].runq.max_ns = 5000;
	reps[2].runq.max_exact = true;
	st_breakdown_median(reps, 3, &b);
	assert_near(b.ns_per_switch, 6000, 0);
	/* the witness's samples are summed over the repeats, not medianed */
	assert_int_equal(b.samples.user, 60);
	assert_int_equal(b.samples.idle, 21);
	/* the run's longest wait is the longest of all, with what it is (here a bound) */
	assert_near(b.runq.max_ns, 9000, 0);
	assert_false(b.runq.max_exact);
	assert_near(b.user, 200, 0);
	assert_int_equal(b.switches, 1001);
	assert_near(b.runq.p99_ns, 10, 0);
	assert_int_equal(b.runq.untimed, 40);
	assert_string_equal(b.sys_rows[0].name, "row of 2"); /* the 6000 ns repeat */
	assert_int_equal(b.lost, 5); /* summed: the run says it lost events */
	assert_int_equal(b.lost_by_kind[2], 5);
}

static void test_median_even(void **state)
{
	static const double ns[] = { 5000, 8000, 6000, 7000 };

	(void)state;
	memset(reps, 0, sizeof(reps));
	for (int i = 0; i < 4; i++) {
		reps[i].ns_per_switch = ns[i];
		reps[i].syscalls = i;
		reps[i].nr_sys_rows = 1;
		snprintf(reps[i].sys_rows[0].name, ST_NAME_LEN, "row of %d", i);
	}
	st_breakdown_median(reps, 4, &b);
	assert_near(b.ns_per_switch, 6500, 0);
	assert_near(b.syscalls, 1.5, 0);
	assert_string_equal(b.sys_rows[0].name, "row of 2"); /* the lower middle, 6000 */

	st_breakdown_median(reps, 1, &b);
	assert_near(b.ns_per_switch, 5000, 0);
	assert_string_equal(b.sys_rows[0].name, "row of 0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_parts_add_up, reset),
		cmocka_unit_test_setup(test_two_cpus, reset),
		cmocka_unit_test_setup(test_all_events_two_cpus, reset),
		cmocka_unit_test_setup(test_split_without_syscalls, reset),
		cmocka_unit_test_setup(test_tracer_clamped, reset),
		cmocka_unit_test_setup(test_tracer_without_syscall_hooks, reset),
		cmocka_unit_test_setup(test_borrow_syscalls, reset),
		cmocka_unit_test_setup(test_borrow_waits, reset),
		cmocka_unit_test_setup(test_kernel_counts, reset),
		cmocka_unit_test_setup(test_user_share, reset),
		cmocka_unit_test_setup(test_switch_cost_in_sched, reset),
		cmocka_unit_test_setup(test_gate_edges, reset),
		cmocka_unit_test_setup(test_coroutine, reset),
		cmocka_unit_test_setup(test_futex_rows, reset),
		cmocka_unit_test_setup(test_futex_unsplit, reset),
		cmocka_unit_test_setup(test_rows_folded, reset),
		cmocka_unit_test_setup(test_rows_fold_boundary, reset),
		cmocka_unit_test_setup(test_trace_mode, reset),
		cmocka_unit_test_setup(test_losses, reset),
		cmocka_unit_test_setup(test_top_others, reset),
		cmocka_unit_test(test_percentiles),
		cmocka_unit_test(test_latency_empty_class),
		cmocka_unit_test_setup(test_runq_latency, reset),
		cmocka_unit_test(test_median_odd),
		cmocka_unit_test(test_median_even),
	};
	return cmocka_run_group_tests_name("attribute", tests, NULL, NULL);
}
