// SPDX-License-Identifier: GPL-2.0
/* switches.c — timeline records -> one row per kernel switch (switches.h). */
#include <stdlib.h>
#include <string.h>
#include "cpu_list.h"
#include "switches.h"

#define MAX_TGIDS 64

enum thr_state { T_UNKNOWN, T_RUNNING, T_READY, T_BLOCKED };

struct thr {
	__u32 tid;
	bool used;
	enum thr_state state;
	enum st_sw_class ready_class; /* T_READY: WOKEN or PREEMPTED */
	__u64 ready_ts;
	bool wake_pending; /* woken while it still ran (see switches.h) */
	__u64 wake_ts;
	int last_cpu;	   /* -1: not seen on a CPU yet */
	int in_sys;	   /* 1, 0, ST_SW_UNKNOWN */
	__u32 first_sys;   /* the kind of its first syscall record, 0 none (set up by the first pass) */
};

/* The last switch recorded on a CPU: the thread it brought in, and when. */
struct cpu_last {
	bool valid;
	__u32 next;
	__u64 ts;
};

struct sort_key {
	__u64 ts;
	__u64 index;
};

struct st_switch_walk {
	const struct st_timeline *tl;
	struct sort_key *order;
	__u64 pos;
	struct thr *thr; /* open addressing on tid, cap a power of two */
	size_t cap, used;
	__u32 tgids[MAX_TGIDS]; /* processes whose threads are traced */
	int nr_tgids;
	bool any_sys; /* syscall records exist (not --light) */
	bool oom;
	bool full_cpu[ST_MAX_CPUS]; /* a traced CPU: every switch on it is recorded */
	struct cpu_last cpu[ST_MAX_CPUS];
};

const char *st_sw_class_name(enum st_sw_class c)
{
	switch (c) {
	case ST_SW_NONE: return "none";
	case ST_SW_WOKEN: return "woken";
	case ST_SW_PREEMPTED: return "preempted";
	default: return "";
	}
}

/* ---- the thread table ------------------------------------------------------ */

static bool grow(struct st_switch_walk *w)
{
	size_t ncap = w->cap ? w->cap * 2 : 64;
	struct thr *n = calloc(ncap, sizeof(*n));

	if (!n)
		return false;
	for (size_t k = 0; k < w->cap; k++) {
		size_t i;

		if (!w->thr[k].used)
			continue;
		for (i = w->thr[k].tid & (ncap - 1); n[i].used; i = (i + 1) & (ncap - 1))
			;
		n[i] = w->thr[k];
	}
	free(w->thr);
	w->thr = n;
	w->cap = ncap;
	return true;
}

/* The traced thread tid; with create, added when new (NULL when out of memory). */
static struct thr *find(struct st_switch_walk *w, __u32 tid, bool create)
{
	size_t i, mask;

	if (create && (w->used + 1) * 2 > w->cap && !grow(w)) {
		w->oom = true;
		return NULL;
	}
	if (!w->cap || !tid)
		return NULL;
	mask = w->cap - 1;
	for (i = tid & mask; w->thr[i].used; i = (i + 1) & mask)
		if (w->thr[i].tid == tid)
			return &w->thr[i];
	if (!create)
		return NULL;
	w->thr[i] = (struct thr){ .tid = tid, .used = true, .last_cpu = -1, .in_sys = ST_SW_UNKNOWN };
	w->used++;
	return &w->thr[i];
}

static bool tgid_traced(const struct st_switch_walk *w, __u32 tgid)
{
	for (int i = 0; tgid && i < w->nr_tgids; i++)
		if (w->tgids[i] == tgid)
			return true;
	return false;
}

/* A traced process; past MAX_TGIDS its threads are known by the records about them only. */
static void add_tgid(struct st_switch_walk *w, __u32 tgid)
{
	if (tgid && !tgid_traced(w, tgid) && w->nr_tgids < MAX_TGIDS)
		w->tgids[w->nr_tgids++] = tgid;
}

/*
 * Inside a system call when the records start: yes when its first syscall
 * record is an exit; no when it is an entry, or when it made none in the
 * window; unknown without syscall records at all (--light).
 */
