/* SPDX-License-Identifier: GPL-2.0 */
/*
 * json_schema.h — the "schedtrace/2" document, as tables of (key, type,
 * offset) shared by the writer and the reader, so the two cannot drift apart.
 * docs/json-schema.md describes the same document for people.
 *
 * Versions: the writer writes ST_JSON_VERSION; the reader reads every version
 * from 1 on. A field carries the version it appeared in (`since`): required
 * in documents of that version or later, 0 (absent) in older ones.
 */
#ifndef SCHEDTRACE_JSON_SCHEMA_H
#define SCHEDTRACE_JSON_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "model.h"

#define ST_JSON_VERSION 2
#define ST_JSON_SCHEMA_PREFIX "schedtrace/"
#define ST_JSON_SCHEMA "schedtrace/2"

enum st_field_type { ST_F_DOUBLE, ST_F_U64, ST_F_INT, ST_F_BOOL, ST_F_STR };

struct st_field {
	const char *key;
	enum st_field_type type;
	size_t off;
	size_t size; /* of the member: the buffer size for strings */
	int since;   /* the schema version that added it (0 is read as 1) */
	int until;   /* the last version that has it, 0 when current */
	bool optional; /* added within a version: absent reads as 0 */
};

/* The field belongs to documents of schema version v. */
static inline int st_field_in(const struct st_field *fl, int v)
{
	return (fl->since <= 1 || v >= fl->since) && (!fl->until || v <= fl->until);
}

struct st_field_group {
	const struct st_field *fields;
	int n;
};

/* Members of one JSON object; each group is one object in the document. */
extern const struct st_field_group st_schema_breakdown;	  /* scalars of a breakdown */
extern const struct st_field_group st_schema_cpu_time;	  /* "cpu_time_ns" */
extern const struct st_field_group st_schema_per_switch;  /* "per_switch" */
extern const struct st_field_group st_schema_lost_by_kind; /* "lost_by_kind" */
extern const struct st_field_group st_schema_sys_row;	  /* "syscalls"[] */
extern const struct st_field_group st_schema_latency;	  /* "latency".x, without "hist" */
extern const struct st_field_group st_schema_calibration;
extern const struct st_field_group st_schema_probe_ns;	  /* "calibration"."probe_ns" */
extern const struct st_field_group st_schema_machine;
extern const struct st_field_group st_schema_result;	  /* "result", without its arrays */
extern const struct st_field_group st_schema_metric;	  /* an element of "result"."metrics" */
extern const struct st_field_group st_schema_repeat_result; /* "result"."repeats"[] */
extern const struct st_field_group st_schema_run;	  /* scalars of a run */
extern const struct st_field_group st_schema_timeline;	  /* "timeline" (optional), without "lost_per_cpu" */
extern const struct st_field_group st_schema_samples;	  /* "samples" (the witness) */
extern const struct st_field_group st_schema_other_share; /* "interference"[] */

/* The latency distributions of a breakdown, in document order. */
struct st_latency_member {
	const char *key;
	size_t off;
	int since; /* the schema version that added it */
};
extern const struct st_latency_member st_schema_latencies[];
extern const int st_schema_nr_latencies;

/*
 * Writes runs[0..n) as one ST_JSON_SCHEMA document (one run is an array of
 * one). Returns 0, or -1 when the stream reported an error.
 */
int st_json_write(FILE *f, const struct st_run *runs, int n);

#endif
