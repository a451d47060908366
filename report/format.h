/* SPDX-License-Identifier: GPL-2.0 */
/*
 * format.h — numbers and text for humans, shared by the renderers (text
 * report here; the HTML and CSV renderers may reuse it). Owned by the text
 * report; additions welcome, keep the existing outputs stable (tests hold them).
 */
#ifndef SCHEDTRACE_FORMAT_H
#define SCHEDTRACE_FORMAT_H

#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

/*
 * A duration with a sensible unit: "850 ns", "5.6 µs", "123 µs", "12.3 ms",
 * "1.50 s". Below 1 µs whole ns; otherwise one decimal below 100 of the unit.
 * Negative durations keep their sign. Returns buf.
 */
char *st_fmt_ns(char *buf, size_t len, double ns);

/* An average amount per something: "12", "2.1", "0.05" (two significant digits below 1). */
char *st_fmt_amount(char *buf, size_t len, double v);

/* A count with thousands separators: "200,000". Returns buf. */
char *st_fmt_count(char *buf, size_t len, __u64 n);

/*
 * Why some runqueue waits are untimed (st_latency.untimed), one phrase for the
 * text and HTML reports.
 */
#define ST_RUNQ_UNTIMED_WHY                                                                      \
	"threads the tracer first saw already waiting (its stamps start at the first switch-out or " \
	"wake-up it sees), or queued without the kernel's enqueue stamp"

/* A UTC date from unix seconds, "2026-11-29 03:40 UTC"; "unknown" for 0. Returns buf. */
char *st_fmt_unix_date(char *buf, size_t len, __u64 unix_s);

/*
 * What a timeline kept and lost, one phrase for the text and HTML reports:
 * "200,009 records of its own window before the repeats (9.8 µs/switch while
 * recording, 1.75x the repeats') (200,000 coroutine switches); lost: 0 on
 * CPU 0, 0 on CPU 1; coroutine ring full: 0 dropped". repeats_ns: the
 * repeats' ns/switch, 0 when none finished. Past 8 CPUs only those that lost
 * records are named ("lost: none" when none did). Returns buf.
 */
struct st_tl_counts;
char *st_fmt_timeline(char *buf, size_t len, const struct st_tl_counts *c, double repeats_ns);

/* What a --light timeline leaves out, appended to st_fmt_timeline's phrase. */
#define ST_TL_LIGHT_NOTE "; scheduler only (--light): no syscall slices"

/* Display width of UTF-8 text: code points, not bytes ("µ" is one column). */
int st_text_width(const char *s);

/* s padded with spaces to width columns, left- or right-aligned (UTF-8 aware). */
void st_fput_padded(FILE *f, const char *s, int width, int right_align);

/*
 * Words of text wrapped to width columns, starting where the cursor is
 * (column col, already printed by the caller); each further line starts
 * with indent spaces. Ends with a newline.
 */
void st_fput_wrapped(FILE *f, const char *text, int col, int indent, int width);

/*
 * A paragraph built sentence by sentence, then wrapped: st_para_add() appends
 * (silently truncating at the buffer's end), st_para_flush() prints it wrapped
 * to width columns followed by a blank line and empties it.
 */
struct st_para {
	char text[2048];
	size_t len;
};

__attribute__((format(printf, 2, 3))) void st_para_add(struct st_para *p, const char *fmt, ...);
void st_para_flush(FILE *f, struct st_para *p, int width);

#endif
