// SPDX-License-Identifier: GPL-2.0
/* Placeholder CLI; the tracer issue fills it in. */
#include <stdio.h>
#include "schedtrace.skel.h"

int main(void)
{
	fprintf(stderr, "schedtrace: not built yet\n");
	return 1;
}
