// SPDX-License-Identifier: GPL-2.0
#include "testutil.h"
static void test_true(void **state) { (void)state; assert_int_equal(1, 1); }
int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_true) };
	return cmocka_run_group_tests_name("smoke", tests, NULL, NULL);
}
