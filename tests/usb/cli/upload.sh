# dfusetool upload: a round trip through the emulated H7 ROM for .dfu, .hex
# and .bin, with and without --trim; the .dfu's target and suffix IDs; a
# read changes nothing on the board; failures write nothing.
#
# The oracle is the model's own flash (--flash-out after a download), not
# our reader: flash_has.py checks every element of a .dfu against it, and
# a second download of what upload wrote must give the same flash.
. "$LIB"
"$DFUSETOOL" upload --help >/dev/null 2>&1 || skip "'dfusetool upload' is not a command yet"
need python3
flash_has() { python3 "$ROOT/tests/usb/cli/flash_has.py" "$@"; }
S=$SAMPLES/h745-blinky

run 0 "$DFUSETOOL" build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o release.dfu
run 0 "$USBTEST" --exec --flash-out f1 -- "$DFUSETOOL" download release.dfu
flash_has release.dfu f1 --blank-elsewhere

# --trim to .dfu: only the words that hold data, and nothing else
run 0 "$USBTEST" --exec --flash-in f1 --flash-out f1b -- "$DFUSETOOL" upload --trim -o back.dfu
has err "erases=0 "
cmp f1 f1b || fail "upload changed the flash"
flash_has back.dfu f1 --blank-elsewhere
has out "erased bytes left out"
# one target, alt 0, named as the device's alt 0; the device's IDs; and
# elements only on whole 32-byte flash words (RM0399: 256-bit words)
python3 - <<'PY' || fail "back.dfu: target or suffix"
import struct
d = open('back.dfu', 'rb').read()
assert d[:5] == b'DfuSe' and d[10] == 1, 'one target'
alt, named, name = d[11 + 6], struct.unpack_from('<I', d, 18)[0], d[22:22 + 255].rstrip(b'\0')
assert (alt, named, name) == (0, 1, b'Internal Flash'), (alt, named, name)
bcd, pid, vid = struct.unpack_from('<HHH', d, len(d) - 16)
assert (vid, pid, bcd) == (0x0483, 0xDF11, 0x0200), (hex(vid), hex(pid), hex(bcd))
nel = struct.unpack_from('<I', d, 11 + 270)[0]
off, total = 11 + 274, 0
for e in range(nel):
    a, s = struct.unpack_from('<II', d, off)
    assert a % 32 == 0 and s % 32 == 0, (hex(a), s)
    off += 8 + s
    total += s
assert nel >= 2 and total < 4096, (nel, total)
PY
# and it downloads back to the same flash
run 0 "$USBTEST" --exec --flash-out f2 -- "$DFUSETOOL" download back.dfu
cmp f1 f2 || fail "download of the upload differs from the first download"

# without --trim: the whole alt-0 flash, 2 MiB in one element
run 0 "$USBTEST" --exec --flash-in f1 -- "$DFUSETOOL" upload -o full.dfu
flash_has full.dfu f1
python3 - <<'PY' || fail "full.dfu is not one 2 MiB element at 0x08000000"
import struct
d = open('full.dfu', 'rb').read()
assert struct.unpack_from('<I', d, 11 + 270)[0] == 1
assert struct.unpack_from('<II', d, 11 + 274) == (0x08000000, 2 << 20)
PY

# .hex, with and without --trim, read back by convert
run 0 "$USBTEST" --exec --flash-in f1 -- "$DFUSETOOL" upload --trim -o back.hex
run 0 "$DFUSETOOL" convert back.hex -o hex.dfu
flash_has hex.dfu f1 --blank-elsewhere
run 0 "$USBTEST" --exec --flash-in f1 -- "$DFUSETOOL" upload --cm4 -o cm4.hex
run 0 "$DFUSETOOL" convert cm4.hex -o cm4hex.bin
python3 -c "import sys; sys.exit(open('cm4hex.bin','rb').read() != open('f1','rb').read()[1 << 20:])" ||
	fail "cm4.hex is not bank 2"

