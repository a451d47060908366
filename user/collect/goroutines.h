/* SPDX-License-Identifier: GPL-2.0 */
/*
 * goroutines.h — a Go program's goroutine switches, counted by a uprobe on
 * runtime.gogo (bpf/goroutines.bpf.c): the switches that never reach the
 * kernel, beside the ones that do. A binary that is not Go (or is stripped
 * of its symbols) has no runtime.gogo: attaching says so and nothing is
 * counted. A uprobe traps into the kernel on every call: ~1-15 µs a
 * goroutine switch (a VM pays the most), against ~50-150 ns for the switch
 * itself, so `trace --goroutines` asks for it and `run` never attaches it.
 */
#ifndef SCHEDTRACE_GOROUTINES_H
#define SCHEDTRACE_GOROUTINES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>

struct st_goroutines;

/*
 * Attaches to binary's runtime.gogo, counting in tgid only (0: every
 * process running it). Returns 0, -ENOENT when the binary has no
 * runtime.gogo (not Go, or stripped), or another negative errno; why says
 * which in one line.
 */
int st_goroutines_attach(struct st_goroutines **g, const char *binary, pid_t tgid, char *why, size_t why_len);
/* Is binary a Go program with its symbols (runtime.gogo)? */
bool st_goroutines_present(const char *binary);
/* Goroutine switches counted since the attach. */
__u64 st_goroutines_count(const struct st_goroutines *g);
/* Detaches and frees; NULL is fine. */
void st_goroutines_detach(struct st_goroutines *g);

#endif
