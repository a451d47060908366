// SPDX-License-Identifier: GPL-2.0
/*
 * mn_queue.c — the queues a worker takes coroutines from (mn_internal.h):
 * its ring and its inbox. The ring is Go's per-P run queue in small: the
 * holder pushes with a plain store and a release of the tail, anyone takes
 * the head with a compare-and-swap, so a worker's common case (push what it
 * readied, pop what runs next) costs one atomic read-modify-write.
 *
 * Reading a slot before the compare-and-swap is safe: the holder writes slot
 * t only while t - head < MN_RUNQ_SIZE, so it cannot overwrite the slot at
 * the head we read until the head has moved past it, and then our
 * compare-and-swap fails. Coroutine structures live until mn_rt_free, so a
 * thief may read the home of one that someone else has just taken.
 */
#include <sched.h>
#include "mn_internal.h"

CORO_TEXT int mn_runq_steal(struct mn_runq *from, struct mn_runq *to)
{
	struct mn_coro *taken[MN_RUNQ_SIZE / 2];

	for (;;) {
		uint32_t h = __atomic_load_n(&from->head, __ATOMIC_ACQUIRE);
		uint32_t t = __atomic_load_n(&from->tail, __ATOMIC_ACQUIRE);
		uint32_t n = t - h, k = 0;

		if (n > MN_RUNQ_SIZE)
			continue;	/* head and tail read at different moments */
		n -= n / 2;		/* half, rounded up: one of one */
		while (k < n) {
			struct mn_coro *c = __atomic_load_n(&from->slot[(h + k) & MN_RUNQ_MASK],
							    __ATOMIC_RELAXED);

			if (c->home >= 0)
				break;	/* it must run where it is */
			taken[k++] = c;
		}
		if (k == 0)
			return 0;
		if (!__atomic_compare_exchange_n(&from->head, &h, h + k, false, __ATOMIC_ACQ_REL,
						 __ATOMIC_ACQUIRE))
			continue;
		for (uint32_t i = 0; i < k; i++)
			mn_runq_push(to, taken[i]);	/* `to` was empty: it fits */
		return (int)k;
	}
}

CORO_TEXT void mn_inbox_push(struct mn_inbox *ib, struct mn_coro *c)
{
	struct mn_coro *old = __atomic_load_n(&ib->head, __ATOMIC_RELAXED);

	do
		c->next = old;
	while (!__atomic_compare_exchange_n(&ib->head, &old, c, true, __ATOMIC_SEQ_CST,
					    __ATOMIC_RELAXED));
}

CORO_TEXT struct mn_coro *mn_inbox_take(struct mn_inbox *ib)
{
	struct mn_coro *c = __atomic_exchange_n(&ib->head, NULL, __ATOMIC_ACQUIRE), *fifo = NULL;

	while (c) {	/* newest first: reverse */
		struct mn_coro *n = c->next;

		c->next = fifo;
		fifo = c;
		c = n;
	}
	return fifo;
}

CORO_TEXT void mn_spin_lock_slow(int *l)
{
	for (unsigned spins = 0; __atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE);) {
		while (__atomic_load_n(l, __ATOMIC_RELAXED)) {
			if (++spins < 256) {
#if defined(__x86_64__)
				__builtin_ia32_pause();
#elif defined(__aarch64__)
				__asm__ volatile("yield");
#endif
			} else {
				sched_yield();	/* its holder may be off the CPU */
				spins = 0;
			}
		}
	}
}
