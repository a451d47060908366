// SPDX-License-Identifier: GPL-2.0
/* usertl.c — see usertl.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "usertl.h"

int st_usertl_open(struct st_usertl *u, __u32 capacity)
{
	size_t len = sizeof(struct coro_tl_ring) + (size_t)capacity * sizeof(struct coro_tl_rec);
	void *p;

	memset(u, 0, sizeof(*u));
	/* no MFD_CLOEXEC: the workload inherits it, then st_usertl_unexport closes ours */
	u->fd = memfd_create("schedtrace-coro-ring", 0);
	if (u->fd < 0)
		return -errno;
	if (ftruncate(u->fd, (off_t)len) ||
	    (p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, u->fd, 0)) == MAP_FAILED) {
		int e = -errno;

		close(u->fd);
		u->fd = -1;
		return e;
	}
	u->ring = p;
	u->len = len;
	u->ring->magic = CORO_TL_MAGIC;
	u->ring->version = CORO_TL_VERSION;
	u->ring->capacity = capacity;
	u->ring->rec_size = sizeof(struct coro_tl_rec);
	return 0;
}

int st_usertl_export(struct st_usertl *u)
{
	char num[16];

	if (!u->ring || u->fd < 0)
		return 0;
	snprintf(num, sizeof(num), "%d", u->fd);
	return setenv(CORO_TL_ENV, num, 1) ? -errno : 0;
}

void st_usertl_unexport(struct st_usertl *u)
{
	if (!u->ring)
		return; /* also a zeroed struct: fd 0 is not ours */
	unsetenv(CORO_TL_ENV);
	if (u->fd >= 0)
		close(u->fd);
	u->fd = -1;
}

void st_usertl_arm(struct st_usertl *u, bool on)
{
	if (u->ring)
		__atomic_store_n(&u->ring->on, on ? 1u : 0u, __ATOMIC_SEQ_CST);
}

void st_usertl_close(struct st_usertl *u)
{
	st_usertl_unexport(u);
	if (u->ring)
		munmap(u->ring, u->len);
	u->ring = NULL;
}

struct key {
	__u64 ts;
	__u64 index;
};

static int by_ts(const void *a, const void *b)
{
	const struct key *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* The CPU each thread was last switched in on: a few threads, a small table. */
struct where {
	__u32 tid, cpu;
};
#define NR_WHERE 64

static void note_cpu(struct where *w, int *n, __u32 tid, __u32 cpu)
{
	for (int i = 0; i < *n; i++)
		if (w[i].tid == tid) {
			w[i].cpu = cpu;
			return;
		}
	if (*n < NR_WHERE)
		w[(*n)++] = (struct where){ tid, cpu };
}

static __u32 cpu_of(const struct where *w, int n, __u32 tid, __u32 fallback)
{
	for (int i = 0; i < n; i++)
		if (w[i].tid == tid)
			return w[i].cpu;
	return fallback;
}

int st_usertl_merge(const struct st_tl_event *kev, __u64 nk, const struct coro_tl_rec *rec, __u64 nu, __u32 pid,
		    __u32 fallback_cpu, struct st_tl_event **out, __u64 *nout)
{
	struct st_tl_event *m = malloc((nk + nu ? nk + nu : 1) * sizeof(*m));
	struct key *order = malloc((nk ? nk : 1) * sizeof(*order));
	struct where w[NR_WHERE];
	__u64 i = 0, j = 0, k = 0;
	int nw = 0;

	if (!m || !order) {
		free(m);
		free(order);
		return -ENOMEM;
	}
	for (__u64 x = 0; x < nk; x++)
		order[x] = (struct key){ kev[x].ts, x };
	qsort(order, nk, sizeof(*order), by_ts);
	while (i < nk || j < nu) {
		if (i < nk && (j == nu || kev[order[i].index].ts <= rec[j].ts)) {
			const struct st_tl_event *e = &kev[order[i++].index];

			if (e->kind == ST_TL_SWITCH && e->other_tid)
				note_cpu(w, &nw, e->other_tid, e->cpu);
			m[k++] = *e;
		} else {
			const struct coro_tl_rec *r = &rec[j++];

			m[k++] = (struct st_tl_event){
				.ts = r->ts,
				.cpu = cpu_of(w, nw, r->tid, fallback_cpu),
				.kind = ST_TL_USER_SWITCH,
				.tid = r->tid,
				.pid = pid,
				.arg = (__s32)r->to,
				.arg2 = r->from,
			};
		}
	}
	free(order);
	*out = m;
	*nout = k;
	return 0;
}

int st_usertl_take(struct st_usertl *u, struct st_timeline *tl, __u32 pid, __u32 fallback_cpu)
{
	struct coro_tl_ring *r = u->ring;
	struct st_tl_event *m;
	__u64 n, nm;
	int e;

	if (!r)
		return 0;
	st_usertl_arm(u, false);
	tl->user_ring = __atomic_load_n(&r->owner, __ATOMIC_ACQUIRE) != 0;
	n = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
	if (n > r->capacity)
		n = r->capacity;
	tl->user_dropped = __atomic_load_n(&r->dropped, __ATOMIC_RELAXED);
	if (!n)
		return 0;
	e = st_usertl_merge(tl->events, tl->nr_events, r->rec, n, pid, fallback_cpu, &m, &nm);
	if (e)
		return e;
	free((void *)tl->events);
	tl->events = m;
	tl->nr_events = nm;
	tl->user_switches = n;
	return 0;
}

void st_tl_counts_of(const struct st_timeline *tl, bool cut, struct st_tl_counts *c)
{
	memset(c, 0, sizeof(*c));
	c->recorded = true;
	c->cut = cut;
	c->records = tl->nr_events;
	for (int k = 0; tl->lost_per_cpu && k < tl->nr_cpus; k++) {
		c->lost += tl->lost_per_cpu[k];
		if (k < ST_MAX_CPUS)
			c->lost_per_cpu[k] = tl->lost_per_cpu[k];
	}
	c->nr_cpus = tl->nr_cpus < ST_MAX_CPUS ? tl->nr_cpus : ST_MAX_CPUS;
	c->coro_ring = tl->user_ring;
	c->coro_switches = tl->user_switches;
	c->coro_dropped = tl->user_dropped;
}
