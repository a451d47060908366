// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_report.c — libFuzzer target for what `schedtrace report` does with an
 * untrusted file: parse, read into st_run, render (text, HTML, CSV; and, as
 * `report A.json B.json` does, its runs against its own second half). Beyond "no crash" it
 * checks one property: whatever the reader accepts, the writer writes back
 * into a document that reads back to the same structs.
 *
 *   make fuzz
 *   nice -n 19 build/fuzz_report -max_total_time=600 /tmp/fuzz-work tests/fuzz/corpus
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json_read.h"
#include "csv.h"
#include "html.h"
#include "json_schema.h"
#include "pair_words.h"
#include "report.h"

static FILE *null_out(void)
{
	static FILE *f;

	if (!f)
		f = fopen("/dev/null", "w");
	return f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct st_run *runs, *again;
	char err[512], *buf = NULL;
	size_t len = 0;
	int n, m;
	FILE *f;

	if (st_json_read((const char *)data, size, &runs, &n, err, sizeof(err))) {
		if (!err[0] || strchr(err, '\n'))
			__builtin_trap(); /* every rejection is one line of reason */
		return 0;
	}
	for (int i = 0; i < n; i++)
		st_report_text(null_out(), &runs[i]);
	st_html_write(null_out(), runs, n);
	st_csv_write(null_out(), runs, n);
	{
		static struct st_pair pair;

		st_pair_runs(runs, n, runs + n / 2, n - n / 2, &pair);
		st_report_pair_text(null_out(), &pair, "a.json", "b.json");
		st_report_pair_html(null_out(), &pair, "a.json", "b.json");
	}

	f = open_memstream(&buf, &len);
	if (!f || st_json_write(f, runs, n) || fclose(f))
		__builtin_trap();
	if (st_json_read(buf, len, &again, &m, err, sizeof(err)) || m != n ||
	    memcmp(runs, again, (size_t)n * sizeof(*runs)) != 0)
		__builtin_trap(); /* the writer and the reader disagree */
	free(again);
	free(buf);
	free(runs);
	return 0;
}
