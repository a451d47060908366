// SPDX-License-Identifier: GPL-2.0
/*
 * html.c — the HTML report page: one file with inline CSS and SVG, no script
 * and no URL, so it opens offline, mails as one attachment and prints. The
 * charts are in html_svg.c; this file lays out the sections and tables.
 */
#include <math.h>
#include <stdbool.h>
#include <string.h>
#include "compare.h"
#include "format.h"
#include "hook_effect.h"
#include "html.h"
#include "json_schema.h"
#include "witness.h"

/* Okabe-Ito colours: told apart with the common colour-vision deficiencies */
const struct st_html_part st_html_parts[ST_HTML_NR_PARTS] = {
	{ "user code", "the threads' own code in user space", "#0072B2", offsetof(struct st_breakdown, user) },
	{ "mode switch", "entering and leaving the kernel, per system call (calibrated)", "#E69F00",
	  offsetof(struct st_breakdown, mode_switch) },
	{ "kernel: scheduler work", "waking threads and __schedule(): enqueue, pick, context switch", "#CC79A7",
	  offsetof(struct st_breakdown, sched_work) },
	{ "kernel: syscall work", "the system calls' own work, without the scheduler's inside them", "#D55E00",
	  offsetof(struct st_breakdown, syscall_work) },
	{ "kernel: return path", "after a switch, back to user space: the way out of a preemption, the rseq "
	  "notification", "#882255",
	  offsetof(struct st_breakdown, return_path) },
	{ "other tasks", "kworkers, the collector, anything else on the traced CPUs", "#009E73",
	  offsetof(struct st_breakdown, other_tasks) },
	{ "idle", "nothing to run on a traced CPU", "#BBBBBB", offsetof(struct st_breakdown, idle) },
	{ "tracer", "schedtrace's own probes (an estimate)", "#F0E442", offsetof(struct st_breakdown, tracer) },
	{ "unexplained", "measured minus the parts above", "#56B4E9", offsetof(struct st_breakdown, unexplained) },
};

_Static_assert(ST_HTML_NR_PARTS == ST_NR_PARTS, "the parts in the order of compare.h's enum st_part");

double st_html_part_ns(const struct st_breakdown *b, int part)
{
	return *(const double *)((const char *)b + st_html_parts[part].off);
}

void st_html_parts_of(const struct st_run *run, struct st_breakdown *out)
{
	const struct st_breakdown *m = st_run_median_repeat(run);

	*out = m ? *m : run->summary;
	out->ns_per_switch = run->summary.ns_per_switch;
}

void st_html_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		case '\t': case '\n': fputc(*s, f); break;
		default:
			if ((unsigned char)*s < 0x20 || *s == 0x7f)
				fputs("\xef\xbf\xbd", f); /* U+FFFD: control characters are not HTML text */
			else
				fputc(*s, f);
		}
	}
}

void st_html_run_label(char *buf, size_t len, const struct st_run *run)
{
	if (!run->cpus[0])
		snprintf(buf, len, "%s, any CPU", run->workload);
	else if (strpbrk(run->cpus, ",-"))
		snprintf(buf, len, "%s, CPUs %s", run->workload, run->cpus);
	else
		snprintf(buf, len, "%s, CPU %s", run->workload, run->cpus);
}

