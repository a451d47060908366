// SPDX-License-Identifier: GPL-2.0
/*
 * perfetto.c — timeline records -> Chrome JSON trace events (perfetto.h).
 *
 * The records are sorted by time (the ring buffer interleaves CPUs), then
 * replayed through a small state machine per CPU and per thread; a slice is
 * written when it ends, so the output is one pass and needs no buffering.
 * Slices on one track never overlap: a thread's states, its system calls and
 * its coroutines each have their own track, because a futex call spans
 * running, blocked and runnable states and would not nest inside them.
 */
#include <linux/futex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include "cpu_list.h"
#include "json_emit.h"
#include "names.h"
#include "perfetto.h"

enum state { S_UNKNOWN, S_RUNNING, S_RUNNABLE, S_PREEMPTED, S_BLOCKED };

static const char *const state_name[] = { "", "running", "runnable", "runnable (preempted)", "blocked" };
/* Chrome's reserved colour names, so the legacy viewer colours states as it does its own */
static const char *const state_cname[] = { "", "thread_state_running", "thread_state_runnable",
					   "thread_state_runnable", "thread_state_sleeping" };

struct thr {
	__u32 tid, pid;
	bool used;
	bool traced; /* gets tracks of its own */
	char comm[16];
	enum state state;
	__u64 since;
	bool sys_open, sys_seen, sys_track, coro_open, coro_track;
	bool sys_args_known; /* false for a call entered before the first record */
	__s32 sys_nr;
	__u64 sys_arg2, sys_since;
	__s32 coro;
	__u64 coro_since;
	__u64 flow_id, flow_ts; /* a wake-up waiting for the wakee's runnable slice to end */
};

struct cpu {
	bool seen; /* has a track */
	bool open;
	__u32 tid, pid;
	__u64 since;
	__u64 last;  /* the last record on this CPU */
	bool lossy;  /* a traced CPU (all its switches recorded) that lost records: gaps are marked */
};

struct out {
	FILE *f;
	bool first;
	__u64 base;
	__u64 flows;
	__u64 gaps; /* stretches of lost records marked on CPU tracks */
};

struct conv {
	struct out *o;
	int run;
	struct thr *thr; /* open addressing on tid, cap a power of two */
	size_t cap, used;
	struct cpu cpu[ST_MAX_CPUS];
	__u64 skipped; /* records with a CPU or kind this build does not know */
};

/* ---- the thread table ---------------------------------------------------- */

static struct thr *find(struct conv *c, __u32 tid, bool create)
{
	size_t mask, i;

	if (create && (c->used + 1) * 2 > c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 256;
		struct thr *n = calloc(ncap, sizeof(*n)), *old = c->thr;

		if (!n)
			return NULL;
		for (size_t k = 0; k < c->cap; k++) {
			if (!old[k].used)
				continue;
			for (i = old[k].tid & (ncap - 1); n[i].used; i = (i + 1) & (ncap - 1))
				;
			n[i] = old[k];
		}
		free(old);
		c->thr = n;
		c->cap = ncap;
	}
	if (!c->cap)
		return NULL;
	mask = c->cap - 1;
	for (i = tid & mask; c->thr[i].used; i = (i + 1) & mask)
		if (c->thr[i].tid == tid)
			return &c->thr[i];
	if (!create)
		return NULL;
	memset(&c->thr[i], 0, sizeof(c->thr[i]));
	c->thr[i].used = true;
	c->thr[i].tid = tid;
	c->thr[i].pid = tid;
	c->used++;
	return &c->thr[i];
}

/* A traced thread (or NULL): only those have tracks of their own. */
static struct thr *traced(struct conv *c, __u32 tid)
{
	struct thr *t = tid ? find(c, tid, false) : NULL;

	return t && t->traced ? t : NULL;
}

static void label(char *buf, size_t len, const struct thr *t, __u32 tid)
{
	if (tid == 0)
		snprintf(buf, len, "idle");
	else if (t && t->comm[0])
		snprintf(buf, len, "%.16s %u", t->comm, tid);
	else
		snprintf(buf, len, "tid %u", tid);
}

