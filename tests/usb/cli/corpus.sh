# dfusetool download of .dfu files other tools wrote (../shared/corpus):
# read as dump reads them, so a convention other tools differ on is told,
# not fatal; only structural errors and a bad CRC refuse, before any
# transfer.
#  - ST's DFU File Manager writes 0483:0000 (PID unset): downloaded, and
#    a note says the 0000 is not compared;
#  - 32blit's DFUImageSize is one short: downloaded, with the warning;
#  - a flipped data byte (CRC mismatch): refused with nothing sent.
. "$LIB"
need python3
flash_has() { python3 "$ROOT/tests/usb/cli/flash_has.py" "$@"; }
C=$ROOT/../shared/corpus/realworld
[ -d "$C" ] || skip "no corpus at $C"

st=$C/st-STM32H745I-DISCO_STM32H745I_DISCO_USBD-FS_0x08020000.dfu
run 0 "$USBTEST" --exec --flash-out f1 -- "$DFUSETOOL" download --verify "$st"
flash_has "$st" f1 --blank-elsewhere
has err "IDs 0483:0000 are not compared where they are 0000"
hasnt err "vid-pid-mismatch"

bl=$C/32blit-flash-loader-a.dfu
run 0 "$USBTEST" --exec --flash-out f2 -- "$DFUSETOOL" download --verify "$bl"
flash_has "$bl" f2 --blank-elsewhere
has err "image-size-mismatch"

python3 - "$st" <<'PY'
import sys
d = bytearray(open(sys.argv[1], 'rb').read())
d[300] ^= 0x01  # inside the element's data
open('crc.dfu', 'wb').write(d)
PY
run 1 "$USBTEST" --exec -- "$DFUSETOOL" download crc.dfu
has err "crc-mismatch"
has err "refused before any transfer"
has err "erases=0 dnloads=0"
