/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cgroup.h — a cgroup v2 named by its directory, as `trace --cgroup PATH`
 * takes it: its id (the kernfs node id the kernel side compares, which is
 * the directory's file handle and, on 64-bit, its inode) and its depth
 * below the root of the v2 hierarchy. The v2 mount is found in /proc/mounts
 * (on a hybrid system it is /sys/fs/cgroup/unified, never assumed).
 */
#ifndef SCHEDTRACE_CGROUP_H
#define SCHEDTRACE_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

struct st_cgroup {
	char path[4096]; /* the directory, resolved (realpath) */
	__u64 id;
	__u32 level;	 /* 0: the root cgroup */
};

/* Resolves path. 0, or -1 with one line in err saying what to do. */
int st_cgroup_resolve(const char *path, struct st_cgroup *cg, char *err, size_t err_len);

/* The first cgroup v2 mount point in /proc/mounts into out; 0, or -1 when there is none. */
int st_cgroup2_mount(char *out, size_t len);

/* Still there (not removed)? */
bool st_cgroup_alive(const struct st_cgroup *cg);

#endif
