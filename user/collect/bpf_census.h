/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpf_census.h — which of schedtrace's BPF objects are in the kernel, and
 * whose. Every instance writes its own pid into the .rodata constant
 * collector_pid (bpf/schedtrace.bpf.c), so a program, its links and its
 * maps can be told apart from those of another schedtrace running at the
 * same time: through bpf_prog_info's map ids to the object's .rodata map,
 * whose value holds it. Needs CAP_SYS_ADMIN (walking the kernel's id space).
 *
 * The tests use it to check that an instance left nothing behind (after
 * SIGINT, after kill -9) without being confused by a concurrent one.
 */
#ifndef SCHEDTRACE_BPF_CENSUS_H
#define SCHEDTRACE_BPF_CENSUS_H

#include <sys/types.h>

struct st_census {
	int progs;  /* programs named like ours (st_tracer_is_our_prog) */
	int links;  /* links whose program is one of those */
	int maps;   /* our objects' .rodata maps ("schedtra.rodata") */
	int pinned; /* files on a BPF filesystem that are one of the above or their maps */
};

/*
 * Counts the objects of the instance whose collector pid is `collector`
 * (0: of every instance). Returns 0, or a negative errno (-EPERM without
 * CAP_SYS_ADMIN).
 */
int st_census_take(pid_t collector, struct st_census *c);

/* The collector pid a loaded program of ours carries; 0 when it is not ours or has none. */
pid_t st_census_prog_owner(unsigned int prog_id);

/* The sum of the four counts. */
int st_census_total(const struct st_census *c);

#endif
