#!/bin/sh
# check-fn-length.sh — no function of the code is longer than 80 lines, so
# each reads in one screen; a long one splits into named phases (in BPF,
# static __always_inline helpers: the verifier sees the same code).
#   the code     every *.c in bpf/, user/, report/, workloads/, bench/
#                (tests/ is not held to it)
#   a function   kernel style: its head on a line at column 0 with a '(',
#                its body from a '{' alone at column 0 to the '}' at
#                column 0; its length is the lines between the two. A table
#                (`... = {` ... `};`) never opens at column 0, so it is not
#                counted.
# Prints one line per function over the limit (file, function, length) and
# exits 1 when there is one.
set -u
cd "$(dirname "$0")/.." || exit 1

MAX=80

files=$(find bpf user report workloads bench -name '*.c' | sort)
[ -n "$files" ] || { echo "check-fn-length: no .c files found" >&2; exit 1; }

# shellcheck disable=SC2086 # the file names have no spaces
awk -v max="$MAX" '
	FNR == 1 { head = ""; start = 0 }
	/^[a-z].*\(/ { head = $0 }
	/^\{/ { start = FNR }
	/^\}/ && start {
		n = FNR - start - 1
		if (n > max) {
			# the word before the first "(" of the head; of BPF_PROG(name, ...), the name
			name = head
			sub(/\(.*/, "", name)
			sub(/.*[^A-Za-z0-9_]/, "", name)
			if (name ~ /^BPF_/) {
				name = head
				sub(/^[^(]*\(/, "", name)
				sub(/[^A-Za-z0-9_].*/, "", name)
			}
			printf "check-fn-length: %s: %s() is %d lines, over %d\n", FILENAME, name, n, max
			bad = 1
		}
		start = 0
	}
	END { exit bad }
' $files >&2
