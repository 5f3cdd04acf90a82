# Faithfulness of the model (issue 4, Tests 3): Debian's dfu-util 0.11
# lists the emulated H745 ROM bootloader as it lists the real one: ids,
# bcdDevice 0x0200, both alternate settings with their UM0424 names, and
# the serial.  Listing sends no DFU request (descriptors only).
. "$LIB"
need dfu-util
field() { sed -n "s/^model:.* $1=\([^ ]*\).*/\1/p" err | tail -n 1; }

run 0 "$USBTEST" --exec -- dfu-util -l
has out 'Found DFU: [0483:df11] ver=0200'
has out 'path="1-1"'
has out 'alt=0, name="@Internal Flash   /0x08000000/16*128Kg", serial="200364500000"'
has out 'alt=1, name="@Option Bytes   /0x5200201C/01*128 e", serial="200364500000"'
[ "$(grep -c '^Found DFU: \[0483:df11\]' out)" -eq 2 ] || { cat out >&2; fail "not exactly two alternate settings"; }
has err "model: erases=0 dnloads=0 clrstatus=0 left=no uploads=0 aborts=0 xfers=0 "
