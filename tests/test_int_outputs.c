// SPDX-License-Identifier: GPL-2.0
/*
 * test_int_outputs.c — the output flags end to end (root + BPF), through the
 * built binary as a user runs it:
 *  - `schedtrace run futex --json A --csv B --html C`: A reads back as the
 *    run (and `schedtrace report A` prints the text the run printed), B
 *    starts with the header docs/csv.md documents and has a row per repeat,
 *    C is the HTML page;
 *  - `schedtrace report A --html D`: D is C, byte for byte;
 *  - SIGTERM during a traced run: exit 143, the report of the repeats
 *    measured so far marked INCOMPLETE, none of its programs left loaded.
 * ~5 s. This is also the integration subset of `make mutate`.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "calibrate.h"
#include "json_read.h"
#include "testutil.h"
#include "tracer.h"

static char out[1 << 18], err[1 << 14], out2[1 << 18];
static char dir[64];

static int setup(void **state)
{
	static char wl[4096];

	(void)state;
	snprintf(wl, sizeof(wl), "%s", testutil_bin("workloads"));
	setenv("SCHEDTRACE_WORKLOADS", wl, 1);
	strcpy(dir, "/tmp/st-int-outputs-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) ? -1 : 0;
}

/* Runs schedtrace with the arguments up to NULL; stdout into out_buf (of sizeof(out)), stderr into err. */
static int schedtrace(char *out_buf, ...)
{
	char *argv[24] = { (char *)testutil_bin("schedtrace") };
	va_list ap;
	int n = 1;

	va_start(ap, out_buf);
	while (n < 23 && (argv[n] = va_arg(ap, char *)))
		n++;
	va_end(ap);
	argv[n] = NULL;
	return testutil_run(argv, out_buf, sizeof(out), err, sizeof(err));
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf;

	if (!f)
		fail_msg("%s was not written", path);
	buf = calloc(1, 1 << 22);
	assert_non_null(buf);
	*len = fread(buf, 1, (1 << 22) - 1, f);
	fclose(f);
	return buf;
}

/* A cached calibration: the run must not spend the test's time (or a signal) calibrating. */
static void calibrated(void)
{
	struct st_calibration cal;
	char why[512];

	if (st_calibration_get(&cal, false, NULL, why, sizeof(why)))
		fail_msg("calibration: %s", why);
}

static void test_json_csv_html(void **state)
{
	static char docs[160][64];
	char a[96], b[96], c[96], d[96], e[256];
	struct st_run *runs;
	char *csv, *html, *html2, *p;
	size_t csv_len, html_len, html2_len;
	int n, rc, ndocs, rows = 0;

	(void)state;
	require_bpf();
	calibrated();
	snprintf(a, sizeof(a), "%s/run.json", dir);
	snprintf(b, sizeof(b), "%s/run.csv", dir);
	snprintf(c, sizeof(c), "%s/run.html", dir);
	snprintf(d, sizeof(d), "%s/again.html", dir);
	rc = schedtrace(out, "run", "futex", "-n", "2000", "-r", "2", "--json", a, "--csv", b, "--html", c, NULL);
	if (rc != 0)
		fail_msg("run futex --json --csv --html exited %d: %s", rc, err);

	/* the JSON reads back as the run, and renders as the text the run printed */
	if (st_json_read_file(a, &runs, &n, e, sizeof(e)))
		fail_msg("%s does not read back: %s", a, e);
	assert_int_equal(n, 1);
	assert_string_equal(runs[0].workload, "futex");
	assert_true(runs[0].traced && runs[0].complete);
	assert_int_equal(runs[0].nr_repeats, 2);
	assert_true(runs[0].summary.switches == 4000 && runs[0].summary.kernel_switches > 0.5);
	free(runs);
	rc = schedtrace(out2, "report", a, NULL);
	assert_int_equal(rc, 0);
	assert_string_equal(out2, out);

	/* the CSV: the documented header first, then one row per repeat */
	csv = slurp(b, &csv_len);
	ndocs = testutil_csv_columns(docs, 160);
	p = csv;
	for (int i = 0; i < ndocs; i++) {
		size_t l = strlen(docs[i]);

		if (strncmp(p, docs[i], l) || (p[l] != ',' && p[l] != '\r'))
			fail_msg("the CSV's column %d is not %s: %.60s", i, docs[i], p);
		p += l + (p[l] == ',');
	}
	p = strstr(csv, "\r\n");
	assert_non_null(p);
	for (p += 2; *p; p = strstr(p, "\r\n") + 2) {
		assert_int_equal(strncmp(p, "futex,0,true,true,", 18), 0);
		rows++;
		assert_non_null(strstr(p, "\r\n"));
	}
	assert_int_equal(rows, 2);
	free(csv);

	/* the HTML, and report --html: the same page */
	html = slurp(c, &html_len);
	assert_int_equal(strncmp(html, "<!DOCTYPE html>", 15), 0);
	assert_non_null(strstr(html, "<title>schedtrace: futex</title>"));
	assert_non_null(strstr(html, "</html>\n"));
	rc = schedtrace(out2, "report", a, "--html", d, NULL);
	if (rc != 0)
		fail_msg("report --html exited %d: %s", rc, err);
	assert_string_equal(out2, "");
	html2 = slurp(d, &html2_len);
	assert_int_equal(html2_len, html_len);
	assert_memory_equal(html2, html, html_len);
	free(html);
	free(html2);
}

