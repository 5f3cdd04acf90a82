# --wait[=SECONDS] on the device commands: with the device there it does
# not delay the work; with none that matches, --wait=1 gives up with exit 1
# and says how long it waited.
. "$LIB"
"$DFUSETOOL" erase --help >/dev/null 2>&1 || skip "'dfusetool erase' is not a command yet"
S=$SAMPLES/h745-blinky
run 0 "$DFUSETOOL" build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o release.dfu

run 0 "$USBTEST" --exec -- "$DFUSETOOL" erase --wait --dry-run --cm4
has out "would erase 8 sectors"
run 0 "$USBTEST" --exec -- "$DFUSETOOL" leave --wait=5
has out "left DFU mode"
run 0 "$USBTEST" --exec -- "$DFUSETOOL" check --live --wait=5 release.dfu
run 0 "$USBTEST" --exec -- "$DFUSETOOL" download --wait=5 release.dfu
has err "erases=2 "

for cmd in "erase --cm4" "leave" "check --live release.dfu" "download release.dfu"; do
	# shellcheck disable=SC2086
	run 1 "$USBTEST" --exec -- "$DFUSETOOL" $cmd -d 1234:5678 --wait=1
	has err "1234:5678"
	has err "erases=0 dnloads=0 "
	grep -q "within 1.0 s" err || fail "'$cmd --wait=1': the message does not say how long it waited: $(cat err)"
done
run 2 "$DFUSETOOL" erase --cm4 --wait=0
# list --wait (dfusetool-list(1) EXAMPLES): the device is listed; with
# none in DFU mode the wait fails (exit 1) and says how long it waited
run 0 "$USBTEST" --exec -- dfusetool list --wait=10
has out "0483:df11"
run 1 "$DFUSETOOL" list --wait=1
has err "no device in DFU mode appeared within 1.0 s"
