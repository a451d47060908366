// SPDX-License-Identifier: GPL-2.0
/*
 * test_outputs.c — atomic_file.c and st_outputs_write(): a new file appears
 * whole, an existing one is replaced (new inode, old mode), no temporary is
 * left behind, a missing directory fails with one line and leaves nothing,
 * and under sudo the file goes to SUDO_UID/SUDO_GID.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "testutil.h"
#include "report_fixture.h"
#include "atomic_file.h"
#include "json_read.h"
#include "report.h"

struct fixture {
	char dir[64];
	char path[128];
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	strcpy(fx->dir, "/tmp/st-outputs-XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->path, sizeof(fx->path), "%s/run.json", fx->dir);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		return -1;
	free(fx);
	return 0;
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 1 << 20);
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, (1 << 20) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Runs fn(arg) with stderr going to a buffer; returns what it printed. */
static char *with_stderr(int (*fn)(void *), void *arg, int *ret)
{
	static char buf[4096];
	FILE *tmp = tmpfile();
	int saved = dup(2);
	size_t n;

	assert_non_null(tmp);
	fflush(stderr);
	dup2(fileno(tmp), 2);
	*ret = fn(arg);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	n = fread(buf, 1, sizeof(buf) - 1, tmp);
	buf[n] = '\0';
	fclose(tmp);
	return buf;
}

static void write_text(const char *path, const char *text)
{
	struct st_atomic_file a;

	assert_int_equal(st_atomic_open(&a, path), 0);
	fputs(text, a.f);
	assert_int_equal(st_atomic_commit(&a), 0);
}

