// SPDX-License-Identifier: GPL-2.0
/* json_emit.c — see json_emit.h. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "json_emit.h"

void st_jo_init(struct st_jo *o, FILE *f, bool pretty)
{
	memset(o, 0, sizeof(*o));
	o->f = f;
	o->pretty = pretty;
}

static bool on_one_line(const struct st_jo *o)
{
	return !o->pretty || (o->depth > 0 && o->one_line[o->depth - 1]);
}

static void newline_indent(struct st_jo *o, int depth)
{
	fputc('\n', o->f);
	for (int i = 0; i < depth; i++)
		fputs("  ", o->f);
}

/* What must come before a value: nothing after a key, else a comma and a break. */
static void before_value(struct st_jo *o)
{
	if (o->after_key) {
		o->after_key = false;
		return;
	}
	if (o->depth == 0)
		return;
	if (o->has_items[o->depth - 1])
		fputc(',', o->f);
	if (!on_one_line(o))
		newline_indent(o, o->depth);
	else if (o->pretty && o->has_items[o->depth - 1])
		fputc(' ', o->f);
	o->has_items[o->depth - 1] = true;
}

static void open_container(struct st_jo *o, char opener, char closer, bool one_line)
{
	bool inherit = o->depth > 0 && on_one_line(o);

	before_value(o);
	if (o->depth >= ST_JO_MAX_DEPTH)
		abort(); /* the schema writer nests too deep: a bug, not an input problem */
	fputc(opener, o->f);
	o->has_items[o->depth] = false;
	o->one_line[o->depth] = one_line || inherit;
	o->closer[o->depth] = closer;
	o->depth++;
}

void st_jo_object(struct st_jo *o, bool one_line)
{
	open_container(o, '{', '}', one_line);
}

void st_jo_array(struct st_jo *o, bool one_line)
{
	open_container(o, '[', ']', one_line);
}

void st_jo_end(struct st_jo *o)
{
	bool break_line = o->has_items[o->depth - 1] && !on_one_line(o);

	o->depth--;
	if (break_line)
		newline_indent(o, o->depth);
	fputc(o->closer[o->depth], o->f);
	if (o->depth == 0 && o->pretty)
		fputc('\n', o->f);
}

void st_jo_key(struct st_jo *o, const char *key)
{
	before_value(o);
	st_json_write_string(o->f, key, strlen(key));
	fputs(o->pretty ? ": " : ":", o->f);
	o->after_key = true;
}

size_t st_utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	uint32_t cp, min;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xE0) == 0xC0)
		len = 2, cp = s[0] & 0x1F, min = 0x80;
	else if ((s[0] & 0xF0) == 0xE0)
		len = 3, cp = s[0] & 0x0F, min = 0x800;
	else if ((s[0] & 0xF8) == 0xF0)
		len = 4, cp = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0; /* overlong, out of range, or a surrogate */
	return len;
}

void st_json_write_string(FILE *f, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', f);
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		size_t len;

		switch (c) {
		case '"': fputs("\\\"", f); i++; continue;
		case '\\': fputs("\\\\", f); i++; continue;
		case '\n': fputs("\\n", f); i++; continue;
		case '\r': fputs("\\r", f); i++; continue;
		case '\t': fputs("\\t", f); i++; continue;
		case '\b': fputs("\\b", f); i++; continue;
		case '\f': fputs("\\f", f); i++; continue;
		}
		if (c < 0x20) {
			fprintf(f, "\\u%04x", c);
			i++;
			continue;
		}
		len = st_utf8_len(s + i, n - i);
		if (len == 0) {
			fputs("\\ufffd", f);
			i++;
			continue;
		}
		fwrite(s + i, 1, len, f);
		i += len;
	}
	fputc('"', f);
}

void st_json_format_double(char *buf, size_t len, double d)
{
	/* %.15g strips trailing zeros, so the first precision that reads back is the shortest */
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			return;
	}
}

void st_jo_str(struct st_jo *o, const char *s)
{
	before_value(o);
	st_json_write_string(o->f, s, strlen(s));
}

void st_jo_strn(struct st_jo *o, const char *s, size_t max)
{
	before_value(o);
	st_json_write_string(o->f, s, strnlen(s, max));
}

void st_jo_u64(struct st_jo *o, uint64_t v)
{
	before_value(o);
	fprintf(o->f, "%" PRIu64, v);
}

void st_jo_i64(struct st_jo *o, int64_t v)
{
	before_value(o);
	fprintf(o->f, "%" PRId64, v);
}

void st_jo_double(struct st_jo *o, double v)
{
	char buf[40];

	before_value(o);
	if (!isfinite(v)) {
		fputs("null", o->f);
		return;
	}
	st_json_format_double(buf, sizeof(buf), v);
	fputs(buf, o->f);
}

void st_jo_bool(struct st_jo *o, bool v)
{
	before_value(o);
	fputs(v ? "true" : "false", o->f);
}

void st_jo_null(struct st_jo *o)
{
	before_value(o);
	fputs("null", o->f);
}

void st_jo_kstr(struct st_jo *o, const char *key, const char *s, size_t max)
{
	st_jo_key(o, key);
	st_jo_strn(o, s, max);
}

void st_jo_ku64(struct st_jo *o, const char *key, uint64_t v)
{
	st_jo_key(o, key);
	st_jo_u64(o, v);
}

void st_jo_ki64(struct st_jo *o, const char *key, int64_t v)
{
	st_jo_key(o, key);
	st_jo_i64(o, v);
}

void st_jo_kdouble(struct st_jo *o, const char *key, double v)
{
	st_jo_key(o, key);
	st_jo_double(o, v);
}

void st_jo_kbool(struct st_jo *o, const char *key, bool v)
{
	st_jo_key(o, key);
	st_jo_bool(o, v);
}
