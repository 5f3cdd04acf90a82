# A plain DFU 1.x file (raw bytes + a DFU suffix, no DfuSe prefix, made by
# dfu-util's dfu-suffix, an independent tool) given as FILE@ADDR loads
# its payload only, with a note; a raw binary whose last 16 bytes only
# look like a suffix (wrong CRC) keeps every byte.
. "$LIB"
need dfu-suffix
S=$SAMPLES/h745-blinky
cp "$S/cm7.bin" app.dfu
dfu-suffix -v 0483 -p df11 -a app.dfu >/dev/null
[ "$(wc -c < app.dfu)" -eq $(( $(wc -c < "$S/cm7.bin") + 16 )) ] || fail "dfu-suffix did not add 16 bytes"
run 0 dfusetool build app.dfu@0x08000000 -o from-dfu.dfu
has err "'app.dfu': a plain DFU file (suffix VID:PID 0483:df11"
has err "16-byte DFU suffix was left out"
run 0 dfusetool build "$S/cm7.bin@0x08000000" -o from-bin.dfu
cmp from-dfu.dfu from-bin.dfu || fail "the suffix became firmware"
run 0 dfusetool check app.dfu@0x08000000
has out "0 errors,"
run 0 dfusetool check -v app.dfu@0x08000000
has err "read as dfu"
# convert and merge take it the same way
run 0 dfusetool convert app.dfu@0x08000000 -o app.bin
cmp app.bin "$S/cm7.bin" || fail "convert kept the suffix"
run 0 dfusetool merge -o merged.dfu app.dfu@0x08000000
# a fake suffix: "UFD" and bLength 16 in place, CRC wrong (dfu-suffix's
# CRC with its low byte flipped): data, all of it
cp app.dfu fake.bin
python3 - <<'PY'
b = bytearray(open('fake.bin', 'rb').read())
assert b[-5] == 16 and b[-8:-5] == b'UFD', b[-16:]
b[-4] ^= 0xFF
open('fake.bin', 'wb').write(b)
PY
run 0 dfusetool build fake.bin@0x08000000 -o fake.dfu
hasnt err "plain DFU"
run 0 dfusetool dump --json fake.dfu
python3 -c "
import json, os
j = json.load(open('out'))
e = j['targets'][0]['elements'][0]
assert e['size'] >= os.path.getsize('fake.bin'), e"
# a plain DFU file needs @ADDR like a raw binary
run 1 dfusetool build app.dfu -o x.dfu
has err "needs a load address"
