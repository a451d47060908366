/* SPDX-License-Identifier: GPL-2.0 */
/*
 * coro_tl.h — the shared ring through which the coroutine scheduler marks
 * its switches for a collector's timeline (docs/result-protocol.md,
 * "Coroutine switch ring"). Plain C, no libc beyond <stdint.h>: the
 * scheduler (workloads/coro/coro_tl.c) writes it, schedtrace's collector
 * (user/collect/usertl.c) creates, arms and reads it.
 *
 * The collector creates a memfd holding one struct coro_tl_ring followed by
 * `capacity` records and names it in CORO_TL_ENV. A scheduler (one OS
 * thread) claims the ring by writing its tid into `owner`; only that thread
 * writes records, so the ring is single-producer and a record is a few plain
 * stores. While `on` is 1 every switch appends one record; once `head`
 * reaches `capacity` a switch only counts itself in `dropped`. The collector
 * reads head and the records after the window, when the producer is parked
 * at a gate (the pipe write/read between them orders the stores).
 *
 *   offset  field      written by
 *   0       magic      collector   CORO_TL_MAGIC
 *   4       version    collector   CORO_TL_VERSION
 *   8       capacity   collector   records that fit after the header
 *   12      on         collector   1: append, 0: do nothing
 *   16      owner      scheduler   tid of the writing thread, 0 unclaimed (CAS)
 *   20      rec_size   collector   sizeof(struct coro_tl_rec), 24
 *   24      head       scheduler   records written
 *   32      dropped    scheduler   switches while on with the ring full
 *   40..63  reserved
 *   64      rec[]
 */
#ifndef CORO_TL_H
#define CORO_TL_H

#include <stdint.h>

#define CORO_TL_ENV "SCHEDTRACE_CORO_RING_FD"
#define CORO_TL_MAGIC 0x53545243u /* "CRTS" little-endian */
#define CORO_TL_VERSION 1u

/* One switch: on thread tid, coroutine `from` stopped and `to` resumed (0: the scheduler's loop). */
struct coro_tl_rec {
	uint64_t ts; /* CLOCK_MONOTONIC ns (the vDSO), read just before the switch */
	uint32_t tid;
	uint32_t from;
	uint32_t to;
	uint32_t pad;
};

struct coro_tl_ring {
	uint32_t magic;
	uint32_t version;
	uint32_t capacity;
	uint32_t on;
	uint32_t owner;
	uint32_t rec_size;
	uint64_t head;
	uint64_t dropped;
	uint64_t reserved[3];
	struct coro_tl_rec rec[];
};

_Static_assert(sizeof(struct coro_tl_rec) == 24, "coro_tl_rec is 24 bytes");
_Static_assert(sizeof(struct coro_tl_ring) == 64, "the records start at byte 64");

#endif /* CORO_TL_H */
