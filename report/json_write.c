// SPDX-License-Identifier: GPL-2.0
/*
 * json_write.c — st_run -> "schedtrace/2" JSON (docs/json-schema.md). The
 * members come from the tables in json_schema.c, which the reader uses too.
 */
#include "json_schema.h" /* first: model.h brings the __u64 types hist.h needs */
#include "hist.h"
#include "json_emit.h"

static int clamp_count(int n, int max)
{
	return n < 0 ? 0 : n > max ? max : n;
}

static void write_fields(struct st_jo *o, const void *base, const struct st_field_group *g)
{
	const char *p = base;

	for (int i = 0; i < g->n; i++) {
		const struct st_field *fl = &g->fields[i];
		const void *v = p + fl->off;

		if (!st_field_in(fl, ST_JSON_VERSION))
			continue; /* a key of older documents only */
		switch (fl->type) {
		case ST_F_DOUBLE: st_jo_kdouble(o, fl->key, *(const double *)v); break;
		case ST_F_U64: st_jo_ku64(o, fl->key, *(const __u64 *)v); break;
		case ST_F_INT: st_jo_ki64(o, fl->key, *(const int *)v); break;
		case ST_F_BOOL: st_jo_kbool(o, fl->key, *(const bool *)v); break;
		case ST_F_STR: st_jo_kstr(o, fl->key, v, fl->size); break;
		}
	}
}

static void write_object(struct st_jo *o, const char *key, const void *base,
			 const struct st_field_group *g, bool one_line)
{
	st_jo_key(o, key);
	st_jo_object(o, one_line);
	write_fields(o, base, g);
	st_jo_end(o);
}

/* Non-empty slots only, each with its lower bound so a reader needs no slot math. */
static void write_latency(struct st_jo *o, const struct st_latency *l)
{
	st_jo_object(o, false);
	write_fields(o, l, &st_schema_latency);
	if (l->untimed)
		st_jo_ku64(o, "untimed", l->untimed);
	st_jo_key(o, "hist");
	st_jo_array(o, false);
	for (int s = 0; s < ST_HIST_SLOTS; s++) {
		if (!l->hist[s])
			continue;
		st_jo_object(o, true);
		st_jo_ku64(o, "slot", s);
		st_jo_ku64(o, "lo_ns", st_hist_lo_of(s));
		st_jo_ku64(o, "count", l->hist[s]);
		st_jo_end(o);
	}
	st_jo_end(o);
	st_jo_end(o);
}

static void write_breakdown(struct st_jo *o, const struct st_breakdown *b)
{
	st_jo_object(o, false);
	write_fields(o, b, &st_schema_breakdown);
	write_object(o, "cpu_time_ns", b, &st_schema_cpu_time, false);
	write_object(o, "per_switch", b, &st_schema_per_switch, false);
	write_object(o, "lost_by_kind", b, &st_schema_lost_by_kind, true);
	write_object(o, "samples", b, &st_schema_samples, true);
	st_jo_key(o, "interference");
	st_jo_array(o, false);
	for (int i = 0; i < clamp_count(b->nr_top_others, ST_TOP_OTHERS); i++) {
		st_jo_object(o, true);
		write_fields(o, &b->top_others[i], &st_schema_other_share);
		st_jo_end(o);
	}
	st_jo_end(o);
	st_jo_key(o, "syscalls");
	st_jo_array(o, false);
	for (int i = 0; i < clamp_count(b->nr_sys_rows, ST_MAX_SYS_ROWS); i++) {
		st_jo_object(o, true);
		write_fields(o, &b->sys_rows[i], &st_schema_sys_row);
		st_jo_end(o);
	}
	st_jo_end(o);
	st_jo_key(o, "latency");
	st_jo_object(o, false);
	for (int i = 0; i < st_schema_nr_latencies; i++) {
		st_jo_key(o, st_schema_latencies[i].key);
		write_latency(o, (const void *)((const char *)b + st_schema_latencies[i].off));
	}
	st_jo_end(o);
	st_jo_end(o);
}

