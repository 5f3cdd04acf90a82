# dfusetool download of a 1 MiB merged image (896 KiB for the CM7 in bank
# 1, 128 KiB for the CM4 in bank 2) with the bank-2 bug on: 8 sectors, 1024
# data blocks of wTransferSize in two runs (one SET_ADDRESS each), every
# byte verified by the tool and again by the model's flash afterwards.
. "$LIB"
need python3
field() { sed -n "s/^model:.* $1=\([^ ]*\).*/\1/p" err | tail -n 1; }
flash_has() { python3 "$ROOT/tests/usb/cli/flash_has.py" "$@"; }
# set_address LOG: the DfuSe Set Address Pointer commands a run sent
set_address() { awk '$3 == "DNLOAD" && $4 == 0 && $6 == "0x21"' "$1" | wc -l; }
data_blocks() { awk '$3 == "DNLOAD" && $4 >= 2 && $5 > 0' "$1" | wc -l; }

S=$SAMPLES/h745-blinky
python3 - "$S" <<'PY'
import hashlib, sys
for core, size in (('cm7', 896 << 10), ('cm4', 128 << 10)):
    b = bytearray(open('%s/%s.bin' % (sys.argv[1], core), 'rb').read())
    seed = core.encode()
    fill = hashlib.shake_128(seed).digest(size - len(b))
    open('%s.bin' % core, 'wb').write(bytes(b) + fill)
PY
run 0 "$DFUSETOOL" build --cm7 cm7.bin --cm4 cm4.bin -o img.dfu
run 0 "$USBTEST" --exec --bank2-bug --flash-out flash.bin --log log -- "$DFUSETOOL" download --verify --leave img.dfu
flash_has img.dfu flash.bin --blank-elsewhere
has err "erases=8 "
has err "left=0x08000000"
has out "verified 1048576 bytes"
# 7 + 1 sectors; the one in bank 2 recovered with CLRSTATUS x2 (each
# recovery waits the 4 s worst case: one sector keeps the test short)
[ "$(field clrstatus)" -eq 2 ] || fail "clrstatus=$(field clrstatus), expected 2"
[ "$(data_blocks log)" -eq 1024 ] || fail "$(data_blocks log) data blocks, expected 1024"
# one Set Address Pointer per run for the write, and per chunk of the
# reads (blank checks after recovery, verify)
sa=$(set_address log)
[ "$sa" -le 40 ] || fail "$sa Set Address Pointer commands for 2 runs"
