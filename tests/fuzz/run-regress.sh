#!/bin/sh
# Replays tests/fuzz/corpus/<target>/ through each regress_<target> binary.
# usage: run-regress.sh BUILD_DIR BIN...
b=$1; shift
pass=0; fail=0
for bin in "$@"; do
	name=$(basename "$bin"); name=${name#regress_}
	dir=tests/fuzz/corpus/$name
	if [ ! -d "$dir" ] || [ -z "$(ls -A "$dir" 2>/dev/null)" ]; then
		echo "FAIL fuzz/$name: no corpus in $dir"
		fail=$((fail + 1)); continue
	fi
	if out=$("$bin" "$dir" 2>&1); then
		echo "ok   fuzz/$name: $(echo "$out" | tail -n 1)"
		pass=$((pass + 1))
	else
		echo "$out" | tail -n 30
		echo "FAIL fuzz/$name"
		fail=$((fail + 1))
	fi
done
echo "fuzz-regress: $pass passed, $fail failed"
echo "$pass $fail" >> "$b/check-counts"
[ "$fail" -eq 0 ]
