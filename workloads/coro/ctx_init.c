// SPDX-License-Identifier: GPL-2.0
/* ctx_init.c — the first save area of a new coroutine (see coro_ctx.h). */
#include <stdint.h>
#include "coro_ctx.h"
#include "coro_text.h"

/* In switch_$(uname -m).S: calls entry(arg) on the new stack. */
void coro_ctx_trampoline(void);

CORO_TEXT void coro_ctx_init(struct coro_ctx *ctx, void *stack_hi, void (*entry)(void *), void *arg)
{
	uintptr_t top = (uintptr_t)stack_hi & ~(uintptr_t)15;

	*ctx = (struct coro_ctx){ 0 };
#if defined(__x86_64__)
	ctx->rsp = top;		/* 16-byte aligned when the trampoline starts */
	ctx->rip = (uintptr_t)coro_ctx_trampoline;
	ctx->rbx = (uintptr_t)entry;
	ctx->r12 = (uintptr_t)arg;
	/* Like pthread_create, a new coroutine inherits the creator's FP control. */
	__asm__ volatile("stmxcsr %0" : "=m"(ctx->mxcsr));
	__asm__ volatile("fnstcw %0" : "=m"(ctx->x87cw));
#elif defined(__aarch64__)
	ctx->sp = top;
	ctx->pc = (uintptr_t)coro_ctx_trampoline;
	ctx->x19_x29[0] = (uintptr_t)entry;	/* x19 */
	ctx->x19_x29[1] = (uintptr_t)arg;	/* x20 */
	__asm__ volatile("mrs %0, fpcr" : "=r"(ctx->fpcr));
#endif
}