/* ids of the loaded programs named like ours */
static int our_prog_ids(__u32 *ids, int max)
{
	__u32 id = 0;
	int n = 0;

	while (bpf_prog_get_next_id(id, &id) == 0) {
		struct bpf_prog_info info;
		__u32 len = sizeof(info);
		int fd = bpf_prog_get_fd_by_id(id);

		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0 && st_tracer_is_our_prog(info.name) && n < max)
			ids[n++] = info.id;
		close(fd);
	}
	return n;
}

/*
 * SIGTERM 3 s into a traced run of 64 repeats of 40,000 switches (~0.2 s
 * each here, after a second of start-up): some repeats are done, most not.
 */
static void test_sigterm(void **state)
{
	char out_path[96], err_path[96];
	__u32 before[256], after[256];
	int nb, na, status;
	size_t n;
	char *text;
	pid_t pid;

	(void)state;
	require_bpf();
	calibrated();
	snprintf(out_path, sizeof(out_path), "%s/sigterm.out", dir);
	snprintf(err_path, sizeof(err_path), "%s/sigterm.err", dir);
	nb = our_prog_ids(before, 256);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (!freopen(out_path, "w", stdout) || !freopen(err_path, "w", stderr))
			_exit(127);
		execl(testutil_bin("schedtrace"), "schedtrace", "run", "futex", "-n", "20000", "-r", "64", (char *)NULL);
		_exit(127);
	}
	sleep(3);
	kill(pid, SIGTERM);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	text = slurp(err_path, &n);
	print_message("[   INFO   ] stderr: %s", text);
	if (!WIFEXITED(status))
		fail_msg("killed by signal %d instead of exiting 143", WTERMSIG(status));
	assert_int_equal(WEXITSTATUS(status), 143);
	assert_non_null(strstr(text, "the report above is incomplete"));
	free(text);
	text = slurp(out_path, &n);
	if (!strstr(text, "\nINCOMPLETE: interrupted after ") || !strstr(text, " of 64 repeats"))
		fail_msg("the report is not marked incomplete:\n%.600s", text);
	assert_non_null(strstr(text, "Where the time goes"));
	free(text);
	/* its programs are gone: no id named like ours that was not loaded before */
	na = our_prog_ids(after, 256);
	for (int i = 0; i < na; i++) {
		bool old = false;

		for (int j = 0; j < nb; j++)
			old |= before[j] == after[i];
		if (!old)
			fail_msg("program id %u named like ours is loaded after the SIGTERM", after[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_csv_html),
		cmocka_unit_test(test_sigterm),
	};

	testutil_filter();
	return cmocka_run_group_tests_name("int_outputs", tests, setup, teardown);
}
