// SPDX-License-Identifier: GPL-2.0
/*
 * test_report_pair.c — `schedtrace report A.json B.json`: the sentences
 * (report/pair_words.c) worked out by hand, the text table (text_pair.c), the
 * page (html_pair.c), and the command on two files written by the JSON
 * writer: the usage errors, a bad second file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "testutil.h"
#include "report_fixture.h"
#include "json_schema.h"
#include "pair_words.h"

/* As in test_pair.c: A 5000 ns/switch, B 6000; sched 1500 -> 2300, sys 1000 -> 1100, tracer 400 -> 500. */
static const double parts_5000[9] = { 1000, 500, 1500, 1000, 200, 300, 0, 400, 100 };
static const double parts_6000[9] = { 1000, 500, 2300, 1100, 200, 300, 0, 500, 100 };

static struct st_pair pair;

static void pthread_of(struct st_run *r, double ns, const double parts[9])
{
	fx_run(r, "pthread", "0", 3, ns);
	fx_parts(r, ns, parts);
}

static const char *row_words(const struct st_pair_row *r)
{
	static struct st_para p;

	p.len = 0;
	p.text[0] = '\0';
	st_pair_row_words(&p, r);
	return p.text;
}

static const char *machine_words(void)
{
	static struct st_para p;

	p.len = 0;
	p.text[0] = '\0';
	st_pair_machine_words(&p, &pair);
	return p.text;
}

/* The text report (SHOW_TEXT=1 prints it). */
static char *render_text(void)
{
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(st_report_pair_text(f, &pair, "a.json", "b.json"), 0);
	fclose(f);
	if (getenv("SHOW_TEXT"))
		fputs(buf, stdout);
	return buf;
}

static void assert_has(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("missing \"%s\" in:\n%s", needle, hay);
}

/*
 * B slower by 1000 ns (x1.20), sched +800 ns = 80% of the +1000 in CPU
 * time. The table in ns: sched 1500.0 / 2300.0 / +800.0 / 2300/1500 =
 * 1.53; idle 0 on A has no ratio; the counts equal (0.00, 1.00).
 */
static void test_b_slower(void **state)
{
	struct st_run *a = fx_new_runs(1), *b = fx_new_runs(1);
	char *text;

	(void)state;
	pthread_of(a, 5000, parts_5000);
	pthread_of(b, 6000, parts_6000);
	st_pair_runs(a, 1, b, 1, &pair);
	assert_string_equal(row_words(&pair.rows[0]),
			    "B is slower: 6.0 µs per switch against 5.0 µs on A (x1.20, 1.0 µs more). What changed most: "
			    "the scheduler's work in the kernel, +800 ns per switch (1.5 µs on A, 2.3 µs on B), 80% of "
			    "the increase in CPU time per switch.");
	text = render_text();
	assert_has(text, "pthread on CPU 0\n");
	assert_has(text, "  CPU time per switch, ns          A          B      B - A      B/A\n");
	assert_has(text, "  kernel: scheduler work      1500.0     2300.0     +800.0     1.53\n");
	assert_has(text, "  idle                           0.0        0.0        0.0        -\n");
	assert_has(text, "  total                       5000.0     6000.0    +1000.0     1.20\n");
	assert_has(text, "  measured ns/switch          5000.0     6000.0    +1000.0     1.20\n");
	assert_has(text, "  system calls                  2.00       2.00       0.00     1.00\n");
	assert_has(text, "  mode switch, calibrated     1100.3     1100.3        0.0     1.00\n");
	assert_null(strstr(text, "Only in"));
	assert_null(strstr(text, "Ratios within")); /* one run a side */
	free(text);
	free(a);
	free(b);
}

/* The same the other way round: the sentence reverses (faster, -800 ns, 80% of the saving). */
static void test_b_faster(void **state)
{
	struct st_run *a = fx_new_runs(1), *b = fx_new_runs(1);
	char *text;

	(void)state;
	pthread_of(a, 6000, parts_6000);
	pthread_of(b, 5000, parts_5000);
	st_pair_runs(a, 1, b, 1, &pair);
	assert_string_equal(row_words(&pair.rows[0]),
			    "B is faster: 5.0 µs per switch against 6.0 µs on A (x0.83, 1.0 µs less). What changed most: "
			    "the scheduler's work in the kernel, -800 ns per switch (2.3 µs on A, 1.5 µs on B), 80% of "
			    "the saving in CPU time per switch.");
	text = render_text();
	assert_has(text, "  kernel: scheduler work      2300.0     1500.0     -800.0     0.65\n");
	free(text);
	free(a);
	free(b);
}

