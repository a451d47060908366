// SPDX-License-Identifier: GPL-2.0
/*
 * test_html.c — the HTML report: the charts are there (parts, gap,
 * pinned/unpinned, runqueue histograms), the machine block too, text is
 * escaped, and nothing points outside the file (no URL, no script). Where
 * chromium is installed, the page (and the page of `report A.json B.json`)
 * is also rendered headless to a screenshot.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "testutil.h"
#include "report_fixture.h"
#include "html.h"
#include "pair_words.h"

/* Debian's chromium; SCHEDTRACE_CHROMIUM=PATH picks another (or a missing one, to see the skip) */
static const char *chromium(void)
{
	const char *c = getenv("SCHEDTRACE_CHROMIUM");

	return c && *c ? c : "/usr/bin/chromium";
}

static char *to_html(const struct st_run *runs, int n)
{
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(st_html_write(f, runs, n), 0);
	fclose(f);
	return buf;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* coro-yield and pthread on CPU 0, pthread on CPUs 0,1 and unpinned: every section shows. */
static struct st_run *compare_set(void)
{
	struct st_run *r = fx_new_runs(4);

	fx_run(&r[0], "coro-yield", "0", 3, 41.7);
	memset(&r[0].summary.runq, 0, sizeof(r[0].summary.runq));
	fx_run(&r[1], "pthread", "0", 3, 5612.3);
	fx_run(&r[2], "pthread", "0,1", 3, 7012.9);
	fx_run(&r[3], "pthread", "", 3, 6400);
	return r;
}

static void test_charts_and_machine_block(void **state)
{
	struct st_run *r = compare_set();
	char *html = to_html(r, 4);

	(void)state;
	assert_int_equal(strncmp(html, "<!DOCTYPE html>", 15), 0);
	assert_non_null(strstr(html, "</html>\n"));
	/* parts bars + gap + pinning bars + three runqueue histograms (coro-yield has no waits) */
	assert_int_equal(count(html, "<svg "), 6);
	assert_int_equal(count(html, "<svg "), count(html, "</svg>"));
	assert_non_null(strstr(html, "id=\"parts\""));
	assert_non_null(strstr(html, "id=\"gap\""));
	assert_non_null(strstr(html, "id=\"pinning\""));
	assert_non_null(strstr(html, "<h2>Pinned vs unpinned</h2>")); /* r[3] runs on any CPU */
	assert_non_null(strstr(html, "id=\"latency\""));
	assert_non_null(strstr(html, "No runqueue waits"));
	for (int p = 0; p < ST_HTML_NR_PARTS; p++) /* in the legend, the table and the bars */
		assert_true(count(html, st_html_parts[p].name) >= 3);
	assert_non_null(strstr(html, "id=\"machine\""));
	assert_non_null(strstr(html, "Intel(R) Xeon(R) Platinum 8488C &lt;&amp;&gt;"));
	assert_non_null(strstr(html, "meltdown: Mitigation: PTI"));
	assert_non_null(strstr(html, "kvm-clock"));
	assert_null(strstr(html, "<dt>timeline</dt>")); /* none recorded */
	assert_non_null(strstr(html, "6.18.0-test"));
	assert_non_null(strstr(html, "@media print"));
	free(html);
	free(r);
}

/*
 * The numbers, each in its cell: futex split over CPUs 0 and 1, 4.0 µs a
 * switch of wall time, 8000 ns of CPU time per switch; every share is of
 * 8000 (user 800 is 10%, idle 4000 50%). Counts: 0.93 voluntary, 0.07
 * preempted. One syscall row: 1.00 call, 700 ns of its own work, 450 ns of
 * the scheduler's, 0.90 blocked for 3.5 µs. Waits: woken p50 2.0 µs,
 * preempted p50 6.0 µs (means 2.1 and 6.5 µs).
 */
static void test_values_in_their_cells(void **state)
{
	struct st_run *r = fx_new_runs(1);
	struct st_breakdown *b = &r->summary;
	char *html;

	(void)state;
	fx_run(r, "futex", "0,1", 1, 4000);
	b->ns_per_switch = 4000;
	b->nr_cpus = 2;
	b->user = 800;
	b->mode_switch = 400;
	b->sched_work = 1200;
	b->syscall_work = 800;
	b->return_path = 160;
	b->other_tasks = 240;
	b->idle = 4000;
	b->tracer = 320;
	b->unexplained = 80;
	b->corrected_ns_per_switch = 3840;
	b->syscalls = 1.6;
	b->kernel_switches = 1.0;
	b->voluntary = 0.93;
	b->involuntary = 0.07;
	b->wakeups = 0.9;
	b->cross_cpu_wakeups = 0.85;
	b->migrations = 0;
	b->nr_sys_rows = 1;
	snprintf(b->sys_rows[0].name, ST_NAME_LEN, "futex WAIT");
	b->sys_rows[0].note[0] = '\0';
	b->sys_rows[0].calls = 1.0;
	b->sys_rows[0].work_ns = 700;
	b->sys_rows[0].sched_ns = 450;
	b->sys_rows[0].blocked = 0.9;
	b->sys_rows[0].blocked_ns = 3500;
	b->runq_woken.count = 300;
	b->runq_woken.mean_ns = 2100;
	b->runq_woken.p50_ns = 2000;
	b->runq_preempted.count = 20;
	b->runq_preempted.mean_ns = 6500;
	b->runq_preempted.p50_ns = 6000;
	r->repeat[0] = *b; /* the parts table shows the median repeat's */
	html = to_html(r, 1);
	if (getenv("SHOW_HTML"))
		fputs(html, stdout);
	assert_non_null(strstr(html, "user code</td><td>800 ns <span class=\"note\">10%</span></td>"));
	assert_non_null(strstr(html, "mode switch</td><td>400 ns <span class=\"note\">5%</span></td>"));
	assert_non_null(strstr(html, "kernel: scheduler work</td><td>1.2 µs <span class=\"note\">15%</span></td>"));
	assert_non_null(strstr(html, "idle</td><td>4.0 µs <span class=\"note\">50%</span></td>"));
	assert_non_null(strstr(html, "tracer</td><td>320 ns <span class=\"note\">4%</span></td>"));
	assert_non_null(strstr(html, "<tr><td>&nbsp;&nbsp;voluntary (blocked)</td><td>0.93</td></tr>"));
	assert_non_null(strstr(html, "<tr><td>&nbsp;&nbsp;preempted</td><td>0.07</td></tr>"));
	assert_non_null(strstr(html, "<tr><td>&nbsp;&nbsp;from another CPU</td><td>0.85</td></tr>"));
	assert_non_null(strstr(html, "<tr><td class=\"text\">futex WAIT</td><td>1.00</td><td>700 ns</td><td>450 ns</td>"
				     "<td>0.90</td><td>3.5 µs</td>"));
	assert_non_null(strstr(html, "<tr><td>woken</td><td>300</td><td>2.1 µs</td><td>2.0 µs</td>"));
	assert_non_null(strstr(html, "<tr><td>preempted</td><td>20</td><td>6.5 µs</td><td>6.0 µs</td>"));
	free(html);
	free(r);
}

static void test_no_external_reference(void **state)
{
	struct st_run *r = compare_set();
	char *html = to_html(r, 4);
	static const char *const banned[] = { "http://", "https://", "//", "<script", "src=", "href=",
					      "url(", "@import", "<link", "<iframe", "<img" };

	(void)state;
	for (size_t i = 0; i < sizeof(banned) / sizeof(banned[0]); i++)
		if (strstr(html, banned[i]))
			fail_msg("the page holds \"%s\": it must be self-contained", banned[i]);
	free(html);
	free(r);
}

static void test_text_escaped(void **state)
{
	struct st_run *r = fx_new_runs(1);
	char *html;

	(void)state;
	fx_run(r, "<script>alert(1)</script>", "0", 1, 5000);
	snprintf(r->machine.hostname, ST_NAME_LEN, "a\"b'c\x01");
	html = to_html(r, 1);
	assert_null(strstr(html, "<script"));
	assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(html, "a&quot;b&#39;c\xef\xbf\xbd"));
	free(html);
	free(r);
}

