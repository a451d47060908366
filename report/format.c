// SPDX-License-Identifier: GPL-2.0
/* format.c — units, thousands separators, UTF-8 aware padding and word wrap. */
#include <stdarg.h>
#include <math.h>
#include <string.h>
#include <time.h>
#include "format.h"
#include "model.h"

char *st_fmt_ns(char *buf, size_t len, double ns)
{
	static const struct {
		double scale;
		const char *unit;
	} units[] = { { 1e3, "µs" }, { 1e6, "ms" }, { 1e9, "s" } };
	double a = fabs(ns), v;
	int i;

	/* round first so that 999.7 ns prints as "1.0 µs", not "1000 ns" */
	if (round(a) < 1e3) {
		snprintf(buf, len, "%.0f ns", ns == 0 ? 0 : ns);
		return buf;
	}
	for (i = 0; i < 2 && round(a / units[i].scale * 10) / 10 >= 1e3; i++)
		;
	v = ns / units[i].scale;
	if (i == 2)
		snprintf(buf, len, "%.2f %s", v, units[i].unit);
	else if (round(fabs(v) * 10) / 10 < 100)
		snprintf(buf, len, "%.1f %s", v, units[i].unit);
	else
		snprintf(buf, len, "%.0f %s", v, units[i].unit);
	return buf;
}

char *st_fmt_amount(char *buf, size_t len, double v)
{
	double a = fabs(v);

	snprintf(buf, len, a >= 9.95 ? "%.0f" : a >= 0.995 ? "%.1f" : "%.2f", v);
	return buf;
}

char *st_fmt_count(char *buf, size_t len, __u64 n)
{
	char digits[24];
	int nd = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)n);
	size_t o = 0;

	for (int i = 0; i < nd && o + 1 < len; i++) {
		if (i > 0 && (nd - i) % 3 == 0 && o + 2 < len)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	if (len)
		buf[o < len ? o : len - 1] = '\0';
	return buf;
}

char *st_fmt_unix_date(char *buf, size_t len, __u64 unix_s)
{
	time_t t = (time_t)unix_s;
	struct tm tm;

	if (!unix_s || !gmtime_r(&t, &tm) || !strftime(buf, len, "%Y-%m-%d %H:%M UTC", &tm))
		snprintf(buf, len, "unknown");
	return buf;
}

int st_text_width(const char *s)
{
	int w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xC0) != 0x80; /* continuation bytes take no column */
	return w;
}

void st_fput_padded(FILE *f, const char *s, int width, int right_align)
{
	int pad = width - st_text_width(s);

	if (right_align)
		fprintf(f, "%*s%s", pad > 0 ? pad : 0, "", s);
	else
		fprintf(f, "%s%*s", s, pad > 0 ? pad : 0, "");
}

/*
 * Length of " unit" at s when a time unit word follows, so "603 ns," or
 * "5.6 µs/switch" never breaks apart.
 */
static size_t unit_after(const char *s)
{
	static const char *const units[] = { "ns", "µs", "ms", "s" };

	if (*s != ' ')
		return 0;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		size_t n = strlen(units[i]);

		if (!strncmp(s + 1, units[i], n) && strchr(" ,.;:)/", s[1 + n]))
			return 1 + strcspn(s + 1, " "); /* with its punctuation: "ns," */
	}
	return 0;
}

void st_fput_wrapped(FILE *f, const char *text, int col, int indent, int width)
{
	int line_start = 1;

	while (*text) {
		size_t n;
		char word[512];
		int w;

		text += strspn(text, " ");
		n = strcspn(text, " ");
		if (!n)
			break;
		n += unit_after(text + n);
		if (n >= sizeof(word))
			n = sizeof(word) - 1;
		memcpy(word, text, n);
		word[n] = '\0';
		text += n;
		w = st_text_width(word);
		if (!line_start && col + 1 + w > width) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
			line_start = 1;
		}
		fprintf(f, "%s%s", line_start ? "" : " ", word);
		col += w + !line_start;
		line_start = 0;
	}
	fputc('\n', f);
}

void st_para_add(struct st_para *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p->len >= sizeof(p->text) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(p->text + p->len, sizeof(p->text) - p->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		p->len += (size_t)n < sizeof(p->text) - p->len ? (size_t)n : sizeof(p->text) - p->len - 1;
}

void st_para_flush(FILE *f, struct st_para *p, int width)
{
	if (!p->len)
		return;
	st_fput_wrapped(f, p->text, 0, 0, width);
	fputc('\n', f);
	p->len = 0;
	p->text[0] = '\0';
}

/* Appends to buf (size len) at *n, keeping it NUL-terminated when it runs out. */
__attribute__((format(printf, 4, 5))) static void add(char *buf, size_t len, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (*n >= len)
		return;
	va_start(ap, fmt);
	w = vsnprintf(buf + *n, len - *n, fmt, ap);
	va_end(ap);
	if (w > 0)
		*n = *n + (size_t)w < len ? *n + (size_t)w : len;
}

char *st_fmt_timeline(char *buf, size_t len, const struct st_tl_counts *c, double repeats_ns)
{
	char a[32], b[32];
	size_t n = 0;
	int shown = 0;

	if (len)
		buf[0] = '\0';
	add(buf, len, &n, "%s records of its own window before the repeats", st_fmt_count(a, sizeof(a), c->records));
	if (c->ns_per_switch > 0) {
		add(buf, len, &n, " (%s/switch while recording", st_fmt_ns(b, sizeof(b), c->ns_per_switch));
		if (repeats_ns > 0)
			add(buf, len, &n, ", %.2fx the repeats'", c->ns_per_switch / repeats_ns);
		add(buf, len, &n, ")");
	}
	if (c->coro_ring)
		add(buf, len, &n, " (%s coroutine switches)", st_fmt_count(b, sizeof(b), c->coro_switches));
	if (c->cut)
		add(buf, len, &n, " (cut short at the collector's limit)");
	add(buf, len, &n, "; lost:");
	for (int k = 0; k < c->nr_cpus && k < ST_MAX_CPUS; k++)
		if (c->nr_cpus <= 8 || c->lost_per_cpu[k])
			add(buf, len, &n, "%s %s on CPU %d", shown++ ? "," : "", st_fmt_count(a, sizeof(a), c->lost_per_cpu[k]),
			    k);
	if (!shown)
		add(buf, len, &n, " none");
	if (c->coro_ring)
		add(buf, len, &n, "; coroutine ring full: %s dropped", st_fmt_count(a, sizeof(a), c->coro_dropped));
	return buf;
}
