// SPDX-License-Identifier: GPL-2.0
/* sampler.c — see sampler.h. */
#include <errno.h>
#include <linux/perf_event.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "sampler.h"

static int cpu_clock_event(int cpu, unsigned hz)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_SOFTWARE;
	a.config = PERF_COUNT_SW_CPU_CLOCK;
	a.sample_period = 1000000000ULL / (hz ? hz : ST_SAMPLE_HZ); /* cpu-clock counts ns */
	a.disabled = 0;
	return (int)syscall(SYS_perf_event_open, &a, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

int st_sampler_start(struct st_sampler *s, struct bpf_program *prog, const int *cpus, int nr_cpus, unsigned hz)
{
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < nr_cpus && i < ST_MAX_CPUS; i++) {
		int fd = cpu_clock_event(cpus[i], hz), e;

		if (fd < 0) {
			e = -errno;
			st_sampler_stop(s);
			return e;
		}
		s->fds[s->n] = fd;
		s->links[s->n] = bpf_program__attach_perf_event(prog, fd);
		if (!s->links[s->n]) {
			e = -errno;
			close(fd);
			st_sampler_stop(s);
			return e;
		}
		s->n++;
	}
	return 0;
}

void st_sampler_stop(struct st_sampler *s)
{
	for (int i = 0; i < s->n; i++) {
		bpf_link__destroy(s->links[i]);
		close(s->fds[i]);
	}
	s->n = 0;
}
