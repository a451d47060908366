// SPDX-License-Identifier: GPL-2.0
/* atomic_file.c — temporary + fsync + rename; see atomic_file.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "atomic_file.h"

static void forget(struct st_atomic_file *a)
{
	free(a->path);
	free(a->tmp_path);
	a->f = NULL;
	a->path = NULL;
	a->tmp_path = NULL;
}

/* Strict decimal id from the environment; -1 when absent or malformed. */
static long env_id(const char *name)
{
	const char *s = getenv(name);
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 0)
		return -1;
	return v;
}

/* Under sudo, root creates the file but the user who typed the command owns it. */
static int give_to_invoking_user(int fd)
{
	long uid = env_id("SUDO_UID"), gid = env_id("SUDO_GID");

	if (geteuid() != 0 || uid < 0 || gid < 0)
		return 0;
	return fchown(fd, (uid_t)uid, (gid_t)gid);
}

/* An existing file keeps its mode; a new one gets what open(2) would give it. */
static mode_t mode_for(const char *path)
{
	struct stat st;
	mode_t mask;

	if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
		return st.st_mode & 07777;
	mask = umask(0);
	umask(mask);
	return 0666 & ~mask;
}

/* "dir/.name.XXXXXX" beside path, so rename(2) stays inside one filesystem. */
static char *temp_name_for(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
	const char *base = path + dir_len;
	size_t len = dir_len + 1 + strlen(base) + 8;
	char *t = malloc(len);

	if (t)
		snprintf(t, len, "%.*s.%s.XXXXXX", (int)dir_len, path, base);
	return t;
}

int st_atomic_open(struct st_atomic_file *a, const char *path)
{
	int fd = -1;

	memset(a, 0, sizeof(*a));
	if (!*path || path[strlen(path) - 1] == '/') {
		fprintf(stderr, "schedtrace: cannot write '%s': give a file name, not a directory\n", path);
		return -1;
	}
	a->path = strdup(path);
	a->tmp_path = temp_name_for(path);
	if (!a->path || !a->tmp_path) {
		fprintf(stderr, "schedtrace: cannot write %s: out of memory\n", path);
		goto fail;
	}
	fd = mkostemp(a->tmp_path, O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "schedtrace: cannot write %s: %s (is the directory there and writable?)\n",
			path, strerror(errno));
		goto fail;
	}
	if (fchmod(fd, mode_for(path)) || give_to_invoking_user(fd)) {
		fprintf(stderr, "schedtrace: cannot set owner or mode of %s: %s\n", path, strerror(errno));
		goto fail_unlink;
	}
	a->f = fdopen(fd, "w");
	if (!a->f) {
		fprintf(stderr, "schedtrace: cannot write %s: %s\n", path, strerror(errno));
		goto fail_unlink;
	}
	return 0;

fail_unlink:
	close(fd);
	unlink(a->tmp_path);
fail:
	forget(a);
	return -1;
}

int st_atomic_commit(struct st_atomic_file *a)
{
	int err = 0;

	errno = 0;
	if (fflush(a->f) || ferror(a->f) || fsync(fileno(a->f)))
		err = errno ? errno : EIO;
	if (fclose(a->f) && !err)
		err = errno;
	a->f = NULL;
	if (!err && rename(a->tmp_path, a->path))
		err = errno;
	if (err) {
		fprintf(stderr, "schedtrace: cannot write %s: %s (the old file, if any, is unchanged)\n",
			a->path, strerror(err));
		unlink(a->tmp_path);
		forget(a);
		return -1;
	}
	forget(a);
	return 0;
}

void st_atomic_abort(struct st_atomic_file *a)
{
	if (a->f)
		fclose(a->f);
	if (a->tmp_path)
		unlink(a->tmp_path);
	forget(a);
}