static void write_result(struct st_jo *o, const struct st_workload_result *r)
{
	st_jo_key(o, "result");
	st_jo_object(o, false);
	write_fields(o, r, &st_schema_result);
	st_jo_key(o, "tids");
	st_jo_array(o, true);
	for (int i = 0; i < clamp_count(r->nr_tids, ST_MAX_TIDS); i++)
		st_jo_i64(o, r->tids[i]);
	st_jo_end(o);
	st_jo_key(o, "repeats");
	st_jo_array(o, false);
	for (int i = 0; i < clamp_count(r->nr_repeats, ST_MAX_REPEATS); i++) {
		st_jo_object(o, true);
		write_fields(o, &r->repeat[i], &st_schema_repeat_result);
		st_jo_end(o);
	}
	st_jo_end(o);
	st_jo_key(o, "metrics");
	st_jo_array(o, false);
	for (int i = 0; i < clamp_count(r->nr_metrics, ST_MAX_METRICS); i++) {
		st_jo_object(o, true);
		write_fields(o, &r->metrics[i], &st_schema_metric);
		st_jo_end(o);
	}
	st_jo_end(o);
	st_jo_end(o);
}

static void write_run(struct st_jo *o, const struct st_run *run)
{
	st_jo_object(o, false);
	write_fields(o, run, &st_schema_run);
	write_result(o, &run->result);
	st_jo_key(o, "summary");
	write_breakdown(o, &run->summary);
	st_jo_key(o, "repeats");
	st_jo_array(o, false);
	for (int i = 0; i < clamp_count(run->nr_repeats, ST_MAX_REPEATS); i++)
		write_breakdown(o, &run->repeat[i]);
	st_jo_end(o);
	st_jo_key(o, "calibration");
	st_jo_object(o, false);
	write_fields(o, &run->cal, &st_schema_calibration);
	write_object(o, "probe_ns", &run->cal, &st_schema_probe_ns, true);
	st_jo_end(o);
	write_object(o, "machine", &run->machine, &st_schema_machine, false);
	if (run->light) {
		st_jo_key(o, "light");
		st_jo_bool(o, true);
	}
	if (run->syscalls_profiled) {
		st_jo_key(o, "syscalls_profiled");
		st_jo_bool(o, true);
	}
	if (run->syscalls_repeat > 0) {
		st_jo_key(o, "syscalls_repeat");
		st_jo_i64(o, run->syscalls_repeat);
	}
	if (run->untraced_ns_per_switch > 0)
		st_jo_kdouble(o, "untraced_ns_per_switch", run->untraced_ns_per_switch);
	if (run->tl_counts.recorded) {
		st_jo_key(o, "timeline");
		st_jo_object(o, false);
		write_fields(o, &run->tl_counts, &st_schema_timeline);
		if (run->tl_counts.ns_per_switch > 0)
			st_jo_kdouble(o, "ns_per_switch", run->tl_counts.ns_per_switch);
		st_jo_key(o, "lost_per_cpu");
		st_jo_array(o, true);
		for (int i = 0; i < clamp_count(run->tl_counts.nr_cpus, ST_MAX_CPUS); i++)
			st_jo_u64(o, run->tl_counts.lost_per_cpu[i]);
		st_jo_end(o);
		st_jo_end(o);
	}
	st_jo_end(o);
}

int st_json_write(FILE *f, const struct st_run *runs, int n)
{
	struct st_jo o;

	st_jo_init(&o, f, true);
	st_jo_object(&o, false);
	st_jo_kstr(&o, "schema", ST_JSON_SCHEMA, sizeof(ST_JSON_SCHEMA));
	st_jo_kstr(&o, "generator", "schedtrace", sizeof("schedtrace"));
	st_jo_key(&o, "histogram");
	st_jo_object(&o, true);
	st_jo_kstr(&o, "kind", "log-linear", sizeof("log-linear"));
	st_jo_ku64(&o, "sub_buckets", 1u << ST_HIST_SUB_BITS);
	st_jo_ku64(&o, "slots", ST_HIST_SLOTS);
	st_jo_kstr(&o, "unit", "ns", 3);
	st_jo_end(&o);
	st_jo_key(&o, "runs");
	st_jo_array(&o, false);
	for (int i = 0; i < n; i++)
		write_run(&o, &runs[i]);
	st_jo_end(&o);
	st_jo_end(&o);
	return ferror(f) ? -1 : 0;
}
