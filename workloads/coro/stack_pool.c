// SPDX-License-Identifier: GPL-2.0
/*
 * stack_pool.c — guarded coroutine stacks carved from slabs.
 *
 * Why slabs: every mmap is one VMA, and a guard made with mprotect(PROT_NONE)
 * splits a VMA in two, so "one mmap per stack + an mprotect'd guard" costs
 * two VMAs per coroutine: 100,000 coroutines would need 200,000 and the
 * kernel refuses beyond vm.max_map_count (65530 by default).
 *
 * How: one mmap (a slab) holds up to SLAB_MAX_SLOTS slots of [guard | stack].
 * The guards are installed with madvise(MADV_GUARD_INSTALL) (Linux 6.13+),
 * which marks page-table entries so that any access raises SIGSEGV without
 * splitting the VMA: a slab stays one VMA whatever its guards. 100,000 stacks
 * of 64 KiB take ~850 VMAs (fewer: adjacent slabs merge). On older kernels
 * (Debian 12's 6.1) madvise fails with EINVAL and the guards fall back to
 * mprotect, at two VMAs per stack: ~32,000 live coroutines at the default
 * limit, then coro_create() fails with ENOMEM; raise vm.max_map_count for
 * more. No layout avoids that: each PROT_NONE page is a VMA of its own.
 *
 * Memory: slabs are MAP_NORESERVE and never populated, so a stack costs only
 * the pages it touches (usually one). Freed stacks stay mapped and are reused
 * first (most recently freed slab first: its pages are warm); an empty slab
 * is unmapped, except one spare kept so that a create/exit loop does not
 * mmap and munmap every time.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "coro_text.h"
#include "stack_pool.h"

/*
 * Under valgrind, a switch to an unregistered stack looks like a huge stack
 * frame: memcheck then marks live frames undefined and its unwinder walks
 * past the top of the stack into the next guard. Registering each stack
 * fixes both; outside valgrind the macros are a few no-op instructions.
 */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef VALGRIND_STACK_REGISTER
#define VALGRIND_STACK_REGISTER(lo, hi) 0u
#define VALGRIND_STACK_DEREGISTER(id) ((void)(id))
#endif

/*
 * Under AddressSanitizer, a reused stack still carries the shadow poison of
 * the redzones of frames that never returned (a coroutine leaves through
 * coro_exit()): the next coroutine on it would trip over them (in ASan's own
 * sigaltstack check at the first noreturn call, then a failed CHECK). Each
 * stack handed out starts clean.
 */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define STACK_UNPOISON(lo, hi) ASAN_UNPOISON_MEMORY_REGION((lo), (size_t)((hi) - (lo)))
#else
#define STACK_UNPOISON(lo, hi) ((void)0)
#endif

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102	/* uapi/asm-generic/mman-common.h, Linux 6.13 */
#endif

#define SLAB_TARGET_BYTES (8u << 20)
#define SLAB_MAX_SLOTS 256u

struct stack_slab {
	struct stack_slab *prev, *next;	/* in the pool's partial or full list */
	char *base;
	size_t slot_size;		/* guard + stack */
	unsigned nslots, nfree;
	unsigned free_idx[];		/* a stack of free slot indexes */
};

static int guard_mode = STACK_GUARD_UNKNOWN;	/* probed once per process */

CORO_TEXT enum stack_guard_mode stack_guard_mode(void)
{
	return __atomic_load_n(&guard_mode, __ATOMIC_RELAXED);
}

CORO_TEXT void stack_guard_mode_force(enum stack_guard_mode mode)
{
	__atomic_store_n(&guard_mode, mode, __ATOMIC_RELAXED);
}

CORO_TEXT size_t stack_page_size(void)
{
	static size_t page;

	if (!page)
		page = (size_t)sysconf(_SC_PAGESIZE);
	return page;
}

CORO_TEXT static void list_del(struct stack_slab **head, struct stack_slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		*head = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->prev = s->next = NULL;
}