static int in_sys_at_start(const struct st_switch_walk *w, const struct thr *t)
{
	if (t->first_sys)
		return t->first_sys == ST_TL_SYS_EXIT;
	return w->any_sys ? 0 : ST_SW_UNKNOWN;
}

/* The thread of a switch record (tid, its tgid) if it is traced, else NULL. */
static struct thr *traced(struct st_switch_walk *w, __u32 tid, __u32 tgid)
{
	struct thr *t = find(w, tid, false);

	if (t || !tid || !tgid_traced(w, tgid))
		return t;
	t = find(w, tid, true);
	if (t)
		t->in_sys = in_sys_at_start(w, t); /* no syscall record of its own in the window */
	return t;
}

/* ---- the first pass: who is traced, and where each thread's system calls stand ---- */

static void learn(struct st_switch_walk *w, const struct st_tl_event *e)
{
	__u32 tid = 0, tgid = 0;
	struct thr *t;

	if (e->kind == ST_TL_SYS_ENTER || e->kind == ST_TL_SYS_EXIT || e->kind == ST_TL_MIGRATE) {
		tid = e->tid;
		tgid = e->pid;
	} else if (e->kind == ST_TL_WAKEUP) {
		tid = e->other_tid;
		tgid = (__u32)e->arg2;
	}
	if (!tid)
		return;
	add_tgid(w, tgid);
	t = find(w, tid, true);
	if (t && !t->first_sys && (e->kind == ST_TL_SYS_ENTER || e->kind == ST_TL_SYS_EXIT))
		t->first_sys = e->kind;
	w->any_sys |= e->kind == ST_TL_SYS_ENTER || e->kind == ST_TL_SYS_EXIT;
}

