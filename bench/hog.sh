#!/usr/bin/env bash
# bench/hog.sh — the targets of issue 14, measured: the M:N scheduler's hand-off kinds beside
# coro-chan and futex, the CPU-hog experiment per model (probe lateness, hog throughput), what one
# coroutine preemption costs, and Go's and Node's switches beside coro-yield and coro-chan.
#
#   bench/hog.sh [SECTION...]    sections: mn hog preempt langs (default: all, in that order)
#
# Like bench/run.sh, every section interleaves what it compares, round after round in a rotated
# order, and reports the median over rounds of each run's own median; the host drifts by tens of
# percent over tens of seconds. On a shared machine run it under the benchmark lock:
#     flock /tmp/schedtrace-bpf.lock bench/hog.sh
#
#   BENCH_RUNS=N         rounds (default 3)
#   BENCH_CPU=C          CPU everything is pinned to (default 0)
#   BENCH_CPU2=D         second CPU, for the cross-worker hand-offs (default 1)
#   BENCH_HOG_MS=H       the hog's chunk (default 200)
#   SCHEDTRACE_BUILD=D   build directory (default build)
# Workloads that are not built (go-*, node-*: their toolchain is not on PATH) are reported as
# "needs go" / "needs node" and left out.
set -u
cd "$(dirname "$0")/.." || exit 1

BUILD=${SCHEDTRACE_BUILD:-build}
RUNS=${BENCH_RUNS:-3}
CPU=${BENCH_CPU:-0}
CPU2=${BENCH_CPU2:-1}
HOG=${BENCH_HOG_MS:-200}

TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT

die() { echo "bench/hog.sh: $*" >&2; exit 1; }
case $RUNS in '' | *[!0-9]* | 0) die "BENCH_RUNS must be a whole number >= 1, got '$RUNS'";; esac
case $CPU in '' | *[!0-9]*) die "BENCH_CPU must be a CPU number, got '$CPU'";; esac
case $CPU2 in '' | *[!0-9]*) die "BENCH_CPU2 must be a CPU number, got '$CPU2'";; esac
case $HOG in '' | *[!0-9]* | 0) die "BENCH_HOG_MS must be a whole number >= 1, got '$HOG'";; esac

. bench/lib.sh
# The last value of key in a result-fd file.
key() { sed -n "s|^$2=||p" "$1" | tail -n 1; }
# Sum of key over every repeat in a result-fd file.
key_sum() { sed -n "s|^$2=||p" "$1" | awk '{ s += $1 } END { print s + 0 }'; }
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "-" }'
}
# "met"/"NOT met" for value <= limit.
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { if (v == "-" || v + 0 <= 0) print "not measured"; else print (v <= t ? "met" : "NOT met") }'; }

# Cases are "label|workload|args"; missing binaries say why once.
declare -A NEEDS=([go-yield]=go [go-chan]=go [node-await]=node [node-hog]=node)
present() {
	local w=$1
	[ -x "$BUILD/workloads/$w" ] && return 0
	if [ -n "${NEEDS[$w]:-}" ] && ! command -v "${NEEDS[$w]}" >/dev/null 2>&1; then
		echo "$w: needs ${NEEDS[$w]} (not on PATH): left out"
	else
		echo "$w: $BUILD/workloads/$w is missing; run make"
	fi >>"$TMP/missing"
	return 1
}

# Runs case i of the CASES array once; appends its medians; keeps its result-fd file.
run_case() {
	local i=$1 label w args out
	IFS='|' read -r label w args <<<"${CASES[$i]}"
	# shellcheck disable=SC2086
	if ! out=$(SCHEDTRACE_RESULT_FD=3 "$BUILD/workloads/$w" $args 3>"$TMP/$i.kv.new" 2>"$TMP/$i.err"); then
		echo "bench/hog.sh: $label failed: $(head -n 1 "$TMP/$i.err")" >&2
		return
	fi
	mv "$TMP/$i.kv.new" "$TMP/$i.kv"
	cat "$TMP/$i.kv" >>"$TMP/$i.kvall"
	printf '%s\n' "$out" | parse_median 'ns/switch:' >>"$TMP/$i.switch"
	printf '%s\n' "$out" | parse_median 'ns/round-trip:' >>"$TMP/$i.rt"
	local k
	for k in lateness_all_p50_ns lateness_all_p99_ns lateness_all_max_ns median_hog_units_per_ms \
		 preempt_cost_all_p50_ns preempt_cost_all_p99_ns; do
		local v
		v=$(key "$TMP/$i.kv" "$k")
		[ -n "$v" ] && echo "$v" >>"$TMP/$i.$k"
	done
}

# Runs the cases whose binaries exist, RUNS rounds, rotated.
run_cases() {
	local idx=() i r
	for i in "${!CASES[@]}"; do
		local w
		w=$(cut -d'|' -f2 <<<"${CASES[$i]}")
		present "$w" && idx+=("$i")
	done
	for ((r = 0; r < RUNS; r++)); do
		for i in $(rotated "$r" "${idx[@]}"); do
			run_case "$i"
		done
	done
}

