/* SPDX-License-Identifier: GPL-2.0 */
/*
 * machine_diff.h — two machine blocks (model.h's struct st_machine) set side
 * by side: which fields differ, whether it is the same machine, page-table
 * isolation on each, the mitigations whose status differs, and how far apart
 * the two runs were made. Pure C over the model: `report A.json B.json`
 * turns it into sentences (report/pair_words.c).
 */
#ifndef SCHEDTRACE_MACHINE_DIFF_H
#define SCHEDTRACE_MACHINE_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include "model.h"

/* The fields compared, in the order the sentences name them. */
enum st_mfield {
	ST_MF_CPU,	    /* cpu_model */
	ST_MF_KERNEL,	    /* kernel (uname -r) */
	ST_MF_VIRT,	    /* virtualization */
	ST_MF_CLOCKSOURCE,
	ST_MF_NR_CPUS,	    /* nr_cpus_online */
	ST_MF_MITIGATIONS,
	ST_MF_ARCH,
	ST_MF_HOSTNAME,
	ST_NR_MFIELDS
};

/* A vulnerability whose status differs: "meltdown", "Mitigation: PTI" / "Not affected". */
#define ST_MDIFF_MAX_MITIGATIONS 8
struct st_mitigation_diff {
	char name[48];
	char a[128]; /* "" when absent from A's list */
	char b[128];
};

struct st_machine_diff {
	bool differs[ST_NR_MFIELDS];
	/* same hostname (not empty), CPU model and kernel: one machine, two moments */
	bool same_machine;
	/* none of what sets a switch's cost differs: CPU, kernel, virtualization, clocksource, CPUs, mitigations */
	bool same_setup;
	int pti_a, pti_b; /* page-table isolation: 1 on, 0 off, -1 unknown (no meltdown entry) */
	int nr_mitigations; /* entries that differ, of which the first ST_MDIFF_MAX_MITIGATIONS are kept */
	struct st_mitigation_diff mitigations[ST_MDIFF_MAX_MITIGATIONS];
	bool dates_known;   /* both dates read as ISO 8601 UTC */
	long long b_after_a_s; /* B's date minus A's, seconds (negative: B was earlier) */
};

void st_machine_diff(const struct st_machine *a, const struct st_machine *b, struct st_machine_diff *d);

/*
 * The next entry of a mitigations list ("name: status; name: status; ..."),
 * from s: its name and status into the buffers (cut to fit). An entry runs to
 * the next "; " that starts another "name:" (lower case, digits, '_'), so a
 * status may hold "; STIBP: disabled" itself. Returns where the following
 * entry starts, or NULL at the end of the list.
 */
const char *st_mitigation_next(const char *s, char *name, size_t name_len, char *status, size_t status_len);

/* The status of vulnerability name in list, into out; false (out "") when the list has no such entry. */
bool st_mitigation_of(const char *list, const char *name, char *out, size_t len);

/* "2026-11-29T04:00:00Z" as seconds since the epoch; false when it is not that form. */
bool st_iso_utc_seconds(const char *iso, long long *out);

#endif
