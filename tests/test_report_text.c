// SPDX-License-Identifier: GPL-2.0
/* test_report_text.c — the terminal report rendered from a fixed st_run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "attribute.h"
#include "format.h"
#include "latency.h"
#include "report.h"
#include "text_parts.h"

/* A pthread-like run: 5.6 µs a switch, 2.1 syscalls, 1.8 kernel switches. */
static void pthread_run(struct st_run *run)
{
	struct st_breakdown *b = &run->summary;
	static const struct {
		const char *name, *note;
		double calls, work, path, blocked, blocked_ns;
	} rows[] = {
		{ "futex WAIT_BITSET", "condition-variable wait (glibc)", 1.0, 700, 600, 1.0, 4200 },
		{ "futex WAIT", "mutex lock contention (glibc)", 0.8, 500, 400, 0.8, 3100 },
		{ "futex WAKE", "mutex unlock or condvar signal (glibc)", 0.3, 300, 0, 0, 0 },
	};

	memset(run, 0, sizeof(*run));
	strcpy(run->workload, "pthread");
	strcpy(run->cpus, "0");
	run->traced = true;
	run->complete = true;
	run->nr_repeats = 5;
	run->result.nr_repeats = 5;
	run->result.repeats_planned = 5;
	strcpy(run->result.switch_desc, "one turn handed to the other thread through a mutex, "
					"a condition variable and a broadcast");

	b->switches = 200000;
	b->nr_cpus = 1;
	b->ns_per_switch = 5600;
	b->window_ns = 5600.0 * 200000;
	b->user = 700;
	b->mode_switch = 2310;
	b->syscall_work = 1500;
	b->sched_work = 800;
	b->return_path = 200;
	b->other_tasks = 20;
	b->idle = 0;
	b->tracer = 50;
	b->unexplained = 20;
	b->corrected_ns_per_switch = 5550;
	b->syscalls = 2.1;
	b->kernel_switches = 1.8;
	b->voluntary = 1.8;
	b->wakeups = 1.8;
	b->events = 1234567;
	b->nr_sys_rows = 3;
	for (int i = 0; i < 3; i++) {
		struct st_sys_row *r = &b->sys_rows[i];

		strcpy(r->name, rows[i].name);
		strcpy(r->note, rows[i].note);
		r->calls = rows[i].calls;
		r->work_ns = rows[i].work;
		r->sched_ns = rows[i].path;
		r->blocked = rows[i].blocked;
		r->blocked_ns = rows[i].blocked_ns;
	}
	b->runq.hist[st_hist_slot(2000)] = 100;
	b->runq.hist[st_hist_slot(2600)] = 300;
	b->runq.hist[st_hist_slot(3100)] = 50;
	b->runq.hist[st_hist_slot(40000)] = 1;
	b->runq.count = 451;
	b->runq.p50_ns = 2700;
	b->runq.p90_ns = 3000;
	b->runq.p99_ns = 3500;
	b->runq.max_ns = 40960;
	b->runq.max_exact = true;
	b->runq.mean_ns = 2800;

	run->cal.null_syscall_bare_ns = 1250;
	run->cal.null_syscall_traced_ns = 1400;
	run->cal.null_syscall_kernel_ns = 150;
	run->cal.mode_switch_ns = 1100;
	run->cal.probe_ns[ST_EV_SWITCH] = 60;
	run->cal.probe_ns[ST_EV_SYS_ENTER] = 45;
	run->cal.measured_at = 1795000000;

	strcpy(run->machine.kernel, "6.18.0-test");
	strcpy(run->machine.kernel_version, "#1 SMP PREEMPT_DYNAMIC");
	strcpy(run->machine.arch, "x86_64");
	strcpy(run->machine.cpu_model, "AMD EPYC 7B13");
	run->machine.nr_cpus_online = 2;
	strcpy(run->machine.virtualization, "KVM");
	strcpy(run->machine.clocksource, "kvm-clock");
	strcpy(run->machine.mitigations,
	       "l1tf: Not affected; meltdown: Mitigation: PTI; spectre_v2: Mitigation: Retpolines; "
	       "STIBP: disabled; RSB filling; BHI: Not affected; srbds: Not affected");
	strcpy(run->machine.date, "2026-11-29T04:00:00Z");
}

/* Renders into memory; the caller frees. */
static char *render(const struct st_run *run)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(st_report_text(f, run), 0);
	fclose(f);
	if (getenv("SHOW_REPORT"))
		fputs(text, stdout);
	return text;
}

