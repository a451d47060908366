// SPDX-License-Identifier: GPL-2.0
/*
 * json_read.c — json_parse.c's tree -> struct st_run, using the field tables
 * of json_schema.c. Unknown members are ignored (a later schedtrace/N may add
 * some); missing ones, wrong types and out-of-range values are errors, except
 * a field newer than the document's version (json_schema.h), which stays 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "json_schema.h" /* first: model.h brings the __u64 types hist.h needs */
#include "hist.h"
#include "json_parse.h"
#include "json_read.h"

struct reader {
	const struct st_json_doc *d;
	char path[200]; /* where we are, e.g. "runs[0].summary" */
	size_t path_len;
	char *err;
	size_t err_len;
	bool failed;
	int version; /* of the document: schedtrace/<version> */
};

static bool fail(struct reader *r, const char *fmt, ...)
{
	char what[160];
	va_list ap;

	if (r->failed)
		return false;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (r->path_len)
		snprintf(r->err, r->err_len, "%s: %s", r->path, what);
	else
		snprintf(r->err, r->err_len, "%s", what);
	r->failed = true;
	return false;
}

/* Appends ".key" (or "[i]" when key is NULL) to the path; returns the length to restore. */
static size_t enter(struct reader *r, const char *key, uint32_t i)
{
	size_t saved = r->path_len;
	int n;

	if (key)
		n = snprintf(r->path + saved, sizeof(r->path) - saved, "%s%s", saved ? "." : "", key);
	else
		n = snprintf(r->path + saved, sizeof(r->path) - saved, "[%u]", i);
	if (n > 0)
		r->path_len = saved + (size_t)n < sizeof(r->path) ? saved + (size_t)n : sizeof(r->path) - 1;
	return saved;
}

static void leave(struct reader *r, size_t saved)
{
	r->path_len = saved;
	r->path[saved] = '\0';
}

static bool expect(struct reader *r, const struct st_json *v, enum st_json_type t)
{
	bool ok = v->type == t || (t == ST_JSON_TRUE && v->type == ST_JSON_FALSE);

	if (!ok)
		return fail(r, "expected %s, found %s", st_json_type_name(t), st_json_type_name(v->type));
	return true;
}

/* The member key of obj, which must exist and have type t. */
static const struct st_json *member(struct reader *r, const struct st_json *obj, const char *key,
				    enum st_json_type t)
{
	const struct st_json *v = st_json_get(r->d, obj, key);
	size_t saved = enter(r, key, 0);

	if (!v)
		fail(r, "missing");
	else if (!expect(r, v, t))
		v = NULL;
	leave(r, saved);
	return v;
}

/* An array member with at most max elements. */
static const struct st_json *array_member(struct reader *r, const struct st_json *obj, const char *key,
					  uint32_t max)
{
	const struct st_json *v = member(r, obj, key, ST_JSON_ARRAY);

	if (v && v->len > max) {
		size_t saved = enter(r, key, 0);
		fail(r, "%u entries, at most %u fit", v->len, max);
		leave(r, saved);
		return NULL;
	}
	return v;
}

static bool read_field(struct reader *r, const struct st_json *v, const struct st_field *fl, char *p)
{
	uint64_t u;
	int64_t i;

	switch (fl->type) {
	case ST_F_DOUBLE:
		if (v->type == ST_JSON_NULL) { /* the writer's form of NaN and infinities */
			*(double *)p = NAN;
			return true;
		}
		if (!expect(r, v, ST_JSON_NUMBER))
			return false;
		*(double *)p = v->num;
		return true;
	case ST_F_U64:
		if (!expect(r, v, ST_JSON_NUMBER))
			return false;
		if (!st_json_u64(r->d, v, &u))
			return fail(r, "expected a whole number from 0 to 18446744073709551615");
		*(__u64 *)p = u;
		return true;
	case ST_F_INT:
		if (!expect(r, v, ST_JSON_NUMBER))
			return false;
		if (!st_json_i64(r->d, v, &i) || i < INT_MIN || i > INT_MAX)
			return fail(r, "expected a whole number that fits in an int");
		*(int *)p = (int)i;
		return true;
	case ST_F_BOOL:
		if (!expect(r, v, ST_JSON_TRUE))
			return false;
		*(bool *)p = v->type == ST_JSON_TRUE;
		return true;
	case ST_F_STR:
		if (!expect(r, v, ST_JSON_STRING))
			return false;
		if (v->len >= fl->size)
			return fail(r, "string of %u bytes, at most %zu fit", v->len, fl->size - 1);
		memcpy(p, st_json_str(r->d, v), (size_t)v->len + 1);
		return true;
	}
	return fail(r, "unknown field type");
}

