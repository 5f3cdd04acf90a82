# A .dfu holding the flash (alt 0) and the option bytes (alt 1), as ST's
# DFU File Manager writes them: download refuses it before any transfer
# and says what -a 0 does; with -a 0 the flash is written and the option
# bytes are left alone (no transfer on alt 1, nothing at 0x5200201C).
. "$LIB"
need python3
field() { sed -n "s/^model:.* $1=\([^ ]*\).*/\1/p" err | tail -n 1; }
flash_has() { python3 "$ROOT/tests/usb/cli/flash_has.py" "$@"; }

S=$SAMPLES/h745-blinky
run 0 "$DFUSETOOL" build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o flash.dfu
# append an alt-1 target by hand (UM0391: "Target" prefix, one element of
# 128 bytes at 0x5200201C), then fix bTargets, DFUImageSize and the CRC
python3 - <<'PY'
import struct, zlib
d = bytearray(open('flash.dfu', 'rb').read())
body, suffix = d[:-16], d[-16:-4]
el = struct.pack('<II', 0x5200201C, 128) + bytes(range(128))
tgt = struct.pack('<6sBI255sII', b'Target', 1, 1, b'Option Bytes',
                  len(el), 1) + el
body += tgt
body[10] += 1                                   # bTargets
struct.pack_into('<I', body, 6, len(body))      # DFUImageSize
out = bytes(body) + bytes(suffix)
open('both.dfu', 'wb').write(out + struct.pack('<I', ~zlib.crc32(out) & 0xFFFFFFFF))
PY
run 0 "$DFUSETOOL" dump both.dfu
has out "Option Bytes"

run 1 "$USBTEST" --exec -- "$DFUSETOOL" download both.dfu
# the board read before the check: two Set Address Pointer commands
# and two UPLOADs of the option bytes; nothing erased or written
has err "erases=0 dnloads=2 "
has err 'target 1 ("Option Bytes") is for alternate setting 1'
has err "-a 0 downloads the internal flash"

run 0 "$USBTEST" --exec --flash-out flash.bin -- "$DFUSETOOL" download -a 0 --verify both.dfu
flash_has flash.dfu flash.bin --blank-elsewhere
has err 'target 1 ("Option Bytes", alt 1, 1 element) is left alone'
# (the model has only the flash: a Set Address Pointer to 0x5200201C
# would have failed the run with errTARGET)
# -a 1 is a usage error
run 2 "$DFUSETOOL" download -a 1 both.dfu
has err "option bytes"
