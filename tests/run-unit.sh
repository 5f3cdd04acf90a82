#!/bin/sh
# Runs every cmocka unit binary and ends with one summary line.
# cmocka prints its verdict on stderr and the rest on stdout, so both are
# merged.  A test that calls cmocka's skip() (one that needs ../shared,
# say, when it is absent) is counted as skipped, never as passed: the
# counts go to BUILD_DIR/check-counts as "passed failed skipped" and each
# skipped test's name to BUILD_DIR/check-skips, which tests/summary.sh
# lists again at the end of `make check`.
# usage: run-unit.sh BUILD_DIR BIN...
b=$1; shift
pass=0; fail=0; skip=0; bad=""
for t in "$@"; do
	out=$("$t" 2>&1); rc=$?
	n=$(basename "$t")
	p=$(echo "$out" | sed -n 's/.*\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
	f=$(echo "$out" | sed -n 's/.*\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
	s=$(echo "$out" | sed -n 's/.*\[  SKIPPED \] \([0-9]*\) test(s).*/\1/p' | tail -n 1)
	p=${p:-0}; f=${f:-0}; s=${s:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
	if [ "$f" -ne 0 ]; then
		echo "$out" | grep -vE '^\[ (RUN|       OK) ' | tail -n 40
		bad="$bad $n"
	fi
	if [ "$s" -ne 0 ]; then
		# "[  SKIPPED ] name" once as it runs and once in the list at
		# the end; the count line "[  SKIPPED ] N test(s)" is not a name
		echo "$out" |
			sed -n 's/^\[  SKIPPED \] \([A-Za-z_][A-Za-z0-9_]*\)$/\1/p' |
			awk '!seen[$0]++' | while read -r name; do
				echo "unit/$n: $name (cmocka skip(): needs what is absent here)"
			done >> "$b/check-skips"
		echo "$n: $p passed, $f failed, $s skipped"
	else
		echo "$n: $p passed, $f failed"
	fi
done
[ -n "$bad" ] && echo "failing:$bad"
echo "unit: $pass passed, $fail failed, $skip skipped"
echo "$pass $fail $skip" >> "$b/check-counts"
[ "$fail" -eq 0 ]