/*
 * sched -1300 of a -1000 saving (user +1500): more than the whole change.
 * Within 2% (5000 against 5050, x1.01): the same, no part named. B --light:
 * traced differently, its parts do not compare.
 */
static void test_other_sentences(void **state)
{
	static const double b_parts[9] = { 2500, 500, 1000, 0, 200, 300, 0, 400, 100 };
	struct st_run *a = fx_new_runs(1), *b = fx_new_runs(1);

	(void)state;
	pthread_of(a, 6000, parts_6000);
	pthread_of(b, 5000, b_parts);
	st_pair_runs(a, 1, b, 1, &pair);
	assert_has(row_words(&pair.rows[0]), "What changed most: the scheduler's work in the kernel, -1.3 µs per switch "
					     "(2.3 µs on A, 1.0 µs on B), more than the whole change in CPU time per "
					     "switch (130% of it): other parts moved the other way.");
	pthread_of(a, 5000, parts_5000);
	pthread_of(b, 5050, parts_5000);
	st_pair_runs(a, 1, b, 1, &pair);
	assert_string_equal(row_words(&pair.rows[0]),
			    "A and B take the same time per switch, within 2%: 5.0 µs on A, 5.0 µs on B (x1.01).");
	b->light = true;
	b->syscalls_repeat = a->syscalls_repeat = 1;
	st_pair_runs(a, 1, b, 1, &pair);
	assert_has(row_words(&pair.rows[0]), " Traced differently: A had every hook in one repeat, the others split in "
					     "its shares; B ran with --light (scheduler hooks only: the threads' own "
					     "time is not split, it all reads as user code). User code, the mode "
					     "switch and the kernel's parts do not compare between them.");
	pthread_of(b, 7000, parts_6000);
	b->traced = false;
	st_pair_runs(a, 1, b, 1, &pair);
	assert_has(row_words(&pair.rows[0]), "B is slower: 7.0 µs per switch against 5.0 µs on A (x1.40, 2.0 µs more). "
					     "No parts to compare: B was not traced (--no-trace).");
	free(a);
	free(b);
}

/* Two machines set up as test_pair.c's test_machines_differ, pthread and coro-yield in both. */
static void two_machines(struct st_run *a, struct st_run *b)
{
	fx_run(&a[0], "pthread", "0", 1, 5000);
	fx_run(&a[1], "coro-yield", "0", 1, 50);
	fx_run(&b[0], "pthread", "0", 1, 2000);
	fx_run(&b[1], "coro-yield", "0", 1, 40);
	a[0].summary.ns_per_switch = 5000;
	a[1].summary.ns_per_switch = 50;
	b[0].summary.ns_per_switch = 2000;
	b[1].summary.ns_per_switch = 40;
	for (int i = 0; i < 2; i++) {
		struct st_machine *m = &b[i].machine;

		b[i].cal.mode_switch_ns = 150;
		strcpy(m->mitigations, "meltdown: Not affected; spectre_v2: Mitigation: Enhanced IBRS");
		strcpy(m->cpu_model, "AMD EPYC");
		strcpy(m->virtualization, "none");
		strcpy(m->clocksource, "tsc");
		strcpy(m->hostname, "lab-7");
		strcpy(m->date, "2026-11-30T05:01:02Z");
	}
}

/*
 * A: Intel with PTI under KVM, kvm-clock, mode switch fx_d(1100, 0) =
 * 1100.3 ns ("1.1 µs"); B: AMD EPYC, no PTI, bare metal, tsc, 150 ns:
 * 150 / 1100.3 = x0.14. Made 90062 s apart: 25 h 1 min. Within each file:
 * pthread / coro-yield = 100x on A, 50x on B: 0.50.
 */
