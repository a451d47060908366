// SPDX-License-Identifier: GPL-2.0
/*
 * text.c — the terminal report: warnings first, then the story in
 * sentences (text_story.c), the CPU-time table, the counts, the by-syscall
 * table, the runqueue-wait histogram, the machine and calibration
 * (text_machine.c). Everything per switch, from the median breakdown.
 */
#include <math.h>
#include <string.h>
#include "format.h"
#include "report.h"
#include "text_parts.h"
#include "witness.h"

static void header(FILE *f, const struct st_run *run)
{
	const struct st_breakdown *b = &run->summary;
	/* repeats_planned is new; older collectors put -r in result.nr_repeats */
	int planned = run->result.repeats_planned ? run->result.repeats_planned
						  : run->result.nr_repeats;

	fprintf(f, "schedtrace: %s on CPU%s %s, %d repeat%s%s\n", run->workload,
		strpbrk(run->cpus, ",-") ? "s" : "", run->cpus[0] ? run->cpus : "any",
		run->nr_repeats, run->nr_repeats == 1 ? "" : "s", run->traced ? "" : ", not traced");
	if (!run->complete) {
		if (planned > run->nr_repeats)
			fprintf(f, "INCOMPLETE: interrupted after %d of %d repeats; "
				   "the numbers are from those.\n", run->nr_repeats, planned);
		else
			fprintf(f, "INCOMPLETE: interrupted after %d repeat%s; "
				   "the numbers are from what was measured.\n",
				run->nr_repeats, run->nr_repeats == 1 ? "" : "s");
	}
	if (run->traced && b->lost) {
		char n[32];
		char line[256];

		snprintf(line, sizeof(line),
			 "WARNING: the tracer lost %s events (thread state %llu, map updates %llu, "
			 "ring buffer %llu, recursion misses %llu); counts below may be short.",
			 st_fmt_count(n, sizeof(n), b->lost), (unsigned long long)b->lost_by_kind[0],
			 (unsigned long long)b->lost_by_kind[1], (unsigned long long)b->lost_by_kind[2],
			 (unsigned long long)b->lost_by_kind[3]);
		st_fput_wrapped(f, line, 0, 9, ST_TEXT_WIDTH);
	}
	fputc('\n', f);
}

/* Rounding noise (-0.01 ns) prints as 0.0, not -0.0. */
static double tidy(double ns)
{
	return fabs(ns) < 0.05 ? 0 : ns;
}

/* A row of the table in units of div ns (1: ns; a hog's 200 ms switch: 1e3, µs). */
static void part_row(FILE *f, const char *part, double ns, double total, double div, const char *what)
{
	ns = tidy(ns);
	fputs("  ", f);
	st_fput_padded(f, part, 24, 0);
	fprintf(f, "%10.1f %7.1f%%  %s\n", ns / div, total > 0 ? 100 * ns / total : 0, what);
}

static void cpu_time_table(FILE *f, const struct st_breakdown *b)
{
	double total = b->ns_per_switch * b->nr_cpus;
	/* the unit the numbers fit 10 columns in */
	double div = total < 1e7 ? 1 : total < 1e10 ? 1e3 : 1e6;
	const char *unit = div == 1 ? "ns" : div == 1e3 ? "µs" : "ms";
	char ms[64], tot[32];

	snprintf(ms, sizeof(ms), "%.2f syscalls x entry+exit", b->syscalls);
	snprintf(tot, sizeof(tot), b->nr_cpus > 1 ? "total (%d CPUs)" : "total", b->nr_cpus);

	fprintf(f, "Where the time goes (CPU time per switch)\n");
	fprintf(f, "  %-24s%*s %8s  %s\n", "part", 10 + (div > 1), unit, "share", "what it is");
	part_row(f, "user code", b->user, total, div, "the threads' own code");
	part_row(f, "mode switch", b->mode_switch, total, div, ms);
	part_row(f, "kernel: scheduler work", b->sched_work, total, div, "waking threads, __schedule()");
	part_row(f, "kernel: syscall work", b->syscall_work, total, div, "the calls' own work");
	part_row(f, "kernel: return path", b->return_path, total, div, "after a switch, back to user");
	part_row(f, "other tasks", b->other_tasks, total, div, "kworkers, the collector, ...");
	part_row(f, "idle", b->idle, total, div, "nothing to run on the CPU");
	part_row(f, "tracer (estimate)", b->tracer, total, div, "schedtrace's own probes");
	part_row(f, "unexplained", b->unexplained, total, div, "measured minus the parts");
	part_row(f, tot, total, total, div, b->switches_from_kernel ? "window / kernel switches"
							       : "measured by the workload");
	fputs("  ", f);
	st_fput_padded(f, "corrected for tracer", 24, 0);
	fprintf(f, "%10.1f %8s  %s/switch without the probes\n", b->corrected_ns_per_switch / div, "", unit);
	if (b->elsewhere > 0)
		fprintf(f, "  (traced threads also ran %.1f ns per switch on CPUs outside the set; "
			   "not in the sum)\n", b->elsewhere);
	fputc('\n', f);
}

