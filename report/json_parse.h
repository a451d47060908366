/* SPDX-License-Identifier: GPL-2.0 */
/*
 * json_parse.h — a small recursive-descent JSON parser (RFC 8259) into a
 * read-only tree, for reading saved reports. It is fed untrusted files, so
 * it bounds the input size, the nesting depth and the node count, and it
 * never reads past the buffer (which need not be NUL-terminated).
 *
 * The tree lives in one doc: values are stored in one array, each container's
 * children contiguous, strings decoded to UTF-8 in one buffer.
 */
#ifndef SCHEDTRACE_JSON_PARSE_H
#define SCHEDTRACE_JSON_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest report (32 runs x 65 breakdowns, every histogram slot used) is ~60 MB and 5.5M values. */
#define ST_JSON_MAX_INPUT (128u << 20) /* bytes */
#define ST_JSON_MAX_DEPTH 64
#define ST_JSON_MAX_NODES (8u << 20)

enum st_json_type {
	ST_JSON_NULL,
	ST_JSON_FALSE,
	ST_JSON_TRUE,
	ST_JSON_NUMBER,
	ST_JSON_STRING,
	ST_JSON_ARRAY,
	ST_JSON_OBJECT,
};

struct st_json {
	enum st_json_type type;
	uint32_t key;	  /* object members: offset of the key in the strings, else 0 */
	uint32_t key_len;
	uint32_t str;	  /* strings: offset of the decoded text; numbers: of their source text */
	uint32_t len;	  /* bytes at str; containers: number of children */
	uint32_t kids;	  /* containers: index of the first child */
	double num;	  /* numbers */
};

struct st_json_doc;

/*
 * Parses text[0..len). Returns the doc, or NULL with a one-phrase reason in
 * err (e.g. "line 3: expected ',' or '}'"). Free with st_json_free().
 */
struct st_json_doc *st_json_parse(const char *text, size_t len, char *err, size_t err_len);
void st_json_free(struct st_json_doc *d);

const struct st_json *st_json_root(const struct st_json_doc *d);
/* The i-th element or member of a container (i < v->len). */
const struct st_json *st_json_at(const struct st_json_doc *d, const struct st_json *v, uint32_t i);
/* The first member named key of an object, or NULL (also when v is not an object). */
const struct st_json *st_json_get(const struct st_json_doc *d, const struct st_json *v, const char *key);
/* Decoded string (NUL-terminated; may hold no NUL inside, the parser rejects \u0000). */
const char *st_json_str(const struct st_json_doc *d, const struct st_json *v);
/* Key of an object member, NUL-terminated. */
const char *st_json_key(const struct st_json_doc *d, const struct st_json *v);

/* A number written as a non-negative integer (no sign, fraction or exponent) that fits. */
bool st_json_u64(const struct st_json_doc *d, const struct st_json *v, uint64_t *out);
/* A number written as an integer (optional minus) that fits in int64_t. */
bool st_json_i64(const struct st_json_doc *d, const struct st_json *v, int64_t *out);

const char *st_json_type_name(enum st_json_type t);

#endif
