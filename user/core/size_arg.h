/* SPDX-License-Identifier: GPL-2.0 */
/* size_arg.h — `--ring-size SIZE`: a byte count like 4096, 64K, 2M or 1G, strictly. */
#ifndef SCHEDTRACE_SIZE_ARG_H
#define SCHEDTRACE_SIZE_ARG_H

#include <stddef.h>
#include <linux/types.h>

#define ST_RING_MAX (1u << 30)

/*
 * A BPF ring buffer size: digits with an optional K, M or G (KiB, MiB, GiB),
 * a power of two from the page size to ST_RING_MAX (the kernel wants both).
 * 0, or -1 with one line in err saying what to give.
 */
int st_parse_ring_size(const char *s, __u32 *out, char *err, size_t err_len);

#endif
