// SPDX-License-Identifier: GPL-2.0
/* testutil.c — see testutil.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "testutil.h"

const char *testutil_bpf_missing(void)
{
	if (geteuid() != 0)
		return "not root: integration tests need root (try sudo make check)";
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
		return "no kernel BTF at /sys/kernel/btf/vmlinux";
	return NULL;
}

int testutil_bpf_required(void)
{
	const char *v = getenv("SCHEDTRACE_REQUIRE_BPF");
	return v && strcmp(v, "1") == 0;
}

const char *testutil_bin(const char *rel)
{
	static char path[PATH_MAX];
	const char *dir = getenv("SCHEDTRACE_BUILD");

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "build", rel);
	return path;
}

/* Drains both pipes until EOF so a chatty child cannot block on a full pipe. */
static void drain(int out_fd, char *out, size_t out_len, int err_fd, char *err, size_t err_len)
{
	size_t n_out = 0, n_err = 0;
	struct pollfd p[2] = { { .fd = out_fd, .events = POLLIN }, { .fd = err_fd, .events = POLLIN } };
	int open_fds = 2;

	while (open_fds > 0) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < 2; i++) {
			char tmp[4096], *buf = i ? err : out;
			size_t *n = i ? &n_err : &n_out, len = i ? err_len : out_len;
			ssize_t r;

			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			r = read(p[i].fd, tmp, sizeof(tmp));
			if (r <= 0) {
				close(p[i].fd);
				p[i].fd = -1;
				open_fds--;
				continue;
			}
			if (buf && len > 1 && *n < len - 1) {
				size_t take = (size_t)r < len - 1 - *n ? (size_t)r : len - 1 - *n;
				memcpy(buf + *n, tmp, take);
				*n += take;
			}
		}
	}
	if (out && out_len)
		out[n_out] = '\0';
	if (err && err_len)
		err[n_err] = '\0';
}

int testutil_run(char *const argv[], char *out, size_t out_len, char *err, size_t err_len)
{
	return testutil_run_usage(argv, out, out_len, err, err_len, NULL);
}

int testutil_run_usage(char *const argv[], char *out, size_t out_len, char *err, size_t err_len,
		       struct rusage *usage)
{
	int po[2], pe[2], status;
	pid_t pid;

	if (pipe2(po, O_CLOEXEC) || pipe2(pe, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(po[1], 1);
		dup2(pe[1], 2);
		execv(argv[0], argv);
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	drain(po[0], out, out_len, pe[0], err, err_len);
	if (wait4(pid, &status, 0, usage) < 0)
		return -1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

void testutil_assert_near(double a, double b, double rel, const char *a_text, const char *b_text, const char *file,
			  int line)
{
	double tol = b != 0 ? rel * (b < 0 ? -b : b) : rel;
	double d = a - b;

	if (d < 0)
		d = -d;
	if (d <= tol && a == a && b == b)
		return;
	print_error("%s = %.9g is not within %g (relative) of %s = %.9g\n", a_text, a, rel, b_text, b);
	_fail(file, line);
}

int testutil_csv_columns(char names[][64], int max)
{
	return testutil_doc_columns("docs/csv.md", names, max);
}

int testutil_doc_columns(const char *path, char names[][64], int max)
{
	static const char *const six[] = { "count", "mean_ns", "p50_ns", "p90_ns", "p99_ns", "max_ns" };
	FILE *f = fopen(path, "r");
	char line[2048];
	int n = 0;

	if (!f)
		fail_msg("cannot open %s: run the tests from the repository root (make check does)", path);
	while (fgets(line, sizeof(line), f)) {
		char *cell_end, *p;

		if (strncmp(line, "| `", 3))
			continue;
		cell_end = strchr(line + 1, '|');
		assert_non_null(cell_end);
		*cell_end = '\0';
		for (p = line; (p = strchr(p, '`'));) {
			char *q = strchr(p + 1, '`');
			size_t len;

			assert_non_null(q);
			len = (size_t)(q - p - 1);
			assert_true(len > 0 && len < 60);
			if (len > 2 && !strncmp(q - 2, "_*", 2)) {
				for (int k = 0; k < 6; k++, n++) {
					assert_true(n < max);
					snprintf(names[n], 64, "%.*s_%s", (int)len - 2, p + 1, six[k]);
				}
			} else {
				assert_true(n < max);
				snprintf(names[n++], 64, "%.*s", (int)len, p + 1);
			}
			p = q + 1;
		}
	}
	fclose(f);
	return n;
}

void testutil_filter(void)
{
	const char *f = getenv("SCHEDTRACE_TEST_FILTER");

	if (f && *f)
		cmocka_set_test_filter(f);
}

int testutil_use_built_workloads(void **state)
{
	static char dir[4096];

	(void)state;
	snprintf(dir, sizeof(dir), "%s", testutil_bin("workloads"));
	setenv("SCHEDTRACE_WORKLOADS", dir, 1);
	return 0;
}
