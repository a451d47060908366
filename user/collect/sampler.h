/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sampler.h — the witness's clock: a software cpu-clock perf event on each
 * traced CPU, sampling at a low rate into the BPF program st_sample
 * (bpf/schedtrace.bpf.c), which counts what was running and in which mode.
 * Hardware counters are not needed (this fleet has none).
 */
#ifndef SCHEDTRACE_SAMPLER_H
#define SCHEDTRACE_SAMPLER_H

#include <bpf/libbpf.h>
#include "schedtrace.h"

/*
 * 1 kHz, the rate of the issue's `perf record -e cpu-clock` witness: a
 * sample costs a timer interrupt, so the rate is kept low; the report gives
 * the sampling error with the share.
 */
#define ST_SAMPLE_HZ 1000

struct st_sampler {
	struct bpf_link *links[ST_MAX_CPUS];
	int fds[ST_MAX_CPUS];
	int n;
};

/* Opens and attaches one event per CPU. 0, or -errno (nothing left open). */
int st_sampler_start(struct st_sampler *s, struct bpf_program *prog, const int *cpus, int nr_cpus, unsigned hz);

/* Detaches and closes; a stopped or zeroed sampler is fine. */
void st_sampler_stop(struct st_sampler *s);

#endif
