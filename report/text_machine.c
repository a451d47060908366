// SPDX-License-Identifier: GPL-2.0
/* text_machine.c — the machine and calibration blocks of the terminal report. */
#include <string.h>
#include "format.h"
#include "machine_diff.h"
#include "text_parts.h"

#define LABEL 16 /* width of the label column */

static void field(FILE *f, const char *label, const char *value)
{
	fputs("  ", f);
	st_fput_padded(f, label, LABEL, 0);
	st_fput_wrapped(f, value, 2 + LABEL, 2 + LABEL, ST_TEXT_WIDTH);
}

/*
 * The mitigations list without its "Not affected" entries, which are most of
 * it and say nothing about cost; how many were dropped is said.
 */
static void mitigations(FILE *f, const char *all)
{
	char out[1200] = "", name[64], status[512];
	size_t used = 0;
	int dropped = 0;

	for (const char *s = all; (s = st_mitigation_next(s, name, sizeof(name), status, sizeof(status)));) {
		if (name[0] && !strncmp(status, "Not affected", 12))
			dropped++;
		else if (used < sizeof(out))
			used += snprintf(out + used, sizeof(out) - used, "%s%s%s%s", used ? "; " : "", name,
					 name[0] ? ": " : "", status);
	}
	if (dropped && used < sizeof(out))
		snprintf(out + used, sizeof(out) - used, used ? "; (%d more: not affected)"
							       : "(all %d: not affected)", dropped);
	field(f, "mitigations", out[0] ? out : "unknown");
}

static void machine(FILE *f, const struct st_run *run)
{
	const struct st_machine *m = &run->machine;
	char v[2 * ST_TEXT_LEN];

	fprintf(f, "Machine\n");
	snprintf(v, sizeof(v), "%s %s (%s)", m->kernel, m->arch, m->kernel_version);
	field(f, "kernel", v);
	snprintf(v, sizeof(v), "%s, %d vCPUs online", m->cpu_model, m->nr_cpus_online);
	field(f, "CPU", v);
	field(f, "virtualization", m->virtualization);
	field(f, "clocksource", m->clocksource);
	mitigations(f, m->mitigations);
	field(f, "CPUs used", run->cpus[0] ? run->cpus : "any");
	field(f, "date", m->date);
}

static void calibration(FILE *f, const struct st_run *run)
{
	const struct st_calibration *c = &run->cal;
	static const struct {
		int ev;
		const char *name;
	} probes[] = {
		{ ST_EV_SWITCH, "switch" },	    { ST_EV_WAKEUP, "wakeup" },
		{ ST_EV_MIGRATE, "migrate" },	    { ST_EV_SYS_ENTER, "sys_enter" },
		{ ST_EV_SYS_EXIT, "sys_exit" },	    { ST_EV_FORK_EXIT, "fork/exit" },
	};
	char v[256], a[32], b[32], d[32];
	size_t used = 0;

	if (!run->traced) {
		fprintf(f, "Calibration: none (the run was not traced)\n");
		return;
	}
	if (c->null_syscall_bare_ns <= 0 && c->mode_switch_ns <= 0) {
		fprintf(f, "Calibration: none (mode switch and tracer cost not taken out)\n");
		return;
	}
	fprintf(f, "Calibration (%s, measured %s)\n", c->from_cache ? "cached" : "fresh",
		st_fmt_unix_date(d, sizeof(d), c->measured_at));
	if (c->nowork_syscall_bare_ns > 0) {
		snprintf(v, sizeof(v), "%s per syscall: the bare round trip of a syscall that does no work "
			 "(entry + exit)", st_fmt_ns(a, sizeof(a), c->mode_switch_ns));
		if (c->run_drift > 0)
			snprintf(v + strlen(v), sizeof(v) - strlen(v), ", timed for this run; the calibration "
				 "had %s, so its probe costs are scaled x%.2f (the host drifts)",
				 st_fmt_ns(b, sizeof(b), c->nowork_syscall_bare_ns), c->run_drift);
		field(f, "mode switch", v);
		snprintf(v, sizeof(v), "%s per syscall traced, %s of it inside sys_enter -> sys_exit",
			 st_fmt_ns(a, sizeof(a), c->nowork_syscall_traced_ns - c->nowork_syscall_bare_ns),
			 st_fmt_ns(b, sizeof(b), c->syscall_probe_in_ns));
		field(f, "syscall probes", v);
		snprintf(v, sizeof(v), "getppid %s bare; mode switch + its own work (%s in the kernel "
			 "less the probes) = %s",
			 st_fmt_ns(a, sizeof(a), c->null_syscall_bare_ns),
			 st_fmt_ns(b, sizeof(b), c->null_syscall_kernel_ns),
			 st_fmt_ns(d, sizeof(d), c->mode_switch_ns + c->null_syscall_kernel_ns - c->syscall_probe_in_ns));
		field(f, "witness", v);
	} else { /* a report from before the no-work syscall calibration (schedtrace/1) */
		snprintf(v, sizeof(v), "%s bare, %s traced, %s of it in the kernel",
			 st_fmt_ns(a, sizeof(a), c->null_syscall_bare_ns),
			 st_fmt_ns(b, sizeof(b), c->null_syscall_traced_ns),
			 st_fmt_ns(d, sizeof(d), c->null_syscall_kernel_ns));
		field(f, "null syscall", v);
		snprintf(v, sizeof(v), "%s per syscall (entry + exit, bare minus in-kernel)",
			 st_fmt_ns(a, sizeof(a), c->mode_switch_ns));
		field(f, "mode switch", v);
	}
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
		used += snprintf(v + used, sizeof(v) - used, "%s%s %s", i ? ", " : "", probes[i].name,
				 st_fmt_ns(a, sizeof(a), c->probe_ns[probes[i].ev]));
	field(f, "probe cost", v);
}

void st_text_machine(FILE *f, const struct st_run *run)
{
	machine(f, run);
	fputc('\n', f);
	calibration(f, run);
	fputc('\n', f);
	st_fput_wrapped(f, "Absolute numbers vary between machines (kernel, CPU, virtualization, "
			   "mitigations): compare ratios within one run, not numbers across machines.",
			0, 0, ST_TEXT_WIDTH);
}
