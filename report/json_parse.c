// SPDX-License-Identifier: GPL-2.0
/*
 * json_parse.c — see json_parse.h. Values are parsed onto a stack; when a
 * container closes, its children move from the stack into the node array in
 * one block, so every container's children are contiguous.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json_emit.h"
#include "json_parse.h"

struct st_json_doc {
	struct st_json *nodes;
	uint32_t nr_nodes, cap_nodes;
	char *strs; /* NUL-terminated strings back to back; offset 0 is "" */
	size_t nr_strs, cap_strs;
	uint32_t root;
};

struct parser {
	const char *start, *p, *end;
	struct st_json_doc *d;
	struct st_json *stack;
	uint32_t nr_stack, cap_stack;
	uint32_t total; /* values seen, against ST_JSON_MAX_NODES */
	int depth;
	char *err;
	size_t err_len;
	bool failed;
};

static bool fail(struct parser *ps, const char *fmt, ...)
{
	char what[160];
	va_list ap;
	int line = 1;

	if (ps->failed)
		return false;
	for (const char *q = ps->start; q < ps->p && q < ps->end; q++)
		line += *q == '\n';
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(ps->err, ps->err_len, "line %d: %s", line, what);
	ps->failed = true;
	return false;
}

/* Grows *buf to hold need elements of size sz; false when that would not fit. */
static bool grow(void **buf, size_t *cap, size_t need, size_t sz, size_t max)
{
	size_t n = *cap ? *cap : 64;
	void *nb;

	if (need <= *cap)
		return true;
	if (need > max)
		return false;
	while (n < need)
		n = n > max / 2 ? max : n * 2;
	nb = realloc(*buf, n * sz);
	if (!nb)
		return false;
	*buf = nb;
	*cap = n;
	return true;
}

static bool push(struct parser *ps, const struct st_json *v)
{
	size_t cap = ps->cap_stack;

	if (!grow((void **)&ps->stack, &cap, (size_t)ps->nr_stack + 1, sizeof(*v), ST_JSON_MAX_NODES))
		return fail(ps, "out of memory");
	ps->cap_stack = (uint32_t)cap;
	ps->stack[ps->nr_stack++] = *v;
	return true;
}

/* Moves the top n values of the stack into the node array; returns the first index. */
static bool settle(struct parser *ps, uint32_t n, uint32_t *first)
{
	struct st_json_doc *d = ps->d;
	size_t cap = d->cap_nodes;

	if (!grow((void **)&d->nodes, &cap, (size_t)d->nr_nodes + n, sizeof(struct st_json),
		  ST_JSON_MAX_NODES + 1))
		return fail(ps, "out of memory");
	d->cap_nodes = (uint32_t)cap;
	if (n)
		memcpy(d->nodes + d->nr_nodes, ps->stack + ps->nr_stack - n, n * sizeof(struct st_json));
	*first = d->nr_nodes;
	d->nr_nodes += n;
	ps->nr_stack -= n;
	return true;
}

/* Appends bytes to the string buffer (call str_end() after the last piece). */
static bool str_put(struct parser *ps, const char *s, size_t n)
{
	struct st_json_doc *d = ps->d;

	if (!grow((void **)&d->strs, &d->cap_strs, d->nr_strs + n + 1, 1, UINT32_MAX))
		return fail(ps, "strings too large or out of memory");
	memcpy(d->strs + d->nr_strs, s, n);
	d->nr_strs += n;
	return true;
}

static bool str_end(struct parser *ps)
{
	ps->d->strs[ps->d->nr_strs++] = '\0'; /* str_put left room for it */
	return true;
}

