// SPDX-License-Identifier: GPL-2.0
/* size_arg.c — see size_arg.h. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "size_arg.h"

int st_parse_ring_size(const char *s, __u32 *out, char *err, size_t err_len)
{
	unsigned long long v = 0, page = (unsigned long long)sysconf(_SC_PAGESIZE);
	const char *p = s;
	int shift = 0;

	if (!s || *s < '0' || *s > '9')
		goto bad;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (unsigned long long)(*p - '0');
		if (v > ST_RING_MAX)
			goto bad;
	}
	if (*p) {
		const char *units = "KMG", *u = strchr(units, *p == 'k' || *p == 'm' || *p == 'g' ? *p - 32 : *p);

		if (!u || !*u || p[1])
			goto bad;
		shift = 10 * (int)(u - units + 1);
	}
	v <<= shift;
	if (v < page || v > ST_RING_MAX || (v & (v - 1)))
		goto bad;
	*out = (__u32)v;
	return 0;
bad:
	snprintf(err, err_len, "bad --ring-size '%s': give a power of two from %lluK to 1G, e.g. --ring-size 64K or 8M",
		 s ? s : "", page >> 10);
	return -1;
}
