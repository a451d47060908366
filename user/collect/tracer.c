// SPDX-License-Identifier: GPL-2.0
/* tracer.c — see tracer.h. */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "schedtrace.skel.h"
#include "sampler.h"
#include "proc_switches.h"
#include "tracer.h"

#define TL_RINGBUF_BYTES ST_TRACER_RING_DEFAULT

static __u32 last_ids[ST_TRACER_MAX_PROGS];
static int last_nr_ids;

struct st_tracer {
	struct schedtrace *skel;
	/* timeline mode */
	struct ring_buffer *rb;
	pthread_t consumer;
	bool consuming;
	volatile bool stop_consumer;
	struct st_tl_event *tl;
	__u64 tl_n, tl_cap;
	bool tl_cut;
	bool raw_tp;
	int nr_possible;
	int cpus[ST_MAX_CPUS];
	int nr_cpus;
	void *buf; /* one per-CPU read buffer, big enough for the largest value */
	struct st_sampler sampler; /* the witness (sampler.h) */
	int sampling_err;	   /* why it could not start, 0 when it runs or was not wanted */
};

/*
 * The programs: tp_btf and raw_tp twins, the event counter each feeds, and
 * whether it belongs to the detail set: the hooks a detailed repeat adds to
 * sched_switch (the syscalls, the wake-ups, __schedule()'s bracket and the
 * return to user), detached in the repeats that borrow its split and never
 * loaded with --light.
 */
#define PROGS(X)                                                  \
	X(switch, ST_EV_SWITCH, false)                            \
	X(waking, ST_EV_WAKEUP, false)                            \
	X(wake_new, ST_EV_WAKEUP, false)                          \
	X(migrate, ST_EV_MIGRATE, false)                          \
	X(fork, ST_EV_FORK_EXIT, false)                           \
	X(exit, ST_EV_FORK_EXIT, false)                           \
	X(sys_enter, ST_EV_SYS_ENTER, true)                       \
	X(sys_exit, ST_EV_SYS_EXIT, true)                         \
	X(wakeup, ST_EV_WAKEUP_DONE, true)                        \
	X(sched_entry, ST_EV_SCHED_ENTRY, true)                   \
	X(sched_exit, ST_EV_SCHED_EXIT, true)                     \
	X(rseq, ST_EV_RSEQ, true)

struct prog_ref {
	struct bpf_program *tp, *raw;
	struct bpf_link **tp_link, **raw_link;
	const char *tracepoint; /* the kernel's tracepoint, as its BTF names it */
	int ev;
	bool detail;
};

