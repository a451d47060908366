// SPDX-License-Identifier: GPL-2.0
/* proc_switches.c — the kernel's per-thread context switch counts of a set of processes (proc_switches.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "proc_switches.h"

/* The number after `key` at the start of a line of text, into *out. */
static bool line_value(const char *text, const char *key, __u64 *out)
{
	size_t klen = strlen(key);

	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		if (!strncmp(l, key, klen)) {
			char *end;

			errno = 0;
			*out = strtoull(l + klen, &end, 10);
			return end != l + klen && errno == 0;
		}
	return false;
}

bool st_proc_switches_parse(const char *status, __u64 *voluntary, __u64 *involuntary)
{
	return line_value(status, "voluntary_ctxt_switches:", voluntary) &&
	       line_value(status, "nonvoluntary_ctxt_switches:", involuntary);
}

/* One thread's counts into *out; false when it is gone or unreadable. */
static bool read_thread(int task_fd, const char *tid, struct st_thread_switches *out)
{
	char path[64], buf[4096];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/status", tid);
	fd = openat(task_fd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	out->tid = (pid_t)atoi(tid);
	return st_proc_switches_parse(buf, &out->voluntary, &out->involuntary);
}

int st_proc_threads(const pid_t *tgids, int nr, struct st_thread_switches *out, int max)
{
	int read_any = 0, err = -ESRCH, n = 0;

	for (int i = 0; i < nr; i++) {
		char path[64];
		struct dirent *d;
		DIR *dir;

		snprintf(path, sizeof(path), "/proc/%d/task", (int)tgids[i]);
		dir = opendir(path);
		if (!dir) {
			err = -errno;
			continue;
		}
		read_any = 1;
		while (n < max && (d = readdir(dir)))
			if (d->d_name[0] >= '0' && d->d_name[0] <= '9' && read_thread(dirfd(dir), d->d_name, &out[n]))
				n++;
		closedir(dir);
	}
	return read_any ? n : err;
}

static int by_tid(const void *a, const void *b)
{
	pid_t x = ((const struct st_thread_switches *)a)->tid, y = ((const struct st_thread_switches *)b)->tid;

	return (x > y) - (x < y);
}

void st_switches_total(const struct st_thread_switches *live, int nr_live, struct st_thread_switches *gone,
		       int nr_gone, struct st_proc_switches *out)
{
	memset(out, 0, sizeof(*out));
	if (nr_gone > 0)
		qsort(gone, (size_t)nr_gone, sizeof(*gone), by_tid);
	for (int i = 0; i < nr_gone; i++) {
		out->voluntary += gone[i].voluntary;
		out->involuntary += gone[i].involuntary;
		out->threads++;
	}
	for (int i = 0; i < nr_live; i++) {
		if (nr_gone && bsearch(&live[i], gone, (size_t)nr_gone, sizeof(*gone), by_tid))
			continue; /* exited: its counts at exit are in already */
		out->voluntary += live[i].voluntary;
		out->involuntary += live[i].involuntary;
		out->threads++;
	}
}
