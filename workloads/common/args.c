// SPDX-License-Identifier: GPL-2.0
/* args.c — the workloads' common command line: -n -w -r -C -h, strictly parsed. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "args.h"

int wl_parse_count(const char *s, long min, long max, long *out)
{
	long v = 0;

	if (!s || !*s)
		return -1;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		if (v > (max - (*p - '0')) / 10)	/* v * 10 + digit > max */
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int wl_parse_cpus(const char *s, int *cpus, int max_cpus)
{
	int n = 0;

	if (!s || !*s)
		return -1;
	for (;;) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		char num[16];
		long cpu;

		if (n == max_cpus || len == 0 || len >= sizeof(num))
			return -1;
		memcpy(num, s, len);
		num[len] = '\0';
		if (wl_parse_count(num, 0, CPU_SETSIZE - 1, &cpu))
			return -1;
		cpus[n++] = (int)cpu;
		if (!comma)
			return n;
		s = comma + 1;
	}
}

/* sched_getaffinity reports the allowed CPUs that are also active (online). */
bool wl_cpu_usable(int cpu)
{
	cpu_set_t set;

	if (cpu < 0 || cpu >= CPU_SETSIZE)
		return false;
	if (sched_getaffinity(0, sizeof(set), &set))
		return false;
	return CPU_ISSET(cpu, &set);
}

int wl_default_cpu(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set))
		return -1;
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &set))
			return cpu;
	return -1;
}

void wl_usage(const struct wl_spec *spec, FILE *fp)
{
	fprintf(fp, "usage: %s [-n ITERATIONS] [-w WARMUP] [-r REPEATS] [-C CPUS] [-h]\n",
		spec->name);
	fprintf(fp, "One switch: %s\n", spec->switch_def);
	fprintf(fp, "One iteration: %u switch%s", spec->switches_per_iter,
		spec->switches_per_iter == 1 ? "" : "es");
	if (spec->round_trips_per_iter)
		fprintf(fp, " = %u round trip%s", spec->round_trips_per_iter,
			spec->round_trips_per_iter == 1 ? "" : "s");
	fprintf(fp, ".\n");
	if (spec->details)
		fprintf(fp, "%s\n", spec->details);
	fprintf(fp, "\n"
		"  -n ITERATIONS  measured iterations per repeat (default %ld)\n"
		"  -w WARMUP      unmeasured iterations before the first repeat, 0 for none (default %ld)\n"
		"  -r REPEATS     measured repeats; the result gives their median, min, max (default %ld)\n",
		spec->default_iterations, spec->default_warmup, spec->default_repeats);
	if (spec->sides == 2)
		fprintf(fp, "  -C CPUS        CPU of side A[,CPU of side B]; one CPU pins both sides\n"
			    "                 (default: CPU 0, or the first allowed CPU)\n");
	else
		fprintf(fp, "  -C CPU         CPU to pin to (default: CPU 0, or the first allowed CPU)\n");
	fprintf(fp, "  -h             this help\n\n"
		"Prints: ns/switch: median X (min Y, max Z, n REPEATS)\n");
	if (spec->round_trips_per_iter)
		fprintf(fp, "        ns/round-trip: median X (min Y, max Z, n REPEATS)\n");
	fprintf(fp, "With SCHEDTRACE_RESULT_FD and SCHEDTRACE_GATE_FD set it also talks to the\n"
		    "collector (docs/result-protocol.md).\n");
}

static enum wl_parse_result fail(char *err, size_t err_len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static enum wl_parse_result fail(char *err, size_t err_len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, err_len, fmt, ap);
	va_end(ap);
	return WL_PARSE_ERROR;
}

static enum wl_parse_result parse_cpu_option(const struct wl_spec *spec, const char *arg,
					     struct wl_opts *opts, char *err, size_t err_len)
{
	int cpus[2];
	int n = wl_parse_cpus(arg, cpus, (int)spec->sides);

	if (n < 0) {
		if (spec->sides == 2)
			return fail(err, err_len, "%s: -C wants one CPU or two separated by a comma "
				    "(e.g. 0 or 0,1), got '%s'; see %s -h",
				    spec->name, arg, spec->name);
		return fail(err, err_len, "%s: -C wants one CPU number (e.g. 0), got '%s'; see %s -h",
			    spec->name, arg, spec->name);
	}
	for (int i = 0; i < n; i++)
		if (!wl_cpu_usable(cpus[i]))
			return fail(err, err_len, "%s: CPU %d is not online or not allowed for this "
				    "process; pick one listed by 'taskset -cp $$'",
				    spec->name, cpus[i]);
	opts->cpu[0] = cpus[0];
	opts->cpu[1] = n == 2 ? cpus[1] : cpus[0];
	return WL_PARSE_OK;
}