static void test_machines_differ(void **state)
{
	struct st_run *a = fx_new_runs(2), *b = fx_new_runs(2);
	char *text;

	(void)state;
	two_machines(a, b);
	st_pair_runs(a, 2, b, 2, &pair);
	assert_string_equal(machine_words(),
			    "Two machines: A is lab-42 (Intel(R) Xeon(R) Platinum 8488C <&>), B is lab-7 (AMD EPYC). "
			    "A runs under KVM, B on bare metal. A reads the time from kvm-clock, B from tsc. "
			    "A runs with PTI (meltdown: Mitigation: PTI), B without (meltdown: Not affected): on A, every "
			    "entry into the kernel and every return to user space switches page tables. "
			    "One mode switch (a system call's entry and exit, calibrated) costs 1.1 µs on A against 150 ns "
			    "on B (x0.14). "
			    "Other mitigations differ: spectre_v2 (A \"Mitigation: Retpolines\", B \"Mitigation: Enhanced IBRS\"). "
			    "A was made 2026-11-29T04:00:00Z, B 25 h 1 min later (2026-11-30T05:01:02Z). "
			    "Different machines: read the comparison as ratios within each file (pthread / coro-yield on A "
			    "against on B, under \"Ratios within each file\"), not as absolute numbers.");
	text = render_text();
	assert_has(text, "Ratios within each file (ns/switch over coro-yield's)\n");
	assert_has(text, "  pthread on CPU 0           100.00x     50.00x                0.50\n");
	assert_has(text, "  coro-yield on CPU 0          1.00x      1.00x                1.00\n");
	free(text);
	free(a);
	free(b);
}

/*
 * One machine, 90 s apart: "same machine" and the dates. Booted again with
 * mitigations=off in between: what changed is said, and the hardware is
 * still the same (absolute numbers compare).
 */
static void test_same_machine(void **state)
{
	struct st_run *a = fx_new_runs(1), *b = fx_new_runs(1);

	(void)state;
	fx_run(a, "pthread", "0", 1, 5000);
	fx_run(b, "pthread", "0", 1, 5000);
	strcpy(b->machine.date, "2026-11-29T04:01:30Z");
	st_pair_runs(a, 1, b, 1, &pair);
	assert_string_equal(machine_words(),
			    "Same machine: lab-42 (Intel(R) Xeon(R) Platinum 8488C <&>, 2 CPUs online, kernel 6.18.0-test). "
			    "A was made 2026-11-29T04:00:00Z, B 1 min 30 s later (2026-11-29T04:01:30Z). Nothing else in "
			    "the two machine blocks differs. The hardware is the same, so the numbers compare as they are; "
			    "but runs made one after the other also differ by the host's drift, so a few percent may be "
			    "that, not a change: run both again to see.");
	strcpy(b->machine.mitigations, "meltdown: Vulnerable; spectre_v2: Vulnerable");
	b->cal.mode_switch_ns = 200;
	st_pair_runs(a, 1, b, 1, &pair);
	assert_null(strstr(machine_words(), "Nothing else"));
	assert_has(machine_words(), "(2026-11-29T04:01:30Z). Between the two, the machine changed: A runs with PTI "
				    "(meltdown: Mitigation: PTI), B without (meltdown: Vulnerable)");
	assert_has(machine_words(), "costs 1.1 µs on A against 200 ns on B (x0.18). Other mitigations differ: "
				    "spectre_v2 (A \"Mitigation: Retpolines\", B \"Vulnerable\"). The hardware is the same");
	free(a);
	free(b);
}

/* Runs in one file only are listed by workload and CPUs, after the pairs. */
static void test_unmatched_listed(void **state)
{
	struct st_run *a = fx_new_runs(3), *b = fx_new_runs(2);
	char *text;

	(void)state;
	fx_run(&a[0], "pthread", "0", 1, 5000);
	fx_run(&a[1], "futex", "0", 1, 4000);
	fx_run(&a[2], "pthread", "0,1", 1, 7000);
	fx_run(&b[0], "epoll", "", 1, 900);
	fx_run(&b[1], "pthread", "0", 1, 5300);
	st_pair_runs(a, 3, b, 2, &pair);
	text = render_text();
	assert_has(text, "  A  a.json: 3 runs, lab-42, 2026-11-29T04:00:00Z\n");
	assert_has(text, "Only in A (no run of the same workload on the same CPUs in B): futex on CPU 0,\n"
			 "  pthread on CPUs 0,1.\n");
	assert_has(text, "Only in B (no run of the same workload on the same CPUs in A): epoll on any\n  CPU.\n");
	free(text);
	st_pair_runs(a + 1, 1, b, 1, &pair); /* nothing in common: said */
	text = render_text();
	assert_has(text, "\nNo run is in both files (the same workload on the same CPUs): nothing to set\nside by side.\n\n");
	free(text);
	free(a);
	free(b);
}