/* The text with every run of spaces and newlines made one space, for sentences that wrap. */
static char *flat(const char *t)
{
	char *out = malloc(strlen(t) + 1), *o = out;

	assert_non_null(out);
	for (; *t; t++) {
		if (*t == ' ' || *t == '\n') {
			if (o > out && o[-1] == ' ')
				continue;
			*o++ = ' ';
		} else {
			*o++ = *t;
		}
	}
	*o = '\0';
	return out;
}

static struct st_run run; /* big: not on the stack */

static void test_sentences(void **state)
{
	char *t, *s;

	(void)state;
	pthread_run(&run);
	t = render(&run);
	s = flat(t);
	assert_non_null(strstr(s, "Each pthread switch costs 5.6 µs (median of 5 repeats of "
				  "200,000 switches)."));
	assert_non_null(strstr(s, "One switch is one turn handed to the other thread"));
	assert_non_null(strstr(s, "It makes 2.1 system calls; entering and leaving the kernel "
				  "for them costs 2.3 µs (1.1 µs each, calibrated on this machine)."));
	assert_non_null(strstr(s, "Inside the kernel, the scheduler's work (waking threads, and __schedule(): "
				  "dequeue, pick, context switch) takes 800 ns and the calls' own work 1.5 µs; "
				  "the way back to user space after a switch takes 200 ns."));
	assert_non_null(strstr(s, "The kernel switched these threads 1.80 times per counted "
				  "switch, not once: 1.80 times a thread blocked in a system call. "));
	assert_non_null(strstr(s, "Per switch, 1.00 calls blocked on the condition variable (futex "
				  "WAIT_BITSET) and 0.80 on the mutex (futex WAIT): a woken thread "
				  "can block again on the mutex its waker still holds."));
	assert_null(strstr(s, "it was preempted"));
	assert_null(strstr(s, "calibration is too high"));
	assert_non_null(strstr(s, "it waited 2.7 µs (median) for a CPU; 99% of waits were shorter "
				  "than 3.5 µs, the longest 41.0 µs."));
	assert_non_null(strstr(s, "The workload's own code in user space takes 700 ns."));
	assert_null(strstr(s, "Other tasks ran")); /* 20 ns of 5.6 µs: not worth a sentence */
	assert_non_null(strstr(s, "without them a switch would cost 5.5 µs"));
	assert_non_null(strstr(s, "The parts add up to the measured time within 20 ns (0.4%)."));
	assert_null(strstr(s, "INCOMPLETE"));
	assert_null(strstr(s, "WARNING"));
	free(s);
	free(t);
}

/*
 * A summary from the lean repeats (user share sampled, next to no probe time
 * counted): no "probes cost about 0 ns" claim, but why nothing is counted;
 * and a negative unexplained that the gates explain says so, with its size.
 */
static void test_lean_summary(void **state)
{
	char *t, *s;

	(void)state;
	pthread_run(&run);
	run.summary.user_sampled = true;
	run.summary.tracer = 3;
	run.summary.gates_ns = 180000; /* 180 us over the window's switches */
	run.summary.window_ns = run.summary.ns_per_switch * 200000;
	run.summary.unexplained = -1.2; /* 0.9 ns per switch of it the gates */
	t = render(&run);
	s = flat(t);
	assert_null(strstr(s, "own probes cost about"));
	assert_non_null(strstr(s, "In the lean repeats schedtrace's switch hook returns at once between the traced "
				  "threads, and its cost is not estimated (3 ns per switch counted)."));
	free(s);
	free(t);
	run.summary.unexplained = -150; /* 2.7% over: the gates' 0.9 ns do not explain it */
	t = render(&run);
	s = flat(t);
	assert_non_null(strstr(s, "more than was measured: the counters run a little past the ends"));
	free(s);
	free(t);
	run.summary.gates_ns = 30000000; /* 150 ns per switch: they do */
	t = render(&run);
	s = flat(t);
	assert_non_null(strstr(s, "more than was measured, 150 ns of it the gates: the counters ran 30.0 ms past"));
	free(s);
	free(t);
}

