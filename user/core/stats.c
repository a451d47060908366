// SPDX-License-Identifier: GPL-2.0
/* stats.c — see stats.h. */
#include <stdlib.h>
#include <string.h>
#include "stats.h"

int st_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int st_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

double st_median(double *v, int n)
{
	if (n <= 0)
		return 0;
	qsort(v, (size_t)n, sizeof(*v), st_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double st_median_of(const double *v, int n)
{
	double copy[64];

	if (n > 64)
		n = 64;
	if (n <= 0)
		return 0;
	memcpy(copy, v, sizeof(*v) * (size_t)n);
	return st_median(copy, n);
}
