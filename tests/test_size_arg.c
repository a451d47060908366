// SPDX-License-Identifier: GPL-2.0
/* test_size_arg.c — --ring-size values: units, powers of two, bounds, and garbage refused in one line. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "testutil.h"
#include "size_arg.h"

static void test_good_sizes(void **state)
{
	const struct {
		const char *s;
		__u32 v;
	} good[] = { { "4K", 4096 }, { "4096", 4096 }, { "64k", 65536 }, { "2M", 2u << 20 }, { "1G", 1u << 30 },
		     { "1048576", 1u << 20 } };
	char err[256];
	__u32 v;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (good[i].v < (__u32)sysconf(_SC_PAGESIZE))
			continue; /* below a page: refused on this machine */
		v = 0;
		if (st_parse_ring_size(good[i].s, &v, err, sizeof(err)))
			fail_msg("'%s' refused: %s", good[i].s, err);
		assert_int_equal(v, good[i].v);
	}
}

static void test_bad_sizes(void **state)
{
	static const char *const bad[] = { "", "K", "-4K", "+4K", " 4K", "4K ", "3K", "2K", "4KB", "4KK",
					   "2G", "5000", "0", "4.5K", "0x1000", "99999999999999999999", "1T" };
	char err[256];
	__u32 v = 7;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (!st_parse_ring_size(bad[i], &v, err, sizeof(err)))
			fail_msg("'%s' was accepted as %u", bad[i], v);
		assert_non_null(strstr(err, "power of two"));
		assert_null(strchr(err, '\n'));
	}
	assert_int_equal(v, 7); /* untouched on error */
	assert_int_equal(st_parse_ring_size(NULL, &v, err, sizeof(err)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_sizes),
		cmocka_unit_test(test_bad_sizes),
	};

	return cmocka_run_group_tests_name("size_arg", tests, NULL, NULL);
}
