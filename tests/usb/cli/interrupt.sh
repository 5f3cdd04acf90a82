# dfusetool download interrupted mid-write (the device disconnects; a
# stall), then run again on the flash and DFU state that were left: the
# re-run succeeds and verifies.  A merged image of 40 + 24 KiB.
. "$LIB"
"$DFUSETOOL" download --help >/dev/null 2>&1 || skip "'dfusetool download' is not a command yet"
need python3 awk
field() { sed -n "s/^model:.* $1=\([^ ]*\).*/\1/p" err | tail -n 1; }
flash_has() { python3 "$ROOT/tests/usb/cli/flash_has.py" "$@"; }
# Erases take no time, so that the transfer numbers are the same each run.
U="$USBTEST --exec --erase-ms 0"
DL="$DFUSETOOL download --verify --leave img.dfu"

S=$SAMPLES/h745-blinky
python3 - "$S" <<'PY'
import sys
for core, size in (('cm7', 40 << 10), ('cm4', 24 << 10)):
    b = bytearray(open('%s/%s.bin' % (sys.argv[1], core), 'rb').read())
    while len(b) < size:
        b.append((len(b) * 7 + (len(b) >> 8) * 13 + 1) & 0xFF)
    open('big%s.bin' % core[2], 'wb').write(b)
PY
run 0 "$DFUSETOOL" build --cm7 big7.bin --cm4 big4.bin -o img.dfu

# A full run, to learn the transfer number of the middle data block.
run 0 $U --log full.log -- $DL
n=$(awk '$3 == "DNLOAD" && $4 >= 2 && $5 > 0 { b[++k] = $1 } END { print b[int((k + 1) / 2)] }' full.log)
[ -n "$n" ] || fail "no data DNLOAD in the log"

# Gone at that block: exit 1, no leave, the flash half written.
run 1 $U --disconnect-at "$n" --flash-out f1 -- $DL
has err "left=no"
[ "$(field dnloads)" -gt 0 ] || fail "nothing was written before the disconnect"
if flash_has img.dfu f1 >/dev/null 2>&1; then fail "the image is complete after the disconnect"; fi

# The board is plugged in again (dfuIDLE) with that flash: the re-run succeeds.
run 0 $U --flash-in f1 --flash-out f2 -- $DL
flash_has img.dfu f2
has err "left=0x08000000"

# The host went away instead, the device still in dfuDNLOAD-IDLE: aborted, goes on.
printf 'state=5 status=0\n' >dnidle
run 0 $U --flash-in f1 --state-in dnidle --flash-out f3 -- $DL
flash_has img.dfu f3
has err "left=0x08000000"
# A device found in dfuERROR (errUNKNOWN): cleared, goes on.
printf 'state=10 status=14\n' >error
run 0 $U --flash-in f1 --state-in error --flash-out f4 -- $DL
flash_has img.dfu f4
[ "$(field clrstatus)" -ge 1 ] || fail "dfuERROR was not cleared with CLRSTATUS"

# A stall at the same block: a failure never leaves; a run that fails
# exits 1, one that recovers by itself must have written everything.
set +e
$U --stall-at "$n" --flash-out f5 --state-out st5 -- $DL >out 2>err
rc=$?
set -e
case $rc in
1) has err "left=no"
   run 0 $U --flash-in f5 --state-in st5 --flash-out f6 -- $DL
   flash_has img.dfu f6
   has err "left=0x08000000" ;;
0) flash_has img.dfu f5
   has err "left=0x08000000" ;;
*) cat out err >&2; fail "a stall mid-write: exit $rc" ;;
esac
