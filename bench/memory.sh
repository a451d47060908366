#!/usr/bin/env bash
# bench/memory.sh — does the summary mode's cost grow with run length? One long
# pinned pthread run; the collector's VmRSS / VmHWM and the memlock of the BPF
# maps it holds (from the fdinfo of its map fds) at
# 1, 5, 10, 20, 30, 45 and 60 s. Both must stay flat: the kernel side
# aggregates into fixed-size per-CPU arrays and the collector reads them into
# fixed buffers.
#
#   bench/memory.sh [SECONDS]     (default 60; bench/run.sh runs it with BENCH_MEMORY=1)
#   SCHEDTRACE_BUILD=D            build directory (default build)
set -u
cd "$(dirname "$0")/.." || exit 1
BUILD=${SCHEDTRACE_BUILD:-build}
SECS=${1:-60}
case $SECS in '' | *[!0-9]* | 0) echo "memory.sh: SECONDS must be a whole number >= 1" >&2; exit 2;; esac

OUTF=$(mktemp) || exit 1
trap 'rm -f "$OUTF"; [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null' EXIT

# ~6-9 us per switch here, 2 switches per iteration: ask for more than SECS, stop it after
SCHEDTRACE_WORKLOADS=$BUILD/workloads "$BUILD/schedtrace" run pthread -C 0 -n $((SECS * 200000)) -r 1 \
	>"$OUTF" 2>&1 &
pid=$!
echo "== Memory over a ${SECS} s summary-mode run (pthread, pinned; collector pid $pid)"
printf '%6s %12s %12s %14s  %s\n' time "VmRSS kB" "VmHWM kB" "maps memlock" "per map: id:type=bytes"
start=$(date +%s%N)
for t in 1 5 10 20 30 45 60 90 120 180 300; do
	[ "$t" -le "$SECS" ] || break
	while [ $(( ($(date +%s%N) - start) / 1000000 )) -lt $((t * 1000)) ]; do sleep 0.1; done
	kill -0 "$pid" 2>/dev/null || { echo "the run ended before ${t} s"; break; }
	rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
	hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status")
	# the maps the collector holds: each map fd's fdinfo has its id and memlock
	maps=$(for f in /proc/"$pid"/fdinfo/*; do
		awk '/^map_type:/ { t = $2 } /^memlock:/ { m = $2 } /^map_id:/ { id = $2 }
		     END { if (id != "") print id ":" t "=" m }' "$f" 2>/dev/null
	done | awk -F= '{ tot += $2; det = det " " $0 } END { print tot + 0 det }')
	printf '%5ss %12s %12s %14s  %s\n' "$t" "$rss" "$hwm" "${maps%% *}" "${maps#* }"
done
kill -INT "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
pid=
echo
