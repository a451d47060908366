/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report_fixture.h — synthetic runs for the renderer tests: every field set
 * to a distinct value (doubles that need 17 digits, strings that need
 * escaping), so a dropped or swapped field shows up in a round trip.
 */
#ifndef SCHEDTRACE_REPORT_FIXTURE_H
#define SCHEDTRACE_REPORT_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"

/* A double that needs all 17 significant digits to read back. */
static inline double fx_d(double base, int k)
{
	return base + k * 0.1 + 1.0 / 3.0;
}

static inline void fx_latency(struct st_latency *l, int seed)
{
	l->count = 1000 + seed;
	l->mean_ns = fx_d(2000, seed);
	l->p50_ns = fx_d(1500, seed);
	l->p90_ns = fx_d(3000, seed);
	l->p99_ns = fx_d(9000, seed);
	l->max_ns = fx_d(50000, seed);
	l->max_exact = seed % 3 != 2;
	for (int s = 20 + seed % 7; s < 60; s += 3)
		l->hist[s] = (__u64)(s * 7 + seed);
	l->hist[ST_HIST_SLOTS - 1] = 1; /* the open-ended last slot */
}

static inline void fx_breakdown(struct st_breakdown *b, int seed, double ns)
{
	memset(b, 0, sizeof(*b));
	b->switches = 1000000 + seed;
	b->switches_from_kernel = seed & 1;
	b->window_ns = fx_d(5e9, seed);
	b->ns_per_switch = ns + seed * 0.25;
	b->nr_cpus = 1 + seed % 2;
	b->user = ns * 0.2;
	b->mode_switch = ns * 0.15;
	b->syscall_work = ns * 0.25;
	b->sched_work = ns * 0.12;
	b->return_path = ns * 0.08;
	b->other_tasks = ns * 0.05;
	b->idle = ns * 0.08;
	b->tracer = ns * 0.04;
	b->unexplained = ns * 0.03;
	b->elsewhere = fx_d(1, seed);
	b->corrected_ns_per_switch = b->ns_per_switch - b->tracer;
	b->syscalls = fx_d(2, seed);
	b->kernel_switches = fx_d(1.8, seed);
	b->voluntary = fx_d(1.7, seed);
	b->involuntary = fx_d(0.1, seed);
	b->wakeups = fx_d(1.9, seed);
	b->cross_cpu_wakeups = fx_d(0.01, seed);
	b->migrations = fx_d(0.001, seed);
	b->nr_sys_rows = 3;
	snprintf(b->sys_rows[0].name, ST_NAME_LEN, "futex WAIT_BITSET");
	snprintf(b->sys_rows[0].note, ST_NAME_LEN, "condition-variable wait (glibc)");
	snprintf(b->sys_rows[1].name, ST_NAME_LEN, "futex WAKE");
	snprintf(b->sys_rows[1].note, ST_NAME_LEN, "a \"quoted\", comma\\note\n\t\x01 \xc3\xa9");
	snprintf(b->sys_rows[2].name, ST_NAME_LEN, "sched_yield");
	for (int i = 0; i < 3; i++) {
		struct st_sys_row *r = &b->sys_rows[i];
		r->calls = fx_d(1, seed + i);
		r->work_ns = fx_d(300, seed + i);
		r->sched_ns = fx_d(200, seed + i);
		r->blocked = fx_d(0.9, seed + i);
		r->blocked_ns = fx_d(4000, seed + i);
	}
	fx_latency(&b->runq, seed);
	fx_latency(&b->runq_migrated, seed + 1);
	fx_latency(&b->runq_local, seed + 2);
	fx_latency(&b->syscall, seed + 3);
	fx_latency(&b->oncpu, seed + 4);
	fx_latency(&b->runq_woken, seed + 5);
	fx_latency(&b->runq_preempted, seed + 6);
	b->samples.user = 101 + seed;
	b->samples.kernel = 899 + seed;
	b->samples.other = 13 + seed;
	b->samples.idle = 7 + seed;
	b->nr_top_others = 2;
	snprintf(b->top_others[0].comm, sizeof(b->top_others[0].comm), "kworker/%d:1", seed % 1000); /* bounded for -Wformat-truncation (ASan builds) */
	b->top_others[0].pid = 40 + seed;
	b->top_others[0].ns = fx_d(33, seed);
	snprintf(b->top_others[1].comm, sizeof(b->top_others[1].comm), "schedtrace");
	b->top_others[1].pid = 4000 + seed;
	b->top_others[1].ns = fx_d(11, seed);
	b->top_others[1].collector = true;
	b->events = 123456789012ULL + seed;
	b->lost = 7 + seed;
	b->lost_by_kind[0] = 1;
	b->lost_by_kind[1] = 2;
	b->lost_by_kind[2] = 4 + seed;
	b->lost_by_kind[3] = 8;
}

