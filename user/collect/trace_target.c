// SPDX-License-Identifier: GPL-2.0
/* trace_target.c — see trace_target.h. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "args.h"
#include "launch.h"
#include "run.h"
#include "trace_target.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

static void init(struct st_target *t)
{
	memset(t, 0, sizeof(*t));
	t->pid = -1;
	t->go_fd = t->exec_fd = t->pidfd = -1;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void copy_name(char *d, size_t n, const char *s)
{
	const char *slash = strrchr(s, '/');

	snprintf(d, n, "%s", slash && slash[1] ? slash + 1 : s);
}

/* In the child: wait for the go byte, then exec; on failure report errno and exit 127. */
static void child(pid_t parent, char *const argv[], int go_r, int exec_w)
{
	char go;
	ssize_t r;
	int e;

	st_die_with_parent(parent); /* a command we started does not outlive us, even after kill -9 */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	do
		r = read(go_r, &go, 1);
	while (r < 0 && errno == EINTR);
	if (r != 1)
		_exit(127); /* schedtrace gave up before releasing us */
	close(go_r);
	execvp(argv[0], argv);
	e = errno;
	if (write(exec_w, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

int st_target_spawn(struct st_target *t, char *const argv[], char *err, size_t err_len)
{
	int go[2], ex[2], e;
	pid_t parent = getpid();

	init(t);
	t->started = true;
	copy_name(t->name, sizeof(t->name), argv[0]);
	if (pipe2(go, O_CLOEXEC))
		goto fail_errno;
	if (pipe2(ex, O_CLOEXEC)) {
		e = errno;
		close(go[0]);
		close(go[1]);
		errno = e;
		goto fail_errno;
	}
	t->pid = fork();
	if (t->pid < 0) {
		e = errno;
		close(go[0]);
		close(go[1]);
		close(ex[0]);
		close(ex[1]);
		errno = e;
		goto fail_errno;
	}
	if (t->pid == 0) {
		close(go[1]);
		close(ex[0]);
		child(parent, argv, go[0], ex[1]);
	}
	close(go[0]);
	close(ex[1]);
	t->go_fd = go[1];
	t->exec_fd = ex[0];
	t->pidfd = (int)syscall(SYS_pidfd_open, t->pid, 0);
	return 0;

fail_errno:
	e = errno;
	snprintf(err, err_len, "cannot start '%s': %s", argv[0], strerror(e));
	t->pid = -1;
	return -e;
}

int st_target_go(struct st_target *t, char *err, size_t err_len)
{
	char go = 'g';
	int child_errno = 0;
	ssize_t r;

	if (t->go_fd < 0)
		return 0;
	r = write(t->go_fd, &go, 1);
	close_fd(&t->go_fd);
	if (r != 1) {
		snprintf(err, err_len, "the command did not start: %s", strerror(errno));
		return -EIO;
	}
	/* EOF: exec succeeded (the pipe is close-on-exec); an int: it failed with that errno */
	do
		r = read(t->exec_fd, &child_errno, sizeof(child_errno));
	while (r < 0 && errno == EINTR);
	close_fd(&t->exec_fd);
	if (r == (ssize_t)sizeof(child_errno)) {
		snprintf(err, err_len, "cannot run '%s': %s%s", t->name, strerror(child_errno),
			 child_errno == ENOENT ? " (not found: check the name and PATH)" : "");
		st_target_end(t, SIGKILL, 0);
		return -child_errno;
	}
	return 0;
}

/* Tgid of a thread id from /proc/ID/status; -1 when there is no such thread. */
static pid_t tgid_of(pid_t tid)
{
	char path[64], line[256];
	pid_t tgid = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %d", &tgid) == 1)
			break;
	fclose(f);
	return tgid;
}

int st_target_attach(struct st_target *t, pid_t pid, char *err, size_t err_len)
{
	char path[64], comm[ST_NAME_LEN] = "";
	pid_t tgid;
	FILE *f;

	init(t);
	tgid = pid > 0 ? tgid_of(pid) : -1;
	if (tgid <= 0) {
		snprintf(err, err_len, "no process with PID %d (it may have exited; check with ps -p %d)", (int)pid,
			 (int)pid);
		return -ESRCH;
	}
	t->pid = tgid;
	t->pidfd = (int)syscall(SYS_pidfd_open, tgid, 0);
	if (t->pidfd < 0 && errno == ESRCH) {
		snprintf(err, err_len, "process %d exited before it could be traced", (int)tgid);
		return -ESRCH;
	}
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)tgid);
	f = fopen(path, "r");
	if (f) {
		if (fgets(comm, sizeof(comm), f))
			comm[strcspn(comm, "\n")] = '\0';
		fclose(f);
	}
	snprintf(t->name, sizeof(t->name), "%s", comm[0] ? comm : "?");
	return 0;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Without a pidfd (kernels before 5.3): is it gone? */
static bool gone(const struct st_target *t)
{
	if (t->started) {
		siginfo_t si = { 0 };

		return !waitid(P_PID, (id_t)t->pid, &si, WEXITED | WNOHANG | WNOWAIT) && si.si_pid == t->pid;
	}
	return kill(t->pid, 0) && errno == ESRCH;
}

int st_target_wait(struct st_target *t, long timeout_ms, volatile sig_atomic_t *stop)
{
	long end = timeout_ms >= 0 ? now_ms() + timeout_ms : 0;

	while (!t->exited) {
		long slice = 100; /* a signal between the check and poll() waits at most this */
		struct pollfd p = { .fd = t->pidfd, .events = POLLIN };

		if (stop && *stop)
			return 0;
		if (timeout_ms >= 0) {
			long left = end - now_ms();

			if (left <= 0)
				return 0;
			if (left < slice)
				slice = left;
		}
		if (t->pidfd >= 0) {
			if (poll(&p, 1, (int)slice) > 0)
				t->exited = true;
		} else {
			struct timespec ts = { 0, slice * 1000000L };

			if (gone(t))
				t->exited = true;
			else
				nanosleep(&ts, NULL);
		}
	}
	return 1;
}

void st_target_end(struct st_target *t, int sig, long grace_ms)
{
	close_fd(&t->go_fd); /* a child still at its gate reads EOF and exits */
	close_fd(&t->exec_fd);
	if (t->started && t->pid > 0) {
		if (!t->exited && sig) {
			kill(t->pid, sig);
			if (!st_target_wait(t, grace_ms, NULL))
				kill(t->pid, SIGKILL);
		}
		while (waitpid(t->pid, &t->status, 0) < 0 && errno == EINTR)
			;
		t->exited = true;
		t->pid = -1;
	}
	close_fd(&t->pidfd);
}

int st_parse_online_cpus(const char *s, int *cpus, int max, int *n, char *err, size_t err_len)
{
	int online[CPU_SETSIZE], nr_online = st_online_cpus(online, CPU_SETSIZE);
	int got = wl_parse_cpus(s, cpus, max, true, err, err_len);

	*n = 0;
	if (got < 0)
		return -1;
	for (int i = 0; i < got; i++) {
		bool on = false;

		for (int k = 0; k < nr_online; k++)
			on |= online[k] == cpus[i];
		if (!on) {
			snprintf(err, err_len, "CPU %d in -C %s is not online (see lscpu)", cpus[i], s);
			return -1;
		}
	}
	*n = got;
	return 0;
}

int st_online_cpus(int *cpus, int max)
{
	char line[1024], err[128];
	cpu_set_t allowed;
	int n = 0;
	FILE *f = fopen("/sys/devices/system/cpu/online", "r");

	if (f) {
		bool ok = fgets(line, sizeof(line), f) != NULL;

		fclose(f);
		line[strcspn(line, "\n")] = '\0';
		if (ok && (n = wl_parse_cpus(line, cpus, max, true, err, sizeof(err))) > 0)
			return n;
	}
	n = 0;
	if (sched_getaffinity(0, sizeof(allowed), &allowed))
		return 0;
	for (int c = 0; c < CPU_SETSIZE && n < max; c++)
		if (CPU_ISSET(c, &allowed))
			cpus[n++] = c;
	return n;
}

char *st_fmt_cpu_list(char *buf, size_t len, const int *cpus, int n)
{
	size_t used = 0;

	if (len)
		buf[0] = '\0';
	for (int i = 0; i < n && used < len; i++) {
		int j = i;

		while (j + 1 < n && cpus[j + 1] == cpus[j] + 1)
			j++;
		if (j > i)
			used += (size_t)snprintf(buf + used, len - used, "%s%d-%d", used ? "," : "", cpus[i], cpus[j]);
		else
			used += (size_t)snprintf(buf + used, len - used, "%s%d", used ? "," : "", cpus[i]);
		i = j;
	}
	return buf;
}