static const char style[] =
	"body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;color:#1a1a1a;"
	"background:#fff;max-width:980px;margin:24px auto;padding:0 16px}\n"
	"h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 8px;border-bottom:1px solid #ddd;"
	"padding-bottom:4px}h3{font-size:16px;margin:18px 0 6px}\n"
	"p.sub,.note{color:#555}p.lead{font-size:16px}\n"
	"table{border-collapse:collapse;margin:8px 0 12px;font-variant-numeric:tabular-nums}\n"
	"th,td{padding:3px 10px;border-bottom:1px solid #e4e4e4;text-align:right;vertical-align:top}\n"
	"th{background:#f4f4f4;font-weight:600}th:first-child,td:first-child{text-align:left}\n"
	"td.text,th.text{text-align:left;color:#444}td:first-child{white-space:nowrap}\n"
	".legend{display:flex;flex-wrap:wrap;gap:4px 18px;margin:6px 0 10px;padding:0;list-style:none}\n"
	".sw{display:inline-block;width:12px;height:12px;margin-right:6px;vertical-align:-1px;"
	"border:1px solid #0003}\n"
	"svg.chart{width:100%;height:auto;display:block;margin:6px 0}\n"
	"svg text{font:12px system-ui,-apple-system,'DejaVu Sans',sans-serif;fill:#222}\n"
	"svg .rowlabel{font-size:13px}svg .total{font-weight:600}svg .inbar{font-size:11px;fill:#000}\n"
	"svg .note{fill:#666}svg .axis{fill:#555;font-size:11px}svg .grid{stroke:#e6e6e6}\n"
	"svg .tick,svg .axisline{stroke:#888}svg .bar{fill:#0072B2}\n"
	"svg .marker{stroke:#D55E00;stroke-width:1.5;stroke-dasharray:4 3}svg .markerlabel{fill:#D55E00}\n"
	"svg .connector{stroke:#999;stroke-dasharray:2 2}svg .step{stroke:#0004;stroke-width:.5}\n"
	".warn{background:#fff4e0;border-left:4px solid #E69F00;padding:6px 10px}\n"
	"dl.machine{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px}\n"
	"dl.machine dt{color:#555}dl.machine dd{margin:0;word-break:break-word}\n"
	"footer{margin-top:36px;color:#777;font-size:13px}\n"
	"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
	"@media print{body{max-width:none;margin:0;font-size:11pt}h2{break-after:avoid}"
	"section,svg,table,figure{break-inside:avoid}.warn{border:1px solid #E69F00}}\n"
	"@page{margin:14mm}\n";

/* Less than half a ns shows as 0 ns, not "-0 ns": whole ns is what the table prints. */
static double tidy(double v)
{
	return fabs(v) < 0.5 ? 0 : v;
}

void st_html_td_ns(FILE *f, double ns)
{
	char buf[64];

	fprintf(f, "<td>%s</td>", isfinite(ns) ? st_fmt_ns(buf, sizeof(buf), tidy(ns)) : "n/a");
}

void st_html_td_num(FILE *f, const char *fmt, double v)
{
	fputs("<td>", f);
	if (isfinite(v))
		fprintf(f, fmt, fabs(v) < 0.005 ? 0 : v); /* no "-0.00" */
	else
		fputs("n/a", f);
	fputs("</td>", f);
}

static void td_text(FILE *f, const char *s)
{
	fputs("<td class=\"text\">", f);
	st_html_escape(f, s);
	fputs("</td>", f);
}

static void th_run(FILE *f, const struct st_run *run)
{
	char label[160];

	st_html_run_label(label, sizeof(label), run);
	fputs("<th>", f);
	st_html_escape(f, label);
	fputs("</th>", f);
}

static void page_head(FILE *f, const struct st_run *runs, int n)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>schedtrace: ", f);
	for (int i = 0; i < n; i++) {
		if (i)
			fputs(n == 2 ? " vs " : ", ", f);
		st_html_escape(f, runs[i].workload);
	}
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", style);
}