enum wl_parse_result wl_parse_args(const struct wl_spec *spec, int argc, char **argv,
				   struct wl_opts *opts, char *err, size_t err_len)
{
	const char *name = spec->name;
	int c;

	opts->iterations = spec->default_iterations;
	opts->warmup = spec->default_warmup;
	opts->repeats = spec->default_repeats;
	opts->cpu[0] = opts->cpu[1] = wl_default_cpu();

	/* no long options: name a stray "--word" whole rather than its first '-' */
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strncmp(argv[i], "--", 2) == 0)
			return fail(err, err_len, "%s: unknown option '%s'; see %s -h",
				    name, argv[i], name);
	}
	optind = 0;	/* glibc: 0 resets getopt's state fully, so tests can parse again */
	opterr = 0;
	while ((c = getopt(argc, argv, ":n:w:r:C:h")) != -1) {
		switch (c) {
		case 'n':
			if (wl_parse_count(optarg, 1, WL_MAX_ITERATIONS, &opts->iterations))
				return fail(err, err_len, "%s: -n wants a whole number from 1 to %ld, "
					    "got '%s'; see %s -h", name, WL_MAX_ITERATIONS, optarg, name);
			break;
		case 'w':
			if (wl_parse_count(optarg, 0, WL_MAX_ITERATIONS, &opts->warmup))
				return fail(err, err_len, "%s: -w wants a whole number from 0 to %ld, "
					    "got '%s'; see %s -h", name, WL_MAX_ITERATIONS, optarg, name);
			break;
		case 'r':
			if (wl_parse_count(optarg, 1, WL_MAX_REPEATS, &opts->repeats))
				return fail(err, err_len, "%s: -r wants a whole number from 1 to %ld, "
					    "got '%s'; see %s -h", name, WL_MAX_REPEATS, optarg, name);
			break;
		case 'C':
			if (parse_cpu_option(spec, optarg, opts, err, err_len) != WL_PARSE_OK)
				return WL_PARSE_ERROR;
			break;
		case 'h':
			return WL_PARSE_HELP;
		case ':':
			return fail(err, err_len, "%s: -%c needs a value; see %s -h", name, optopt, name);
		default:
			if (optopt)
				return fail(err, err_len, "%s: unknown option -%c; see %s -h",
					    name, optopt, name);
			return fail(err, err_len, "%s: unknown option '%s'; see %s -h",
				    name, argv[optind - 1], name);
		}
	}
	if (optind < argc)
		return fail(err, err_len, "%s: unexpected argument '%s'; options only, see %s -h",
			    name, argv[optind], name);
	if (opts->cpu[0] < 0)
		return fail(err, err_len, "%s: no CPU is allowed for this process; "
			    "check its affinity with 'taskset -cp $$'", name);
	/* side B serves warmup + repeats * n iterations; every count must fit */
	long total, switches;
	if (__builtin_mul_overflow(opts->repeats, opts->iterations, &total) ||
	    __builtin_add_overflow(total, opts->warmup, &total) ||
	    __builtin_mul_overflow(total, (long)spec->switches_per_iter, &switches))
		return fail(err, err_len, "%s: -n x -r + -w is too large; lower -n or -r", name);
	return WL_PARSE_OK;
}

int wl_env_fd(const char *var, bool want_write, char *err, size_t err_len)
{
	const char *s = getenv(var);
	long fd;
	int fl;

	if (!s)
		return -1;
	if (wl_parse_count(s, 0, 1 << 20, &fd)) {
		snprintf(err, err_len, "%s='%s' is not an fd number; set it to an open fd or unset it",
			 var, s);
		return -2;
	}
	fl = fcntl((int)fd, F_GETFL);
	if (fl < 0) {
		snprintf(err, err_len, "%s=%ld is not an open fd; pass the fd to the workload or "
			 "unset %s", var, fd, var);
		return -2;
	}
	if ((fl & O_ACCMODE) == (want_write ? O_RDONLY : O_WRONLY)) {
		snprintf(err, err_len, "%s=%ld is not open for %s; open it %s",
			 var, fd, want_write ? "writing" : "reading",
			 want_write ? "for writing" : "for reading");
		return -2;
	}
	return (int)fd;
}
