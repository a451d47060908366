#!/usr/bin/env bash
# bench/run.sh — `make bench`: ns per switch of every bundled workload, pinned,
# and our pthread workload side by side with the seed article's pthread_switch.c.
#
# This host drifts by tens of percent over tens of seconds, so every section
# interleaves what it compares: round after round, each workload once per
# round, in a rotated order. A number is the median over rounds of each run's
# own median (-r repeats inside one run).
#
#   BENCH_RUNS=N         rounds (default 5)
#   BENCH_CPU=C          CPU everything is pinned to (default 0)
#   SCHEDTRACE_BUILD=D   build directory (default build)
#   SCHEDTRACE_SEED=F    the seed article (default ../shared/seed/article.txt)
#   BENCH_OVERHEAD_ROUNDS=N  rounds of the tracer overhead section (default 7;
#                        bench/overhead.c, built by make bench, needs root and BPF)
#   BENCH_MEMORY=1       also collector RSS and BPF map memory over a 60 s run
#                        (bench/memory.sh; off by default to keep make bench short)
#
# Each section is one function; add a section by adding a function to main().
set -u
cd "$(dirname "$0")/.." || exit 1

BUILD=${SCHEDTRACE_BUILD:-build}
RUNS=${BENCH_RUNS:-5}
CPU=${BENCH_CPU:-0}
SEED=${SCHEDTRACE_SEED:-../shared/seed/article.txt}
[ -x "$BUILD/schedtrace" ] || { echo "bench: no $BUILD/schedtrace; run make" >&2; exit 1; }
# the switch group of the workload catalog (workloads/common/catalog.c)
mapfile -t WORKLOADS < <("$BUILD/schedtrace" list --names --group switch)

TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT

die() { echo "bench: $*" >&2; exit 1; }
. bench/lib.sh

case $RUNS in '' | *[!0-9]* | 0) die "BENCH_RUNS must be a whole number >= 1, got '$RUNS'";; esac
case $CPU in '' | *[!0-9]*) die "BENCH_CPU must be a CPU number, got '$CPU'";; esac

# What one switch is: the catalog's label, as `schedtrace list` prints it.
label_of() {
	"$BUILD/schedtrace" list --group switch | awk -v n="$1" '$1 == n { sub(/^[^ ]+ +[^ ]+ +/, ""); print }'
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0 && a + 0 > 0) printf "%.1fx", a / b
					  else print "- (a workload is missing or failed)" }'
}

# "met" when value <= limit (the issue's targets for this machine).
target() {
	awk -v v="$1" -v t="$2" 'BEGIN { if (v + 0 <= 0) print "target <= " t " ns: not measured"
					  else print "target <= " t " ns: " (v <= t ? "met" : "NOT met") }'
}

# ---- section: the workload table ---------------------------------------------
run_workload() {
	local w=$1 out
	if ! out=$("$BUILD/workloads/$w" -C "$CPU" 2>"$TMP/$w.err"); then
		echo "bench: $w failed: $(head -n 1 "$TMP/$w.err")" >&2
		return
	fi
	printf '%s\n' "$out" | parse_median 'ns/switch:' >>"$TMP/$w.switch"
	printf '%s\n' "$out" | parse_median 'ns/round-trip:' >>"$TMP/$w.rt"
}