static void summary_section(FILE *f, const struct st_run *runs, int n)
{
	char buf[64], date[64];

	fputs("<header>\n<h1>Where the time of one switch goes</h1>\n<p class=\"sub\">schedtrace report, ", f);
	fprintf(f, "%d run%s", n, n == 1 ? "" : "s");
	if (runs[0].machine.date[0]) {
		fputs(", ", f);
		st_html_escape(f, runs[0].machine.date);
	} else if (runs[0].cal.measured_at) {
		fprintf(f, ", %s", st_fmt_unix_date(date, sizeof(date), runs[0].cal.measured_at));
	}
	if (runs[0].machine.hostname[0]) {
		fputs(", on ", f);
		st_html_escape(f, runs[0].machine.hostname);
	}
	fputs("</p>\n</header>\n", f);

	for (int i = 0; i < n; i++) {
		const struct st_run *r = &runs[i];
		const struct st_breakdown *b = &r->summary;
		char label[160];

		st_html_run_label(label, sizeof(label), r);
		fputs("<p class=\"lead\"><b>", f);
		st_html_escape(f, label);
		fprintf(f, ":</b> %s per switch", st_fmt_ns(buf, sizeof(buf), b->ns_per_switch));
		fprintf(f, " (median of %d repeat%s", r->nr_repeats, r->nr_repeats == 1 ? "" : "s");
		if (b->switches)
			fprintf(f, " of %s switches", st_fmt_count(date, sizeof(date), b->switches));
		fputs(").", f);
		if (r->result.switch_desc[0]) {
			fputs(" One switch is ", f);
			st_html_escape(f, r->result.switch_desc);
			fputs(".", f);
		}
		if (r->traced)
			fprintf(f, " %.2f system calls and %.2f kernel switches per switch.", fabs(b->syscalls) < 0.005 ? 0 : b->syscalls,
				fabs(b->kernel_switches) < 0.005 ? 0 : b->kernel_switches);
		else
			fputs(" Not traced (--no-trace): only the workload's own timing.", f);
		fputs("</p>\n", f);
		if (!r->complete)
			fputs("<p class=\"warn\">INCOMPLETE: this run was interrupted; the numbers cover what was "
			      "measured before.</p>\n",
			      f);
		if (b->lost)
			fprintf(f, "<p class=\"warn\">The tracer lost %s events in this run (thread state %llu, "
				   "map updates %llu, ring buffer %llu, recursion %llu); counts may be short.</p>\n",
				st_fmt_count(buf, sizeof(buf), b->lost), (unsigned long long)b->lost_by_kind[0],
				(unsigned long long)b->lost_by_kind[1], (unsigned long long)b->lost_by_kind[2],
				(unsigned long long)b->lost_by_kind[3]);
	}
}

/* The tasks that took the other tasks' time, named. */
static void interference_notes(FILE *f, const struct st_run *runs, int m)
{
	for (int i = 0; i < m; i++) {
		const struct st_breakdown *b = &runs[i].summary;
		char label[160], ns[32];

		if (!b->nr_top_others)
			continue;
		st_html_run_label(label, sizeof(label), &runs[i]);
		fputs("<p class=\"note\">Other tasks", f);
		if (m > 1) {
			fputs(" (", f);
			st_html_escape(f, label);
			fputs(")", f);
		}
		fputs(", most first:", f);
		for (int k = 0; k < b->nr_top_others && k < ST_TOP_OTHERS; k++) {
			fputs(k ? ", " : " ", f);
			st_html_escape(f, b->top_others[k].comm);
			fprintf(f, " (pid %d%s) %s", b->top_others[k].pid,
				b->top_others[k].collector ? ", schedtrace's own collector" : "",
				st_fmt_ns(ns, sizeof(ns), b->top_others[k].ns));
		}
		fputs(" per switch.</p>\n", f);
	}
}

/* The witness's verdict on each run's user share, and the parts a kernel without some hooks merges. */
static void witness_notes(FILE *f, const struct st_run *runs, int m)
{
	char line[1024];

	for (int i = 0; i < m; i++) {
		char label[160];

		st_html_run_label(label, sizeof(label), &runs[i]);
		if (st_witness_run_sentence(line, sizeof(line), &runs[i])[0]) {
			struct st_witness w;

			st_witness_of(st_witness_subject(&runs[i]), &w);
			fprintf(f, "<p class=\"%s\">", w.disagrees ? "warn" : "note");
		} else if (runs[i].sampling_error[0]) {
			snprintf(line, sizeof(line), "Witness: none, the cpu-clock sampling could not run (%s).",
				 runs[i].sampling_error);
			fputs("<p class=\"note\">", f);
		} else {
			continue;
		}
		if (m > 1) {
			st_html_escape(f, label);
			fputs(": ", f);
		}
		st_html_escape(f, line);
		fputs("</p>\n", f);
	}
	for (int i = 0; i < m; i++)
		if (runs[i].sched_merged || runs[i].return_merged) {
			fputs("<p class=\"note\">This kernel lacks hooks, so parts merge: ", f);
			if (runs[i].sched_merged)
				fputs("without sched_entry_tp/sched_exit_tp (before 6.16) the scheduler's work before "
				      "a switch reads as syscall work and the rest of a blocking call as scheduler work. ", f);
			if (runs[i].return_merged)
				fputs("Without rseq_update the return path reads as user code.", f);
			fputs("</p>\n", f);
			break;
		}
}