static bool read_fields(struct reader *r, const struct st_json *obj, void *base,
			const struct st_field_group *g)
{
	for (int k = 0; k < g->n; k++) {
		const struct st_field *fl = &g->fields[k];
		const struct st_json *v;
		size_t saved;
		bool ok;

		if (!st_field_in(fl, r->version))
			continue; /* newer than the document (stays 0), or of older documents only */
		v = st_json_get(r->d, obj, fl->key);
		saved = enter(r, fl->key, 0);
		ok = v ? read_field(r, v, fl, (char *)base + fl->off) : fl->optional || fail(r, "missing");

		leave(r, saved);
		if (!ok)
			return false;
	}
	return true;
}

/* An object member whose members are the fields of g. */
static bool read_object(struct reader *r, const struct st_json *obj, const char *key, void *base,
			const struct st_field_group *g)
{
	const struct st_json *v = member(r, obj, key, ST_JSON_OBJECT);
	size_t saved;
	bool ok;

	if (!v)
		return false;
	saved = enter(r, key, 0);
	ok = read_fields(r, v, base, g);
	leave(r, saved);
	return ok;
}

/* Each element of an array member, which must be an object, through fn. */
typedef bool (*element_fn)(struct reader *r, const struct st_json *v, void *out, uint32_t i);

static bool read_array(struct reader *r, const struct st_json *obj, const char *key, uint32_t max,
		       int *count, element_fn fn, void *out)
{
	const struct st_json *a = array_member(r, obj, key, max);
	size_t saved;

	if (!a)
		return false;
	saved = enter(r, key, 0);
	for (uint32_t i = 0; i < a->len; i++) {
		const struct st_json *e = st_json_at(r->d, a, i);
		size_t in = enter(r, NULL, i);
		bool ok = fn(r, e, out, i);

		leave(r, in);
		if (!ok)
			return false;
	}
	leave(r, saved);
	if (count)
		*count = (int)a->len;
	return true;
}

static bool read_hist_slot(struct reader *r, const struct st_json *e, void *out, uint32_t i)
{
	struct { uint64_t slot, lo_ns, count; } h;
	static const struct st_field fields[] = {
		{ "slot", ST_F_U64, 0, sizeof(uint64_t), 1, 0, false },
		{ "lo_ns", ST_F_U64, sizeof(uint64_t), sizeof(uint64_t), 1, 0, false },
		{ "count", ST_F_U64, 2 * sizeof(uint64_t), sizeof(uint64_t), 1, 0, false },
	};
	static const struct st_field_group group = { fields, 3 };
	__u64 *hist = out;

	(void)i;
	if (!expect(r, e, ST_JSON_OBJECT) || !read_fields(r, e, &h, &group))
		return false;
	if (h.slot >= ST_HIST_SLOTS)
		return fail(r, "slot %" PRIu64 " is past the last slot %d", h.slot, ST_HIST_SLOTS - 1);
	if (h.lo_ns != st_hist_lo_of((__u32)h.slot))
		return fail(r, "slot %" PRIu64 " starts at %llu ns, not %" PRIu64 " (another histogram layout?)",
			    h.slot, (unsigned long long)st_hist_lo_of((__u32)h.slot), h.lo_ns);
	if (hist[h.slot])
		return fail(r, "slot %" PRIu64 " appears twice", h.slot);
	hist[h.slot] = h.count;
	return true;
}

