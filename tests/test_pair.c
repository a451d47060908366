// SPDX-License-Identifier: GPL-2.0
/*
 * test_pair.c — user/core/pair.c and machine_diff.c: two saved reports
 * paired by workload and CPUs, every difference and ratio B/A, the part that
 * changed most (and its reversal when B is faster), the ratios within each
 * file, the runs in one file only; the machine blocks compared (PTI, the
 * mitigations that differ, the dates). Every expected number is worked out
 * by hand in the comments.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "report_fixture.h"
#include "machine_diff.h"
#include "pair.h"

/*
 * A: 5000 ns/switch = user 1000 + mode 500 + sched 1500 + sys 1000 + return
 * 200 + other 300 + idle 0 + tracer 400 + unexplained 100.
 * B: 6000 = 1000 + 500 + 2300 + 1100 + 200 + 300 + 0 + 500 + 100.
 */
static const double parts_5000[9] = { 1000, 500, 1500, 1000, 200, 300, 0, 400, 100 };
static const double parts_6000[9] = { 1000, 500, 2300, 1100, 200, 300, 0, 500, 100 };

static struct st_pair pair; /* ~20 kB: not on the stack */

static void pthread_of(struct st_run *r, double ns, const double parts[9])
{
	fx_run(r, "pthread", "0", 3, ns);
	fx_parts(r, ns, parts);
}

/*
 * B slower: ns 6000 - 5000 = +1000, ratio 1.2. Parts: sched +800 (ratio
 * 2300 / 1500 = 1.5333), sys +100 (1.1), tracer +100 (1.25), the rest 0
 * (user ratio 1.0; idle 0 on A: no ratio). Totals 5000 and 6000: the change
 * in CPU time is +1000, sched is 800 / 1000 = 80% of it. Counts equal:
 * diff 0, ratio 1. Mode switch calibrated: fx_d(1100, 0) = 1100.333 both.
 */
static void test_b_slower(void **state)
{
	struct st_run *a = fx_new_runs(1), *b = fx_new_runs(1);
	const struct st_pair_row *r;

	(void)state;
	pthread_of(a, 5000, parts_5000);
	pthread_of(b, 6000, parts_6000);
	st_pair_runs(a, 1, b, 1, &pair);
	assert_int_equal(pair.nr_rows, 1);
	assert_int_equal(pair.nr_only_a + pair.nr_only_b, 0);
	r = &pair.rows[0];
	assert_ptr_equal(r->a, a);
	assert_ptr_equal(r->b, b);
	assert_true(r->traced);
	assert_near(r->ns.diff, 1000, 1e-12);
	assert_near(r->ns.ratio, 1.2, 1e-12);
	assert_near(r->part[ST_PART_SCHED_WORK].a, 1500, 1e-12);
	assert_near(r->part[ST_PART_SCHED_WORK].b, 2300, 1e-12);
	assert_near(r->part[ST_PART_SCHED_WORK].diff, 800, 1e-12);
	assert_near(r->part[ST_PART_SCHED_WORK].ratio, 2300.0 / 1500, 1e-12);
	assert_near(r->part[ST_PART_SYSCALL_WORK].diff, 100, 1e-12);
	assert_near(r->part[ST_PART_SYSCALL_WORK].ratio, 1.1, 1e-12);
	assert_near(r->part[ST_PART_TRACER].ratio, 1.25, 1e-12);
	assert_near(r->part[ST_PART_USER].ratio, 1.0, 1e-12);
	assert_true(isnan(r->part[ST_PART_IDLE].ratio));
	assert_near(r->total.a, 5000, 1e-12);
	assert_near(r->total.b, 6000, 1e-12);
	assert_near(r->count[ST_PC_SYSCALLS].ratio, 1, 1e-12);
	assert_near(r->count[ST_PC_KERNEL_SWITCHES].diff, 0, 1e-12);
	assert_near(r->mode_switch_cal.a, 1100 + 1.0 / 3, 1e-12);
	assert_near(r->mode_switch_cal.ratio, 1, 1e-12);
	assert_int_equal(r->most.dir, 1);
	assert_int_equal(r->most.part, ST_PART_SCHED_WORK);
	assert_near(r->most.share, 0.8, 1e-12);
	assert_int_equal(pair.base, -1); /* one row: no ratios within a file */
	free(a);
	free(b);
}

/*
 * The same two the other way round: B faster, ns -1000, ratio 5000 / 6000 =
 * 0.8333; sched -800 (ratio 1500 / 2300 = 0.6522), the part that went
 * furthest down; the saving is -1000 in all, sched -800 / -1000 = 80% of it.
 */