/* ---- trace events -------------------------------------------------------- */

static void ts(struct out *o, const char *key, __u64 ns)
{
	__u64 rel = ns > o->base ? ns - o->base : 0;

	fprintf(o->f, ",\"%s\":%llu.%03llu", key, (unsigned long long)(rel / 1000), (unsigned long long)(rel % 1000));
}

static void begin(struct out *o, char ph, const char *name, __u32 pid, __u32 tid)
{
	fputs(o->first ? "\n" : ",\n", o->f);
	o->first = false;
	fprintf(o->f, "{\"ph\":\"%c\",\"pid\":%u,\"tid\":%u,\"name\":", ph, pid, tid);
	st_json_write_string(o->f, name, strlen(name));
}

static void meta(struct out *o, const char *what, __u32 pid, __u32 tid, const char *name)
{
	begin(o, 'M', what, pid, tid);
	fputs(",\"args\":{\"name\":", o->f);
	st_json_write_string(o->f, name, strlen(name));
	fputs("}}", o->f);
}

static void sort_index(struct out *o, const char *what, __u32 pid, __u32 tid, long long index)
{
	begin(o, 'M', what, pid, tid);
	fprintf(o->f, ",\"args\":{\"sort_index\":%lld}}", index);
}

/* A complete slice; args is "" or a JSON object's members, e.g. "\"ret\":0". */
static void slice(struct out *o, const char *name, const char *cat, __u32 pid, __u32 tid, __u64 from,
		  __u64 to, const char *cname, const char *args)
{
	begin(o, 'X', name, pid, tid);
	fprintf(o->f, ",\"cat\":\"%s\"", cat);
	ts(o, "ts", from);
	fprintf(o->f, ",\"dur\":%llu.%03llu", (unsigned long long)((to - from) / 1000),
		(unsigned long long)((to - from) % 1000));
	if (cname)
		fprintf(o->f, ",\"cname\":\"%s\"", cname);
	if (args && *args)
		fprintf(o->f, ",\"args\":{%s}", args);
	fputc('}', o->f);
}

static void instant(struct out *o, const char *name, const char *cat, __u32 pid, __u32 tid, __u64 at,
		    const char *args)
{
	begin(o, 'i', name, pid, tid);
	fprintf(o->f, ",\"cat\":\"%s\",\"s\":\"t\"", cat);
	ts(o, "ts", at);
	if (args && *args)
		fprintf(o->f, ",\"args\":{%s}", args);
	fputc('}', o->f);
}

/* Flow ends: 's' binds to the slice enclosing it, 'f' with bp "e" to the slice enclosing it. */
static void flow(struct out *o, char ph, __u64 id, __u32 pid, __u32 tid, __u64 at)
{
	begin(o, ph, "wakeup", pid, tid);
	fprintf(o->f, ",\"cat\":\"wakeup\",\"id\":%llu", (unsigned long long)id);
	ts(o, "ts", at);
	fputs(ph == 'f' ? ",\"bp\":\"e\"}" : "}", o->f);
}

/* ---- the replay ---------------------------------------------------------- */

static void set_state(struct conv *c, struct thr *t, enum state s, __u64 at)
{
	if (t->state == s)
		return;
	if (t->state != S_UNKNOWN && at >= t->since)
		slice(c->o, state_name[t->state], "state", t->pid, t->tid, t->since, at, state_cname[t->state], "");
	/* the wake-up arrow lands mid-way in the runnable slice it started, now that it has an end */
	if (t->flow_id && (t->state == S_RUNNABLE || t->state == S_PREEMPTED)) {
		flow(c->o, 'f', t->flow_id, t->pid, t->tid, t->flow_ts + (at - t->flow_ts) / 2);
		t->flow_id = 0;
	}
	t->state = s;
	t->since = at;
}

static void syscall_name(char *buf, size_t len, __s32 nr, __u64 arg2, bool args_known)
{
	if (nr == SYS_futex && args_known) {
		int cmd = (int)(arg2 & ~(__u64)(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME));
		snprintf(buf, len, "futex %s", st_futex_cmd_name(cmd < 0 || cmd > 15 ? 15 : cmd));
	} else {
		snprintf(buf, len, "%s", st_syscall_name(nr));
	}
}

