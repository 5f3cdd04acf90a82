#!/bin/sh
# Runs the umockdev harness (tests/usb/usbtest.c): the H7 ROM model behind
# real libusb.  usage: run.sh BUILD_DIR
# Skipped (exit 0, counted as nothing) without umockdev or without USB
# support in the build.
b=$1
bin=$b/tests/usbtest
if [ ! -x "$bin" ]; then
	echo "usb: skipped: $bin was not built (umockdev-1.0 or libusb-1.0 missing)"
	exit 0
fi
out=$("$bin" 2>&1)
st=$?
echo "$out"
pass=$(echo "$out" | grep -c '^ok ')
fail=$(echo "$out" | grep -c '^FAIL ')
if [ "$st" -ne 0 ] && [ "$fail" -eq 0 ]; then
	echo "FAIL usb/harness: exit status $st"
	fail=1
fi
echo "usb: $pass passed, $fail failed"
echo "$pass $fail" >> "$b/check-counts"
[ "$fail" -eq 0 ]
