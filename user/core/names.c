// SPDX-License-Identifier: GPL-2.0
/*
 * names.c — syscall and futex command names. The syscall table is generated
 * by the Makefile from asm/unistd_64.h as `[nr] = "name",` lines, so it
 * follows the headers of the machine the tool was built on.
 */
#include <stdio.h>
#include "names.h"

static const char *const syscall_names[] = {
#include "syscall_names.h"
};

#define ARRAY_LEN(a) ((int)(sizeof(a) / sizeof((a)[0])))

const char *st_syscall_name(int nr)
{
	static __thread char unknown[24];

	if (nr >= 0 && nr < ARRAY_LEN(syscall_names) && syscall_names[nr])
		return syscall_names[nr];
	snprintf(unknown, sizeof(unknown), "syscall_%d", nr);
	return unknown;
}

/* Indexed by FUTEX_CMD_MASK command (linux/futex.h); 2 (FD) was removed in 2.6.26. */
static const struct {
	const char *name;
	const char *note;
} futex_cmds[] = {
	[0] = { "WAIT", "mutex lock contention (glibc)" },
	[1] = { "WAKE", "mutex unlock or condvar signal (glibc)" },
	[2] = { "FD", "obsolete" },
	[3] = { "REQUEUE", "move waiters to another futex" },
	[4] = { "CMP_REQUEUE", "move waiters (old glibc broadcast)" },
	[5] = { "WAKE_OP", "wake two futexes (old glibc condvar)" },
	[6] = { "LOCK_PI", "priority-inheritance mutex lock" },
	[7] = { "UNLOCK_PI", "priority-inheritance mutex unlock" },
	[8] = { "TRYLOCK_PI", "priority-inheritance mutex trylock" },
	[9] = { "WAIT_BITSET", "condition-variable wait (glibc)" },
	[10] = { "WAKE_BITSET", "wake by bitset" },
	[11] = { "WAIT_REQUEUE_PI", "PI condition-variable wait" },
	[12] = { "CMP_REQUEUE_PI", "PI condition-variable broadcast" },
	[13] = { "LOCK_PI2", "PI mutex lock (monotonic clock)" },
};

const char *st_futex_cmd_name(int cmd)
{
	if (cmd >= 0 && cmd < ARRAY_LEN(futex_cmds) && futex_cmds[cmd].name)
		return futex_cmds[cmd].name;
	return "other";
}

const char *st_futex_cmd_note(int cmd)
{
	if (cmd >= 0 && cmd < ARRAY_LEN(futex_cmds) && futex_cmds[cmd].note)
		return futex_cmds[cmd].note;
	return "";
}
