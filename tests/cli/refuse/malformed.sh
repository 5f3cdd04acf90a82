# Every file of tests/cli/badfiles.py (counts that drop or invent data,
# bytes that belong to nothing, an element wrapping past 4 GiB, an error
# behind 1,000 warnings, a plain DFU file, a PNG) is refused by every
# command that reads DfuSe files: dump and check exit 1, and merge, split
# and convert exit 1 and write nothing, with or without --force.  The
# emulated-ROM half (download sends nothing) is tests/usb/cli/malformed.sh.
. "$LIB"
need python3
S=$SAMPLES/h745-blinky
"$DFUSETOOL" build --cm4 "$S/cm4.elf" -o good.dfu 2>/dev/null

nothing_written() {
	# no output, no temporary file, no directory left behind
	if [ -n "$(ls -A out.d 2>/dev/null)" ]; then
		ls -la out.d >&2; fail "$1: something was written"
	fi
}

for name in $(python3 "$ROOT/tests/cli/badfiles.py" bad); do
	f=bad/$name.dfu
	mkdir -p out.d
	run 1 "$DFUSETOOL" dump "$f"
	has err "error"
	run 1 "$DFUSETOOL" check "$f"
	run 1 "$DFUSETOOL" merge -o out.d/m.dfu "$f" good.dfu
	nothing_written "merge $name"
	run 1 "$DFUSETOOL" merge --force -o out.d/m.dfu "$f" good.dfu
	nothing_written "merge --force $name"
	run 1 "$DFUSETOOL" split "$f" -o out.d/parts
	nothing_written "split $name"
	for fmt in dfu hex srec; do
		run 1 "$DFUSETOOL" convert "$f" -o "out.d/c.$fmt"
		nothing_written "convert $name to $fmt"
	done
	rmdir out.d
done
