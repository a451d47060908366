// SPDX-License-Identifier: GPL-2.0
/* text_hist.c — a log-linear histogram as rows of '#' bars. */
#include "latency.h"
#include "format.h"
#include "text_parts.h"

/* "  lo - hi  count |####    |" */
static void row(FILE *f, __u64 lo_ns, __u64 hi_ns, __u64 count, int bar, int bar_width)
{
	char lo[24], hi[24], n[32];

	if (count && bar == 0)
		bar = 1; /* a non-empty slot always shows */
	fputs("  ", f);
	st_fput_padded(f, st_fmt_ns(lo, sizeof(lo), (double)lo_ns), 9, 1);
	fputs(" - ", f);
	st_fput_padded(f, st_fmt_ns(hi, sizeof(hi), (double)hi_ns), 9, 0);
	fputc(' ', f);
	st_fput_padded(f, st_fmt_count(n, sizeof(n), count), 10, 1);
	fputs(" |", f);
	for (int i = 0; i < bar_width; i++)
		fputc(i < bar ? '#' : ' ', f);
	fputs("|\n", f);
}

/* Slots per printed row: one, or a whole power of two when the spread is wide. */
static int slot_group(int first, int last)
{
	return last - first + 1 > ST_TEXT_HIST_ROWS ? 4 : 1;
}

/* First slot of the row that holds slot s (slots 0-3 are the values 0-3: one row). */
static int group_start(int s, int group)
{
	if (group == 1)
		return s;
	return s < 4 ? 0 : 4 + (s - 4) / 4 * 4;
}

void st_text_hist(FILE *f, const __u64 *hist, int nslots, int bar_width)
{
	int first = -1, last = -1, group, nrows = 0;
	struct {
		int lo, hi; /* slots [lo, hi) */
		__u64 n;
	} rows[ST_HIST_SLOTS];
	__u64 most = 0;

	if (nslots > ST_HIST_SLOTS)
		nslots = ST_HIST_SLOTS;
	for (int s = 0; s < nslots; s++) {
		if (hist[s]) {
			if (first < 0)
				first = s;
			last = s;
		}
	}
	if (first < 0) {
		fprintf(f, "  (no samples)\n");
		return;
	}
	group = slot_group(first, last);
	for (int s = group_start(first, group); s <= last;) {
		int hi = group == 1 ? s + 1 : s < 4 ? 4 : s + 4;

		rows[nrows].lo = s;
		rows[nrows].hi = hi;
		rows[nrows].n = 0;
		for (int i = s; i < hi && i < nslots; i++)
			rows[nrows].n += hist[i];
		if (rows[nrows].n > most)
			most = rows[nrows].n;
		nrows++;
		s = hi;
	}
	for (int r = 0; r < nrows; r++) {
		int to = r; /* a run of empty rows prints as one */

		while (!rows[r].n && to + 1 < nrows && !rows[to + 1].n)
			to++;
		row(f, st_hist_slot_lo(rows[r].lo), st_hist_slot_lo(rows[to].hi), rows[r].n,
		    (int)((double)rows[r].n * bar_width / (double)most + 0.5), bar_width);
		r = to;
	}
}
