// SPDX-License-Identifier: GPL-2.0
/*
 * mn_chan.c — unbuffered channels for the M:N scheduler (mn.h), with the
 * semantics of chan.c, safe between threads.
 *
 * A channel has a spinlock and two FIFO wait queues. Meeting a waiter, the
 * caller moves the value, releases the lock and readies the waiter
 * (mn_ready: on its own worker, another running one, or a parked one that a
 * thread must be woken for; the kind is counted there). Finding none, the
 * caller queues itself and parks; the lock is released by whatever runs
 * next on its thread, once the switch has saved the caller, so that no
 * thread can resume it half saved.
 */
#include <stdlib.h>
#include "mn_internal.h"

struct mn_chan {
	int lock;
	bool closed;
	struct mn_rt *rt;
	struct mn_coro *send_head, *send_tail;
	struct mn_coro *recv_head, *recv_tail;
};

CORO_TEXT static void wait_push(struct mn_coro **head, struct mn_coro **tail, struct mn_coro *c)
{
	c->next = NULL;
	if (*head)
		(*tail)->next = c;
	else
		*head = c;
	*tail = c;
}

CORO_TEXT static struct mn_coro *wait_pop(struct mn_coro **head)
{
	struct mn_coro *c = *head;

	if (c)
		*head = c->next;
	return c;
}


struct mn_chan *mn_chan_new(struct mn_rt *rt)
{
	struct mn_chan *ch = calloc(1, sizeof(*ch));

	if (ch)
		ch->rt = rt;
	return ch;
}

/* The coroutine running on m; dies outside one (a channel op cannot block there). */
CORO_TEXT static struct mn_coro *caller(struct mn_m *m)
{
	if (!m || !m->cur || !m->p)
		mn_park_misuse();
	return m->cur;
}

CORO_TEXT bool mn_chan_send(struct mn_chan *ch, void *value)
{
	struct mn_m *m = mn_self();
	struct mn_coro *r, *cur;

	mn_spin_lock(&ch->lock);
	if (ch->closed) {
		mn_spin_unlock(&ch->lock);
		return false;
	}
	if ((r = wait_pop(&ch->recv_head))) {
		mn_spin_unlock(&ch->lock);
		r->xfer = value;
		r->xfer_ok = true;
		mn_ready_fast(ch->rt, m, r);
		return true;
	}
	cur = caller(m);
	cur->xfer = value;
	wait_push(&ch->send_head, &ch->send_tail, cur);
	mn_park(m, &ch->lock);
	return cur->xfer_ok;
}

CORO_TEXT bool mn_chan_recv(struct mn_chan *ch, void **value)
{
	struct mn_m *m = mn_self();
	struct mn_coro *s, *cur;
	void *v = NULL;
	bool ok = false;

	mn_spin_lock(&ch->lock);
	if ((s = wait_pop(&ch->send_head))) {
		mn_spin_unlock(&ch->lock);
		v = s->xfer;
		s->xfer_ok = ok = true;
		mn_ready_fast(ch->rt, m, s);
	} else if (ch->closed) {
		mn_spin_unlock(&ch->lock);
	} else {
		cur = caller(m);
		wait_push(&ch->recv_head, &ch->recv_tail, cur);
		mn_park(m, &ch->lock);
		v = cur->xfer;
		ok = cur->xfer_ok;
	}
	if (value)
		*value = v;
	return ok;
}

CORO_TEXT void mn_chan_close(struct mn_chan *ch)
{
	struct mn_coro *waiters, *c;

	mn_spin_lock(&ch->lock);
	ch->closed = true;
	/* receivers then senders, each in the order they came; at most one list is non-empty */
	waiters = ch->recv_head ? ch->recv_head : ch->send_head;
	ch->recv_head = ch->send_head = NULL;
	mn_spin_unlock(&ch->lock);
	while ((c = waiters)) {
		waiters = c->next;	/* before mn_ready relinks it */
		c->xfer = NULL;
		c->xfer_ok = false;
		mn_ready(ch->rt, mn_self(), c, false);
	}
}

void mn_chan_free(struct mn_chan *ch)
{
	if (!ch)
		return;
	mn_chan_close(ch);
	free(ch);
}
