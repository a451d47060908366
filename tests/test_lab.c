// SPDX-License-Identifier: GPL-2.0
/*
 * test_lab.c — the labs without a machine: each lab's "what to notice" fed
 * synthetic measurements with the effect one way, then reversed (the
 * sentence must reverse too); the table's values; the blank and the filled
 * worksheet; the page; and the handouts in docs/labs/ against the labs'
 * own tables. No root.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "testutil.h"
#include "lab_notice.h"
#include "lab_report.h"
#include "metrics.h"

static struct st_run runs[ST_LAB_MAX_EXPS];
static const struct st_run *by[ST_LAB_MAX_EXPS];
static char buf[1 << 16];

/* A traced run of ns per switch; its median repeat is its summary. */
static struct st_run *set(int i, const char *w, double ns)
{
	struct st_run *r = &runs[i];

	memset(r, 0, sizeof(*r));
	snprintf(r->workload, sizeof(r->workload), "%s", w);
	r->traced = true;
	r->nr_repeats = r->result.nr_repeats = 1;
	r->result.repeat[0].switches = 1000;
	r->summary.ns_per_switch = r->repeat[0].ns_per_switch = ns;
	r->summary.corrected_ns_per_switch = ns;
	r->summary.nr_cpus = r->repeat[0].nr_cpus = 1;
	by[i] = r;
	return r;
}

static const char *notice(int lab)
{
	struct st_para p = { .len = 0 };

	st_lab_notice(&p, st_lab_find(lab), by);
	snprintf(buf, sizeof(buf), "%s", p.text);
	return buf;
}

static void expect(const char *text, const char *want)
{
	if (!strstr(text, want))
		fail_msg("'%s' not in: %s", want, text);
}

/* Lab 1: 10 ns against 1000 ns is 100x, above 28x; 10 against 200 is 20x, below. The largest part first. */
static void test_gap(void **state)
{
	struct st_run *pt;

	(void)state;
	set(0, "coro-yield", 10)->repeat[0].user = 10;
	set(1, "coro-chan", 20);
	pt = set(2, "pthread", 1000);
	pt->repeat[0].sched_work = 600;
	pt->repeat[0].mode_switch = 300;
	pt->repeat[0].user = 100;
	pt->repeat[0].other_tasks = 800; /* not a cause of the switch: left out */
	expect(notice(1), "100x, above the seed's 28x");
	/* gap 990: sched 600 (61%), mode 300 (30%) */
	expect(buf, "the scheduler's work (waking, __schedule(), the context switch), 600 ns (61%), and "
		    "entering and leaving the kernel (the mode switch), 300 ns (30%)");
	pt->summary.ns_per_switch = 200;
	expect(notice(1), "20x, below the seed's 28x");
}

/* Lab 2: the vDSO cheaper, then (reversed) not; PTI named from the mitigations. */
static void test_crossing(void **state)
{
	(void)state;
	set(0, "sys-nowork", 1200)->traced = false;
	snprintf(runs[0].machine.mitigations, sizeof(runs[0].machine.mitigations), "meltdown: Mitigation: PTI");
	set(1, "sys-getppid", 1250);
	set(2, "sys-clock-vdso", 25);
	set(3, "sys-clock-syscall", 1300);
	expect(notice(2), "1.2 µs here");
	expect(buf, "runs with PTI");
	expect(buf, "getppid costs 1.2 µs: 50 ns of its own work");
	expect(buf, "52x cheaper"); /* 1300 / 25 */
	runs[2].summary.ns_per_switch = 2600;
	runs[0].machine.mitigations[0] = '\0';
	runs[0].summary.ns_per_switch = 150;
	expect(notice(2), "(not cheaper here!)");
	expect(buf, "No page-table isolation");
}

/* Lab 3: unlocking first lowers the switches (1.8 -> 1.0), then (reversed) raises them. */
static void test_pthread(void **state)
{
	(void)state;
	set(0, "pthread", 7000)->summary.kernel_switches = 1.8;
	set(1, "pthread-unlocked", 5600)->summary.kernel_switches = 1.0;
	set(2, "futex", 4000)->summary.kernel_switches = 1.0;
	expect(notice(3), "takes it to 1.00: less kernel switches, and the hand-off costs 0.80x as much");
	runs[1].summary.kernel_switches = 2.2;
	expect(notice(3), "takes it to 2.20: more kernel switches");
}

/* Lab 4: split slower (10x), then faster; one CPU only: said so. */
static void test_pinned(void **state)
{
	(void)state;
	set(0, "futex", 4000);
	set(1, "futex", 40000)->summary.nr_cpus = 2;
	set(2, "futex", 8000)->summary.migrations = 0.5;
	expect(notice(4), "10.0x slower");
	expect(buf, "migrated 0.50 times");
	runs[1].summary.ns_per_switch = 2000;
	expect(notice(4), "0.5x faster");
	runs[1].nr_repeats = 0;
	expect(notice(4), "Only one CPU");
}