static void test_single_run_has_no_comparisons(void **state)
{
	struct st_run *r = fx_new_runs(1);
	char *html;

	(void)state;
	fx_run(r, "pthread", "0", 2, 5000);
	r->complete = false;
	html = to_html(r, 1);
	assert_null(strstr(html, "id=\"gap\""));
	assert_null(strstr(html, "id=\"pinning\""));
	assert_int_equal(count(html, "<svg "), 2); /* parts and the runqueue histogram */
	assert_non_null(strstr(html, "INCOMPLETE"));
	free(html);

	r->tl_counts.recorded = true; /* --perfetto: the timeline's counts in the machine block */
	r->tl_counts.records = 1500;
	r->tl_counts.nr_cpus = 1;
	html = to_html(r, 1);
	assert_non_null(strstr(html, "<dt>timeline</dt><dd>1,500 records of its own window before the repeats; lost: 0 on CPU 0</dd>"));
	free(html);
	r->light = true;
	html = to_html(r, 1);
	assert_non_null(strstr(html, "lost: 0 on CPU 0; scheduler only (--light): no syscall slices</dd>"));
	free(html);
	r->light = false;
	r->summary.runq.untimed = 13791; /* the waits the kernel's clock did not time: said, not plotted */
	html = to_html(r, 1);
	assert_non_null(strstr(html, "And 13,791 switch-ins whose wait no stamp covers, not counted above"));
	free(html);
	r->summary.runq.untimed = 0;
	memset(&r->tl_counts, 0, sizeof(r->tl_counts));

	r->traced = false; /* --no-trace: the workload's own timing, no parts */
	memset(r->repeat, 0, sizeof(r->repeat));
	memset(&r->summary, 0, sizeof(r->summary));
	r->summary.ns_per_switch = 5000;
	html = to_html(r, 1);
	assert_non_null(strstr(html, "not traced (--no-trace)"));
	free(html);
	free(r);
}

