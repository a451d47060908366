/* SPDX-License-Identifier: GPL-2.0 */
/*
 * launch.h — start a workload binary held at a gate, speak the result
 * protocol (docs/result-protocol.md), stop it. No BPF here.
 *
 *   st_launch_start    fork; the child makes its own process group, asks
 *                      for SIGKILL when the collector dies (even by kill -9),
 *                      waits for the go byte, then execs with
 *                      SCHEDTRACE_RESULT_FD and SCHEDTRACE_GATE_FD set
 *   st_launch_go       let it exec (after BPF is attached for its pid)
 *   st_launch_line     next key=value line of the result protocol
 *   st_launch_gate     answer a gate (after the snapshot)
 *   st_launch_kill     SIGKILL to its process group
 *   st_launch_wait     reap it
 */
#ifndef SCHEDTRACE_LAUNCH_H
#define SCHEDTRACE_LAUNCH_H

#include <sched.h>
#include <stddef.h>
#include <stdbool.h>
#include <sys/types.h>

struct st_launch {
	pid_t pid;	/* also the process group id */
	int res_fd;	/* read end of the result pipe */
	int gate_fd;	/* write end of the gate pipe */
	int go_fd;	/* write end of the exec gate, -1 once released */
	char buf[8192];
	size_t len;
	int status;	/* wait status once reaped */
	int reaped;
};

/*
 * Forks path with argv, held before exec. child_cpus: the affinity the child
 * gets back before exec (the collector may have pinned itself elsewhere), or
 * NULL. Returns 0 or a negative errno with one line in err.
 */
int st_launch_start(struct st_launch *l, const char *path, char *const argv[],
		    const cpu_set_t *child_cpus, char *err, size_t err_len);
int st_launch_go(struct st_launch *l);
/*
 * Reads the next protocol line into key/val (NUL-terminated, val may be
 * empty). Returns 1 for a line, 0 at EOF, -EINTR when a signal interrupted
 * the wait, another negative errno on error.
 */
int st_launch_line(struct st_launch *l, char *key, size_t key_len, char *val, size_t val_len);
int st_launch_gate(struct st_launch *l);
void st_launch_kill(struct st_launch *l);
/* Waits for the child (blocking) and returns its wait status; closes the fds. */
int st_launch_wait(struct st_launch *l);

/*
 * In a child just forked by `parent` (its getpid() before fork): SIGKILL
 * when the parent dies (PR_SET_PDEATHSIG, kept across exec), and _exit(127)
 * at once if it already has (the race between fork and prctl). Processes
 * the child forks in turn do not inherit it: a workload's other processes
 * must leave when its first one does (pipe's side B reads EOF). The kernel
 * sends it when the forking *thread* exits: fork from a thread that lives
 * as long as the child should (schedtrace forks from its main thread).
 */
void st_die_with_parent(pid_t parent);

/*
 * Where the workload binaries are: $SCHEDTRACE_WORKLOADS, else the directory
 * "workloads" next to the real path of /proc/self/exe. Returns 0 and the
 * path of NAME in out, or -1.
 */
int st_workload_path(const char *name, char *out, size_t len);

struct wl_catalog_entry;
/* Is the workload's binary there and executable (a Go or Node one only with its toolchain)? */
bool st_workload_built(const struct wl_catalog_entry *w);

#endif