/* No syscalls seen (--light): no split of the threads' time into user and kernel is claimed. */
static void test_scheduler_view_only(void **state)
{
	char *t, *s;

	(void)state;
	pthread_run(&run);
	run.summary.syscalls = 0;
	run.summary.nr_sys_rows = 0;
	run.summary.syscall_work = run.summary.sched_work = run.summary.return_path = run.summary.mode_switch = 0;
	run.summary.user = 5400;
	t = render(&run);
	s = flat(t);
	assert_non_null(strstr(s, "No system calls were seen (a run with --light does not trace them)"));
	assert_non_null(strstr(s, "its threads' own time (user and kernel together) is 5.4 µs."));
	assert_null(strstr(s, "the calls' own work takes"));
	assert_null(strstr(s, "own code in user space"));
	free(s);
	free(t);
}

/* No mutex waits: the extra kernel switches are explained by the calls that blocked. */
static void test_switches_without_mutex(void **state)
{
	char *t, *s;

	(void)state;
	pthread_run(&run);
	strcpy(run.summary.sys_rows[1].name, "read");
	run.summary.kernel_switches = 0.5;
	t = render(&run);
	s = flat(t);
	assert_null(strstr(s, "mutex its waker"));
	assert_non_null(strstr(s, "0.50 times per counted switch"));
	assert_non_null(strstr(s, "without a thread blocking"));
	assert_non_null(strstr(s, "Calls that blocked, per switch: futex WAIT_BITSET 1.00, read 0.80."));
	free(s);
	free(t);

	run.summary.kernel_switches = 1.01;
	t = render(&run);
	s = flat(t);
	assert_non_null(strstr(s, "once per counted switch (1.01)"));
	free(s);
	free(t);
}

static void test_tables(void **state)
{
	char *t;

	(void)state;
	pthread_run(&run);
	t = render(&run);
	assert_non_null(strstr(t, "  mode switch                 2310.0    41.2%"));
	assert_non_null(strstr(t, "  total                       5600.0   100.0%"));
	assert_non_null(strstr(t, "  corrected for tracer        5550.0"));
	assert_non_null(strstr(t, "  futex WAIT_BITSET        1.00     700.0     600.0     1.00"));
	assert_non_null(strstr(t, "      condition-variable wait (glibc)\n"));
	assert_non_null(strstr(t, "p50 2.7 µs, p90 3.0 µs, p99 3.5 µs, max 41.0 µs"));
	free(t);
}

/*
 * Two CPUs: futex split over CPUs 0 and 1, 4.0 µs a switch of wall time, so
 * 8000 ns of CPU time per switch, most of it idle (each side waits for the
 * other). Every share is of 8000 (user 600 is 7.5%, idle 4800 60.0%), the
 * total row says 8000 on 2 CPUs, and the tracer's 160 ns of CPU time over
 * two CPUs is 80 ns of wall time: 3920 corrected.
 */
static void two_cpu_run(struct st_run *r)
{
	struct st_breakdown *b = &r->summary;

	pthread_run(r);
	strcpy(r->workload, "futex");
	strcpy(r->cpus, "0,1");
	b->nr_cpus = 2;
	b->ns_per_switch = 4000;
	b->window_ns = 4000.0 * 200000;
	b->user = 600;
	b->mode_switch = 400;
	b->sched_work = 1000;
	b->syscall_work = 720;
	b->return_path = 80;
	b->other_tasks = 200;
	b->idle = 4800;
	b->tracer = 160;
	b->unexplained = 40;
	b->corrected_ns_per_switch = 3920;
	b->syscalls = 1.6;
	b->kernel_switches = 1.0;
	b->voluntary = 0.93;
	b->involuntary = 0.07;
	b->wakeups = 0.9;
	b->cross_cpu_wakeups = 0.85;
}

static void test_two_cpus(void **state)
{
	char *t, *s;

	(void)state;
	two_cpu_run(&run);
	t = render(&run);
	assert_non_null(strstr(t, "schedtrace: futex on CPUs 0,1, 5 repeats\n"));
	assert_non_null(strstr(t, "  user code                    600.0     7.5%  the threads' own code\n"));
	assert_non_null(strstr(t, "  mode switch                  400.0     5.0%  1.60 syscalls x entry+exit\n"));
	assert_non_null(strstr(t, "  kernel: scheduler work      1000.0    12.5%"));
	assert_non_null(strstr(t, "  kernel: syscall work         720.0     9.0%"));
	assert_non_null(strstr(t, "  kernel: return path           80.0     1.0%"));
	assert_non_null(strstr(t, "  other tasks                  200.0     2.5%"));
	assert_non_null(strstr(t, "  idle                        4800.0    60.0%"));
	assert_non_null(strstr(t, "  tracer (estimate)            160.0     2.0%"));
	assert_non_null(strstr(t, "  unexplained                   40.0     0.5%"));
	assert_non_null(strstr(t, "  total (2 CPUs)              8000.0   100.0%  measured by the workload\n"));
	assert_non_null(strstr(t, "  corrected for tracer        3920.0"));
	/* the counts, each in its place */
	assert_non_null(strstr(t, "  kernel switches               1.00  voluntary 0.93, preempted 0.07\n"));
	assert_non_null(strstr(t, "  wakeups                       0.90  from another CPU 0.85\n"));
	s = flat(t);
	assert_non_null(strstr(s, "With 2 CPUs traced, the parts add up to 2 x 4.0 µs = 8.0 µs of CPU time."));
	assert_non_null(strstr(s, "The traced CPUs sat idle for 4.8 µs per switch (60% of the time)."));
	assert_non_null(strstr(s, "without them a switch would cost 3.9 µs"));
	free(s);
	free(t);
}

