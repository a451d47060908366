// SPDX-License-Identifier: GPL-2.0
/* launch.c — see launch.h. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "catalog.h"
#include "launch.h"

int st_workload_path(const char *name, char *out, size_t len)
{
	const char *env = getenv("SCHEDTRACE_WORKLOADS");
	char self[PATH_MAX];
	ssize_t n;

	if (env && *env)
		return snprintf(out, len, "%s/%s", env, name) < (int)len ? 0 : -1;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return -1;
	self[n] = '\0';
	return snprintf(out, len, "%s/workloads/%s", dirname(self), name) < (int)len ? 0 : -1;
}

bool st_workload_built(const struct wl_catalog_entry *w)
{
	char path[PATH_MAX];

	return !st_workload_path(wl_catalog_binary(w), path, sizeof(path)) && !access(path, X_OK);
}

void st_die_with_parent(pid_t parent)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
		_exit(127);
	/* the collector died before prctl took hold: nobody would send the signal now */
	if (getppid() != parent)
		_exit(127);
}

static void child(pid_t parent, const char *path, char *const argv[], const cpu_set_t *cpus, int res_w,
		  int gate_r, int go_r)
{
	char num[16], go;
	ssize_t r;

	st_die_with_parent(parent);
	setpgid(0, 0);
	/* the collector's signal dispositions must not leak into the workload */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	if (cpus)
		sched_setaffinity(0, sizeof(*cpus), cpus);
	/* results come over the protocol; the workload's human lines would only interleave */
	{
		int devnull = open("/dev/null", O_WRONLY);

		if (devnull >= 0) {
			dup2(devnull, STDOUT_FILENO);
			close(devnull);
		}
	}
	snprintf(num, sizeof(num), "%d", res_w);
	setenv("SCHEDTRACE_RESULT_FD", num, 1);
	snprintf(num, sizeof(num), "%d", gate_r);
	setenv("SCHEDTRACE_GATE_FD", num, 1);
	do
		r = read(go_r, &go, 1);
	while (r < 0 && errno == EINTR);
	if (r != 1)
		_exit(1); /* the collector gave up before releasing us */
	close(go_r);
	execv(path, argv);
	dprintf(res_w, "error=exec %s: %s\n", path, strerror(errno));
	_exit(127);
}

int st_launch_start(struct st_launch *l, const char *path, char *const argv[],
		    const cpu_set_t *child_cpus, char *err, size_t err_len)
{
	int res[2] = { -1, -1 }, gate[2] = { -1, -1 }, go[2] = { -1, -1 };
	pid_t parent = getpid();
	int e;

	memset(l, 0, sizeof(*l));
	l->pid = -1;
	l->res_fd = l->gate_fd = l->go_fd = -1;
	if (access(path, X_OK) != 0) {
		e = -errno;
		snprintf(err, err_len, "workload binary %s: %s (build it with make)", path, strerror(errno));
		return e;
	}
	/* the child's ends must survive exec: no O_CLOEXEC on them */
	if (pipe(res) || pipe(gate) || pipe2(go, O_CLOEXEC)) {
		e = -errno;
		snprintf(err, err_len, "pipe: %s", strerror(errno));
		goto fail;
	}
	fcntl(res[0], F_SETFD, FD_CLOEXEC);
	fcntl(gate[1], F_SETFD, FD_CLOEXEC);
	l->pid = fork();
	if (l->pid < 0) {
		e = -errno;
		snprintf(err, err_len, "fork: %s", strerror(errno));
		goto fail;
	}
	if (l->pid == 0) {
		close(res[0]);
		close(gate[1]);
		close(go[1]);
		child(parent, path, argv, child_cpus, res[1], gate[0], go[0]);
	}
	setpgid(l->pid, l->pid); /* also here: no race with kill(-pgid) */
	close(res[1]);
	close(gate[0]);
	close(go[0]);
	l->res_fd = res[0];
	l->gate_fd = gate[1];
	l->go_fd = go[1];
	return 0;
fail:
	for (int i = 0; i < 2; i++) {
		if (res[i] >= 0)
			close(res[i]);
		if (gate[i] >= 0)
			close(gate[i]);
		if (go[i] >= 0)
			close(go[i]);
	}
	return e;
}

static int write_byte(int fd)
{
	char b = 'g';
	ssize_t w;

	do
		w = write(fd, &b, 1);
	while (w < 0 && errno == EINTR);
	return w == 1 ? 0 : -errno;
}

int st_launch_go(struct st_launch *l)
{
	int e;

	if (l->go_fd < 0)
		return -EBADF;
	e = write_byte(l->go_fd);
	close(l->go_fd);
	l->go_fd = -1;
	return e;
}

int st_launch_gate(struct st_launch *l)
{
	return write_byte(l->gate_fd);
}

int st_launch_line(struct st_launch *l, char *key, size_t key_len, char *val, size_t val_len)
{
	for (;;) {
		char *nl = memchr(l->buf, '\n', l->len);
		ssize_t r;

		if (nl) {
			size_t line = (size_t)(nl - l->buf);
			char *eq;

			*nl = '\0';
			eq = strchr(l->buf, '=');
			if (eq)
				*eq = '\0';
			snprintf(key, key_len, "%s", l->buf);
			snprintf(val, val_len, "%s", eq ? eq + 1 : "");
			memmove(l->buf, nl + 1, l->len - line - 1);
			l->len -= line + 1;
			return 1;
		}
		if (l->len == sizeof(l->buf))
			l->len = 0; /* an absurdly long line: drop it */
		r = read(l->res_fd, l->buf + l->len, sizeof(l->buf) - l->len);
		if (r < 0)
			return -errno;
		if (r == 0)
			return 0;
		l->len += (size_t)r;
	}
}

void st_launch_kill(struct st_launch *l)
{
	if (l->pid > 0 && !l->reaped)
		kill(-l->pid, SIGKILL);
}

int st_launch_wait(struct st_launch *l)
{
	if (l->go_fd >= 0)
		close(l->go_fd);
	if (l->gate_fd >= 0)
		close(l->gate_fd);
	l->go_fd = l->gate_fd = -1;
	if (l->pid > 0 && !l->reaped) {
		while (waitpid(l->pid, &l->status, 0) < 0 && errno == EINTR)
			;
		l->reaped = 1;
	}
	if (l->res_fd >= 0)
		close(l->res_fd);
	l->res_fd = -1;
	return l->status;
}
