# Two H7 ROMs in DFU mode (usbtest --second): list shows both; download
# refuses to pick one, listing each one's serial and path, and sends
# nothing to either; -S or --path picks one, and only that one is written;
# --dry-run plans without choosing a device to write.
. "$LIB"
S=$SAMPLES/h745-blinky
run 0 "$DFUSETOOL" build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o rel.dfu
run 0 "$USBTEST" --exec --second -- "$DFUSETOOL" list
has out 'serial="200364500000"'
has out 'serial="200364500001"'
run 1 "$USBTEST" --exec --second -- "$DFUSETOOL" download --verify rel.dfu
has err "2 devices in DFU mode match"
has err 'serial "200364500000" path 1-1'
has err 'serial "200364500001" path 1-2'
# the hint comes from the error's code (DFUSE_EAMBIGUOUS), not its words
has err "note: pick one with -d VID:PID, -S SERIAL or --path BUS-PORTS"
has err "model: erases=0 dnloads=0"
has err "model2: erases=0 dnloads=0"
run 0 "$USBTEST" --exec --second -- "$DFUSETOOL" download --verify -S 200364500001 rel.dfu
has err "model: erases=0 dnloads=0"
has err "model2: erases=2 "
run 0 "$USBTEST" --exec --second -- "$DFUSETOOL" download --verify --path 1-1 rel.dfu
has err "model: erases=2 "
has err "model2: erases=0 dnloads=0"