/*
 * The runqueue waits by class, each line from its own class: 300 woken
 * threads waited 2.0/2.5/2.9 µs (p50/p90/p99, max 3.1 µs), 151 preempted
 * ones 6.0/8.0/9.0 µs (max 40.0 µs, a bound).
 */
static void test_wait_classes(void **state)
{
	struct st_breakdown *b = &run.summary;
	char *t, *s;

	(void)state;
	pthread_run(&run);
	b->runq_woken.count = 300;
	b->runq_woken.mean_ns = 2100;
	b->runq_woken.p50_ns = 2000;
	b->runq_woken.p90_ns = 2500;
	b->runq_woken.p99_ns = 2900;
	b->runq_woken.max_ns = 3100;
	b->runq_woken.max_exact = true;
	b->runq_preempted.count = 151;
	b->runq_preempted.mean_ns = 6500;
	b->runq_preempted.p50_ns = 6000;
	b->runq_preempted.p90_ns = 8000;
	b->runq_preempted.p99_ns = 9000;
	b->runq_preempted.max_ns = 40000;
	b->runq_preempted.max_exact = false;
	t = render(&run);
	s = flat(t);
	assert_non_null(strstr(s, "woken: 300, mean 2.1 µs, p50 2.0 µs, p90 2.5 µs, p99 2.9 µs, max 3.1 µs"));
	assert_non_null(strstr(s, "preempted: 151, mean 6.5 µs, p50 6.0 µs, p90 8.0 µs, p99 9.0 µs, max under 40.0 µs"));
	free(s);
	free(t);
}