static int prog_refs(struct schedtrace *s, struct prog_ref *r)
{
	int n = 0;
#define X(name, ev_, detail_)                                                                        \
	r[n++] = (struct prog_ref){ s->progs.st_tp_##name, s->progs.st_raw_##name, &s->links.st_tp_##name,   \
				    &s->links.st_raw_##name,                                                 \
				    bpf_program__section_name(s->progs.st_raw_##name) + strlen("raw_tp/"), ev_, \
				    detail_ };
	PROGS(X)
#undef X
	return n;
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	static int verbose = -1;

	if (verbose < 0) {
		const char *v = getenv("SCHEDTRACE_VERBOSE");
		verbose = v && *v && strcmp(v, "0") != 0;
	}
	if (!verbose || (level == LIBBPF_DEBUG && verbose < 2))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static bool has_cap(int cap)
{
	char line[256];
	unsigned long long eff = 0;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(f);
	return (eff >> cap) & 1;
}

const char *st_tracer_missing(void)
{
	static char msg[512];
	const char *btf;

	/* CAP_PERFMON 38, CAP_BPF 39; CAP_SYS_ADMIN (21) covers both on any kernel */
	if (geteuid() != 0 && !has_cap(21) && !(has_cap(38) && has_cap(39)))
		return "needs root or CAP_BPF+CAP_PERFMON, try sudo";
	/* SCHEDTRACE_KERNEL_BTF: another path to check, for the tests of this message */
	btf = getenv("SCHEDTRACE_KERNEL_BTF");
	if (!btf || !*btf)
		btf = "/sys/kernel/btf/vmlinux";
	if (access(btf, R_OK) != 0) {
		snprintf(msg, sizeof(msg),
			 "no kernel BTF: %s is missing; schedtrace needs a kernel built with CONFIG_DEBUG_INFO_BTF=y",
			 btf);
		return msg;
	}
	return NULL;
}

bool st_tracer_is_our_prog(const char *kernel_name)
{
	/* every program is named st_tp_* or st_raw_* (see schedtrace.bpf.c) */
	return strncmp(kernel_name, "st_tp_", 6) == 0 || strncmp(kernel_name, "st_raw_", 7) == 0;
}

static void seterr(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!err || !len)
		return;
	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
}

/*
 * The kernel has this tracepoint: its BTF names the tp_btf target type
 * btf_trace_<name>. Newer hooks (sched_entry_tp, 6.16) are left out where
 * they are missing, and the report says which parts merge.
 */
static bool kernel_has_tracepoint(const char *name)
{
	static struct btf *vmlinux;
	char type[96];

	if (!vmlinux && !(vmlinux = btf__load_vmlinux_btf()))
		return true; /* no BTF to ask: let the load say */
	snprintf(type, sizeof(type), "btf_trace_%s", name);
	return btf__find_by_name_kind(vmlinux, type, BTF_KIND_TYPEDEF) > 0;
}

/*
 * Settings of issue 15, kept apart from load(): whose objects these are
 * (collector_pid, read back by bpf_census.c), the cgroup filter, and the
 * timeline's ring size.
 */
static void configure_extras(struct schedtrace *s, const struct st_tracer_opts *o)
{
	s->rodata->collector_pid = (__u32)getpid();
	if (o->cgroup_id) {
		s->rodata->targ_cgroup_id = o->cgroup_id;
		s->rodata->targ_cgroup_level = o->cgroup_level;
		if (o->tgid <= 0)
			s->rodata->targ_tgid = (__u32)-1; /* no tgid: not 0, the idle task's */
	}
	if (o->timeline && o->ring_bytes)
		bpf_map__set_max_entries(s->maps.events, o->ring_bytes);
}

/* open -> configure -> load, one flavour. */
static int load(struct st_tracer *t, const struct st_tracer_opts *o, bool raw)
{
	struct prog_ref refs[ST_TRACER_MAX_PROGS];
	struct schedtrace *s;
	int n, err;

	_Static_assert(SYS_futex == 202 || SYS_futex == 98, "FUTEX_NR in schedtrace.bpf.c");
	s = schedtrace__open();
	if (!s)
		return -errno ?: -EINVAL;
	s->rodata->targ_tgid = (__u32)o->tgid;
	s->rodata->follow = o->follow;
	for (int i = 0; i < o->nr_cpus; i++)
		if (o->cpus[i] >= 0 && o->cpus[i] < ST_MAX_CPUS)
			s->rodata->cpu_mask[o->cpus[i] / 64] |= 1ULL << (o->cpus[i] % 64);

	n = prog_refs(s, refs);
	for (int i = 0; i < n; i++) {
		/* --light: none of the detail set (see sys_live in schedtrace.bpf.c); nor a hook this kernel lacks */
		bool want = !(o->no_syscalls && refs[i].detail) && kernel_has_tracepoint(refs[i].tracepoint);

		bpf_program__set_autoload(refs[i].tp, want && !raw);
		bpf_program__set_autoload(refs[i].raw, want && raw);
	}
	/* __schedule()'s bracket (>= 6.16) and the return to user; without them the parts merge */
	s->rodata->sched_hooks = kernel_has_tracepoint("sched_entry_tp") && kernel_has_tracepoint("sched_exit_tp");
	s->rodata->rseq_hook = kernel_has_tracepoint("rseq_update");
	/* the unused per-thread store shrinks to nothing */
	if (!raw)
		bpf_map__set_max_entries(s->maps.tid_state, 1);
	if (!o->follow)
		bpf_map__set_max_entries(s->maps.tgids, 1);
	s->rodata->timeline = o->timeline;
	s->rodata->syscalls = !o->no_syscalls;
	s->rodata->rq_clock_ts = o->no_syscalls;
	s->rodata->rq_clock_unhooked = !o->no_syscalls;
	/*
	 * 2 MiB holds 52k records, ~35 ms of the busiest workload (~60 MB/s);
	 * the consumer drains it every millisecond (records never wake it up).
	 * Small on purpose: the producer's writes land on lines still in cache.
	 * 32 MiB cost the pinned pthread 1.52x bare while recording, 2 MiB
	 * 1.35-1.40x (512 KiB dropped records on this host).
	 */
	bpf_map__set_max_entries(s->maps.events, o->timeline ? TL_RINGBUF_BYTES : (__u32)sysconf(_SC_PAGESIZE));
	configure_extras(s, o);

	err = schedtrace__load(s);
	if (err) {
		schedtrace__destroy(s);
		return err;
	}
	t->skel = s;
	t->raw_tp = raw;
	return 0;
}

int st_tracer_start(struct st_tracer **out, const struct st_tracer_opts *o, char *err, size_t err_len)
{
	const char *env = getenv("SCHEDTRACE_RAW_TP");
	bool force_raw = o->force_raw_tp || (env && strcmp(env, "1") == 0);
	struct st_tracer *t;
	const char *why;
	size_t bufsz;
	int e;

	*out = NULL;
	why = st_tracer_missing();
	if (why) {
		seterr(err, err_len, "%s", why);
		return -EPERM;
	}
	libbpf_set_strict_mode(LIBBPF_STRICT_ALL);
	libbpf_set_print(libbpf_quiet);

	t = calloc(1, sizeof(*t));
	if (!t) {
		seterr(err, err_len, "out of memory");
		return -ENOMEM;
	}
	t->nr_possible = libbpf_num_possible_cpus();
	if (t->nr_possible <= 0) {
		seterr(err, err_len, "cannot count the possible CPUs (/sys/devices/system/cpu/possible)");
		free(t);
		return -EINVAL;
	}
	for (int i = 0; i < o->nr_cpus && i < ST_MAX_CPUS; i++)
		t->cpus[t->nr_cpus++] = o->cpus[i];
	bufsz = sizeof(struct st_sys_table);
	if (sizeof(struct st_pcpu) > bufsz)
		bufsz = sizeof(struct st_pcpu);
	t->buf = calloc((size_t)t->nr_possible, (bufsz + 7) & ~(size_t)7);
	if (!t->buf) {
		seterr(err, err_len, "out of memory");
		free(t);
		return -ENOMEM;
	}

	e = -1;
	if (!force_raw)
		e = load(t, o, false);
	if (e)
		e = load(t, o, true);
	if (e) {
		seterr(err, err_len,
		       "loading the BPF programs failed (%s); run with SCHEDTRACE_VERBOSE=1 to see the "
		       "verifier log",
		       strerror(-e));
		goto fail;
	}
	t->skel->bss->sys_live = !o->no_syscalls;
	e = schedtrace__attach(t->skel);
	if (e) {
		seterr(err, err_len, "attaching the BPF programs failed (%s); run with SCHEDTRACE_VERBOSE=1",
		       strerror(-e));
		goto fail;
	}
	/* the witness: without it the run goes on, and the report says it has none */
	if (!o->no_sampling)
		t->sampling_err = st_sampler_start(&t->sampler, t->skel->progs.st_sample, t->cpus, t->nr_cpus,
						   ST_SAMPLE_HZ);
	{
		struct st_prog_stat ps[ST_TRACER_MAX_PROGS];

		last_nr_ids = st_tracer_prog_stats(t, ps, ST_TRACER_MAX_PROGS);
		for (int i = 0; i < last_nr_ids; i++)
			last_ids[i] = ps[i].id;
	}
	*out = t;
	return 0;
fail:
	st_tracer_stop(t);
	return e < 0 ? e : -EINVAL;
}

int st_tracer_last_ids(__u32 *ids, int max)
{
	int n = last_nr_ids < max ? last_nr_ids : max;

	memcpy(ids, last_ids, sizeof(*ids) * (size_t)n);
	return n;
}

int st_tracer_sampling_error(const struct st_tracer *t)
{
	return t->sampling_err;
}

void st_tracer_describe(const struct st_tracer *t, struct st_run *run)
{
	const struct schedtrace__rodata *ro = t->skel->rodata;

	/* --light has none of the detail hooks: nothing merges that was there to split */
	run->sched_merged = ro->syscalls && !ro->sched_hooks;
	run->return_merged = ro->syscalls && !ro->rseq_hook;
	run->sampling_error[0] = '\0';
	if (t->sampling_err)
		snprintf(run->sampling_error, sizeof(run->sampling_error), "perf_event_open cpu-clock: %s",
			 strerror(-t->sampling_err));
}

const char *st_tracer_flavour(const struct st_tracer *t)
{
	return t->raw_tp ? "raw_tp" : "tp_btf";
}

int st_tracer_detach(struct st_tracer *t)
{
	schedtrace__detach(t->skel);
	return 0;
}

int st_tracer_attach(struct st_tracer *t)
{
	int e = schedtrace__attach(t->skel);

	/* every hook is back, the detail hooks too (st_tracer_set_detail_hooks) */
	if (!e)
		t->skel->bss->sys_live = t->skel->rodata->syscalls;
	return e;
}

int st_tracer_unfollow(struct st_tracer *t, pid_t tgid)
{
	__u32 key = (__u32)tgid;

	if (!t || tgid <= 0)
		return -EINVAL;
	if (bpf_map__delete_elem(t->skel->maps.tgids, &key, sizeof(key), 0))
		return -errno;
	/* the kernel side's count of followed processes, its fast path when none is left */
	__sync_fetch_and_sub(&t->skel->bss->extra_tgids, 1);
	return 0;
}

int st_tracer_followed(struct st_tracer *t, pid_t *out, int max)
{
	int fd = bpf_map__fd(t->skel->maps.tgids), n = 0;
	__u32 key, next;
	bool first = true;

	while (n < max && bpf_map_get_next_key(fd, first ? NULL : &key, &next) == 0) {
		first = false;
		key = next;
		out[n++] = (pid_t)key;
	}
	return n;
}

int st_tracer_exited(struct st_tracer *t, struct st_thread_switches *out, int max)
{
	int fd = bpf_map__fd(t->skel->maps.exited), n = 0;
	struct st_exited_thread e;
	__u32 key, next;
	bool first = true;

	while (n < max && bpf_map_get_next_key(fd, first ? NULL : &key, &next) == 0) {
		first = false;
		key = next;
		if (bpf_map_lookup_elem(fd, &key, &e))
			continue; /* evicted meanwhile */
		out[n++] = (struct st_thread_switches){ (pid_t)key, e.nvcsw, e.nivcsw };
	}
	return n;
}

int st_tracer_set_detail_hooks(struct st_tracer *t, bool on)
{
	struct schedtrace *s = t->skel;
	struct prog_ref refs[ST_TRACER_MAX_PROGS];
	int n = prog_refs(s, refs);

	/* off: first, so that no thread blocked in a syscall waits for a sys_exit that will not come */
	if (!on)
		s->bss->sys_live = 0;
	for (int i = 0; i < n; i++) {
		struct bpf_program *prog = t->raw_tp ? refs[i].raw : refs[i].tp;
		struct bpf_link **link = t->raw_tp ? refs[i].raw_link : refs[i].tp_link;

		if (!refs[i].detail)
			continue;
		if (!on) {
			bpf_link__destroy(*link);
			*link = NULL;
		} else if (!*link && bpf_program__fd(prog) >= 0) {
			*link = bpf_program__attach(prog);
			if (!*link)
				return -errno;
		}
	}
	/* on: last, once sys_enter runs again (a thread already inside a call starts clean) */
	if (on)
		s->bss->sys_live = s->rodata->syscalls;
	return 0;
}

void st_tracer_go_lean(struct st_tracer *t)
{
	struct schedtrace *s = t->skel;

	s->bss->lean = 1;
	bpf_link__destroy(s->links.st_tp_waking); /* one of the twins is attached; NULL is a no-op */
	bpf_link__destroy(s->links.st_raw_waking);
	s->links.st_tp_waking = s->links.st_raw_waking = NULL;
}

void st_tracer_detach_all(struct st_tracer *t)
{
	t->skel->bss->sys_live = 0;
	st_tracer_detach(t);
	st_sampler_stop(&t->sampler);
}

static size_t stride(size_t size);

/* ---- timeline mode ------------------------------------------------------------ */

/* Appends one record; false when the timeline is full (recording stops). */
static bool keep_record(struct st_tracer *t, const void *rec)
{
	if (t->tl_n == t->tl_cap) {
		__u64 cap = t->tl_cap ? t->tl_cap * 2 : 65536;
		struct st_tl_event *n;

		if (cap > ST_TL_MAX_EVENTS)
			cap = ST_TL_MAX_EVENTS;
		if (t->tl_n >= cap || !(n = realloc(t->tl, cap * sizeof(*n)))) {
			/* full: stop recording; what is in flight is dropped, not counted as lost */
			t->skel->bss->tl_enabled = 0;
			t->tl_cut = true;
			return false;
		}
		t->tl = n;
		t->tl_cap = cap;
	}
	memcpy(&t->tl[t->tl_n++], rec, sizeof(struct st_tl_event));
	return true;
}

/* A ring buffer sample: a batch of records (one CPU's, in time order). */
static int on_record(void *ctx, void *data, size_t size)
{
	struct st_tracer *t = ctx;

	for (size_t off = 0; off + sizeof(struct st_tl_event) <= size; off += sizeof(struct st_tl_event))
		if (!keep_record(t, (char *)data + off))
			break;
	return 0;
}

/* The records still staged in each CPU's batch when the recording ends. */
static void drain_batches(struct st_tracer *t)
{
	size_t st = stride(sizeof(struct st_pcpu));
	__u32 zero = 0;

	if (bpf_map__lookup_elem(t->skel->maps.pcpu, &zero, sizeof(zero), t->buf, st * (size_t)t->nr_possible, 0))
		return;
	for (int i = 0; i < t->nr_possible; i++) {
		const struct st_pcpu *v = (const void *)((char *)t->buf + st * (size_t)i);

		for (__u32 k = 0; k < v->tl.n && k < ST_TL_BATCH && !t->tl_cut; k++)
			keep_record(t, v->tl.ev[k]);
	}
}

static void *consume(void *arg)
{
	struct st_tracer *t = arg;

	/*
	 * Records are submitted without wake-ups (an epoll wait would never
	 * return early): drain on a timer. It runs off the traced CPUs, with the
	 * collector.
	 */
	while (!t->stop_consumer) {
		ring_buffer__consume(t->rb);
		usleep(1000); /* ~60 KB per wake-up at the busiest */
	}
	ring_buffer__consume(t->rb);
	return NULL;
}

int st_tracer_timeline_begin(struct st_tracer *t)
{
	if (!t->skel->rodata->timeline)
		return -EINVAL;
	if (!t->rb) {
		t->rb = ring_buffer__new(bpf_map__fd(t->skel->maps.events), on_record, t, NULL);
		if (!t->rb)
			return -errno;
	}
	if (!t->consuming) {
		t->stop_consumer = false;
		if (pthread_create(&t->consumer, NULL, consume, t))
			return -EAGAIN;
		t->consuming = true;
	}
	if (!t->tl_cut)
		t->skel->bss->tl_enabled = 1;
	return 0;
}

void st_tracer_timeline_end(struct st_tracer *t)
{
	if (!t || !t->skel)
		return;
	t->skel->bss->tl_enabled = 0;
	if (t->consuming) {
		usleep(1000); /* a program that saw tl_enabled set finishes its record */
		t->stop_consumer = true;
		pthread_join(t->consumer, NULL);
		t->consuming = false;
		drain_batches(t);
	}
}

int st_tracer_timeline_take(struct st_tracer *t, struct st_tl_event **events, __u64 *n, __u64 **lost_per_cpu,
			    int *nr_cpus, bool *cut)
{
	const struct st_pcpu *v;
	__u32 zero = 0;
	size_t st = stride(sizeof(struct st_pcpu));

	st_tracer_timeline_end(t);
	*events = t->tl;
	*n = t->tl_n;
	*cut = t->tl_cut;
	t->tl = NULL;
	t->tl_n = t->tl_cap = 0;
	*nr_cpus = t->nr_possible;
	*lost_per_cpu = calloc((size_t)t->nr_possible, sizeof(__u64));
	if (!*lost_per_cpu)
		return -ENOMEM;
	if (bpf_map__lookup_elem(t->skel->maps.pcpu, &zero, sizeof(zero), t->buf, st * (size_t)t->nr_possible, 0))
		return -errno;
	for (int i = 0; i < t->nr_possible; i++) {
		v = (const void *)((char *)t->buf + st * (size_t)i);
		(*lost_per_cpu)[i] = v->c.stat[ST_LOST_RINGBUF];
	}
	return 0;
}

static void stop_skel(struct st_tracer *t)
{
	if (t->skel)
		schedtrace__destroy(t->skel);
	t->skel = NULL;
}

/*
 * Programs attached to tracepoints are freed after an RCU grace period once
 * their links are gone; wait (bounded) until their ids have left the kernel,
 * so "nothing stays loaded" holds when the caller returns.
 */
static void wait_unloaded(const __u32 *ids, int n)
{
	for (int tries = 0; tries < 400; tries++) {
		int left = 0;

		for (int i = 0; i < n; i++) {
			int fd = bpf_prog_get_fd_by_id(ids[i]);

			if (fd >= 0) {
				close(fd);
				left++;
			}
		}
		if (!left)
			return;
		usleep(5000);
	}
}

void st_tracer_stop(struct st_tracer *t)
{
	struct st_prog_stat ps[ST_TRACER_MAX_PROGS];
	__u32 ids[ST_TRACER_MAX_PROGS];
	int n;

	if (!t)
		return;
	n = st_tracer_prog_stats(t, ps, ST_TRACER_MAX_PROGS);
	for (int i = 0; i < n; i++)
		ids[i] = ps[i].id;
	st_tracer_timeline_end(t);
	st_sampler_stop(&t->sampler);
	ring_buffer__free(t->rb);
	t->rb = NULL;
	stop_skel(t);
	wait_unloaded(ids, n);
	free(t->tl);
	free(t->buf);
	free(t);
}

static size_t stride(size_t size)
{
	return (size + 7) & ~(size_t)7;
}

/* Reads the per-CPU values; cs[] per possible CPU, c summed over CPUs. */
static int read_pcpu(struct st_tracer *t, struct st_cpu_state *cs, struct st_counters *c)
{
	__u32 zero = 0;
	size_t st = stride(sizeof(struct st_pcpu));

	if (bpf_map__lookup_elem(t->skel->maps.pcpu, &zero, sizeof(zero), t->buf, st * (size_t)t->nr_possible, 0))
		return -errno;
	memset(c, 0, sizeof(*c));
	for (int i = 0; i < t->nr_possible; i++) {
		const struct st_pcpu *v = (const void *)((char *)t->buf + st * (size_t)i);
		const struct st_counters *p = &v->c;

		cs[i] = v->cs;
		for (int k = 0; k < ST_NR_STATS; k++)
			c->stat[k] += p->stat[k];
		for (int h = 0; h < ST_NR_HISTS; h++)
			for (int sl = 0; sl < ST_HIST_SLOTS; sl++)
				c->hist[h][sl] += p->hist[h][sl];
	}
	return 0;
}

static int read_sys_table(struct st_tracer *t, struct st_sys_table *tab)
{
	__u32 zero = 0;
	size_t st = stride(sizeof(*tab));
	const size_t nfields = sizeof(*tab) / sizeof(__u64);

	if (bpf_map__lookup_elem(t->skel->maps.sys_table, &zero, sizeof(zero), t->buf,
				 st * (size_t)t->nr_possible, 0))
		return -errno;
	memset(tab, 0, sizeof(*tab));
	for (int i = 0; i < t->nr_possible; i++) {
		const __u64 *p = (const void *)((char *)t->buf + st * (size_t)i);
		__u64 *d = (__u64 *)tab;

		for (size_t k = 0; k < nfields; k++)
			d[k] += p[k];
	}
	return 0;
}

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + (__u64)ts.tv_nsec;
}

