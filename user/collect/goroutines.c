// SPDX-License-Identifier: GPL-2.0
/* goroutines.c — see goroutines.h. */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "goroutines.h"
#include "goroutines.skel.h"

struct st_goroutines {
	struct goroutines *skel;
	struct bpf_link *link;
};

/* Does the ELF file have a symbol named name (its symbol table, or the dynamic one)? */
static bool has_symbol(const char *path, const char *name)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	Elf_Scn *scn = NULL;
	bool found = false;
	Elf *e;

	if (fd < 0)
		return false;
	elf_version(EV_CURRENT);
	e = elf_begin(fd, ELF_C_READ, NULL);
	while (e && !found && (scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM) ||
		    !(d = elf_getdata(scn, NULL)))
			continue;
		for (size_t i = 0; sh.sh_entsize && i < sh.sh_size / sh.sh_entsize && !found; i++) {
			GElf_Sym sym;
			const char *s;

			if (gelf_getsym(d, (int)i, &sym) && (s = elf_strptr(e, sh.sh_link, sym.st_name)))
				found = !strcmp(s, name);
		}
	}
	if (e)
		elf_end(e);
	close(fd);
	return found;
}

/* Go 1.17+ names the assembly function by its ABI: runtime.gogo.abi0 */
static const char *gogo_symbol(const char *binary)
{
	return has_symbol(binary, "runtime.gogo.abi0") ? "runtime.gogo.abi0" : "runtime.gogo";
}

bool st_goroutines_present(const char *binary)
{
	return has_symbol(binary, gogo_symbol(binary));
}

int st_goroutines_attach(struct st_goroutines **out, const char *binary, pid_t tgid, char *why, size_t why_len)
{
	const char *sym = gogo_symbol(binary);
	LIBBPF_OPTS(bpf_uprobe_opts, uo, .func_name = sym);
	struct st_goroutines *g;
	int e;

	*out = NULL;
	if (!has_symbol(binary, sym)) {
		snprintf(why, why_len, "%s has no runtime.gogo: not a Go program, or stripped", binary);
		return -ENOENT;
	}
	if (!(g = calloc(1, sizeof(*g))) || !(g->skel = goroutines__open())) {
		free(g);
		snprintf(why, why_len, "cannot open the goroutine probe");
		return -ENOMEM;
	}
	g->skel->rodata->targ_tgid = (__u32)tgid;
	if ((e = goroutines__load(g->skel))) {
		snprintf(why, why_len, "loading the goroutine probe failed: %s", strerror(-e));
		goroutines__destroy(g->skel);
		free(g);
		return e;
	}
	g->link = bpf_program__attach_uprobe_opts(g->skel->progs.st_gogo, -1, binary, 0, &uo);
	if (!g->link) {
		e = -errno;
		snprintf(why, why_len, "attaching to runtime.gogo in %s failed: %s", binary, strerror(-e));
		st_goroutines_detach(g);
		return e;
	}
	*out = g;
	return 0;
}

__u64 st_goroutines_count(const struct st_goroutines *g)
{
	return g ? __atomic_load_n(&g->skel->bss->gogo_calls, __ATOMIC_RELAXED) : 0;
}

void st_goroutines_detach(struct st_goroutines *g)
{
	if (!g)
		return;
	bpf_link__destroy(g->link);
	goroutines__destroy(g->skel);
	free(g);
}