/* Width and height from a PNG's IHDR chunk. */
static void png_size(const char *path, unsigned *w, unsigned *h)
{
	unsigned char b[24];
	FILE *f = fopen(path, "rb");

	assert_non_null(f);
	assert_int_equal(fread(b, 1, sizeof(b), f), sizeof(b));
	fclose(f);
	assert_memory_equal(b, "\x89PNG\r\n\x1a\n", 8);
	*w = (unsigned)b[16] << 24 | b[17] << 16 | b[18] << 8 | b[19];
	*h = (unsigned)b[20] << 24 | b[21] << 16 | b[22] << 8 | b[23];
}

/* Skips the test without chromium: call it before allocating (a skip jumps out, ASan counts leaks). */
static void need_chromium(void)
{
	if (access(chromium(), X_OK) != 0) {
		print_message("[   SKIP   ] no %s: install Debian's chromium to check the page renders\n", chromium());
		skip();
	}
}

/*
 * Renders a page in headless Chromium: the DOM it builds holds the SVGs
 * (the page parsed) and the heading, and a screenshot comes out. Set keep_env
 * (SCHEDTRACE_SCREENSHOT, SCHEDTRACE_PAIR_SCREENSHOT) to FILE.png to keep it.
 */
static void render_in_chromium(const char *html, int svgs, const char *heading, const char *keep_env)
{
	static char out[1 << 20], err[1 << 16];
	char dir[] = "/tmp/st-html-XXXXXX", page[96], url[128], shot[96], shot_arg[128], profile[96];
	const char *keep = getenv(keep_env);
	unsigned w, h;
	struct stat st;
	FILE *f;
	int rc;

	assert_non_null(mkdtemp(dir));
	snprintf(page, sizeof(page), "%s/report.html", dir);
	snprintf(url, sizeof(url), "file://%s", page);
	snprintf(profile, sizeof(profile), "--user-data-dir=%s/profile", dir);
	snprintf(shot, sizeof(shot), "%s/report.png", dir);
	snprintf(shot_arg, sizeof(shot_arg), "--screenshot=%s", keep ? keep : shot);
	f = fopen(page, "w");
	assert_non_null(f);
	fputs(html, f);
	fclose(f);

	{
		char *argv[] = { "/usr/bin/timeout", "120", (char *)chromium(), "--headless", "--no-sandbox", "--disable-gpu",
				 "--no-first-run", "--disable-background-networking", "--disable-component-update",
				 "--disable-sync", profile, "--dump-dom", url, NULL };
		rc = testutil_run(argv, out, sizeof(out), err, sizeof(err));
		if (rc != 0)
			fail_msg("chromium --dump-dom exited %d: %.400s", rc, err);
		assert_int_equal(count(out, "<svg "), svgs);
		assert_non_null(strstr(out, heading));
	}
	{
		char *argv[] = { "/usr/bin/timeout", "120", (char *)chromium(), "--headless", "--no-sandbox", "--disable-gpu",
				 "--no-first-run", "--disable-background-networking", "--disable-component-update",
				 "--disable-sync", profile, shot_arg, "--window-size=1200,1600", url, NULL };
		rc = testutil_run(argv, out, sizeof(out), err, sizeof(err));
		if (rc != 0)
			fail_msg("chromium --screenshot exited %d: %.400s", rc, err);
	}
	assert_int_equal(stat(keep ? keep : shot, &st), 0);
	assert_true(st.st_size > 20000); /* a blank page compresses to a few kB */
	png_size(keep ? keep : shot, &w, &h);
	assert_int_equal(w, 1200);
	assert_int_equal(h, 1600);

	snprintf(out, sizeof(out), "rm -rf '%s'", dir);
	assert_int_equal(system(out), 0);
}

