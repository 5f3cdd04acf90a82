#!/bin/sh
# Runs every cmocka unit binary and ends with one summary line.
# cmocka prints its verdict on stderr and the rest on stdout, so both are
# merged (doc/sources.md, Architecture).  usage: run-unit.sh BUILD_DIR BIN...
b=$1; shift
pass=0; fail=0; bad=""
for t in "$@"; do
	out=$("$t" 2>&1); rc=$?
	p=$(echo "$out" | sed -n 's/.*\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
	f=$(echo "$out" | sed -n 's/.*\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
	p=${p:-0}; f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	pass=$((pass + p)); fail=$((fail + f))
	if [ "$f" -ne 0 ]; then
		echo "$out" | grep -vE '^\[ (RUN|       OK) ' | tail -n 40
		bad="$bad $(basename "$t")"
	fi
	echo "$(basename "$t"): $p passed, $f failed"
done
[ -n "$bad" ] && echo "failing:$bad"
echo "unit: $pass passed, $fail failed"
echo "$pass $fail" >> "$b/check-counts"
[ "$fail" -eq 0 ]
