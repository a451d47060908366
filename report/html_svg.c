// SPDX-License-Identifier: GPL-2.0
/*
 * html_svg.c — the charts of the HTML report, as inline SVG: stacked bars of
 * the CPU-time parts, a latency histogram, and the gap between two runs as a
 * waterfall. Every mark has a <title>, so hovering shows its number.
 */
#include <math.h>
#include <stdbool.h>
#include <string.h>
#include "html.h" /* first: model.h brings the __u64 types hist.h needs */
#include "compare.h"
#include "format.h"
#include "hist.h"

#define CHART_W 900
#define LABEL_W 190 /* run names left of the bars */
#define VALUE_W 110 /* totals right of the bars */
#define PLOT_W (CHART_W - LABEL_W - VALUE_W)

/* Parts below zero (an overshoot, a negative unexplained) cannot stack: bars show the rest. */
static double positive(double v)
{
	return v > 0 && isfinite(v) ? v : 0;
}

static double positive_sum(const struct st_breakdown *b)
{
	double s = 0;

	for (int p = 0; p < ST_HTML_NR_PARTS; p++)
		s += positive(st_html_part_ns(b, p));
	return s;
}

static void svg_open(FILE *f, int h, const char *label)
{
	/* inline SVG in HTML needs no xmlns, and the page holds no URL at all */
	fprintf(f, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" "
		   "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"", CHART_W, h, CHART_W, h);
	st_html_escape(f, label);
	fputs("\">\n", f);
}

void st_svg_parts_bars(FILE *f, const struct st_run *const *runs, int n, int shared_scale)
{
	const int row_h = 44, bar_h = 28, top = 8;
	static struct st_breakdown parts; /* ~10 kB: not on the stack */
	const struct st_breakdown *b = &parts;
	double scale_max = 0;
	char buf[64], label[160];

	for (int i = 0; i < n; i++) {
		st_html_parts_of(runs[i], &parts);
		scale_max = fmax(scale_max, positive_sum(&parts));
	}
	svg_open(f, top + n * row_h + 4, "CPU time per switch, by part");
	for (int i = 0; i < n; i++) {
		st_html_parts_of(runs[i], &parts);
		double sum = positive_sum(b), full = shared_scale ? scale_max : sum, x = LABEL_W;
		int y = top + i * row_h;

		st_html_run_label(label, sizeof(label), runs[i]);
		fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"rowlabel\" text-anchor=\"end\">", LABEL_W - 10,
			y + bar_h / 2 + 5);
		st_html_escape(f, label);
		fputs("</text>\n", f);
		if (full <= 0) {
			fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"note\">%s</text>\n", LABEL_W, y + bar_h / 2 + 5,
				runs[i]->traced ? "no CPU time measured" : "not traced (--no-trace): no parts to show");
			continue;
		}
		for (int p = 0; p < ST_HTML_NR_PARTS; p++) {
			double v = positive(st_html_part_ns(b, p)), w = PLOT_W * v / full;

			if (w <= 0)
				continue;
			fprintf(f, "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" fill=\"%s\">"
				   "<title>%s: %s (%.1f%%)</title></rect>\n",
				x, y, w, bar_h, st_html_parts[p].color, st_html_parts[p].name,
				st_fmt_ns(buf, sizeof(buf), v), sum > 0 ? 100 * v / sum : 0);
			if (w >= 52)
				fprintf(f, "<text x=\"%.2f\" y=\"%d\" class=\"inbar\" text-anchor=\"middle\">%s</text>\n",
					x + w / 2, y + bar_h / 2 + 4, st_fmt_ns(buf, sizeof(buf), v));
			x += w;
		}
		fprintf(f, "<text x=\"%.2f\" y=\"%d\" class=\"total\">%s</text>\n", x + 8, y + bar_h / 2 + 5,
			st_fmt_ns(buf, sizeof(buf), b->ns_per_switch));
		if (b->nr_cpus > 1) /* under the bar's end, kept inside the chart */
			fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"note\" text-anchor=\"end\">CPU time of %d CPUs</text>\n",
				CHART_W - 4, y + bar_h + 11, b->nr_cpus);
	}
	fputs("</svg>\n", f);
}

