// SPDX-License-Identifier: GPL-2.0
/*
 * test_json.c — the "schedtrace/1" writer and reader: round trips field by
 * field (one run and a compare set), every documented key present, doubles
 * and strings exact, and truncated, corrupted and foreign documents rejected
 * with a one-line reason.
 */
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "testutil.h"
#include "report_fixture.h"
#include "html.h"
#include "json_parse.h"
#include "json_read.h"
#include "json_schema.h"
#include "report.h"

/* runs[0..n) as a JSON document in a malloc'd buffer. */
static char *to_json(const struct st_run *runs, int n, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	assert_non_null(f);
	assert_int_equal(st_json_write(f, runs, n), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void assert_latency_equal(const struct st_latency *a, const struct st_latency *b)
{
	assert_int_equal(a->count, b->count);
	assert_true(a->mean_ns == b->mean_ns);
	assert_true(a->p50_ns == b->p50_ns);
	assert_true(a->p90_ns == b->p90_ns);
	assert_true(a->p99_ns == b->p99_ns);
	assert_true(a->max_ns == b->max_ns);
	assert_int_equal(a->max_exact, b->max_exact);
	assert_int_equal(a->untimed, b->untimed);
	for (int s = 0; s < ST_HIST_SLOTS; s++)
		assert_int_equal(a->hist[s], b->hist[s]);
}

static void assert_breakdown_equal(const struct st_breakdown *a, const struct st_breakdown *b)
{
	assert_int_equal(a->switches, b->switches);
	assert_int_equal(a->switches_from_kernel, b->switches_from_kernel);
	assert_true(a->window_ns == b->window_ns);
	assert_true(a->ns_per_switch == b->ns_per_switch);
	assert_int_equal(a->nr_cpus, b->nr_cpus);
	assert_true(a->user == b->user);
	assert_true(a->mode_switch == b->mode_switch);
	assert_true(a->syscall_work == b->syscall_work);
	assert_true(a->sched_work == b->sched_work);
	assert_true(a->return_path == b->return_path);
	assert_true(a->other_tasks == b->other_tasks);
	assert_true(a->idle == b->idle);
	assert_true(a->tracer == b->tracer);
	assert_true(a->unexplained == b->unexplained);
	assert_true(a->elsewhere == b->elsewhere);
	assert_true(a->corrected_ns_per_switch == b->corrected_ns_per_switch);
	assert_true(a->syscalls == b->syscalls);
	assert_true(a->kernel_switches == b->kernel_switches);
	assert_true(a->voluntary == b->voluntary);
	assert_true(a->involuntary == b->involuntary);
	assert_true(a->wakeups == b->wakeups);
	assert_true(a->cross_cpu_wakeups == b->cross_cpu_wakeups);
	assert_true(a->migrations == b->migrations);
	assert_int_equal(a->nr_sys_rows, b->nr_sys_rows);
	for (int i = 0; i < a->nr_sys_rows; i++) {
		const struct st_sys_row *x = &a->sys_rows[i], *y = &b->sys_rows[i];
		assert_string_equal(x->name, y->name);
		assert_string_equal(x->note, y->note);
		assert_true(x->calls == y->calls);
		assert_true(x->work_ns == y->work_ns);
		assert_true(x->sched_ns == y->sched_ns);
		assert_true(x->blocked == y->blocked);
		assert_true(x->blocked_ns == y->blocked_ns);
	}
	assert_latency_equal(&a->runq, &b->runq);
	assert_latency_equal(&a->runq_migrated, &b->runq_migrated);
	assert_latency_equal(&a->runq_local, &b->runq_local);
	assert_latency_equal(&a->syscall, &b->syscall);
	assert_latency_equal(&a->oncpu, &b->oncpu);
	assert_latency_equal(&a->runq_woken, &b->runq_woken);
	assert_latency_equal(&a->runq_preempted, &b->runq_preempted);
	assert_int_equal(a->samples.user, b->samples.user);
	assert_int_equal(a->samples.kernel, b->samples.kernel);
	assert_int_equal(a->samples.other, b->samples.other);
	assert_int_equal(a->samples.idle, b->samples.idle);
	assert_int_equal(a->nr_top_others, b->nr_top_others);
	for (int i = 0; i < a->nr_top_others; i++) {
		assert_string_equal(a->top_others[i].comm, b->top_others[i].comm);
		assert_int_equal(a->top_others[i].pid, b->top_others[i].pid);
		assert_true(a->top_others[i].ns == b->top_others[i].ns);
		assert_int_equal(a->top_others[i].collector, b->top_others[i].collector);
	}
	assert_int_equal(a->events, b->events);
	assert_int_equal(a->lost, b->lost);
	for (int i = 0; i < ST_LOST_KINDS; i++)
		assert_int_equal(a->lost_by_kind[i], b->lost_by_kind[i]);
}

static void assert_run_equal(const struct st_run *a, const struct st_run *b)
{
	const struct st_workload_result *x = &a->result, *y = &b->result;
	const struct st_calibration *c = &a->cal, *d = &b->cal;
	const struct st_machine *m = &a->machine, *n = &b->machine;

	assert_string_equal(a->workload, b->workload);
	assert_string_equal(a->cpus, b->cpus);
	assert_int_equal(a->traced, b->traced);
	assert_int_equal(a->complete, b->complete);
	assert_int_equal(a->sched_merged, b->sched_merged);
	assert_int_equal(a->return_merged, b->return_merged);
	assert_string_equal(a->sampling_error, b->sampling_error);

	assert_string_equal(x->name, y->name);
	assert_string_equal(x->switch_desc, y->switch_desc);
	assert_int_equal(x->iterations, y->iterations);
	assert_int_equal(x->nr_repeats, y->nr_repeats);
	assert_int_equal(x->repeats_planned, y->repeats_planned);
	for (int i = 0; i < x->nr_repeats; i++) {
		assert_int_equal(x->repeat[i].switches, y->repeat[i].switches);
		assert_int_equal(x->repeat[i].round_trips, y->repeat[i].round_trips);
		assert_int_equal(x->repeat[i].start_ns, y->repeat[i].start_ns);
		assert_int_equal(x->repeat[i].end_ns, y->repeat[i].end_ns);
		assert_true(x->repeat[i].ns_per_switch == y->repeat[i].ns_per_switch);
	}
	assert_int_equal(x->nr_tids, y->nr_tids);
	for (int i = 0; i < x->nr_tids; i++)
		assert_int_equal(x->tids[i], y->tids[i]);
	assert_int_equal(x->complete, y->complete);

	assert_int_equal(a->nr_repeats, b->nr_repeats);
	for (int i = 0; i < a->nr_repeats; i++)
		assert_breakdown_equal(&a->repeat[i], &b->repeat[i]);
	assert_breakdown_equal(&a->summary, &b->summary);

	assert_true(c->null_syscall_bare_ns == d->null_syscall_bare_ns);
	assert_true(c->null_syscall_traced_ns == d->null_syscall_traced_ns);
	assert_true(c->null_syscall_kernel_ns == d->null_syscall_kernel_ns);
	assert_true(c->mode_switch_ns == d->mode_switch_ns);
	assert_true(c->nowork_syscall_bare_ns == d->nowork_syscall_bare_ns);
	assert_true(c->nowork_syscall_traced_ns == d->nowork_syscall_traced_ns);
	assert_true(c->syscall_probe_in_ns == d->syscall_probe_in_ns);
	assert_true(c->nowork_syscall_run_ns == d->nowork_syscall_run_ns);
	assert_true(c->run_drift == d->run_drift);
	for (int i = ST_EV_FIRST; i <= ST_EV_LAST; i++)
		assert_true(c->probe_ns[i] == d->probe_ns[i]);
	assert_int_equal(c->measured_at, d->measured_at);
	assert_string_equal(c->kernel, d->kernel);
	assert_string_equal(c->boot_id, d->boot_id);
	assert_int_equal(c->from_cache, d->from_cache);

	assert_string_equal(m->kernel, n->kernel);
	assert_string_equal(m->kernel_version, n->kernel_version);
	assert_string_equal(m->arch, n->arch);
	assert_string_equal(m->cpu_model, n->cpu_model);
	assert_int_equal(m->nr_cpus_online, n->nr_cpus_online);
	assert_string_equal(m->virtualization, n->virtualization);
	assert_string_equal(m->clocksource, n->clocksource);
	assert_string_equal(m->mitigations, n->mitigations);
	assert_string_equal(m->hostname, n->hostname);
	assert_string_equal(m->date, n->date);

	/* and nothing the list above forgot: the fixture zeroes padding and string tails */
	assert_memory_equal(a, b, sizeof(*a));
}

static void round_trip(const struct st_run *runs, int n)
{
	size_t len;
	char *buf = to_json(runs, n, &len), err[256];
	struct st_run *back;
	int got;

	if (st_json_read(buf, len, &back, &got, err, sizeof(err)))
		fail_msg("read back: %s", err);
	assert_int_equal(got, n);
	for (int i = 0; i < n; i++)
		assert_run_equal(&runs[i], &back[i]);
	free(back);
	free(buf);
}

static void test_round_trip_one_run(void **state)
{
	struct st_run *r = fx_new_runs(1);

	(void)state;
	fx_run(r, "pthread", "0", 5, 5612.3);
	round_trip(r, 1);
	free(r);
}

static void test_round_trip_compare_set(void **state)
{
	struct st_run *r = fx_new_runs(4);

	(void)state;
	fx_run(&r[0], "coro-yield", "0", 3, 41.7);
	fx_run(&r[1], "pthread", "0", ST_MAX_REPEATS, 5612.3);
	fx_run(&r[2], "pthread", "0,1", 1, 7012.9);
	fx_run(&r[3], "futex", "0", 0, 3000); /* no repeats: an interrupted run */
	r[3].complete = false;
	r[3].result.complete = false;
	r[3].traced = false;
	r[3].summary.nr_sys_rows = 0;
	memset(r[3].summary.sys_rows, 0, sizeof(r[3].summary.sys_rows));
	round_trip(r, 4);
	free(r);
}

static void test_round_trip_extreme_doubles(void **state)
{
	struct st_run *r = fx_new_runs(1), *back;
	const double v[] = { 0.1, 1e-300, DBL_MAX, 4.9406564584124654e-324, -0.0, -1.5, 1e21, 123456789.00000001 };
	size_t len;
	char *buf, err[256];
	int n;

	(void)state;
	fx_run(r, "pthread", "0", 1, 1000);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		r->summary.user = v[i];
		round_trip(r, 1);
	}
	r->summary.user = -0.0;
	buf = to_json(r, 1, &len);
	assert_int_equal(st_json_read(buf, len, &back, &n, err, sizeof(err)), 0);
	assert_true(signbit(back->summary.user)); /* -0 stays -0 */
	free(back);
	free(buf);

	/* NaN and infinities have no JSON form: written as null, read back as NaN */
	r->summary.idle = NAN;
	r->summary.tracer = INFINITY;
	buf = to_json(r, 1, &len);
	assert_non_null(strstr(buf, "\"idle\": null"));
	assert_int_equal(st_json_read(buf, len, &back, &n, err, sizeof(err)), 0);
	assert_true(isnan(back->summary.idle));
	assert_true(isnan(back->summary.tracer));
	free(back);
	free(buf);
	free(r);
}

static void test_strings_escaped(void **state)
{
	struct st_run *r = fx_new_runs(1), *back;
	size_t len;
	char *buf, err[256];
	int n;

	(void)state;
	fx_run(r, "pthread", "0", 1, 1000);
	snprintf(r->machine.cpu_model, ST_TEXT_LEN, "q\" b\\ nl\n cr\r tab\t ctl\x1f del\x7f \xe2\x82\xac \xf0\x9f\x98\x80");
	round_trip(r, 1);

	/* invalid UTF-8 cannot be JSON: it becomes U+FFFD and the document stays valid */
	snprintf(r->machine.hostname, ST_NAME_LEN, "bad\xff\xc3");
	buf = to_json(r, 1, &len);
	assert_non_null(strstr(buf, "\"bad\\ufffd\\ufffd\""));
	assert_int_equal(st_json_read(buf, len, &back, &n, err, sizeof(err)), 0);
	assert_string_equal(back->machine.hostname, "bad\xef\xbf\xbd\xef\xbf\xbd");
	free(back);
	free(buf);
	free(r);
}

/*
 * Every key of docs/json-schema.md, spelled out here (not taken from the
 * writer's tables) so a renamed or dropped key fails this test.
 */
static const char *const top_keys[] = { "schema", "generator", "histogram", "runs", NULL };
static const char *const histogram_keys[] = { "kind", "sub_buckets", "slots", "unit", NULL };
static const char *const run_keys[] = { "workload", "cpus", "traced", "complete", "result", "summary",
					"repeats", "calibration", "machine", NULL };
static const char *const result_keys[] = { "name", "switch", "iterations", "repeats_planned", "complete",
					   "tids", "repeats", NULL };
static const char *const repeat_result_keys[] = { "switches", "round_trips", "start_ns", "end_ns",
						  "ns_per_switch", NULL };
static const char *const breakdown_keys[] = { "switches", "switches_from_kernel", "window_ns", "ns_per_switch",
					      "nr_cpus", "elsewhere_ns", "corrected_ns_per_switch", "events",
					      "lost", "cpu_time_ns", "per_switch", "lost_by_kind", "syscalls",
					      "latency", "samples", "interference", NULL };
static const char *const cpu_time_keys[] = { "user", "mode_switch", "sched_work", "syscall_work", "return_path",
					     "other_tasks", "idle", "tracer", "unexplained", NULL };
static const char *const samples_keys[] = { "user", "kernel", "other", "idle", NULL };
static const char *const per_switch_keys[] = { "syscalls", "kernel_switches", "voluntary", "involuntary",
					       "wakeups", "cross_cpu_wakeups", "migrations", NULL };
static const char *const lost_keys[] = { "storage", "map_update", "ringbuf", "recursion", NULL };
static const char *const sys_row_keys[] = { "name", "note", "calls", "work_ns", "sched_ns", "blocked",
					    "blocked_ns", NULL };
static const char *const latency_names[] = { "runq", "runq_woken", "runq_preempted", "runq_migrated", "runq_local",
					     "syscall", "oncpu", NULL };
static const char *const latency_keys[] = { "count", "mean_ns", "p50_ns", "p90_ns", "p99_ns", "max_ns", "max_exact",
					    "hist", NULL };
static const char *const hist_keys[] = { "slot", "lo_ns", "count", NULL };
static const char *const calibration_keys[] = { "nowork_syscall_bare_ns", "nowork_syscall_traced_ns",
						"syscall_probe_in_ns", "nowork_syscall_run_ns", "run_drift",
						"null_syscall_bare_ns", "null_syscall_traced_ns",
						"null_syscall_kernel_ns", "mode_switch_ns", "measured_at", "kernel",
						"boot_id", "from_cache", "probe_ns", NULL };
static const char *const probe_keys[] = { "switch", "wakeup", "migrate", "sys_enter", "sys_exit", "fork_exit",
					  "wakeup_done", "sched_entry", "sched_exit", "rseq", NULL };
static const char *const machine_keys[] = { "kernel", "kernel_version", "arch", "cpu_model", "nr_cpus_online",
					    "virtualization", "clocksource", "mitigations", "hostname", "date", NULL };

static const struct st_json *has_keys(const struct st_json_doc *d, const struct st_json *obj,
				      const char *const *keys, const char *where)
{
	assert_non_null(obj);
	assert_int_equal(obj->type, ST_JSON_OBJECT);
	for (int i = 0; keys[i]; i++)
		if (!st_json_get(d, obj, keys[i]))
			fail_msg("%s: no \"%s\"", where, keys[i]);
	return obj;
}

static void breakdown_has_keys(const struct st_json_doc *d, const struct st_json *b)
{
	const struct st_json *lat, *rows;

	has_keys(d, b, breakdown_keys, "breakdown");
	has_keys(d, st_json_get(d, b, "cpu_time_ns"), cpu_time_keys, "cpu_time_ns");
	has_keys(d, st_json_get(d, b, "per_switch"), per_switch_keys, "per_switch");
	has_keys(d, st_json_get(d, b, "lost_by_kind"), lost_keys, "lost_by_kind");
	has_keys(d, st_json_get(d, b, "samples"), samples_keys, "samples");
	/* the keys schedtrace/2 replaced are gone */
	assert_null(st_json_get(d, st_json_get(d, b, "cpu_time_ns"), "switch_path"));
	rows = st_json_get(d, b, "syscalls");
	assert_true(rows->len > 0);
	for (uint32_t i = 0; i < rows->len; i++)
		has_keys(d, st_json_at(d, rows, i), sys_row_keys, "syscalls[]");
	lat = st_json_get(d, b, "latency");
	for (int i = 0; latency_names[i]; i++) {
		const struct st_json *l = has_keys(d, st_json_get(d, lat, latency_names[i]), latency_keys, latency_names[i]);
		const struct st_json *h = st_json_get(d, l, "hist");
		assert_true(h->len > 0);
		for (uint32_t k = 0; k < h->len; k++)
			has_keys(d, st_json_at(d, h, k), hist_keys, "hist[]");
	}
}

static void test_every_schema_field_present(void **state)
{
	struct st_run *r = fx_new_runs(2);
	size_t len;
	char *buf, err[200];
	struct st_json_doc *d;
	const struct st_json *root, *runs;

	(void)state;
	fx_run(&r[0], "pthread", "0", 2, 5000);
	fx_run(&r[1], "coro-yield", "0", 2, 40);
	buf = to_json(r, 2, &len);
	d = st_json_parse(buf, len, err, sizeof(err));
	assert_non_null(d);
	root = has_keys(d, st_json_root(d), top_keys, "top");
	assert_string_equal(st_json_str(d, st_json_get(d, root, "schema")), "schedtrace/2");
	has_keys(d, st_json_get(d, root, "histogram"), histogram_keys, "histogram");
	runs = st_json_get(d, root, "runs");
	assert_int_equal(runs->len, 2);
	for (uint32_t i = 0; i < runs->len; i++) {
		const struct st_json *run = has_keys(d, st_json_at(d, runs, i), run_keys, "run");
		const struct st_json *res = has_keys(d, st_json_get(d, run, "result"), result_keys, "result");
		const struct st_json *reps = st_json_get(d, res, "repeats"), *cal;

		for (uint32_t k = 0; k < reps->len; k++)
			has_keys(d, st_json_at(d, reps, k), repeat_result_keys, "result.repeats[]");
		breakdown_has_keys(d, st_json_get(d, run, "summary"));
		reps = st_json_get(d, run, "repeats");
		assert_int_equal(reps->len, 2);
		for (uint32_t k = 0; k < reps->len; k++)
			breakdown_has_keys(d, st_json_at(d, reps, k));
		cal = has_keys(d, st_json_get(d, run, "calibration"), calibration_keys, "calibration");
		has_keys(d, st_json_get(d, cal, "probe_ns"), probe_keys, "probe_ns");
		has_keys(d, st_json_get(d, run, "machine"), machine_keys, "machine");
	}
	st_json_free(d);
	free(buf);
	free(r);
}

/*
 * Each key holds its own field. The writer and the reader share one table,
 * so a round trip cannot see two keys swapped there: the document is read
 * here with the generic parser instead, key by key, against the fields
 * (written), and the reader against the generic parser (read).
 */
static const struct key_field {
	const char *group, *key; /* group NULL: a member of the breakdown itself */
	size_t off;		 /* of a double in struct st_breakdown */
} breakdown_doubles[] = {
	{ NULL, "window_ns", offsetof(struct st_breakdown, window_ns) },
	{ NULL, "ns_per_switch", offsetof(struct st_breakdown, ns_per_switch) },
	{ NULL, "elsewhere_ns", offsetof(struct st_breakdown, elsewhere) },
	{ NULL, "corrected_ns_per_switch", offsetof(struct st_breakdown, corrected_ns_per_switch) },
	{ "cpu_time_ns", "user", offsetof(struct st_breakdown, user) },
	{ "cpu_time_ns", "mode_switch", offsetof(struct st_breakdown, mode_switch) },
	{ "cpu_time_ns", "sched_work", offsetof(struct st_breakdown, sched_work) },
	{ "cpu_time_ns", "syscall_work", offsetof(struct st_breakdown, syscall_work) },
	{ "cpu_time_ns", "return_path", offsetof(struct st_breakdown, return_path) },
	{ "cpu_time_ns", "other_tasks", offsetof(struct st_breakdown, other_tasks) },
	{ "cpu_time_ns", "idle", offsetof(struct st_breakdown, idle) },
	{ "cpu_time_ns", "tracer", offsetof(struct st_breakdown, tracer) },
	{ "cpu_time_ns", "unexplained", offsetof(struct st_breakdown, unexplained) },
	{ "per_switch", "syscalls", offsetof(struct st_breakdown, syscalls) },
	{ "per_switch", "kernel_switches", offsetof(struct st_breakdown, kernel_switches) },
	{ "per_switch", "voluntary", offsetof(struct st_breakdown, voluntary) },
	{ "per_switch", "involuntary", offsetof(struct st_breakdown, involuntary) },
	{ "per_switch", "wakeups", offsetof(struct st_breakdown, wakeups) },
	{ "per_switch", "cross_cpu_wakeups", offsetof(struct st_breakdown, cross_cpu_wakeups) },
	{ "per_switch", "migrations", offsetof(struct st_breakdown, migrations) },
	{ "runq", "max_ns", offsetof(struct st_breakdown, runq.max_ns) },
	{ "runq", "p50_ns", offsetof(struct st_breakdown, runq.p50_ns) },
	{ "runq_woken", "mean_ns", offsetof(struct st_breakdown, runq_woken.mean_ns) },
	{ "runq_preempted", "p90_ns", offsetof(struct st_breakdown, runq_preempted.p90_ns) },
	{ "runq_migrated", "p99_ns", offsetof(struct st_breakdown, runq_migrated.p99_ns) },
	{ "runq_local", "max_ns", offsetof(struct st_breakdown, runq_local.max_ns) },
	{ "syscall", "p50_ns", offsetof(struct st_breakdown, syscall.p50_ns) },
	{ "oncpu", "mean_ns", offsetof(struct st_breakdown, oncpu.mean_ns) },
}, breakdown_u64s[] = {
	{ NULL, "switches", offsetof(struct st_breakdown, switches) },
	{ NULL, "events", offsetof(struct st_breakdown, events) },
	{ NULL, "lost", offsetof(struct st_breakdown, lost) },
	{ "lost_by_kind", "storage", offsetof(struct st_breakdown, lost_by_kind[0]) },
	{ "lost_by_kind", "map_update", offsetof(struct st_breakdown, lost_by_kind[1]) },
	{ "lost_by_kind", "ringbuf", offsetof(struct st_breakdown, lost_by_kind[2]) },
	{ "lost_by_kind", "recursion", offsetof(struct st_breakdown, lost_by_kind[3]) },
	{ "samples", "user", offsetof(struct st_breakdown, samples.user) },
	{ "samples", "kernel", offsetof(struct st_breakdown, samples.kernel) },
	{ "samples", "other", offsetof(struct st_breakdown, samples.other) },
	{ "samples", "idle", offsetof(struct st_breakdown, samples.idle) },
	{ "runq", "count", offsetof(struct st_breakdown, runq.count) },
	{ "runq_woken", "count", offsetof(struct st_breakdown, runq_woken.count) },
	{ "runq_preempted", "count", offsetof(struct st_breakdown, runq_preempted.count) },
};

/* The number under [group.]key of breakdown object b (a latency's group is under "latency"). */
static const struct st_json *key_number(const struct st_json_doc *d, const struct st_json *b,
					const struct key_field *k)
{
	const struct st_json *g = b, *v;

	if (k->group) {
		g = st_json_get(d, b, k->group);
		if (!g)
			g = st_json_get(d, st_json_get(d, b, "latency"), k->group);
	}
	v = st_json_get(d, g, k->key);
	if (!v || v->type != ST_JSON_NUMBER)
		fail_msg("no number at %s.%s", k->group ? k->group : "", k->key);
	return v;
}

static void check_keys(const struct st_json_doc *d, const struct st_json *obj, const struct st_breakdown *b)
{
	for (size_t i = 0; i < sizeof(breakdown_doubles) / sizeof(breakdown_doubles[0]); i++) {
		const struct key_field *k = &breakdown_doubles[i];
		double want = *(const double *)((const char *)b + k->off);

		if (key_number(d, obj, k)->num != want)
			fail_msg("%s.%s is %.17g in the document, %.17g in the run", k->group ? k->group : "", k->key,
				 key_number(d, obj, k)->num, want);
	}
	for (size_t i = 0; i < sizeof(breakdown_u64s) / sizeof(breakdown_u64s[0]); i++) {
		const struct key_field *k = &breakdown_u64s[i];
		uint64_t got, want = *(const __u64 *)((const char *)b + k->off);

		assert_true(st_json_u64(d, key_number(d, obj, k), &got));
		if (got != want)
			fail_msg("%s.%s is %llu in the document, %llu in the run", k->group ? k->group : "", k->key,
				 (unsigned long long)got, (unsigned long long)want);
	}
}

static void test_keys_hold_their_fields(void **state)
{
	struct st_run *r = fx_new_runs(1), *back;
	struct st_json_doc *d;
	const struct st_json *run;
	size_t len;
	char *buf, err[256];
	int n;

	(void)state;
	/* written: the fixture's fields under their keys */
	fx_run(r, "pthread", "0", 2, 5000);
	buf = to_json(r, 1, &len);
	d = st_json_parse(buf, len, err, sizeof(err));
	assert_non_null(d);
	run = st_json_at(d, st_json_get(d, st_json_root(d), "runs"), 0);
	check_keys(d, st_json_get(d, run, "summary"), &r->summary);
	check_keys(d, st_json_at(d, st_json_get(d, run, "repeats"), 1), &r->repeat[1]);
	st_json_free(d);
	free(buf);

	/* read: a document written by hand (an older version's), each key into its field */
	free(r);
	assert_int_equal(st_json_read_file("tests/fuzz/corpus/valid-full-one-repeat.json", &back, &n, err,
					   sizeof(err)), 0);
	{
		FILE *f = fopen("tests/fuzz/corpus/valid-full-one-repeat.json", "r");
		static char text[1 << 20];

		assert_non_null(f);
		len = fread(text, 1, sizeof(text), f);
		fclose(f);
		d = st_json_parse(text, len, err, sizeof(err));
		assert_non_null(d);
	}
	run = st_json_at(d, st_json_get(d, st_json_root(d), "runs"), 0);
	for (size_t i = 0; i < sizeof(breakdown_doubles) / sizeof(breakdown_doubles[0]); i++) {
		const struct key_field *k = &breakdown_doubles[i];
		const struct st_json *g = st_json_get(d, run, "summary");

		/* schedtrace/1 had no sched_work or return_path: those are checked written only */
		if (k->group && (!strcmp(k->key, "sched_work") || !strcmp(k->key, "return_path")))
			continue;
		if (k->group && !st_json_get(d, g, k->group) &&
		    !st_json_get(d, st_json_get(d, g, "latency"), k->group))
			continue;
		if (key_number(d, g, k)->num != *(const double *)((const char *)&back->summary + k->off))
			fail_msg("read %s.%s: %.17g, the document says %.17g", k->group ? k->group : "", k->key,
				 *(const double *)((const char *)&back->summary + k->off), key_number(d, g, k)->num);
	}
	st_json_free(d);
	free(back);
}

/* The reader must fail with one line of reason, not crash or accept. */
static void assert_rejected(const char *text, size_t len, const char *expect)
{
	struct st_run *runs = (void *)1;
	char err[256] = "";
	int n = -1;

	if (st_json_read(text, len, &runs, &n, err, sizeof(err)) == 0)
		fail_msg("accepted: %.*s", (int)(len < 80 ? len : 80), text);
	assert_null(runs);
	assert_int_equal(n, 0);
	assert_true(err[0] != '\0');
	assert_null(strchr(err, '\n'));
	if (expect && !strstr(err, expect))
		fail_msg("for %.60s: expected \"%s\" in \"%s\"", text, expect, err);
}

static void test_truncated_rejected(void **state)
{
	struct st_run *r = fx_new_runs(1);
	size_t len;
	char *buf;

	(void)state;
	fx_run(r, "pthread", "0", 2, 5000);
	buf = to_json(r, 1, &len);
	/* every cut of the first and last few kB, then a stride through the middle;
	 * the document ends in "}\n", so the cut before the newline is complete */
	assert_int_equal(buf[len - 1], '\n');
	for (size_t cut = 0; cut < len - 1; cut += (cut < 4096 || cut > len - 4096) ? 1 : 97) {
		char *copy = malloc(cut ? cut : 1); /* exact size: ASan sees any overread */
		memcpy(copy, buf, cut);
		assert_rejected(copy, cut, NULL);
		free(copy);
	}
	assert_rejected(buf, 0, "empty");
	assert_rejected(buf, len / 2, "cut short");
	free(buf);
	free(r);
}

/*
 * An RFC 8259 checker of its own for the corruption test, apart from the
 * reader: what it rejects the reader must reject. It also splits a valid
 * document into tokens, strings decoded and numbers as text, to compare two
 * documents by what they say rather than by their spacing.
 */
struct tok {
	char kind; /* '{' '}' '[' ']' ':' ',' 's' string, 'n' number, 't' 'f' 'z' (true, false, null) */
	size_t at; /* offset of the token in the text */
	char text[512]; /* a string decoded (to UTF-8), a number as written */
};

struct jlex {
	const unsigned char *s;
	size_t len, i;
	struct tok *toks; /* NULL: only check */
	size_t ntoks, max;
};

static void put_utf8(char *out, size_t *n, size_t cap, unsigned cp)
{
	unsigned char b[4];
	int k = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;

	if (k == 1)
		b[0] = (unsigned char)cp;
	else if (k == 2)
		b[0] = (unsigned char)(0xc0 | cp >> 6), b[1] = (unsigned char)(0x80 | (cp & 0x3f));
	else if (k == 3)
		b[0] = (unsigned char)(0xe0 | cp >> 12), b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f)),
		b[2] = (unsigned char)(0x80 | (cp & 0x3f));
	else
		b[0] = (unsigned char)(0xf0 | cp >> 18), b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f)),
		b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f)), b[3] = (unsigned char)(0x80 | (cp & 0x3f));
	for (int j = 0; j < k && *n + 1 < cap; j++)
		out[(*n)++] = (char)b[j];
}

