/* SPDX-License-Identifier: GPL-2.0 */
/* machine.h — what machine a run was made on (kernel, CPU, virtualization, mitigations). */
#ifndef SCHEDTRACE_MACHINE_H
#define SCHEDTRACE_MACHINE_H

#include "model.h"

/* Reads /proc, /sys and uname. Fields it cannot learn say "unknown". Never fails. */
void st_machine_read(struct st_machine *m);

/*
 * The hypervisor the kernel detected at boot, from one /dev/kmsg record
 * ("6,12,0,-;Hypervisor detected: KVM"): copied to out, true; false for any
 * other record.
 */
bool st_kmsg_hypervisor(const char *record, char *out, size_t len);

#endif
