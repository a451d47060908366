/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nowork.h — the system call that does no work: a reserved number the kernel
 * enters, finds no handler for and leaves with -ENOSYS, so its round trip is
 * entry + exit and nothing else. schedtrace calibrate times it (the mode
 * switch, user/collect/calibrate.c) and the syscalls workload loops on it
 * (--call nowork), so both name the same number.
 */
#ifndef WL_NOWORK_H
#define WL_NOWORK_H

#if defined(__x86_64__)
#define NOWORK_NR 400 /* 335..423 are never used on x86-64: the common numbers start at 424 */
#elif defined(__aarch64__)
#define NOWORK_NR 250 /* 244..259 are the arch-specific block; arm64 defines none of them */
#else
#error "a reserved syscall number for this arch"
#endif

#endif /* WL_NOWORK_H */
