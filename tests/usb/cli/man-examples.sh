# The EXAMPLES of dfusetool-download(1), word for word (tests/check-man.sh
# looks for them here), against the emulated H745 ROM bootloader.
. "$LIB"
"$DFUSETOOL" download --help >/dev/null 2>&1 || skip "'dfusetool download' is not a command yet"
need python3
flash_has() { python3 "$ROOT/tests/usb/cli/flash_has.py" "$@"; }
ln -s "$SAMPLES" samples

run 0 dfusetool build --cm7 samples/h745-blinky/cm7.elf --cm4 samples/h745-blinky/cm4.elf -o release.dfu
run 0 "$USBTEST" --exec --flash-out f1 -- dfusetool download --verify --leave release.dfu
flash_has release.dfu f1 --blank-elsewhere
has err "left=0x08000000"
run 0 "$USBTEST" --exec --flash-in f1 --flash-out f2 -- dfusetool download --incremental --verify release.dfu
has err "erases=0 "
cmp f1 f2
run 0 "$USBTEST" --exec -- dfusetool download --dry-run --cm7 samples/h745-blinky/cm7.elf --cm4 samples/h745-blinky/cm4.elf
has err "erases=0 dnloads=0 clrstatus=0 left=no uploads=0 aborts=0 xfers=0 "
run 0 "$USBTEST" --exec -- dfusetool download --json --dry-run release.dfu
has out '"dry_run": true'
has err "xfers=0 "