static bool traced_cpu_moved(const struct st_tracer *t, const struct st_cpu_state *a,
			     const struct st_cpu_state *b)
{
	for (int i = 0; i < t->nr_cpus; i++) {
		int c = t->cpus[i];

		if (c >= 0 && c < t->nr_possible && a[c].slice_ts != b[c].slice_ts)
			return true;
	}
	return false;
}

/*
 * Counters the kernel side does not keep because they are sums of others
 * (fewer stores on the hot path): see schedtrace.h.
 */
static void derive(struct st_snapshot *s)
{
	struct st_sys_stat *f = &s->t.sys[SYS_futex];

	s->c.stat[ST_SWITCH_OUT] = s->c.stat[ST_SWITCH_OUT_VOLUNTARY] + s->c.stat[ST_SWITCH_OUT_PREEMPTED];
	s->c.stat[ST_SYSCALLS] = s->c.stat[ST_EV_SYS_ENTER];
	for (int i = 0; i < ST_HIST_SLOTS; i++)
		s->c.hist[ST_HIST_RUNQ_WAIT][i] =
			s->c.hist[ST_HIST_RUNQ_WOKEN][i] + s->c.hist[ST_HIST_RUNQ_PREEMPTED][i];
	memset(f, 0, sizeof(*f));
	for (int cmd = 0; cmd < ST_FUTEX_OPS; cmd++) {
		f->count += s->t.futex[cmd].count;
		f->work_ns += s->t.futex[cmd].work_ns;
		f->sched_ns += s->t.futex[cmd].sched_ns;
		f->blocked += s->t.futex[cmd].blocked;
		f->blocked_ns += s->t.futex[cmd].blocked_ns;
	}
}

