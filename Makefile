# schedtrace — where does the time of one context switch go?
#
#   make          build everything (V=1 shows the commands)
#   make check    run every test (integration tests need root and BPF)
#   make check-asan  the same, user space and workloads built with ASan+UBSan in build-asan/
#   make soak     30 minutes of run and trace: memory flat, nothing lost (not in CI)
#   make bench    workload table and tracer overhead
#   make deps     install the Debian packages the build needs
#   make vmlinux  regenerate vmlinux/$(ARCH)/vmlinux.h from this kernel's BTF
#   make mutate   mutation testing: would the tests fail on wrong code? (not in check)
.DELETE_ON_ERROR:
.SUFFIXES:
.SECONDARY:

OUT      := build
ARCH     := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
MACHINE  := $(shell uname -m)
CC       ?= cc
CLANG    ?= clang
BPFTOOL  ?= bpftool

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

CFLAGS   ?= -O2 -g
CFLAGS   += -Wall -Wextra -Werror -std=gnu11 -pthread
# the layers, bottom up: user/core (pure) <- report, user/collect <- user/cli (README, "Layout")
CPPFLAGS += -D_GNU_SOURCE -I$(OUT) -Ibpf -Iuser/core -Iuser/collect -Iuser/cli -Ireport -Iworkloads/common \
	    -Iworkloads/coro
# libelf directly too: goroutines.c reads a Go binary's symbol table (libbpf links it privately)
LIBBPF   := $(shell pkg-config --libs libbpf 2>/dev/null || echo -lbpf -lz) -lelf
LDLIBS   += -lm -lz

# the first target is the default
all:

# ---- BPF: clang -> bpftool gen object -> bpftool gen skeleton -------------
BPF_SRCS := $(wildcard bpf/*.bpf.c)
BPF_OBJS := $(patsubst bpf/%.bpf.c,$(OUT)/%.bpf.o,$(BPF_SRCS))
SKELS    := $(patsubst bpf/%.bpf.c,$(OUT)/%.skel.h,$(BPF_SRCS))
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Werror \
	      -Ivmlinux/$(ARCH) -Ibpf -I$(OUT)

$(OUT)/%.tmp.bpf.o: bpf/%.bpf.c $(wildcard bpf/*.h) vmlinux/$(ARCH)/vmlinux.h | $(OUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUT)/%.bpf.o: $(OUT)/%.tmp.bpf.o
	$(call msg,GEN-OBJ,$@)
	$(Q)$(BPFTOOL) gen object $@ $<

$(OUT)/%.skel.h: $(OUT)/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$*) > $@

# Syscall names for reports, generated from the installed kernel headers.
SYSCALL_HDR := $(firstword $(wildcard /usr/include/$(MACHINE)-linux-gnu/asm/unistd_64.h \
					 /usr/include/asm/unistd_64.h))
$(OUT)/syscall_names.h: $(SYSCALL_HDR) | $(OUT)
	$(call msg,GEN,$@)
	$(Q)sed -n 's/^#define __NR_\([a-z0-9_]*\)[[:space:]]\{1,\}\([0-9]\{1,\}\)$$/[\2] = "\1",/p' $< > $@

# ---- libraries --------------------------------------------------------------
CORO_SRCS := $(wildcard workloads/coro/*.c) $(wildcard workloads/coro/switch_$(MACHINE).S)
WL_SRCS   := $(wildcard workloads/common/*.c)
# user/cli/main.c is the program; everything else in user/ and report/ is the library
# user/core/stats.c goes in libworkload, which the workloads and the collector both link
WL_SRCS   += user/core/stats.c
LIB_SRCS  := $(filter-out user/cli/main.c user/core/stats.c,$(wildcard user/*/*.c)) $(wildcard report/*.c)

objs = $(patsubst %,$(OUT)/obj/%.o,$(basename $(1)))
CORO_OBJS := $(call objs,$(CORO_SRCS))
WL_OBJS   := $(call objs,$(WL_SRCS))
LIB_OBJS  := $(call objs,$(LIB_SRCS))

$(OUT)/obj/%.o: %.c | $(OUT)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(OUT)/obj/%.o: %.S | $(OUT)
	$(call msg,AS,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) -MMD -MP -c $< -o $@

# user/ and report/ objects may include skeletons and generated tables
$(LIB_OBJS) $(OUT)/obj/user/cli/main.o: $(SKELS) $(OUT)/syscall_names.h

$(OUT)/libcoro.a: $(CORO_OBJS)
$(OUT)/libworkload.a: $(WL_OBJS)
$(OUT)/libschedtrace.a: $(LIB_OBJS)
$(OUT)/%.a:
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

# ---- binaries ---------------------------------------------------------------
WORKLOAD_SRCS := $(wildcard workloads/*.c)
WORKLOADS     := $(patsubst workloads/%.c,$(OUT)/workloads/%,$(WORKLOAD_SRCS))

$(OUT)/workloads/%: $(OUT)/obj/workloads/%.o $(OUT)/libworkload.a $(OUT)/libcoro.a
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS)

# Go and Node workloads beside ours (workloads/go, workloads/node), built only when
# their toolchain is on PATH: a missing go or node is a note, not a build error,
# and `make deps` installs neither. Tests and bench/hog.sh say "needs go" / "needs node".
GO   := $(shell command -v go 2>/dev/null)
NODE := $(shell command -v node 2>/dev/null)
GO_WORKLOADS   := go-yield go-chan
NODE_WORKLOADS := node-await node-hog
GO_SRCS := workloads/go/go.mod $(shell find workloads/go -name '*.go' 2>/dev/null)
ifneq ($(GO),)
EXTRA_WORKLOADS += $(patsubst %,$(OUT)/workloads/%,$(GO_WORKLOADS))
# the module and build caches stay in the build folder
$(OUT)/workloads/go-%: $(GO_SRCS)
	$(call msg,GO,$@)
	$(Q)mkdir -p $(@D) $(OUT)/go
	$(Q)cd workloads/go && GOCACHE=$(abspath $(OUT))/go/cache GOPATH=$(abspath $(OUT))/go \
		GOFLAGS=-buildvcs=false GOTOOLCHAIN=local $(GO) build -o $(abspath $@) ./go-$*
else
NOTES += "  SKIP     $(GO_WORKLOADS): needs go (not on PATH)"
endif
ifneq ($(NODE),)
EXTRA_WORKLOADS += $(patsubst %,$(OUT)/workloads/%,$(NODE_WORKLOADS))
$(OUT)/workloads/node-%: workloads/node/node-%.js workloads/node/wl.js workloads/node/wrapper.sh
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)sed -e 's|@JS@|$(abspath $<)|' -e 's|@NAME@|node-$*|' workloads/node/wrapper.sh > $@ && chmod +x $@
else
NOTES += "  SKIP     $(NODE_WORKLOADS): needs node (not on PATH)"
endif

# --version: git describe of the tree built; version.h is rewritten only when it changes
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo unknown)
$(OUT)/version.h: FORCE | $(OUT)
	$(Q)echo '#define ST_VERSION "$(VERSION)"' > $@.tmp && (cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@)
$(OUT)/obj/user/cli/main.o: $(OUT)/version.h
FORCE:

$(OUT)/schedtrace: $(OUT)/obj/user/cli/main.o $(OUT)/libschedtrace.a $(OUT)/libworkload.a
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(LIBBPF) $(LDLIBS)

schedtrace: $(OUT)/schedtrace
	$(Q)ln -sf $(OUT)/schedtrace $@

# the man page and the bash completion, printed from the command table (user/cli/cli_doc.c)
$(OUT)/schedtrace.8: $(OUT)/schedtrace
	$(call msg,GEN,$@)
	$(Q)$< --man > $@
$(OUT)/schedtrace.bash: $(OUT)/schedtrace
	$(call msg,GEN,$@)
	$(Q)$< --bash-completion > $@

# make install [PREFIX=/usr/local] [DESTDIR=]: the binary finds its workloads beside
# itself (user/collect/launch.c), so both live in lib/schedtrace and bin/ links there
PREFIX  ?= /usr/local
LIBDIR  := $(DESTDIR)$(PREFIX)/lib/schedtrace
install: all $(OUT)/schedtrace.8 $(OUT)/schedtrace.bash
	install -d $(LIBDIR)/workloads $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man8 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 755 $(OUT)/schedtrace $(LIBDIR)/schedtrace
	install -m 755 $(WORKLOADS) $(EXTRA_WORKLOADS) $(LIBDIR)/workloads/
	ln -sf ../lib/schedtrace/schedtrace $(DESTDIR)$(PREFIX)/bin/schedtrace
	install -m 644 $(OUT)/schedtrace.8 $(DESTDIR)$(PREFIX)/share/man/man8/schedtrace.8
	install -m 644 $(OUT)/schedtrace.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/schedtrace

uninstall:
	rm -rf $(LIBDIR) $(DESTDIR)$(PREFIX)/bin/schedtrace $(DESTDIR)$(PREFIX)/share/man/man8/schedtrace.8 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/schedtrace

# ---- tests ------------------------------------------------------------------
# tests/test_<module>.c -> build/tests/test_<module>, linked against the
# project's libraries (the linker pulls only the objects a test uses).
# A test may add link flags (e.g. -Wl,--wrap=...) with test_<module>_LDFLAGS.
TEST_SRCS := $(wildcard tests/test_*.c)
TESTS     := $(patsubst tests/%.c,$(OUT)/tests/%,$(TEST_SRCS))
TEST_LIBS := $(OUT)/libschedtrace.a $(OUT)/libworkload.a $(OUT)/libcoro.a

$(call objs,$(TEST_SRCS)): $(SKELS) $(OUT)/syscall_names.h

$(OUT)/tests/%: $(OUT)/obj/tests/%.o $(OUT)/obj/tests/testutil.o $(TEST_LIBS)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $($*_LDFLAGS) -lcmocka $(LIBBPF) $(LDLIBS)

# tests/helpers/*.c -> $(OUT)/tests/helpers/*: programs the integration tests trace.
# Never sanitized: they are the traced program, not ours to check, and an ASan
# build creates threads at 70% of the rate the scale test asks for.
HELPERS := $(patsubst tests/helpers/%.c,$(OUT)/tests/helpers/%,$(wildcard tests/helpers/*.c))
$(OUT)/tests/helpers/%: tests/helpers/%.c | $(OUT)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(filter-out -fsanitize=% -fno-sanitize-recover=%,$(CFLAGS)) $< -o $@

$(OUT):
	$(Q)mkdir -p $(OUT)

# libFuzzer target for the report reader (tests/fuzz/fuzz_report.c says how to run it);
# the reader and renderers are instrumented, anything else they call comes from the libraries
# (libworkload for user/core/stats.c)
FUZZ_SRCS := tests/fuzz/fuzz_report.c $(wildcard report/json_*.c report/text*.c report/html*.c report/csv.c report/format.c \
	     report/pair_words.c)
$(OUT)/fuzz_report: $(FUZZ_SRCS) $(OUT)/libschedtrace.a $(OUT)/libworkload.a
	$(call msg,FUZZ,$@)
	$(Q)$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined $(CPPFLAGS) $(FUZZ_SRCS) $(OUT)/libschedtrace.a \
		$(OUT)/libworkload.a -o $@ $(LIBBPF) $(LDLIBS)
fuzz: $(OUT)/fuzz_report

# ---- top-level targets ------------------------------------------------------
.PHONY: all check check-asan soak bench deps vmlinux clean fuzz install uninstall mutate FORCE
all: $(OUT)/schedtrace $(OUT)/schedtrace.8 $(OUT)/schedtrace.bash $(WORKLOADS) $(EXTRA_WORKLOADS)
ifneq ($(NOTES),)
	@for n in $(NOTES); do echo "$$n"; done
endif
# ./schedtrace links to the default build only: a build elsewhere (OUT=...) leaves it alone
ifeq ($(OUT),build)
all: schedtrace
endif

check: all $(TESTS) $(HELPERS)
	$(Q)tests/check-layers.sh >/dev/null
	$(Q)tests/check-fn-length.sh
	$(Q)SCHEDTRACE_BUILD=$(OUT) tests/run-tests.sh $(TESTS)

# The same tests on a build with AddressSanitizer and UndefinedBehaviorSanitizer
# (user space, workloads, tests; the BPF object is the same). Any finding aborts
# the binary it is in, and the run fails. The coroutine stacks are our own mmaps:
# ASan is told nothing of the switches, so it must not check the stack there
# (detect_stack_use_after_return is off by default).
# test_int_overhead is left out: it judges the corrected ns/switch against bare
# runs, and instrumented workloads are not the ones users run (pipe read 1.21
# there, 1.07 in the release build of the same CI run); its code paths run
# under the sanitizers in test_int_run.
ASAN_OUT    := build-asan
ASAN_CFLAGS := -O2 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
ASAN_TESTS  := $(patsubst $(OUT)/%,$(ASAN_OUT)/%,$(filter-out $(OUT)/tests/test_int_overhead,$(TESTS)))
check-asan:
	$(Q)CFLAGS="$(ASAN_CFLAGS)" $(MAKE) --no-print-directory OUT=$(ASAN_OUT) all $(ASAN_TESTS) $(patsubst $(OUT)/%,$(ASAN_OUT)/%,$(HELPERS))
	$(Q)ASAN_OPTIONS=abort_on_error=1:detect_leaks=1:halt_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    SCHEDTRACE_BUILD=$(ASAN_OUT) tests/run-tests.sh $(ASAN_TESTS)

# 30 minutes of run and trace (SOAK_MINUTES to change): collector RSS and BPF map
# memory flat within 5%, nothing lost, the drift of ns/switch over the repeats. Not in CI.
soak: all $(HELPERS)
	$(Q)SCHEDTRACE_BUILD=$(OUT) bench/soak.sh

# tests/mutations.txt applied one at a time to a scratch copy of the tree (tests/mutate.sh):
# MUTATIONS="name ..." for some of them, MUTATE_INT_TESTS="" for unit tests only
mutate:
	$(Q)tests/mutate.sh $(MUTATIONS)

# bench/*.c -> $(OUT)/bench/*: benchmark drivers bench/run.sh calls (not tests: they measure, never skip)
BENCH_BINS := $(patsubst bench/%.c,$(OUT)/bench/%,$(wildcard bench/*.c))
$(OUT)/bench/%: $(OUT)/obj/bench/%.o $(TEST_LIBS)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(LIBBPF) $(LDLIBS)

bench: all $(BENCH_BINS)
	$(Q)SCHEDTRACE_BUILD=$(OUT) bench/run.sh

# linux-perf: the tests' independent witness (perf recording the same run, cpu-clock sampling)
DEB_PKGS := clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev libcmocka-dev pkg-config make gcc linux-perf
deps:
	$(Q)missing=$$(for p in $(DEB_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null \
		| grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

vmlinux:
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > vmlinux/$(ARCH)/vmlinux.h

clean:
	$(Q)rm -rf $(OUT) $(ASAN_OUT) schedtrace

-include $(shell find $(OUT)/obj -name '*.d' 2>/dev/null)