/* A complete run of workload on cpus with nr_repeats repeats, around ns per switch. */
static inline void fx_run(struct st_run *r, const char *workload, const char *cpus, int nr_repeats,
			  double ns)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->workload, ST_NAME_LEN, "%s", workload);
	snprintf(r->cpus, ST_NAME_LEN, "%s", cpus);
	r->traced = true;
	r->complete = true;
	r->sched_merged = nr_repeats % 2;
	r->return_merged = !r->sched_merged;
	snprintf(r->sampling_error, sizeof(r->sampling_error), "perf_event_open cpu-clock: \"busy\"");

	snprintf(r->result.name, ST_NAME_LEN, "%s", workload);
	snprintf(r->result.switch_desc, ST_TEXT_LEN,
		 "one hand-off between two threads, \"A -> B\" <via> a condvar & mutex");
	r->result.iterations = 200000;
	r->result.nr_repeats = nr_repeats;
	r->result.repeats_planned = nr_repeats + 1;
	for (int i = 0; i < nr_repeats; i++) {
		struct st_repeat_result *rr = &r->result.repeat[i];
		rr->switches = 400000 + i;
		rr->round_trips = 200000 + i;
		rr->start_ns = 18446744073709551000ULL - 1000000000ULL * (i + 1); /* near UINT64_MAX */
		rr->end_ns = rr->start_ns + 999999999ULL;
		rr->ns_per_switch = ns + fx_d(0, i);
	}
	r->result.nr_tids = 2;
	r->result.tids[0] = 4242;
	r->result.tids[1] = 4243;
	r->result.complete = true;

	r->nr_repeats = nr_repeats;
	for (int i = 0; i < nr_repeats; i++)
		fx_breakdown(&r->repeat[i], i + 1, ns);
	fx_breakdown(&r->summary, 0, ns);

	r->cal.null_syscall_bare_ns = fx_d(1200, 0);
	r->cal.null_syscall_traced_ns = fx_d(1500, 0);
	r->cal.null_syscall_kernel_ns = fx_d(100, 0);
	r->cal.mode_switch_ns = fx_d(1100, 0);
	r->cal.nowork_syscall_bare_ns = fx_d(1100, 0);
	r->cal.nowork_syscall_traced_ns = fx_d(1350, 0);
	r->cal.syscall_probe_in_ns = fx_d(90, 0);
	r->cal.nowork_syscall_run_ns = fx_d(1210, 0);
	r->cal.run_drift = fx_d(1.1, 0);
	for (int i = ST_EV_FIRST; i <= ST_EV_LAST; i++)
		if (i != ST_EV_SAMPLE)
			r->cal.probe_ns[i] = fx_d(40, i);
	r->cal.measured_at = 1764380000;
	snprintf(r->cal.kernel, ST_NAME_LEN, "6.18.0-test");
	snprintf(r->cal.boot_id, sizeof(r->cal.boot_id), "0f3c2a9e-1111-2222-3333-444455556666");
	r->cal.from_cache = true;

	struct st_machine *m = &r->machine;
	snprintf(m->kernel, ST_NAME_LEN, "6.18.0-test");
	snprintf(m->kernel_version, ST_TEXT_LEN, "#1 SMP PREEMPT_DYNAMIC Debian 6.18.0-1");
	snprintf(m->arch, sizeof(m->arch), "x86_64");
	snprintf(m->cpu_model, ST_TEXT_LEN, "Intel(R) Xeon(R) Platinum 8488C <&>");
	m->nr_cpus_online = 2;
	snprintf(m->virtualization, ST_NAME_LEN, "KVM");
	snprintf(m->clocksource, ST_NAME_LEN, "kvm-clock");
	snprintf(m->mitigations, sizeof(m->mitigations),
		 "meltdown: Mitigation: PTI; spectre_v2: Mitigation: Retpolines");
	snprintf(m->hostname, ST_NAME_LEN, "lab-42");
	snprintf(m->date, sizeof(m->date), "2026-11-29T04:00:00Z");
}

/*
 * Round numbers for the pair tests (user/core/pair.h): the run's summary and
 * every repeat get ns per switch on one CPU and the nine CPU-time parts in
 * compare.h's order (user, mode switch, scheduler work, syscall work, return
 * path, other tasks, idle, tracer, unexplained), so the median repeat is any
 * of them; 2 syscalls, 1.5 kernel switches and 0.25 migrations per switch.
 */
static inline void fx_parts(struct st_run *r, double ns, const double parts[9])
{
	struct st_breakdown *all[ST_MAX_REPEATS + 1];
	int n = 0;

	all[n++] = &r->summary;
	for (int i = 0; i < r->nr_repeats; i++)
		all[n++] = &r->repeat[i];
	for (int i = 0; i < n; i++) {
		struct st_breakdown *b = all[i];

		b->ns_per_switch = ns;
		b->nr_cpus = 1;
		b->user = parts[0];
		b->mode_switch = parts[1];
		b->sched_work = parts[2];
		b->syscall_work = parts[3];
		b->return_path = parts[4];
		b->other_tasks = parts[5];
		b->idle = parts[6];
		b->tracer = parts[7];
		b->unexplained = parts[8];
		b->syscalls = 2;
		b->kernel_switches = 1.5;
		b->migrations = 0.25;
	}
}

/* A heap run (struct st_run is large): free() it. */
static inline struct st_run *fx_new_runs(int n)
{
	struct st_run *r = calloc((size_t)n, sizeof(*r));
	if (!r)
		abort();
	return r;
}

#endif
