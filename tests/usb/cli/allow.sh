# download --allow CODE: a check error the user has judged (here the CM4
# sample linked as the CM7's image: its SP is in D2 SRAM, which the CM7
# cannot use as a stack at reset) refuses the download with nothing sent;
# allowed, it is a note and the image is written; an unknown code is a
# usage error (exit 2) before any device is opened.
. "$LIB"
S=$SAMPLES/h745-blinky
run 0 "$DFUSETOOL" build --allow sp-not-in-core-ram --allow reset-outside-image --cm7 "$S/cm4.bin" -o swapped.dfu
run 1 "$USBTEST" --exec -- "$DFUSETOOL" download swapped.dfu
has err "[sp-not-in-core-ram]"
# the board read before the check: two Set Address Pointer commands
# and two UPLOADs of the option bytes; nothing erased or written
has err "erases=0 dnloads=2 "
run 0 "$USBTEST" --exec -- "$DFUSETOOL" download --allow sp-not-in-core-ram --allow reset-outside-image swapped.dfu
has err "[sp-not-in-core-ram, allowed]"
has err "erases=1 "
run 2 "$DFUSETOOL" download --allow no-such-code swapped.dfu
has err "unknown check code 'no-such-code'"
