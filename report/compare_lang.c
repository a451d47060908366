// SPDX-License-Identifier: GPL-2.0
/*
 * compare_lang.c — Go and Node measured in the same compare run as our
 * coroutines (interleaved rounds: the ratios are fair on a drifting host),
 * beside the seed's Go figures: what a runtime's switch costs over a bare
 * register switch in C.
 */
#include <string.h>
#include "compare_parts.h"
#include "format.h"
#include "text_parts.h"

/* ns per switch without the probes' estimate; 0 when the workload was not in the set. */
static double switch_ns(const struct st_compare *c, const char *name)
{
	int k = st_find_run(c->pinned, c->nr_pinned, name);
	const struct st_breakdown *b;

	if (k < 0)
		return 0;
	b = &c->pinned[k].summary;
	return c->pinned[k].traced && b->corrected_ns_per_switch > 0 ? b->corrected_ns_per_switch : b->ns_per_switch;
}

/* ... per round trip; 0 when the workload has none. */
static double round_trip_ns(const struct st_compare *c, const char *name)
{
	int k = st_find_run(c->pinned, c->nr_pinned, name);
	double rt = k >= 0 ? st_run_switches_per_round_trip(&c->pinned[k]) : 0;

	return rt > 0 ? switch_ns(c, name) * rt : 0;
}

static void cell(FILE *f, double ns)
{
	char b[32];

	st_fput_padded(f, ns > 0 ? st_fmt_ns(b, sizeof(b), ns) : "-", 10, 1);
}

static void row(FILE *f, const char *what, double seed, double go, double node, double ours)
{
	char b[32];

	fputs("  ", f);
	st_fput_padded(f, what, 22, 0);
	cell(f, seed);
	cell(f, go);
	cell(f, node);
	cell(f, ours);
	if (go > 0 && ours > 0)
		snprintf(b, sizeof(b), "%.2fx", ours / go);
	else
		snprintf(b, sizeof(b), "-");
	st_fput_padded(f, b, 10, 1);
	fputc('\n', f);
}

void st_cmp_lang(FILE *f, const struct st_compare *c)
{
	double go_y = switch_ns(c, "go-yield"), go_rt = round_trip_ns(c, "go-chan");
	double node_y = switch_ns(c, "node-await"), node_rt = round_trip_ns(c, "node-await");
	double coro_y = switch_ns(c, "coro-yield"), coro_rt = round_trip_ns(c, "coro-chan");
	struct st_para p = { .len = 0 };
	char a[32], b[32];

	if (go_y <= 0 && go_rt <= 0 && node_y <= 0)
		return;
	fprintf(f, "Go and Node beside ours, in the same rounds (the probes' estimate taken out)\n");
	fputs("  ", f);
	st_fput_padded(f, "", 22, 0);
	fprintf(f, "%10s%10s%10s%10s%10s\n", "seed (Go)", "Go here", "Node here", "ours here", "ours / Go");
	row(f, "yield, per switch", ST_SEED_YIELD_NS, go_y, node_y, coro_y);
	row(f, "channel round trip", ST_SEED_CHAN_RT_NS, go_rt, node_rt, coro_rt);
	fputs("  Go: go-yield (runtime.Gosched) and go-chan (unbuffered channel), GOMAXPROCS=1;\n"
	      "  Node: node-await (a promise handed between two async functions); ours:\n"
	      "  coro-yield and coro-chan.\n",
	      f);
	if (go_y > 0 && coro_y > 0)
		st_para_add(&p, "A coro-yield costs %.2fx Go's Gosched here (%s against %s): Go's runtime does "
				"more per switch (it saves and schedules a goroutine through its run queue) than "
				"a bare register switch. ",
			    coro_y / go_y, st_fmt_ns(a, sizeof(a), coro_y), st_fmt_ns(b, sizeof(b), go_y));
	if (go_y > 0)
		st_para_add(&p, "Go's Gosched here is %.2fx the seed's %s. ", go_y / ST_SEED_YIELD_NS,
			    st_fmt_ns(a, sizeof(a), ST_SEED_YIELD_NS));
	st_para_flush(f, &p, ST_TEXT_WIDTH);
}