/* x of value v (ns) inside slots [first, last] drawn from x0 with slot width sw */
static double hist_x(double v, int first, int last, double x0, double sw)
{
	int s = (int)st_hist_slot_of(v > 0 ? (__u64)v : 0);
	double lo = (double)st_hist_lo_of((__u32)s), hi = (double)st_hist_lo_of((__u32)s + 1);
	double frac = s + 1 < ST_HIST_SLOTS && hi > lo ? (v - lo) / (hi - lo) : 0.5;

	if (s < first)
		return x0;
	if (s > last)
		return x0 + sw * (last - first + 1);
	return x0 + sw * (s - first + fmin(fmax(frac, 0), 1));
}

/* A round step (1, 2 or 5 times a power of ten) that cuts 0..max into at most 4 gridlines. */
static double nice_step(double max)
{
	double step = 1;

	while (step * 4 < max) {
		if (step * 2 * 4 >= max)
			return step * 2;
		if (step * 5 * 4 >= max)
			return step * 5;
		step *= 10;
	}
	return step;
}

void st_svg_latency_hist(FILE *f, const struct st_latency *l, const char *title)
{
	const int h = 276, top = 40, plot_h = 180, x0 = 70, plot_w = CHART_W - x0 - 20;
	int first = -1, last = -1, label_every, ticks;
	__u64 max = 0;
	double sw, step, y_max;
	char buf[64], buf2[64];

	for (int s = 0; s < ST_HIST_SLOTS; s++) {
		if (!l->hist[s])
			continue;
		if (first < 0)
			first = s;
		last = s;
		if (l->hist[s] > max)
			max = l->hist[s];
	}
	svg_open(f, h, title);
	if (first < 0) {
		fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"note\">no samples</text>\n</svg>\n", x0, top + 20);
		return;
	}
	/* at least two octaves wide, starting on an octave, so the axis reads as powers of two */
	first = first < 4 ? 0 : first - (first - 4) % 4;
	if (last - first < 8)
		last = first + 8 < ST_HIST_SLOTS ? first + 8 : ST_HIST_SLOTS - 1;
	sw = (double)plot_w / (last - first + 1);
	label_every = last - first + 1 > 48 ? 8 : 4;

	step = nice_step((double)max);
	ticks = (int)ceil((double)max / step);
	y_max = step * ticks;
	for (int g = 0; g <= ticks; g++) { /* count gridlines at round numbers */
		double y = top + plot_h - plot_h * g / (double)ticks;
		fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
			   "<text x=\"%d\" y=\"%.1f\" class=\"axis\" text-anchor=\"end\">%s</text>\n",
			x0, x0 + plot_w, y, y, x0 - 6, y + 4, st_fmt_count(buf, sizeof(buf), (__u64)llround(step * g)));
	}
	for (int s = first; s <= last; s++) {
		double x = x0 + sw * (s - first), bh = (double)plot_h * l->hist[s] / y_max;

		if (l->hist[s] && bh < 2)
			bh = 2; /* a lone outlier stays visible */

		if (l->hist[s])
			fprintf(f, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" class=\"bar\">"
				   "<title>%s to %s: %llu</title></rect>\n",
				x + 0.5, top + plot_h - bh, fmax(sw - 1, 0.5), bh,
				st_fmt_ns(buf, sizeof(buf), (double)st_hist_lo_of((__u32)s)),
				s + 1 < ST_HIST_SLOTS ? st_fmt_ns(buf2, sizeof(buf2), (double)st_hist_lo_of((__u32)s + 1))
						      : "more",
				(unsigned long long)l->hist[s]);
		if ((s - first) % label_every == 0)
			fprintf(f, "<line x1=\"%.2f\" x2=\"%.2f\" y1=\"%d\" y2=\"%d\" class=\"tick\"/>"
				   "<text x=\"%.2f\" y=\"%d\" class=\"axis\" text-anchor=\"middle\">%s</text>\n",
				x, x, top + plot_h, top + plot_h + 5, x, top + plot_h + 18,
				st_fmt_ns(buf, sizeof(buf), (double)st_hist_lo_of((__u32)s)));
	}
	fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" class=\"axisline\"/>\n", x0, x0 + plot_w,
		top + plot_h, top + plot_h);
	fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"axis\" text-anchor=\"middle\">wait (log scale, 4 bins per doubling)</text>\n",
		x0 + plot_w / 2, top + plot_h + 38);
	for (int k = 0; k < 2; k++) { /* each label on its own row above the bars, so they never meet */
		double v = k ? l->p99_ns : l->p50_ns, x = hist_x(v, first, last, x0, sw);
		int y = top - 24 + 14 * k;
		bool right = x + 100 < CHART_W; /* the label after its line, unless that runs off the chart */

		if (!(v > 0) || !isfinite(v))
			continue;
		fprintf(f, "<line x1=\"%.2f\" x2=\"%.2f\" y1=\"%d\" y2=\"%d\" class=\"marker\"/>"
			   "<text x=\"%.2f\" y=\"%d\" class=\"markerlabel\" text-anchor=\"%s\">%s %s</text>\n",
			x, x, y - 10, top + plot_h, x + (right ? 4 : -4), y, right ? "start" : "end", k ? "p99" : "p50",
			st_fmt_ns(buf, sizeof(buf), v));
	}
	fputs("</svg>\n", f);
}

