#!/usr/bin/env bash
# bench/kill9.sh — kill -9 of schedtrace at random points, N rounds (default 20):
# right after the workload is forked, inside the timeline's window, among short
# repeats, during `trace -- COMMAND`, with the two-process pipe workload. After each
# kill: no process of it and no BPF object of it (programs, links, .rodata maps
# with its pid, pinned files) may remain. Prints one line per round and a summary;
# exit 1 on any orphan or leftover. Needs root; takes ~1-2 s a round.
#
#   bench/kill9.sh [ROUNDS]        SCHEDTRACE_KILL_SEED=S repeats a sequence
#   SCHEDTRACE_BUILD=D             build directory (default build)
# On a shared machine: flock /tmp/schedtrace-bpf.lock bench/kill9.sh
set -u
cd "$(dirname "$0")/.." || exit 1
BUILD=${SCHEDTRACE_BUILD:-build}
ROUNDS=${1:-20}
case $ROUNDS in '' | *[!0-9]* | 0) echo "kill9.sh: ROUNDS must be a whole number >= 1" >&2; exit 2;; esac
[ -x "$BUILD/tests/test_int_kill" ] || { echo "kill9.sh: build it first: make $BUILD/tests/test_int_kill" >&2; exit 2; }
SCHEDTRACE_BUILD=$BUILD SCHEDTRACE_KILL_ROUNDS=$ROUNDS SCHEDTRACE_REQUIRE_BPF=1 "$BUILD/tests/test_int_kill" 2>&1 |
	sed -n 's/^\[   INFO   \] //p; /FAILED\|ERROR\|LINE/p'
exit "${PIPESTATUS[0]}"
