// SPDX-License-Identifier: GPL-2.0
/*
 * test_int_caps.c — least privilege (needs root to set it up, and BPF):
 * as user nobody with CAP_BPF and CAP_PERFMON only (setpriv, util-linux:
 * ambient capabilities survive the exec), `run` and `trace` work and count
 * what they count as root; as nobody without them, one line says what is
 * missing and the exit status is 1. The calibration is cached first (as
 * root): calibrating needs /run/schedtrace to be writable. ~2 s.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "calibrate.h"
#include "json_read.h"
#include "testutil.h"

#define SETPRIV "/usr/bin/setpriv"

static char out[1 << 16], err[1 << 14];
static char uid_s[16], gid_s[16];

static int as_nobody(bool caps, const char *const *args)
{
	char *argv[40];
	int n = 0;

	argv[n++] = SETPRIV;
	argv[n++] = "--reuid", argv[n++] = uid_s, argv[n++] = "--regid", argv[n++] = gid_s;
	argv[n++] = "--clear-groups";
	if (caps) {
		argv[n++] = "--inh-caps=+bpf,+perfmon";
		argv[n++] = "--ambient-caps=+bpf,+perfmon";
	}
	argv[n++] = "--";
	for (; *args && n < 39; args++)
		argv[n++] = (char *)*args;
	argv[n] = NULL;
	return testutil_run(argv, out, sizeof(out), err, sizeof(err));
}

static void prepare(void)
{
	struct st_calibration cal;
	struct passwd *nobody;
	char e[512];

	require_bpf();
	if (access(SETPRIV, X_OK)) {
		print_message("[   SKIP   ] no %s (util-linux)\n", SETPRIV);
		skip();
	}
	nobody = getpwnam("nobody");
	if (!nobody) {
		print_message("[   SKIP   ] no user nobody\n");
		skip();
	}
	snprintf(uid_s, sizeof(uid_s), "%u", (unsigned)nobody->pw_uid);
	snprintf(gid_s, sizeof(gid_s), "%u", (unsigned)nobody->pw_gid);
	if (st_calibration_get(&cal, false, NULL, e, sizeof(e)))
		fail_msg("calibration: %s", e);
}

static void test_caps_only(void **state)
{
	char dir[] = "/tmp/st-int-caps-XXXXXX", json[64], fx[4096], bin[4096];
	const char *capeff[] = { "/bin/grep", "CapEff", "/proc/self/status", NULL };
	const char *run[] = { bin, "run", "futex", "-n", "2000", "-r", "1", "--json", json, NULL };
	const char *trace[] = { bin, "trace", "--", fx, "-n", "2000", "-w", "0", "-r", "1", NULL };
	struct st_run *runs;
	struct stat st;
	char e[512];
	int n, rc;

	(void)state;
	prepare();
	snprintf(bin, sizeof(bin), "%s", testutil_bin("schedtrace"));
	/* what the process gets: CAP_PERFMON (38) and CAP_BPF (39), nothing else */
	assert_int_equal(as_nobody(true, capeff), 0);
	assert_non_null(strstr(out, "CapEff:\t000000c000000000"));

	assert_non_null(mkdtemp(dir));
	assert_int_equal(chmod(dir, 0777), 0);
	snprintf(json, sizeof(json), "%s/run.json", dir);
	rc = as_nobody(true, run);
	if (rc == 127 || strstr(err, "Permission denied")) {
		rmdir(dir);
		print_message("[   SKIP   ] nobody cannot execute %s (directory permissions)\n", run[0]);
		skip();
	}
	if (rc != 0)
		fail_msg("run as nobody with CAP_BPF+CAP_PERFMON: exit %d: %s", rc, err);
	assert_non_null(strstr(out, "futex"));
	assert_int_equal(stat(json, &st), 0);
	assert_int_equal(st.st_uid, (uid_t)atoi(uid_s));
	if (st_json_read_file(json, &runs, &n, e, sizeof(e)))
		fail_msg("%s: %s", json, e);
	print_message("[   INFO   ] run futex as nobody: %.3f kernel switches per switch, %llu lost\n",
		      runs[0].summary.kernel_switches, (unsigned long long)runs[0].summary.lost);
	assert_true(runs[0].summary.kernel_switches > 0.95 && runs[0].summary.kernel_switches < 1.05);
	assert_int_equal(runs[0].summary.lost, 0);
	free(runs);
	unlink(json);
	rmdir(dir);

	snprintf(fx, sizeof(fx), "%s", testutil_bin("workloads/futex"));
	rc = as_nobody(true, trace);
	if (rc != 0)
		fail_msg("trace as nobody with CAP_BPF+CAP_PERFMON: exit %d: %s", rc, err);
	assert_non_null(strstr(out, "until it exited (exit status 0)"));
	{
		const char *p = strstr(out, "switched out ");
		long v = 0;

		assert_non_null(p);
		for (p += 13; (*p >= '0' && *p <= '9') || *p == ','; p++)
			if (*p != ',')
				v = v * 10 + (*p - '0');
		print_message("[   INFO   ] trace futex as nobody: %ld kernel switches (the command makes 4,000)\n", v);
		assert_true(v >= 4000 * 0.95 && v <= 4000 * 1.05);
	}
}

static void test_no_caps(void **state)
{
	const char *run[] = { testutil_bin("schedtrace"), "run", "futex", "-n", "2000", "-r", "1", NULL };

	(void)state;
	prepare();
	assert_int_equal(as_nobody(false, run), 1);
	assert_non_null(strstr(err, "CAP_BPF+CAP_PERFMON"));
	assert_true(strchr(err, '\n') && strchr(err, '\n')[1] == '\0'); /* one line */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_caps_only),
		cmocka_unit_test(test_no_caps),
	};

	return cmocka_run_group_tests_name("int_caps", tests, NULL, NULL);
}