/* The section's heading and notes, and which repeat traced the system calls. */
/* A note's opening, named by its workload when the page holds several. */
static void note_start(FILE *f, const struct st_run *run, bool named)
{
	fputs("<p class=\"note\">", f);
	if (named) {
		st_html_escape(f, run->workload);
		fputs(": ", f);
	}
}

/*
 * The tracer's witnesses: the untraced window after the repeats, and the
 * hooks' effect on the scheduler's decisions when the repeats show one
 * (hook_effect.h).
 */
static void hook_effect_note(FILE *f, const struct st_run *run, bool named)
{
	struct st_hook_effect e;
	char a[32], line[256];

	if (st_untraced_sentence(line, sizeof(line), run)[0]) {
		note_start(f, run, named);
		st_html_escape(f, line);
		fputs("</p>\n", f);
	}
	if (!st_hook_effect(run, &e) || !e.found)
		return;
	note_start(f, run, named);
	fprintf(f, "the hooks changed the scheduler's decisions: the kernel switched these threads %.2f times a "
		   "switch with every hook and %.2f with the switch hook alone. The correction for the tracer "
		   "removes the probes' own time, not that: the corrected figure is uncertain by about %s.</p>\n",
		e.detailed_ks, e.light_ks, st_fmt_ns(a, sizeof(a), e.ns));
}

static void parts_intro(FILE *f, const struct st_run *runs, int m)
{
	fputs("<section id=\"parts\">\n<h2>Where the time goes: CPU time per switch</h2>\n", f);
	fputs("<p class=\"note\">Every nanosecond of the measured window on the traced CPUs lands in one part; "
	      "the parts add up to the measured time per switch (times the number of traced CPUs). They are "
	      "the median repeat's, whose parts add up (the terminal report of <code>run</code> shows "
	      "field-by-field medians, which may differ by a few ns). ", f);
	fputs(m > 1 ? "Each bar is its own 100%: its total is at its end.</p>\n" : "</p>\n", f);
	for (int i = 0; i < m; i++)
		if (runs[i].syscalls_repeat > 0) {
			fputs("<p class=\"note\">The system calls, the wake-ups and the runqueue waits were traced in ", f);
			fprintf(f, "repeat %d only; the other repeats ran with the scheduler switch hook alone and "
				   "carry its kernel share per switch and its waits.</p>\n",
				runs[i].syscalls_repeat);
			break;
		}
	for (int i = 0; i < m; i++)
		hook_effect_note(f, &runs[i], m > 1);
}

static void parts_legend(FILE *f)
{
	fputs("<ul class=\"legend\">\n", f);
	for (int p = 0; p < ST_HTML_NR_PARTS; p++)
		fprintf(f, "<li><span class=\"sw\" style=\"background:%s\"></span>%s</li>\n", st_html_parts[p].color,
			st_html_parts[p].name);
	fputs("</ul>\n", f);
}

/* Part p of each run: ns per switch and its share of the run's total. */
static void parts_row(FILE *f, const struct st_run *runs, int m, int p)
{
	fprintf(f, "<tr><td><span class=\"sw\" style=\"background:%s\"></span>%s</td>", st_html_parts[p].color,
		st_html_parts[p].name);
	for (int i = 0; i < m; i++) {
		static struct st_breakdown b; /* ~10 kB: not on the stack in a loop */
		double v, total;
		char buf[64];

		st_html_parts_of(&runs[i], &b);
		v = st_html_part_ns(&b, p);
		total = b.ns_per_switch * b.nr_cpus;

		fprintf(f, "<td>%s <span class=\"note\">%.0f%%</span></td>", st_fmt_ns(buf, sizeof(buf), tidy(v)),
			total > 0 ? 100 * tidy(v) / total : 0);
	}
	td_text(f, st_html_parts[p].what);
	fputs("</tr>\n", f);
}

