# dfusetool list against the emulated H745 ROM bootloader: ids, serial, bus
# path, bcdDevice, both alternate settings and the parsed layout.
. "$LIB"
"$DFUSETOOL" list --help >/dev/null 2>&1 || skip "'dfusetool list' is not a command yet"

run 0 "$USBTEST" --exec -- "$DFUSETOOL" list
has out "0483:df11"
has out "200364500000"
has out "1-1"
has out "0200"
has out "Internal Flash"
has out "Option Bytes"
has out "0x08000000"
grep -qE '16 ?(x|\*) ?128 ?KiB|16 sectors of (128 KiB|131072 bytes)' out || { cat out >&2; fail "no parsed layout: 16 sectors of 128 KiB"; }
# list changes nothing on the device
has err "erases=0 dnloads=0 clrstatus=0 left=no"
