#!/usr/bin/env bash
# Runs each test binary given, shows its output, and closes with one line:
# "N passed, N failed, N skipped" counted over the cmocka tests of all binaries.
# Exit 1 if any test failed or any binary crashed.
set -u
pass=0 fail=0 skip=0 broken=0
for t in "$@"; do
	echo "== $t"
	out=$("$t" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
	s=$(printf '%s\n' "$out" | sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "!! $t exited $rc without a failed test (crash?)"
		broken=$((broken + 1))
	fi
done
fail=$((fail + broken))
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
