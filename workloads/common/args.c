// SPDX-License-Identifier: GPL-2.0
/* args.c — the workloads' common command line: -n -w -r -C -h and each workload's own
 * long options (spec->options), strictly parsed; -h printed from the same tables. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "args.h"

#define WL_LONG_BASE 256	/* getopt_long's value for spec->options[i] is WL_LONG_BASE + i */

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

/* One item of a CPU list, "3" or "0-3", appended to cpus[]; 0, or -1 with err. */
static int cpu_item(const char *list, char *tok, int *cpus, int max, bool distinct, int *n, char *err,
		    size_t err_len)
{
	char *dash = strchr(tok, '-');
	long lo, hi;

	if (dash)
		*dash = '\0';
	if (wl_parse_count(tok, 0, CPU_SETSIZE - 1, &lo) ||
	    wl_parse_count(dash ? dash + 1 : tok, 0, CPU_SETSIZE - 1, &hi) || hi < lo) {
		snprintf(err, err_len, "bad CPU list '%s': give CPU numbers and ranges, e.g. -C 0 or -C 0,1 or -C 0-3",
			 list);
		return -1;
	}
	for (long c = lo; c <= hi; c++) {
		for (int i = 0; distinct && i < *n; i++)
			if (cpus[i] == c) {
				snprintf(err, err_len, "CPU %ld is named twice in -C %s", c, list);
				return -1;
			}
		if (*n >= max) {
			snprintf(err, err_len, "too many CPUs in -C %s (at most %d)", list, max);
			return -1;
		}
		cpus[(*n)++] = (int)c;
	}
	return 0;
}

