/* SPDX-License-Identifier: GPL-2.0 */
/*
 * atomic_file.h — every output file is written to a temporary in the target's
 * directory and renamed over it once complete, so a reader never sees half a
 * report and a failed run leaves the old file alone. Under sudo the file
 * belongs to the invoking user (SUDO_UID/SUDO_GID), not to root.
 */
#ifndef SCHEDTRACE_ATOMIC_FILE_H
#define SCHEDTRACE_ATOMIC_FILE_H

#include <stdio.h>

struct st_atomic_file {
	FILE *f;	 /* write here between open and commit */
	char *path;	 /* the name asked for */
	char *tmp_path;	 /* the temporary, same directory */
};

/* Creates the temporary. Returns 0, or -1 after printing one line. */
int st_atomic_open(struct st_atomic_file *a, const char *path);

/*
 * Flushes, fsyncs, hands the file to the invoking user and renames it over
 * path. Returns 0, or -1 after printing one line and removing the temporary.
 */
int st_atomic_commit(struct st_atomic_file *a);

/* Gives up: closes and removes the temporary (the old file stays). */
void st_atomic_abort(struct st_atomic_file *a);

#endif