/* The hooks this kernel lacks, the parts that merged for it, and the witness's verdict. */
static void checks(FILE *f, const struct st_run *run)
{
	char line[1024];

	if (run->sched_merged)
		st_fput_wrapped(f, "Merged: this kernel has no sched_entry_tp/sched_exit_tp (before 6.16), so "
				   "__schedule() is not bracketed: its work before a switch reads as syscall work, "
				   "and the rest of a blocking call after the switch-in as scheduler work.",
				0, 2, ST_TEXT_WIDTH);
	if (run->return_merged)
		st_fput_wrapped(f, "Merged: this kernel has no rseq_update tracepoint, so the return path after "
				   "a preemption reads as user code.", 0, 2, ST_TEXT_WIDTH);
	if (st_witness_run_sentence(line, sizeof(line), run)[0])
		st_fput_wrapped(f, line, 0, 2, ST_TEXT_WIDTH);
	else if (run->sampling_error[0]) {
		snprintf(line, sizeof(line), "Witness: none, the cpu-clock sampling could not run (%s).",
			 run->sampling_error);
		st_fput_wrapped(f, line, 0, 2, ST_TEXT_WIDTH);
	}
	if (run->sched_merged || run->return_merged || line[0])
		fputc('\n', f);
}

/* --perfetto: what the timeline kept and lost */
static void timeline_line(FILE *f, const struct st_tl_counts *tl, double repeats_ns, bool light)
{
	char line[ST_TEXT_WIDTH * 8];

	fputs("  timeline: ", f);
	st_fmt_timeline(line, sizeof(line), tl, repeats_ns);
	if (light)
		strncat(line, ST_TL_LIGHT_NOTE, sizeof(line) - strlen(line) - 1);
	st_fput_wrapped(f, line, 12, 4, ST_TEXT_WIDTH);
}

static void counts_table(FILE *f, const struct st_breakdown *b, const struct st_tl_counts *tl, bool light)
{
	char n[32], l[32];

	fprintf(f, "Counts per switch\n");
	fprintf(f, "  %-24s%10.2f\n", "system calls", b->syscalls);
	fprintf(f, "  %-24s%10.2f  voluntary %.2f, preempted %.2f\n", "kernel switches",
		b->kernel_switches, b->voluntary, b->involuntary);
	fprintf(f, "  %-24s%10.2f  from another CPU %.2f\n", "wakeups", b->wakeups, b->cross_cpu_wakeups);
	fprintf(f, "  %-24s%10.2f\n", "migrations", b->migrations);
	fprintf(f, "  events traced: %s, lost: %s\n", st_fmt_count(n, sizeof(n), b->events),
		st_fmt_count(l, sizeof(l), b->lost));
	if (tl->recorded)
		timeline_line(f, tl, b->ns_per_switch, light);
	fputc('\n', f);
}