static struct tok *jtok(struct jlex *l, char kind, size_t at)
{
	static struct tok scratch;
	struct tok *t = l->toks && l->ntoks < l->max ? &l->toks[l->ntoks++] : &scratch;

	t->kind = kind;
	t->at = at;
	t->text[0] = '\0';
	return t;
}

static void jws(struct jlex *l)
{
	while (l->i < l->len && strchr(" \t\r\n", l->s[l->i]) && l->s[l->i])
		l->i++;
}

static int jhex(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* \uXXXX at l->i (after the backslash and 'u'); -1 when malformed */
static long ju4(struct jlex *l)
{
	long v = 0;

	if (l->i + 4 > l->len)
		return -1;
	for (int k = 0; k < 4; k++) {
		int h = jhex(l->s[l->i + k]);

		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	l->i += 4;
	return v;
}

static bool jstring(struct jlex *l)
{
	struct tok *t = jtok(l, 's', l->i);
	size_t n = 0;

	l->i++; /* the opening quote */
	while (l->i < l->len) {
		unsigned c = l->s[l->i];

		if (c == '"') {
			l->i++;
			t->text[n] = '\0';
			return true;
		}
		if (c < 0x20)
			return false;
		if (c == '\\') {
			const char *esc = "\"\\/bfnrt", *dec = "\"\\/\b\f\n\r\t";
			long cp;

			if (++l->i >= l->len)
				return false;
			c = l->s[l->i++];
			if (c != 'u') {
				const char *e = strchr(esc, (int)c);

				if (!e || !c)
					return false;
				put_utf8(t->text, &n, sizeof(t->text), (unsigned char)dec[e - esc]);
				continue;
			}
			if ((cp = ju4(l)) < 0)
				return false;
			/* a surrogate pair is one code point; a lone surrogate is grammatical, kept as is */
			if (cp >= 0xd800 && cp < 0xdc00 && l->i + 6 <= l->len && l->s[l->i] == '\\' && l->s[l->i + 1] == 'u') {
				size_t save = l->i;
				long lo;

				l->i += 2;
				lo = ju4(l);
				if (lo >= 0xdc00 && lo < 0xe000)
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				else
					l->i = save;
			}
			put_utf8(t->text, &n, sizeof(t->text), (unsigned)cp);
			continue;
		}
		if (c < 0x80) {
			if (n + 1 < sizeof(t->text))
				t->text[n++] = (char)c;
			l->i++;
			continue;
		}
		{
			/* UTF-8: the length from the lead byte, no overlong form, no surrogate, up to U+10FFFF */
			int k = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
			unsigned cp = k == 2 ? c & 0x1f : k == 3 ? c & 0x0f : c & 0x07;

			if (!k || l->i + (size_t)k > l->len)
				return false;
			for (int j = 1; j < k; j++) {
				if ((l->s[l->i + j] & 0xc0) != 0x80)
					return false;
				cp = cp << 6 | (l->s[l->i + j] & 0x3f);
			}
			if ((k == 3 && (cp < 0x800 || (cp >= 0xd800 && cp < 0xe000))) || (k == 4 && (cp < 0x10000 || cp > 0x10ffff)))
				return false;
			for (int j = 0; j < k; j++)
				if (n + 1 < sizeof(t->text))
					t->text[n++] = (char)l->s[l->i + j];
			l->i += (size_t)k;
		}
	}
	return false;
}

static bool jdigits(struct jlex *l)
{
	size_t from = l->i;

	while (l->i < l->len && l->s[l->i] >= '0' && l->s[l->i] <= '9')
		l->i++;
	return l->i > from;
}

static bool jnumber(struct jlex *l)
{
	struct tok *t = jtok(l, 'n', l->i);
	size_t from = l->i;

	if (l->s[l->i] == '-')
		l->i++;
	if (l->i < l->len && l->s[l->i] == '0')
		l->i++;
	else if (!jdigits(l))
		return false;
	if (l->i < l->len && l->s[l->i] == '.') {
		l->i++;
		if (!jdigits(l))
			return false;
	}
	if (l->i < l->len && (l->s[l->i] == 'e' || l->s[l->i] == 'E')) {
		l->i++;
		if (l->i < l->len && (l->s[l->i] == '+' || l->s[l->i] == '-'))
			l->i++;
		if (!jdigits(l))
			return false;
	}
	snprintf(t->text, sizeof(t->text), "%.*s", (int)(l->i - from), (const char *)l->s + from);
	return true;
}

static bool jvalue(struct jlex *l, int depth);

static bool jcontainer(struct jlex *l, int depth, char open, char close)
{
	jtok(l, open, l->i);
	l->i++;
	if (depth > 64)
		return false;
	jws(l);
	if (l->i < l->len && l->s[l->i] == close) {
		jtok(l, close, l->i++);
		return true;
	}
	for (;;) {
		jws(l);
		if (open == '{') {
			if (l->i >= l->len || l->s[l->i] != '"' || !jstring(l))
				return false;
			jws(l);
			if (l->i >= l->len || l->s[l->i] != ':')
				return false;
			jtok(l, ':', l->i++);
		}
		if (!jvalue(l, depth + 1))
			return false;
		jws(l);
		if (l->i >= l->len)
			return false;
		if (l->s[l->i] == close) {
			jtok(l, close, l->i++);
			return true;
		}
		if (l->s[l->i] != ',')
			return false;
		jtok(l, ',', l->i++);
	}
}

static bool jvalue(struct jlex *l, int depth)
{
	static const struct {
		const char *word;
		char kind;
	} words[] = { { "true", 't' }, { "false", 'f' }, { "null", 'z' } };
	unsigned char c;

	jws(l);
	if (l->i >= l->len)
		return false;
	c = l->s[l->i];
	if (c == '{')
		return jcontainer(l, depth, '{', '}');
	if (c == '[')
		return jcontainer(l, depth, '[', ']');
	if (c == '"')
		return jstring(l);
	if (c == '-' || (c >= '0' && c <= '9'))
		return jnumber(l);
	for (size_t k = 0; k < 3; k++) {
		size_t wl = strlen(words[k].word);

		if (l->i + wl <= l->len && !memcmp(l->s + l->i, words[k].word, wl)) {
			jtok(l, words[k].kind, l->i);
			l->i += wl;
			return true;
		}
	}
	return false;
}

/* Is text[0..len) one JSON value (RFC 8259)? With toks, its tokens too (*ntoks of them). */
static bool json_valid(const char *text, size_t len, struct tok *toks, size_t max, size_t *ntoks)
{
	struct jlex l = { .s = (const unsigned char *)text, .len = len, .toks = toks, .max = max };
	bool ok = jvalue(&l, 0);

	jws(&l);
	if (ntoks)
		*ntoks = l.ntoks;
	return ok && l.i == len && (!toks || l.ntoks < max);
}

/* Two numbers as written say the same: integers exactly, others as doubles. */
static bool same_number(const char *a, const char *b)
{
	if (!strpbrk(a, ".eE-") && !strpbrk(b, ".eE-"))
		return strtoull(a, NULL, 10) == strtoull(b, NULL, 10);
	return strtod(a, NULL) == strtod(b, NULL);
}

/*
 * Bytes flipped across a document, one at a time. What the checker above
 * finds is no JSON at all must be rejected with one line of reason. A
 * flip that leaves JSON may be rejected (a wrong type, a range, a schema)
 * or read, but what is read must be what the document says: written again,
 * it gives the same tokens (numbers by value), except where a key itself
 * was changed (an unknown member is ignored, and the field it named is
 * missing).
 */
struct corrupt_counts {
	size_t rejected_syntax, rejected_other, read;
};

/* buf[i] = junk: rejected with a reason when no JSON; when read, read exactly (see below). */
static void corrupt_one(char *buf, size_t len, size_t i, char junk, struct corrupt_counts *c)
{
	static struct tok want[1 << 16], got[1 << 16];
	char saved = buf[i], err[256];
	struct st_run *back;
	size_t nw, ng;
	bool valid;
	int n;

	if (junk == saved)
		return;
	buf[i] = junk;
	valid = json_valid(buf, len, want, sizeof(want) / sizeof(want[0]), &nw);
	err[0] = '\0';
	if (st_json_read(buf, len, &back, &n, err, sizeof(err)) != 0) {
		if (!err[0] || strchr(err, '\n'))
			fail_msg("flip at %zu rejected without a one-line reason: \"%s\"", i, err);
		valid ? c->rejected_other++ : c->rejected_syntax++;
	} else {
		size_t blen;
		char *again;
		bool unkept = false;

		if (!valid)
			fail_msg("flip at %zu ('%c' for '%c') is no JSON, but the reader accepted it: ...%.40s...", i, junk,
				 saved, buf + (i > 20 ? i - 20 : 0));
		assert_int_equal(n, 1);
		again = to_json(back, n, &blen);
		assert_true(json_valid(again, blen, got, sizeof(got) / sizeof(got[0]), &ng));
		/*
		 * The flip inside a key: the member it named is gone, its field
		 * left as it was. Inside the value of a member the reader does
		 * not keep ("generator" says who wrote the file): read as it was.
		 */
		for (size_t k = 0; k + 1 < nw; k++) {
			if (want[k].kind == 's' && want[k + 1].kind == ':' && want[k].at <= i && i < want[k + 1].at)
				unkept = true;
			if (k >= 2 && want[k - 1].kind == ':' && !strcmp(want[k - 2].text, "generator") &&
			    want[k].at <= i && i < want[k + 1].at)
				unkept = true;
		}
		if (!unkept) {
			if (ng != nw)
				fail_msg("flip at %zu: read and written again, %zu tokens for %zu", i, ng, nw);
			for (size_t k = 0; k < nw; k++)
				if (want[k].kind != got[k].kind || (want[k].kind == 's' && strcmp(want[k].text, got[k].text)) ||
				    (want[k].kind == 'n' && !same_number(want[k].text, got[k].text)))
					fail_msg("flip at %zu: the document says %c \"%s\", the reader read %c \"%s\"", i,
						 want[k].kind, want[k].text, got[k].kind, got[k].text);
		}
		c->read++;
		free(again);
		free(back);
	}
	buf[i] = saved;
}

/*
 * Bytes flipped across a document, one at a time. What the checker above
 * finds is no JSON at all must be rejected with one line of reason. A
 * flip that leaves JSON may be rejected (a wrong type, a range, a schema)
 * or read, but what is read must be what the document says: written again,
 * it gives the same tokens (numbers by value), except where a key itself
 * was changed (an unknown member is ignored, and the field it named is
 * missing).
 */
static void test_corrupt_rejected_or_read_exactly(void **state)
{
	static const char junk[] = { '\0', '"', '{', ']', ',', '-', 'x', '\xff', '9', ' ' };
	struct corrupt_counts c = { 0 };
	struct st_run *r = fx_new_runs(1);
	size_t len;
	char *buf;

	(void)state;
	fx_run(r, "pthread", "0", 1, 5000);
	buf = to_json(r, 1, &len);
	assert_true(json_valid(buf, len, NULL, 0, NULL));
	/* every 7th byte, with one of the junk bytes in turn */
	for (size_t i = 0; i < len; i += 7)
		corrupt_one(buf, len, i, junk[i % sizeof(junk)], &c);
	/* the end of the document (its newline) with each: nothing may follow the value but space */
	for (size_t k = 0; k < sizeof(junk); k++)
		corrupt_one(buf, len, len - 1, junk[k], &c);
	print_message("corrupted: %zu not JSON (all rejected), %zu rejected otherwise, %zu read exactly\n",
		      c.rejected_syntax, c.rejected_other, c.read);
	/* both outcomes happen: a test that never reads, or never rejects, proves half of it */
	assert_true(c.rejected_syntax > 100);
	assert_true(c.read > 10);
	free(buf);
	free(r);
}

#define HEAD "{\"schema\":\"schedtrace/1\",\"histogram\":{\"kind\":\"log-linear\",\"sub_buckets\":4,\"slots\":128},"

static void test_foreign_rejected(void **state)
{
	static const struct {
		const char *text, *expect;
	} cases[] = {
		{ "", "empty" },
		{ "   \n", "empty" },
		{ "<html></html>", "unexpected character '<'" },
		{ "\xef\xbb\xbf{}", "unexpected byte 0xef" },
		{ "[1,2,3]", "not a schedtrace report" },
		{ "{\"traceEvents\":[]}", "not a schedtrace report" },
		{ "{\"schema\":\"other/1\"}", "not a schedtrace report" },
		{ "{\"schema\":1}", "not a schedtrace report" },
		{ "{\"schema\":\"a\\nb\\u0001c\"}", "schema \"a?b?c\"" }, /* echoed text stays one line */
		{ "{\"schema\":\"schedtrace/3\"}", "newer schedtrace" },
		{ "{\"schema\":\"schedtrace/1\"}", "histogram: missing" },
		{ "{\"schema\":\"schedtrace/1\",\"histogram\":{\"kind\":\"log2\",\"sub_buckets\":1,\"slots\":64}}",
		  "layout" },
		{ HEAD "\"runs\":[]}", "runs: empty" },
		{ HEAD "\"runs\":{}}", "runs: expected an array, found an object" },
		{ HEAD "\"runs\":[1]}", "runs[0]: expected an object, found a number" },
		{ HEAD "\"runs\":[{}]}", "runs[0].workload: missing" },
		{ HEAD "\"runs\":[{\"workload\":\"" "0123456789012345678901234567890123456789012345678901234567890123"
		  "\"}]}", "runs[0].workload: string of 64 bytes, at most 63 fit" },
		{ "{\"a\":1,}", "expected a key" },
		{ "{\"a\" 1}", "expected ':'" },
		{ "[1 2]", "expected ',' or ']'" },
		{ "\"\\x\"", "bad escape" },
		{ "\"a\nb\"", "control character" },
		{ "\"\\u0000\"", "NUL" },
		{ "\"\\udc00\"", "lone low surrogate" },
		{ "\"\xc0\xaf\"", "invalid UTF-8" },
		{ "01", "unexpected text after" },
		{ "1.", "digits must follow" },
		{ "-", "bad number" },
		{ "1e400", "out of range" },
		{ "tru", "unexpected character 't'" },
		{ "{} {}", "unexpected text after" },
		{ "{},", "unexpected text after" },
		{ "[1],[2]", "unexpected text after" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_rejected(cases[i].text, strlen(cases[i].text), cases[i].expect);
}

static void test_wrong_types_and_ranges_rejected(void **state)
{
	struct st_run *r = fx_new_runs(1);
	size_t len;
	char *buf;
	static const struct {
		const char *from, *to, *expect;
	} edits[] = {
		{ "\"switches\": 1000000,", "\"switches\": -1,", "summary.switches: expected a whole number" },
		{ "\"switches\": 1000000,", "\"switches\": 1.5,", "summary.switches: expected a whole number" },
		{ "\"switches\": 1000000,", "\"switches\": 18446744073709551616,", "expected a whole number" },
		{ "\"nr_cpus\": 1,", "\"nr_cpus\": 4294967296,", "summary.nr_cpus: expected a whole number that fits" },
		{ "\"traced\": true", "\"traced\": 1", "runs[0].traced: expected a boolean, found a number" },
		{ "\"user\": 1000,", "\"user\": \"1000\",", "summary.cpu_time_ns.user: expected a number, found a string" },
		{ "{\"slot\": 20, \"lo_ns\": 64,", "{\"slot\": 20, \"lo_ns\": 65,", "starts at 64 ns" },
		{ "{\"slot\": 20, \"lo_ns\": 64,", "{\"slot\": 200, \"lo_ns\": 64,", "past the last slot" },
		{ "{\"slot\": 23, \"lo_ns\": 112,", "{\"slot\": 20, \"lo_ns\": 64,", "appears twice" },
		{ "\"mode_switch\": 750,", "\"mode_switc\": 750,", "summary.cpu_time_ns.mode_switch: missing" },
	};

	(void)state;
	fx_run(r, "pthread", "0", 1, 5000);
	r->result.repeat[0].switches = 7; /* keep "switches": 1000000 unique to breakdowns */
	buf = to_json(r, 1, &len);
	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		char *at = strstr(buf, edits[i].from), *edited;
		size_t pre, n;

		assert_non_null(at);
		pre = (size_t)(at - buf);
		n = len - strlen(edits[i].from) + strlen(edits[i].to);
		edited = malloc(n + 1);
		memcpy(edited, buf, pre);
		strcpy(edited + pre, edits[i].to);
		strcat(edited + pre, at + strlen(edits[i].from));
		assert_rejected(edited, strlen(edited), edits[i].expect);
		free(edited);
	}
	free(buf);
	free(r);
}

static void test_limits(void **state)
{
	char deep[400];
	size_t i;
	char *many;

	(void)state;
	for (i = 0; i < 200; i++)
		deep[i] = '[';
	for (; i < 400; i++)
		deep[i] = ']';
	assert_rejected(deep, sizeof(deep), "nested deeper than 64");

	/* more runs than a report holds */
	many = malloc(64 * 4 + 256);
	strcpy(many, HEAD "\"runs\":[");
	for (i = 0; i < ST_JSON_MAX_RUNS + 1; i++)
		strcat(many, i ? ",{}" : "{}");
	strcat(many, "]}");
	assert_rejected(many, strlen(many), "at most 32 fit");
	free(many);
}

static void test_unknown_members_ignored(void **state)
{
	struct st_run *r = fx_new_runs(1), *back;
	size_t len;
	char *buf, *edited, err[256];
	int n;

	(void)state;
	fx_run(r, "pthread", "0", 1, 5000);
	buf = to_json(r, 1, &len);
	/* a later schedtrace/1 may add members: the reader skips them */
	edited = malloc(len + 64);
	snprintf(edited, len + 64, "{\"added_later\": {\"x\": [1, 2]},%s", buf + 1);
	assert_int_equal(st_json_read(edited, strlen(edited), &back, &n, err, sizeof(err)), 0);
	assert_run_equal(r, back);
	free(back);
	free(edited);
	free(buf);
	free(r);
}

/* Removes every line holding "key": (the writer puts one member on a line). */
static void drop_member(char *buf, const char *key)
{
	char pat[80];
	char *at;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	while ((at = strstr(buf, pat))) {
		char *line = at, *end = strchr(at, '\n');

		while (line > buf && line[-1] != '\n')
			line--;
		memmove(line, end + 1, strlen(end + 1) + 1);
	}
}

/*
 * A schedtrace/1 document (written before the no-work syscall calibration,
 * the scheduler's work and the wait classes) reads: its one part after the
 * switch-in ("switch_path") becomes the scheduler's work, and what it did
 * not have stays 0. The same members missing from a schedtrace/2 document
 * are an error naming the member.
 */
static void test_older_version_reads(void **state)
{
	static const char *const added_in_2[] = { "nowork_syscall_bare_ns", "nowork_syscall_traced_ns",
						  "syscall_probe_in_ns" };
	struct st_run *r = fx_new_runs(1), *back;
	size_t len;
	char *buf, err[256];
	int n;

	(void)state;
	/* written by schedtrace/1: "switch_path": 102.6764125703932 in its summary */
	if (st_json_read_file("tests/fuzz/corpus/run_untimed.json", &back, &n, err, sizeof(err)))
		fail_msg("run_untimed.json: %s", err);
	assert_int_equal(n, 1);
	assert_true(back->summary.sched_work == 102.6764125703932);
	assert_true(back->summary.return_path == 0);
	assert_true(back->summary.runq_woken.count == 0 && back->summary.samples.user == 0);
	assert_true(back->cal.nowork_syscall_bare_ns == 0 && back->cal.mode_switch_ns > 0);
	free(back);

	fx_run(r, "pthread", "0", 2, 5000);
	buf = to_json(r, 1, &len);
	for (size_t i = 0; i < sizeof(added_in_2) / sizeof(added_in_2[0]); i++)
		drop_member(buf, added_in_2[i]);
	assert_int_not_equal(st_json_read(buf, strlen(buf), &back, &n, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "calibration.nowork_syscall_bare_ns: missing"));
	free(buf);
	free(r);
}

/* "syscalls_repeat" (added to schedtrace/1): written only when set, read back, checked. */
static void test_syscalls_repeat(void **state)
{
	struct st_run *r = fx_new_runs(2), *back;
	size_t len;
	char *buf, *at, err[256];
	int n;

	(void)state;
	fx_run(&r[0], "pthread", "0", 3, 5612.3);
	r[0].syscalls_repeat = 1;
	fx_run(&r[1], "futex", "0", 3, 3812.0); /* every repeat hooked: the member is left out */
	r[1].light = true;
	r[1].syscalls_profiled = true;
	round_trip(r, 2);
	buf = to_json(r, 2, &len);
	at = strstr(buf, "\"syscalls_repeat\": 1");
	assert_non_null(at);
	assert_null(strstr(at + 1, "\"syscalls_repeat\""));
	/* out of range: rejected, saying which member */
	{
		const char *key = "\"syscalls_repeat\": ";
		size_t head = (size_t)(at - buf) + strlen(key);
		char *big = malloc(len + 8);

		assert_non_null(big);
		snprintf(big, len + 8, "%.*s99%s", (int)head, buf, buf + head + 1); /* 1 -> 99 */
		assert_int_not_equal(st_json_read(big, strlen(big), &back, &n, err, sizeof(err)), 0);
		assert_non_null(strstr(err, "syscalls_repeat"));
		free(big);
	}
	free(buf);
	free(r);
}

/* "untraced_ns_per_switch" (run's untraced window): written only when measured, read back; negative rejected. */
static void test_untraced_window(void **state)
{
	struct st_run *r = fx_new_runs(2), *back;
	size_t len;
	char *buf, *at, err[256];
	int n;

	(void)state;
	fx_run(&r[0], "pthread", "0", 3, 5612.3);
	r[0].untraced_ns_per_switch = 4650.25;
	fx_run(&r[1], "futex", "0", 3, 3812.0); /* --no-untraced-repeat: the member is left out */
	buf = to_json(r, 2, &len);
	at = strstr(buf, "\"untraced_ns_per_switch\": 4650.25");
	assert_non_null(at);
	assert_null(strstr(at + 1, "\"untraced_ns_per_switch\""));
	assert_int_equal(st_json_read(buf, len, &back, &n, err, sizeof(err)), 0);
	assert_true(back[0].untraced_ns_per_switch == 4650.25);
	assert_true(back[1].untraced_ns_per_switch == 0);
	free(back);
	at[strlen("\"untraced_ns_per_switch\": ")] = '-';
	assert_int_not_equal(st_json_read(buf, len, &back, &n, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "untraced_ns_per_switch"));
	free(buf);
	free(r);
}

/*
 * "gates_ns" (a breakdown's, added within schedtrace/2): read back; a
 * document without it (written before) reads as 0; a required member that
 * is missing still fails.
 */
static void test_gates_optional(void **state)
{
	struct st_run *r = fx_new_runs(1), *back;
	size_t len;
	char *buf, *at, err[256];
	int n, cut = 0;

	(void)state;
	fx_run(&r[0], "pthread", "0", 3, 5612.3);
	r[0].summary.gates_ns = 210500.5;
	r[0].repeat[1].gates_ns = 190000;
	r[0].repeat[2].user_sampled = true;
	buf = to_json(r, 1, &len);
	assert_non_null(strstr(buf, "\"gates_ns\": 210500.5"));
	assert_int_equal(st_json_read(buf, len, &back, &n, err, sizeof(err)), 0);
	assert_true(back[0].summary.gates_ns == 210500.5 && back[0].repeat[1].gates_ns == 190000);
	assert_true(back[0].repeat[2].user_sampled && !back[0].repeat[1].user_sampled);
	free(back);
	/* "user_sampled" absent (an older file): false */
	for (at = buf; (at = strstr(at, "\"user_sampled\"")); at++)
		memcpy(at + 1, "userXsampled", 12);
	assert_int_equal(st_json_read(buf, len, &back, &n, err, sizeof(err)), 0);
	assert_false(back[0].repeat[2].user_sampled);
	free(back);
	/* every "gates_ns" member renamed to an unknown key: read as absent */
	for (at = buf; (at = strstr(at, "\"gates_ns\"")); at++, cut++)
		memcpy(at + 1, "gatesXns", 8);
	assert_int_equal(cut, 1 + 3); /* the summary and three repeats */
	assert_int_equal(st_json_read(buf, len, &back, &n, err, sizeof(err)), 0);
	assert_true(back[0].summary.gates_ns == 0 && back[0].repeat[1].gates_ns == 0);
	assert_true(back[0].summary.ns_per_switch == r[0].summary.ns_per_switch);
	free(back);
	/* a required member the same way: refused, by name */
	at = strstr(buf, "\"window_ns\"");
	assert_non_null(at);
	memcpy(at + 1, "windowXns", 9);
	assert_int_not_equal(st_json_read(buf, len, &back, &n, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "window_ns"));
	free(buf);
	free(r);
}

/* latency.runq.untimed (added to schedtrace/1): written only when nonzero, read back; absent is 0. */
static void test_runq_untimed(void **state)
{
	struct st_run *r = fx_new_runs(1);
	size_t len;
	char *buf, *at;

	(void)state;
	fx_run(&r[0], "futex", "0", 3, 3812.0);
	r[0].summary.runq.untimed = 4321;
	r[0].repeat[1].runq.untimed = 7;
	round_trip(r, 1);
	buf = to_json(r, 1, &len);
	at = strstr(buf, "\"untimed\": 7");
	assert_non_null(at);
	assert_non_null(strstr(buf, "\"untimed\": 4321"));
	/* the other repeats and latencies leave it out */
	{
		int n = 0;

		for (const char *p = buf; (p = strstr(p, "\"untimed\"")); p++)
			n++;
		assert_int_equal(n, 2);
	}
	free(buf);
	free(r);
}

/* The timeline's counts (added to schedtrace/1): written only when recorded, read back exactly. */
static void fx_timeline(struct st_run *r)
{
	r->tl_counts.recorded = true;
	r->tl_counts.records = 200009;
	r->tl_counts.lost = 7;
	r->tl_counts.nr_cpus = 2;
	r->tl_counts.lost_per_cpu[1] = 7;
	r->tl_counts.coro_ring = true;
	r->tl_counts.coro_switches = 200000;
	r->tl_counts.coro_dropped = 12;
	r->tl_counts.ns_per_switch = 9.625;
}

static void test_timeline_counts(void **state)
{
	struct st_run *r = fx_new_runs(2), *back;
	size_t len;
	char *buf, *at, err[256];
	int n;

	(void)state;
	fx_run(&r[0], "coro-yield", "0", 2, 8.1);
	fx_timeline(&r[0]);
	fx_run(&r[1], "pthread", "0", 2, 5612.3); /* none: the member is left out */
	round_trip(r, 2);
	buf = to_json(r, 2, &len);
	at = strstr(buf, "\"timeline\"");
	assert_non_null(at);
	assert_null(strstr(at + 1, "\"timeline\""));
	assert_non_null(strstr(buf, "\"lost_per_cpu\": [0, 7]"));
	assert_int_equal(st_json_read(buf, len, &back, &n, err, sizeof(err)), 0);
	assert_true(back[0].tl_counts.recorded);
	assert_int_equal(back[0].tl_counts.records, 200009);
	assert_int_equal(back[0].tl_counts.lost_per_cpu[1], 7);
	assert_int_equal(back[0].tl_counts.coro_dropped, 12);
	assert_true(back[0].tl_counts.ns_per_switch == 9.625);
	free(back);
	/* the window's ns/switch came later: a timeline without it reads as unknown (0) */
	at = strstr(buf, "\"ns_per_switch\": 9.625");
	assert_non_null(at);
	memcpy(at, "\"ns_per_swatch\"", strlen("\"ns_per_swatch\""));
	assert_int_equal(st_json_read(buf, len, &back, &n, err, sizeof(err)), 0);
	assert_true(back[0].tl_counts.recorded);
	assert_true(back[0].tl_counts.ns_per_switch == 0);
	free(back);
	/* a file from before the member: accepted, no timeline */
	fx_run(&r[0], "coro-yield", "0", 2, 8.1);
	free(buf);
	buf = to_json(r, 1, &len);
	assert_null(strstr(buf, "\"timeline\""));
	assert_int_equal(st_json_read(buf, len, &back, &n, err, sizeof(err)), 0);
	assert_false(back[0].tl_counts.recorded);
	free(back);
	free(buf);
	/* present but broken: rejected with where */
	fx_timeline(&r[0]);
	buf = to_json(r, 1, &len);
	at = strstr(buf, "\"coroutine_switches\": 200000");
	assert_non_null(at);
	memcpy(at + strlen("\"coroutine_switches\": "), "\"x\"   ", 6);
	assert_int_not_equal(st_json_read(buf, len, &back, &n, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "runs[0].timeline.coroutine_switches"));
	free(buf);
	free(r);
}

/* run -> JSON -> run gives the same terminal report, byte for byte. */
static void test_text_report_same_after_round_trip(void **state)
{
	struct st_run *r = fx_new_runs(2), *back;
	char *a = NULL, *b = NULL, *buf, err[256];
	size_t alen, blen, len;
	FILE *f;
	int n;

	(void)state;
	fx_run(&r[0], "pthread", "0", 3, 5612.3);
	fx_run(&r[1], "coro-yield", "0", 3, 41.7);
	buf = to_json(r, 2, &len);
	assert_int_equal(st_json_read(buf, len, &back, &n, err, sizeof(err)), 0);
	for (int i = 0; i < 2; i++) {
		f = open_memstream(&a, &alen);
		assert_int_equal(st_report_text(f, &r[i]), 0);
		fclose(f);
		f = open_memstream(&b, &blen);
		assert_int_equal(st_report_text(f, &back[i]), 0);
		fclose(f);
		assert_true(alen > 500);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	free(back);
	free(buf);
	free(r);
}

/* Writes text to a new file under /tmp; returns its path (static buffer per slot). */
static const char *temp_file(int slot, const char *text, size_t len)
{
	static char paths[4][64];
	int fd;

	snprintf(paths[slot], sizeof(paths[slot]), "/tmp/st-json-%d-XXXXXX", slot);
	fd = mkstemp(paths[slot]);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	return paths[slot];
}

static int run_report(const char *a1, const char *a2, const char *a3, char *out, size_t out_len, char *err,
		      size_t err_len)
{
	char *argv[] = { (char *)testutil_bin("schedtrace"), "report", (char *)a1, (char *)a2, (char *)a3, NULL };

	return testutil_run(argv, out, out_len, err, err_len);
}

static void assert_one_line(const char *err, const char *expect)
{
	if (!strstr(err, expect))
		fail_msg("expected \"%s\" in \"%s\"", expect, err);
	assert_int_equal(strncmp(err, "schedtrace: ", 12), 0);
	assert_int_equal(strchr(err, '\n') - err, (long)strlen(err) - 1);
}

/* `schedtrace report`: text equal to the run's own, and exit 1 with one line for a bad file. */
static void test_report_command(void **state)
{
	static char out[1 << 16], err[4096];
	struct st_run *r = fx_new_runs(1);
	char *buf, *text = NULL;
	size_t len, text_len;
	const char *good, *cut, *foreign;
	FILE *f;
	int rc;

	(void)state;
	if (access(testutil_bin("schedtrace"), X_OK) != 0) {
		print_message("[   SKIP   ] %s not built (make builds it before make check)\n", testutil_bin("schedtrace"));
		skip();
	}
	fx_run(r, "pthread", "0", 3, 5612.3);
	buf = to_json(r, 1, &len);
	f = open_memstream(&text, &text_len);
	st_report_text(f, r);
	fclose(f);

	good = temp_file(0, buf, len);
	rc = run_report(good, NULL, NULL, out, sizeof(out), err, sizeof(err));
	if (rc != 0)
		fail_msg("schedtrace report %s exited %d: %s", good, rc, err);
	assert_string_equal(out, text);
	rc = run_report(good, "--text", NULL, out, sizeof(out), err, sizeof(err));
	assert_int_equal(rc, 0);
	assert_string_equal(out, text);
	/* --html F: the page the run's own --html gives, byte for byte, and nothing on stdout */
	{
		char page_path[64], *page = NULL;
		size_t page_len;
		FILE *pf = open_memstream(&page, &page_len);
		int fd;

		assert_int_equal(st_html_write(pf, r, 1), 0);
		fclose(pf);
		snprintf(page_path, sizeof(page_path), "/tmp/st-json-html-XXXXXX");
		fd = mkstemp(page_path);
		assert_true(fd >= 0);
		close(fd);
		rc = run_report(good, "--html", page_path, out, sizeof(out), err, sizeof(err));
		if (rc != 0)
			fail_msg("schedtrace report %s --html %s exited %d: %s", good, page_path, rc, err);
		assert_string_equal(out, "");
		pf = fopen(page_path, "r");
		assert_non_null(pf);
		{
			static char got[1 << 20];
			size_t n = fread(got, 1, sizeof(got) - 1, pf);

			got[n] = '\0';
			assert_int_equal(strncmp(got, "<!DOCTYPE html>", 15), 0);
			assert_int_equal(n, page_len);
			assert_memory_equal(got, page, page_len);
		}
		fclose(pf);
		unlink(page_path);
		free(page);
	}

	cut = temp_file(1, buf, len / 3);
	rc = run_report(cut, NULL, NULL, out, sizeof(out), err, sizeof(err));
	assert_int_equal(rc, 1);
	assert_one_line(err, cut);
	assert_one_line(err, "cut short");
	foreign = temp_file(2, "{\"traceEvents\": []}\n", 20);
	rc = run_report(foreign, NULL, NULL, out, sizeof(out), err, sizeof(err));
	assert_int_equal(rc, 1);
	assert_one_line(err, "not a schedtrace report");
	rc = run_report("/nonexistent/run.json", NULL, NULL, out, sizeof(out), err, sizeof(err));
	assert_int_equal(rc, 1);
	assert_one_line(err, "/nonexistent/run.json: cannot open: No such file or directory");
	rc = run_report("/tmp", NULL, NULL, out, sizeof(out), err, sizeof(err));
	assert_int_equal(rc, 1);
	assert_one_line(err, "not a regular file");

	rc = run_report(NULL, NULL, NULL, out, sizeof(out), err, sizeof(err));
	assert_int_equal(rc, 2);
	assert_one_line(err, "which file?");
	rc = run_report(good, "--bogus", NULL, out, sizeof(out), err, sizeof(err));
	assert_int_equal(rc, 2);
	assert_one_line(err, "unknown option '--bogus'");
	rc = run_report(good, "--html", NULL, out, sizeof(out), err, sizeof(err));
	assert_int_equal(rc, 2);
	assert_one_line(err, "--html needs a value");
	rc = run_report(good, good, good, out, sizeof(out), err, sizeof(err));
	assert_int_equal(rc, 2);
	assert_one_line(err, "one file, or two side by side");

	for (int i = 0; i < 3; i++)
		unlink(i == 0 ? good : i == 1 ? cut : foreign);
	free(text);
	free(buf);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_one_run),
		cmocka_unit_test(test_timeline_counts),
		cmocka_unit_test(test_syscalls_repeat),
		cmocka_unit_test(test_untraced_window),
		cmocka_unit_test(test_gates_optional),
		cmocka_unit_test(test_runq_untimed),
		cmocka_unit_test(test_round_trip_compare_set),
		cmocka_unit_test(test_round_trip_extreme_doubles),
		cmocka_unit_test(test_strings_escaped),
		cmocka_unit_test(test_every_schema_field_present),
		cmocka_unit_test(test_keys_hold_their_fields),
		cmocka_unit_test(test_truncated_rejected),
		cmocka_unit_test(test_corrupt_rejected_or_read_exactly),
		cmocka_unit_test(test_foreign_rejected),
		cmocka_unit_test(test_wrong_types_and_ranges_rejected),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_unknown_members_ignored),
		cmocka_unit_test(test_older_version_reads),
		cmocka_unit_test(test_text_report_same_after_round_trip),
		cmocka_unit_test(test_report_command),
	};
	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