flush_missing() { [ -s "$TMP/missing" ] && sort -u "$TMP/missing"; rm -f "$TMP/missing"; }

# ---- section: the M:N scheduler's hand-offs ---------------------------------------
section_mn() {
	CASES=(
		"coro-chan|coro-chan|-C $CPU -r 3"
		"mn same worker|mn|-C $CPU -r 3"
		"mn cross, running|mn|-C $CPU,$CPU2 --handoff running -n 20000 -r 3"
		"mn cross, parked, 2 CPUs|mn|-C $CPU,$CPU2 --handoff parked -n 2000 -w 200 -r 3"
		"futex, 2 CPUs|futex|-C $CPU,$CPU2 -n 2000 -w 200 -r 3"
		"mn cross, parked, 1 CPU|mn|-C $CPU,$CPU --handoff parked -n 10000 -r 3"
		"futex, 1 CPU|futex|-C $CPU -n 10000 -r 3"
		"mn --blocking, 1 CPU|mn|-C $CPU --blocking -n 10000 -r 3"
	)
	echo "== M:N hand-offs: ns per switch (one hand-off), $RUNS interleaved rounds"
	run_cases
	printf '%-26s %10s %10s %10s  %s\n' case median min max "hand-offs per switch: same / cross running / cross parked"
	local i
	for i in "${!CASES[@]}"; do
		local label med min max n kinds=""
		label=$(cut -d'|' -f1 <<<"${CASES[$i]}")
		read -r med min max n < <(stats 2>/dev/null <"$TMP/$i.switch" || echo "- - - 0")
		if [ -s "$TMP/$i.kvall" ] && grep -q '^handoffs_same_worker=' "$TMP/$i.kvall"; then
			local sw s c p b
			sw=$(key_sum "$TMP/$i.kvall" switches)
			s=$(key_sum "$TMP/$i.kvall" handoffs_same_worker)
			c=$(key_sum "$TMP/$i.kvall" handoffs_cross_running)
			p=$(key_sum "$TMP/$i.kvall" handoffs_cross_parked)
			b=$(key_sum "$TMP/$i.kvall" worker_handoffs)
			kinds=$(awk -v sw="$sw" -v s="$s" -v c="$c" -v p="$p" -v b="$b" 'BEGIN {
				printf "%.2f / %.2f / %.2f", s / sw, c / sw, p / sw
				if (b > 0) printf "; worker handed over %.2f", b / sw }')
		fi
		printf '%-26s %10s %10s %10s  %s\n' "$label" "$med" "$min" "$max" "$kinds"
	done
	flush_missing
	local chan same
	chan=$(median_of "$TMP/0.switch"); same=$(median_of "$TMP/1.switch")
	echo
	echo "mn same worker / coro-chan, per switch: $(ratio "$same" "$chan")x   (target <= 2x: $(verdict "$(ratio "$same" "$chan")" 2))"
	echo "mn cross parked / futex, 2 CPUs:       $(ratio "$(median_of "$TMP/3.switch")" "$(median_of "$TMP/4.switch")")x"
	echo "mn cross parked / futex, 1 CPU:        $(ratio "$(median_of "$TMP/5.switch")" "$(median_of "$TMP/6.switch")")x"
	echo "mn --blocking / futex, 1 CPU:          $(ratio "$(median_of "$TMP/7.switch")" "$(median_of "$TMP/6.switch")")x"
	echo
	rm -f "$TMP"/[0-9]*.*
}

# ---- section: the CPU hog, per model --------------------------------------------------
section_hog() {
	CASES=(
		"event loop (hog-loop)|hog-loop|-C $CPU --hog $HOG -n 5 -w 1 -r 1"
		"coroutines, cooperative|hog-coro|-C $CPU --hog $HOG -n 5 -w 1 -r 1"
		"coroutines, --preempt 10|hog-coro|-C $CPU --hog $HOG -n 5 -w 1 -r 1 --preempt 10"
		"kernel threads|hog-threads|-C $CPU --hog $HOG -n 5 -w 1 -r 1"
		"Node (node-hog)|node-hog|-C $CPU --hog $HOG -n 5 -w 1 -r 1"
	)
	echo "== CPU hog of $HOG ms, a probe due every 1 ms, CPU $CPU, $RUNS interleaved rounds (medians over rounds)"
	run_cases
	printf '%-28s %12s %12s %12s %14s  %s\n' model "p50 ms" "p99 ms" "max ms" "hog units/ms" target
	local i
	for i in "${!CASES[@]}"; do
		local label p50 p99 max u t=""
		label=$(cut -d'|' -f1 <<<"${CASES[$i]}")
		[ -s "$TMP/$i.lateness_all_p50_ns" ] || { [ -s "$TMP/$i.err" ] || continue; }
		p50=$(median_of "$TMP/$i.lateness_all_p50_ns"); p99=$(median_of "$TMP/$i.lateness_all_p99_ns")
		max=$(median_of "$TMP/$i.lateness_all_max_ns"); u=$(median_of "$TMP/$i.median_hog_units_per_ms")
		case $i in
		0 | 1 | 4) t="p99 ~ hog: $(ratio "$p99" "$((HOG * 1000000))")x the hog";;
		2) t="p99 <= 2 x 10 ms: $(verdict "$p99" 20000000)";;
		3) t="(the kernel's scheduler preempts: reported)";;
		esac
		printf '%-28s %12s %12s %12s %14s  %s\n' "$label" \
			"$(awk -v v="$p50" 'BEGIN { printf (v == "-" ? "-" : "%.3f"), v / 1e6 }')" \
			"$(awk -v v="$p99" 'BEGIN { printf (v == "-" ? "-" : "%.3f"), v / 1e6 }')" \
			"$(awk -v v="$max" 'BEGIN { printf (v == "-" ? "-" : "%.3f"), v / 1e6 }')" "$u" "$t"
	done
	flush_missing
	echo "(units are not comparable between C and JavaScript; compare the models of one language)"
	echo
	rm -f "$TMP"/[0-9]*.*
}

