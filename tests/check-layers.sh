#!/usr/bin/env bash
# check-layers.sh — the floors of the code, drawn from its #include lines and
# checked: cli -> report, collect -> core, and nothing back up.
#   user/core      pure C: its own headers, the plain headers shared with the
#                  BPF side (bpf/schedtrace.h, timeline.h, hist.h) and libc;
#                  no libbpf, no tracer
#   report/        renders core's model: core and its own headers, no libbpf
#   user/collect   libbpf, processes, clocks: core, its own, the workloads'
#                  shared headers; never report or cli
#   user/cli       anything
# Prints the folder-level graph (edges with how many includes make them) and
# exits 1 on an include that runs against the floors, naming it.
set -u
cd "$(dirname "$0")/.."
shopt -s nullglob

# the layer a header lives in (by its file name), "" for one outside the tree
layer_of() {
	local h=$1 d
	for d in user/core user/collect user/cli report bpf workloads/common workloads/coro; do
		[ -e "$d/$h" ] && { echo "$d"; return; }
	done
	case $h in
	*.skel.h) echo "bpf-skeleton" ;;
	syscall_names.h) echo "generated" ;;
	*) echo "" ;;
	esac
}

allowed() { # from to
	case "$1:$2" in
	user/core:user/core | user/core:bpf | user/core:generated) return 0 ;;
	report:report | report:user/core | report:bpf) return 0 ;;
	user/collect:user/collect | user/collect:user/core | user/collect:bpf | user/collect:bpf-skeleton | \
		user/collect:workloads/common | user/collect:workloads/coro) return 0 ;;
	user/cli:*) return 0 ;;
	esac
	return 1
}

bad=0
declare -A edges
for from in user/core report user/collect user/cli; do
	for f in "$from"/*.c "$from"/*.h; do
		while IFS= read -r line; do
			case $line in
			'#include <bpf/'*)
				if [ "$from" = user/core ] || [ "$from" = report ]; then
					echo "check-layers: $f includes ${line#\#include } (libbpf): $from must not" >&2
					bad=1
				fi
				;;
			'#include "'*)
				h=${line#\#include \"}
				h=${h%%\"*}
				to=$(layer_of "$h")
				[ -z "$to" ] && continue
				if ! allowed "$from" "$to"; then
					echo "check-layers: $f includes $h ($to): $from may not reach $to" >&2
					bad=1
				fi
				[ "$from" != "$to" ] && edges["$from -> $to"]=$((${edges["$from -> $to"]:-0} + 1))
				;;
			esac
		done < <(grep -E '^#include [<"]' "$f")
	done
done
for e in "${!edges[@]}"; do
	echo "  $e (${edges[$e]})"
done | sort
exit $bad
