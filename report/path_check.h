/* SPDX-License-Identifier: GPL-2.0 */
/*
 * path_check.h — an output file's path checked before any work is done, so a
 * typo costs a second, not a whole traced run: the directory exists, is a
 * directory, and a file can be created in it (a probe file, removed at
 * once: the truth for read-only mounts, ACLs and root alike); the path is
 * not a directory nor anything but a regular file (writing replaces it with
 * a rename, which must never hit /dev/null or a FIFO).
 */
#ifndef SCHEDTRACE_PATH_CHECK_H
#define SCHEDTRACE_PATH_CHECK_H

#include <stddef.h>

/*
 * 0 when a file can be written at path; else -1 with one line in err (no
 * newline, no "schedtrace: " prefix) naming `option` and saying what to do.
 */
int st_path_check(const char *option, const char *path, char *err, size_t err_len);

#endif
