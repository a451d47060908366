// SPDX-License-Identifier: GPL-2.0
/* cgroup.c — see cgroup.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cgroup.h"

/* The cgroup2 mount that holds path (the longest matching mount point), into mnt. */
static int mount_of(const char *path, char *mnt, size_t len)
{
	char line[4096], dev[256], dir[2048], type[64];
	size_t best = 0;
	FILE *f = fopen("/proc/mounts", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		size_t n;

		if (sscanf(line, "%255s %2047s %63s", dev, dir, type) != 3 || strcmp(type, "cgroup2"))
			continue;
		n = strlen(dir);
		if (!path) { /* any: the first */
			snprintf(mnt, len, "%s", dir);
			best = n ? n : 1;
			break;
		}
		if (n >= best && !strncmp(path, dir, n) && (path[n] == '/' || path[n] == '\0' || !strcmp(dir, "/"))) {
			snprintf(mnt, len, "%s", dir);
			best = n ? n : 1;
		}
	}
	fclose(f);
	return best ? 0 : -1;
}

int st_cgroup2_mount(char *out, size_t len)
{
	return mount_of(NULL, out, len);
}

/* The kernfs id: the directory's file handle (8 bytes), else its inode. */
static __u64 cgroup_id(const char *path, const struct stat *st)
{
	struct {
		struct file_handle fh;
		__u64 id;
	} h;
	int mount_id;

	h.fh.handle_bytes = sizeof(h.id);
	if (name_to_handle_at(AT_FDCWD, path, &h.fh, &mount_id, 0) == 0 && h.fh.handle_bytes == sizeof(h.id)) {
		__u64 id;

		memcpy(&id, h.fh.f_handle, sizeof(id));
		return id;
	}
	return (__u64)st->st_ino;
}

int st_cgroup_resolve(const char *path, struct st_cgroup *cg, char *err, size_t err_len)
{
	char mnt[2048], real[PATH_MAX];
	struct stat st;
	const char *rest;

	memset(cg, 0, sizeof(*cg));
	if (!realpath(path, real) || stat(real, &st)) {
		snprintf(err, err_len, "--cgroup %s: %s; give the directory of a cgroup v2, e.g. %s", path, strerror(errno),
			 st_cgroup2_mount(mnt, sizeof(mnt)) ? "/sys/fs/cgroup/NAME" : strcat(mnt, "/NAME"));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, err_len, "--cgroup %s is not a directory; give the directory of a cgroup v2", path);
		return -1;
	}
	if (mount_of(real, mnt, sizeof(mnt))) {
		char v2[2048];

		if (st_cgroup2_mount(v2, sizeof(v2)))
			snprintf(err, err_len, "--cgroup %s: no cgroup v2 is mounted here (mount -t cgroup2 none DIR)", path);
		else
			snprintf(err, err_len, "--cgroup %s is not in the cgroup v2 hierarchy; here that is under %s", path,
				 v2);
		return -1;
	}
	snprintf(cg->path, sizeof(cg->path), "%s", real);
	cg->id = cgroup_id(real, &st);
	rest = real + strlen(mnt);
	for (const char *p = rest; *p; p++)
		if (*p == '/' && p[1] && p[1] != '/')
			cg->level++;
	return 0;
}

bool st_cgroup_alive(const struct st_cgroup *cg)
{
	struct stat st;

	return stat(cg->path, &st) == 0 && S_ISDIR(st.st_mode);
}
