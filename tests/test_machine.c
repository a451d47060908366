// SPDX-License-Identifier: GPL-2.0
/* test_machine.c — st_machine_read on the machine running the tests. */
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include "testutil.h"
#include "machine.h"

static struct st_machine m;

static void test_kernel(void **state)
{
	struct utsname u;

	(void)state;
	st_machine_read(&m);
	assert_int_equal(uname(&u), 0);
	assert_string_equal(m.kernel, u.release);
	assert_string_equal(m.arch, u.machine);
	assert_true(m.kernel_version[0] != '\0');
}

static void test_cpus(void **state)
{
	(void)state;
	st_machine_read(&m);
	assert_true(m.nr_cpus_online >= 1);
	assert_int_equal(m.nr_cpus_online, (int)sysconf(_SC_NPROCESSORS_ONLN));
	assert_true(m.cpu_model[0] != '\0');
}

static void test_every_field_said(void **state)
{
	const char *fields[] = { m.kernel,	m.kernel_version, m.arch,     m.cpu_model,
				 m.virtualization, m.clocksource, m.mitigations, m.hostname,
				 m.date };

	(void)state;
	st_machine_read(&m);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		assert_true(fields[i][0] != '\0');
	/* ISO 8601 UTC: 2026-11-29T03:40:31Z */
	assert_int_equal(strlen(m.date), 20);
	assert_int_equal(m.date[10], 'T');
	assert_int_equal(m.date[19], 'Z');
}

static void test_mitigations(void **state)
{
	struct stat st;

	(void)state;
	st_machine_read(&m);
	if (stat("/sys/devices/system/cpu/vulnerabilities", &st) != 0) {
		assert_string_equal(m.mitigations, "unknown");
		return;
	}
	assert_string_not_equal(m.mitigations, "unknown");
	/* every entry is "name: text" */
	assert_non_null(strchr(m.mitigations, ':'));
	if (stat("/sys/devices/system/cpu/vulnerabilities/meltdown", &st) == 0)
		assert_non_null(strstr(m.mitigations, "meltdown: "));
}

/* The kernel's boot-time word on the hypervisor, from a /dev/kmsg record. */
static void test_kmsg_hypervisor(void **state)
{
	char out[16];

	(void)state;
	assert_true(st_kmsg_hypervisor("6,3,3,-;Hypervisor detected: PVM\n", out, sizeof(out)));
	assert_string_equal(out, "PVM");
	assert_true(st_kmsg_hypervisor("6,2,0,-,caller=T0;Hypervisor detected: KVM", out, sizeof(out)));
	assert_string_equal(out, "KVM");
	/* other records, the words elsewhere in a line, nothing after them, too long */
	assert_false(st_kmsg_hypervisor("6,4,4,-;pvm-pv: running under PVM (pv-lite)", out, sizeof(out)));
	assert_false(st_kmsg_hypervisor("6,4,4,-;x: Hypervisor detected: KVM", out, sizeof(out)));
	assert_false(st_kmsg_hypervisor("6,4,4,-;Hypervisor detected: \n", out, sizeof(out)));
	assert_false(st_kmsg_hypervisor("Hypervisor detected: KVM", out, sizeof(out)));
	assert_false(st_kmsg_hypervisor("6,4,4,-;Hypervisor detected: A very long hypervisor name", out, sizeof(out)));
}

static void test_clocksource(void **state)
{
	struct stat st;

	(void)state;
	st_machine_read(&m);
	if (stat("/sys/devices/system/clocksource/clocksource0/current_clocksource", &st) == 0)
		assert_string_not_equal(m.clocksource, "unknown");
	assert_null(strchr(m.clocksource, '\n'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel),
		cmocka_unit_test(test_cpus),
		cmocka_unit_test(test_every_field_said),
		cmocka_unit_test(test_mitigations),
		cmocka_unit_test(test_clocksource),
		cmocka_unit_test(test_kmsg_hypervisor),
	};
	return cmocka_run_group_tests_name("machine", tests, NULL, NULL);
}