static void syscall_table(FILE *f, const struct st_breakdown *b)
{
	if (!b->nr_sys_rows)
		return;
	fprintf(f, "System calls per switch, dearest first (ns per switch)\n");
	fprintf(f, "  %-22s%7s %9s %9s %8s %9s\n", "call", "calls", "its work", "sched", "blocked",
		"off-CPU");
	for (int i = 0; i < b->nr_sys_rows; i++) {
		const struct st_sys_row *r = &b->sys_rows[i];

		fputs("  ", f);
		st_fput_padded(f, r->name, 22, 0);
		fprintf(f, "%7.2f %9.1f %9.1f %8.2f %9.0f\n", r->calls, r->work_ns, r->sched_ns,
			r->blocked, r->blocked_ns);
		if (r->note[0])
			fprintf(f, "      %s\n", r->note);
	}
	fputc('\n', f);
}

static void percentiles(FILE *f, const char *what, const struct st_latency *l)
{
	char line[256], n[32], a[32], b[32], c[32], d[32], e[32];

	if (!l->count)
		return;
	snprintf(line, sizeof(line), "%s: %s, mean %s, p50 %s, p90 %s, p99 %s, %s %s", what,
		 st_fmt_count(n, sizeof(n), l->count), st_fmt_ns(e, sizeof(e), l->mean_ns),
		 st_fmt_ns(a, sizeof(a), l->p50_ns), st_fmt_ns(b, sizeof(b), l->p90_ns),
		 st_fmt_ns(c, sizeof(c), l->p99_ns), l->max_exact ? "max" : "max under",
		 st_fmt_ns(d, sizeof(d), l->max_ns));
	fputs("  ", f);
	st_fput_wrapped(f, line, 2, 4, ST_TEXT_WIDTH);
}

static void latency(FILE *f, const struct st_breakdown *b, int nr_repeats)
{
	fprintf(f, "Runqueue wait (ready until running: woken, or preempted)\n");
	st_text_hist(f, b->runq.hist, ST_HIST_SLOTS, 36);
	percentiles(f, "all waits", &b->runq);
	percentiles(f, "woken", &b->runq_woken);
	percentiles(f, "preempted", &b->runq_preempted);
	if (b->runq.untimed) {
		char line[512], n[32];

		snprintf(line, sizeof(line), "and %s switch-ins whose wait no stamp covers, not counted above: %s",
			 st_fmt_count(n, sizeof(n), b->runq.untimed), ST_RUNQ_UNTIMED_WHY);
		fputs("  ", f);
		st_fput_wrapped(f, line, 2, 4, ST_TEXT_WIDTH);
	}
	/* same-CPU vs migrated only tells something when some waits ended on another CPU */
	if (b->runq_migrated.count) {
		percentiles(f, "on the same CPU", &b->runq_local);
		percentiles(f, "after a migration", &b->runq_migrated);
	}
	fprintf(f, "  migrations %.2f and cross-CPU wakeups %.2f per switch\n", b->migrations, b->cross_cpu_wakeups);
	percentiles(f, "syscall time", &b->syscall);
	percentiles(f, "on-CPU slices", &b->oncpu);
	if (nr_repeats > 1)
		fprintf(f, "  (figures: medians over %d repeats, max the largest; histogram: the median\n"
			   "  repeat's)\n", nr_repeats);
	fputc('\n', f);
}

int st_report_text(FILE *f, const struct st_run *run)
{
	header(f, run);
	st_text_story(f, run);
	st_text_workload(f, run);
	if (run->traced && (run->summary.switches || run->summary.window_ns > 0)) {
		cpu_time_table(f, &run->summary);
		checks(f, run);
		counts_table(f, &run->summary, &run->tl_counts, run->light);
		syscall_table(f, &run->summary);
		latency(f, &run->summary, run->nr_repeats);
	} else if (run->tl_counts.recorded) { /* stopped in the timeline's window: it is all there is */
		timeline_line(f, &run->tl_counts, 0, run->light);
		fputc('\n', f);
	}
	st_text_machine(f, run);
	return ferror(f) ? -1 : 0;
}
