# dfusetool download from image inputs instead of a .dfu (--cm7/--cm4,
# FILE@ADDR), and --mass-erase: the flash ends up as `build` would lay
# the same inputs out.
. "$LIB"
"$DFUSETOOL" download --help >/dev/null 2>&1 || skip "'dfusetool download' is not a command yet"
need python3
flash_has() { python3 "$ROOT/tests/usb/cli/flash_has.py" "$@"; }

S=$SAMPLES/h745-blinky
run 0 "$DFUSETOOL" build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o elf.dfu
run 0 "$USBTEST" --exec --flash-out f1 -- "$DFUSETOOL" download --verify --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf"
flash_has elf.dfu f1 --blank-elsewhere
has err "erases=2 "

run 0 "$DFUSETOOL" build --force "$S/cm7.bin@0x08000000" "$S/cm4.bin@0x08100000" -o bin.dfu
run 0 "$USBTEST" --exec --flash-out f2 -- "$DFUSETOOL" download --verify "$S/cm7.bin@0x08000000" "$S/cm4.bin@0x08100000"
flash_has bin.dfu f2 --blank-elsewhere

# --mass-erase over a flash full of old data: one erase command, and
# nothing of the old data is left.
python3 -c 'import sys; sys.stdout.buffer.write(bytes([0x5A]) * (2 << 20))' >old
run 0 "$USBTEST" --exec --flash-in old --flash-out f3 -- "$DFUSETOOL" download --mass-erase --verify elf.dfu
has err "erases=1 "
flash_has elf.dfu f3 --blank-elsewhere
