/* SPDX-License-Identifier: GPL-2.0 */
/*
 * coro_ctx.h — the save area of one suspended execution context and the
 * assembly switch that fills and drains it (switch_$(uname -m).S).
 *
 * The CTX_* offsets are shared with the assembly, which includes this file
 * with __ASSEMBLER__ defined; the _Static_asserts below hold the C struct to
 * them, so the two cannot drift apart.
 */
#ifndef CORO_CTX_H
#define CORO_CTX_H

#if defined(__x86_64__)
/* Byte offsets in struct coro_ctx; drawn in switch_x86_64.S. */
#define CTX_RSP   0
#define CTX_RIP   8
#define CTX_RBX   16
#define CTX_RBP   24
#define CTX_R12   32
#define CTX_R13   40
#define CTX_R14   48
#define CTX_R15   56
#define CTX_MXCSR 64	/* 4 bytes */
#define CTX_X87CW 68	/* 2 bytes */
#define CTX_SIZE  72
#elif defined(__aarch64__)
/* Byte offsets in struct coro_ctx; drawn in switch_aarch64.S. */
#define CTX_SP    0
#define CTX_PC    8	/* where the context resumes (x30 at the switch) */
#define CTX_X19   16	/* x19..x29: 11 registers, 8 bytes each */
#define CTX_D8    104	/* d8..d15: 8 registers, 8 bytes each */
#define CTX_FPCR  168
#define CTX_SIZE  176
#else
#error "coroutine switch: no implementation for this architecture"
#endif

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct coro_ctx {
#if defined(__x86_64__)
	uint64_t rsp, rip;
	uint64_t rbx, rbp, r12, r13, r14, r15;
	uint32_t mxcsr;		/* SSE control/status: rounding, exception masks */
	uint16_t x87cw;		/* x87 control word: precision, rounding, masks */
	uint16_t pad;
#elif defined(__aarch64__)
	uint64_t sp, pc;
	uint64_t x19_x29[11];
	uint64_t d8_d15[8];
	uint64_t fpcr;
#endif
};

#if defined(__x86_64__)
_Static_assert(offsetof(struct coro_ctx, rsp) == CTX_RSP, "CTX_RSP");
_Static_assert(offsetof(struct coro_ctx, rip) == CTX_RIP, "CTX_RIP");
_Static_assert(offsetof(struct coro_ctx, rbx) == CTX_RBX, "CTX_RBX");
_Static_assert(offsetof(struct coro_ctx, rbp) == CTX_RBP, "CTX_RBP");
_Static_assert(offsetof(struct coro_ctx, r12) == CTX_R12, "CTX_R12");
_Static_assert(offsetof(struct coro_ctx, r13) == CTX_R13, "CTX_R13");
_Static_assert(offsetof(struct coro_ctx, r14) == CTX_R14, "CTX_R14");
_Static_assert(offsetof(struct coro_ctx, r15) == CTX_R15, "CTX_R15");
_Static_assert(offsetof(struct coro_ctx, mxcsr) == CTX_MXCSR, "CTX_MXCSR");
_Static_assert(offsetof(struct coro_ctx, x87cw) == CTX_X87CW, "CTX_X87CW");
#elif defined(__aarch64__)
_Static_assert(offsetof(struct coro_ctx, sp) == CTX_SP, "CTX_SP");
_Static_assert(offsetof(struct coro_ctx, pc) == CTX_PC, "CTX_PC");
_Static_assert(offsetof(struct coro_ctx, x19_x29) == CTX_X19, "CTX_X19");
_Static_assert(offsetof(struct coro_ctx, d8_d15) == CTX_D8, "CTX_D8");
_Static_assert(offsetof(struct coro_ctx, fpcr) == CTX_FPCR, "CTX_FPCR");
#endif
_Static_assert(sizeof(struct coro_ctx) == CTX_SIZE, "CTX_SIZE");

/* Saves the caller's context into *from and resumes *to. Returns when some
 * later switch names *from as its target. */
void coro_ctx_switch(struct coro_ctx *from, const struct coro_ctx *to);

/*
 * Prepares *ctx so that switching to it calls entry(arg) on the stack whose
 * highest address is stack_hi, with the FP control state of the caller.
 * entry must not return.
 */
void coro_ctx_init(struct coro_ctx *ctx, void *stack_hi, void (*entry)(void *), void *arg);
#endif /* __ASSEMBLER__ */

#endif /* CORO_CTX_H */