static bool read_latency(struct reader *r, const struct st_json *obj, const char *key, struct st_latency *l)
{
	static const struct st_field untimed = { "untimed", ST_F_U64, 0, sizeof(__u64), 1, 0, false };
	const struct st_json *v = member(r, obj, key, ST_JSON_OBJECT), *u;
	size_t saved;
	bool ok;

	if (!v)
		return false;
	saved = enter(r, key, 0);
	u = st_json_get(r->d, v, "untimed"); /* added to schedtrace/1 later: optional, absent = 0 */
	ok = read_fields(r, v, l, &st_schema_latency) && (!u || read_field(r, u, &untimed, (char *)&l->untimed)) &&
	     read_array(r, v, "hist", ST_HIST_SLOTS, NULL, read_hist_slot, l->hist);
	leave(r, saved);
	return ok;
}

static bool read_sys_row(struct reader *r, const struct st_json *e, void *out, uint32_t i)
{
	struct st_sys_row *rows = out;

	return expect(r, e, ST_JSON_OBJECT) && read_fields(r, e, &rows[i], &st_schema_sys_row);
}

static bool read_other_share(struct reader *r, const struct st_json *e, void *out, uint32_t i)
{
	struct st_other_share *s = out;

	return expect(r, e, ST_JSON_OBJECT) && read_fields(r, e, &s[i], &st_schema_other_share);
}

static bool read_breakdown(struct reader *r, const struct st_json *v, void *out, uint32_t i)
{
	struct st_breakdown *b = (struct st_breakdown *)out + i;
	const struct st_json *lat;
	size_t saved;

	if (!expect(r, v, ST_JSON_OBJECT) || !read_fields(r, v, b, &st_schema_breakdown) ||
	    !read_object(r, v, "cpu_time_ns", b, &st_schema_cpu_time) ||
	    !read_object(r, v, "per_switch", b, &st_schema_per_switch) ||
	    !read_object(r, v, "lost_by_kind", b, &st_schema_lost_by_kind) ||
	    (r->version >= 2 && !read_object(r, v, "samples", b, &st_schema_samples)) ||
	    (r->version >= 2 && !read_array(r, v, "interference", ST_TOP_OTHERS, &b->nr_top_others, read_other_share,
					     b->top_others)) ||
	    !read_array(r, v, "syscalls", ST_MAX_SYS_ROWS, &b->nr_sys_rows, read_sys_row, b->sys_rows))
		return false;
	lat = member(r, v, "latency", ST_JSON_OBJECT);
	if (!lat)
		return false;
	saved = enter(r, "latency", 0);
	for (int k = 0; k < st_schema_nr_latencies; k++) {
		struct st_latency *l = (void *)((char *)b + st_schema_latencies[k].off);

		if (st_schema_latencies[k].since > r->version)
			continue;
		if (!read_latency(r, lat, st_schema_latencies[k].key, l))
			return false;
	}
	leave(r, saved);
	return true;
}

static bool read_tid(struct reader *r, const struct st_json *e, void *out, uint32_t i)
{
	static const struct st_field tid = { "tid", ST_F_INT, 0, sizeof(int), 1, 0, false };

	return read_field(r, e, &tid, (char *)((int *)out + i));
}

static bool read_lost(struct reader *r, const struct st_json *e, void *out, uint32_t i)
{
	static const struct st_field lost = { "lost", ST_F_U64, 0, sizeof(__u64), 1, 0, false };

	return read_field(r, e, &lost, (char *)((__u64 *)out + i));
}

/*
 * A member added to the schema later: absent leaves *out zeroed (size bytes)
 * and *present false; present, it is read as f says. False on a bad value.
 */
