// SPDX-License-Identifier: GPL-2.0
/*
 * pair_words.c — the sentences of `schedtrace report A.json B.json`: how the
 * two machines differ and what to read then, and for each paired run which
 * side is faster and the part that changed most. Only from the numbers and
 * the machine blocks; text_pair.c and html_pair.c print them.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "pair_words.h"

/* the parts as a sentence names them (compare.h's st_part_names are table labels) */
static const char *const part_phrase[ST_NR_PARTS] = {
	[ST_PART_USER] = "user code",
	[ST_PART_MODE_SWITCH] = "the mode switch",
	[ST_PART_SCHED_WORK] = "the scheduler's work in the kernel",
	[ST_PART_SYSCALL_WORK] = "the system calls' own work",
	[ST_PART_RETURN_PATH] = "the return path to user space",
	[ST_PART_OTHER_TASKS] = "other tasks",
	[ST_PART_IDLE] = "idle time",
	[ST_PART_TRACER] = "the tracer (its estimate)",
	[ST_PART_UNEXPLAINED] = "the unexplained rest",
};

#define SHOWN_MITIGATIONS 4 /* the differing mitigations a sentence names */

void st_pair_run_label(char *buf, size_t len, const struct st_run *run)
{
	if (!run->cpus[0])
		snprintf(buf, len, "%s on any CPU", run->workload);
	else
		snprintf(buf, len, "%s on CPU%s %s", run->workload, strpbrk(run->cpus, ",-") ? "s" : "", run->cpus);
}

static const char *or_unknown(const char *s)
{
	return s[0] ? s : "unknown";
}

/* "32 s", "4 min 5 s", "3 h 20 min", "12 days" */
static char *fmt_span(char *buf, size_t len, long long s)
{
	if (s < 60)
		snprintf(buf, len, "%lld s", s);
	else if (s < 3600)
		snprintf(buf, len, "%lld min %lld s", s / 60, s % 60);
	else if (s < 2 * 86400)
		snprintf(buf, len, "%lld h %lld min", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, len, "%lld days", s / 86400);
	return buf;
}

static const char *virt_phrase(char *buf, size_t len, const char *v)
{
	if (!v[0])
		return "on an unknown platform";
	if (!strcmp(v, "none"))
		return "on bare metal";
	snprintf(buf, len, "under %s", v);
	return buf;
}

/* A's and B's dates, and how far apart. */
static void dates(struct st_para *p, const struct st_machine *a, const struct st_machine *b,
		  const struct st_machine_diff *d)
{
	char span[32];

	if (!d->dates_known)
		st_para_add(p, " A was made %s, B %s.", or_unknown(a->date), or_unknown(b->date));
	else if (d->b_after_a_s == 0)
		st_para_add(p, " A and B were made in the same second (%s).", a->date);
	else
		st_para_add(p, " A was made %s, B %s %s (%s).", a->date,
			    fmt_span(span, sizeof(span), llabs(d->b_after_a_s)),
			    d->b_after_a_s > 0 ? "later" : "earlier", b->date);
}

/* The opening sentence: one machine, one host with two kernels, or two machines. */
static void intro(struct st_para *p, const struct st_machine *a, const struct st_machine *b,
		  const struct st_machine_diff *d)
{
	if (d->same_machine)
		st_para_add(p, "Same machine: %s (%s, %d CPUs online, kernel %s).", a->hostname,
			    or_unknown(a->cpu_model), a->nr_cpus_online, or_unknown(a->kernel));
	else if (a->hostname[0] && !d->differs[ST_MF_HOSTNAME] && !d->differs[ST_MF_CPU])
		st_para_add(p, "One machine, two kernels: %s (%s) ran kernel %s for A and %s for B.", a->hostname,
			    or_unknown(a->cpu_model), or_unknown(a->kernel), or_unknown(b->kernel));
	else if (!d->differs[ST_MF_CPU])
		st_para_add(p, "Two machines with the same CPU (%s): A is %s, B is %s.", or_unknown(a->cpu_model),
			    or_unknown(a->hostname), or_unknown(b->hostname));
	else
		st_para_add(p, "Two machines: A is %s (%s), B is %s (%s).", or_unknown(a->hostname),
			    or_unknown(a->cpu_model), or_unknown(b->hostname), or_unknown(b->cpu_model));
}

