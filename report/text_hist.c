// SPDX-License-Identifier: GPL-2.0
/* text_hist.c — a log-linear histogram as rows of '#' bars. */
#include "attribute.h"
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

void st_text_hist(FILE *f, const __u64 *hist, int nslots, int bar_width)
{
	int first = -1, last = -1;
	__u64 most = 0;

	for (int s = 0; s < nslots; s++) {
		if (!hist[s])
			continue;
		if (first < 0)
			first = s;
		last = s;
		if (hist[s] > most)
			most = hist[s];
	}
	if (first < 0) {
		fprintf(f, "  (no samples)\n");
		return;
	}
	for (int s = first; s <= last; s++) {
		int to = s; /* a run of empty slots prints as one row */

		while (!hist[s] && to + 1 <= last && !hist[to + 1])
			to++;
		row(f, st_hist_slot_lo(s), st_hist_slot_lo(to + 1), hist[s],
		    (int)((double)hist[s] * bar_width / (double)most + 0.5), bar_width);
		s = to;
	}
}