/* The window's maxima, the largest over CPUs; or, at a window's start, zeroed. */
static int maxes(struct st_tracer *t, struct st_maxes *out, bool zero)
{
	size_t st = stride(sizeof(struct st_maxes));
	__u32 key = 0;

	memset(out, 0, sizeof(*out));
	if (zero) {
		memset(t->buf, 0, st * (size_t)t->nr_possible);
		return bpf_map__update_elem(t->skel->maps.maxes, &key, sizeof(key), t->buf, st * (size_t)t->nr_possible,
					    0) ? -errno : 0;
	}
	if (bpf_map__lookup_elem(t->skel->maps.maxes, &key, sizeof(key), t->buf, st * (size_t)t->nr_possible, 0))
		return -errno;
	for (int i = 0; i < t->nr_possible; i++) {
		const struct st_maxes *m = (const void *)((char *)t->buf + st * (size_t)i);

		for (int k = 0; k < ST_NR_MAXES; k++)
			if (m->v[k] > out->v[k])
				out->v[k] = m->v[k];
	}
	return 0;
}

/* Every other task's time on the traced CPUs so far (the `others` map). */
static void read_others(struct st_tracer *t, struct st_snapshot *s)
{
	int fd = bpf_map__fd(t->skel->maps.others);
	__u32 key, next;
	bool first = true;

	s->nr_others = 0;
	s->collector_tgid = (__u32)getpid();
	while (s->nr_others < ST_MAX_OTHERS && bpf_map_get_next_key(fd, first ? NULL : &key, &next) == 0) {
		struct st_other_entry *e = &s->others[s->nr_others];

		first = false;
		key = next;
		if (bpf_map_lookup_elem(fd, &key, &e->t) == 0) {
			e->pid = key;
			s->nr_others++;
		}
	}
}

