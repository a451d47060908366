// SPDX-License-Identifier: GPL-2.0
/*
 * coro_tl.c — marking switches for a collector's timeline (coro_tl.h).
 *
 * Why a marker and not a uprobe: schedtrace could also put a uprobe on a
 * hook the scheduler calls per switch, but a uprobe hit is an int3 trap into
 * the kernel. Measured on this fleet (2-vCPU KVM guest, PTI, kernel 6.18;
 * docs/perfetto.md has the commands): coro-yield's switch costs ~8 ns bare,
 * ~37 ns with this marker (+28: a 26 ns vDSO clock read and a 24-byte
 * store), and 5-21 µs with a uprobe hit per switch (5.2 µs on an emulated
 * nop hook, 21 µs on coro_ctx_switch itself): 650-2,600x the thing it would
 * show. The marker stays within the switch's scale; the uprobe would not.
 *
 * When no collector asked (CORO_TL_ENV unset), coro_sched_run() leaves
 * sched->tl NULL and a switch costs one not-taken branch on a field of the
 * scheduler already in a register (coro_switch() in coro_internal.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "coro_internal.h"

static struct coro_tl_ring *ring;
static int ring_state; /* 0: env not read yet, 1: mapped, -1: none */

/* Maps the ring named by CORO_TL_ENV once per process; NULL when there is none or it is not ours. */
CORO_TEXT static struct coro_tl_ring *ring_get(void)
{
	const char *env;
	char *end;
	struct stat st;
	long fd;
	void *p;

	if (ring_state)
		return ring_state > 0 ? ring : NULL;
	ring_state = -1;
	env = getenv(CORO_TL_ENV);
	if (!env || !*env)
		return NULL;
	errno = 0;
	fd = strtol(env, &end, 10);
	if (errno || *end || fd < 0 || fd > 1 << 20 || fstat((int)fd, &st) ||
	    (size_t)st.st_size < sizeof(struct coro_tl_ring))
		return NULL;
	p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, (int)fd, 0);
	close((int)fd);
	if (p == MAP_FAILED)
		return NULL;
	/*
	 * Faulted in writable and stored to now, outside any window. Populating
	 * alone is not enough in this fleet's guests: the first store to each
	 * populated page still cost ~6 µs (not a guest page fault; the
	 * hypervisor setting the dirty bit, we think), ~40 ns per marked switch
	 * when it happens inside the window. One store per page here removes it
	 * (an add of 0: the header's fields keep their values).
	 */
	madvise(p, (size_t)st.st_size, MADV_POPULATE_WRITE); /* before 5.14: the stores below fault */
	for (size_t off = 0; off < (size_t)st.st_size; off += (size_t)sysconf(_SC_PAGESIZE))
		__atomic_fetch_add((char *)p + off, 0, __ATOMIC_RELAXED);
	ring = p;
	if (ring->magic != CORO_TL_MAGIC || ring->version != CORO_TL_VERSION ||
	    ring->rec_size != sizeof(struct coro_tl_rec) ||
	    sizeof(*ring) + (size_t)ring->capacity * sizeof(struct coro_tl_rec) > (size_t)st.st_size) {
		munmap(p, (size_t)st.st_size);
		ring = NULL;
		return NULL;
	}
	ring_state = 1;
	return ring;
}

CORO_TEXT void coro_tl_attach(struct coro_sched *s)
{
	struct coro_tl_ring *r = ring_get();
	uint32_t tid, none = 0;

	s->tl = NULL;
	if (!r)
		return;
	tid = (uint32_t)syscall(SYS_gettid);
	/* one writer per ring: the first scheduler's thread claims it */
	if (__atomic_compare_exchange_n(&r->owner, &none, tid, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE) ||
	    none == tid) {
		s->tl = r;
		s->tl_tid = tid;
	}
}

CORO_TEXT void coro_tl_mark(struct coro_sched *s, const struct coro *from, const struct coro *to)
{
	struct coro_tl_ring *r = s->tl;
	struct coro_tl_rec *rec;
	struct timespec ts;
	uint64_t h;

	if (!__atomic_load_n(&r->on, __ATOMIC_RELAXED))
		return;
	h = r->head;
	if (h >= r->capacity) {
		r->dropped++;
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	rec = &r->rec[h];
	rec->ts = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	rec->tid = s->tl_tid;
	rec->from = from ? from->id : 0;
	rec->to = to ? to->id : 0;
	__atomic_store_n(&r->head, h + 1, __ATOMIC_RELEASE);
}

CORO_TEXT void coro_tl_switch(struct coro_sched *s, struct coro *from, struct coro *to)
{
	coro_tl_mark(s, from, to);
	coro_ctx_switch(from ? &from->ctx : &s->main_ctx, to ? &to->ctx : &s->main_ctx);
}
