// SPDX-License-Identifier: GPL-2.0
/*
 * goroutines.bpf.c — counts a Go program's goroutine switches: the Go
 * runtime enters runtime.gogo each time it resumes a goroutine on a
 * thread, whatever made the last one stop (Gosched, a channel, a blocking
 * call, preemption). A uprobe on it, in the traced process only, is the
 * count the kernel never sees: user/collect/goroutines.c attaches it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

const volatile __u32 targ_tgid = 0; /* 0: every process running the binary (trace -f) */

__u64 gogo_calls = 0;

SEC("uprobe")
int st_gogo(struct pt_regs *ctx)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;

	if (targ_tgid && tgid != targ_tgid)
		return 0;
	__sync_fetch_and_add(&gogo_calls, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
