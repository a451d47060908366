// SPDX-License-Identifier: GPL-2.0
/* hog.c — see hog.h. */
#include <stdio.h>
#include <stdlib.h>
#include "hog.h"
#include "stats.h"

uint64_t hog_unit(uint64_t x)
{
	/* xorshift64* rounds: a dependent chain the CPU cannot shortcut */
	for (int i = 0; i < 48; i++) {
		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		x *= 0x2545F4914F6CDD1Dull;
	}
	return x;
}

void hog_chunk(struct hog *h)
{
	uint64_t now = wl_now_ns(), end = now + (uint64_t)h->hog_ms * 1000000ull;
	uint64_t x = h->sink | 1;

	h->last_ts = now;
	do {
		x = hog_unit(x);
		h->units++;
		now = wl_now_ns();
		if (h->step)
			h->step(h, now);
		h->last_ts = now;
	} while (now < end);
	h->sink = x;
}

void hog_probe_record(struct hog *h, uint64_t deadline, uint64_t now)
{
	wl_samples_push(&h->lateness, now > deadline ? now - deadline : 0);
}

void hog_finish(struct wl_run *run)
{
	struct hog *h = run->finish_arg;
	struct wl_dist d;
	long n = h->repeats_done;

	wl_report_dist(run, "lateness_all", h->all.v, h->all.n);
	d = wl_dist_of(h->all.v, h->all.n);
	printf("lateness-ns: p50 %llu (p99 %llu, max %llu, n %zu)\n", (unsigned long long)d.p50,
	       (unsigned long long)d.p99, (unsigned long long)d.max, d.n);
	if (n > 0) {
		double med;

		med = st_median(h->units_per_ms, (int)n); /* sorts: min and max are the ends */
		wl_report(run, "median_hog_units_per_ms", "%.3f", med);
		printf("hog-units/ms: median %.1f (min %.1f, max %.1f, n %ld)\n", med,
		       h->units_per_ms[0], h->units_per_ms[n - 1], n);
	}
	wl_samples_free(&h->lateness);
	wl_samples_free(&h->all);
	free(h->units_per_ms);
}

void hog_init(struct hog *h, struct wl_run *run)
{
	h->units_per_ms = calloc((size_t)run->opts.repeats, sizeof(double));
	if (!h->units_per_ms)
		wl_die("out of memory for %ld repeats; lower -r", run->opts.repeats);
	run->finish = hog_finish;
	run->finish_arg = h;
}

void hog_report_setup(struct hog *h, struct wl_run *run)
{
	wl_report(run, "hog_ms", "%ld", h->hog_ms);
	wl_report(run, "probe_period_ns", "%llu", HOG_PROBE_PERIOD_NS);
}

void hog_after_repeat(void *arg, struct wl_run *run)
{
	struct hog *h = arg;

	if (run) {
		/* the window just reported is (end_ns - start_ns) = ns_per_switch x switches */
		double window_ms = run->ns_per_switch[run->repeat - 1] * (double)run->opts.iterations *
				   run->spec->switches_per_iter / 1e6;
		double rate = window_ms > 0 ? (double)h->units / window_ms : 0;

		for (size_t i = 0; i < h->lateness.n; i++)
			wl_samples_push(&h->all, h->lateness.v[i]);
		wl_report_dist(run, "lateness", h->lateness.v, h->lateness.n);
		wl_report(run, "hog_units", "%llu", (unsigned long long)h->units);
		wl_report(run, "hog_units_per_ms", "%.3f", rate);
		if (h->repeats_done < run->opts.repeats)
			h->units_per_ms[h->repeats_done++] = rate;
	}
	h->lateness.n = 0;
	h->units = 0;
}