static char *render_html(void)
{
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(st_report_pair_html(f, &pair, "runs/a.json", "b<1>.json"), 0);
	fclose(f);
	if (getenv("SHOW_HTML"))
		fputs(buf, stdout);
	return buf;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* The page: a document, one chart per pair, the numbers in their cells, text escaped, nothing outside. */
static void test_html_page(void **state)
{
	static const char *const banned[] = { "http://", "https://", "//", "<script", "src=", "href=",
					      "url(", "@import", "<link", "<iframe", "<img" };
	struct st_run *a = fx_new_runs(2), *b = fx_new_runs(2);
	char *html;
	size_t len;

	(void)state;
	two_machines(a, b);
	fx_parts(&a[0], 5000, parts_5000);
	fx_parts(&b[0], 6000, parts_6000);
	fx_run(&b[1], "futex", "0", 1, 4000); /* coro-yield only in A, futex only in B */
	st_pair_runs(a, 2, b, 2, &pair);
	html = render_html();
	len = strlen(html);
	assert_int_equal(strncmp(html, "<!DOCTYPE html>\n", 16), 0);
	assert_true(len > 8 && !strcmp(html + len - 8, "</html>\n"));
	assert_int_equal(count(html, "<svg "), 1);
	assert_int_equal(count(html, "</svg>"), 1);
	assert_has(html, "<title>schedtrace: runs/a.json vs b&lt;1&gt;.json</title>");
	assert_has(html, "<p class=\"warn\">Two machines: A is lab-42 (Intel(R) Xeon(R) Platinum 8488C &lt;&amp;&gt;)");
	assert_has(html, "<h2>pthread on CPU 0</h2>");
	assert_has(html, "B is slower: 6.0 µs per switch against 5.0 µs on A (x1.20, 1.0 µs more).");
	assert_has(html, "kernel: scheduler work</td><td>1.5 µs</td><td>2.3 µs</td><td>+800 ns</td><td>1.53</td></tr>");
	assert_has(html, "idle</td><td>0 ns</td><td>0 ns</td><td>0 ns</td><td>n/a</td></tr>");
	assert_has(html, "<tr><td>measured ns/switch</td><td>5.0 µs</td><td>6.0 µs</td><td>+1.0 µs</td><td>1.20</td></tr>");
	assert_has(html, "<tr><td>kernel switches</td><td>1.50</td><td>1.50</td><td>0.00</td><td>1.00</td></tr>");
	assert_has(html, "<title>kernel: scheduler work on B: 2.3 µs</title>");
	assert_has(html, "Only in A (no run of the same workload on the same CPUs in B): coro-yield on CPU 0.</p>");
	assert_has(html, "Only in B (no run of the same workload on the same CPUs in A): futex on CPU 0.</p>");
	assert_null(strstr(html, "id=\"within\"")); /* one pair */
	assert_int_equal(count(html, "<dl class=\"machine\">"), 2);
	for (size_t i = 0; i < sizeof(banned) / sizeof(banned[0]); i++)
		if (strstr(html, banned[i]))
			fail_msg("the page holds \"%s\": it must be self-contained", banned[i]);
	free(html);
	free(a);
	free(b);
}

/* ---- the command, on two files the JSON writer wrote ---- */

static char out[1 << 17], err[1 << 12];

static int run_report(const char *a1, const char *a2, const char *a3, const char *a4, const char *a5)
{
	char *argv[] = { (char *)testutil_bin("schedtrace"), "report", (char *)a1, (char *)a2, (char *)a3, (char *)a4,
			 (char *)a5, NULL };

	return testutil_run(argv, out, sizeof(out), err, sizeof(err));
}

static void assert_one_line(const char *expect)
{
	if (strncmp(err, "schedtrace: ", 12) || strchr(err, '\n') != err + strlen(err) - 1 || !strstr(err, expect))
		fail_msg("stderr is not one 'schedtrace: ...' line with \"%s\": '%s'", expect, err);
}

static void write_json(const char *path, const struct st_run *runs, int n)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(st_json_write(f, runs, n), 0);
	assert_int_equal(fclose(f), 0);
}

