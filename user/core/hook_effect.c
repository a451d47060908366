// SPDX-License-Identifier: GPL-2.0
/* hook_effect.c — see hook_effect.h. */
#include <math.h>
#include <string.h>
#include "hook_effect.h"
#include "stats.h"

bool st_hook_effect(const struct st_run *run, struct st_hook_effect *e)
{
	double ks[ST_MAX_REPEATS], corr[ST_MAX_REPEATS], corrected;
	int d = run->syscalls_repeat - 1, n = 0;

	memset(e, 0, sizeof(*e));
	if (!run->traced || d < 0 || d >= run->nr_repeats || run->nr_repeats < 2)
		return false;
	for (int i = 0; i < run->nr_repeats; i++) {
		if (i == d)
			continue;
		ks[n] = run->repeat[i].kernel_switches;
		corr[n++] = run->repeat[i].corrected_ns_per_switch;
	}
	e->detailed_ks = run->repeat[d].kernel_switches;
	e->light_ks = st_median(ks, n);
	corrected = st_median(corr, n);
	if (e->detailed_ks < ST_HOOK_EFFECT_MIN_KS || e->light_ks < ST_HOOK_EFFECT_MIN_KS) {
		memset(e, 0, sizeof(*e));
		return false;
	}
	e->ns = fabs(e->light_ks - e->detailed_ks) * corrected / e->light_ks;
	e->found = fabs(e->light_ks - e->detailed_ks) > ST_HOOK_EFFECT_MIN * e->detailed_ks;
	return true;
}

bool st_untraced_witness(const struct st_run *run, double *last_corrected)
{
	*last_corrected = run->nr_repeats > 0 ? run->repeat[run->nr_repeats - 1].corrected_ns_per_switch : 0;
	return run->untraced_ns_per_switch > 0 && *last_corrected > 0;
}