/* The parts of each run, then what was measured and what is left without the tracer. */
static void parts_table(FILE *f, const struct st_run *runs, int m)
{
	fputs("<table>\n<tr><th>part</th>", f);
	for (int i = 0; i < m; i++)
		th_run(f, &runs[i]);
	fputs("<th class=\"text\">what it is</th></tr>\n", f);
	for (int p = 0; p < ST_HTML_NR_PARTS; p++)
		parts_row(f, runs, m, p);
	fputs("<tr><th>measured</th>", f);
	for (int i = 0; i < m; i++) {
		char buf[64];
		fprintf(f, "<th>%s</th>", st_fmt_ns(buf, sizeof(buf), runs[i].summary.ns_per_switch));
	}
	fputs("<th></th></tr>\n<tr><td>without the tracer</td>", f);
	for (int i = 0; i < m; i++)
		st_html_td_ns(f, runs[i].summary.corrected_ns_per_switch);
	fputs("<td class=\"text\">measured minus the tracer's estimate</td></tr>\n</table>\n", f);
}

static void counts_table(FILE *f, const struct st_run *runs, int m)
{
	static const struct {
		const char *name;
		size_t off;
	} counts[] = {
		{ "system calls", offsetof(struct st_breakdown, syscalls) },
		{ "kernel switches", offsetof(struct st_breakdown, kernel_switches) },
		{ "&nbsp;&nbsp;voluntary (blocked)", offsetof(struct st_breakdown, voluntary) },
		{ "&nbsp;&nbsp;preempted", offsetof(struct st_breakdown, involuntary) },
		{ "wakeups", offsetof(struct st_breakdown, wakeups) },
		{ "&nbsp;&nbsp;from another CPU", offsetof(struct st_breakdown, cross_cpu_wakeups) },
		{ "migrations", offsetof(struct st_breakdown, migrations) },
	};

	fputs("<h3>Counts per switch</h3>\n<table>\n<tr><th></th>", f);
	for (int i = 0; i < m; i++)
		th_run(f, &runs[i]);
	fputs("</tr>\n", f);
	for (size_t c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
		fprintf(f, "<tr><td>%s</td>", counts[c].name);
		for (int i = 0; i < m; i++)
			st_html_td_num(f, "%.2f", *(const double *)((const char *)&runs[i].summary + counts[c].off));
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void parts_section(FILE *f, const struct st_run *runs, int n)
{
	const struct st_run *ptrs[ST_HTML_MAX_RUNS];
	int m = n < ST_HTML_MAX_RUNS ? n : ST_HTML_MAX_RUNS;

	for (int i = 0; i < m; i++)
		ptrs[i] = &runs[i];
	parts_intro(f, runs, m);
	st_svg_parts_bars(f, ptrs, m, 0);
	parts_legend(f);
	parts_table(f, runs, m);
	witness_notes(f, runs, m);
	interference_notes(f, runs, m);
	counts_table(f, runs, m);
	fputs("</section>\n", f);
}

static const struct st_run *find_run(const struct st_run *runs, int n, const char *workload, const char *cpus)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(runs[i].workload, workload) && (!cpus || !strcmp(runs[i].cpus, cpus)))
			return &runs[i];
	return NULL;
}

/* pthread - coro-yield: the article's gap, measured here and split into parts. */
static void gap_section(FILE *f, const struct st_run *runs, int n)
{
	const struct st_run *fast = NULL, *slow = NULL;
	char a[64], b[64];

	for (int i = 0; i < n && !slow; i++) /* same CPUs if the set has such a pair */
		if (!strcmp(runs[i].workload, "coro-yield") && (slow = find_run(runs, n, "pthread", runs[i].cpus)))
			fast = &runs[i];
	if (!slow) {
		fast = find_run(runs, n, "coro-yield", NULL);
		slow = find_run(runs, n, "pthread", NULL);
	}
	if (!fast || !slow)
		return;
	fputs("<section id=\"gap\">\n<h2>The gap: pthread minus coro-yield</h2>\n<p>", f);
	fprintf(f, "A pthread switch costs %s, a coroutine yield %s", st_fmt_ns(a, sizeof(a), slow->summary.ns_per_switch),
		st_fmt_ns(b, sizeof(b), fast->summary.ns_per_switch));
	if (fast->summary.ns_per_switch > 0)
		fprintf(f, ": %.0f times as much", slow->summary.ns_per_switch / fast->summary.ns_per_switch);
	fputs(". Starting from the coroutine's time per switch, each step adds what pthread spends more (or "
	      "less) in one part; the last bar is pthread's time.</p>\n", f);
	st_svg_gap(f, fast, slow);
	fputs("</section>\n", f);
}