static void close_syscall(struct conv *c, struct thr *t, __u64 at, const char *args)
{
	char name[96];

	syscall_name(name, sizeof(name), t->sys_nr, t->sys_arg2, t->sys_args_known);
	slice(c->o, name, "syscall", t->pid, ST_PF_SYSCALL_TID(t->tid), t->sys_since, at, NULL, args);
	t->sys_open = false;
	t->sys_track = true;
}

static void close_cpu_slice(struct conv *c, __u32 k, __u64 at);

/* Records made by the thread running on their CPU: they show which one it is (timeline.h). */
static bool by_running_thread(__u32 kind)
{
	return kind == ST_TL_SWITCH || kind == ST_TL_WAKEUP || kind == ST_TL_SYS_ENTER || kind == ST_TL_SYS_EXIT;
}

/*
 * On a traced CPU that lost records (the kernel drops whole batches of one
 * CPU's consecutive records), a record that does not follow from the ones
 * before it on that CPU shows where: a switch that does not leave the thread
 * the last switch brought in, or a record made by the running thread (a
 * system call, a wake-up it caused) of another thread than that one. The
 * records lost are then between the last such record and this one. What ran ends at the last record; the gap gets a slice of
 * its own up to this record. A gap whose records leave no such trace goes
 * unmarked (a thread's unpaired entry or exit says a record is missing, but
 * not where: it is left as it is); the lost count is exact either way.
 */
static void mark_gap_before(struct conv *c, const struct st_tl_event *e)
{
	struct cpu *cpu = &c->cpu[e->cpu];

	if (!cpu->lossy || !cpu->open || cpu->last < cpu->since || cpu->tid == e->tid || !by_running_thread(e->kind))
		return;
	close_cpu_slice(c, e->cpu, cpu->last);
	slice(c->o, "records lost", "lost", ST_PF_CPU_PID(c->run), ST_PF_CPU_TID(c->run, e->cpu), cpu->last, e->ts,
	      NULL, "\"why\":\"the ring buffer was full (--ring-size)\"");
	c->o->gaps++;
}

static void on_switch(struct conv *c, const struct st_tl_event *e)
{
	struct cpu *cpu = &c->cpu[e->cpu];
	struct thr *prev = traced(c, e->tid), *next = traced(c, e->other_tid);
	__u64 wait = e->arg2 >> 32; /* next's runqueue wait (timeline.h) */

	close_cpu_slice(c, e->cpu, e->ts);
	cpu->open = cpu->seen = true;
	cpu->tid = e->other_tid;
	cpu->pid = (__u32)e->arg2;
	cpu->since = e->ts;
	if (prev)
		set_state(c, prev, e->arg == 0 ? S_PREEMPTED : S_BLOCKED, e->ts);
	if (next && next->state == S_BLOCKED && wait)
		/* no wake-up record (--light): runnable since the kernel queued it */
		set_state(c, next, S_RUNNABLE, e->ts >= next->since + wait ? e->ts - wait : next->since);
	if (next)
		set_state(c, next, S_RUNNING, e->ts);
}

static void on_wakeup(struct conv *c, const struct st_tl_event *e)
{
	struct thr *wakee = traced(c, e->other_tid), *waker = traced(c, e->tid);
	__u64 id;

	if (!wakee)
		return;
	id = ++c->o->flows;
	/* the arrow leaves the waker's system call if it is in one, else whatever ran on the CPU */
	if (waker && waker->sys_open)
		flow(c->o, 's', id, waker->pid, ST_PF_SYSCALL_TID(waker->tid), e->ts);
	else if (waker && waker->state == S_RUNNING)
		flow(c->o, 's', id, waker->pid, waker->tid, e->ts);
	else
		flow(c->o, 's', id, ST_PF_CPU_PID(c->run), ST_PF_CPU_TID(c->run, e->cpu), e->ts);
	if (wakee->state == S_BLOCKED || wakee->state == S_UNKNOWN) {
		set_state(c, wakee, S_RUNNABLE, e->ts);
		wakee->flow_id = id;
		wakee->flow_ts = e->ts;
	} else {
		flow(c->o, 'f', id, wakee->pid, wakee->tid, e->ts); /* already awake: lands where it is */
	}
}

