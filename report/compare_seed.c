// SPDX-License-Identifier: GPL-2.0
/*
 * compare_seed.c — the seed article's figures beside this machine's, and a
 * sentence on why they differ, built from the mode-switch cost calibrated
 * here against the seed's ~100 ns per system call.
 */
#include <math.h>
#include <stdarg.h>
#include <string.h>
#include "compare_parts.h"
#include "format.h"
#include "text_parts.h"

struct seed_here {
	const struct st_run *yield, *chan, *pthread;
	double yield_ns, yield_fix;	   /* per switch: measured, tracer estimate taken out */
	double chan_rt, chan_rt_fix;	   /* per round trip */
	double pthread_ns, pthread_fix;	   /* per switch */
	double pthread_rt, pthread_rt_fix; /* per round trip */
};

static const struct st_run *traced_run(const struct st_compare *c, const char *name)
{
	int k = st_find_run(c->pinned, c->nr_pinned, name);

	return k >= 0 && c->pinned[k].traced ? &c->pinned[k] : NULL;
}

static void gather(const struct st_compare *c, struct seed_here *h)
{
	double rt;

	memset(h, 0, sizeof(*h));
	h->yield = traced_run(c, "coro-yield");
	h->chan = traced_run(c, "coro-chan");
	h->pthread = traced_run(c, "pthread");
	if (h->yield) {
		h->yield_ns = h->yield->summary.ns_per_switch;
		h->yield_fix = h->yield->summary.corrected_ns_per_switch;
	}
	if (h->chan && (rt = st_run_switches_per_round_trip(h->chan)) > 0) {
		h->chan_rt = h->chan->summary.ns_per_switch * rt;
		h->chan_rt_fix = h->chan->summary.corrected_ns_per_switch * rt;
	}
	if (h->pthread) {
		h->pthread_ns = h->pthread->summary.ns_per_switch;
		h->pthread_fix = h->pthread->summary.corrected_ns_per_switch;
		rt = st_run_switches_per_round_trip(h->pthread);
		h->pthread_rt = h->pthread_ns * rt;
		h->pthread_rt_fix = h->pthread_fix * rt;
	}
}

/* A duration cell, "-" when not measured. */
static char *ns_cell(char *buf, size_t len, double ns)
{
	if (ns <= 0)
		snprintf(buf, len, "-");
	else
		st_fmt_ns(buf, len, ns);
	return buf;
}

static char *ratio_cell(char *buf, size_t len, double hi, double lo)
{
	double r = st_ratio(hi, lo);

	if (hi <= 0 || r <= 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, r >= 10 ? "%.0fx" : "%.1fx", r);
	return buf;
}

static void row(FILE *f, const char *what, const char *seed, const char *here, const char *fix)
{
	fputs("  ", f);
	st_fput_padded(f, what, 30, 0);
	st_fput_padded(f, seed, 10, 1);
	st_fput_padded(f, here, 12, 1);
	st_fput_padded(f, fix, 18, 1);
	fputc('\n', f);
}

static void table(FILE *f, const struct seed_here *h, const struct st_calibration *cal)
{
	char s[32], a[32], b[32];

	fprintf(f, "The seed's figures (%s, kernel 6.8, Go) beside this machine's\n", ST_SEED_CPU);
	row(f, "", "seed", "here", "here, no tracer");
	row(f, "yield (Gosched / coro-yield)", st_fmt_ns(s, sizeof(s), ST_SEED_YIELD_NS),
	    ns_cell(a, sizeof(a), h->yield_ns), ns_cell(b, sizeof(b), h->yield_fix));
	row(f, "channel round trip", st_fmt_ns(s, sizeof(s), ST_SEED_CHAN_RT_NS),
	    ns_cell(a, sizeof(a), h->chan_rt), ns_cell(b, sizeof(b), h->chan_rt_fix));
	row(f, "pthread switch", st_fmt_ns(s, sizeof(s), ST_SEED_PTHREAD_NS),
	    ns_cell(a, sizeof(a), h->pthread_ns), ns_cell(b, sizeof(b), h->pthread_fix));
	row(f, "pthread / yield", ratio_cell(s, sizeof(s), ST_SEED_PTHREAD_NS, ST_SEED_YIELD_NS),
	    ratio_cell(a, sizeof(a), h->pthread_ns, h->yield_ns),
	    ratio_cell(b, sizeof(b), h->pthread_fix, h->yield_fix));
	row(f, "pthread / channel, round trip",
	    ratio_cell(s, sizeof(s), 2 * ST_SEED_PTHREAD_NS, ST_SEED_CHAN_RT_NS),
	    ratio_cell(a, sizeof(a), h->pthread_rt, h->chan_rt),
	    ratio_cell(b, sizeof(b), h->pthread_rt_fix, h->chan_rt_fix));
	snprintf(s, sizeof(s), "~%s", st_fmt_ns(a, sizeof(a), ST_SEED_MODE_SWITCH_NS));
	row(f, "mode switch, per syscall", s,
	    ns_cell(a, sizeof(a), cal->mode_switch_ns), cal->mode_switch_ns > 0 ? "(calibrated)" : "");
}