/* A workload measured on different CPU sets: one CPU for both sides, one each, or unpinned. */
static void pinning_section(FILE *f, const struct st_run *runs, int n)
{
	bool title = false;

	for (int i = 0; i < n; i++) {
		const struct st_run *group[ST_HTML_MAX_RUNS];
		int m = 0;
		bool seen = false;

		for (int k = 0; k < i; k++)
			seen |= !strcmp(runs[k].workload, runs[i].workload);
		if (seen)
			continue;
		for (int k = i; k < n && m < ST_HTML_MAX_RUNS; k++) {
			bool dup = false;
			for (int j = 0; j < m; j++)
				dup |= !strcmp(group[j]->cpus, runs[k].cpus);
			if (!strcmp(runs[k].workload, runs[i].workload) && !dup)
				group[m++] = &runs[k];
		}
		if (m < 2)
			continue;
		if (!title) {
			bool unpinned = false;
			for (int k = 0; k < n; k++)
				unpinned |= !runs[k].cpus[0];
			fprintf(f, "<section id=\"pinning\">\n<h2>%s</h2>\n",
				unpinned ? "Pinned vs unpinned" : "Different CPU sets");
			fputs("<p class=\"note\">The same "
			      "workload on different CPU sets, on one scale. Two sides on one CPU hand over without "
			      "a cross-CPU wakeup; on two CPUs, each switch can leave a CPU idle; unpinned, the "
			      "scheduler also migrates.</p>\n", f);
			title = true;
		}
		fputs("<h3>", f);
		st_html_escape(f, runs[i].workload);
		fputs("</h3>\n", f);
		st_svg_parts_bars(f, group, m, 1);
		fputs("<table>\n<tr><th>CPUs</th><th>per switch</th><th>idle</th><th>migrations</th>"
		      "<th>cross-CPU wakeups</th><th>runqueue wait p50</th><th>p99</th></tr>\n", f);
		for (int j = 0; j < m; j++) {
			const struct st_breakdown *b = &group[j]->summary;

			fputs("<tr>", f);
			td_text(f, group[j]->cpus[0] ? group[j]->cpus : "any (unpinned)");
			st_html_td_ns(f, b->ns_per_switch);
			st_html_td_ns(f, b->idle);
			st_html_td_num(f, "%.2f", b->migrations);
			st_html_td_num(f, "%.2f", b->cross_cpu_wakeups);
			st_html_td_ns(f, b->runq.p50_ns);
			st_html_td_ns(f, b->runq.p99_ns);
			fputs("</tr>\n", f);
		}
		fputs("</table>\n", f);
	}
	if (title)
		fputs("</section>\n", f);
}

static void latency_section(FILE *f, const struct st_run *runs, int n)
{
	fputs("<section id=\"latency\">\n<h2>Runqueue wait</h2>\n<p class=\"note\">From a wake-up (woken) or "
	      "a switch-out still runnable (preempted) to running again: a distribution, not part of the sum "
	      "above. A maximum marked &lt; is a bound (the top of a histogram slot), not a measured value."
	      "</p>\n", f);
	for (int i = 0; i < n; i++) {
		const struct st_breakdown *b = &runs[i].summary;
		const struct st_latency *l = &b->runq;
		char label[160], t[200], c[32];

		st_html_run_label(label, sizeof(label), &runs[i]);
		fputs("<h3>", f);
		st_html_escape(f, label);
		fputs("</h3>\n", f);
		if (!l->count) {
			fputs("<p class=\"note\">No runqueue waits: the kernel never had to make these threads wait "
			      "for a CPU (a coroutine switch never enters the kernel).</p>\n", f);
			continue;
		}
		snprintf(t, sizeof(t), "runqueue wait of %s", label);
		st_svg_latency_hist(f, l, t);
		fprintf(f, "<table>\n<tr><th></th><th>waits</th><th>mean</th><th>p50</th><th>p90</th><th>p99</th>"
			   "<th>max</th></tr>\n");
		{
			const struct {
				const char *name;
				const struct st_latency *l;
			} rows[] = { { "all", &b->runq }, { "woken", &b->runq_woken },
				     { "preempted", &b->runq_preempted }, { "migrated", &b->runq_migrated },
				     { "same CPU", &b->runq_local }, { "system call (wall)", &b->syscall },
				     { "on-CPU slice", &b->oncpu } };
			for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
				fprintf(f, "<tr><td>%s</td><td>%s</td>", rows[r].name,
					st_fmt_count(c, sizeof(c), rows[r].l->count));
				if (rows[r].l->count) {
					st_html_td_ns(f, rows[r].l->mean_ns);
					st_html_td_ns(f, rows[r].l->p50_ns);
					st_html_td_ns(f, rows[r].l->p90_ns);
					st_html_td_ns(f, rows[r].l->p99_ns);
					if (rows[r].l->max_exact) {
						st_html_td_ns(f, rows[r].l->max_ns);
					} else {
						char m[32];

						fprintf(f, "<td>&lt; %s</td>", st_fmt_ns(m, sizeof(m), rows[r].l->max_ns));
					}
				} else {
					fputs("<td></td><td></td><td></td><td></td><td></td>", f);
				}
				fputs("</tr>\n", f);
			}
		}
		fputs("</table>\n", f);
		if (l->untimed)
			fprintf(f, "<p class=\"note\">And %s switch-ins whose wait no stamp covers, not "
				   "counted above: " ST_RUNQ_UNTIMED_WHY ".</p>\n",
				st_fmt_count(c, sizeof(c), l->untimed));

	}
	fputs("</section>\n", f);
}