static void test_command(void **state)
{
	char dir[] = "/tmp/st-pair-XXXXXX", fa[64], fb[64], bad[64], page[64];
	struct st_run *a = fx_new_runs(1), *b = fx_new_runs(1);
	FILE *f;

	(void)state;
	if (access(testutil_bin("schedtrace"), X_OK) != 0) {
		print_message("[   SKIP   ] %s not built (make builds it before make check)\n", testutil_bin("schedtrace"));
		skip();
	}
	assert_non_null(mkdtemp(dir));
	snprintf(fa, sizeof(fa), "%s/a.json", dir);
	snprintf(fb, sizeof(fb), "%s/b.json", dir);
	snprintf(bad, sizeof(bad), "%s/bad.json", dir);
	snprintf(page, sizeof(page), "%s/pair.html", dir);
	pthread_of(a, 5000, parts_5000);
	pthread_of(b, 6000, parts_6000);
	write_json(fa, a, 1);
	write_json(fb, b, 1);
	f = fopen(bad, "w");
	fputs("{\"schema\": \"schedtrace/2\", \"runs\": [", f);
	fclose(f);

	assert_int_equal(run_report(fa, fb, NULL, NULL, NULL), 0);
	assert_has(out, "schedtrace: two reports side by side\n");
	assert_has(out, "  kernel: scheduler work      1500.0     2300.0     +800.0     1.53\n");
	assert_has(out, "B is slower: 6.0 µs per switch against 5.0 µs on A (x1.20, 1.0 µs more).");
	assert_string_equal(err, "");
	assert_int_equal(run_report("--text", fb, fa, NULL, NULL), 0);
	assert_has(out, "B is faster: 5.0 µs per switch against 6.0 µs on A (x0.83, 1.0 µs less).");
	assert_int_equal(run_report(fa, fb, "--html", page, NULL), 0);
	assert_string_equal(out, "");
	{
		static char got[1 << 18];
		size_t n;

		f = fopen(page, "r");
		assert_non_null(f);
		n = fread(got, 1, sizeof(got) - 1, f);
		got[n] = '\0';
		fclose(f);
		assert_int_equal(strncmp(got, "<!DOCTYPE html>", 15), 0);
		assert_true(n > 8 && !strcmp(got + n - 8, "</html>\n"));
		assert_has(got, "<td>+800 ns</td><td>1.53</td>");
	}

	assert_int_equal(run_report(fa, fb, fa, NULL, NULL), 2);
	assert_one_line("one file, or two side by side");
	assert_int_equal(run_report(fa, fb, "--text", "--html", page), 2);
	assert_one_line("--text or --html, not both");
	assert_int_equal(run_report(fa, bad, NULL, NULL, NULL), 1);
	assert_one_line(bad);
	assert_int_equal(run_report("/nonexistent/a.json", fb, NULL, NULL, NULL), 1);
	assert_one_line("/nonexistent/a.json: cannot open");
	assert_int_equal(run_report(fa, fb, "--html", "/nonexistent/p.html", NULL), 2);
	assert_one_line("/nonexistent");

	unlink(fa);
	unlink(fb);
	unlink(bad);
	unlink(page);
	rmdir(dir);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_b_slower),	  cmocka_unit_test(test_b_faster),
		cmocka_unit_test(test_other_sentences),	  cmocka_unit_test(test_machines_differ),
		cmocka_unit_test(test_same_machine),	  cmocka_unit_test(test_unmatched_listed),
		cmocka_unit_test(test_html_page),	  cmocka_unit_test(test_command),
	};

	testutil_filter();
	return cmocka_run_group_tests_name("report_pair", tests, NULL, NULL);
}
