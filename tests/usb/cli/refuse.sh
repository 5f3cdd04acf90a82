# dfusetool download refuses a bad image before the first erase: data in
# system memory (0x1FF00000); a file for another VID:PID (--force lets
# only that one through).  A refusal sends no erase and no data DNLOAD:
# only the option-byte read (2 Set Address Pointer commands) comes first,
# and a file for another VID:PID is refused before the device is opened.
. "$LIB"
"$DFUSETOOL" download --help >/dev/null 2>&1 || skip "'dfusetool download' is not a command yet"

S=$SAMPLES/h745-blinky
run 0 "$DFUSETOOL" build --force --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" "$S/cm7.bin@0x1FF00000" -o bad.dfu
run 1 "$USBTEST" --exec -- "$DFUSETOOL" download --verify --leave bad.dfu
has err "erases=0 dnloads=2 "
has err "left=no"
cat out err >all
grep -qi '0x1ff00000' all || { cat all >&2; fail "the refusal does not name 0x1ff00000"; }
# --force does not override a write outside writable memory
run 1 "$USBTEST" --exec -- "$DFUSETOOL" download --force --verify --leave bad.dfu
has err "erases=0 dnloads=2 "

# a file for 1234:5678
run 0 "$DFUSETOOL" build --vid 1234 --pid 5678 --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o other.dfu
run 1 "$USBTEST" --exec -- "$DFUSETOOL" download other.dfu
has err "erases=0 dnloads=0"
run 0 "$USBTEST" --exec -- "$DFUSETOOL" download --force --verify other.dfu
has err "erases=2 "