int wl_parse_cpus(const char *s, int *cpus, int max, bool distinct, char *err, size_t err_len)
{
	char buf[256], *save = NULL, scratch[8];
	int n = 0;

	if (!err)
		err = scratch, err_len = sizeof(scratch);
	if (!s || !*s || strlen(s) >= sizeof(buf) || s[0] == ',' || s[strlen(s) - 1] == ',' || strstr(s, ",,")) {
		snprintf(err, err_len, "bad CPU list '%s': give CPU numbers and ranges, e.g. -C 0 or -C 0,1 or -C 0-3",
			 s ? s : "");
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", s);
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if (cpu_item(s, tok, cpus, max, distinct, &n, err, err_len))
			return -1;
	return n;
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

/* "  --preempt MS   help (default 0)", from the option's own table entry. */
static void usage_option(const struct wl_option *o, FILE *fp)
{
	char head[64];

	snprintf(head, sizeof(head), "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
	fprintf(fp, "  %-14s %s", head, o->help);
	if (o->choices) {
		fprintf(fp, ": ");
		for (long i = 0; i <= o->max && o->choices[i]; i++)
			fprintf(fp, "%s%s", i ? (i == o->max ? " or " : ", ") : "", o->choices[i]);
		fprintf(fp, " (default %s)", o->choices[*o->value]);
	} else if (o->arg) {
		fprintf(fp, " (%ld to %ld, default %ld)", o->min, o->max, *o->value);
	}
	fprintf(fp, "\n");
}

void wl_usage(const struct wl_spec *spec, FILE *fp)
{
	fprintf(fp, "usage: %s [-n ITERATIONS] [-w WARMUP] [-r REPEATS] [-C CPUS]", spec->name);
	for (const struct wl_option *o = spec->options; o && o->name; o++)
		fprintf(fp, " [--%s%s%s]", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
	fprintf(fp, " [-h]\n");
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
	if (spec->max_cpus > 2)
		fprintf(fp, "  -C CPUS        one worker thread per CPU listed, e.g. 0,1 (a CPU may repeat;\n"
			    "                 at most as many as this process may use; default: CPU 0,\n"
			    "                 or the first allowed CPU)\n");
	else if (spec->sides == 2)
		fprintf(fp, "  -C CPUS        CPU of side A[,CPU of side B]; one CPU pins both sides\n"
			    "                 (default: CPU 0, or the first allowed CPU)\n");
	else
		fprintf(fp, "  -C CPU         CPU to pin to (default: CPU 0, or the first allowed CPU)\n");
	for (const struct wl_option *o = spec->options; o && o->name; o++)
		usage_option(o, fp);
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

/* CPUs this process may use (its affinity), at least 1. */
static int allowed_cpu_count(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 1;
	return CPU_COUNT(&set) > 0 ? CPU_COUNT(&set) : 1;
}

static enum wl_parse_result parse_cpu_option(const struct wl_spec *spec, const char *arg,
					     struct wl_opts *opts, char *err, size_t err_len)
{
	int multi = spec->max_cpus > 2;
	int max = multi ? (int)(spec->max_cpus < WL_MAX_CPUS ? spec->max_cpus : WL_MAX_CPUS)
			: (int)spec->sides;
	int cpus[WL_MAX_CPUS];
	int n = wl_parse_cpus(arg, cpus, max, false, NULL, 0); /* workers may share a CPU */

	if (multi && n < 0)
		return fail(err, err_len, "%s: -C wants one to %d CPU numbers separated by commas "
			    "(e.g. 0 or 0,1), got '%s'; see %s -h", spec->name, max, arg, spec->name);
	if (multi && n > allowed_cpu_count())
		return fail(err, err_len, "%s: -C names %d workers but this process may use %d CPUs; "
			    "give at most %d CPUs with -C", spec->name, n, allowed_cpu_count(),
			    allowed_cpu_count());
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
	opts->cpu[1] = n >= 2 ? cpus[1] : cpus[0];
	opts->ncpus = n;
	memcpy(opts->cpus, cpus, (size_t)n * sizeof(cpus[0]));
	return WL_PARSE_OK;
}

static const struct wl_option *find_option(const struct wl_spec *spec, const char *name, size_t len)
{
	for (const struct wl_option *o = spec->options; o && o->name; o++)
		if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return o;
	return NULL;
}

/* --NAME VALUE: a word from o->choices (stored as its index) or a strict decimal. */
static enum wl_parse_result parse_option_value(const struct wl_spec *spec, const struct wl_option *o,
					       const char *arg, char *err, size_t err_len)
{
	if (!o->arg) {
		*o->value = 1;
		return WL_PARSE_OK;
	}
	if (o->choices) {
		for (long i = 0; i <= o->max && o->choices[i]; i++)
			if (strcmp(arg, o->choices[i]) == 0) {
				*o->value = i;
				return WL_PARSE_OK;
			}
		char list[160] = "";
		size_t used = 0;

		for (long i = 0; i <= o->max && o->choices[i] && used < sizeof(list); i++)
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s",
						 i ? (i == o->max ? " or " : ", ") : "", o->choices[i]);
		return fail(err, err_len, "%s: --%s wants %s, got '%s'; see %s -h",
			    spec->name, o->name, list, arg, spec->name);
	}
	if (wl_parse_count(arg, o->min, o->max, o->value))
		return fail(err, err_len, "%s: --%s wants a whole number from %ld to %ld, got '%s'; "
			    "see %s -h", spec->name, o->name, o->min, o->max, arg, spec->name);
	return WL_PARSE_OK;
}

static void set_defaults(const struct wl_spec *spec, struct wl_opts *opts)
{
	opts->iterations = spec->default_iterations;
	opts->warmup = spec->default_warmup;
	opts->repeats = spec->default_repeats;
	opts->cpu[0] = opts->cpu[1] = wl_default_cpu();
	opts->ncpus = 1;
	opts->cpus[0] = opts->cpu[0];
}

/*
 * Long options are the spec's own, spelt out whole (getopt_long would take a
 * prefix): name a stray "--word" whole rather than its first '-'.
 */
static enum wl_parse_result check_long_options(const struct wl_spec *spec, int argc, char **argv, char *err,
					       size_t err_len)
{
	const char *name = spec->name;

	for (int i = 1; i < argc; i++) {
		const char *eq;

		if (strcmp(argv[i], "--") == 0)
			break;
		if (strncmp(argv[i], "--", 2) != 0)
			continue;
		eq = strchr(argv[i], '=');
		if (!find_option(spec, argv[i] + 2, eq ? (size_t)(eq - argv[i] - 2) : strlen(argv[i] + 2)))
			return fail(err, err_len, "%s: unknown option '%s'; see %s -h",
				    name, argv[i], name);
	}
	return WL_PARSE_OK;
}

/* getopt_long's table of spec->options (WL_LONG_BASE + i each), ended by a zero entry; returns how many. */
static int long_options_of(const struct wl_spec *spec, struct option *longopts)
{
	int nlong = 0;

	for (const struct wl_option *o = spec->options; o && o->name && nlong < WL_MAX_OPTIONS; o++) {
		longopts[nlong] = (struct option){ o->name, o->arg ? required_argument : no_argument,
						   NULL, WL_LONG_BASE + nlong };
		nlong++;
	}
	longopts[nlong] = (struct option){ 0 };
	return nlong;
}

/* What getopt_long refused (c is ':' for a missing value, else '?'), in words. */
static enum wl_parse_result getopt_failure(const struct wl_spec *spec, int c, char **argv, char *err,
					   size_t err_len)
{
	const char *name = spec->name;

	if (c == ':') {
		if (optopt >= WL_LONG_BASE)
			return fail(err, err_len, "%s: --%s needs a value; see %s -h", name,
				    spec->options[optopt - WL_LONG_BASE].name, name);
		return fail(err, err_len, "%s: -%c needs a value; see %s -h", name, optopt, name);
	}
	if (optopt >= WL_LONG_BASE)
		return fail(err, err_len, "%s: --%s takes no value; see %s -h", name,
			    spec->options[optopt - WL_LONG_BASE].name, name);
	if (optopt)
		return fail(err, err_len, "%s: unknown option -%c; see %s -h",
			    name, optopt, name);
	return fail(err, err_len, "%s: unknown option '%s'; see %s -h",
		    name, argv[optind - 1], name);
}

/* One of -n -w -r -C -h (c, with optarg), or what getopt_long refused. */
static enum wl_parse_result parse_short_option(const struct wl_spec *spec, int c, char **argv,
					       struct wl_opts *opts, char *err, size_t err_len)
{
	const char *name = spec->name;

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
	default:
		return getopt_failure(spec, c, argv, err, err_len);
	}
	return WL_PARSE_OK;
}

/* After the options: no operand, a CPU to run on, counts that fit, and the workload's own check. */
static enum wl_parse_result check_parsed(const struct wl_spec *spec, int argc, char **argv,
					 struct wl_opts *opts, char *err, size_t err_len)
{
	const char *name = spec->name;
	long total, switches;

	if (optind < argc)
		return fail(err, err_len, "%s: unexpected argument '%s'; options only, see %s -h",
			    name, argv[optind], name);
	if (opts->cpu[0] < 0)
		return fail(err, err_len, "%s: no CPU is allowed for this process; "
			    "check its affinity with 'taskset -cp $$'", name);
	/* side B serves warmup + repeats * n iterations; every count must fit */
	if (__builtin_mul_overflow(opts->repeats, opts->iterations, &total) ||
	    __builtin_add_overflow(total, opts->warmup, &total) ||
	    __builtin_mul_overflow(total, (long)spec->switches_per_iter, &switches))
		return fail(err, err_len, "%s: -n x -r + -w is too large; lower -n or -r", name);
	if (spec->check && spec->check(opts, err, err_len))
		return WL_PARSE_ERROR;
	return WL_PARSE_OK;
}

enum wl_parse_result wl_parse_args(const struct wl_spec *spec, int argc, char **argv,
				   struct wl_opts *opts, char *err, size_t err_len)
{
	struct option longopts[WL_MAX_OPTIONS + 1];
	enum wl_parse_result r;
	int c, nlong;

	set_defaults(spec, opts);
	if (check_long_options(spec, argc, argv, err, err_len) != WL_PARSE_OK)
		return WL_PARSE_ERROR;
	nlong = long_options_of(spec, longopts);
	optind = 0;	/* glibc: 0 resets getopt's state fully, so tests can parse again */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":n:w:r:C:h", longopts, NULL)) != -1) {
		if (c >= WL_LONG_BASE && c < WL_LONG_BASE + nlong) {
			if (parse_option_value(spec, &spec->options[c - WL_LONG_BASE], optarg,
					       err, err_len) != WL_PARSE_OK)
				return WL_PARSE_ERROR;
			continue;
		}
		r = parse_short_option(spec, c, argv, opts, err, err_len);
		if (r != WL_PARSE_OK)
			return r;
	}
	return check_parsed(spec, argc, argv, opts, err, err_len);
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