static void on_migrate(struct conv *c, const struct st_tl_event *e)
{
	struct thr *t = traced(c, e->tid);
	char name[64], args[64];

	if (!t)
		return;
	snprintf(name, sizeof(name), "migrate CPU %llu \xe2\x86\x92 %d", (unsigned long long)e->arg2, e->arg);
	snprintf(args, sizeof(args), "\"from_cpu\":%llu,\"to_cpu\":%d", (unsigned long long)e->arg2, e->arg);
	instant(c->o, name, "migrate", t->pid, t->tid, e->ts, args);
}

static void on_sys_enter(struct conv *c, const struct st_tl_event *e)
{
	struct thr *t = traced(c, e->tid);

	if (!t)
		return;
	if (t->sys_open) /* its exit was lost */
		close_syscall(c, t, e->ts, "\"exit\":\"not seen\"");
	t->sys_open = t->sys_seen = t->sys_args_known = true;
	t->sys_nr = e->arg;
	t->sys_arg2 = e->arg2;
	t->sys_since = e->ts;
}

static void on_sys_exit(struct conv *c, const struct st_tl_event *e)
{
	struct thr *t = traced(c, e->tid);
	char args[64];

	if (!t)
		return;
	snprintf(args, sizeof(args), "\"ret\":%lld", (long long)e->arg2);
	if (t->sys_open) {
		close_syscall(c, t, e->ts, args);
	} else if (!t->sys_seen) { /* entered before the first record: draw it from the start */
		t->sys_nr = e->arg;
		t->sys_args_known = false; /* a futex's command came with the entry we did not see */
		t->sys_since = c->o->base;
		strcat(args, ",\"entered\":\"before the trace\"");
		close_syscall(c, t, e->ts, args);
	}
	t->sys_seen = true;
}

static void on_user_switch(struct conv *c, const struct st_tl_event *e)
{
	struct thr *t = traced(c, e->tid);
	char name[40];

	if (!t)
		return;
	if (t->coro_open) {
		snprintf(name, sizeof(name), "coroutine %d", t->coro);
		slice(c->o, name, "coroutine", t->pid, ST_PF_CORO_TID(t->tid), t->coro_since, e->ts, NULL, "");
		t->coro_track = true;
	}
	t->coro_open = true;
	t->coro = e->arg;
	t->coro_since = e->ts;
}

static void close_cpu_slice(struct conv *c, __u32 k, __u64 at)
{
	struct cpu *cpu = &c->cpu[k];
	char name[48], args[64];

	if (!cpu->open || at < cpu->since)
		return;
	label(name, sizeof(name), find(c, cpu->tid, false), cpu->tid);
	snprintf(args, sizeof(args), "\"tid\":%u,\"pid\":%u", cpu->tid, cpu->pid);
	slice(c->o, name, "cpu", ST_PF_CPU_PID(c->run), ST_PF_CPU_TID(c->run, k), cpu->since, at, NULL, args);
	cpu->open = false;
}

/* Everything still open at the last record ends there. */
static void close_all(struct conv *c, __u64 end)
{
	for (__u32 k = 0; k < ST_MAX_CPUS; k++) /* a slice begun by the last record has no length: dropped */
		if (c->cpu[k].since < end)
			close_cpu_slice(c, k, end);
	for (size_t i = 0; i < c->cap; i++) {
		struct thr *t = &c->thr[i];

		if (!t->used || !t->traced)
			continue;
		if (t->sys_open)
			close_syscall(c, t, end, "\"exit\":\"after the trace\"");
		if (t->coro_open) {
			struct st_tl_event u = { .ts = end, .tid = t->tid, .kind = ST_TL_USER_SWITCH };
			on_user_switch(c, &u);
		}
		if (t->state != S_UNKNOWN && t->since < end)
			set_state(c, t, S_UNKNOWN, end);
	}
}

