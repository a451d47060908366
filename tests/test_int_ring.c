// SPDX-License-Identifier: GPL-2.0
/*
 * test_int_ring.c — `run --perfetto F --ring-size SIZE` end to end (root +
 * BPF). With a ring far too small (one page: three batches of records) most
 * records are dropped; then
 *   - the text report's timeline line says how many, per CPU, and the count
 *     is whole batches (the kernel drops 32 records at a time);
 *   - kept + lost match the records of the same run with the default ring,
 *     which loses none (within 5%: the workload is the same, -n the same);
 *   - the Perfetto file parses, carries the same lost count, and marks gaps
 *     on the CPU track where the records show one ("records lost" slices,
 *     as many as otherData.gaps_marked says).
 * ~3 s.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "json_parse.h"
#include "perfetto.h"
#include "testutil.h"

static char out[1 << 16], err[1 << 14];

/*
 * "timeline: 26,230 records ...; lost: 324,064 on CPU 0, ..." (or "lost:
 * none") -> records and CPU 0's lost. The report wraps its lines where the
 * words fall (a slower host's longer ns figures move the break between
 * "lost:" and its count): read with every run of white space as one space.
 */
static void timeline_counts(const char *raw, unsigned long long *records, unsigned long long *lost0)
{
	static char text[sizeof(out)];
	const char *t, *l;
	char digits[32];
	size_t n = 0;

	for (const char *c = raw; *c && n < sizeof(text) - 1; c++)
		if (!(*c == ' ' || *c == '\n') || (n > 0 && text[n - 1] != ' '))
			text[n++] = *c == '\n' ? ' ' : *c;
	text[n] = '\0';
	n = 0;
	t = strstr(text, "timeline: ");

	if (!t)
		fail_msg("no timeline line in:\n%s", text);
	for (t += 10; (*t >= '0' && *t <= '9') || *t == ','; t++)
		if (*t != ',' && n < sizeof(digits) - 1)
			digits[n++] = *t;
	digits[n] = '\0';
	*records = strtoull(digits, NULL, 10);
	l = strstr(t, "lost: ");
	if (!l)
		fail_msg("no 'lost:' on the timeline line:\n%s", text);
	if (!strncmp(l, "lost: none", 10)) {
		*lost0 = 0;
		return;
	}
	n = 0;
	for (l += 6; (*l >= '0' && *l <= '9') || *l == ','; l++)
		if (*l != ',' && n < sizeof(digits) - 1)
			digits[n++] = *l;
	digits[n] = '\0';
	if (strncmp(l, " on CPU 0", 9))
		fail_msg("the timeline line does not give CPU 0's losses first:\n%s", text);
	*lost0 = strtoull(digits, NULL, 10);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void run_pthread(const char *path, const char *ring)
{
	char *argv[] = { (char *)testutil_bin("schedtrace"), "run", "pthread", "-C", "0", "-n", "20000", "-r", "1",
			 "--perfetto", (char *)path, ring ? "--ring-size" : NULL, (char *)ring, NULL };
	int rc = testutil_run(argv, out, sizeof(out), err, sizeof(err));

	if (rc != 0)
		fail_msg("run pthread --perfetto%s%s: exit %d: %s", ring ? " --ring-size " : "", ring ? ring : "", rc, err);
}

static void test_tiny_ring_counts_and_marks_gaps(void **state)
{
	char path[] = "/tmp/st-int-ring-XXXXXX.json";
	unsigned long long kept, lost, kept_full, lost_full;
	uint64_t doc_lost = 0, doc_gaps = 0, slices = 0, instants = 0;
	const struct st_json *other, *ev;
	struct st_json_doc *d;
	char perr[256], *buf;
	size_t len;
	int fd;

	(void)state;
	require_bpf();
	fd = mkstemps(path, 5);
	assert_true(fd >= 0);
	close(fd);

	run_pthread(path, NULL);
	timeline_counts(out, &kept_full, &lost_full);
	run_pthread(path, "4K");
	timeline_counts(out, &kept, &lost);
	print_message("[   INFO   ] default ring: %llu records, %llu lost; 4 KiB ring: %llu kept, %llu lost on CPU 0\n",
		      kept_full, lost_full, kept, lost);
	assert_true(lost > kept); /* far too small: most records are dropped */
	assert_int_equal(lost % 32, 0);
	kept_full += lost_full;
	if (kept + lost < 0.95 * kept_full || kept + lost > 1.05 * kept_full)
		fail_msg("kept %llu + lost %llu is not within 5%% of the %llu records of the default ring's run", kept,
			 lost, kept_full);

	buf = slurp(path, &len);
	unlink(path);
	d = st_json_parse(buf, len, perr, sizeof(perr));
	if (!d)
		fail_msg("the Perfetto file is not valid JSON: %s", perr);
	other = st_json_get(d, st_json_root(d), "otherData");
	assert_non_null(other);
	assert_true(st_json_u64(d, st_json_get(d, other, "records_lost"), &doc_lost));
	assert_true(st_json_u64(d, st_json_get(d, other, "gaps_marked"), &doc_gaps));
	ev = st_json_get(d, st_json_root(d), "traceEvents");
	assert_non_null(ev);
	for (uint32_t i = 0; i < ev->len; i++) {
		const struct st_json *e = st_json_at(d, ev, i), *name = st_json_get(d, e, "name"),
				     *ph = st_json_get(d, e, "ph"), *tid = st_json_get(d, e, "tid");
		char want[64];

		if (!name || name->type != ST_JSON_STRING || !ph || !tid)
			continue;
		snprintf(want, sizeof(want), "%llu records lost", lost);
		if (!strcmp(st_json_str(d, name), "records lost") && !strcmp(st_json_str(d, ph), "X")) {
			slices++;
			assert_true(tid->num == ST_PF_CPU_TID(0, 0)); /* on CPU 0's track */
		}
		instants += !strcmp(st_json_str(d, name), want) && !strcmp(st_json_str(d, ph), "i");
	}
	print_message("[   INFO   ] Perfetto: records_lost %llu, %llu gaps marked on CPU 0\n", (unsigned long long)doc_lost,
		      (unsigned long long)doc_gaps);
	assert_int_equal(doc_lost, lost);
	assert_int_equal(instants, 1);
	assert_true(doc_gaps >= 1);
	assert_int_equal(slices, doc_gaps);
	st_json_free(d);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tiny_ring_counts_and_marks_gaps),
	};

	return cmocka_run_group_tests_name("int_ring", tests, NULL, NULL);
}