/*
 * An other task's slice still open at a snapshot: its time so far goes to
 * its entry (made, with its name from /proc, when the map had none yet).
 */
static void open_other_slice(struct st_snapshot *s, __u32 pid, __u64 ns)
{
	struct st_other_entry *e = NULL;
	char path[64];
	FILE *f;

	for (int i = 0; i < s->nr_others && !e; i++)
		if (s->others[i].pid == pid)
			e = &s->others[i];
	if (!e && s->nr_others < ST_MAX_OTHERS) {
		e = &s->others[s->nr_others++];
		memset(e, 0, sizeof(*e));
		e->pid = pid;
		e->t.tgid = pid;
		snprintf(path, sizeof(path), "/proc/%u/comm", pid);
		if ((f = fopen(path, "r"))) {
			if (fgets(e->t.comm, sizeof(e->t.comm), f))
				e->t.comm[strcspn(e->t.comm, "\n")] = '\0';
			fclose(f);
		}
	}
	if (e)
		e->t.ns += ns;
}

/* The parts of a snapshot that do not need to be taken at `now`. */
static int read_extras(struct st_tracer *t, struct st_snapshot *s)
{
	struct st_prog_stat ps[ST_TRACER_MAX_PROGS];
	int n, err;

	read_others(t, s);
	if ((err = read_sys_table(t, &s->t)))
		return err;
	n = st_tracer_prog_stats(t, ps, ST_TRACER_MAX_PROGS);
	s->c.stat[ST_LOST_RECURSION] = 0;
	for (int i = 0; i < n; i++)
		s->c.stat[ST_LOST_RECURSION] += ps[i].recursion_misses;
	return 0;
}

