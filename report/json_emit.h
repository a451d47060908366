/* SPDX-License-Identifier: GPL-2.0 */
/*
 * json_emit.h — a small streaming JSON writer: it tracks commas, indentation
 * and nesting so the schema writer reads as a list of keys. Doubles are
 * printed in the shortest form that reads back to the same bits; non-finite
 * doubles (no JSON form) become null.
 */
#ifndef SCHEDTRACE_JSON_EMIT_H
#define SCHEDTRACE_JSON_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define ST_JO_MAX_DEPTH 32

struct st_jo {
	FILE *f;
	int depth;
	bool pretty;			     /* newlines and two-space indents */
	bool has_items[ST_JO_MAX_DEPTH];     /* a comma goes before the next item */
	bool one_line[ST_JO_MAX_DEPTH];	     /* this container stays on one line */
	char closer[ST_JO_MAX_DEPTH];	     /* '}' or ']' */
	bool after_key;			     /* the next value completes a member */
};

void st_jo_init(struct st_jo *o, FILE *f, bool pretty);

/* one_line: print this container (and everything in it) on a single line */
void st_jo_object(struct st_jo *o, bool one_line);
void st_jo_array(struct st_jo *o, bool one_line);
void st_jo_end(struct st_jo *o); /* closes the innermost object or array */

void st_jo_key(struct st_jo *o, const char *key);
void st_jo_str(struct st_jo *o, const char *s);
/* A char array member that may lack its NUL: at most max bytes are read. */
void st_jo_strn(struct st_jo *o, const char *s, size_t max);
void st_jo_u64(struct st_jo *o, uint64_t v);
void st_jo_i64(struct st_jo *o, int64_t v);
void st_jo_double(struct st_jo *o, double v);
void st_jo_bool(struct st_jo *o, bool v);
void st_jo_null(struct st_jo *o);

/* key + value in one call, for flat members */
void st_jo_kstr(struct st_jo *o, const char *key, const char *s, size_t max);
void st_jo_ku64(struct st_jo *o, const char *key, uint64_t v);
void st_jo_ki64(struct st_jo *o, const char *key, int64_t v);
void st_jo_kdouble(struct st_jo *o, const char *key, double v);
void st_jo_kbool(struct st_jo *o, const char *key, bool v);

/* Writes d into buf (>= 32 bytes) as the shortest decimal that strtod reads back exactly. */
void st_json_format_double(char *buf, size_t len, double d);

/* Length of the valid UTF-8 sequence at s (n > 0 bytes left), or 0 if it is not valid. */
size_t st_utf8_len(const unsigned char *s, size_t n);

/* Writes s (n bytes) as a JSON string literal, quotes included; invalid UTF-8 becomes U+FFFD. */
void st_json_write_string(FILE *f, const char *s, size_t n);

#endif
