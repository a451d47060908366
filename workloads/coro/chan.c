// SPDX-License-Identifier: GPL-2.0
/*
 * chan.c — unbuffered channels with Go semantics, on top of coro.c.
 *
 * A channel holds two FIFO wait queues, of blocked senders (each carrying
 * its value in coro->xfer) and of blocked receivers. At most one of them is
 * non-empty. Meeting a waiter completes the hand-off on the spot: the value
 * moves, the waiter becomes runnable, and the caller carries on; only a
 * caller that finds nobody waiting blocks. A ping-pong therefore costs one
 * switch per direction, straight from one coroutine to the other.
 */
#include <stdio.h>
#include <stdlib.h>
#include "coro_internal.h"

struct chan {
	struct coro_sched *sched;
	struct coro *send_head, *send_tail;
	struct coro *recv_head, *recv_tail;
	bool closed;
};

CORO_TEXT static void wait_push(struct coro **head, struct coro **tail, struct coro *c)
{
	c->next = NULL;
	if (*head)
		(*tail)->next = c;
	else
		*head = c;
	*tail = c;
}

CORO_TEXT static struct coro *wait_pop(struct coro **head)
{
	struct coro *c = *head;

	if (c)
		*head = c->next;
	return c;
}

CORO_TEXT static struct coro *caller(struct chan *ch)
{
	struct coro *cur = ch->sched->current;

	if (!cur) {
		fprintf(stderr, "coro: a channel can only block inside a coroutine\n");
		abort();
	}
	return cur;
}

CORO_TEXT struct chan *chan_new(struct coro_sched *s)
{
	struct chan *ch = calloc(1, sizeof(*ch));

	if (ch)
		ch->sched = s;
	return ch;
}

CORO_TEXT bool chan_send(struct chan *ch, void *value)
{
	struct coro *r, *cur;

	if (ch->closed)
		return false;
	if ((r = wait_pop(&ch->recv_head))) {
		r->xfer = value;
		r->xfer_ok = true;
		coro_ready(ch->sched, r);
		return true;
	}
	cur = caller(ch);
	cur->xfer = value;
	wait_push(&ch->send_head, &ch->send_tail, cur);
	coro_block(ch->sched);
	return cur->xfer_ok;	/* false: closed before a receiver came */
}

CORO_TEXT bool chan_recv(struct chan *ch, void **value)
{
	struct coro *snd, *cur;
	void *v = NULL;
	bool ok = false;

	if ((snd = wait_pop(&ch->send_head))) {
		v = snd->xfer;
		snd->xfer_ok = ok = true;
		coro_ready(ch->sched, snd);
	} else if (!ch->closed) {
		cur = caller(ch);
		wait_push(&ch->recv_head, &ch->recv_tail, cur);
		coro_block(ch->sched);
		v = cur->xfer;
		ok = cur->xfer_ok;
	}
	if (value)
		*value = v;
	return ok;
}

CORO_TEXT void chan_close(struct chan *ch)
{
	struct coro *c;

	ch->closed = true;
	while ((c = wait_pop(&ch->recv_head))) {
		c->xfer = NULL;
		c->xfer_ok = false;
		coro_ready(ch->sched, c);
	}
	while ((c = wait_pop(&ch->send_head))) {
		c->xfer_ok = false;
		coro_ready(ch->sched, c);
	}
}

CORO_TEXT void chan_free(struct chan *ch)
{
	if (!ch)
		return;
	chan_close(ch);	/* waiters wake with false instead of waiting forever */
	free(ch);
}
