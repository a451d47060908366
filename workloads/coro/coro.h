/* SPDX-License-Identifier: GPL-2.0 */
/*
 * coro.h — stackful coroutines on one OS thread, a FIFO run queue, and
 * unbuffered channels with Go semantics.
 *
 * A scheduler (struct coro_sched) owns a run queue. coro_create() makes a
 * runnable coroutine; coro_sched_run() runs coroutines until none is left
 * runnable. Inside a coroutine, coro_yield() puts it at the tail of the run
 * queue and switches to the head; coro_exit() (or returning from the entry
 * function) ends it; coro_join() waits for another coroutine to end.
 *
 * Channels are unbuffered: a send blocks until a receiver has taken the
 * value, a receive blocks until a sender offers one. After chan_close() a
 * receive returns false at once; a send on a closed channel returns false.
 *
 * Not thread safe: one scheduler per OS thread.
 */
#ifndef CORO_H
#define CORO_H

#include <stdbool.h>
#include <stddef.h>

struct coro;
struct coro_sched;
struct chan;

typedef void (*coro_fn)(void *arg);

#define CORO_DEFAULT_STACK (64 * 1024)

/* Scheduler. Returns NULL with errno set on failure. */
struct coro_sched *coro_sched_new(void);
/* Runs until no coroutine is runnable. Returns the number still blocked (0 = all done). */
size_t coro_sched_run(struct coro_sched *s);
void coro_sched_free(struct coro_sched *s);

/* Creates a runnable coroutine with a stack of stack_size bytes (0: default),
 * mmap'd with a guard page below it. Returns NULL with errno set on failure. */
struct coro *coro_create(struct coro_sched *s, coro_fn fn, void *arg, size_t stack_size);

void coro_yield(void);		   /* from inside a coroutine */
void coro_exit(void) __attribute__((noreturn));
void coro_join(struct coro *c);	   /* from inside a coroutine; c must not be freed yet */
struct coro *coro_self(void);	   /* NULL outside coroutines */

/* Finished coroutines are freed by the scheduler once joined or, if never
 * joined, when coro_sched_run() returns. */

struct chan *chan_new(struct coro_sched *s);
bool chan_send(struct chan *ch, void *value); /* false: channel closed */
bool chan_recv(struct chan *ch, void **value); /* false: closed and no sender */
void chan_close(struct chan *ch);
void chan_free(struct chan *ch);

#endif /* CORO_H */
