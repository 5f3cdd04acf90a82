# Read protection (RDP level 1, RDP byte 0xBB): the ROM refuses the flash
# UPLOAD with errVENDOR (AN3156); upload and verify exit 1 with the words on
# what RDP is, that removing it mass-erases the chip and that dfusetool
# does not do it; nothing is written; --json answers too.
. "$LIB"
"$DFUSETOOL" upload --help >/dev/null 2>&1 || skip "'dfusetool upload' is not a command yet"
"$USBTEST" --exec --rdp 0xBB -- true 2>/dev/null || skip "usbtest has no --rdp yet"
need python3
S=$SAMPLES/h745-blinky

run 1 "$USBTEST" --exec --rdp 0xBB -- "$DFUSETOOL" upload -o p.dfu
has err "read protection (RDP level 1)"
has err "mass-erases the whole flash"
has err "dfusetool never does it"
has err "erases=0 "
[ ! -e p.dfu ] || fail "p.dfu was written"
run 1 "$USBTEST" --exec --rdp 0xBB -- "$DFUSETOOL" upload --json -o p.dfu
pyjson out "d['ok'] is False and d['error']['message'] != '' and d['written'] is False"
[ ! -e p.dfu ] || fail "p.dfu was written"

run 0 "$DFUSETOOL" build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o release.dfu
run 1 "$USBTEST" --exec --rdp 0xBB -- "$DFUSETOOL" verify release.dfu
has err "mass-erases the whole flash"
has err "erases=0 "
run 1 "$USBTEST" --exec --rdp 0xBB -- "$DFUSETOOL" verify --json release.dfu
pyjson out "d['ok'] is False and d['equal'] is None"
