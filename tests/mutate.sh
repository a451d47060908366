#!/usr/bin/env bash
# tests/mutate.sh — would the tests fail if the code were wrong? (make mutate)
#
# Applies each mutation of tests/mutations.txt (its header gives the format) to
# a copy of the tree in a scratch directory, one at a time, builds the copy and
# runs the tests on it; the working tree is never touched. Per mutation:
#   caught       a unit test (or the integration subset) failed, crashed or timed
#                out, twice in a row (a flaky test does not catch anything)
#   survived     every test passed on the wrong code
#   not-applied  its match is not on exactly one line (the code moved), or the
#                mutant does not build; left out of the score
# and a score at the end. Not part of make check.
#
# The unit tests run are those whose binary the mutation changed (a test built
# byte for byte as before passes as before), plus those that run the built
# binaries when one of them changed. The integration subset ($MUTATE_INT_TESTS)
# runs only for a mutant no unit test caught, when it changed the schedtrace
# binary or the test itself, and only as root with BPF; each run holds
# /tmp/schedtrace-bpf.lock (the CPUs are shared with timing measurements).
#
#   tests/mutate.sh [-k] [-l] [NAME...]    NAME: only these mutations
#     -k   keep the scratch directory (its path is printed)
#     -l   list the mutations and exit
#   MUTATE_INT_TESTS="test_int_outputs test_int_metrics test_int_run"   the integration subset ("" for none)
#   MUTATE_TIMEOUT=300                     seconds per test binary
#
# Exit 0 when every mutation was caught or is marked "survives:" in the list,
# 1 otherwise, 2 when the unmutated copy does not build or passes no test.
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
LIST=tests/mutations.txt
LOCK=/tmp/schedtrace-bpf.lock
INT_TESTS=${MUTATE_INT_TESTS-test_int_outputs test_int_metrics test_int_run}
TIMEOUT=${MUTATE_TIMEOUT:-300}
keep=0 list=0
while getopts "kl" o; do
	case $o in
	k) keep=1 ;;
	l) list=1 ;;
	*) echo "usage: tests/mutate.sh [-k] [-l] [NAME...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))

# ---- the list -------------------------------------------------------------------
# Parsed into parallel arrays; edits[i] holds "match<US>replace<RS>..." pairs.
US=$'\x1f' RS=$'\x1e'
names=() files=() whys=() edits=() expect=()
flush() {
	if [ -n "$cur_name" ]; then
		names+=("$cur_name"); files+=("$cur_file"); whys+=("$cur_why")
		edits+=("$cur_edits"); expect+=("$cur_expect")
	fi
	cur_name="" cur_file="" cur_why="" cur_edits="" cur_expect="" pending=""
}
value() { # "key: value" -> value; "key:" -> ""
	local v=${1#*:}
	printf '%s' "${v# }"
}
cur_name="" ; flush
lineno=0
while IFS= read -r line || [ -n "$line" ]; do
	lineno=$((lineno + 1))
	case $line in
	'#'*) continue ;;
	'') flush ;;
	name:*) cur_name=$(value "$line") ;;
	file:*) cur_file=$(value "$line") ;;
	why:*) cur_why=$(value "$line") ;;
	survives:*) cur_expect=$(value "$line") ;;
	match:*) pending=$(value "$line")
		 [ -n "$pending" ] || { echo "$LIST:$lineno: empty match" >&2; exit 2; } ;;
	replace:*) cur_edits+="$pending$US$(value "$line")$RS"; pending="" ;;
	*) echo "$LIST:$lineno: not a key: $line" >&2; exit 2 ;;
	esac
done < "$LIST"
flush

if [ "$list" = 1 ]; then
	for i in "${!names[@]}"; do printf '%-36s %-24s %s\n' "${names[$i]}" "${files[$i]}" "${whys[$i]}"; done
	exit 0