static void syscalls_section(FILE *f, const struct st_run *runs, int n)
{
	bool any = false;

	for (int i = 0; i < n; i++)
		any |= runs[i].summary.nr_sys_rows > 0;
	if (!any)
		return;
	fputs("<section id=\"syscalls\">\n<h2>System calls per switch</h2>\n", f);
	for (int i = 0; i < n; i++) {
		const struct st_breakdown *b = &runs[i].summary;
		int rows = b->nr_sys_rows < 0 ? 0 : b->nr_sys_rows > ST_MAX_SYS_ROWS ? ST_MAX_SYS_ROWS : b->nr_sys_rows;
		char label[160];

		if (!rows)
			continue;
		st_html_run_label(label, sizeof(label), &runs[i]);
		fputs("<h3>", f);
		st_html_escape(f, label);
		fputs("</h3>\n<table>\n<tr><th>call</th><th>calls</th><th>its work</th><th>scheduler</th>"
		      "<th>blocked</th><th>off CPU</th><th class=\"text\">what it is</th></tr>\n", f);
		for (int r = 0; r < rows; r++) {
			const struct st_sys_row *s = &b->sys_rows[r];

			fputs("<tr>", f);
			td_text(f, s->name);
			st_html_td_num(f, "%.2f", s->calls);
			st_html_td_ns(f, s->work_ns);
			st_html_td_ns(f, s->sched_ns);
			st_html_td_num(f, "%.2f", s->blocked);
			st_html_td_ns(f, s->blocked_ns);
			td_text(f, s->note);
			fputs("</tr>\n", f);
		}
		fputs("</table>\n", f);
	}
	fputs("</section>\n", f);
}

static bool same_machine(const struct st_machine *a, const struct st_machine *b)
{
	return !strcmp(a->kernel, b->kernel) && !strcmp(a->cpu_model, b->cpu_model) &&
	       !strcmp(a->hostname, b->hostname) && a->nr_cpus_online == b->nr_cpus_online;
}

static void dd(FILE *f, const char *name, const char *value)
{
	fprintf(f, "<dt>%s</dt><dd>", name);
	st_html_escape(f, value[0] ? value : "unknown");
	fputs("</dd>\n", f);
}