static int by_time(const void *a, const void *b)
{
	const struct sort_key *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int first_pass(struct st_switch_walk *w, const char *cpus)
{
	const struct st_timeline *tl = w->tl;

	for (unsigned k = 0; cpus && k < ST_MAX_CPUS; k++)
		w->full_cpu[k] = st_cpu_list_has(cpus, k);
	if (tl->nr_events && !(w->order = malloc(tl->nr_events * sizeof(*w->order))))
		return -1;
	for (__u64 i = 0; i < tl->nr_events; i++)
		w->order[i] = (struct sort_key){ tl->events[i].ts, i };
	if (tl->nr_events)
		qsort(w->order, tl->nr_events, sizeof(*w->order), by_time);
	for (int i = 0; i < tl->nr_threads; i++) {
		add_tgid(w, tl->threads[i].pid);
		find(w, tl->threads[i].tid, true);
	}
	for (__u64 i = 0; i < tl->nr_events; i++)
		learn(w, &tl->events[w->order[i].index]);
	for (size_t k = 0; k < w->cap; k++)
		if (w->thr[k].used)
			w->thr[k].in_sys = in_sys_at_start(w, &w->thr[k]);
	return w->oom ? -1 : 0;
}

struct st_switch_walk *st_switch_walk_new(const struct st_timeline *tl, const char *cpus)
{
	struct st_switch_walk *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->tl = tl;
	if (first_pass(w, cpus)) {
		st_switch_walk_free(w);
		return NULL;
	}
	return w;
}

void st_switch_walk_free(struct st_switch_walk *w)
{
	if (!w)
		return;
	free(w->order);
	free(w->thr);
	free(w);
}

/* ---- the replay ------------------------------------------------------------ */

static void on_sys(struct st_switch_walk *w, const struct st_tl_event *e)
{
	struct thr *t = find(w, e->tid, false);

	if (!t)
		return;
	t->in_sys = e->kind == ST_TL_SYS_ENTER;
	if (e->kind == ST_TL_SYS_EXIT)
		t->wake_pending = false; /* a wake-up during the call did not make it wait: it never blocked */
}

static void on_wakeup(struct st_switch_walk *w, const struct st_tl_event *e)
{
	struct thr *t = find(w, e->other_tid, false);

	if (!t)
		return;
	switch (t->state) {
	case T_UNKNOWN:
	case T_BLOCKED:
		t->state = T_READY;
		t->ready_class = ST_SW_WOKEN;
		t->ready_ts = e->ts;
		break;
	case T_RUNNING: /* raced its switch-out, or woke it before it blocked: its switch-out says which */
		t->wake_pending = true;
		t->wake_ts = e->ts;
		break;
	case T_READY: /* queued already */
		break;
	}
}

/* prev leaves the CPU: its wait starts (preempted, or woken by a wake-up that raced this switch) or it blocks. */
static void prev_out(struct thr *p, const struct st_tl_event *e, struct st_switch_row *row)
{
	row->prev_in_syscall = p->in_sys;
	if (e->arg == 0) {
		p->state = T_READY;
		p->ready_class = ST_SW_PREEMPTED;
		p->ready_ts = e->ts;
	} else if (p->wake_pending) {
		p->state = T_READY;
		p->ready_class = ST_SW_WOKEN;
		p->ready_ts = p->wake_ts;
	} else if (!(p->state == T_READY && p->ready_class == ST_SW_WOKEN)) {
		/* (woken before its first switch-in was seen: that wake-up stands) */
		p->state = T_BLOCKED;
	}
	p->wake_pending = false;
	p->last_cpu = (int)e->cpu;
}

/* next gets the CPU: its wait ends. */
static void next_in(struct thr *n, const struct st_tl_event *e, struct st_switch_row *row)
{
	row->next_migrated = n->last_cpu < 0 ? ST_SW_UNKNOWN : n->last_cpu != (int)e->cpu;
	if (n->state == T_READY) {
		row->wait_class = n->ready_class;
		row->wait_ns = e->ts > n->ready_ts ? e->ts - n->ready_ts : 0;
	} else {
		row->wait_class = ST_SW_NONE;
	}
	n->state = T_RUNNING;
	n->wake_pending = false;
	n->last_cpu = (int)e->cpu;
}

/* A switch record: true when it makes a row (prev or next traced). */
static bool on_switch(struct st_switch_walk *w, const struct st_tl_event *e, struct st_switch_row *row)
{
	struct thr *p = traced(w, e->tid, e->pid), *n = traced(w, e->other_tid, (__u32)e->arg2);
	struct cpu_last *c = &w->cpu[e->cpu];

	*row = (struct st_switch_row){ .ts = e->ts, .cpu = e->cpu, .prev_tid = e->tid, .next_tid = e->other_tid,
				       .prev_state = (__u32)e->arg, .prev_traced = p != NULL,
				       .next_traced = n != NULL, .wait_class = ST_SW_UNTRACED,
				       .prev_in_syscall = ST_SW_UNKNOWN, .next_migrated = ST_SW_UNKNOWN };
	/*
	 * prev came in with the last switch recorded here: its slice. An
	 * untraced task's switches are all recorded on a traced CPU only.
	 */
	if (c->valid && c->next == e->tid && e->ts >= c->ts && (p || w->full_cpu[e->cpu])) {
		row->slice_known = true;
		row->slice_ns = e->ts - c->ts;
	}
	if (p)
		prev_out(p, e, row);
	if (n)
		next_in(n, e, row);
	*c = (struct cpu_last){ .valid = true, .next = e->other_tid, .ts = e->ts };
	return p || n;
}

int st_switch_walk_next(struct st_switch_walk *w, struct st_switch_row *row)
{
	while (w->pos < w->tl->nr_events) {
		const struct st_tl_event *e = &w->tl->events[w->order[w->pos++].index];

		if (e->cpu >= ST_MAX_CPUS)
			continue;
		switch (e->kind) {
		case ST_TL_SYS_ENTER:
		case ST_TL_SYS_EXIT: on_sys(w, e); break;
		case ST_TL_WAKEUP: on_wakeup(w, e); break;
		case ST_TL_SWITCH: {
			bool made = on_switch(w, e, row);

			if (w->oom)
				return -1;
			if (made)
				return 1;
			break;
		}
		default: break; /* migrations and coroutine switches: the CPUs of the switches say it */
		}
	}
	return w->oom ? -1 : 0;
}
