# dfusetool download refuses every file of tests/cli/badfiles.py (counts
# that drop or invent data, bytes that belong to nothing, an element
# wrapping past 4 GiB, an error behind 1,000 warnings, a plain DFU file, a
# PNG) before the first transfer: the emulated ROM sees no erase and no
# DNLOAD, with or without --force, and --dry-run refuses them too.
. "$LIB"
need python3
for name in $(python3 "$ROOT/tests/cli/badfiles.py" bad); do
	f=bad/$name.dfu
	run 1 "$USBTEST" --exec -- "$DFUSETOOL" download --verify --leave "$f"
	has err "erases=0 dnloads=0"
	has err "left=no"
	run 1 "$USBTEST" --exec -- "$DFUSETOOL" download --force "$f"
	has err "erases=0 dnloads=0"
	run 1 "$DFUSETOOL" download --dry-run "$f"
done