# .bin: one range, the bytes as they are
run 0 "$USBTEST" --exec --flash-in f1 -- "$DFUSETOOL" upload --cm7 -o cm7.bin
[ "$(wc -c <cm7.bin)" -eq 1048576 ] || fail "cm7.bin is $(wc -c <cm7.bin) bytes"
cmp -n 1048576 cm7.bin f1 || fail "cm7.bin is not bank 1"
# --trim of bank 2 keeps one run (the CM4 image): a .bin of it starts there
run 0 "$USBTEST" --exec --flash-in f1 -- "$DFUSETOOL" upload --cm4 --trim --format bin -o cm4.raw
run 0 "$DFUSETOOL" convert cm4.raw@0x08100000 -o cm4raw.dfu
flash_has cm4raw.dfu f1
# the image is two runs (one per bank): a raw binary cannot hold them
run 2 "$USBTEST" --exec --flash-in f1 -- "$DFUSETOOL" upload --trim -o all.bin
has err "one start address"
[ ! -e all.bin ] || fail "all.bin was written"
run 2 "$DFUSETOOL" upload --range 0x08000000:0x08000100 --range 0x08100000:0x08100100 -o two.bin
has err "one start address"

# usage errors: no -o, an unknown extension, --all with a scope, a bad range
run 2 "$DFUSETOOL" upload
has err "give -o OUT"
run 2 "$DFUSETOOL" upload -o x.txt
has err "--format"
run 2 "$DFUSETOOL" upload --all --cm7 -o x.dfu
run 2 "$DFUSETOOL" upload --range 0x08000100:0x08000000 -o x.dfu
has err "(B is not read)"

# a range outside the readable flash: nothing read, nothing written, and
# an existing output is left alone
echo keep >kept.dfu
run 1 "$USBTEST" --exec -- "$DFUSETOOL" upload --range 0x081FFF00:0x08200100 -o kept.dfu
has err "0x08200000 is not in a readable segment of alt 0"
has err "uploads=0 "
[ "$(cat kept.dfu)" = keep ] || fail "kept.dfu was replaced"
# no device
run 1 "$DFUSETOOL" upload -o none.dfu
[ ! -e none.dfu ] || fail "none.dfu was written"

# --json
run 0 "$USBTEST" --exec --flash-in f1 -- "$DFUSETOOL" upload --json --trim --cm4 -o cm4.dfu
pyjson out "d['ok'] and d['error'] is None and d['ranges'] == [{'address': 0x08100000, 'size': 1 << 20}]"
pyjson out "d['bytes'] == 1 << 20 and d['transfers'] == 1024 and d['format'] == 'dfuse' and d['output'] == 'cm4.dfu'"
pyjson out "d['device']['vid'] == 0x0483 and d['device']['pid'] == 0xDF11 and d['device']['path'] == '1-1'"
pyjson out "d['trimmed_bytes'] + d['bytes_written'] == 1 << 20 and d['runs'] == 1 and d['written']"
run 1 "$USBTEST" --exec -- "$DFUSETOOL" upload --json --range 0x30000000:0x30000100 -o x.dfu
pyjson out "d['ok'] is False and d['error']['message'] != '' and not d['written']"
[ ! -e x.dfu ] || fail "x.dfu was written"

# The EXAMPLES of dfusetool-upload(1), word for word (tests/check-man.sh
# looks for them here).
run 0 "$USBTEST" --exec --flash-in f1 -- dfusetool upload -o backup.dfu
flash_has backup.dfu f1
run 0 "$USBTEST" --exec --flash-in f1 -- dfusetool upload --cm4 --trim -o cm4.hex
run 0 "$USBTEST" --exec --flash-in f1 -- dfusetool upload --range 0x08000000:0x08020000 -o sector0.bin
cmp -n 131072 sector0.bin f1 || fail "sector0.bin"
[ "$(wc -c <sector0.bin)" -eq 131072 ] || fail "sector0.bin size"