static bool read_optional(struct reader *r, const struct st_json *run, const struct st_field *f, void *out,
			  size_t size, bool *present)
{
	const struct st_json *v = st_json_get(r->d, run, f->key);

	memset(out, 0, size);
	*present = v != NULL;
	return !v || read_field(r, v, f, out);
}

/* "syscalls_repeat": added to schedtrace/1 later, so optional (absent: 0). */
static bool read_syscalls_repeat(struct reader *r, const struct st_json *run, int *out)
{
	static const struct st_field f = { "syscalls_repeat", ST_F_INT, 0, sizeof(int), 1, 0, false };
	bool present;

	if (!read_optional(r, run, &f, out, sizeof(*out), &present))
		return false;
	if (present && (*out < 0 || *out > ST_MAX_REPEATS))
		return fail(r, "syscalls_repeat out of range");
	return true;
}

/* "untraced_ns_per_switch" (run's untraced window): optional, absent is 0; a time is not negative. */
static bool read_untraced(struct reader *r, const struct st_json *run, double *out)
{
	static const struct st_field f = { "untraced_ns_per_switch", ST_F_DOUBLE, 0, sizeof(double), 1, 0, false };
	bool present;

	if (!read_optional(r, run, &f, out, sizeof(*out), &present))
		return false;
	if (!(*out >= 0))
		return fail(r, "untraced_ns_per_switch is negative");
	return true;
}

/* A bool member added to schedtrace/1 later: optional, absent is false. */
static bool read_optional_bool(struct reader *r, const struct st_json *run, const char *key, bool *out)
{
	const struct st_field f = { key, ST_F_BOOL, 0, sizeof(bool), 1, 0, false };
	bool present;

	return read_optional(r, run, &f, out, sizeof(*out), &present);
}

/* "timeline": added to schedtrace/1 later, so optional; when present, complete. */
static bool read_timeline(struct reader *r, const struct st_json *run, struct st_tl_counts *c)
{
	static const struct st_field ns = { "ns_per_switch", ST_F_DOUBLE, 0, sizeof(double), 1, 0, false };
	const struct st_json *v = st_json_get(r->d, run, "timeline"), *w;
	size_t saved;
	bool ok;

	if (!v)
		return true;
	v = member(r, run, "timeline", ST_JSON_OBJECT);
	if (!v)
		return false;
	saved = enter(r, "timeline", 0);
	w = st_json_get(r->d, v, "ns_per_switch"); /* added later: optional, absent = 0 (unknown) */
	ok = read_fields(r, v, c, &st_schema_timeline) &&
	     (!w || read_field(r, w, &ns, (char *)&c->ns_per_switch)) &&
	     read_array(r, v, "lost_per_cpu", ST_MAX_CPUS, &c->nr_cpus, read_lost, c->lost_per_cpu);
	leave(r, saved);
	c->recorded = ok;
	return ok;
}

static bool read_repeat_result(struct reader *r, const struct st_json *e, void *out, uint32_t i)
{
	struct st_repeat_result *rr = (struct st_repeat_result *)out + i;

	return expect(r, e, ST_JSON_OBJECT) && read_fields(r, e, rr, &st_schema_repeat_result);
}

static bool read_metric(struct reader *r, const struct st_json *e, void *out, uint32_t i)
{
	struct st_metric *m = (struct st_metric *)out + i;

	return expect(r, e, ST_JSON_OBJECT) && read_fields(r, e, m, &st_schema_metric);
}

