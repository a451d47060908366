/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stack_pool.h — coroutine stacks with a guard page below each, carved from
 * a few large mappings so that 100,000 live coroutines stay far below
 * vm.max_map_count (65530 by default). How: see stack_pool.c.
 */
#ifndef CORO_STACK_POOL_H
#define CORO_STACK_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct stack_slab;

struct stack {
	char *lo, *hi;			/* usable stack [lo, hi); the guard is just below lo */
	struct stack_slab *slab;	/* NULL: no stack */
	unsigned idx;			/* slot in the slab */
	unsigned valgrind_id;		/* from VALGRIND_STACK_REGISTER, when built with it */
};

/* Is sp on st, [lo, hi)? The preemption handler's test that the interrupted
 * code runs on the coroutine it would stamp (preempt.c). */
static inline bool stack_holds(const struct stack *st, uintptr_t sp)
{
	return sp >= (uintptr_t)st->lo && sp < (uintptr_t)st->hi;
}

/* All stacks of one size. Zero-initialise, then set stack_size (a multiple
 * of the page size). */
struct stack_pool {
	size_t stack_size;
	struct stack_slab *partial;	/* slabs with a free slot, most recently freed first */
	struct stack_slab *full;
	struct stack_slab *spare;	/* one empty slab kept to avoid mmap/munmap churn */
	struct stack_pool *next;	/* pools of other sizes, kept by the scheduler */
};

/* Takes a stack from the pool. 0, or -1 with errno set (ENOMEM). */
int stack_pool_get(struct stack_pool *p, struct stack *st);
/* Gives it back. The memory stays mapped for reuse; *st is emptied. */
void stack_pool_put(struct stack_pool *p, struct stack *st);
/* Unmaps every slab. Stacks still taken become invalid. */
void stack_pool_destroy(struct stack_pool *p);

size_t stack_page_size(void);

/* How guard pages are made (see stack_pool.c): probed on the first slab.
 * MPROTECT costs two VMAs per stack. Tests may force a mode. */
enum stack_guard_mode { STACK_GUARD_UNKNOWN, STACK_GUARD_MADVISE, STACK_GUARD_MPROTECT };
enum stack_guard_mode stack_guard_mode(void);
void stack_guard_mode_force(enum stack_guard_mode mode);

#endif /* CORO_STACK_POOL_H */
