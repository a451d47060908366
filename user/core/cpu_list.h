/* SPDX-License-Identifier: GPL-2.0 */
/* cpu_list.h — membership in a CPU list as st_run.cpus writes it ("0", "0,1", "0-3,6"). */
#ifndef SCHEDTRACE_CPU_LIST_H
#define SCHEDTRACE_CPU_LIST_H

#include <stdbool.h>

/* Is CPU k in list? false for an empty or malformed list. */
bool st_cpu_list_has(const char *list, unsigned k);

#endif
