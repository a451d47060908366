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
 * value, a receive blocks until a sender offers one. Waiters are served in
 * FIFO order. After chan_close() a receive returns false at once; a send on a
 * closed channel returns false (Go panics there); coroutines blocked on the
 * channel when it closes wake up with false.
 *
 * Each coroutine has its own mmap'd stack with a guard page below it (an
 * overflow is a SIGSEGV, not silent corruption) and starts with the FP
 * control state (MXCSR, x87 control word) of its creator; the switch keeps
 * that state per coroutine. Stacks are committed lazily and pooled: 100,000
 * live coroutines cost about 100,000 touched pages and under 1,000 mappings
 * (see stack_pool.c).
 *
 * Not thread safe: one scheduler per OS thread. Misuse that would corrupt
 * the scheduler (coro_exit() outside a coroutine, joining twice, running a
 * scheduler from inside a coroutine) aborts with a message.
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
#define CORO_MAX_STACK     (1024ul * 1024 * 1024)	/* larger: EINVAL */

/* Scheduler. Returns NULL with errno set on failure. */
struct coro_sched *coro_sched_new(void);
/* Runs until no coroutine is runnable; call it from outside coroutines.
 * Returns the number still blocked (0 = all done; more = they wait on
 * something nobody will do: a deadlock, as Go would report it). */
size_t coro_sched_run(struct coro_sched *s);
/* Frees the scheduler with every coroutine (blocked ones included) and stack. */
void coro_sched_free(struct coro_sched *s);

/* Creates a runnable coroutine (at the tail of the run queue) that will call
 * fn(arg), with a stack of stack_size bytes (0: CORO_DEFAULT_STACK; rounded
 * up to whole pages; at most CORO_MAX_STACK) above a guard page. Callable
 * from inside or outside coroutines. Returns NULL with errno set on failure. */
struct coro *coro_create(struct coro_sched *s, coro_fn fn, void *arg, size_t stack_size);

/* To the tail of the run queue, resuming the head; returns at once when
 * nothing else is runnable or when called outside a coroutine. */
void coro_yield(void);
/* Ends the calling coroutine (as returning from fn does). */
void coro_exit(void) __attribute__((noreturn));
/* From inside a coroutine: waits until c has ended, then frees c. */
void coro_join(struct coro *c);
struct coro *coro_self(void);	   /* NULL outside coroutines */

/* A coroutine handle stays valid until coro_join() returns or, if never
 * joined, until coro_sched_run() returns after it ended. */

/* NULL with errno set on failure. Send and receive block only inside a
 * coroutine of s (called elsewhere, a call that would block aborts). */
struct chan *chan_new(struct coro_sched *s);
/* true once a receiver has taken value; false if the channel is or gets closed. */
bool chan_send(struct chan *ch, void *value);
/* true with *value (value may be NULL) from a sender; false, *value = NULL,
 * once the channel is closed and no sender is waiting. */
bool chan_recv(struct chan *ch, void **value);
/* Wakes every waiter with false. Closing again does nothing. */
void chan_close(struct chan *ch);
/* Closes (waking any waiter) and frees. */
void chan_free(struct chan *ch);

#endif /* CORO_H */