/* Names and order of the tracks: CPUs first, then each traced thread's three tracks together. */
static void track_names(struct conv *c, const char *run_name)
{
	char name[96];

	snprintf(name, sizeof(name), c->run ? "CPUs (%s)" : "CPUs", run_name);
	meta(c->o, "process_name", ST_PF_CPU_PID(c->run), ST_PF_CPU_PID(c->run), name);
	sort_index(c->o, "process_sort_index", ST_PF_CPU_PID(c->run), ST_PF_CPU_PID(c->run), -1000 + c->run);
	for (__u32 k = 0; k < ST_MAX_CPUS; k++) {
		if (!c->cpu[k].seen)
			continue;
		snprintf(name, sizeof(name), "CPU %u", k);
		meta(c->o, "thread_name", ST_PF_CPU_PID(c->run), ST_PF_CPU_TID(c->run, k), name);
		sort_index(c->o, "thread_sort_index", ST_PF_CPU_PID(c->run), ST_PF_CPU_TID(c->run, k), k);
	}
	for (size_t i = 0; i < c->cap; i++) {
		struct thr *t = &c->thr[i], *leader;
		char who[48];

		if (!t->used || !t->traced)
			continue;
		label(who, sizeof(who), t, t->tid);
		meta(c->o, "thread_name", t->pid, t->tid, who);
		sort_index(c->o, "thread_sort_index", t->pid, t->tid, 3LL * t->tid);
		if (t->sys_track) {
			snprintf(name, sizeof(name), "%s syscalls", who);
			meta(c->o, "thread_name", t->pid, ST_PF_SYSCALL_TID(t->tid), name);
			sort_index(c->o, "thread_sort_index", t->pid, ST_PF_SYSCALL_TID(t->tid), 3LL * t->tid + 1);
		}
		if (t->coro_track) {
			snprintf(name, sizeof(name), "%s coroutines", who);
			meta(c->o, "thread_name", t->pid, ST_PF_CORO_TID(t->tid), name);
			sort_index(c->o, "thread_sort_index", t->pid, ST_PF_CORO_TID(t->tid), 3LL * t->tid + 2);
		}
		/* one process_name per process, when its first traced thread comes up */
		bool first = true;
		for (size_t k = 0; k < i && first; k++)
			first = !(c->thr[k].used && c->thr[k].traced && c->thr[k].pid == t->pid);
		if (first) {
			leader = find(c, t->pid, false);
			snprintf(name, sizeof(name), "%.16s %u", leader && leader->comm[0] ? leader->comm : run_name,
				 t->pid);
			meta(c->o, "process_name", t->pid, t->pid, name);
		}
	}
}

struct sort_key {
	__u64 ts;
	__u64 index;
};

