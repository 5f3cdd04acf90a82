# dfusetool download --incremental: an unchanged device is neither erased
# nor written; a change in the CM4's image only rewrites its sector.
. "$LIB"
"$DFUSETOOL" download --help >/dev/null 2>&1 || skip "'dfusetool download' is not a command yet"
need python3 awk
field() { sed -n "s/^model:.* $1=\([^ ]*\).*/\1/p" err | tail -n 1; }
flash_has() { python3 "$ROOT/tests/usb/cli/flash_has.py" "$@"; }
# data_blocks LOG: the data DNLOADs (wBlockNum >= 2) a run sent
data_blocks() { awk '$3 == "DNLOAD" && $4 >= 2 && $5 > 0' "$1" | wc -l; }

S=$SAMPLES/h745-blinky
python3 - "$S" <<'PY'
import sys
for core, size in (('cm7', 40 << 10), ('cm4', 24 << 10)):
    b = bytearray(open('%s/%s.bin' % (sys.argv[1], core), 'rb').read())
    while len(b) < size:
        b.append((len(b) * 7 + (len(b) >> 8) * 13 + 1) & 0xFF)
    open('big%s.bin' % core[2], 'wb').write(b)
    b[0x3000] ^= 0x5A
    open('big%s-changed.bin' % core[2], 'wb').write(b)
PY
run 0 "$DFUSETOOL" build --cm7 big7.bin --cm4 big4.bin -o img.dfu
run 0 "$DFUSETOOL" build --cm7 big7.bin --cm4 big4-changed.bin -o img2.dfu

# First a full download.
run 0 "$USBTEST" --exec --flash-out f1 --log l1 -- "$DFUSETOOL" download --verify img.dfu
flash_has img.dfu f1 --blank-elsewhere
has err "erases=2 "
[ "$(data_blocks l1)" -eq 64 ] || fail "$(data_blocks l1) data blocks for 64 KiB"

# The same image again, incremental: nothing erased, nothing written.
run 0 "$USBTEST" --exec --flash-in f1 --flash-out f2 --log l2 -- "$DFUSETOOL" download --incremental --verify img.dfu
has err "erases=0 "
[ "$(data_blocks l2)" -eq 0 ] || fail "$(data_blocks l2) data blocks written to an unchanged device"
cmp f1 f2 || fail "the flash changed"
cat out err >all
grep -qiE 'skip|unchanged' all || { cat all >&2; fail "no report of the skipped sectors"; }

# One byte changed in the CM4's image: its sector alone, erased and written.
run 0 "$USBTEST" --exec --flash-in f2 --flash-out f3 --log l3 -- "$DFUSETOOL" download --incremental --verify --leave img2.dfu
has err "erases=1 "
[ "$(data_blocks l3)" -eq 24 ] || fail "$(data_blocks l3) data blocks for the 24 KiB CM4 image"
flash_has img2.dfu f3 --blank-elsewhere
has err "left=0x08000000"