static bool read_result(struct reader *r, const struct st_json *run, struct st_workload_result *res)
{
	const struct st_json *v = member(r, run, "result", ST_JSON_OBJECT);
	size_t saved;
	bool ok;

	if (!v)
		return false;
	saved = enter(r, "result", 0);
	ok = read_fields(r, v, res, &st_schema_result) &&
	     read_array(r, v, "tids", ST_MAX_TIDS, &res->nr_tids, read_tid, res->tids) &&
	     read_array(r, v, "repeats", ST_MAX_REPEATS, &res->nr_repeats, read_repeat_result, res->repeat) &&
	     /* added to schedtrace/2 later: optional, absent = none */
	     (!st_json_get(r->d, v, "metrics") ||
	      read_array(r, v, "metrics", ST_MAX_METRICS, &res->nr_metrics, read_metric, res->metrics));
	leave(r, saved);
	return ok;
}

static bool read_run(struct reader *r, const struct st_json *v, void *out, uint32_t i)
{
	struct st_run *run = (struct st_run *)out + i;
	const struct st_json *cal, *summary;
	size_t saved;

	if (!expect(r, v, ST_JSON_OBJECT) || !read_fields(r, v, run, &st_schema_run) ||
	    !read_result(r, v, &run->result))
		return false;
	summary = member(r, v, "summary", ST_JSON_OBJECT);
	if (!summary)
		return false;
	saved = enter(r, "summary", 0);
	if (!read_breakdown(r, summary, &run->summary, 0))
		return false;
	leave(r, saved);
	if (!read_array(r, v, "repeats", ST_MAX_REPEATS, &run->nr_repeats, read_breakdown, run->repeat))
		return false;
	cal = member(r, v, "calibration", ST_JSON_OBJECT);
	if (!cal)
		return false;
	saved = enter(r, "calibration", 0);
	if (!read_fields(r, cal, &run->cal, &st_schema_calibration) ||
	    !read_object(r, cal, "probe_ns", &run->cal, &st_schema_probe_ns))
		return false;
	leave(r, saved);
	return read_object(r, v, "machine", &run->machine, &st_schema_machine) &&
	       read_syscalls_repeat(r, v, &run->syscalls_repeat) &&
	       read_untraced(r, v, &run->untraced_ns_per_switch) &&
	       read_optional_bool(r, v, "syscalls_profiled", &run->syscalls_profiled) &&
	       read_optional_bool(r, v, "light", &run->light) &&
	       read_timeline(r, v, &run->tl_counts);
}

/* The histogram layout the document declares must be the one this build reads. */
static bool check_layout(struct reader *r, const struct st_json *root)
{
	const struct st_json *h = member(r, root, "histogram", ST_JSON_OBJECT);
	const struct st_json *kind, *sub, *slots;
	uint64_t nsub, nslots;

	if (!h)
		return false;
	kind = member(r, h, "kind", ST_JSON_STRING);
	sub = member(r, h, "sub_buckets", ST_JSON_NUMBER);
	slots = member(r, h, "slots", ST_JSON_NUMBER);
	if (!kind || !sub || !slots)
		return fail(r, "histogram: needs kind, sub_buckets and slots");
	if (strcmp(st_json_str(r->d, kind), "log-linear") || !st_json_u64(r->d, sub, &nsub) ||
	    !st_json_u64(r->d, slots, &nslots) || nsub != 1u << ST_HIST_SUB_BITS || nslots != ST_HIST_SLOTS)
		return fail(r, "histogram: a layout this schedtrace does not read (it reads log-linear, %u sub-buckets, %d slots)",
			    1u << ST_HIST_SUB_BITS, ST_HIST_SLOTS);
	return true;
}

/* Text from the file, fit to quote in a one-line message: at most 40 bytes, controls as '?'. */
static const char *quotable(char *buf, size_t len, const char *s)
{
	size_t n = 0, max = len - 4 < 40 ? len - 4 : 40;

	for (; *s && n < max; s++)
		buf[n++] = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;
	while (*s && n > 0 && ((unsigned char)buf[n - 1] & 0xC0) == 0x80)
		n--; /* cut before a multi-byte character, not inside it */
	if (*s && n > 0 && (unsigned char)buf[n - 1] >= 0xC0)
		n--;
	strcpy(buf + n, *s ? "..." : "");
	return buf;
}