/* Lab 5: processes dearer, then cheaper than threads. */
static void test_loops(void **state)
{
	(void)state;
	set(0, "epoll", 500);
	set(1, "epoll-2t", 5000);
	set(2, "pipe", 7500);
	expect(notice(5), "1.50x two threads: a process switch is dearer");
	runs[2].summary.ns_per_switch = 4000;
	expect(notice(5), "cheaper, against the usual expectation");
}

/* The waits of a run: count waits of mean ns over 1000 switches, and the others' time. */
static void waits(struct st_run *r, double mean, double others)
{
	r->summary.switches = 1000;
	r->summary.runq.count = 1000;
	r->summary.runq.mean_ns = mean;
	r->summary.runq.p99_ns = 4 * mean;
	r->summary.runq.max_ns = 2e6;
	r->summary.other_tasks = others;
}

/* Lab 6: waits per switch 2 -> 8 µs beside a nice-0 hog (4.0x); nice 19 waits less, then (reversed) more. */
static void test_waiting(void **state)
{
	(void)state;
	waits(set(0, "futex", 4000), 2000, 0);
	waits(set(1, "futex-hog0", 80000), 8000, 40000); /* 50% of the time */
	waits(set(2, "futex-hog19", 6000), 3000, 180);	 /* 3% */
	expect(notice(6), "the other tasks took 50% of the CPU's time and the threads waited 8.0 µs for a CPU per "
			  "switch, 2.0 µs alone (4.0x); 99% of the waits stayed under 32.0 µs, the longest 2.0 ms");
	expect(buf, "wait out a slice");
	expect(buf, "At nice 19 the hog took 3% and the threads waited 3.0 µs per switch, less than at nice 0");
	waits(&runs[2], 16000, 180);
	expect(notice(6), "waited 16.0 µs per switch, more than at nice 0");
	waits(&runs[1], 2100, 40000); /* the hog did not lengthen the waits */
	expect(notice(6), "hardly lengthened");
}

/* Lab 7: the corrected time above bare, then below; perf missing said so. */
static void test_observer(void **state)
{
	(void)state;
	set(0, "pthread", 5000)->traced = false;
	set(1, "pthread", 5500)->light = true;
	set(2, "pthread", 6500)->summary.corrected_ns_per_switch = 5250;
	runs[3].nr_repeats = 0;
	by[3] = &runs[3];
	expect(notice(7), "slowed a switch 1.10x, every hook 1.30x");
	expect(buf, "5% above bare"); /* 5250 / 5000 */
	expect(buf, "perf was not run");
	runs[2].summary.corrected_ns_per_switch = 4500;
	expect(notice(7), "10% below bare");
}

/* Lab 8: the three verdicts from the numbers. */
static void test_hogs(void **state)
{
	(void)state;
	st_metric_put(&set(0, "hog-loop", 2e8)->result, "lateness_all_p99_ns", "199000000");
	st_metric_put(&runs[0].result, "hog_ms", "200");
	st_metric_put(&set(1, "hog-coro-preempt", 2e8)->result, "lateness_all_p99_ns", "14000000");
	st_metric_put(&runs[1].result, "hog_ms", "200");
	st_metric_put(&runs[1].result, "preempt_slice_ns", "10000000");
	st_metric_put(&set(2, "hog-threads", 2e8)->result, "lateness_all_p99_ns", "50000");
	st_metric_put(&runs[2].result, "hog_ms", "200");
	by[3] = NULL;
	runs[3].nr_repeats = 0;
	expect(notice(8), "hog-loop: p99 199 ms, the probe waited out");
	expect(buf, "hog-coro-preempt: p99 14.0 ms, 1.4x the 10 ms slice");
	expect(buf, "hog-threads: p99 50.0 µs, far below the chunk");
	st_metric_put(&runs[0].result, "lateness_all_p99_ns", "30000"); /* reversed: the loop was not late */
	expect(notice(8), "hog-loop: p99 30.0 µs, far below");
}

static const char *render(int lab, bool blank, bool html)
{
	FILE *f;

	buf[0] = '\0';
	f = fmemopen(buf, sizeof(buf), "w");
	assert_non_null(f);
	if (html)
		assert_int_equal(st_lab_html(f, st_lab_find(lab), by, 3), 0);
	else
		assert_int_equal(st_lab_text(f, st_lab_find(lab), blank ? NULL : by, 3), 0);
	fclose(f);
	return buf;
}

/* The worksheet: blank to predict (no numbers, no machine), filled with the runs' numbers. */
static void test_worksheet(void **state)
{
	(void)state;
	set(0, "epoll", 500)->summary.syscalls = 3;
	set(1, "epoll-2t", 5000);
	set(2, "pipe", 7500);
	expect(render(5, true, false), "  one event loop             ____     ____     ____");
	if (strstr(buf, "Machine") || strstr(buf, "500 ns"))
		fail_msg("the blank worksheet shows numbers: %s", buf);
	expect(render(5, false, false), "  one event loop           500 ns    1.00x     3.00");
	expect(buf, "   15x"); /* 7500 / 500 */
	expect(buf, "What to notice");
	expect(render(5, false, true), "<!DOCTYPE html>");
	expect(buf, "<td>one event loop</td><td>500 ns</td><td>1.00x</td><td>3.00</td>");
	expect(buf, "<svg");
	expect(buf, "</html>\n");
}