static int by_time(const void *a, const void *b)
{
	const struct sort_key *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int convert(struct out *o, const struct st_run *run, int run_index)
{
	const struct st_timeline *tl = run->timeline;
	struct conv *c = calloc(1, sizeof(*c));
	struct sort_key *order = NULL;
	__u64 end = o->base;
	int ret = -1;

	if (!c)
		return -1;
	c->o = o;
	c->run = run_index;
	for (int k = 0; tl->lost_per_cpu && k < tl->nr_cpus && k < ST_MAX_CPUS; k++)
		c->cpu[k].lossy = tl->lost_per_cpu[k] && st_cpu_list_has(run->cpus, (unsigned)k);
	if (tl->nr_events) {
		order = malloc(tl->nr_events * sizeof(*order));
		if (!order)
			goto out;
	}
	for (__u64 i = 0; i < tl->nr_events; i++)
		order[i] = (struct sort_key){ tl->events[i].ts, i };
	qsort(order, tl->nr_events, sizeof(*order), by_time);

	/* who gets tracks: the threads named, or (none named) whoever the records are about */
	for (int i = 0; i < tl->nr_threads; i++) {
		struct thr *t = tl->threads[i].tid ? find(c, tl->threads[i].tid, true) : NULL;
		if (!t)
			continue;
		t->traced = true;
		t->pid = tl->threads[i].pid;
		memcpy(t->comm, tl->threads[i].comm, sizeof(t->comm));
	}
	for (__u64 i = 0; i < tl->nr_events && tl->nr_threads == 0; i++) {
		const struct st_tl_event *e = &tl->events[i];
		__u32 tid = e->kind == ST_TL_WAKEUP ? e->other_tid : e->kind == ST_TL_SWITCH ? 0 : e->tid;
		__u32 pid = e->kind == ST_TL_WAKEUP ? (__u32)e->arg2 : e->pid;
		struct thr *t = tid ? find(c, tid, true) : NULL;
		if (t) {
			t->traced = true;
			t->pid = pid;
		}
	}

	for (__u64 i = 0; i < tl->nr_events; i++) {
		const struct st_tl_event *e = &tl->events[order[i].index];

		if (e->cpu >= ST_MAX_CPUS) {
			c->skipped++;
			continue;
		}
		end = e->ts;
		mark_gap_before(c, e);
		switch (e->kind) {
		case ST_TL_SWITCH: on_switch(c, e); break;
		case ST_TL_WAKEUP: on_wakeup(c, e); break;
		case ST_TL_MIGRATE: on_migrate(c, e); break;
		case ST_TL_SYS_ENTER: on_sys_enter(c, e); break;
		case ST_TL_SYS_EXIT: on_sys_exit(c, e); break;
		case ST_TL_USER_SWITCH: on_user_switch(c, e); break;
		default: c->skipped++;
		}
		if (by_running_thread(e->kind)) /* a migration is recorded wherever it was decided */
			c->cpu[e->cpu].last = e->ts;
	}
	close_all(c, end);
	for (int k = 0; tl->lost_per_cpu && k < tl->nr_cpus && k < ST_MAX_CPUS; k++) {
		char name[64], args[48];

		if (!tl->lost_per_cpu[k])
			continue;
		snprintf(name, sizeof(name), "%llu records lost", (unsigned long long)tl->lost_per_cpu[k]);
		snprintf(args, sizeof(args), "\"lost\":%llu", (unsigned long long)tl->lost_per_cpu[k]);
		c->cpu[k].seen = true; /* the loss shows on the CPU's track */
		instant(o, name, "lost", ST_PF_CPU_PID(run_index), ST_PF_CPU_TID(run_index, k), end, args);
	}
	track_names(c, run->workload);
	ret = 0;
out:
	free(order);
	free(c->thr);
	free(c);
	return ret;
}

bool st_perfetto_has_timeline(const struct st_run *runs, int n)
{
	for (int i = 0; i < n; i++)
		if (runs[i].timeline)
			return true;
	return false;
}

int st_perfetto_write(FILE *f, const struct st_run *runs, int n)
{
	struct out o = { .f = f, .first = true, .base = UINT64_MAX };
	__u64 lost = 0;
	int k = 0;

	/* one clock for all runs: they ran one after the other, so their tracks line up */
	for (int i = 0; i < n; i++) {
		const struct st_timeline *tl = runs[i].timeline;
		for (__u64 j = 0; tl && j < tl->nr_events; j++)
			if (tl->events[j].ts < o.base)
				o.base = tl->events[j].ts;
		for (int c = 0; tl && tl->lost_per_cpu && c < tl->nr_cpus; c++)
			lost += tl->lost_per_cpu[c];
	}
	if (o.base == UINT64_MAX)
		o.base = 0;
	fputs("{\"traceEvents\":[", f);
	for (int i = 0; i < n; i++)
		if (runs[i].timeline && convert(&o, &runs[i], k++))
			return -1;
	fprintf(f, "\n],\n\"displayTimeUnit\":\"ns\",\n\"otherData\":{\"generator\":\"schedtrace\","
		   "\"clock\":\"CLOCK_MONOTONIC\",\"clock_base_ns\":%llu,\"records_lost\":%llu,\"gaps_marked\":%llu}}\n",
		(unsigned long long)o.base, (unsigned long long)lost, (unsigned long long)o.gaps);
	return ferror(f) ? -1 : 0;
}
