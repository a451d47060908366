/* SPDX-License-Identifier: GPL-2.0 */
/*
 * coro_text.h — every instruction of the coroutine library lives in one
 * section, coro_text, so that preemption (preempt.c) can tell from an
 * interrupted program counter whether the scheduler was in the middle of
 * something: a run queue or channel half updated, a switch half done.
 *
 * Each function of workloads/coro/ is marked CORO_TEXT (the static inline
 * ones in headers too, in case a build does not inline them); the assembly
 * switches put themselves there with a .section directive. The linker
 * collects the section into one range and names its ends
 * __start_coro_text and __stop_coro_text (a section whose name is a C
 * identifier gets those symbols from GNU ld, gold and lld alike).
 *
 * A function added to the library without CORO_TEXT would count as the
 * program's own code, where a preemption may switch away: test_preempt.c
 * checks that the library's entry points are inside the range.
 */
#ifndef CORO_TEXT_H
#define CORO_TEXT_H

#define CORO_TEXT __attribute__((section("coro_text")))

extern const char __start_coro_text[], __stop_coro_text[];

#endif /* CORO_TEXT_H */
