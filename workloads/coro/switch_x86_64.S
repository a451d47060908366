/* SPDX-License-Identifier: GPL-2.0 */
/*
 * switch_x86_64.S — coroutine context switch for x86-64 (System V ABI).
 *
 * A switch is a function call, so only what the ABI says a callee must
 * preserve is saved: rbx, rbp, r12-r15, the stack pointer, the resume
 * address, and the two FP control registers (MXCSR's control bits and the
 * x87 control word are "callee-saved" per the ABI). Everything else is
 * caller-saved and already spilled by the compiler around the call.
 *
 * Save area (struct coro_ctx, offsets mirrored by CTX_* in coro_ctx.h):
 *
 *        0      8      16     24     32     40     48     56     64    68   70  72
 *        +------+------+------+------+------+------+------+------+-----+----+---+
 *        | rsp  | rip  | rbx  | rbp  | r12  | r13  | r14  | r15  |mxcsr|x87 |pad|
 *        +------+------+------+------+------+------+------+------+-----+----+---+
 *
 * rsp is the value after the switch returns (the return address popped) and
 * rip is that return address. Resuming loads rsp and jumps to rip.
 * "push rip; ret" looked tidier (call and ret pair up) but measured twice
 * as slow on this EPYC when the two coroutines yield from different call
 * sites (coro-yield: 15.5 vs 7.9 ns/switch; equal when they share one).
 * Presumably the indirect jmp is predicted from branch history, which
 * learns the ping-pong, while a ret is predicted from the return stack,
 * which holds the suspending coroutine's addresses.
 *
 * ldmxcsr and fldcw are slow (serialising on many cores) and the control
 * words almost never differ between coroutines, so each is reloaded only
 * when the target's saved value differs from the one just saved. For MXCSR
 * only the control bits count: its six exception flags are sticky status,
 * caller-saved in the ABI, and differ between any coroutine that did an
 * inexact FP operation and one that did not (comparing them made every
 * switch of such a pair pay two ldmxcsr).
 */
#include "coro_ctx.h"

#define MXCSR_CONTROL 0xffc0	/* DAZ, masks, rounding, FTZ; not the flags 0-5 */

	/* the library's own section (coro_text.h): preemption never switches away in here */
	.section coro_text, "ax", @progbits

/* void coro_ctx_switch(struct coro_ctx *from (rdi), const struct coro_ctx *to (rsi)) */
	.globl	coro_ctx_switch
	.type	coro_ctx_switch, @function
	.p2align 4
coro_ctx_switch:
	.cfi_startproc
	movq	(%rsp), %rax		/* resume address of `from` */
	leaq	8(%rsp), %rdx		/* its rsp once returned */
	movq	%rdx, CTX_RSP(%rdi)
	movq	%rax, CTX_RIP(%rdi)
	movq	%rbx, CTX_RBX(%rdi)
	movq	%rbp, CTX_RBP(%rdi)
	movq	%r12, CTX_R12(%rdi)
	movq	%r13, CTX_R13(%rdi)
	movq	%r14, CTX_R14(%rdi)
	movq	%r15, CTX_R15(%rdi)
	stmxcsr	CTX_MXCSR(%rdi)
	fnstcw	CTX_X87CW(%rdi)

	movq	CTX_RBX(%rsi), %rbx
	movq	CTX_RBP(%rsi), %rbp
	movq	CTX_R12(%rsi), %r12
	movq	CTX_R13(%rsi), %r13
	movq	CTX_R14(%rsi), %r14
	movq	CTX_R15(%rsi), %r15
	movl	CTX_MXCSR(%rsi), %eax
	xorl	CTX_MXCSR(%rdi), %eax
	testl	$MXCSR_CONTROL, %eax
	jnz	.Lload_mxcsr
.Lmxcsr_done:
	movzwl	CTX_X87CW(%rsi), %eax
	cmpw	CTX_X87CW(%rdi), %ax
	jne	.Lload_x87cw
.Lx87cw_done:
	movq	CTX_RSP(%rsi), %rsp
	jmp	*CTX_RIP(%rsi)

.Lload_mxcsr:
	ldmxcsr	CTX_MXCSR(%rsi)
	jmp	.Lmxcsr_done
.Lload_x87cw:
	fldcw	CTX_X87CW(%rsi)
	jmp	.Lx87cw_done
	.cfi_endproc
	.size	coro_ctx_switch, .-coro_ctx_switch

/*
 * First resume of a new coroutine lands here (rip set by coro_ctx_init) with
 * rsp 16-byte aligned, rbx = entry and r12 = its argument. The call pushes a
 * return address, so entry starts with rsp+8 aligned, as the ABI requires.
 * entry never returns; rip is marked undefined so unwinders and debuggers
 * stop here instead of walking off the top of the coroutine stack.
 */
	.globl	coro_ctx_trampoline
	.hidden	coro_ctx_trampoline
	.type	coro_ctx_trampoline, @function
	.p2align 4
coro_ctx_trampoline:
	.cfi_startproc
	.cfi_undefined rip
	movq	%r12, %rdi
	call	*%rbx
	ud2
	.cfi_endproc
	.size	coro_ctx_trampoline, .-coro_ctx_trampoline

	.section .note.GNU-stack, "", @progbits