/* The kernel (when the intro did not say), virtualization, clocksource, CPUs online, architecture. */
static void platform(struct st_para *p, const struct st_machine *a, const struct st_machine *b,
		     const struct st_machine_diff *d, bool kernel_said)
{
	char va[ST_NAME_LEN + 8], vb[ST_NAME_LEN + 8];

	if (d->differs[ST_MF_ARCH])
		st_para_add(p, " A is %s, B %s.", or_unknown(a->arch), or_unknown(b->arch));
	if (d->differs[ST_MF_KERNEL] && !kernel_said)
		st_para_add(p, " A runs kernel %s, B %s.", or_unknown(a->kernel), or_unknown(b->kernel));
	if (d->differs[ST_MF_VIRT])
		st_para_add(p, " A runs %s, B %s.", virt_phrase(va, sizeof(va), a->virtualization),
			    virt_phrase(vb, sizeof(vb), b->virtualization));
	if (d->differs[ST_MF_CLOCKSOURCE])
		st_para_add(p, " A reads the time from %s, B from %s.", or_unknown(a->clocksource),
			    or_unknown(b->clocksource));
	if (d->differs[ST_MF_NR_CPUS])
		st_para_add(p, " A has %d CPUs online, B %d.", a->nr_cpus_online, b->nr_cpus_online);
}

/* PTI on one side only; returns whether it said so. */
static bool pti(struct st_para *p, const struct st_machine *a, const struct st_machine *b,
		const struct st_machine_diff *d)
{
	char sa[128], sb[128];
	bool on_a = d->pti_a == 1;

	if (d->pti_a < 0 || d->pti_b < 0 || d->pti_a == d->pti_b)
		return false;
	st_mitigation_of(a->mitigations, "meltdown", sa, sizeof(sa));
	st_mitigation_of(b->mitigations, "meltdown", sb, sizeof(sb));
	st_para_add(p, " %s runs with PTI (meltdown: %s), %s without (meltdown: %s): on %s, every entry into "
		       "the kernel and every return to user space switches page tables.",
		    on_a ? "A" : "B", on_a ? sa : sb, on_a ? "B" : "A", on_a ? sb : sa, on_a ? "A" : "B");
	return true;
}

/*
 * The calibrated mode switch of each file, when both were calibrated: said
 * when it differs by 20% or more, or, across machines, that it is close.
 */
static void mode_switch(struct st_para *p, const struct st_pair_val *m, bool only_drift, bool machines_differ)
{
	char a[32], b[32];

	if (!(m->a > 0 && m->b > 0))
		return;
	st_fmt_ns(a, sizeof(a), m->a);
	st_fmt_ns(b, sizeof(b), m->b);
	if (fabs(m->ratio - 1) >= 0.2)
		st_para_add(p, " One mode switch (a system call's entry and exit, calibrated) costs %s on A against "
			       "%s on B (x%.2f)%s.", a, b, m->ratio, only_drift ? ": on one machine, that is the "
									"host's drift" : "");
	else if (machines_differ)
		st_para_add(p, " The calibrated mode switch is close on both: %s on A, %s on B.", a, b);
}

static void mitigations(struct st_para *p, const struct st_machine_diff *d, bool pti_said)
{
	int shown = 0, left = d->nr_mitigations;

	for (int i = 0; i < d->nr_mitigations && i < ST_MDIFF_MAX_MITIGATIONS; i++) {
		const struct st_mitigation_diff *m = &d->mitigations[i];

		if (pti_said && !strcmp(m->name, "meltdown")) {
			left--;
			continue;
		}
		if (shown == SHOWN_MITIGATIONS)
			break;
		/* quoted: a status may hold "; " itself */
		st_para_add(p, "%s%s (A %s%s%s, B %s%s%s)", shown ? ", " : pti_said ? " Other mitigations differ: "
									  : " Mitigations differ: ",
			    m->name, m->a[0] ? "\"" : "", m->a[0] ? m->a : "not listed", m->a[0] ? "\"" : "",
			    m->b[0] ? "\"" : "", m->b[0] ? m->b : "not listed", m->b[0] ? "\"" : "");
		shown++;
		left--;
	}
	if (shown && left > 0)
		st_para_add(p, ", and %d more (the machine blocks list them all).", left);
	else if (shown)
		st_para_add(p, ".");
}

/* What to read: ratios within each file across machines; the host's drift on one machine. */
static void reading(struct st_para *p, const struct st_pair *pair, bool same_hardware)
{
	if (same_hardware) {
		st_para_add(p, " The hardware is the same, so the numbers compare as they are; but runs made one "
			       "after the other also differ by the host's drift, so a few percent may be that, not "
			       "a change: run both again to see.");
		return;
	}
	if (pair->base >= 0) {
		const struct st_run *base = pair->rows[pair->base].a;
		const struct st_run *other = pair->rows[pair->base == 0 ? 1 : 0].a;

		st_para_add(p, " Different machines: read the comparison as ratios within each file (%s / %s on A "
			       "against on B, under \"Ratios within each file\"), not as absolute numbers.",
			    other->workload, base->workload);
	} else {
		st_para_add(p, " Different machines: read the comparison as ratios within each file, not as "
			       "absolute numbers; for a ratio, run two workloads on both (e.g. schedtrace compare "
			       "pthread coro-yield --json F).");
	}
}