static void test_renders_in_chromium(void **state)
{
	struct st_run *r;
	char *html;

	(void)state;
	need_chromium();
	r = compare_set();
	html = to_html(r, 4);
	free(r);
	render_in_chromium(html, 6, "Where the time of one switch goes", "SCHEDTRACE_SCREENSHOT");
	free(html);
}

/*
 * `report A.json B.json --html F`: the compare set against itself on another
 * machine, slower: one grouped bar chart per pair (four).
 */
static void test_pair_renders_in_chromium(void **state)
{
	struct st_run *a, *b;
	static struct st_pair pair;
	char *buf = NULL;
	size_t len;
	FILE *f;

	(void)state;
	need_chromium();
	a = compare_set();
	b = compare_set();
	f = open_memstream(&buf, &len);
	for (int i = 0; i < 4; i++) {
		fx_run(&b[i], a[i].workload, a[i].cpus, 3, a[i].summary.ns_per_switch * 1.3);
		strcpy(b[i].machine.cpu_model, "AMD EPYC");
		strcpy(b[i].machine.hostname, "lab-7");
		strcpy(b[i].machine.mitigations, "meltdown: Not affected; spectre_v2: Mitigation: Retpolines");
	}
	st_pair_runs(a, 4, b, 4, &pair);
	assert_int_equal(st_report_pair_html(f, &pair, "a.json", "b.json"), 0);
	fclose(f);
	free(a);
	free(b);
	render_in_chromium(buf, 4, "Two reports side by side", "SCHEDTRACE_PAIR_SCREENSHOT");
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_charts_and_machine_block),
		cmocka_unit_test(test_values_in_their_cells),
		cmocka_unit_test(test_no_external_reference),
		cmocka_unit_test(test_text_escaped),
		cmocka_unit_test(test_single_run_has_no_comparisons),
		cmocka_unit_test(test_renders_in_chromium),
		cmocka_unit_test(test_pair_renders_in_chromium),
	};
	return cmocka_run_group_tests_name("html", tests, NULL, NULL);
}
