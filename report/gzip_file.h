/* SPDX-License-Identifier: GPL-2.0 */
/* gzip_file.h — a FILE that gzips what is written to it into another FILE (zlib). */
#ifndef SCHEDTRACE_GZIP_FILE_H
#define SCHEDTRACE_GZIP_FILE_H

#include <stdio.h>

/*
 * Writes to the returned FILE come out of `under` gzip-compressed. fclose()
 * on it finishes the gzip stream (it does not close `under`) and returns EOF
 * when compressing or writing failed. NULL when out of memory.
 */
FILE *st_gzip_fopen(FILE *under);

#endif
