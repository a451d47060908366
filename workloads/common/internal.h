/* SPDX-License-Identifier: GPL-2.0 */
/* internal.h — state the harness's own files share; workloads do not include it. */
#ifndef WL_INTERNAL_H
#define WL_INTERNAL_H

extern const char *wl_name;	/* the running workload's name, for wl_die() */
extern int wl_error_fd;		/* wl_die() also writes error= here; -1: nowhere */

#endif /* WL_INTERNAL_H */