int st_tracer_snapshot_edge(struct st_tracer *t, struct st_snapshot *s, bool window_start)
{
	static struct st_cpu_state cs0[ST_MAX_CPUS], cs1[ST_MAX_CPUS];
	static struct st_counters spare;
	static struct st_snapshot extras;
	__u32 open_pid[ST_MAX_CPUS];
	__u64 open_ns[ST_MAX_CPUS];
	int err = 0, nr_open = 0;
	__u64 now = 0;

	if (t->nr_possible > ST_MAX_CPUS)
		return -E2BIG;
	/* what is not time-critical is read outside the window: before a start, after an end */
	if (window_start && ((err = read_extras(t, &extras)) || (err = maxes(t, &s->max, true))))
		return err;
	/*
	 * Counters and open slices, now, then the slices again: when no traced
	 * CPU crossed a boundary in between, the first read is consistent (a
	 * program running during the copy moves slice_ts).
	 */
	for (int tries = 0; tries < 8; tries++) {
		if ((err = read_pcpu(t, cs0, &s->c)))
			return err;
		now = now_ns();
		if ((err = read_pcpu(t, cs1, &spare)))
			return err;
		if (!traced_cpu_moved(t, cs0, cs1))
			break;
	}
	for (int i = 0; i < t->nr_cpus; i++) {
		int c = t->cpus[i];
		const struct st_cpu_state *x;
		__u64 open;

		if (c < 0 || c >= t->nr_possible)
			continue;
		x = &cs0[c];
		if (x->kind >= ST_NS_USER && x->kind <= ST_NS_IDLE && x->slice_ts &&
		    (__s64)(now - x->slice_ts) > x->clock_off) {
			open = (__u64)((__s64)(now - x->slice_ts) - x->clock_off);
			s->c.stat[x->kind] += open;
			if (x->kind == ST_NS_OTHER && x->other_pid && nr_open < ST_MAX_CPUS) {
				open_pid[nr_open] = x->other_pid;
				open_ns[nr_open++] = open;
			}
		}
	}
	s->taken_ns = now;
	/*
	 * At an end, the maxima right after the counters, the rest after them:
	 * read_extras takes hundreds of µs under ASan, and a wait that ended
	 * meanwhile was a maximum no counted wait had (a preempted wait of 251
	 * µs against rows and counters whose longest was 98 µs, in a check-asan).
	 */
	if (!window_start && ((err = maxes(t, &s->max, false)) || (err = read_extras(t, &extras))))
		return err;
	s->t = extras.t;
	s->nr_others = extras.nr_others;
	memcpy(s->others, extras.others, sizeof(s->others[0]) * (size_t)extras.nr_others);
	s->collector_tgid = extras.collector_tgid;
	for (int i = 0; i < nr_open; i++)
		open_other_slice(s, open_pid[i], open_ns[i]);
	derive(s);
	s->c.stat[ST_LOST_RECURSION] = extras.c.stat[ST_LOST_RECURSION];
	return 0;
}

