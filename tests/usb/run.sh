#!/bin/sh
# Runs the umockdev harness (tests/usb/usbtest.c): the H7 ROM model behind
# real libusb.  usage: run.sh BUILD_DIR [CASE...]
#  1. usbtest's own scenarios (the library's USB backend as a client);
#  2. the shell cases tests/usb/cli/*.sh (or the CASEs given), each run
#     with sh -eu in a fresh scratch directory BUILD/usb-tests/NAME.  They
#     drive real programs (build/dfusetool) through `usbtest --exec`.  A
#     case that exits 77 is skipped (it says why on stderr).  Environment:
#     USBTEST (usbtest, absolute), DFUSETOOL (absolute), PATH with the
#     build directory first, ROOT, BUILD, SAMPLES, DATA, LIB
#     (tests/cli/lib.sh: run, has, hasnt, fail, skip, need).
# Skipped (exit 0, counted as one skip) without umockdev or without USB
# support in the build.
b=$1; shift
bin=$b/tests/usbtest
if [ ! -x "$bin" ]; then
	echo "usb: skipped: $bin was not built (umockdev-1.0 or libusb-1.0 missing)"
	echo "usb: the harness was not built (umockdev-1.0 or libusb-1.0 missing)" >> "$b/check-skips"
	echo "0 0 1" >> "$b/check-counts"
	exit 0
fi
ROOT=$(pwd)
BUILD=$(cd "$b" && pwd)
export ROOT BUILD
export USBTEST="$BUILD/tests/usbtest"
export DFUSETOOL="$BUILD/dfusetool"
export PATH="$BUILD:$PATH"
export SAMPLES="$ROOT/samples"
export DATA="$ROOT/tests/data"
export LIB="$ROOT/tests/cli/lib.sh"
export NO_COLOR=1
export LC_ALL=C

pass=0; fail=0; skip=0
if [ $# -eq 0 ]; then
	out=$("$bin" 2>&1)
	st=$?
	echo "$out"
	pass=$(echo "$out" | grep -c '^ok ')
	fail=$(echo "$out" | grep -c '^FAIL ')
	if [ "$st" -ne 0 ] && [ "$fail" -eq 0 ]; then
		echo "FAIL usb/harness: exit status $st"
		fail=1
	fi
	cases=$(ls tests/usb/cli/*.sh 2>/dev/null | sort)
else
	cases="$*"
fi

# A hung case must not hang `make check`.
if command -v timeout >/dev/null 2>&1; then to="timeout 300"; else to=""; fi
scratch_root="$BUILD/usb-tests"
rm -rf "$scratch_root"
for c in $cases; do
	name=${c#tests/usb/cli/}; name=cli/${name%.sh}
	dir="$scratch_root/$name"
	mkdir -p "$dir"
	( cd "$dir" && $to sh -eu "$ROOT/$c" >"$dir/.stdout" 2>"$dir/.stderr" )
	rc=$?
	if [ "$rc" -eq 77 ]; then
		echo "skip usb/$name: $(tail -n 1 "$dir/.stderr")"
		echo "usb/$name: $(tail -n 1 "$dir/.stderr")" >> "$BUILD/check-skips"
		skip=$((skip + 1))
	elif [ "$rc" -eq 0 ]; then
		echo "ok   usb/$name"
		pass=$((pass + 1))
	else
		why="exit status $rc"
		[ "$rc" -eq 124 ] && [ -n "$to" ] && why="timed out"
		echo "FAIL usb/$name: $why"
		echo "---- stdout"; tail -n 20 "$dir/.stdout"
		echo "---- stderr"; tail -n 30 "$dir/.stderr"
		fail=$((fail + 1))
	fi
done
echo "usb: $pass passed, $fail failed, $skip skipped"
echo "$pass $fail $skip" >> "$BUILD/check-counts"
[ "$fail" -eq 0 ]