static void test_new_file_whole_and_no_temporary(void **state)
{
	struct fixture *fx = *state;
	struct stat st;
	char *got;
	mode_t mask = umask(022);

	write_text(fx->path, "hello\n");
	umask(mask);
	got = slurp(fx->path);
	assert_string_equal(got, "hello\n");
	free(got);
	assert_int_equal(count_entries(fx->dir), 1);
	assert_int_equal(stat(fx->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644); /* what open(2) would have given, not mkstemp's 0600 */
}

static void test_existing_file_replaced(void **state)
{
	struct fixture *fx = *state;
	struct stat before, after;
	char *got;

	write_text(fx->path, "old contents, longer than the new ones\n");
	assert_int_equal(chmod(fx->path, 0640), 0);
	assert_int_equal(stat(fx->path, &before), 0);
	write_text(fx->path, "new\n");
	assert_int_equal(stat(fx->path, &after), 0);
	got = slurp(fx->path);
	assert_string_equal(got, "new\n");
	free(got);
	assert_true(before.st_ino != after.st_ino); /* renamed over, not rewritten in place */
	assert_int_equal(after.st_mode & 0777, 0640);
	assert_int_equal(count_entries(fx->dir), 1);
}

static void test_abort_keeps_old_file(void **state)
{
	struct fixture *fx = *state;
	struct st_atomic_file a;
	char *got;

	write_text(fx->path, "old\n");
	assert_int_equal(st_atomic_open(&a, fx->path), 0);
	fputs("half a rep", a.f);
	assert_int_equal(count_entries(fx->dir), 2); /* the temporary is beside it */
	st_atomic_abort(&a);
	got = slurp(fx->path);
	assert_string_equal(got, "old\n");
	free(got);
	assert_int_equal(count_entries(fx->dir), 1);
}

struct outputs_call {
	struct st_outputs o;
	struct st_run *runs;
};

static int call_outputs(void *arg)
{
	struct outputs_call *c = arg;

	return st_outputs_write(&c->o, c->runs, 1);
}

static void test_missing_directory_fails_one_line(void **state)
{
	struct fixture *fx = *state;
	struct outputs_call c = { .runs = fx_new_runs(1) };
	char path[160];
	char *err;
	int ret;

	fx_run(c.runs, "pthread", "0", 1, 5000);
	snprintf(path, sizeof(path), "%s/no/such/dir/run.json", fx->dir);
	c.o.json = path;
	err = with_stderr(call_outputs, &c, &ret);
	assert_int_equal(ret, -1);
	assert_non_null(strstr(err, "schedtrace: cannot write "));
	assert_non_null(strstr(err, "No such file or directory"));
	assert_int_equal(strchr(err, '\n') - err, (long)strlen(err) - 1); /* exactly one line */
	assert_int_equal(count_entries(fx->dir), 0);
	free(c.runs);
}

static void test_directory_as_name_fails_one_line(void **state)
{
	struct fixture *fx = *state;
	struct outputs_call c = { .runs = fx_new_runs(1) };
	char *err;
	int ret;

	fx_run(c.runs, "pthread", "0", 1, 5000);
	c.o.json = fx->dir; /* rename(2) onto a directory fails: the temporary must go */
	err = with_stderr(call_outputs, &c, &ret);
	assert_int_equal(ret, -1);
	assert_non_null(strstr(err, "schedtrace: cannot write "));
	assert_int_equal(strchr(err, '\n') - err, (long)strlen(err) - 1);
	assert_int_equal(count_entries(fx->dir), 0);
	free(c.runs);
}

static void test_json_output_reads_back(void **state)
{
	struct fixture *fx = *state;
	struct outputs_call c = { .runs = fx_new_runs(1) };
	struct st_run *back;
	char err[256];
	int n, ret;

	fx_run(c.runs, "pthread", "0", 2, 5000);
	c.o.json = fx->path;
	with_stderr(call_outputs, &c, &ret);
	assert_int_equal(ret, 0);
	assert_int_equal(st_json_read_file(fx->path, &back, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	assert_memory_equal(back, c.runs, sizeof(*back));
	free(back);
	free(c.runs);
}

/*
 * Each file in its own format: --json F
 * reads back, --csv F starts with the documented header's first columns,
 * --html F is a page.
 */
static void test_each_flag_its_format(void **state)
{
	struct fixture *fx = *state;
	struct outputs_call c = { .runs = fx_new_runs(1) };
	char json[160], csv[160], html[160], err[256];
	struct st_run *back;
	char *got;
	int n, ret;

	fx_run(c.runs, "pthread", "0", 2, 5000);
	snprintf(json, sizeof(json), "%s/a.json", fx->dir);
	snprintf(csv, sizeof(csv), "%s/b.csv", fx->dir);
	snprintf(html, sizeof(html), "%s/c.html", fx->dir);
	/* which flag fills which member is each command's table (test_cli: run --no-trace --json/--csv/--html) */
	c.o.json = json;
	c.o.csv = csv;
	c.o.html = html;
	with_stderr(call_outputs, &c, &ret);
	assert_int_equal(ret, 0);
	assert_int_equal(count_entries(fx->dir), 3);
	assert_int_equal(st_json_read_file(json, &back, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	assert_string_equal(back->workload, "pthread");
	free(back);
	got = slurp(csv);
	assert_int_equal(strncmp(got, "workload,cpus,traced,complete,repeat,", 37), 0);
	assert_non_null(strstr(got, "\r\npthread,0,true,true,0,"));
	free(got);
	got = slurp(html);
	assert_int_equal(strncmp(got, "<!DOCTYPE html>", 15), 0);
	assert_non_null(strstr(got, "</html>\n"));
	free(got);
	free(c.runs);
}

static void test_sudo_user_owns_file(void **state)
{
	struct fixture *fx = *state;
	struct stat st;

	if (geteuid() != 0) {
		print_message("[   SKIP   ] not root: cannot check the SUDO_UID/SUDO_GID hand-over\n");
		skip();
	}
	setenv("SUDO_UID", "12345", 1);
	setenv("SUDO_GID", "23456", 1);
	write_text(fx->path, "mine\n");
	unsetenv("SUDO_UID");
	unsetenv("SUDO_GID");
	assert_int_equal(stat(fx->path, &st), 0);
	assert_int_equal(st.st_uid, 12345);
	assert_int_equal(st.st_gid, 23456);

	/* a malformed SUDO_UID is ignored, not half-parsed */
	setenv("SUDO_UID", "123abc", 1);
	setenv("SUDO_GID", "23456", 1);
	write_text(fx->path, "root's\n");
	unsetenv("SUDO_UID");
	unsetenv("SUDO_GID");
	assert_int_equal(stat(fx->path, &st), 0);
	assert_int_equal(st.st_uid, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_new_file_whole_and_no_temporary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_existing_file_replaced, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abort_keeps_old_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_directory_fails_one_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_directory_as_name_fails_one_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_output_reads_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_each_flag_its_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sudo_user_owns_file, setup, teardown),
	};
	return cmocka_run_group_tests_name("outputs", tests, NULL, NULL);
}
