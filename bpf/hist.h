/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hist.h — the log-linear histogram slot function, one definition for the
 * BPF side (which fills the slots) and user space (which reads them back).
 *
 * 4 sub-buckets per power of two: values 0..3 have slots 0..3; a value with
 * its highest bit at position m (m >= 2) lands in slot 4 + 4*(m-2) + the two
 * bits below the highest. Each slot spans at most 25% of its lower bound.
 * Slot 127 holds everything from 7 << 30 ns (~7.5 s) up.
 */
#ifndef SCHEDTRACE_HIST_H
#define SCHEDTRACE_HIST_H

#include "schedtrace.h"

#define ST_HIST_INLINE static __inline__ __attribute__((always_inline))

/* Position of the highest set bit of v (v > 0), branch-light for the verifier. */
ST_HIST_INLINE __u32 st_msb64(__u64 v)
{
	__u32 r = 0, s;

	s = (v > 0xFFFFFFFFULL) << 5; v >>= s; r |= s;
	s = (v > 0xFFFF) << 4; v >>= s; r |= s;
	s = (v > 0xFF) << 3; v >>= s; r |= s;
	s = (v > 0xF) << 2; v >>= s; r |= s;
	s = (v > 0x3) << 1; v >>= s; r |= s;
	r |= (__u32)(v >> 1);
	return r;
}

ST_HIST_INLINE __u32 st_hist_slot_of(__u64 v)
{
	__u32 m, slot;

	if (v < (1U << ST_HIST_SUB_BITS))
		return (__u32)v;
	m = st_msb64(v);
	slot = 4 + 4 * (m - 2) + (__u32)((v >> (m - 2)) & 3);
	return slot < ST_HIST_SLOTS ? slot : ST_HIST_SLOTS - 1;
}

/* Smallest value that lands in slot s. */
ST_HIST_INLINE __u64 st_hist_lo_of(__u32 s)
{
	if (s < 4)
		return s;
	return (__u64)(4 + (s - 4) % 4) << ((s - 4) / 4);
}

#endif /* SCHEDTRACE_HIST_H */