static void test_lines_fit(void **state)
{
	char *t, *line, *save = NULL;

	(void)state;
	pthread_run(&run);
	t = render(&run);
	for (line = strtok_r(t, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (st_text_width(line) > 80)
			fail_msg("line wider than 80 columns: %s", line);
	free(t);
}

static void test_machine_block(void **state)
{
	char *t, *s;

	(void)state;
	pthread_run(&run);
	t = render(&run);
	assert_non_null(strstr(t, "  kernel          6.18.0-test x86_64 (#1 SMP PREEMPT_DYNAMIC)\n"));
	assert_non_null(strstr(t, "  CPU             AMD EPYC 7B13, 2 vCPUs online\n"));
	assert_non_null(strstr(t, "  virtualization  KVM\n"));
	assert_non_null(strstr(t, "  clocksource     kvm-clock\n"));
	/* "; STIBP: ..." stays inside spectre_v2's entry; "Not affected" ones are counted */
	s = flat(t);
	assert_non_null(strstr(s, "mitigations meltdown: Mitigation: PTI; spectre_v2: Mitigation: "
				  "Retpolines; STIBP: disabled; RSB filling; BHI: Not affected; "
				  "(2 more: not affected)"));
	free(s);
	assert_non_null(strstr(t, "  CPUs used       0\n"));
	assert_non_null(strstr(t, "Calibration (fresh, measured 2026-11-18"));
	assert_non_null(strstr(t, "mode switch     1.1 µs per syscall"));
	assert_non_null(strstr(t, "switch 60 ns"));
	assert_non_null(strstr(t, "compare ratios within one run"));
	free(t);

	strcpy(run.machine.mitigations, "l1tf: Not affected; mds: Not affected");
	t = render(&run);
	assert_non_null(strstr(t, "  mitigations     (all 2: not affected)\n"));
	free(t);
}

static void test_round_trip_and_overshoot(void **state)
{
	char *t, *s;

	(void)state;
	pthread_run(&run);
	run.result.repeat[0].switches = 200000;
	run.result.repeat[0].round_trips = 100000;
	run.summary.unexplained = -400;
	t = render(&run);
	s = flat(t);
	assert_non_null(strstr(s, "A round trip (2 switches) costs 11.2 µs."));
	assert_non_null(strstr(s, "The parts come to 400 ns (7.1%) more than was measured"));
	assert_null(strstr(s, "left unexplained"));
	free(s);
	free(t);

	run.summary.unexplained = 300; /* 5.4%: said as unexplained */
	t = render(&run);
	s = flat(t);
	assert_non_null(strstr(s, "300 ns (5.4%) is left unexplained."));
	free(s);
	free(t);

	/* rounding noise is zero, not "-0.0" or "0 ns more than measured" */
	run.summary.unexplained = -0.01;
	t = render(&run);
	s = flat(t);
	assert_non_null(strstr(s, "The parts add up to the measured time within 0 ns (0.0%)."));
	assert_non_null(strstr(t, "  unexplained                    0.0     0.0%"));
	assert_null(strstr(t, "-0.0"));
	free(s);
	free(t);
}

/* Interrupted before the first repeat ended: say so, no tables of zeros. */
static void test_nothing_measured(void **state)
{
	char *t;

	(void)state;
	pthread_run(&run);
	memset(&run.summary, 0, sizeof(run.summary));
	run.nr_repeats = 0;
	run.result.nr_repeats = 0;
	run.complete = false;
	t = render(&run);
	assert_non_null(strstr(t, "INCOMPLETE: interrupted after 0 of 5 repeats"));
	assert_non_null(strstr(t, "No repeat finished, so there is nothing to explain yet."));
	assert_null(strstr(t, "Where the time goes"));
	assert_non_null(strstr(t, "Machine\n"));
	assert_null(strstr(t, "timeline:"));
	free(t);
	/* stopped in the timeline's window: its counts are all there is, and they are shown */
	run.tl_counts.recorded = true;
	run.tl_counts.records = 2097152;
	run.tl_counts.cut = true;
	run.tl_counts.nr_cpus = 1;
	t = render(&run);
	assert_non_null(strstr(t, "  timeline: 2,097,152 records of its own window before the repeats (cut short"));
	assert_null(strstr(t, "Counts per switch"));
	free(t);
	memset(&run.tl_counts, 0, sizeof(run.tl_counts));
}

static void test_incomplete_and_lost(void **state)
{
	char *t;

	(void)state;
	pthread_run(&run);
	run.complete = false;
	run.nr_repeats = 2;
	run.result.nr_repeats = 2;
	run.summary.lost = 7;
	run.summary.lost_by_kind[1] = 7;
	t = render(&run);
	assert_non_null(strstr(t, "INCOMPLETE: interrupted after 2 of 5 repeats"));
	assert_non_null(strstr(t, "WARNING: the tracer lost 7 events (thread state 0, map updates 7,"));
	/* both come before the story */
	assert_true(strstr(t, "INCOMPLETE") < strstr(t, "Each pthread switch"));
	assert_true(strstr(t, "WARNING") < strstr(t, "Each pthread switch"));
	free(t);
}

static void test_coroutine(void **state)
{
	struct st_breakdown *b = &run.summary;
	char *t, *s;

	(void)state;
	pthread_run(&run);
	strcpy(run.workload, "coro-yield");
	b->ns_per_switch = 9;
	b->user = 9;
	b->mode_switch = b->syscall_work = b->sched_work = b->return_path = b->other_tasks = b->tracer = 0;
	b->unexplained = 0;
	b->syscalls = b->kernel_switches = b->voluntary = b->wakeups = 0;
	b->nr_sys_rows = 0;
	memset(&b->runq, 0, sizeof(b->runq));
	t = render(&run);
	assert_non_null(strstr(t, "Each coro-yield switch costs 9 ns"));
	s = flat(t);
	assert_non_null(strstr(s, "It never entered the kernel: no system calls and no kernel "
				  "switches, so its own time is all user-space code (9 ns per switch)."));
	free(s);
	assert_null(strstr(t, "system calls; entering"));
	assert_null(strstr(t, "counted switch"));
	assert_non_null(strstr(t, "(no samples)"));
	free(t);
}

/* --perfetto: one line (wrapped) with the timeline's records and what each CPU lost; none without. */
static void test_timeline_line(void **state)
{
	char *t, *s;

	(void)state;
	pthread_run(&run);
	t = render(&run);
	assert_null(strstr(t, "timeline:"));
	free(t);
	run.tl_counts.recorded = true;
	run.tl_counts.records = 200009;
	run.tl_counts.nr_cpus = 2;
	run.tl_counts.lost_per_cpu[1] = 1234;
	run.tl_counts.lost = 1234;
	run.tl_counts.coro_ring = true;
	run.tl_counts.coro_switches = 200000;
	run.tl_counts.coro_dropped = 5;
	run.tl_counts.ns_per_switch = 9812.5; /* the window's, while recording */
	t = render(&run);
	s = flat(t);
	assert_non_null(strstr(s, "events traced: "));
	assert_non_null(strstr(s, " timeline: 200,009 records of its own window before the repeats (9.8 µs/switch "
				  "while recording, 1.75x the repeats') (200,000 coroutine switches); "
				  "lost: 0 on CPU 0, 1,234 on CPU 1; coroutine ring full: 5 dropped "));
	free(s);
	free(t);
	/* many CPUs: only those that lost records; a pthread run has no coroutine ring */
	run.tl_counts.nr_cpus = 64;
	run.tl_counts.coro_ring = false;
	t = render(&run);
	s = flat(t);
	assert_non_null(strstr(s, " timeline: 200,009 records of its own window before the repeats (9.8 µs/switch "
				  "while recording, 1.75x the repeats'); lost: 1,234 on CPU 1 "));
	free(s);
	free(t);
	run.tl_counts.lost_per_cpu[1] = 0;
	t = render(&run);
	s = flat(t);
	assert_non_null(strstr(s, " timeline: 200,009 records of its own window before the repeats (9.8 µs/switch "
				  "while recording, 1.75x the repeats'); lost: none "));
	assert_null(strstr(s, "scheduler only"));
	free(s);
	free(t);
	/* --light: the timeline says what it leaves out */
	run.light = true;
	t = render(&run);
	s = flat(t);
	assert_non_null(strstr(s, "lost: none; scheduler only (--light): no syscall slices "));
	free(s);
	free(t);
	run.light = false;
	memset(&run.tl_counts, 0, sizeof(run.tl_counts));
}

/* Switch-ins whose wait no stamp covers: counted next to the histogram, not in it. */
static void test_runq_untimed_line(void **state)
{
	char *t, *s;

	(void)state;
	pthread_run(&run);
	t = render(&run);
	assert_null(strstr(t, "no stamp covers"));
	free(t);
	run.summary.runq.untimed = 13791;
	t = render(&run);
	s = flat(t);
	assert_non_null(strstr(s, " and 13,791 switch-ins whose wait no stamp covers, not counted above: threads "
				  "the tracer first saw already waiting "));
	free(s);
	free(t);
	run.summary.runq.untimed = 0;
}

/* The run seen on this host: preemptions, and a calibration larger than the time measured. */
static void test_preemptions_and_clamp(void **state)
{
	struct st_breakdown *b = &run.summary;
	char *t, *s;

	(void)state;
	pthread_run(&run);
	b->kernel_switches = 1.72;
	b->voluntary = 1.02;
	b->involuntary = 0.70;
	b->clamped = 3300;
	b->unexplained = -3300;
	run.cal.mode_switch_ns = 2000;
	run.cal.probe_ns[ST_EV_SWITCH] = run.cal.probe_ns[ST_EV_WAKEUP] = 600;
	run.cal.probe_ns[ST_EV_SYS_ENTER] = run.cal.probe_ns[ST_EV_SYS_EXIT] = 500;
	t = render(&run);
	s = flat(t);
	assert_non_null(strstr(s, "1.72 times per counted switch, not once: 1.02 times a thread "
				  "blocked in a system call and 0.70 times it was preempted while "
				  "still runnable."));
	assert_non_null(strstr(s, "a preemption here means the thread just woken took the CPU "
				  "before its waker blocked."));
	assert_non_null(strstr(s, "(2.0 µs per mode switch, about 550 ns per probe run), and those "
				  "estimates exceed the measured time by 3.3 µs per switch"));
	assert_non_null(strstr(s, "--recalibrate"));
	free(s);
	free(t);
}

/* An event loop: system calls, but no kernel switch. */
static void test_event_loop(void **state)
{
	struct st_breakdown *b = &run.summary;
	char *t, *s;

	(void)state;
	pthread_run(&run);
	strcpy(run.workload, "epoll");
	b->kernel_switches = b->voluntary = b->wakeups = 0;
	b->other_tasks = 2800; /* half the time: interference */
	t = render(&run);
	s = flat(t);
	assert_non_null(strstr(s, "Other tasks ran on the traced CPU for 2.8 µs per switch (50% of "
				  "the time): interference"));
	assert_non_null(strstr(s, "It makes 2.1 system calls"));
	assert_non_null(strstr(s, "The kernel never switched threads"));
	assert_null(strstr(s, "switch path (from"));
	assert_null(strstr(s, "counted switch"));
	free(s);
	free(t);
}

/* schedtrace trace: the kernel's switches are the denominator. */
static void test_trace_mode(void **state)
{
	struct st_breakdown *b = &run.summary;
	char *t, *s;

	(void)state;
	pthread_run(&run);
	b->switches_from_kernel = true;
	b->switches = 250;
	b->window_ns = 1e6;
	b->ns_per_switch = 4000;
	b->kernel_switches = 1;
	t = render(&run);
	s = flat(t);
	assert_non_null(strstr(s, "The traced threads were switched out 250 times in 1.0 ms: one "
				  "kernel switch every 4.0 µs."));
	assert_null(strstr(s, "Each pthread switch"));
	assert_null(strstr(s, "counted switch"));
	assert_non_null(strstr(t, "window / kernel switches"));
	free(s);
	free(t);
}

static void test_untraced(void **state)
{
	char *t;

	(void)state;
	pthread_run(&run);
	run.traced = false;
	t = render(&run);
	assert_non_null(strstr(t, "not traced (--no-trace)"));
	assert_null(strstr(t, "Where the time goes"));
	assert_non_null(strstr(t, "Machine\n"));
	free(t);
}

static void test_hist_printer(void **state)
{
	__u64 hist[ST_HIST_SLOTS] = { 0 };
	char *t = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&t, &len);

	(void)state;
	hist[st_hist_slot(1024)] = 10;	/* slot [1024, 1280) */
	hist[st_hist_slot(1536)] = 5;	/* slot [1536, 1792), one empty slot between */
	st_text_hist(f, hist, ST_HIST_SLOTS, 10);
	fclose(f);
	assert_string_equal(t, "     1.0 µs - 1.3 µs            10 |##########|\n"
			       "     1.3 µs - 1.5 µs             0 |          |\n"
			       "     1.5 µs - 1.8 µs             5 |#####     |\n");
	free(t);

	memset(hist, 0, sizeof(hist));
	f = open_memstream(&t, &len);
	st_text_hist(f, hist, ST_HIST_SLOTS, 10);
	fclose(f);
	assert_string_equal(t, "  (no samples)\n");
	free(t);

	/* three empty slots in a row print as one row spanning them */
	hist[st_hist_slot(1024)] = 1;
	hist[st_hist_slot(2048)] = 2;
	f = open_memstream(&t, &len);
	st_text_hist(f, hist, ST_HIST_SLOTS, 4);
	fclose(f);
	assert_string_equal(t, "     1.0 µs - 1.3 µs             1 |##  |\n"
			       "     1.3 µs - 2.0 µs             0 |    |\n"
			       "     2.0 µs - 2.6 µs             2 |####|\n");
	free(t);

	/* 640 ns to 2.1 ms is more than 24 slots: one row per power of two */
	memset(hist, 0, sizeof(hist));
	hist[st_hist_slot(700)] = 3;	 /* [512, 1024) */
	hist[st_hist_slot(900)] = 1;	 /* [512, 1024) */
	hist[st_hist_slot(1500)] = 8;	 /* [1024, 2048) */
	hist[st_hist_slot(2200000)] = 2; /* [2^21, 2^22) ns */
	f = open_memstream(&t, &len);
	st_text_hist(f, hist, ST_HIST_SLOTS, 8);
	fclose(f);
	assert_string_equal(t, "     512 ns - 1.0 µs             4 |####    |\n"
			       "     1.0 µs - 2.0 µs             8 |########|\n"
			       "     2.0 µs - 2.1 ms             0 |        |\n"
			       "     2.1 ms - 4.2 ms             2 |##      |\n");
	free(t);
}

static void test_units(void **state)
{
	char b[32];

	(void)state;
	assert_string_equal(st_fmt_ns(b, sizeof(b), 0), "0 ns");
	assert_string_equal(st_fmt_ns(b, sizeof(b), 850), "850 ns");
	assert_string_equal(st_fmt_ns(b, sizeof(b), 999.7), "1.0 µs");
	assert_string_equal(st_fmt_ns(b, sizeof(b), 5612), "5.6 µs");
	assert_string_equal(st_fmt_ns(b, sizeof(b), -2400), "-2.4 µs");
	assert_string_equal(st_fmt_ns(b, sizeof(b), 123456), "123 µs");
	assert_string_equal(st_fmt_ns(b, sizeof(b), 12.34e6), "12.3 ms");
	assert_string_equal(st_fmt_ns(b, sizeof(b), 1.5e9), "1.50 s");
	assert_string_equal(st_fmt_count(b, sizeof(b), 200000), "200,000");
	assert_string_equal(st_fmt_count(b, sizeof(b), 999), "999");
	assert_string_equal(st_fmt_count(b, sizeof(b), 1234567), "1,234,567");
	assert_int_equal(st_text_width("5.6 µs"), 6);
	{
		char *t = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&t, &len);

		/* a number and its unit stay on one line */
		st_fput_wrapped(f, "aaaa bbbb 603 ns, cc", 0, 2, 12);
		fclose(f);
		assert_string_equal(t, "aaaa bbbb\n  603 ns, cc\n");
		free(t);
	}
	assert_string_equal(st_fmt_amount(b, sizeof(b), 2.1), "2.1");
	assert_string_equal(st_fmt_amount(b, sizeof(b), 0.05), "0.05");
	assert_string_equal(st_fmt_amount(b, sizeof(b), 12.4), "12");
}

