/* SPDX-License-Identifier: GPL-2.0 */
/*
 * core_fixes.bpf.h — CO-RE shims for kernel changes the tracer straddles.
 * Each names the change it bridges. The programs are built against this
 * kernel's vmlinux.h; the shims let one object load on older kernels too.
 */
#ifndef SCHEDTRACE_CORE_FIXES_BPF_H
#define SCHEDTRACE_CORE_FIXES_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

extern int LINUX_KERNEL_VERSION __kconfig;

/*
 * task_struct.state was renamed __state in 5.14 (commit 2f064a59a11f
 * "sched: Change task_struct::state"). Old flavour for older kernels.
 */
struct task_struct___o {
	volatile long int state;
} __attribute__((preserve_access_index));

struct task_struct___x {
	unsigned int __state;
} __attribute__((preserve_access_index));

static __always_inline __u32 st_task_state(void *task)
{
	struct task_struct___x *t = task;

	if (bpf_core_field_exists(t->__state))
		return BPF_CORE_READ(t, __state);
	return (__u32)BPF_CORE_READ((struct task_struct___o *)task, state);
}

/*
 * sched_switch gained its prev_state argument in 5.18 (commit fa2c3254d7cf
 * "sched/tracing: Don't re-read p->state when emitting sched_switch event").
 * Before that the program reads prev's state itself, which races with a
 * concurrent wake-up exactly as the commit describes; newer kernels pass the
 * state the scheduler acted on. arg is ctx[3], only read when it exists: the
 * kconfig value is a load-time constant, so the verifier drops the dead branch.
 */
#define ST_KV_5_18 ((5 << 16) + (18 << 8))
static __always_inline __u32 st_switch_prev_state(__u64 *ctx, struct task_struct *prev)
{
	if (LINUX_KERNEL_VERSION >= ST_KV_5_18)
		return (__u32)ctx[3];
	return st_task_state(prev);
}

/*
 * The task's CPU moved from task_struct.cpu into thread_info.cpu in 5.16
 * (commit bcf9033e5449 "sched: move CPU field back into thread_info if
 * THREAD_INFO_IN_TASK=y"). Timeline records only.
 */
struct task_struct___cpu {
	unsigned int cpu;
} __attribute__((preserve_access_index));

/* btf: task is a BTF pointer (tp_btf) and is read directly, without a helper call */
static __always_inline __u32 st_task_cpu(bool btf, void *task)
{
	struct task_struct___cpu *t = task;

	if (bpf_core_field_exists(t->cpu))
		return btf ? t->cpu : BPF_CORE_READ(t, cpu);
	return btf ? ((struct task_struct *)task)->thread_info.cpu
		   : BPF_CORE_READ((struct task_struct *)task, thread_info.cpu);
}

#endif /* SCHEDTRACE_CORE_FIXES_BPF_H */