/* Each handout in docs/labs/ exists and its table has the lab's rows and columns, in order. */
static void test_handouts_match(void **state)
{
	char path[256], head[512], *text;
	FILE *f;
	long n;

	(void)state;
	for (int i = 0; i < st_nr_labs; i++) {
		const struct st_lab *lab = &st_labs[i];

		/* the tests run from the top of the tree (tests/run-tests.sh) */
		snprintf(path, sizeof(path), "docs/labs/%02d-%s.md", lab->number, lab->slug);
		if (!(f = fopen(path, "r")))
			fail_msg("no handout %s", path);
		text = calloc(1, 1 << 16);
		n = (long)fread(text, 1, (1 << 16) - 1, f);
		fclose(f);
		assert_true(n > 0);
		snprintf(head, sizeof(head), "| experiment |");
		for (int c = 0; c < lab->nr_cols; c++)
			snprintf(head + strlen(head), sizeof(head) - strlen(head), " %s |", st_lab_cols[lab->cols[c]].head);
		if (!strstr(text, head))
			fail_msg("%s: no table header '%s'", path, head);
		for (int e = 0; e < lab->nr_exps; e++) {
			snprintf(head, sizeof(head), "\n| %s |", lab->exps[e].label);
			if (!strstr(text, head))
				fail_msg("%s: no row '%s'", path, lab->exps[e].label);
		}
		for (int q = 0; q < ST_LAB_MAX_QUESTIONS && lab->questions[q]; q++)
			if (!strstr(text, lab->questions[q]))
				fail_msg("%s: question %d differs from the worksheet's", path, q + 1);
		free(text);
	}
}

/* Debian's chromium; SCHEDTRACE_CHROMIUM=PATH picks another (or a missing one, to see the skip) */
static const char *chromium(void)
{
	const char *c = getenv("SCHEDTRACE_CHROMIUM");

	return c && *c ? c : "/usr/bin/chromium";
}

/* The worksheet page in headless Chromium: the DOM holds the table, the chart and the notice; a screenshot comes out. */
static void test_page_renders_in_chromium(void **state)
{
	static char out[1 << 20], err[1 << 16];
	char dir[] = "/tmp/st-lab-XXXXXX", page[96], url[128], shot[96], shot_arg[128], profile[96];
	struct stat st;
	FILE *f;

	(void)state;
	if (access(chromium(), X_OK) != 0) {
		print_message("[   SKIP   ] no %s: install Debian's chromium to check the page renders\n", chromium());
		skip();
	}
	set(0, "epoll", 500)->summary.user = 500;
	set(1, "epoll-2t", 5000)->summary.sched_work = 5000;
	set(2, "pipe", 7500)->summary.sched_work = 7500;
	assert_non_null(mkdtemp(dir));
	snprintf(page, sizeof(page), "%s/lab.html", dir);
	snprintf(url, sizeof(url), "file://%s", page);
	snprintf(profile, sizeof(profile), "--user-data-dir=%s/profile", dir);
	snprintf(shot, sizeof(shot), "%s/lab.png", dir);
	snprintf(shot_arg, sizeof(shot_arg), "--screenshot=%s", shot);
	assert_non_null(f = fopen(page, "w"));
	assert_int_equal(st_lab_html(f, st_lab_find(5), by, 3), 0);
	fclose(f);
	{
		char *argv[] = { "/usr/bin/timeout", "120", (char *)chromium(), "--headless", "--no-sandbox", "--disable-gpu",
				 "--no-first-run", "--disable-background-networking", "--disable-component-update",
				 "--disable-sync", profile, "--dump-dom", url, NULL };

		if (testutil_run(argv, out, sizeof(out), err, sizeof(err)) != 0)
			fail_msg("chromium --dump-dom: %.400s", err);
		expect(out, "<svg");
		expect(out, "What to notice");
		expect(out, "<td>two processes, pipes</td>");
	}
	{
		char *argv[] = { "/usr/bin/timeout", "120", (char *)chromium(), "--headless", "--no-sandbox", "--disable-gpu",
				 "--no-first-run", "--disable-background-networking", "--disable-component-update",
				 "--disable-sync", profile, shot_arg, "--window-size=1000,1400", url, NULL };

		if (testutil_run(argv, out, sizeof(out), err, sizeof(err)) != 0)
			fail_msg("chromium --screenshot: %.400s", err);
	}
	assert_int_equal(stat(shot, &st), 0);
	assert_true(st.st_size > 10000); /* a blank page compresses to a few kB */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gap),	 cmocka_unit_test(test_crossing), cmocka_unit_test(test_pthread),
		cmocka_unit_test(test_pinned),	 cmocka_unit_test(test_loops),	  cmocka_unit_test(test_waiting),
		cmocka_unit_test(test_observer), cmocka_unit_test(test_hogs),	  cmocka_unit_test(test_worksheet),
		cmocka_unit_test(test_handouts_match),	 cmocka_unit_test(test_page_renders_in_chromium),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