static void test_b_faster_reverses(void **state)
{
	struct st_run *a = fx_new_runs(1), *b = fx_new_runs(1);
	const struct st_pair_row *r = &pair.rows[0];

	(void)state;
	pthread_of(a, 6000, parts_6000);
	pthread_of(b, 5000, parts_5000);
	st_pair_runs(a, 1, b, 1, &pair);
	assert_near(r->ns.diff, -1000, 1e-12);
	assert_near(r->ns.ratio, 5000.0 / 6000, 1e-12);
	assert_near(r->part[ST_PART_SCHED_WORK].diff, -800, 1e-12);
	assert_near(r->part[ST_PART_SCHED_WORK].ratio, 1500.0 / 2300, 1e-12);
	assert_int_equal(r->most.dir, -1);
	assert_int_equal(r->most.part, ST_PART_SCHED_WORK);
	assert_near(r->most.share, 0.8, 1e-12);
	free(a);
	free(b);
}

/*
 * The part that moved most in size is not always the one that changed most.
 * A 6000 = 1000 + 500 + 2300 + 1100 + 200 + 300 + 0 + 500 + 100;
 * B 5000 = 2500 + 500 + 1000 +    0 + 200 + 300 + 0 + 400 + 100:
 * user +1500, sched -1300, sys -1100, tracer -100, in all -1000. B is
 * faster, and of the parts that went down sched went furthest: -1300 /
 * -1000 = 130% of the saving (user went the other way). By size alone,
 * user's +1500 would be named.
 */
static void test_most_follows_the_direction(void **state)
{
	static const double b_parts[9] = { 2500, 500, 1000, 0, 200, 300, 0, 400, 100 };
	struct st_run *a = fx_new_runs(1), *b = fx_new_runs(1);
	const struct st_pair_row *r = &pair.rows[0];

	(void)state;
	pthread_of(a, 6000, parts_6000);
	pthread_of(b, 5000, b_parts);
	st_pair_runs(a, 1, b, 1, &pair);
	assert_near(r->part[ST_PART_USER].diff, 1500, 1e-12);
	assert_near(r->total.diff, -1000, 1e-12);
	assert_int_equal(r->most.dir, -1);
	assert_int_equal(r->most.part, ST_PART_SCHED_WORK);
	assert_near(r->most.share, 1.3, 1e-12);
	free(a);
	free(b);
}

/*
 * Within 2%: 5000 against 5090 (ratio 1.018) is the same, nothing "changed
 * most"; 5000 against 5110 (1.022) is slower. Not traced: no part, even
 * when B is slower.
 */
static void test_same_and_untraced(void **state)
{
	struct st_run *a = fx_new_runs(1), *b = fx_new_runs(1);
	const struct st_pair_row *r = &pair.rows[0];

	(void)state;
	pthread_of(a, 5000, parts_5000);
	pthread_of(b, 5090, parts_5000);
	st_pair_runs(a, 1, b, 1, &pair);
	assert_int_equal(r->most.dir, 0);
	assert_int_equal(r->most.part, -1);
	assert_true(isnan(r->most.share));
	pthread_of(b, 5110, parts_6000);
	st_pair_runs(a, 1, b, 1, &pair);
	assert_int_equal(r->most.dir, 1);
	b->traced = false;
	st_pair_runs(a, 1, b, 1, &pair);
	assert_false(r->traced);
	assert_int_equal(r->most.dir, 1);
	assert_int_equal(r->most.part, -1);
	free(a);
	free(b);
}

/*
 * Paired by workload and CPUs, each run of B once, in A's order:
 *   A: pthread 0, futex 0, pthread 0,1, pthread 0 (again)
 *   B: epoll 0, pthread 1, pthread 0
 * pair: A's first pthread 0 with B's pthread 0; only in A: futex 0, pthread
 * 0,1 and the second pthread 0 (B's is taken); only in B: epoll 0, pthread 1.
 */
static void test_unmatched_listed(void **state)
{
	struct st_run *a = fx_new_runs(4), *b = fx_new_runs(3);

	(void)state;
	fx_run(&a[0], "pthread", "0", 1, 5000);
	fx_run(&a[1], "futex", "0", 1, 4000);
	fx_run(&a[2], "pthread", "0,1", 1, 7000);
	fx_run(&a[3], "pthread", "0", 1, 5100);
	fx_run(&b[0], "epoll", "0", 1, 900);
	fx_run(&b[1], "pthread", "1", 1, 5200);
	fx_run(&b[2], "pthread", "0", 1, 5300);
	st_pair_runs(a, 4, b, 3, &pair);
	assert_int_equal(pair.nr_rows, 1);
	assert_ptr_equal(pair.rows[0].a, &a[0]);
	assert_ptr_equal(pair.rows[0].b, &b[2]);
	assert_int_equal(pair.nr_only_a, 3);
	assert_ptr_equal(pair.only_a[0], &a[1]);
	assert_ptr_equal(pair.only_a[1], &a[2]);
	assert_ptr_equal(pair.only_a[2], &a[3]);
	assert_int_equal(pair.nr_only_b, 2);
	assert_ptr_equal(pair.only_b[0], &b[0]);
	assert_ptr_equal(pair.only_b[1], &b[1]);
	free(a);
	free(b);
}