void st_pair_machine_words(struct st_para *p, const struct st_pair *pair)
{
	const struct st_machine_diff *d = &pair->machine;
	const struct st_machine *a, *b;
	bool same_hardware, kernel_said, others, pti_said;

	if (!pair->first_a || !pair->first_b)
		return;
	a = &pair->first_a->machine;
	b = &pair->first_b->machine;
	same_hardware = a->hostname[0] && !d->differs[ST_MF_HOSTNAME] && !d->differs[ST_MF_CPU];
	kernel_said = same_hardware && !d->same_machine; /* "One machine, two kernels" */
	others = (d->differs[ST_MF_KERNEL] && !kernel_said) || d->differs[ST_MF_ARCH] || d->differs[ST_MF_VIRT] ||
		 d->differs[ST_MF_CLOCKSOURCE] || d->differs[ST_MF_NR_CPUS] || d->differs[ST_MF_MITIGATIONS];
	intro(p, a, b, d);
	if (same_hardware) {
		dates(p, a, b, d);
		st_para_add(p, others ? " Between the two, the machine changed:" : " Nothing else in the two machine "
										  "blocks differs.");
	}
	platform(p, a, b, d, kernel_said);
	pti_said = pti(p, a, b, d);
	mode_switch(p, &pair->mode_switch, !others && same_hardware, !same_hardware);
	mitigations(p, d, pti_said);
	if (!same_hardware)
		dates(p, a, b, d);
	reading(p, pair, same_hardware);
}

/* How a run was traced, for the sentence that says when A and B differ in it. */
static const char *tracing_of(const struct st_run *r)
{
	if (!r->traced)
		return "was not traced (--no-trace)";
	if (r->light)
		return "ran with --light (scheduler hooks only: the threads' own time is not split, it all reads as "
		       "user code)";
	if (r->syscalls_profiled)
		return "ran as compare's rounds with the scheduler hooks, split in the shares of one run with every hook";
	if (r->syscalls_repeat > 0)
		return "had every hook in one repeat, the others split in its shares";
	return "had every hook in every repeat";
}

static void traced_words(struct st_para *p, const struct st_pair_row *r)
{
	const char *a = tracing_of(r->a), *b = tracing_of(r->b);

	if (!strcmp(a, b))
		return;
	st_para_add(p, " Traced differently: A %s; B %s.", a, b);
	if (r->traced && r->a->light != r->b->light)
		st_para_add(p, " User code, the mode switch and the kernel's parts do not compare between them.");
	else if (r->traced)
		st_para_add(p, " The tracer's own part differs with it.");
}

static void most_words(struct st_para *p, const struct st_pair_row *r)
{
	const struct st_pair_most *m = &r->most;
	const struct st_pair_val *v;
	char d[32], a[32], b[32];

	if (!m->dir)
		return;
	if (!r->traced) {
		st_para_add(p, " No parts to compare: %s not traced (--no-trace).",
			    !r->a->traced && !r->b->traced ? "neither was" : !r->a->traced ? "A was" : "B was");
		return;
	}
	if (m->part < 0) {
		st_para_add(p, " No part %s on its own.", m->dir > 0 ? "grew" : "shrank");
		return;
	}
	v = &r->part[m->part];
	st_para_add(p, " What changed most: %s, %s%s per switch (%s on A, %s on B)", part_phrase[m->part],
		    v->diff >= 0 ? "+" : "-", st_fmt_ns(d, sizeof(d), fabs(v->diff)), st_fmt_ns(a, sizeof(a), v->a),
		    st_fmt_ns(b, sizeof(b), v->b));
	if (!isfinite(m->share))
		st_para_add(p, ".");
	else if (m->share > 1.005)
		st_para_add(p, ", more than the whole change in CPU time per switch (%.0f%% of it): other parts "
			       "moved the other way.", 100 * m->share);
	else
		st_para_add(p, ", %.0f%% of the %s in CPU time per switch.", 100 * m->share,
			    m->dir > 0 ? "increase" : "saving");
}

void st_pair_row_words(struct st_para *p, const struct st_pair_row *r)
{
	char a[32], b[32], d[32];

	st_fmt_ns(a, sizeof(a), r->ns.a);
	st_fmt_ns(b, sizeof(b), r->ns.b);
	if (r->most.dir > 0)
		st_para_add(p, "B is slower: %s per switch against %s on A (x%.2f, %s more).", b, a, r->ns.ratio,
			    st_fmt_ns(d, sizeof(d), r->ns.diff));
	else if (r->most.dir < 0)
		st_para_add(p, "B is faster: %s per switch against %s on A (x%.2f, %s less).", b, a, r->ns.ratio,
			    st_fmt_ns(d, sizeof(d), -r->ns.diff));
	else if (isfinite(r->ns.ratio))
		st_para_add(p, "A and B take the same time per switch, within %.0f%%: %s on A, %s on B (x%.2f).",
			    100 * ST_PAIR_SAME, a, b, r->ns.ratio);
	else
		st_para_add(p, "No time per switch to set side by side: %s on A, %s on B.", a, b);
	most_words(p, r);
	traced_words(p, r);
}
