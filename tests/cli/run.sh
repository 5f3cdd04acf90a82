#!/bin/sh
# CLI tests (zstd cli-tests style).  Each case is tests/cli/<group>/<name>.sh,
# run with sh -eu in a fresh scratch directory.  Beside it, optional
# expectation files:
#   <name>.exit    expected exit status (default 0)
#   <name>.stdout  expected standard output, exactly
#   <name>.stderr  expected standard error, exactly
# A case that exits 77 is skipped (it must say why on stderr); skips are
# counted apart and listed again at the end of `make check`.
# Environment for the cases: DFUSETOOL (absolute path), PATH with the
# build directory first (so `dfusetool` works as in the docs), ROOT,
# SAMPLES, DATA (tests/data), SHARED (../shared, may be absent), LIB
# (tests/cli/lib.sh).
# usage: run.sh BUILD_DIR [CASE...]
b=$1; shift
ROOT=$(pwd)
BUILD=$(cd "$b" && pwd)
export ROOT BUILD
export DFUSETOOL="$BUILD/dfusetool"
export PATH="$BUILD:$PATH"
export SAMPLES="$ROOT/samples"
export DATA="$ROOT/tests/data"
export SHARED="$ROOT/../shared"
export LIB="$ROOT/tests/cli/lib.sh"
export NO_COLOR=1
export LC_ALL=C

if [ $# -gt 0 ]; then cases="$*"; else cases=$(ls tests/cli/*/*.sh | sort); fi
pass=0; fail=0; skip=0
scratch_root="$BUILD/cli-tests"
rm -rf "$scratch_root"
for c in $cases; do
	name=${c#tests/cli/}; name=${name%.sh}
	base=${c%.sh}
	dir="$scratch_root/$name"
	mkdir -p "$dir"
	( cd "$dir" && sh -eu "$ROOT/$c" >"$dir/.stdout" 2>"$dir/.stderr" )
	rc=$?
	if [ "$rc" -eq 77 ]; then
		echo "skip $name: $(tail -n 1 "$dir/.stderr")"
		echo "cli/$name: $(tail -n 1 "$dir/.stderr")" >> "$BUILD/check-skips"
		skip=$((skip + 1)); continue
	fi
	want=0
	[ -f "$base.exit" ] && want=$(cat "$base.exit")
	why=""
	[ "$rc" -ne "$want" ] && why="exit status $rc, expected $want"
	if [ -z "$why" ] && [ -f "$base.stdout" ] && ! cmp -s "$base.stdout" "$dir/.stdout"; then
		why="stdout differs:"; diff -u "$base.stdout" "$dir/.stdout" | head -n 30
	fi
	if [ -z "$why" ] && [ -f "$base.stderr" ] && ! cmp -s "$base.stderr" "$dir/.stderr"; then
		why="stderr differs:"; diff -u "$base.stderr" "$dir/.stderr" | head -n 30
	fi
	if [ -n "$why" ]; then
		echo "FAIL $name: $why"
		echo "---- stdout"; tail -n 20 "$dir/.stdout"
		echo "---- stderr"; tail -n 20 "$dir/.stderr"
		fail=$((fail + 1))
	else
		echo "ok   $name"
		pass=$((pass + 1))
	fi
done
echo "cli: $pass passed, $fail failed, $skip skipped"
echo "$pass $fail $skip" >> "$BUILD/check-counts"
[ "$fail" -eq 0 ]
