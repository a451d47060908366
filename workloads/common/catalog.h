/* SPDX-License-Identifier: GPL-2.0 */
/*
 * catalog.h — the bundled workloads, listed once. `schedtrace list`, run,
 * compare and bench/run.sh (through `schedtrace list`) read this table; each
 * workload's own file says what one of its switches is (its wl_spec) and
 * tells the collector over the result protocol. A new workload is its .c
 * file plus one line in catalog.c.
 */
#ifndef WL_CATALOG_H
#define WL_CATALOG_H

#include <stddef.h>

/* What a workload is for, as `schedtrace list` groups them. */
enum wl_group {
	WL_SWITCH, /* the seed's hand-offs: compare's default set and make bench's table */
	WL_MN,	   /* the M:N scheduler */
	WL_HOG,	   /* a CPU hog and a probe: what each model does under load */
	WL_LANG,   /* Go and Node beside ours, when their toolchains are installed */
	WL_SYSCALL, /* one call a switch: the price of a kernel crossing (lab 2) */
	WL_LAB,	   /* a workload above with one option changed, for a classroom lab */
	WL_NR_GROUPS
};

struct wl_catalog_entry {
	const char *name;	 /* the binary under build/workloads/ */
	const char *label;	 /* one short line: what it hands over, and how */
	enum wl_group group;
	const char *needs;	 /* a toolchain it is built or run with ("go", "node"), NULL for none */
	long compare_iterations; /* -n per compare round: a traced window of ~0.2-0.3 s here; 0: not compared */
	long split_iterations;	 /* the same split over two CPUs (compare -C A,B); 0: one CPU only */
	const char *binary;	 /* the binary it runs, NULL: its name (hog-coro-preempt runs hog-coro) */
	const char *args;	 /* options it always gets, space-separated, NULL for none */
};

#define WL_CATALOG_MAX_ARGS 4 /* words in an entry's args */

/* The binary of an entry: its own, or its name's. */
const char *wl_catalog_binary(const struct wl_catalog_entry *w);
/* An entry's args as words in argv[0..max), in buf (kept while they are used); returns how many. */
int wl_catalog_args(const struct wl_catalog_entry *w, char *buf, size_t len, char **argv, int max);

extern const struct wl_catalog_entry wl_catalog[];
extern const int wl_catalog_size;

/* The entry named name, NULL for none. */
const struct wl_catalog_entry *wl_catalog_find(const char *name);
/* "coro-yield, coro-chan, ..., node-hog": every name, for an error message; returns buf. */
char *wl_catalog_names(char *buf, size_t len);
/* "switch", "mn", "hog", "lang", "syscall", "lab"; "?" for none */
const char *wl_group_name(enum wl_group g);

#endif
