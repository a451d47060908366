// SPDX-License-Identifier: GPL-2.0
/*
 * machine.c — the machine a run was made on: kernel, CPU, virtualization,
 * clocksource, CPU mitigations. Absolute switch costs depend on all of them
 * (a null syscall costs ~20x more under PTI in a paravirtual guest than on
 * bare metal), so every report carries this block. Never fails: whatever
 * cannot be read says "unknown".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif
#include "machine.h"

#define UNKNOWN "unknown"

/* src into dst[len], truncated; "unknown" when src is NULL or empty. */
static void copy(char *dst, size_t len, const char *src)
{
	size_t n;

	if (!src || !*src)
		src = UNKNOWN;
	n = strlen(src);
	if (n > len - 1)
		n = len - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* First line of a small file, without its newline; false if unreadable or empty. */
static bool read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	if (!ok)
		return false;
	buf[strcspn(buf, "\n")] = '\0';
	return buf[0] != '\0';
}

static void read_cpu_model(char *buf, size_t len)
{
	char line[512];
	FILE *f = fopen("/proc/cpuinfo", "re");

	copy(buf, len, NULL);
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "model name", 10) || !colon)
			continue;
		colon += 1 + strspn(colon + 1, " \t");
		colon[strcspn(colon, "\n")] = '\0';
		copy(buf, len, colon);
		break;
	}
	fclose(f);
}

#if defined(__x86_64__) || defined(__i386__)
/* The hypervisor's vendor signature (cpuid leaf 0x40000000), by its usual name. */
static const char *x86_hypervisor(void)
{
	static const struct {
		const char *sig, *name;
	} known[] = {
		{ "KVMKVMKVM", "KVM" },		{ "Microsoft Hv", "Hyper-V" },
		{ "VMwareVMware", "VMware" },	{ "XenVMMXenVMM", "Xen" },
		{ "TCGTCGTCGTCG", "QEMU (TCG)" }, { "ACRNACRNACRN", "ACRN" },
		{ " lrpepyh  vr", "Parallels" }, { "VBoxVBoxVBox", "VirtualBox" },
		{ "bhyve bhyve ", "bhyve" },	{ "QNXQVMBSQG", "QNX" },
	};
	static char sig[13];
	unsigned a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1U << 31)))
		return "none";
	__cpuid(0x40000000, a, b, c, d);
	memcpy(sig, &b, 4);
	memcpy(sig + 4, &c, 4);
	memcpy(sig + 8, &d, 4);
	sig[12] = '\0';
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(sig, known[i].sig))
			return known[i].name;
	return NULL; /* a hypervisor, but not one we know by its signature */
}
#endif

bool st_kmsg_hypervisor(const char *record, char *out, size_t len)
{
	static const char key[] = "Hypervisor detected: ";
	const char *at = strchr(record, ';');
	size_t n;

	if (!at || strncmp(at + 1, key, sizeof(key) - 1))
		return false;
	at += sizeof(key);
	n = strcspn(at, "\n");
	if (!n || n >= len)
		return false;
	memcpy(out, at, n);
	out[n] = '\0';
	return true;
}

/*
 * The kernel's own word at boot, when the log still holds it (root only). It
 * can differ from the cpuid signature: a PVM host answers cpuid as bhyve.
 */
static bool kernel_hypervisor(char *out, size_t len)
{
	char rec[1024];
	bool found = false;
	ssize_t n;
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return false;
	/* one record per read; EAGAIN at the end of the log, EPIPE when a record was overwritten */
	while (!found && ((n = read(fd, rec, sizeof(rec) - 1)) > 0 || (n < 0 && errno == EPIPE))) {
		if (n <= 0)
			continue;
		rec[n] = '\0';
		found = st_kmsg_hypervisor(rec, out, len);
	}
	close(fd);
	return found;
}

static void read_virtualization(char *buf, size_t len)
{
	const char *name = NULL;
	char vendor[128], kernel[64];

#if defined(__x86_64__) || defined(__i386__)
	name = x86_hypervisor();
#endif
	if (name && strcmp(name, "none") && kernel_hypervisor(kernel, sizeof(kernel)) && strcmp(kernel, name)) {
		snprintf(buf, len, "%.24s (cpuid says %.20s)", kernel, name);
		return;
	}
	if (name) {
		copy(buf, len, name);
		return;
	}
	/* no cpuid answer: the DMI vendor often names the cloud or hypervisor */
	if (read_line("/sys/class/dmi/id/sys_vendor", vendor, sizeof(vendor)))
		snprintf(buf, len, "unknown (vendor %.40s)", vendor);
	else
		copy(buf, len, NULL);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* "meltdown: Mitigation: PTI; spectre_v2: ..." from every vulnerabilities file. */
static void read_mitigations(char *buf, size_t len)
{
	const char *dir = "/sys/devices/system/cpu/vulnerabilities";
	struct dirent **ents;
	size_t used = 0;
	int n = scandir(dir, &ents, NULL, by_name);

	copy(buf, len, NULL);
	if (n < 0)
		return;
	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		char path[512], text[256];
		int w;

		if (ents[i]->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
			if (!read_line(path, text, sizeof(text)))
				snprintf(text, sizeof(text), UNKNOWN);
			w = snprintf(buf + used, len - used, "%s%s: %s", used ? "; " : "",
				     ents[i]->d_name, text);
			if (w > 0)
				used += (size_t)w < len - used ? (size_t)w : len - used - 1;
		}
		free(ents[i]);
	}
	free(ents);
	if (used == len - 1 && len > 4)
		memcpy(buf + len - 4, "...", 4); /* truncated: say so */
	if (!buf[0])
		copy(buf, len, NULL);
}

static void read_date(char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;

	if (now == (time_t)-1 || !gmtime_r(&now, &tm) ||
	    !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		copy(buf, len, NULL);
}

void st_machine_read(struct st_machine *m)
{
	struct utsname u;
	char host[ST_NAME_LEN];
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	memset(m, 0, sizeof(*m));
	if (uname(&u) == 0) {
		copy(m->kernel, sizeof(m->kernel), u.release);
		copy(m->kernel_version, sizeof(m->kernel_version), u.version);
		copy(m->arch, sizeof(m->arch), u.machine);
	} else {
		copy(m->kernel, sizeof(m->kernel), NULL);
		copy(m->kernel_version, sizeof(m->kernel_version), NULL);
		copy(m->arch, sizeof(m->arch), NULL);
	}
	read_cpu_model(m->cpu_model, sizeof(m->cpu_model));
	m->nr_cpus_online = cpus > 0 ? (int)cpus : 0;
	read_virtualization(m->virtualization, sizeof(m->virtualization));
	if (!read_line("/sys/devices/system/clocksource/clocksource0/current_clocksource",
		       m->clocksource, sizeof(m->clocksource)))
		copy(m->clocksource, sizeof(m->clocksource), NULL);
	read_mitigations(m->mitigations, sizeof(m->mitigations));
	if (gethostname(host, sizeof(host)) == 0) {
		host[sizeof(host) - 1] = '\0';
		copy(m->hostname, sizeof(m->hostname), host);
	} else {
		copy(m->hostname, sizeof(m->hostname), NULL);
	}
	read_date(m->date, sizeof(m->date));
}