int st_tracer_snapshot(struct st_tracer *t, struct st_snapshot *s)
{
	return st_tracer_snapshot_edge(t, s, false);
}

int st_tracer_prog_stats(struct st_tracer *t, struct st_prog_stat *ps, int max)
{
	struct prog_ref refs[ST_TRACER_MAX_PROGS];
	int n, out = 0;

	if (!t->skel)
		return 0;
	n = prog_refs(t->skel, refs);
	for (int i = 0; i < n && out < max; i++) {
		struct bpf_program *p = t->raw_tp ? refs[i].raw : refs[i].tp;
		struct bpf_prog_info info;
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(p);

		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(fd, &info, &len))
			continue;
		memset(&ps[out], 0, sizeof(ps[out]));
		snprintf(ps[out].name, sizeof(ps[out].name), "%s", bpf_program__name(p));
		ps[out].ev = refs[i].ev;
		ps[out].id = info.id;
		ps[out].run_cnt = info.run_cnt;
		ps[out].run_time_ns = info.run_time_ns;
		ps[out].recursion_misses = info.recursion_misses;
		out++;
	}
	return out;
}

void st_snapshot_dump(FILE *f, const struct st_snapshot *a, const struct st_snapshot *b)
{
	static const char *const names[ST_NR_STATS] = {
		[ST_SWITCH_OUT] = "switch_out", [ST_SWITCH_OUT_VOLUNTARY] = "switch_out_voluntary",
		[ST_SWITCH_OUT_PREEMPTED] = "switch_out_preempted", [ST_SWITCH_IN] = "switch_in",
		[ST_MIGRATIONS] = "migrations", [ST_MIGRATE_EVENTS] = "migrate_events", [ST_WAKEUPS] = "wakeups",
		[ST_WAKEUPS_CROSS_CPU] = "wakeups_cross_cpu", [ST_WAKEUPS_NEW] = "wakeups_new",
		[ST_THREADS_EXITED] = "threads_exited", [ST_SYSCALLS] = "syscalls",
		[ST_RUNQ_WOKEN_NS] = "runq_woken_ns", [ST_RUNQ_WOKEN_COUNT] = "runq_woken_count",
		[ST_RUNQ_PREEMPTED_NS] = "runq_preempted_ns", [ST_RUNQ_PREEMPTED_COUNT] = "runq_preempted_count",
		[ST_RUNQ_WAIT_UNTIMED] = "runq_wait_untimed", [ST_NS_USER] = "ns_user", [ST_NS_SYSCALL] = "ns_syscall",
		[ST_NS_SCHED] = "ns_sched", [ST_NS_RETURN] = "ns_return", [ST_NS_OTHER] = "ns_other",
		[ST_NS_IDLE] = "ns_idle", [ST_NS_ELSEWHERE] = "ns_elsewhere", [ST_SAMPLES_USER] = "samples_user",
		[ST_SAMPLES_KERNEL] = "samples_kernel", [ST_SAMPLES_OTHER] = "samples_other",
		[ST_SAMPLES_IDLE] = "samples_idle", [ST_EV_SWITCH] = "ev_switch", [ST_EV_WAKEUP] = "ev_waking",
		[ST_EV_MIGRATE] = "ev_migrate", [ST_EV_SYS_ENTER] = "ev_sys_enter", [ST_EV_SYS_EXIT] = "ev_sys_exit",
		[ST_EV_FORK_EXIT] = "ev_fork_exit", [ST_EV_WAKEUP_DONE] = "ev_wakeup", [ST_EV_SCHED_ENTRY] = "ev_sched_entry",
		[ST_EV_SCHED_EXIT] = "ev_sched_exit", [ST_EV_RSEQ] = "ev_rseq", [ST_EV_SAMPLE] = "ev_sample",
		[ST_LOST_STORAGE] = "lost_storage", [ST_LOST_MAP_UPDATE] = "lost_map_update",
		[ST_LOST_RINGBUF] = "lost_ringbuf", [ST_LOST_RECURSION] = "lost_recursion",
	};


	fprintf(f, "window %.0f ns\n", (double)(b->taken_ns - a->taken_ns));
	for (int i = 0; i < ST_NR_STATS; i++)
		fprintf(f, "  %-22s %llu\n", names[i] ? names[i] : "?",
			(unsigned long long)(b->c.stat[i] - a->c.stat[i]));
	for (int nr = 0; nr < ST_MAX_SYSCALLS + ST_FUTEX_OPS; nr++) {
		const struct st_sys_stat *x = nr < ST_MAX_SYSCALLS ? &a->t.sys[nr] : &a->t.futex[nr - ST_MAX_SYSCALLS];
		const struct st_sys_stat *y = nr < ST_MAX_SYSCALLS ? &b->t.sys[nr] : &b->t.futex[nr - ST_MAX_SYSCALLS];

		if (y->count == x->count)
			continue;
		fprintf(f, "  %s %-4d count %llu work %llu sched %llu blocked %llu blocked_ns %llu\n",
			nr < ST_MAX_SYSCALLS ? "sys" : "futex", nr < ST_MAX_SYSCALLS ? nr : nr - ST_MAX_SYSCALLS,
			(unsigned long long)(y->count - x->count), (unsigned long long)(y->work_ns - x->work_ns),
			(unsigned long long)(y->sched_ns - x->sched_ns),
			(unsigned long long)(y->blocked - x->blocked),
			(unsigned long long)(y->blocked_ns - x->blocked_ns));
	}
}
