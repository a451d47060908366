#!/usr/bin/env bash
# bench/soak.sh — `make soak`: schedtrace for a long time, memory flat, nothing lost.
# Three phases, each a single collector sampled from outside (VmRSS, and the
# memlock of the BPF maps it holds, from /proc/PID/fdinfo):
#   1. run pthread -r 64, sized to ~45% of the time: per-repeat drift of ns/switch
#   2. trace -- threads churn 10000 60: 10,000 threads created and joined a second
#   3. trace -d ... -- futex: the rest of the time, one long window
# Pass: in each phase, after 10 s of warm-up, RSS and map memory stay within 5%
# of their first sample, and every "lost" in the JSON is 0. Prints the figures,
# and the drift of ns/switch over the repeats (repeats 2..64: the first one
# carries the syscall hooks and is slower by design).
#
#   bench/soak.sh                  SOAK_MINUTES=30 by default; SCHEDTRACE_BUILD=D (build)
# Needs root; on a shared machine: flock /tmp/schedtrace-bpf.lock make soak
set -u
cd "$(dirname "$0")/.." || exit 1
BUILD=${SCHEDTRACE_BUILD:-build}
MIN=${SOAK_MINUTES:-30}
case $MIN in '' | *[!0-9]* | 0) echo "soak.sh: SOAK_MINUTES must be a whole number >= 1" >&2; exit 2;; esac
ST=$BUILD/schedtrace
HELPER=$BUILD/tests/helpers/threads
for f in "$ST" "$HELPER" "$BUILD/workloads/futex"; do
	[ -x "$f" ] || { echo "soak.sh: $f is missing; run make first" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "soak.sh: needs root (BPF)" >&2; exit 2; }
DIR=$(mktemp -d) || exit 1
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$DIR"' EXIT
FAIL=0
TOTAL=$((MIN * 60))
T_RUN=$((TOTAL * 45 / 100))
T_CHURN=60
[ "$TOTAL" -lt 300 ] && T_CHURN=$((TOTAL / 5))
T_TRACE=$((TOTAL - T_RUN - T_CHURN - 30))
[ "$T_TRACE" -lt 30 ] && T_TRACE=30
period() { local p=$(($1 / 60)); [ "$p" -lt 5 ] && p=5; echo "$p"; } # ~60 samples a phase, at most one each 5 s

