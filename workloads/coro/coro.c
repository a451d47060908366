// SPDX-License-Identifier: GPL-2.0
/*
 * coro.c — the run queue and the life of a coroutine: create, yield, exit,
 * join. Channels are in chan.c.
 *
 * Hot paths switch directly from one coroutine to the next; only two events
 * go through coro_sched_run()'s context: a coroutine ending (its stack can
 * only be given back once nothing runs on it) and nothing left to run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "coro_internal.h"

__thread struct coro_sched *coro_tls_sched;

CORO_TEXT __attribute__((noreturn, cold)) static void die(const char *what)
{
	fprintf(stderr, "coro: %s\n", what);
	abort();
}

CORO_TEXT struct coro_sched *coro_sched_new(void)
{
	return calloc(1, sizeof(struct coro_sched));
}

CORO_TEXT static struct stack_pool *pool_for(struct coro_sched *s, size_t stack_size)
{
	struct stack_pool *p;

	for (p = s->pools; p; p = p->next)
		if (p->stack_size == stack_size)
			return p;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->stack_size = stack_size;
	p->next = s->pools;
	s->pools = p;
	return p;
}

CORO_TEXT static void release_stack(struct coro_sched *s, struct coro *c)
{
	stack_pool_put(pool_for(s, (size_t)(c->stack.hi - c->stack.lo)), &c->stack);
}

CORO_TEXT static void forget(struct coro_sched *s, struct coro *c)
{
	if (c->all_prev)
		c->all_prev->all_next = c->all_next;
	else
		s->all = c->all_next;
	if (c->all_next)
		c->all_next->all_prev = c->all_prev;
	if (c->stack.slab)
		release_stack(s, c);
	free(c);
}

/* Every coroutine starts here, on its own stack, through the trampoline. */
CORO_TEXT static void coro_main(void *arg)
{
	struct coro *self = arg;

	coro_switch_landed(self->sched, NULL);
	self->fn(self->arg);
	coro_exit();
}

CORO_TEXT struct coro *coro_create(struct coro_sched *s, coro_fn fn, void *arg, size_t stack_size)
{
	size_t page = stack_page_size();
	struct stack_pool *pool;
	struct coro *c;

	if (!s || !fn) {
		errno = EINVAL;
		return NULL;
	}
	if (stack_size == 0)
		stack_size = CORO_DEFAULT_STACK;
	if (stack_size > CORO_MAX_STACK) {
		errno = EINVAL;
		return NULL;
	}
	stack_size = (stack_size + page - 1) & ~(page - 1);
	pool = pool_for(s, stack_size);
	c = calloc(1, sizeof(*c));
	if (!pool || !c) {
		free(c);
		errno = ENOMEM;
		return NULL;
	}
	if (stack_pool_get(pool, &c->stack)) {
		free(c);
		return NULL;
	}
	c->sched = s;
	c->id = ++s->next_id;
	c->fn = fn;
	c->arg = arg;
	coro_ctx_init(&c->ctx, c->stack.hi, coro_main, c);
	c->all_next = s->all;
	if (s->all)
		s->all->all_prev = c;
	s->all = c;
	s->live++;
	coro_ready(s, c);
	return c;
}

CORO_TEXT size_t coro_sched_run(struct coro_sched *s)
{
	struct coro *next;

	if (s->current)
		die("coro_sched_run() called from inside a coroutine");
	s->outer = coro_tls_sched;
	coro_tls_sched = s;
	coro_tl_attach(s);
	while ((next = s->runq_head)) {
		s->runq_head = next->next;
		next->state = CORO_RUNNING;
		s->current = next;
		coro_switch(s, NULL, next);
		if (s->exited) {
			release_stack(s, s->exited);
			s->exited = NULL;
		}
	}
	coro_tls_sched = s->outer;

	/* Nobody can join these any more. */
	for (struct coro *c = s->all, *n; c; c = n) {
		n = c->all_next;
		if (c->state == CORO_DEAD)
			forget(s, c);
	}
	return s->live;
}

CORO_TEXT void coro_sched_free(struct coro_sched *s)
{
	if (!s)
		return;
	if (s->current)
		die("coro_sched_free() called from inside a coroutine");
	while (s->all)
		forget(s, s->all);
	for (struct stack_pool *p = s->pools, *n; p; p = n) {
		n = p->next;
		stack_pool_destroy(p);
		free(p);
	}
	free(s);
}

CORO_TEXT struct coro *coro_self(void)
{
	return coro_tls_sched ? coro_tls_sched->current : NULL;
}

CORO_TEXT void coro_yield(void)
{
	struct coro_sched *s = coro_tls_sched;
	struct coro *cur, *next;

	if (!s || !(cur = s->current) || !(next = s->runq_head))
		return;
	s->runq_head = next->next;
	coro_ready(s, cur);
	next->state = CORO_RUNNING;
	s->current = next;
	coro_switch(s, cur, next);
}

CORO_TEXT void coro_exit(void)
{
	struct coro_sched *s = coro_tls_sched;
	struct coro *cur = s ? s->current : NULL;

	if (!cur)
		die("coro_exit() called outside a coroutine");
	cur->state = CORO_DEAD;
	s->live--;
	if (cur->joiner)
		coro_ready(s, cur->joiner);
	s->exited = cur;
	s->current = NULL;
	coro_switch(s, cur, NULL);
	die("a dead coroutine was resumed");
	__builtin_unreachable();
}

CORO_TEXT void coro_join(struct coro *c)
{
	struct coro_sched *s = c->sched;
	struct coro *cur = s->current;

	if (!cur || coro_tls_sched != s)
		die("coro_join() called outside a coroutine of the same scheduler");
	if (c == cur || c->joiner)
		die("coro_join(): joining itself, or joined twice");
	if (c->state != CORO_DEAD) {
		c->joiner = cur;
		coro_block(s);
	}
	forget(s, c);
}