/* Why the machines differ: the mode switch times the pthread's system calls, then the rest. */
static void why(FILE *f, const struct seed_here *h, const struct st_calibration *cal)
{
	struct st_para p = { .len = 0 };
	const struct st_breakdown *m;
	double ms = cal->mode_switch_ns, calls, here, extra, diff;
	char a[32], b[32], c[32], d[32], e[32];

	if (ms <= 0 || !h->pthread)
		return;
	/* the median round's, as in the CPU-time table above */
	m = st_run_median_repeat(h->pthread);
	calls = m ? m->syscalls : h->pthread->summary.syscalls;
	here = m ? m->mode_switch : calls * ms;
	extra = here - calls * ST_SEED_MODE_SWITCH_NS;
	diff = h->pthread_fix - ST_SEED_PTHREAD_NS;
	st_para_add(&p, "Why they differ: entering and leaving the kernel costs %s per system call here "
		"(calibrated: a system call that does no work, timed bare) against ~%s on the "
		"seed's machine, %.1fx as much. ",
	    st_fmt_ns(a, sizeof(a), ms), st_fmt_ns(b, sizeof(b), ST_SEED_MODE_SWITCH_NS),
	    ST_SEED_MODE_SWITCH_NS > 0 ? ms / ST_SEED_MODE_SWITCH_NS : 0);
	st_para_add(&p, "A pthread switch makes %.1f system calls, so its mode switches cost %s here against "
		"about %s there: %s more per switch",
	    calls, st_fmt_ns(a, sizeof(a), here),
	    st_fmt_ns(b, sizeof(b), calls * ST_SEED_MODE_SWITCH_NS), st_fmt_ns(c, sizeof(c), extra));
	if (diff > 0 && extra > 0 && extra <= diff)
		st_para_add(&p, ", %.0f%% of the %s by which a pthread switch here (%s without the tracer) "
			"exceeds the seed's %s. ",
		    100 * extra / diff, st_fmt_ns(d, sizeof(d), diff), st_fmt_ns(e, sizeof(e), h->pthread_fix),
		    st_fmt_ns(b, sizeof(b), ST_SEED_PTHREAD_NS));
	else if (extra > 0 && h->pthread_fix - here <= 0)
		st_para_add(&p, ", more than the whole pthread switch here without the tracer (%s): the "
			"calibrated costs (a null syscall in a tight loop, the probe estimate) overshoot "
			"inside this loop, so take the mode-switch share as an upper bound. ",
		    st_fmt_ns(e, sizeof(e), h->pthread_fix));
	else if (extra > 0 && extra > diff)
		st_para_add(&p, ", more than the whole difference between the machines' pthread switches (%s "
			"here without the tracer, %s there): the rest of a switch is cheaper here "
			"(%s against about %s). ",
		    st_fmt_ns(e, sizeof(e), h->pthread_fix), st_fmt_ns(b, sizeof(b), ST_SEED_PTHREAD_NS),
		    st_fmt_ns(c, sizeof(c), h->pthread_fix - here),
		    st_fmt_ns(d, sizeof(d), ST_SEED_PTHREAD_NS - calls * ST_SEED_MODE_SWITCH_NS));
	else
		st_para_add(&p, ". ");
	if (h->yield)
		st_para_add(&p, "The coroutines never enter the kernel and pay none of it%s, so the ratio here "
			"(%s without the tracer) is %s the seed's %s. ",
		    h->yield_fix < ST_SEED_YIELD_NS ? "; and a coro-yield is a bare register switch in C, "
						      "leaner than Go's runtime.Gosched"
						    : "",
		    ratio_cell(a, sizeof(a), h->pthread_fix, h->yield_fix),
		    st_ratio(h->pthread_fix, h->yield_fix) > ST_SEED_PTHREAD_NS / ST_SEED_YIELD_NS ? "above"
												  : "below",
		    ratio_cell(b, sizeof(b), ST_SEED_PTHREAD_NS, ST_SEED_YIELD_NS));
	st_para_add(&p, "Only ratios compare across machines.");
	st_fput_wrapped(f, p.text, 0, 0, ST_TEXT_WIDTH);
}

void st_cmp_seed(FILE *f, const struct st_compare *c)
{
	struct seed_here h;
	const struct st_calibration *cal;

	gather(c, &h);
	if (!h.yield && !h.chan && !h.pthread)
		return;
	cal = h.pthread ? &h.pthread->cal : h.yield ? &h.yield->cal : &h.chan->cal;
	table(f, &h, cal);
	why(f, &h, cal);
	fputc('\n', f);
}