section_workloads() {
	local present=() w r
	for w in "${WORKLOADS[@]}"; do
		if [ -x "$BUILD/workloads/$w" ]; then
			present+=("$w")
		else
			echo "bench: $BUILD/workloads/$w is missing; run make first" >&2
		fi
	done
	[ ${#present[@]} -gt 0 ] || die "no workload binaries under $BUILD/workloads; run make"

	echo "== Workloads: ns per switch, pinned to CPU $CPU, $RUNS interleaved rounds"
	for ((r = 0; r < RUNS; r++)); do
		for w in $(rotated "$r" "${present[@]}"); do
			run_workload "$w"
		done
	done

	printf '%-11s %9s %9s %9s %4s %12s  %s\n' workload median min max runs ns/roundtrip "one switch is"
	for w in "${present[@]}"; do
		read -r med min max n < <(cat "$TMP/$w.switch" 2>/dev/null | stats)
		local rt=-
		[ -s "$TMP/$w.rt" ] && read -r rt _ < <(stats <"$TMP/$w.rt")
		printf '%-11s %9s %9s %9s %4s %12s  %s\n' "$w" "$med" "$min" "$max" "$n" "$rt" "$(label_of "$w")"
	done

	local p y c prt
	p=$(median_of "$TMP/pthread.switch")
	y=$(median_of "$TMP/coro-yield.switch")
	prt=$(median_of "$TMP/pthread.rt")
	c=$(median_of "$TMP/coro-chan.rt")
	echo
	echo "pthread / coro-yield, per switch:           $(ratio "$p" "$y")   (seed article: ~28x)"
	echo "pthread round trip / coro-chan round trip:  $(ratio "$prt" "$c")   (seed article: ~13x)"
	echo "coro-yield per switch $y ns:        $(target "$y" 15)"
	echo "coro-chan per round trip $c ns:     $(target "$c" 60)"
	echo
}

# ---- section: our pthread vs the seed's pthread_switch.c ----------------------
SEED_ITERS=20000	# round trips per run: ~0.25 s here at ~6 us per switch

# Extracts pthread_switch.c from the article: from its #define after the
# "pthread_switch.c" heading to the closing brace of main().
extract_seed() {
	awk '/^pthread_switch\.c/ { found = 1; next }
	     found && !started && /^#define _GNU_SOURCE/ { started = 1 }
	     started { print }
	     started && /^int main/ { in_main = 1 }
	     in_main && /^}/ { exit }' "$SEED"
}

section_seed_pthread() {
	local src="$BUILD/bench/pthread_switch.c" bin="$BUILD/bench/pthread_switch" r
	echo "== pthread vs the seed's pthread_switch.c, taskset -c $CPU, $SEED_ITERS round trips, $((RUNS * 2)) back-to-back pairs"
	if [ ! -r "$SEED" ]; then
		echo "seed article not found at $SEED: section skipped (set SCHEDTRACE_SEED=path/to/article.txt)"
		return
	fi
	[ -x "$BUILD/workloads/pthread" ] || { echo "no $BUILD/workloads/pthread; run make"; return; }
	mkdir -p "$BUILD/bench"
	extract_seed >"$src"
	if ! grep -q 'int main' "$src" || ! ${CC:-cc} -O2 -o "$bin" "$src" -lpthread 2>"$TMP/seed.err"; then
		echo "could not extract and build pthread_switch.c from $SEED (see $src): $(head -n 1 "$TMP/seed.err")"
		return
	fi

	local pairs=$((RUNS * 2)) s_ns o_ns
	for ((r = 0; r < pairs; r++)); do
		local order=(seed ours) who
		[ $((r % 2)) -eq 1 ] && order=(ours seed)
		s_ns= o_ns=
		for who in "${order[@]}"; do
			if [ "$who" = seed ]; then
				s_ns=$(taskset -c "$CPU" "$bin" "$SEED_ITERS" |
					sed -n 's|^ns / switch: \([0-9.]*\)$|\1|p')
			else
				o_ns=$(taskset -c "$CPU" "$BUILD/workloads/pthread" -C "$CPU" \
					-n "$SEED_ITERS" -r 1 | parse_median 'ns/switch:')
			fi
		done
		[ -n "$s_ns" ] && echo "$s_ns" >>"$TMP/seed.ns"
		[ -n "$o_ns" ] && echo "$o_ns" >>"$TMP/ours.ns"
		# a pair ran back to back, so its ratio is what drift disturbs least
		[ -n "$s_ns" ] && [ -n "$o_ns" ] &&
			awk -v s="$s_ns" -v o="$o_ns" 'BEGIN { if (s > 0) print o / s }' >>"$TMP/pair.ratio"
	done
	local s o q qmin qmax qn
	read -r s smin smax sn < <(cat "$TMP/seed.ns" 2>/dev/null | stats)
	read -r o omin omax on < <(cat "$TMP/ours.ns" 2>/dev/null | stats)
	printf '%-30s %9s %9s %9s %4s\n' program "median" min max runs
	printf '%-30s %9s %9s %9s %4s\n' "seed pthread_switch.c" "$s" "$smin" "$smax" "$sn"
	printf '%-30s %9s %9s %9s %4s\n' "schedtrace pthread" "$o" "$omin" "$omax" "$on"
	read -r q qmin qmax qn < <(cat "$TMP/pair.ratio" 2>/dev/null |
		awk '{ printf "%.4f\n", $1 * 1000 }' | stats)
	awk -v q="$q" -v lo="$qmin" -v hi="$qmax" -v n="$qn" 'BEGIN {
		if (n + 0 == 0) { print "ours / seed: not measured (a program failed)"; exit }
		q /= 1000; lo /= 1000; hi /= 1000
		d = (q - 1) * 100
		printf "ours / seed, median of %d back-to-back pairs: %.2f (%+.0f%%, pairs %.2f-%.2f); " \
		       "target within 15%%: %s\n", n, q, d, lo, hi, (d <= 15 && d >= -15) ? "met" : "NOT met"
	}'
	echo "(the seed's time includes creating and joining its threads; ours is the loop only)"
	echo
}

# Other work on the machine inflates every number: say so up front.
section_host() {
	local load cpus
	read -r load _ </proc/loadavg
	cpus=$(nproc)
	echo "host: $(uname -r), $cpus CPUs, load average $load"
	awk -v l="$load" -v c="$cpus" 'BEGIN { if (l > c) print "warning: the host is busy (load above CPU count): expect inflated, noisy numbers" }'
	echo
}

# ---- section: the tracer's own cost (bench/overhead.c) --------------------------
section_overhead() {
	local bin="$BUILD/bench/overhead"
	if [ ! -x "$bin" ]; then
		echo "== Tracer overhead: $bin is missing; run make bench"
		return
	fi
	SCHEDTRACE_BUILD=$BUILD "$bin" -r "${BENCH_OVERHEAD_ROUNDS:-7}" -C "$CPU"
	echo
}

main() {
	section_host
	section_workloads
	section_seed_pthread
	section_overhead
	if [ "${BENCH_MEMORY:-0}" = 1 ]; then SCHEDTRACE_BUILD=$BUILD bench/memory.sh 60; fi
}

main "$@"