static void skip_space(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static int hex4(const char *s)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		char c = s[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* \uXXXX (and its low surrogate, if it is a high one) at ps->p, just after the 'u'. */
static bool parse_unicode_escape(struct parser *ps)
{
	char utf8[4];
	int cp, n;

	if (ps->end - ps->p < 4 || (cp = hex4(ps->p)) < 0)
		return fail(ps, "bad \\u escape in a string");
	ps->p += 4;
	if (cp >= 0xDC00 && cp <= 0xDFFF)
		return fail(ps, "lone low surrogate \\u%04x in a string", cp);
	if (cp >= 0xD800 && cp <= 0xDBFF) {
		int lo;

		if (ps->end - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u' ||
		    (lo = hex4(ps->p + 2)) < 0xDC00 || lo > 0xDFFF)
			return fail(ps, "high surrogate \\u%04x without its low half", cp);
		ps->p += 6;
		cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
	}
	if (cp == 0)
		return fail(ps, "\\u0000 in a string (NUL is not allowed)");
	if (cp < 0x80) {
		utf8[0] = (char)cp, n = 1;
	} else if (cp < 0x800) {
		utf8[0] = (char)(0xC0 | cp >> 6), utf8[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
	} else if (cp < 0x10000) {
		utf8[0] = (char)(0xE0 | cp >> 12), utf8[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		utf8[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
	} else {
		utf8[0] = (char)(0xF0 | cp >> 18), utf8[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		utf8[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), utf8[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
	}
	return str_put(ps, utf8, (size_t)n);
}

/* A string at ps->p (on the opening quote); its decoded text goes to the string buffer. */
static bool parse_string(struct parser *ps, uint32_t *off, uint32_t *len)
{
	size_t begin = ps->d->nr_strs;

	ps->p++;
	for (;;) {
		const char *run = ps->p;
		unsigned char c;

		/* copy plain bytes in one go */
		while (ps->p < ps->end && *ps->p != '"' && *ps->p != '\\' && (unsigned char)*ps->p >= 0x20) {
			size_t n = st_utf8_len((const unsigned char *)ps->p, (size_t)(ps->end - ps->p));
			if (!n)
				return fail(ps, "invalid UTF-8 in a string");
			ps->p += n;
		}
		if (!str_put(ps, run, (size_t)(ps->p - run)))
			return false;
		if (ps->p >= ps->end)
			return fail(ps, "unterminated string");
		c = (unsigned char)*ps->p++;
		if (c == '"')
			break;
		if (c < 0x20)
			return fail(ps, "control character in a string (escape it)");
		if (ps->p >= ps->end)
			return fail(ps, "unterminated string");
		c = (unsigned char)*ps->p++;
		switch (c) {
		case '"': case '\\': case '/': if (!str_put(ps, (char *)&c, 1)) return false; break;
		case 'b': if (!str_put(ps, "\b", 1)) return false; break;
		case 'f': if (!str_put(ps, "\f", 1)) return false; break;
		case 'n': if (!str_put(ps, "\n", 1)) return false; break;
		case 'r': if (!str_put(ps, "\r", 1)) return false; break;
		case 't': if (!str_put(ps, "\t", 1)) return false; break;
		case 'u': if (!parse_unicode_escape(ps)) return false; break;
		default: return fail(ps, "bad escape \\%c in a string", c >= 0x20 && c < 0x7f ? c : '?');
		}
	}
	if (!str_put(ps, "", 0) || !str_end(ps))
		return false;
	*off = (uint32_t)begin;
	*len = (uint32_t)(ps->d->nr_strs - 1 - begin);
	return true;
}

static bool is_digit(const struct parser *ps)
{
	return ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9';
}

static bool parse_number(struct parser *ps, struct st_json *v)
{
	const char *begin = ps->p;

	if (ps->p < ps->end && *ps->p == '-')
		ps->p++;
	if (!is_digit(ps))
		return fail(ps, "bad number");
	if (*ps->p == '0')
		ps->p++;
	else
		while (is_digit(ps))
			ps->p++;
	if (ps->p < ps->end && *ps->p == '.') {
		ps->p++;
		if (!is_digit(ps))
			return fail(ps, "bad number: digits must follow '.'");
		while (is_digit(ps))
			ps->p++;
	}
	if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
		ps->p++;
		if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
			ps->p++;
		if (!is_digit(ps))
			return fail(ps, "bad number: digits must follow the exponent");
		while (is_digit(ps))
			ps->p++;
	}
	v->type = ST_JSON_NUMBER;
	v->str = (uint32_t)ps->d->nr_strs;
	v->len = (uint32_t)(ps->p - begin);
	if (!str_put(ps, begin, v->len) || !str_end(ps))
		return false;
	v->num = strtod(ps->d->strs + v->str, NULL); /* the grammar above checked the text */
	if (!isfinite(v->num))
		return (ps->p = begin, fail(ps, "number out of range"));
	return true;
}

static bool unexpected(struct parser *ps)
{
	unsigned char c = (unsigned char)*ps->p;

	if (c >= 0x20 && c < 0x7f)
		return fail(ps, "unexpected character '%c'", c);
	return fail(ps, "unexpected byte 0x%02x", c);
}

static bool literal(struct parser *ps, const char *word, enum st_json_type t, struct st_json *v)
{
	size_t n = strlen(word);

	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
		return unexpected(ps);
	ps->p += n;
	v->type = t;
	return true;
}

static bool parse_value(struct parser *ps, struct st_json *v);

/* Parses the members or elements of a container opened at ps->p. */
static bool parse_container(struct parser *ps, struct st_json *v, bool object)
{
	char close = object ? '}' : ']';
	uint32_t base = ps->nr_stack, n;

	if (++ps->depth > ST_JSON_MAX_DEPTH)
		return fail(ps, "nested deeper than %d levels", ST_JSON_MAX_DEPTH);
	ps->p++;
	skip_space(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
	} else {
		for (;;) {
			struct st_json item = { 0 };
			uint32_t key = 0, key_len = 0;

			skip_space(ps);
			if (object) {
				if (ps->p >= ps->end || *ps->p != '"')
					return fail(ps, ps->p >= ps->end ? "unexpected end of file, expected a key"
									  : "expected a key in quotes");
				if (!parse_string(ps, &key, &key_len))
					return false;
				skip_space(ps);
				if (ps->p >= ps->end || *ps->p != ':')
					return fail(ps, "expected ':' after a key");
				ps->p++;
			}
			if (!parse_value(ps, &item))
				return false;
			item.key = key;
			item.key_len = key_len;
			if (!push(ps, &item))
				return false;
			skip_space(ps);
			if (ps->p < ps->end && *ps->p == ',') {
				ps->p++;
				continue;
			}
			if (ps->p < ps->end && *ps->p == close) {
				ps->p++;
				break;
			}
			if (ps->p >= ps->end)
				return fail(ps, "unexpected end of file inside %s", object ? "an object" : "an array");
			return fail(ps, "expected ',' or '%c'", close);
		}
	}
	n = ps->nr_stack - base;
	v->type = object ? ST_JSON_OBJECT : ST_JSON_ARRAY;
	v->len = n;
	if (!settle(ps, n, &v->kids))
		return false;
	ps->depth--;
	return true;
}

static bool parse_value(struct parser *ps, struct st_json *v)
{
	skip_space(ps);
	if (++ps->total > ST_JSON_MAX_NODES)
		return fail(ps, "more than %u values", ST_JSON_MAX_NODES);
	if (ps->p >= ps->end)
		return fail(ps, "unexpected end of file, expected a value");
	switch (*ps->p) {
	case '{': return parse_container(ps, v, true);
	case '[': return parse_container(ps, v, false);
	case '"': v->type = ST_JSON_STRING; return parse_string(ps, &v->str, &v->len);
	case 't': return literal(ps, "true", ST_JSON_TRUE, v);
	case 'f': return literal(ps, "false", ST_JSON_FALSE, v);
	case 'n': return literal(ps, "null", ST_JSON_NULL, v);
	default:
		if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9'))
			return parse_number(ps, v);
		return unexpected(ps);
	}
}

struct st_json_doc *st_json_parse(const char *text, size_t len, char *err, size_t err_len)
{
	struct parser ps = { .start = text, .p = text, .end = text + len, .err = err, .err_len = err_len };
	struct st_json root = { 0 };

	if (err_len)
		err[0] = '\0';
	if (len > ST_JSON_MAX_INPUT) {
		snprintf(err, err_len, "larger than %u MiB", ST_JSON_MAX_INPUT >> 20);
		return NULL;
	}
	ps.d = calloc(1, sizeof(*ps.d));
	if (!ps.d) {
		snprintf(err, err_len, "out of memory");
		return NULL;
	}
	skip_space(&ps);
	if (ps.p >= ps.end) {
		fail(&ps, "empty file");
		goto out_fail;
	}
	/* offset 0 of the strings is "", the key of non-members */
	if (!str_put(&ps, "", 0) || !str_end(&ps))
		goto out_fail;
	if (!parse_value(&ps, &root) || !push(&ps, &root) || !settle(&ps, 1, &ps.d->root))
		goto out_fail;
	skip_space(&ps);
	if (ps.p < ps.end) {
		fail(&ps, "unexpected text after the end of the document");
		goto out_fail;
	}
	free(ps.stack);
	return ps.d;

out_fail:
	free(ps.stack);
	st_json_free(ps.d);
	return NULL;
}

void st_json_free(struct st_json_doc *d)
{
	if (!d)
		return;
	free(d->nodes);
	free(d->strs);
	free(d);
}

const struct st_json *st_json_root(const struct st_json_doc *d)
{
	return &d->nodes[d->root];
}

const struct st_json *st_json_at(const struct st_json_doc *d, const struct st_json *v, uint32_t i)
{
	return &d->nodes[v->kids + i];
}

const struct st_json *st_json_get(const struct st_json_doc *d, const struct st_json *v, const char *key)
{
	size_t n = strlen(key);

	if (!v || v->type != ST_JSON_OBJECT)
		return NULL;
	for (uint32_t i = 0; i < v->len; i++) {
		const struct st_json *m = &d->nodes[v->kids + i];
		if (m->key_len == n && memcmp(d->strs + m->key, key, n) == 0)
			return m;
	}
	return NULL;
}

const char *st_json_str(const struct st_json_doc *d, const struct st_json *v)
{
	return d->strs + v->str;
}

const char *st_json_key(const struct st_json_doc *d, const struct st_json *v)
{
	return d->strs + v->key;
}

bool st_json_u64(const struct st_json_doc *d, const struct st_json *v, uint64_t *out)
{
	const char *s = d->strs + v->str;
	char *end;

	if (v->type != ST_JSON_NUMBER || !(*s >= '0' && *s <= '9'))
		return false;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno == 0 && *end == '\0';
}

bool st_json_i64(const struct st_json_doc *d, const struct st_json *v, int64_t *out)
{
	const char *s = d->strs + v->str;
	char *end;

	if (v->type != ST_JSON_NUMBER)
		return false;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return errno == 0 && *end == '\0' && end != s;
}

const char *st_json_type_name(enum st_json_type t)
{
	switch (t) {
	case ST_JSON_NULL: return "null";
	case ST_JSON_FALSE: case ST_JSON_TRUE: return "a boolean";
	case ST_JSON_NUMBER: return "a number";
	case ST_JSON_STRING: return "a string";
	case ST_JSON_ARRAY: return "an array";
	case ST_JSON_OBJECT: return "an object";
	}
	return "?";
}
