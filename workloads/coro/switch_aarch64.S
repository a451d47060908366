/* SPDX-License-Identifier: GPL-2.0 */
/*
 * switch_aarch64.S — coroutine context switch for AArch64 (AAPCS64).
 *
 * Saved: what a callee must preserve. x19-x28, the frame pointer x29, sp,
 * the resume address (x30 at the call), the low 64 bits of v8-v15 (d8-d15)
 * and FPCR (rounding mode, flush-to-zero, trap enables). FPSR holds sticky
 * status flags, which the ABI does not preserve across calls: not saved.
 *
 * Save area (struct coro_ctx, offsets mirrored by CTX_* in coro_ctx.h):
 *
 *        0     8     16    24   ...   96    104   112  ...  160   168    176
 *        +-----+-----+-----+-----+---+-----+-----+-----+---+-----+------+
 *        | sp  | pc  | x19 | x20 |...| x29 | d8  | d9  |...| d15 | fpcr |
 *        +-----+-----+-----+-----+---+-----+-----+-----+---+-----+------+
 *
 * FPCR writes can be slow and the value almost never differs between
 * coroutines, so it is written only when the target's differs.
 */
#include "coro_ctx.h"

	/* the library's own section (coro_text.h): preemption never switches away in here */
	.section coro_text, "ax", %progbits

/* void coro_ctx_switch(struct coro_ctx *from (x0), const struct coro_ctx *to (x1)) */
	.globl	coro_ctx_switch
	.type	coro_ctx_switch, %function
	.p2align 4
coro_ctx_switch:
	.cfi_startproc
	mov	x9, sp
	stp	x9, x30, [x0, #CTX_SP]
	stp	x19, x20, [x0, #CTX_X19]
	stp	x21, x22, [x0, #CTX_X19 + 16]
	stp	x23, x24, [x0, #CTX_X19 + 32]
	stp	x25, x26, [x0, #CTX_X19 + 48]
	stp	x27, x28, [x0, #CTX_X19 + 64]
	str	x29, [x0, #CTX_X19 + 80]
	stp	d8, d9, [x0, #CTX_D8]
	stp	d10, d11, [x0, #CTX_D8 + 16]
	stp	d12, d13, [x0, #CTX_D8 + 32]
	stp	d14, d15, [x0, #CTX_D8 + 48]
	mrs	x10, fpcr
	str	x10, [x0, #CTX_FPCR]

	ldp	x19, x20, [x1, #CTX_X19]
	ldp	x21, x22, [x1, #CTX_X19 + 16]
	ldp	x23, x24, [x1, #CTX_X19 + 32]
	ldp	x25, x26, [x1, #CTX_X19 + 48]
	ldp	x27, x28, [x1, #CTX_X19 + 64]
	ldr	x29, [x1, #CTX_X19 + 80]
	ldp	d8, d9, [x1, #CTX_D8]
	ldp	d10, d11, [x1, #CTX_D8 + 16]
	ldp	d12, d13, [x1, #CTX_D8 + 32]
	ldp	d14, d15, [x1, #CTX_D8 + 48]
	ldr	x11, [x1, #CTX_FPCR]
	cmp	x10, x11
	b.eq	1f
	msr	fpcr, x11
1:
	ldp	x9, x30, [x1, #CTX_SP]
	mov	sp, x9
	ret
	.cfi_endproc
	.size	coro_ctx_switch, .-coro_ctx_switch

/*
 * First resume of a new coroutine lands here (pc set by coro_ctx_init) with
 * sp 16-byte aligned, x19 = entry and x20 = its argument. entry never
 * returns; the zeroed frame pointer and lr end the frame chain here.
 */
	.globl	coro_ctx_trampoline
	.hidden	coro_ctx_trampoline
	.type	coro_ctx_trampoline, %function
	.p2align 4
coro_ctx_trampoline:
	.cfi_startproc
	.cfi_undefined x30
	mov	x29, #0
	mov	x30, #0
	mov	x0, x20
	blr	x19
	brk	#0
	.cfi_endproc
	.size	coro_ctx_trampoline, .-coro_ctx_trampoline

	.section .note.GNU-stack, "", %progbits