map_memlock() { # total memlock of the BPF maps pid $1 holds
	for f in /proc/"$1"/fdinfo/*; do
		awk '/^map_type:/ { m = 1 } /^memlock:/ { v = $2 } END { if (m) print v }' "$f" 2>/dev/null
	done | awk '{ t += $1 } END { print t + 0 }'
}

WARM=10
# watch PID PERIOD NAME [STOP]: samples until PID exits (SIGINT to it after STOP s);
# then checks the 5% bound after WARM s
watch() {
	local p=$1 period=$2 name=$3 stop=${4:-0} t0 now rss mem
	t0=$(date +%s)
	: >"$DIR/$name.samples"
	while kill -0 "$p" 2>/dev/null; do
		sleep "$period"
		now=$(( $(date +%s) - t0 ))
		[ "$stop" -gt 0 ] && [ "$now" -ge "$stop" ] && kill -INT "$p" 2>/dev/null
		rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$p/status" 2>/dev/null) || break
		mem=$(map_memlock "$p")
		[ -n "$rss" ] && [ "$mem" -gt 0 ] && echo "$now $rss $mem" >>"$DIR/$name.samples"
	done
	# the last sample may catch the report being written after the programs are gone: drop it
	sed -i '$d' "$DIR/$name.samples"
	awk -v name="$name" -v warm="$WARM" '
		$1 >= warm { n++; if (n == 1) { r0 = $2; m0 = $3; rmin = rmax = $2; mmin = mmax = $3 }
			   if ($2 < rmin) rmin = $2; if ($2 > rmax) rmax = $2
			   if ($3 < mmin) mmin = $3; if ($3 > mmax) mmax = $3; last = $1 }
		END {
			if (n < 2) { printf "  %s: too few samples after %d s (%d)\n", name, warm, n; exit 1 }
			dr = (rmax - rmin) / r0 * 100; dm = (mmax - mmin) / m0 * 100
			printf "  %s: %d samples from %d s to %d s: VmRSS %d-%d kB (%.1f%% of the first), BPF maps %d-%d bytes (%.1f%%)\n",
				name, n, warm, last, rmin, rmax, dr, mmin, mmax, dm
			exit (dr > 5 || dm > 5) ? 1 : 0
		}' "$DIR/$name.samples" || { echo "  $name: FAIL: memory not flat within 5%"; FAIL=1; }
}

check_lost() { # every "lost" in a JSON report is 0
	local n
	n=$(grep -o '"lost": [0-9]*' "$1" | awk '{ s += $2; c++ } END { printf "%d %d", s, c }')
	echo "  lost: ${n%% *} over ${n##* } counts in $(basename "$1")"
	[ "${n%% *}" = 0 ] || { echo "  FAIL: events lost"; FAIL=1; }
}

echo "== soak: ${MIN} min (run ${T_RUN} s, churn ${T_CHURN} s, trace ${T_TRACE} s), $(uname -r), $(date -u +%FT%TZ)"

# ---- 1. run pthread, 64 repeats --------------------------------------------
# size -n from a short run (the fastest of 5 repeats: a busy host inflates the others):
# 64 repeats would take ~2 x T_RUN; the run gets SIGINT at T_RUN (its report and JSON are
# still written, marked incomplete), so the phase lasts T_RUN however the host drifts
"$ST" run pthread -C 0 -n 20000 -r 5 --json "$DIR/probe.json" >/dev/null 2>&1
NS=$(sed -n 's/.*{"switches": [0-9]*, .*"ns_per_switch": \([0-9.]*\)}.*/\1/p' "$DIR/probe.json" | sort -n | head -1)
[ -n "$NS" ] || NS=5000
N=$(awk -v t="$T_RUN" -v ns="$NS" 'BEGIN { n = 2 * t * 1e9 / 65 / 2 / ns; if (n < 1000) n = 1000; printf "%d", n }')
echo "-- run pthread -C 0 -n $N -r 64, stopped at $T_RUN s (probe: ${NS} ns/switch)"
"$ST" run pthread -C 0 -n "$N" -r 64 --json "$DIR/run.json" >"$DIR/run.txt" 2>&1 &
pid=$!
watch "$pid" "$(period "$T_RUN")" run "$T_RUN"
wait "$pid"
rc=$?
[ "$rc" = 0 ] || [ "$rc" = 130 ] || { echo "  FAIL: run exited $rc"; tail -3 "$DIR/run.txt"; FAIL=1; }
pid=
check_lost "$DIR/run.json"
# per-repeat drift: the workload's ns/switch of each repeat, in order
sed -n 's/.*{"switches": [0-9]*, .*"ns_per_switch": \([0-9.]*\)}.*/\1/p' "$DIR/run.json" | sed 1d | awk '
	function median(a, lo, hi,   k, i, j, t, v) { k = 0; for (i = lo; i <= hi; i++) v[++k] = a[i]
		for (i = 2; i <= k; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
		return k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2 }
	{ x[NR] = $1; s += $1 }
	END {
		n = NR; if (n < 2) { print "  drift: fewer than 2 repeats"; exit }
		for (i = 1; i <= n; i++) { mx += i; my += x[i] } mx /= n; my /= n
		for (i = 1; i <= n; i++) { sxy += (i - mx) * (x[i] - my); sxx += (i - mx) ^ 2 }
		slope = sxy / sxx; min = max = x[1]
		for (i = 1; i <= n; i++) { if (x[i] < min) min = x[i]; if (x[i] > max) max = x[i] }
		q = int(n / 4); if (q < 1) q = 1
		printf "  drift over repeats 2-%d: min %.1f, max %.1f ns/switch; median of the first quarter %.1f, of the last %.1f (%+.1f%%); least-squares trend %+.1f%% over the run\n",
			n + 1, min, max, median(x, 1, q), median(x, n - q + 1, n), (median(x, n - q + 1, n) / median(x, 1, q) - 1) * 100,
			slope * (n - 1) / my * 100
	}'
grep -m1 "Each pthread switch" "$DIR/run.txt" | sed 's/^/  /'

# ---- 2. trace a thread churn -------------------------------------------------
echo "-- trace -- threads churn 10000 $T_CHURN"
"$ST" trace --json "$DIR/churn.json" -- "$HELPER" churn 10000 "$T_CHURN" >"$DIR/churn.txt" 2>&1 &
pid=$!
watch "$pid" "$(period "$T_CHURN")" churn
wait "$pid" || { echo "  FAIL: trace exited $?"; tail -3 "$DIR/churn.txt"; FAIL=1; }
pid=
check_lost "$DIR/churn.json"
sed -n 's/^created=/  threads created and joined: /p; s/^rate=/  per second: /p' "$DIR/churn.txt"

# ---- 3. trace one long window ------------------------------------------------
echo "-- trace -d $T_TRACE -- futex"
"$ST" trace -d "$T_TRACE" --json "$DIR/trace.json" -- "$BUILD/workloads/futex" -n 1000000000 -w 0 -r 1 \
	>"$DIR/trace.txt" 2>&1 &
pid=$!
watch "$pid" "$(period "$T_TRACE")" trace
wait "$pid" || { echo "  FAIL: trace exited $?"; tail -3 "$DIR/trace.txt"; FAIL=1; }
pid=
check_lost "$DIR/trace.json"
grep -m1 "switched out" "$DIR/trace.txt" | sed 's/^/  /'

if [ "$FAIL" = 0 ]; then echo "soak: PASS"; else echo "soak: FAIL"; fi
exit "$FAIL"
