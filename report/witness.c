// SPDX-License-Identifier: GPL-2.0
/* witness.c — see witness.h. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "format.h"
#include "hook_effect.h"
#include "witness.h"

void st_witness_of(const struct st_breakdown *b, struct st_witness *w)
{
	const struct st_samples *s = &b->samples;
	double total = b->ns_per_switch * b->nr_cpus, p, margin;

	memset(w, 0, sizeof(*w));
	w->samples = s->user + s->kernel + s->other + s->idle;
	w->sampled = w->samples > 0;
	if (!w->sampled)
		return;
	p = (double)s->user / (double)w->samples;
	w->sampled_user = p;
	w->sampled_err = sqrt(p * (1 - p) / (double)w->samples);
	w->attributed_user = total > 0 ? b->user / total : 0;
	w->diff_points = (w->attributed_user - p) * 100;
	margin = fabs(w->diff_points) - ST_WITNESS_POINTS;
	if (margin > 0) {
		/* the error of a share near 0 is not 0: one sample's worth at least */
		double err = fmax(w->sampled_err, 1.0 / (double)w->samples) * 100;

		w->disagrees = fabs(w->diff_points) > 3 * err;
		w->too_few = !w->disagrees;
	}
}

char *st_witness_sentence(char *buf, size_t len, const struct st_breakdown *b)
{
	struct st_witness w;
	char n[32];

	st_witness_of(b, &w);
	buf[0] = '\0';
	if (!w.sampled)
		return buf;
	snprintf(buf, len,
		 "Witness: %s cpu-clock samples of the traced CPUs found a traced thread in user mode "
		 "%.1f%% of the time (+/- %.1f); user code above is %.1f%%: %s",
		 st_fmt_count(n, sizeof(n), w.samples), 100 * w.sampled_user, 200 * w.sampled_err,
		 100 * w.attributed_user,
		 w.disagrees ? "they DISAGREE, so a label above is wrong on this machine."
		 : w.too_few ? "they differ, but too few samples to tell (more repeats, or -n)."
			     : "they agree.");
	return buf;
}

const struct st_breakdown *st_witness_subject(const struct st_run *run)
{
	int d = run->syscalls_repeat - 1;

	for (int i = 0; d >= 0 && d < run->nr_repeats && i < run->nr_repeats; i++)
		if (run->repeat[i].user_sampled)
			return &run->repeat[d];
	return &run->summary;
}

char *st_witness_run_sentence(char *buf, size_t len, const struct st_run *run)
{
	const struct st_breakdown *b = st_witness_subject(run);
	__u64 user = 0, traced = 0;
	struct st_witness w;
	char n[32], m[32];

	if (b == &run->summary)
		return st_witness_sentence(buf, len, b);
	st_witness_of(b, &w);
	buf[0] = '\0';
	if (!w.sampled)
		return buf;
	for (int i = 0; i < run->nr_repeats; i++)
		if (run->repeat[i].user_sampled) {
			user += run->repeat[i].samples.user;
			traced += run->repeat[i].samples.user + run->repeat[i].samples.kernel;
		}
	snprintf(buf, len,
		 "Witness: in repeat %d, the one with every hook, whose split is measured, %s cpu-clock samples "
		 "of the traced CPUs found a traced thread in user mode %.1f%% of the time (+/- %.1f); its user "
		 "code is %.1f%%: %s The other repeats take their user share from their own samples (%s of "
		 "their threads, %.1f%% in user mode).",
		 run->syscalls_repeat, st_fmt_count(n, sizeof(n), w.samples), 100 * w.sampled_user,
		 200 * w.sampled_err, 100 * w.attributed_user,
		 w.disagrees ? "they DISAGREE, so a label above is wrong on this machine."
		 : w.too_few ? "they differ, but too few samples to tell (more repeats, or -n)."
			     : "they agree.",
		 st_fmt_count(m, sizeof(m), traced), traced ? 100.0 * (double)user / (double)traced : 0);
	return buf;
}

char *st_untraced_sentence(char *buf, size_t len, const struct st_run *run)
{
	double last, untraced = run->untraced_ns_per_switch;
	char a[32], b[32];

	buf[0] = '\0';
	if (st_untraced_witness(run, &last))
		snprintf(buf, len,
			 "The witness: one more window with every hook detached took %s per switch, and the repeat "
			 "just before it, corrected, %s (%.0f%% %s).",
			 st_fmt_ns(a, sizeof(a), untraced), st_fmt_ns(b, sizeof(b), last),
			 fabs(100 * (last / untraced - 1)), last >= untraced ? "above" : "below");
	return buf;
}