void st_svg_gap(FILE *f, const struct st_run *fast, const struct st_run *slow)
{
	const int row_h = 30, bar_h = 20, top = 8, rows = ST_HTML_NR_PARTS + 2;
	static struct st_breakdown a, b; /* ~10 kB each: not on the stack */
	double lo = 0, hi, run;
	char buf[64], label[160];
	struct st_gap g;

	/* the same split as compare's "gap explained": the named parts, and the rest as unexplained */
	st_html_parts_of(fast, &a);
	st_html_parts_of(slow, &b);
	st_gap_split(&b, 1, &a, 1, &g);
	hi = fmax(g.lo_ns, g.hi_ns);
	run = g.lo_ns; /* the waterfall's extent: running sums may leave the two totals' range */
	for (int p = 0; p < ST_NR_PARTS; p++) {
		run += g.part_ns[p];
		lo = fmin(lo, run);
		hi = fmax(hi, run);
	}
	if (!(hi > lo) || !isfinite(hi - lo)) {
		fputs("<p class=\"note\">nothing to compare</p>\n", f);
		return;
	}
	svg_open(f, top + rows * row_h + 4, "the gap between two runs, part by part");
#define X(v) (LABEL_W + PLOT_W * ((v) - lo) / (hi - lo))
	run = g.lo_ns;
	for (int r = 0; r < rows; r++) {
		int y = top + r * row_h;
		double from, to;
		const char *color, *name;
		char value[64];

		if (r == 0 || r == rows - 1) {
			st_html_run_label(label, sizeof(label), r ? slow : fast);
			name = label;
			from = 0;
			to = r ? g.hi_ns : g.lo_ns;
			color = "#555555";
			st_fmt_ns(value, sizeof(value), to);
		} else {
			int p = r - 1;
			double d = g.part_ns[p];

			name = st_html_parts[p].name;
			from = run;
			to = run + d;
			run = to;
			color = st_html_parts[p].color;
			snprintf(value, sizeof(value), "%s%s", d >= 0 ? "+" : "\xe2\x88\x92", /* U+2212 minus */
				 st_fmt_ns(buf, sizeof(buf), fabs(d)));
		}
		fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"rowlabel\" text-anchor=\"end\">", LABEL_W - 10,
			y + bar_h / 2 + 5);
		st_html_escape(f, name);
		fprintf(f, "</text>\n<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" fill=\"%s\"%s>"
			   "<title>%s</title></rect>\n",
			X(fmin(from, to)), y, fmax(fabs(X(to) - X(from)), 1), bar_h, color,
			(r == 0 || r == rows - 1) ? "" : " class=\"step\"", value);
		fprintf(f, "<text x=\"%.2f\" y=\"%d\" class=\"total\">%s</text>\n", X(fmax(from, to)) + 6,
			y + bar_h / 2 + 5, value);
		if (r < rows - 1) /* connector to the next step */
			fprintf(f, "<line x1=\"%.2f\" x2=\"%.2f\" y1=\"%d\" y2=\"%d\" class=\"connector\"/>\n",
				X(to), X(to), y + bar_h, y + row_h);
	}
