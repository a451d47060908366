// SPDX-License-Identifier: GPL-2.0
/* Placeholder: proves the skeleton pipeline; the tracer issue fills it in. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "schedtrace.h"

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 targ_tgid = 0;

SEC("tp_btf/sched_switch")
int on_switch(u64 *ctx)
{
	return 0;
}
