// SPDX-License-Identifier: GPL-2.0
/* bpf_census.c — see bpf_census.h. */
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "bpf_census.h"
#include "schedtrace.skel.h"
#include "tracer.h"

#define RODATA_NAME "schedtra.rodata" /* libbpf: the object name's first 8 characters + ".rodata" */
#define MAX_IDS 1024
#define MAX_PROG_MAPS 16

struct ids {
	__u32 id[MAX_IDS];
	int n;
};

static void add_id(struct ids *s, __u32 id)
{
	for (int i = 0; i < s->n; i++)
		if (s->id[i] == id)
			return;
	if (s->n < MAX_IDS)
		s->id[s->n++] = id;
}

static bool has_id(const struct ids *s, __u32 id)
{
	for (int i = 0; i < s->n; i++)
		if (s->id[i] == id)
			return true;
	return false;
}

/* The collector pid in one of our .rodata maps; 0 when fd is another map. */
static pid_t rodata_owner(int fd)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info), zero = 0;
	const size_t off = offsetof(struct schedtrace__rodata, collector_pid);
	unsigned char val[4096];
	__u32 pid;

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len) || strcmp(info.name, RODATA_NAME) ||
	    info.value_size < off + sizeof(pid) || info.value_size > sizeof(val))
		return 0;
	if (bpf_map_lookup_elem(fd, &zero, val))
		return 0;
	memcpy(&pid, val + off, sizeof(pid));
	return (pid_t)pid;
}

static pid_t map_id_owner(__u32 map_id)
{
	int fd = bpf_map_get_fd_by_id(map_id);
	pid_t pid;

	if (fd < 0)
		return 0;
	pid = rodata_owner(fd);
	close(fd);
	return pid;
}

/* Is prog fd one of ours? Its owner in *owner and its maps in maps (either may be NULL). */
static bool our_prog(int fd, __u32 *id, pid_t *owner, struct ids *maps)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info), map_ids[MAX_PROG_MAPS];

	memset(&info, 0, sizeof(info));
	info.nr_map_ids = MAX_PROG_MAPS;
	info.map_ids = (__u64)(uintptr_t)map_ids;
	if (bpf_obj_get_info_by_fd(fd, &info, &len) || !st_tracer_is_our_prog(info.name))
		return false;
	*id = info.id;
	*owner = 0;
	for (__u32 i = 0; i < info.nr_map_ids && i < MAX_PROG_MAPS; i++) {
		pid_t p = map_id_owner(map_ids[i]);

		if (p)
			*owner = p;
		if (maps)
			add_id(maps, map_ids[i]);
	}
	return true;
}

pid_t st_census_prog_owner(unsigned int prog_id)
{
	int fd = bpf_prog_get_fd_by_id(prog_id);
	pid_t owner = 0;
	__u32 id;

	if (fd < 0)
		return 0;
	if (!our_prog(fd, &id, &owner, NULL))
		owner = 0;
	close(fd);
	return owner;
}

static bool wanted(pid_t collector, pid_t owner)
{
	return collector == 0 || owner == collector;
}

/* "key:\tNUMBER" from /proc/self/fdinfo/FD; 0 when absent. */
static __u32 fdinfo_u32(int fd, const char *key)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	unsigned long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen) && line[klen] == ':' && sscanf(line + klen + 1, "%lu", &v) == 1)
			break;
	fclose(f);
	return (__u32)v;
}

/* Pinned files under dir (depth-limited) that are our programs, their links or maps. */
static int count_pinned(const char *dir, int depth, const struct ids *progs, const struct ids *maps)
{
	struct dirent *d;
	int n = 0;
	DIR *dp;

	if (depth > 8 || !(dp = opendir(dir)))
		return 0;
	while ((d = readdir(dp))) {
		char path[4096];
		struct stat st;
		__u32 map_id, prog_id;
		int fd;

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		if (lstat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			n += count_pinned(path, depth + 1, progs, maps);
			continue;
		}
		fd = bpf_obj_get(path);
		if (fd < 0)
			continue;
		map_id = fdinfo_u32(fd, "map_id");
		prog_id = map_id ? 0 : fdinfo_u32(fd, "prog_id"); /* a program, or a link's program */
		if ((map_id && has_id(maps, map_id)) || (prog_id && has_id(progs, prog_id)))
			n++;
		close(fd);
	}
	closedir(dp);
	return n;
}

static int pinned_total(const struct ids *progs, const struct ids *maps)
{
	char line[1024], dev[256], dir[512], type[64];
	FILE *f = fopen("/proc/mounts", "re");
	int n = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%255s %511s %63s", dev, dir, type) == 3 && !strcmp(type, "bpf"))
			n += count_pinned(dir, 0, progs, maps);
	fclose(f);
	return n;
}

int st_census_take(pid_t collector, struct st_census *c)
{
	static struct ids progs, maps, these;
	__u32 id = 0;
	int r;

	memset(c, 0, sizeof(*c));
	progs.n = maps.n = 0;
	while ((r = bpf_prog_get_next_id(id, &id)) == 0) {
		int fd = bpf_prog_get_fd_by_id(id);
		__u32 prog_id;
		pid_t owner;

		if (fd < 0)
			continue; /* gone meanwhile */
		these.n = 0;
		if (our_prog(fd, &prog_id, &owner, &these) && wanted(collector, owner)) {
			c->progs++;
			add_id(&progs, prog_id);
			for (int i = 0; i < these.n; i++)
				add_id(&maps, these.id[i]);
		}
		close(fd);
	}
	if (r == -EPERM)
		return r;
	id = 0;
	while (bpf_link_get_next_id(id, &id) == 0) {
		struct bpf_link_info info;
		__u32 len = sizeof(info);
		int fd = bpf_link_get_fd_by_id(id);

		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		if (!bpf_obj_get_info_by_fd(fd, &info, &len) && has_id(&progs, info.prog_id))
			c->links++;
		close(fd);
	}
	id = 0;
	while (bpf_map_get_next_id(id, &id) == 0) {
		int fd = bpf_map_get_fd_by_id(id);
		pid_t owner;

		if (fd < 0)
			continue;
		owner = rodata_owner(fd);
		if (owner && wanted(collector, owner)) {
			c->maps++;
			add_id(&maps, id);
		}
		close(fd);
	}
	c->pinned = pinned_total(&progs, &maps);
	return 0;
}

int st_census_total(const struct st_census *c)
{
	return c->progs + c->links + c->maps + c->pinned;
}