fi
selected=()
for i in "${!names[@]}"; do
	if [ $# -eq 0 ]; then
		selected+=("$i")
	else
		for want in "$@"; do [ "${names[$i]}" = "$want" ] && selected+=("$i"); done
	fi
done
[ ${#selected[@]} -gt 0 ] || { echo "no mutation named: $*" >&2; exit 2; }

# ---- scratch copies --------------------------------------------------------------
SCRATCH=$(mktemp -d /tmp/schedtrace-mutate.XXXXXX)
if [ "$keep" = 1 ]; then
	echo "scratch: $SCRATCH"
else
	trap 'rm -rf "$SCRATCH"' EXIT
fi
BASE=$SCRATCH/base MUT=$SCRATCH/mutant
mkdir -p "$BASE"
# the tree as it is now (committed or not), without build products
git ls-files -z -co --exclude-standard | tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C "$BASE"

unit_tests=() int_tests=()
for src in tests/test_*.c; do
	t=$(basename "$src" .c)
	case $t in
	test_int_*) ;;
	*) unit_tests+=("$t") ;;
	esac
done
for t in $INT_TESTS; do int_tests+=("$t"); done
targets="all"
for t in "${unit_tests[@]}" "${int_tests[@]}"; do targets+=" build/tests/$t"; done

build() { # dir log
	(cd "$1" && nice -n 19 make -j2 $targets) > "$2" 2>&1
}
# Runs test binary $2 in tree $1; prints the names of its failed tests; returns its status.
run_test() {
	local out rc
	out=$(cd "$1" && timeout "$TIMEOUT" nice -n 19 "build/tests/$2" 2>&1)
	rc=$?
	[ $rc -eq 124 ] && echo "timeout"
	printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([a-z_0-9]*\)$/\1/p' | sort -u
	return $rc
}
# Same for an integration test: BPF required, under the lock.
run_int() {
	local out rc
	out=$(cd "$1" && SCHEDTRACE_REQUIRE_BPF=1 flock "$LOCK" timeout "$TIMEOUT" "build/tests/$2" 2>&1)
	rc=$?
	[ $rc -eq 124 ] && echo "timeout"
	printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([a-z_0-9]*\)$/\1/p' | sort -u
	return $rc
}
# Tests that run the built binaries see a change there: those that run
# schedtrace, and those that run any other (the workloads).
uses_schedtrace() { grep -q 'testutil_bin("schedtrace")' "tests/$1.c"; }
uses_workloads() { grep 'testutil_bin(' "tests/$1.c" | grep -vq 'testutil_bin("schedtrace")'; }
schedtrace_changed() { ! cmp -s "$BASE/build/schedtrace" "$1/build/schedtrace"; }
workloads_changed() {
	for w in "$BASE"/build/workloads/*; do
		cmp -s "$w" "$1/build/workloads/${w##*/}" || return 0
	done
	return 1
}
# Does test $2 need to run on mutant $1? (a test that is the same binary running
# the same binaries passes as it did unmutated)
affected() {
	! cmp -s "$BASE/build/tests/$2" "$1/build/tests/$2" ||
		{ [ "$st_changed" = 1 ] && uses_schedtrace "$2"; } ||
		{ [ "$wl_changed" = 1 ] && uses_workloads "$2"; }
}

echo "mutate: building the unmutated copy in $SCRATCH"
if ! build "$BASE" "$SCRATCH/base.log"; then
	tail -20 "$SCRATCH/base.log"
	echo "mutate: the unmutated tree does not build" >&2
	exit 2
fi
# A test that fails unmutated cannot judge a mutant: one that fails twice in a
# row is left out (and said so); one that failed once is flaky, which is why
# every failure on a mutant is confirmed by a second run.
judges=()
flaky=()
for t in "${unit_tests[@]}"; do
	if ! failed=$(run_test "$BASE" "$t") && ! failed=$(run_test "$BASE" "$t"); then
		echo "mutate: $t fails without any mutation (${failed//$'\n'/ }): left out" >&2
		flaky+=("$t")
		continue
	fi
	judges+=("$t")