void st_html_machine_block(FILE *f, const struct st_run *r)
{
	const struct st_machine *m = &r->machine;
	const struct st_calibration *c = &r->cal;
	char bare[64], traced[64], kernel[64], mode[64], line[320];

	fputs("<dl class=\"machine\">\n", f);
	dd(f, "kernel", m->kernel);
	dd(f, "kernel build", m->kernel_version);
	dd(f, "architecture", m->arch);
	dd(f, "CPU", m->cpu_model);
	snprintf(line, sizeof(line), "%d", m->nr_cpus_online);
	dd(f, "CPUs online", line);
	dd(f, "virtualization", m->virtualization);
	dd(f, "clocksource", m->clocksource);
	dd(f, "mitigations", m->mitigations);
	dd(f, "host", m->hostname);
	dd(f, "date", m->date);
	if (c->nowork_syscall_bare_ns > 0)
		snprintf(line, sizeof(line),
			 "mode switch %s: the bare round trip of a syscall that does no work; traced, its probes "
			 "cost %s, %s of it inside the kernel; getppid %s bare%s",
			 st_fmt_ns(mode, sizeof(mode), c->mode_switch_ns),
			 st_fmt_ns(traced, sizeof(traced), c->nowork_syscall_traced_ns - c->nowork_syscall_bare_ns),
			 st_fmt_ns(kernel, sizeof(kernel), c->syscall_probe_in_ns),
			 st_fmt_ns(bare, sizeof(bare), c->null_syscall_bare_ns), c->from_cache ? " (cached)" : "");
	else
		snprintf(line, sizeof(line), "null syscall %s bare, %s traced, %s inside the kernel: mode switch %s%s",
			 st_fmt_ns(bare, sizeof(bare), c->null_syscall_bare_ns),
			 st_fmt_ns(traced, sizeof(traced), c->null_syscall_traced_ns),
			 st_fmt_ns(kernel, sizeof(kernel), c->null_syscall_kernel_ns),
			 st_fmt_ns(mode, sizeof(mode), c->mode_switch_ns), c->from_cache ? " (cached)" : "");
	dd(f, "calibration", line);
	if (r->tl_counts.recorded) {
		char tl[1024];

		st_fmt_timeline(tl, sizeof(tl), &r->tl_counts, r->summary.ns_per_switch);
		if (r->light)
			strncat(tl, ST_TL_LIGHT_NOTE, sizeof(tl) - strlen(tl) - 1);
		dd(f, "timeline", tl);
	}
	fputs("</dl>\n", f);
}

static void machine_section(FILE *f, const struct st_run *runs, int n)
{
	bool same = true;

	for (int i = 1; i < n; i++)
		same &= same_machine(&runs[0].machine, &runs[i].machine);
	fputs("<section id=\"machine\">\n<h2>Machine</h2>\n", f);
	if (same) {
		st_html_machine_block(f, &runs[0]);
	} else {
		fputs("<p class=\"warn\">These runs come from different machines: compare them as ratios "
		      "only.</p>\n", f);
		for (int i = 0; i < n; i++) {
			char label[160];

			st_html_run_label(label, sizeof(label), &runs[i]);
			fputs("<h3>", f);
			st_html_escape(f, label);
			fputs("</h3>\n", f);
			st_html_machine_block(f, &runs[i]);
		}
	}
	fputs("<p class=\"note\">Numbers from two machines are only comparable as ratios.</p>\n</section>\n", f);
}

int st_html_write(FILE *f, const struct st_run *runs, int n)
{
	if (n > ST_HTML_MAX_RUNS)
		n = ST_HTML_MAX_RUNS;
	page_head(f, runs, n);
	if (n > 0) {
		summary_section(f, runs, n);
		parts_section(f, runs, n);
		gap_section(f, runs, n);
		pinning_section(f, runs, n);
		latency_section(f, runs, n);
		syscalls_section(f, runs, n);
		machine_section(f, runs, n);
	}
	fputs("<footer>Written by schedtrace (" ST_JSON_SCHEMA "). This page is self-contained: no script, "
	      "no network.</footer>\n</body>\n</html>\n", f);
	return ferror(f) ? -1 : 0;
}

/* ---- pieces other pages reuse (the lab worksheet) ---- */

void st_html_page_start(FILE *f, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", f);
	st_html_escape(f, title);
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", style);
}

void st_html_machine(FILE *f, const struct st_run *run)
{
	fputs("<section id=\"machine\">\n<h2>Machine</h2>\n", f);
	st_html_machine_block(f, run);
	fputs("</section>\n", f);
}

void st_html_page_end(FILE *f)
{
	fputs("<footer>Written by schedtrace (" ST_JSON_SCHEMA "). This page is self-contained: no script, "
	      "no network.</footer>\n</body>\n</html>\n", f);
}