# ---- section: one coroutine preemption ---------------------------------------------
section_preempt() {
	CASES=(
		"hog-coro --preempt 1|hog-coro|-C $CPU --hog $HOG -n 2 -w 0 -r 1 --preempt 1"
		"hog-coro --preempt 10|hog-coro|-C $CPU --hog $HOG -n 2 -w 0 -r 1 --preempt 10"
	)
	echo "== One coroutine preemption, end to end (timer interrupt, signal, handler, switch out and back, sigreturn), $RUNS rounds"
	run_cases
	printf '%-24s %10s %10s %8s\n' run "p50 ns" "p99 ns" samples
	local i
	for i in "${!CASES[@]}"; do
		local label n
		label=$(cut -d'|' -f1 <<<"${CASES[$i]}")
		n=$(key_sum "$TMP/$i.kvall" preempt_cost_samples)
		printf '%-24s %10s %10s %8s\n' "$label" "$(median_of "$TMP/$i.preempt_cost_all_p50_ns")" \
			"$(median_of "$TMP/$i.preempt_cost_all_p99_ns")" "$n"
	done
	echo "(a coroutine switch is ~8 ns here; the rest is the kernel's timer interrupt and signal path)"
	echo
	rm -f "$TMP"/[0-9]*.*
}

# ---- section: Go and Node beside our coroutines ---------------------------------------
section_langs() {
	CASES=(
		"coro-yield|coro-yield|-C $CPU -r 3"
		"go-yield (Gosched)|go-yield|-C $CPU -r 3"
		"coro-chan|coro-chan|-C $CPU -r 3"
		"go-chan|go-chan|-C $CPU -r 3"
		"node-await|node-await|-C $CPU -n 300000 -w 30000 -r 3"
	)
	echo "== Go and Node beside our coroutines, CPU $CPU, $RUNS interleaved rounds"
	run_cases
	printf '%-22s %12s %14s\n' workload ns/switch ns/round-trip
	local i
	for i in "${!CASES[@]}"; do
		local label
		label=$(cut -d'|' -f1 <<<"${CASES[$i]}")
		printf '%-22s %12s %14s\n' "$label" "$(median_of "$TMP/$i.switch")" "$(median_of "$TMP/$i.rt")"
	done
	flush_missing
	local y gy c gc
	y=$(median_of "$TMP/0.switch"); gy=$(median_of "$TMP/1.switch")
	c=$(median_of "$TMP/2.rt"); gc=$(median_of "$TMP/3.rt")
	echo
	echo "coro-yield / go-yield, per switch:       $(ratio "$y" "$gy")   (target <= 0.25: $(verdict "$(ratio "$y" "$gy")" 0.25))"
	echo "coro-chan / go-chan, per round trip:     $(ratio "$c" "$gc")   (target <= 0.25: $(verdict "$(ratio "$c" "$gc")" 0.25))"
	echo "node-await / coro-chan, per round trip:  $(ratio "$(median_of "$TMP/4.rt")" "$c")"
	echo
	rm -f "$TMP"/[0-9]*.*
}

main() {
	local s load
	read -r load _ </proc/loadavg
	echo "host: $(uname -r), $(nproc) CPUs, load average $load; go: $(command -v go >/dev/null && go version | cut -d' ' -f3 || echo none); node: $(command -v node >/dev/null && node --version || echo none)"
	echo
	[ $# -gt 0 ] || set -- mn hog preempt langs
	for s in "$@"; do
		case $s in
		mn | hog | preempt | langs) "section_$s" ;;
		*) die "unknown section '$s'; choose from mn hog preempt langs" ;;
		esac
	done
}

main "$@"
