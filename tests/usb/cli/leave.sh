# dfusetool leave: exit 0 only when the device left (each way the model
# can leave: manifest, stall then gone, gone at once), exit 1 with "reset
# the board" when the device stayed; a device left in
# dfuMANIFEST-WAIT-RESET by an earlier run is brought back by a USB reset,
# or, when the reset changes nothing, the message says to reset the board.
. "$LIB"
"$DFUSETOOL" leave --help >/dev/null 2>&1 || skip "'dfusetool leave' is not a command yet"
need python3
j() { python3 -c 'import json,sys; d=json.load(open("out")); print(eval(sys.argv[1]))' "$1"; }

run 2 "$DFUSETOOL" leave --address nowhere
has err "--address 'nowhere' is not an address"
run 2 "$DFUSETOOL" leave extra
has err "unexpected argument 'extra'"

# the default: the CM7's boot address from the board's option bytes
run 0 "$USBTEST" --exec -- "$DFUSETOOL" leave
has out "left DFU mode (manifest): the CM7 was told to start at 0x08000000 (its boot address, BOOT_CM7_ADD0)"
has out "the CM4 starts only after a board reset"
has err "left=0x08000000"
# a board whose CM7 boots elsewhere
run 0 "$USBTEST" --exec --boot-cm7 0x08020000 -- "$DFUSETOOL" leave
has out "0x08020000"
has err "left=0x08020000"
# no option bytes: the profile's boot address
run 0 "$USBTEST" --exec --no-alt1 -- "$DFUSETOOL" leave
has out "0x08000000 (the profile's CM7 boot address)"
has err "left=0x08000000"
# --address
run 0 "$USBTEST" --exec -- "$DFUSETOOL" leave --address 0x08040000 --json
[ "$(j 'd["ok"], d["left"], d["left_how"], d["address"], d["error"]')" = "(True, True, 'manifest', 134479872, None)" ] ||
	fail "leave --json: $(cat out)"
has err "left=0x08040000"

for mode in stall-gone gone; do
	run 0 "$USBTEST" --exec --leave-mode $mode -- "$DFUSETOOL" leave --json
	pyjson out "d['ok'] and d['left'] and d['left_how'] in ('stall', 'disconnect')"
	has err "left=0x08000000"
done

# the device stays: not confirmed, exit 1, reset the board
run 1 "$USBTEST" --exec --leave-mode stall-stay -- "$DFUSETOOL" leave
hasnt out "left DFU mode"
has err "the leave request was not confirmed"
has err "reset the board"
run 1 "$USBTEST" --exec --leave-mode stall-stay -- "$DFUSETOOL" leave --json
[ "$(j 'd["ok"], d["left"], d["left_how"], d["error"]["code"]')" = "(False, False, 'unconfirmed', 'DFUSE_EDEVICE')" ] ||
	fail "unconfirmed --json: $(cat out)"

# a device found in dfuMANIFEST-WAIT-RESET (8): the USB reset brings it back
echo "state=8 status=0" > wait-reset
run 0 "$USBTEST" --exec --state-in wait-reset -- "$DFUSETOOL" leave
has err "resets=1"
has out "left DFU mode"
# ... and when the reset changes nothing, the words say to reset the board
run 1 "$USBTEST" --exec --state-in wait-reset --reset-ignored -- "$DFUSETOOL" leave
has err "reset the board"
hasnt out "left DFU mode"