#undef X
	fputs("</svg>\n", f);
}

/* One bar of a group, from 0 to v, with its value after it. */
static void pair_bar(FILE *f, double x0, double x1, int y, int h, const char *color, const char *side,
		     const char *name, double v, double lighter)
{
	char buf[64];

	st_fmt_ns(buf, sizeof(buf), fabs(v) < 0.5 ? 0 : v); /* never "-0 ns" */
	fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"axis\" text-anchor=\"end\">%s</text>\n", LABEL_W - 6, y + h - 2, side);
	fprintf(f, "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" fill=\"%s\" fill-opacity=\"%.2f\" "
		   "stroke=\"%s\" stroke-width=\"0.8\"><title>",
		fmin(x0, x1), y, fmax(fabs(x1 - x0), 1), h, color, lighter, color);
	st_html_escape(f, name);
	fprintf(f, " on %s: %s</title></rect>\n", side, buf);
	fprintf(f, "<text x=\"%.2f\" y=\"%d\" class=\"inbar\">%s</text>\n", fmax(x0, x1) + 6, y + h - 2, buf);
}

void st_svg_pair_bars(FILE *f, const double *a, const double *b, int n, const char *const *names,
		      const char *const *colors)
{
	const int bar_h = 13, group_h = 2 * bar_h + 14, top = 8;
	double lo = 0, hi = 0;

	for (int k = 0; k < n; k++) {
		lo = fmin(lo, fmin(isfinite(a[k]) ? a[k] : 0, isfinite(b[k]) ? b[k] : 0));
		hi = fmax(hi, fmax(isfinite(a[k]) ? a[k] : 0, isfinite(b[k]) ? b[k] : 0));
	}
	if (!(hi > lo)) {
		fputs("<p class=\"note\">nothing to draw: every part is 0</p>\n", f);
		return;
	}
	svg_open(f, top + n * group_h + 4, "each part on A and on B");
#define X(v) (LABEL_W + PLOT_W * ((isfinite(v) ? (v) : 0) - lo) / (hi - lo))
	fprintf(f, "<line x1=\"%.2f\" x2=\"%.2f\" y1=\"%d\" y2=\"%d\" class=\"axisline\"/>\n", X(0.0), X(0.0), top,
		top + n * group_h - 12);
	for (int k = 0; k < n; k++) {
		int y = top + k * group_h;

		fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"rowlabel\" text-anchor=\"end\">", LABEL_W - 22, y + bar_h + 4);
		st_html_escape(f, names[k]);
		fputs("</text>\n", f);
		pair_bar(f, X(0.0), X(a[k]), y, bar_h, colors[k], "A", names[k], a[k], 1);
		pair_bar(f, X(0.0), X(b[k]), y + bar_h + 1, bar_h, colors[k], "B", names[k], b[k], 0.45);
	}
#undef X
	fputs("</svg>\n", f);
}