static bool check_schema(struct reader *r, const struct st_json *root)
{
	char q[48];
	const struct st_json *schema;
	const char *s;

	if (root->type != ST_JSON_OBJECT)
		return fail(r, "not a schedtrace report: the document is %s, not an object",
			    st_json_type_name(root->type));
	schema = st_json_get(r->d, root, "schema");
	if (!schema || schema->type != ST_JSON_STRING)
		return fail(r, "not a schedtrace report: no \"schema\" string at the top");
	s = st_json_str(r->d, schema);
	for (int v = 1; v <= ST_JSON_VERSION; v++) {
		char known[32];

		snprintf(known, sizeof(known), ST_JSON_SCHEMA_PREFIX "%d", v);
		if (strcmp(s, known) == 0) {
			r->version = v;
			return true;
		}
	}
	if (strncmp(s, ST_JSON_SCHEMA_PREFIX, strlen(ST_JSON_SCHEMA_PREFIX)) == 0)
		return fail(r, "schema \"%s\" is not one this schedtrace reads (it reads %s1 to %s); a newer schedtrace wrote it?",
			    quotable(q, sizeof(q), s), ST_JSON_SCHEMA_PREFIX, ST_JSON_SCHEMA);
	return fail(r, "not a schedtrace report: schema \"%s\"", quotable(q, sizeof(q), s));
}

int st_json_read(const char *text, size_t len, struct st_run **runs, int *n, char *err, size_t err_len)
{
	struct reader r = { .err = err, .err_len = err_len };
	char perr[200];
	struct st_json_doc *d = st_json_parse(text, len, perr, sizeof(perr));
	const struct st_json *root, *a;
	struct st_run *out = NULL;
	int count = 0;

	*runs = NULL;
	*n = 0;
	if (!d) {
		bool cut = strstr(perr, "end of file") || strstr(perr, "unterminated");
		snprintf(err, err_len, "not valid JSON%s: %s", cut ? " (cut short?)" : "", perr);
		return -1;
	}
	r.d = d;
	root = st_json_root(d);
	if (!check_schema(&r, root) || !check_layout(&r, root))
		goto fail;
	a = array_member(&r, root, "runs", ST_JSON_MAX_RUNS);
	if (!a)
		goto fail;
	if (a->len == 0) {
		fail(&r, "runs: empty, nothing to report");
		goto fail;
	}
	out = calloc(a->len, sizeof(*out));
	if (!out) {
		fail(&r, "out of memory for %u runs", a->len);
		goto fail;
	}
	if (!read_array(&r, root, "runs", ST_JSON_MAX_RUNS, &count, read_run, out))
		goto fail;
	st_json_free(d);
	*runs = out;
	*n = count;
	return 0;
fail:
	free(out);
	st_json_free(d);
	return -1;
}

int st_json_read_file(const char *path, struct st_run **runs, int *n, char *err, size_t err_len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	int ret = -1;

	*runs = NULL;
	*n = 0;
	if (fd < 0) {
		snprintf(err, err_len, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st)) {
		snprintf(err, err_len, "cannot stat: %s", strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, err_len, "not a regular file");
		goto out;
	}
	if ((uint64_t)st.st_size > ST_JSON_MAX_INPUT) {
		snprintf(err, err_len, "too large for a report (%lld bytes, at most %u MiB)",
			 (long long)st.st_size, ST_JSON_MAX_INPUT >> 20);
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		snprintf(err, err_len, "out of memory");
		goto out;
	}
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, err_len, "cannot read: %s", strerror(errno));
			goto out;
		}
		if (r == 0)
			break; /* shrank while we read: parse what is there */
		got += (size_t)r;
	}
	ret = st_json_read(buf, got, runs, n, err, err_len);
out:
	free(buf);
	close(fd);
	return ret;
}
