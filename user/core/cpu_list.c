// SPDX-License-Identifier: GPL-2.0
/* cpu_list.c — see cpu_list.h. */
#include <stdlib.h>
#include "cpu_list.h"

bool st_cpu_list_has(const char *list, unsigned k)
{
	const char *p = list;

	while (p && *p) {
		char *end;
		unsigned long lo = strtoul(p, &end, 10), hi = lo;

		if (end == p)
			return false;
		if (*end == '-') {
			p = end + 1;
			hi = strtoul(p, &end, 10);
			if (end == p)
				return false;
		}
		if (k >= lo && k <= hi)
			return true;
		if (*end != ',')
			return false;
		p = end + 1;
	}
	return false;
}
