// SPDX-License-Identifier: GPL-2.0
/* path_check.c — see path_check.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "path_check.h"

/* The directory part of path ("." for a bare name, "/" for "/x"), into dir. */
static void dir_of(const char *path, char *dir, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(dir, len, ".");
	else if (slash == path)
		snprintf(dir, len, "/");
	else
		snprintf(dir, len, "%.*s", (int)(slash - path), path);
}

/* Can a file be created in dir? 0, or the errno of the attempt. */
static int probe(const char *dir)
{
	char tmp[4200];
	int fd;

	snprintf(tmp, sizeof(tmp), "%s/.schedtrace-check.XXXXXX", dir);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return errno;
	close(fd);
	unlink(tmp);
	return 0;
}

/* A file name to suggest for option: run.json, run.csv, run.html, trace.json. */
static const char *example(const char *option)
{
	if (!strcmp(option, "--csv"))
		return "run.csv";
	if (!strcmp(option, "--html"))
		return "run.html";
	if (!strcmp(option, "--perfetto"))
		return "trace.json";
	return "run.json";
}

int st_path_check(const char *option, const char *path, char *err, size_t err_len)
{
	char dir[4096];
	struct stat st;
	size_t len = strlen(path);
	int e;

	if (!len) {
		snprintf(err, err_len, "%s needs a file name, e.g. %s %s", option, option, example(option));
		return -1;
	}
	if (len >= sizeof(dir) - 64) {
		snprintf(err, err_len, "%s: the path is too long; give a shorter one", option);
		return -1;
	}
	if (path[len - 1] == '/' || (stat(path, &st) == 0 && S_ISDIR(st.st_mode))) {
		snprintf(err, err_len, "%s %s is a directory; give a file name in it, e.g. %s%s%s", option, path,
			 path, path[len - 1] == '/' ? "" : "/", example(option));
		return -1;
	}
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		snprintf(err, err_len, "%s %s exists and is not a regular file; give the name of a file to write", option,
			 path);
		return -1;
	}
	dir_of(path, dir, sizeof(dir));
	if (stat(dir, &st) != 0) {
		if (errno == ENOENT)
			snprintf(err, err_len, "%s %s: directory %s does not exist; create it (mkdir -p %s) or pick another path",
				 option, path, dir, dir);
		else
			snprintf(err, err_len, "%s %s: cannot reach directory %s (%s); pick another path", option, path,
				 dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, err_len, "%s %s: %s is not a directory; pick another path", option, path, dir);
		return -1;
	}
	if ((e = probe(dir))) {
		snprintf(err, err_len, "%s %s: cannot create files in %s (%s); pick a writable directory", option, path,
			 dir, strerror(e));
		return -1;
	}
	return 0;
}
