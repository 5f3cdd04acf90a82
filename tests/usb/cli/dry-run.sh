# dfusetool download --dry-run: the plan, and nothing sent but descriptor
# reads; device selection by -d, -S and --path.
. "$LIB"
"$DFUSETOOL" download --help >/dev/null 2>&1 || skip "'dfusetool download' is not a command yet"

S=$SAMPLES/h745-blinky
run 0 "$DFUSETOOL" build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o img.dfu
run 0 "$USBTEST" --exec -- "$DFUSETOOL" download --dry-run --verify --leave img.dfu
has err "model: erases=0 dnloads=0 clrstatus=0 left=no uploads=0 aborts=0 xfers=0 "
cat out err >all
grep -q '2 sectors' all || { cat all >&2; fail "the plan does not count the 2 sectors to erase"; }
grep -q '1792' all || { cat all >&2; fail "the plan does not count the 1792 bytes to write"; }
run 0 "$USBTEST" --exec -- "$DFUSETOOL" download --dry-run -d 0483:df11 -S 200364500000 --path 1-1 img.dfu
has err "xfers=0 "
# no such device: exit 1, nothing sent
run 1 "$USBTEST" --exec -- "$DFUSETOOL" download -d 0483:df12 img.dfu
has err "xfers=0 "
run 1 "$USBTEST" --exec -- "$DFUSETOOL" download -S 999 img.dfu
has err "xfers=0 "
run 1 "$USBTEST" --exec -- "$DFUSETOOL" download --path 1-2 img.dfu
has err "xfers=0 "