/*
 * Ratios within each file, to coro-yield (paired, though second in A):
 * A pthread 5000 / coro-yield 50 = 100x, B 2000 / 40 = 50x: B/A 0.5;
 * coro-yield itself 1x on both. Without coro-yield, the row cheapest on A
 * is the base: futex 4000 (A) against pthread 5000: 1.25x.
 */
static void test_within_each_file(void **state)
{
	struct st_run *a = fx_new_runs(2), *b = fx_new_runs(2);

	(void)state;
	fx_run(&a[0], "pthread", "0", 1, 5000);
	fx_run(&a[1], "coro-yield", "0", 1, 50);
	fx_run(&b[0], "coro-yield", "0", 1, 40);
	fx_run(&b[1], "pthread", "0", 1, 2000);
	a[0].summary.ns_per_switch = 5000;
	a[1].summary.ns_per_switch = 50;
	b[0].summary.ns_per_switch = 40;
	b[1].summary.ns_per_switch = 2000;
	st_pair_runs(a, 2, b, 2, &pair);
	assert_int_equal(pair.nr_rows, 2);
	assert_int_equal(pair.base, 1);
	assert_near(pair.within[0].a, 100, 1e-12);
	assert_near(pair.within[0].b, 50, 1e-12);
	assert_near(pair.within[0].ratio, 0.5, 1e-12);
	assert_near(pair.within[1].a, 1, 1e-12);
	assert_near(pair.within[1].ratio, 1, 1e-12);

	fx_run(&a[1], "futex", "0", 1, 4000);
	fx_run(&b[0], "futex", "0", 1, 3000);
	a[1].summary.ns_per_switch = 4000;
	b[0].summary.ns_per_switch = 3000;
	st_pair_runs(a, 2, b, 2, &pair);
	assert_int_equal(pair.base, 1);
	assert_near(pair.within[0].a, 1.25, 1e-12);
	assert_near(pair.within[0].b, 2000.0 / 3000, 1e-12);
	free(a);
	free(b);
}

/*
 * Two machines: A Intel with PTI under KVM on kvm-clock, B AMD without PTI
 * on bare metal with tsc and Enhanced IBRS; B lacks A's l1tf entry and has
 * a retbleed one A lacks. Differences: meltdown, spectre_v2, l1tf (A's
 * order), then retbleed (B's own). B was made 1 day 1 h 1 min 2 s after A:
 * 86400 + 3600 + 62 = 90062 s. The file's mode switch is the median over
 * its traced runs: A 1000, 1200, 1400 -> 1200; B 150.
 */
static void test_machines_differ(void **state)
{
	struct st_run *a = fx_new_runs(3), *b = fx_new_runs(1);
	const struct st_machine_diff *d = &pair.machine;

	(void)state;
	for (int i = 0; i < 3; i++) {
		fx_run(&a[i], i ? "futex" : "pthread", "0", 1, 5000);
		a[i].cal.mode_switch_ns = 1400 - 200 * i;
	}
	fx_run(b, "pthread", "0", 1, 2000);
	b->cal.mode_switch_ns = 150;
	strcpy(a[0].machine.mitigations, "l1tf: Mitigation: PTE Inversion; meltdown: Mitigation: PTI; "
					 "spectre_v2: Mitigation: Retpolines; STIBP: disabled; RSB filling");
	strcpy(b->machine.mitigations, "meltdown: Not affected; retbleed: Not affected; spectre_v2: "
				       "Mitigation: Enhanced IBRS; STIBP: disabled; RSB filling");
	strcpy(b->machine.cpu_model, "AMD EPYC");
	strcpy(b->machine.virtualization, "none");
	strcpy(b->machine.clocksource, "tsc");
	strcpy(b->machine.hostname, "lab-7");
	strcpy(b->machine.date, "2026-11-30T05:01:02Z");
	st_pair_runs(a, 3, b, 1, &pair);
	assert_true(d->differs[ST_MF_CPU] && d->differs[ST_MF_VIRT] && d->differs[ST_MF_CLOCKSOURCE]);
	assert_true(d->differs[ST_MF_MITIGATIONS] && d->differs[ST_MF_HOSTNAME]);
	assert_false(d->differs[ST_MF_KERNEL] || d->differs[ST_MF_NR_CPUS] || d->differs[ST_MF_ARCH]);
	assert_false(d->same_machine);
	assert_false(d->same_setup);
	assert_int_equal(d->pti_a, 1);
	assert_int_equal(d->pti_b, 0);
	assert_int_equal(d->nr_mitigations, 4);
	assert_string_equal(d->mitigations[0].name, "l1tf");
	assert_string_equal(d->mitigations[0].a, "Mitigation: PTE Inversion");
	assert_string_equal(d->mitigations[0].b, "");
	assert_string_equal(d->mitigations[1].name, "meltdown");
	assert_string_equal(d->mitigations[2].name, "spectre_v2");
	assert_string_equal(d->mitigations[2].a, "Mitigation: Retpolines; STIBP: disabled; RSB filling");
	assert_string_equal(d->mitigations[2].b, "Mitigation: Enhanced IBRS; STIBP: disabled; RSB filling");
	assert_string_equal(d->mitigations[3].name, "retbleed");
	assert_string_equal(d->mitigations[3].a, "");
	assert_true(d->dates_known);
	assert_int_equal(d->b_after_a_s, 90062);
	assert_near(pair.mode_switch.a, 1200, 1e-12);
	assert_near(pair.mode_switch.b, 150, 1e-12);
	assert_near(pair.mode_switch.ratio, 0.125, 1e-12);
	free(a);
	free(b);
}

