// SPDX-License-Identifier: GPL-2.0
/* machine_diff.c — see machine_diff.h. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "machine_diff.h"

/* Does s start a new entry ("name:", the name lower case with digits and underscores)? */
static bool starts_entry(const char *s)
{
	const char *c = s;

	while (islower((unsigned char)*c) || isdigit((unsigned char)*c) || *c == '_')
		c++;
	return c > s && *c == ':';
}

static void copy_cut(char *dst, size_t len, const char *src, size_t n)
{
	if (!len)
		return;
	if (n > len - 1)
		n = len - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

const char *st_mitigation_next(const char *s, char *name, size_t name_len, char *status, size_t status_len)
{
	const char *end = s, *colon;

	if (!s || !*s)
		return NULL;
	while (*end && !(end[0] == ';' && end[1] == ' ' && starts_entry(end + 2)))
		end++;
	colon = memchr(s, ':', (size_t)(end - s));
	if (colon) {
		const char *v = colon + 1;

		while (v < end && *v == ' ')
			v++;
		copy_cut(name, name_len, s, (size_t)(colon - s));
		copy_cut(status, status_len, v, (size_t)(end - v));
	} else { /* not "name: status": all of it is the status */
		copy_cut(name, name_len, "", 0);
		copy_cut(status, status_len, s, (size_t)(end - s));
	}
	return *end ? end + 2 : end;
}

bool st_mitigation_of(const char *list, const char *name, char *out, size_t len)
{
	char n[64], st[512];

	for (const char *p = list; (p = st_mitigation_next(p, n, sizeof(n), st, sizeof(st)));)
		if (n[0] && !strcmp(n, name)) {
			copy_cut(out, len, st, strlen(st));
			return true;
		}
	copy_cut(out, len, "", 0);
	return false;
}

/* 1 when the meltdown entry says PTI, 0 when it says anything else, -1 without one. */
static int pti_of(const char *list)
{
	char st[512];

	if (!st_mitigation_of(list, "meltdown", st, sizeof(st)))
		return -1;
	return strstr(st, "PTI") != NULL;
}

static void add_mitigation(struct st_machine_diff *d, const char *name, const char *a, const char *b)
{
	if (d->nr_mitigations < ST_MDIFF_MAX_MITIGATIONS) {
		struct st_mitigation_diff *m = &d->mitigations[d->nr_mitigations];

		snprintf(m->name, sizeof(m->name), "%s", name);
		snprintf(m->a, sizeof(m->a), "%s", a);
		snprintf(m->b, sizeof(m->b), "%s", b);
	}
	d->nr_mitigations++;
}

/* Every named entry of A whose status in B differs (or that B lacks), then B's that A lacks. */
static void mitigations_diff(const char *la, const char *lb, struct st_machine_diff *d)
{
	char n[64], st[512], other[512];

	for (const char *p = la; (p = st_mitigation_next(p, n, sizeof(n), st, sizeof(st)));)
		if (n[0] && (!st_mitigation_of(lb, n, other, sizeof(other)) || strcmp(st, other)))
			add_mitigation(d, n, st, other);
	for (const char *p = lb; (p = st_mitigation_next(p, n, sizeof(n), st, sizeof(st)));)
		if (n[0] && !st_mitigation_of(la, n, other, sizeof(other)))
			add_mitigation(d, n, "", st);
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's days_from_civil). */
static long long days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* the digits of iso[at..at+n) as a number (the caller checked they are digits) */
static int digits(const char *iso, int at, int n)
{
	int v = 0;

	for (int i = at; i < at + n; i++)
		v = v * 10 + (iso[i] - '0');
	return v;
}

bool st_iso_utc_seconds(const char *iso, long long *out)
{
	static const char form[] = "dddd-dd-ddTdd:dd:ddZ";
	int mo, d, h, mi, s;

	if (strlen(iso) != sizeof(form) - 1)
		return false;
	for (size_t i = 0; i < sizeof(form) - 1; i++)
		if (form[i] == 'd' ? !isdigit((unsigned char)iso[i]) : iso[i] != form[i])
			return false;
	mo = digits(iso, 5, 2);
	d = digits(iso, 8, 2);
	h = digits(iso, 11, 2);
	mi = digits(iso, 14, 2);
	s = digits(iso, 17, 2);
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
		return false;
	*out = days_from_civil(digits(iso, 0, 4), mo, d) * 86400 + h * 3600 + mi * 60 + s;
	return true;
}

void st_machine_diff(const struct st_machine *a, const struct st_machine *b, struct st_machine_diff *d)
{
	long long ta, tb;

	memset(d, 0, sizeof(*d));
	d->differs[ST_MF_CPU] = strcmp(a->cpu_model, b->cpu_model) != 0;
	d->differs[ST_MF_KERNEL] = strcmp(a->kernel, b->kernel) != 0;
	d->differs[ST_MF_VIRT] = strcmp(a->virtualization, b->virtualization) != 0;
	d->differs[ST_MF_CLOCKSOURCE] = strcmp(a->clocksource, b->clocksource) != 0;
	d->differs[ST_MF_NR_CPUS] = a->nr_cpus_online != b->nr_cpus_online;
	d->differs[ST_MF_MITIGATIONS] = strcmp(a->mitigations, b->mitigations) != 0;
	d->differs[ST_MF_ARCH] = strcmp(a->arch, b->arch) != 0;
	d->differs[ST_MF_HOSTNAME] = strcmp(a->hostname, b->hostname) != 0;
	d->same_machine = a->hostname[0] && !d->differs[ST_MF_HOSTNAME] && !d->differs[ST_MF_CPU] &&
			  !d->differs[ST_MF_KERNEL];
	d->same_setup = true;
	for (int f = ST_MF_CPU; f <= ST_MF_ARCH; f++)
		d->same_setup &= !d->differs[f];
	d->pti_a = pti_of(a->mitigations);
	d->pti_b = pti_of(b->mitigations);
	if (d->differs[ST_MF_MITIGATIONS])
		mitigations_diff(a->mitigations, b->mitigations, d);
	d->dates_known = st_iso_utc_seconds(a->date, &ta) && st_iso_utc_seconds(b->date, &tb);
	d->b_after_a_s = d->dates_known ? tb - ta : 0;
}