/* The witness's verdict under the table; the parts a kernel without the hooks merges; the wait classes. */
static void test_witness_merged_and_classes(void **state)
{
	char *t, *s;

	(void)state;
	pthread_run(&run);
	t = render(&run);
	assert_null(strstr(t, "Witness"));
	assert_null(strstr(t, "Merged"));
	free(t);
	/* 700 ns of 5.6 µs is 12.5%; 60 of 1000 samples in user mode is 6.0%: 6.5 points apart */
	run.summary.samples.user = 60;
	run.summary.samples.kernel = 940;
	run.sched_merged = true;
	run.return_merged = true;
	run.summary.runq_woken.count = 300;
	run.summary.runq_woken.p50_ns = 2500;
	run.summary.runq_preempted.count = 151;
	run.summary.runq_preempted.p50_ns = 4100;
	run.summary.runq.max_exact = false;
	t = render(&run);
	s = flat(t);
	assert_non_null(strstr(s, "Witness: 1,000 cpu-clock samples of the traced CPUs found a traced thread in user "
				  "mode 6.0% of the time (+/- 1.5); user code above is 12.5%: they DISAGREE"));
	assert_non_null(strstr(s, "Merged: this kernel has no sched_entry_tp/sched_exit_tp"));
	assert_non_null(strstr(s, "Merged: this kernel has no rseq_update tracepoint"));
	assert_non_null(strstr(s, "A woken thread waited 2.5 µs (median) for a CPU, a preempted one 4.1 µs; 99% "
				  "of all waits were shorter than 3.5 µs, the longest under 41.0 µs."));
	assert_non_null(strstr(s, "woken: 300,"));
	assert_non_null(strstr(s, "max under 41.0 µs"));
	free(s);
	free(t);
	memset(&run, 0, sizeof(run));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sentences),
		cmocka_unit_test(test_scheduler_view_only),
		cmocka_unit_test(test_switches_without_mutex),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_two_cpus),
		cmocka_unit_test(test_wait_classes),
		cmocka_unit_test(test_lines_fit),
		cmocka_unit_test(test_machine_block),
		cmocka_unit_test(test_incomplete_and_lost),
		cmocka_unit_test(test_round_trip_and_overshoot),
		cmocka_unit_test(test_nothing_measured),
		cmocka_unit_test(test_coroutine),
		cmocka_unit_test(test_timeline_line),
		cmocka_unit_test(test_runq_untimed_line),
		cmocka_unit_test(test_witness_merged_and_classes),
		cmocka_unit_test(test_preemptions_and_clamp),
		cmocka_unit_test(test_event_loop),
		cmocka_unit_test(test_trace_mode),
		cmocka_unit_test(test_untraced),
		cmocka_unit_test(test_lean_summary),
		cmocka_unit_test(test_hist_printer),
		cmocka_unit_test(test_units),
	};
	return cmocka_run_group_tests_name("report_text", tests, NULL, NULL);
}