/* One machine, the same blocks: same machine and setup, nothing differs; a date not ISO: unknown. */
static void test_same_machine(void **state)
{
	struct st_run *a = fx_new_runs(1), *b = fx_new_runs(1);
	const struct st_machine_diff *d = &pair.machine;

	(void)state;
	fx_run(a, "pthread", "0", 1, 5000);
	fx_run(b, "pthread", "0", 1, 5000);
	strcpy(b->machine.date, "2026-11-29T04:01:30Z");
	st_pair_runs(a, 1, b, 1, &pair);
	assert_true(d->same_machine);
	assert_true(d->same_setup);
	assert_int_equal(d->nr_mitigations, 0);
	assert_int_equal(d->b_after_a_s, 90);
	strcpy(b->machine.date, "2026-11-29 04:01");
	st_pair_runs(a, 1, b, 1, &pair);
	assert_false(d->dates_known);
	b->machine.hostname[0] = a->machine.hostname[0] = '\0'; /* no host named: not known to be the same */
	st_pair_runs(a, 1, b, 1, &pair);
	assert_false(d->same_machine);
	free(a);
	free(b);
}

/* The list's entries, a status that holds "; STIBP: ..." itself, and the dates, strictly. */
static void test_mitigations_and_dates(void **state)
{
	const char *list = "spectre_v2: Mitigation: Retpolines; STIBP: disabled; RSB filling; l1tf: Not affected";
	char name[64], status[256];
	const char *p = st_mitigation_next(list, name, sizeof(name), status, sizeof(status));
	long long t;

	(void)state;
	assert_string_equal(name, "spectre_v2");
	assert_string_equal(status, "Mitigation: Retpolines; STIBP: disabled; RSB filling");
	p = st_mitigation_next(p, name, sizeof(name), status, sizeof(status));
	assert_string_equal(name, "l1tf");
	assert_string_equal(status, "Not affected");
	assert_string_equal(p, "");
	assert_null(st_mitigation_next(p, name, sizeof(name), status, sizeof(status)));
	st_mitigation_next("unknown", name, sizeof(name), status, sizeof(status));
	assert_string_equal(name, "");
	assert_string_equal(status, "unknown");
	assert_false(st_mitigation_of(list, "meltdown", status, sizeof(status)));
	assert_string_equal(status, "");

	assert_true(st_iso_utc_seconds("1970-01-01T00:00:00Z", &t));
	assert_true(t == 0);
	assert_true(st_iso_utc_seconds("2000-03-01T00:00:00Z", &t)); /* after a leap day */
	assert_true(t == 951868800);
	assert_false(st_iso_utc_seconds("2026-13-01T00:00:00Z", &t));
	assert_false(st_iso_utc_seconds("+026-11-01T00:00:00Z", &t));
	assert_false(st_iso_utc_seconds("2026-11-01T00:00:00", &t));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_b_slower),
		cmocka_unit_test(test_b_faster_reverses),
		cmocka_unit_test(test_most_follows_the_direction),
		cmocka_unit_test(test_same_and_untraced),
		cmocka_unit_test(test_unmatched_listed),
		cmocka_unit_test(test_within_each_file),
		cmocka_unit_test(test_machines_differ),
		cmocka_unit_test(test_same_machine),
		cmocka_unit_test(test_mitigations_and_dates),
	};

	testutil_filter();
	return cmocka_run_group_tests_name("pair", tests, NULL, NULL);
}
