/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace_target.h — the process `schedtrace trace` follows, and when it ends.
 * Either a command it starts (forked, held at a gate until BPF is attached
 * with its pid, then exec'd) or a running process (-p), watched through a
 * pidfd. No BPF here; nothing here touches a -p process beyond watching it.
 * A command started here gets SIGKILL if schedtrace dies, even by kill -9
 * (PR_SET_PDEATHSIG, st_die_with_parent in launch.h); processes it forks
 * are its own business.
 */
#ifndef SCHEDTRACE_TRACE_TARGET_H
#define SCHEDTRACE_TRACE_TARGET_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "model.h"

struct st_target {
	pid_t pid;		/* the traced tgid */
	bool started;		/* forked by us: we reap it */
	int go_fd;		/* write end of the exec gate, -1 once released */
	int exec_fd;		/* read end: the child's errno if exec failed, EOF once it exec'd */
	int pidfd;		/* readable once the process has exited */
	bool exited;
	int status;		/* wait status, started targets once reaped */
	char name[ST_NAME_LEN]; /* command name (basename) or /proc/PID/comm */
};

/* Forks argv[0] (looked up in PATH) held before exec. 0, or -errno with one line in err. */
int st_target_spawn(struct st_target *t, char *const argv[], char *err, size_t err_len);
/*
 * Lets it exec and waits until it did. 0, or -errno with one line in err
 * (e.g. the command was not found; the child is reaped then).
 */
int st_target_go(struct st_target *t, char *err, size_t err_len);
/* A running process: resolves a thread id to its tgid. 0, or -ESRCH / -errno with err. */
int st_target_attach(struct st_target *t, pid_t pid, char *err, size_t err_len);

/*
 * Waits until the process exits (returns 1), *stop is set or timeout_ms
 * has passed (0); timeout_ms < 0: no timeout. A started target is not
 * reaped here (the caller snapshots first).
 */
int st_target_wait(struct st_target *t, long timeout_ms, volatile sig_atomic_t *stop);

/*
 * Ends what we started: a started target still running gets sig, then
 * SIGKILL after grace_ms; reaps it. A -p target is left alone. Closes fds.
 */
void st_target_end(struct st_target *t, int sig, long grace_ms);

/* A -C list ("0-3,6", wl_parse_cpus) whose CPUs are all online. 0 or -1 with err. */
int st_parse_online_cpus(const char *s, int *cpus, int max, int *n, char *err, size_t err_len);
/* Online CPUs (/sys/devices/system/cpu/online, else the allowed set). Returns how many. */
int st_online_cpus(int *cpus, int max);
/* "0-3,6" from a list; returns buf. */
char *st_fmt_cpu_list(char *buf, size_t len, const int *cpus, int n);

#endif
