/* SPDX-License-Identifier: GPL-2.0 */
/*
 * usertl.h — the collector's side of the coroutine switch ring
 * (workloads/coro/coro_tl.h, docs/result-protocol.md): create it, pass it
 * to the workload, arm it for the first window, and merge what the
 * scheduler wrote into the kernel's timeline as ST_TL_USER_SWITCH records.
 *
 *   st_usertl_open     memfd + shared mapping, header filled, ring off
 *   st_usertl_export   CORO_TL_ENV=<fd> for the child about to be forked
 *   st_usertl_unexport after the fork: the variable and our fd copy go
 *   st_usertl_arm      on = 1 / 0 (before answering the start / at gate=end)
 *   st_usertl_merge    pure: records + kernel events -> one array sorted by ts
 *   st_usertl_close    unmap
 *
 * Why a marker in user memory and not a uprobe: see workloads/coro/coro_tl.c
 * and docs/perfetto.md (a uprobe hit costs 5-21 µs here, the switch 8 ns).
 */
#ifndef SCHEDTRACE_USERTL_H
#define SCHEDTRACE_USERTL_H

#include <stdbool.h>
#include <stddef.h>
#include "coro_tl.h"
#include "model.h"

/* Records the ring holds: 24 MiB, mapped lazily by the collector, populated by the workload. */
#define ST_USERTL_CAPACITY (1u << 20)

struct st_usertl {
	struct coro_tl_ring *ring; /* NULL: no ring (not asked, or creating it failed) */
	size_t len;
	int fd; /* -1 once the child has its copy */
};

int st_usertl_open(struct st_usertl *u, __u32 capacity);
int st_usertl_export(struct st_usertl *u);
void st_usertl_unexport(struct st_usertl *u);
void st_usertl_arm(struct st_usertl *u, bool on);
void st_usertl_close(struct st_usertl *u);

/*
 * Merges nu ring records (one writer: ordered by ts) with nk kernel events
 * (any order) into *out (malloc'd, nk + nu entries, sorted by ts, kernel
 * first on a tie). A user record becomes USER_SWITCH with tid = rec.tid,
 * pid, arg = to, arg2 = from, and cpu = the CPU the kernel last switched
 * that thread in on before it (fallback_cpu when no SWITCH record says).
 * Returns 0 or -ENOMEM.
 */
int st_usertl_merge(const struct st_tl_event *kev, __u64 nk, const struct coro_tl_rec *rec, __u64 nu, __u32 pid,
		    __u32 fallback_cpu, struct st_tl_event **out, __u64 *nout);

/*
 * The collector's step at the end of the first window: disarms the ring and
 * merges its records into tl (tl->events is replaced), setting
 * tl->user_switches / user_dropped / user_ring. Nothing when u has no ring.
 */
int st_usertl_take(struct st_usertl *u, struct st_timeline *tl, __u32 pid, __u32 fallback_cpu);

/* The counts the reports keep of a timeline (cut: the collector stopped recording at its limit). */
void st_tl_counts_of(const struct st_timeline *tl, bool cut, struct st_tl_counts *c);

#endif
