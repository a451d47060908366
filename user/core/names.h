/* SPDX-License-Identifier: GPL-2.0 */
/* names.h — names of syscall numbers and futex commands, for the reports. */
#ifndef SCHEDTRACE_NAMES_H
#define SCHEDTRACE_NAMES_H

/*
 * "read", "futex", ... from the installed kernel headers (generated at build
 * time). An unknown number gives "syscall_N" in a per-thread buffer that the
 * next unknown lookup in the same thread overwrites: copy it if you keep it.
 */
const char *st_syscall_name(int nr);

/* "WAIT", "WAIT_BITSET", ... for op & FUTEX_CMD_MASK; "other" for 15 and unknown. */
const char *st_futex_cmd_name(int cmd);

/* What glibc uses the command for, e.g. "condition-variable wait (glibc)"; "" if nothing to say. */
const char *st_futex_cmd_note(int cmd);

#endif