CORO_TEXT static void list_push(struct stack_slab **head, struct stack_slab *s)
{
	s->prev = NULL;
	s->next = *head;
	if (*head)
		(*head)->prev = s;
	*head = s;
}

CORO_TEXT static int install_guard(char *guard, size_t len)
{
	enum stack_guard_mode mode = stack_guard_mode();

	if (mode != STACK_GUARD_MPROTECT) {
		if (madvise(guard, len, MADV_GUARD_INSTALL) == 0) {
			stack_guard_mode_force(STACK_GUARD_MADVISE);
			return 0;
		}
		if (errno != EINVAL || mode == STACK_GUARD_MADVISE)
			return -1;
		stack_guard_mode_force(STACK_GUARD_MPROTECT);
	}
	return mprotect(guard, len, PROT_NONE);
}

CORO_TEXT static void slab_unmap(struct stack_slab *s)
{
	munmap(s->base, s->slot_size * s->nslots);
	free(s);
}

CORO_TEXT static struct stack_slab *slab_new(size_t stack_size)
{
	size_t page = stack_page_size(), slot = page + stack_size;
	unsigned n = (unsigned)(SLAB_TARGET_BYTES / slot);
	struct stack_slab *s;

	if (n < 1)
		n = 1;
	if (n > SLAB_MAX_SLOTS)
		n = SLAB_MAX_SLOTS;
	s = calloc(1, sizeof(*s) + n * sizeof(s->free_idx[0]));
	if (!s)
		return NULL;
	s->base = mmap(NULL, slot * n, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
	if (s->base == MAP_FAILED) {
		free(s);
		return NULL;
	}
	/* A huge page would commit 2 MiB per touched stack. */
	madvise(s->base, slot * n, MADV_NOHUGEPAGE);
	s->slot_size = slot;
	s->nslots = s->nfree = n;
	for (unsigned i = 0; i < n; i++) {
		if (install_guard(s->base + i * slot, page)) {
			int e = errno;

			slab_unmap(s);
			errno = e == EINVAL ? ENOMEM : e;
			return NULL;
		}
		s->free_idx[i] = n - 1 - i;	/* hand out low slots first */
	}
	return s;
}

CORO_TEXT int stack_pool_get(struct stack_pool *p, struct stack *st)
{
	struct stack_slab *s = p->partial;
	unsigned idx;

	if (!s) {
		if (p->spare) {
			s = p->spare;
			p->spare = NULL;
		} else if (!(s = slab_new(p->stack_size))) {
			return -1;
		}
		list_push(&p->partial, s);
	}
	idx = s->free_idx[--s->nfree];
	if (s->nfree == 0) {
		list_del(&p->partial, s);
		list_push(&p->full, s);
	}
	st->slab = s;
	st->idx = idx;
	st->lo = s->base + (size_t)idx * s->slot_size + (s->slot_size - p->stack_size);
	st->hi = st->lo + p->stack_size;
	st->valgrind_id = VALGRIND_STACK_REGISTER(st->lo, st->hi);
	STACK_UNPOISON(st->lo, st->hi);
	return 0;
}

CORO_TEXT void stack_pool_put(struct stack_pool *p, struct stack *st)
{
	struct stack_slab *s = st->slab;

	if (!s)
		return;
	VALGRIND_STACK_DEREGISTER(st->valgrind_id);
	if (s->nfree == 0)
		list_del(&p->full, s);
	else
		list_del(&p->partial, s);
	s->free_idx[s->nfree++] = st->idx;
	if (s->nfree == s->nslots && !p->spare)
		p->spare = s;
	else if (s->nfree == s->nslots)
		slab_unmap(s);
	else
		list_push(&p->partial, s);
	*st = (struct stack){ 0 };
}

CORO_TEXT void stack_pool_destroy(struct stack_pool *p)
{
	struct stack_slab *lists[] = { p->partial, p->full, p->spare };

	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		for (struct stack_slab *s = lists[i], *next; s; s = next) {
			next = i == 2 ? NULL : s->next;
			slab_unmap(s);
		}
	}
	p->partial = p->full = p->spare = NULL;
}