done
[ ${#judges[@]} -gt 0 ] || { echo "mutate: no unit test passes unmutated" >&2; exit 2; }

int_ok=""  # why the integration subset cannot judge, or "yes" once the base passed it
if [ ${#int_tests[@]} -eq 0 ]; then
	int_ok="no integration subset"
elif [ "$(id -u)" != 0 ]; then
	int_ok="not root"
elif [ ! -r /sys/kernel/btf/vmlinux ]; then
	int_ok="no kernel BTF"
fi

# ---- one mutant at a time -----------------------------------------------------------
# applies the edits of entry $1 to $MUT/${files[$1]}; prints why not on failure
apply() {
	local i=$1 f="$MUT/${files[$1]}" rest pair m r n
	[ -f "$f" ] || { echo "no file ${files[$i]}"; return 1; }
	rest=${edits[$i]}
	[ -n "$rest" ] || { echo "no match/replace pair"; return 1; }
	while [ -n "$rest" ]; do
		pair=${rest%%"$RS"*}
		rest=${rest#*"$RS"}
		m=${pair%%"$US"*} r=${pair#*"$US"}
		n=$(M="$m" awk 'index($0, ENVIRON["M"]) { n++ } END { print n + 0 }' "$f")
		if [ "$n" != 1 ]; then
			echo "\"$m\" is on $n lines of ${files[$i]}"
			return 1
		fi
		M="$m" R="$r" awk '{
			k = index($0, ENVIRON["M"])
			if (k) $0 = substr($0, 1, k - 1) ENVIRON["R"] substr($0, k + length(ENVIRON["M"]))
			print
		}' "$f" > "$f.mut" && cat "$f.mut" > "$f" && rm -f "$f.mut"
	done
	touch "$f"
}

caught=0 survived=0 skipped=0 unexpected=0
survivors=() not_applied=()
for i in "${selected[@]}"; do
	name=${names[$i]}
	rm -rf "$MUT"
	cp -a "$BASE" "$MUT"
	if ! why=$(apply "$i"); then
		printf '%-12s %-36s %s\n' "not-applied" "$name" "$why"
		not_applied+=("$name: $why"); skipped=$((skipped + 1))
		continue
	fi
	if ! build "$MUT" "$SCRATCH/mutant.log"; then
		why=$(grep -m1 'error' "$SCRATCH/mutant.log")
		printf '%-12s %-36s does not build: %s\n' "not-applied" "$name" "$why"
		not_applied+=("$name: does not build"); skipped=$((skipped + 1))
		continue
	fi
	by=""
	st_changed=0 wl_changed=0
	schedtrace_changed "$MUT" && st_changed=1
	workloads_changed "$MUT" && wl_changed=1
	for t in "${judges[@]}"; do
		affected "$MUT" "$t" || continue
		if ! failed=$(run_test "$MUT" "$t") && ! run_test "$MUT" "$t" > /dev/null; then
			by+=" $t(${failed//$'\n'/,})"
		fi
	done
	if [ -z "$by" ] && [ ${#int_tests[@]} -gt 0 ]; then
		changed=0
		for t in "${int_tests[@]}"; do
			affected "$MUT" "$t" && changed=1
		done
		if [ $changed = 1 ] && [ -z "$int_ok" ]; then
			# the subset must pass unmutated before its failures mean anything
			for t in "${int_tests[@]}"; do
				if ! failed=$(run_int "$BASE" "$t"); then
					int_ok="$t fails without any mutation (${failed//$'\n'/ })"
					echo "mutate: $int_ok: the integration subset is not used" >&2
				fi
			done
			[ -n "$int_ok" ] || int_ok=yes
		fi
		if [ $changed = 1 ] && [ "$int_ok" = yes ]; then
			for t in "${int_tests[@]}"; do
				affected "$MUT" "$t" || continue
				if ! failed=$(run_int "$MUT" "$t") && ! run_int "$MUT" "$t" > /dev/null; then
					by+=" $t(${failed//$'\n'/,})"
				fi
			done
		fi
	fi
	if [ -n "$by" ]; then
		printf '%-12s %-36s by%s\n' "caught" "$name" "$by"
		caught=$((caught + 1))
	else
		note=""
		[ -n "${expect[$i]}" ] && note=" (expected: ${expect[$i]})"
		[ -z "${expect[$i]}" ] && unexpected=$((unexpected + 1))
		[ -n "$int_ok" ] && [ "$int_ok" != yes ] && note+=" [integration subset not run: $int_ok]"
		printf '%-12s %-36s %s\n' "survived" "$name" "${whys[$i]}$note"
		survivors+=("$name: ${whys[$i]}$note"); survived=$((survived + 1))
	fi
done

total=$((caught + survived))
echo
if [ $total -gt 0 ]; then
	pct=$(awk -v c=$caught -v t=$total 'BEGIN { printf "%.1f", 100 * c / t }')
else
	pct="n/a"
fi
echo "mutation score: $caught of $total caught ($pct%); $survived survived, $skipped not applied"
for s in "${survivors[@]}"; do echo "  survived: $s"; done
for s in "${not_applied[@]}"; do echo "  not applied: $s"; done
for t in "${flaky[@]}"; do echo "  left out: $t failed twice unmutated"; done
[ $unexpected -eq 0 ]
