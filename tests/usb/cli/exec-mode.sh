# usbtest --exec itself, with no dependence on the CLI: status pass-through,
# the device as the client sees it, the library's own client under the
# bank-2 bug, flash and state in and out, the transfer log, faults.
. "$LIB"
field() { sed -n "s/^model:.* $1=\([^ ]*\).*/\1/p" err | tail -n 1; }

run 3 "$USBTEST" --exec -- sh -c 'exit 3'
has err "model: erases=0 dnloads=0 clrstatus=0 left=no"
run 0 "$USBTEST" --exec -- sh -c 'cat /sys/bus/usb/devices/1-1/idVendor /sys/bus/usb/devices/1-1/idProduct; test -c /dev/bus/usb/001/002'
has out 0483
has out df11

# the library's client, bank-2 bug on: recovered, verified, left
run 0 "$USBTEST" --exec --bank2-bug --flash-out f1 --log log --state-out st -- "$USBTEST" --client bank2
hasnt out FAIL
has out "ok   usb/bank2-recovered"
has err "left=0x08000000"
[ "$(field clrstatus)" -ge 2 ] || fail "clrstatus $(field clrstatus)"
[ "$(field erases)" -ge 2 ] || fail "erases $(field erases)"
[ "$(wc -c <f1)" -eq 2097152 ] || fail "flash-out is not 2 MiB"
has st "state=7 status=0"
# the log: one line per transfer, numbered like --stall-at/--disconnect-at
[ "$(wc -l <log)" -eq "$(field xfers)" ] || fail "log has $(wc -l <log) lines"
has log "1 in GETSTATUS 0 6 - 6"
[ "$(awk '$3 == "DNLOAD" && $6 == "0x41"' log | wc -l)" -eq "$(field erases)" ] || fail "erases in the log"

# flash in, unchanged, out
run 0 "$USBTEST" --exec --flash-in f1 --flash-out f2 -- true
cmp f1 f2 || fail "flash-in -> flash-out changed the flash"

# a disconnect from transfer 60 on: the client fails and nothing leaves
run 1 "$USBTEST" --exec --disconnect-at 60 -- "$USBTEST" --client basic
has out "FAIL usb/download"
has err "left=no"
has err "xfers=60 "
# a stall at transfer 40
run 1 "$USBTEST" --exec --stall-at 40 --log log2 -- "$USBTEST" --client basic
has out "stalled"
[ "$(awk '$1 == 40 && $7 == -2' log2 | wc -l)" -eq 1 ] || fail "transfer 40 did not stall"

# a state in
printf 'state=10 status=14\n' >bad
run 0 "$USBTEST" --exec --state-in bad --state-out st3 -- true
has st3 "state=10 status=14"

# the harness's own errors
run 125 "$USBTEST" --exec --stall-at x -- true
run 125 "$USBTEST" --exec --bank2-bug
run 125 "$USBTEST" --exec --flash-in st3 -- true
run 127 "$USBTEST" --exec -- ./no-such-command
run 0 "$USBTEST" --exec --help
has out "usage: usbtest --exec"
