# bench/lib.sh — what bench/run.sh and bench/hog.sh share (sourced, bash).

# "median min max n" of the numbers on stdin, one per line.
stats() {
	sort -g | awk '{ v[NR] = $1 }
		END {
			if (NR == 0) { print "- - - 0"; exit }
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%.1f %.1f %.1f %d\n", m, v[1], v[NR], NR
		}'
}

# The median of a file of numbers, or "-" when there is none.
median_of() { if [ -s "$1" ]; then stats <"$1" | cut -d' ' -f1; else echo -; fi; }

# The median of a "ns/switch:" or "ns/round-trip:" line in a workload's output.
parse_median() { sed -n "s|^$1 median \([0-9.]*\) .*|\1|p" | head -n 1; }

# Round r runs the list starting at index r: everyone takes every position.
rotated() {
	local r=$1; shift
	local items=("$@") n=$# i
	for ((i = 0; i < n; i++)); do echo "${items[(i + r) % n]}"; done
}
