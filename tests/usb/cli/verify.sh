# dfusetool verify: an equal board exits 0 with one "equal" line per
# sector; one flipped byte in the last block of bank 2 is found with its
# address (exit 1); a byte where the image writes nothing is told apart;
# nothing is ever erased or written.  The flash is edited by hand here
# (python on the model's --flash-out), so the expected addresses and bytes
# are ours, not the tool's.
. "$LIB"
"$DFUSETOOL" verify --help >/dev/null 2>&1 || skip "'dfusetool verify' is not a command yet"
need python3
ln -s "$SAMPLES" samples
S=samples/h745-blinky

# an image that fills bank 2 to its last byte (the CM4's 1 MiB)
python3 - "$S" <<'PY'
import hashlib, sys
b = open('%s/cm4.bin' % sys.argv[1], 'rb').read()
open('cm4.bin', 'wb').write(b + hashlib.shake_128(b'cm4').digest((1 << 20) - len(b)))
PY
run 0 dfusetool build --cm7 "$S/cm7.elf" --cm4 cm4.bin -o img.dfu
run 0 "$USBTEST" --exec --flash-out f1 -- dfusetool download img.dfu

run 0 "$USBTEST" --exec --flash-in f1 --flash-out f1b -- dfusetool verify img.dfu
cmp f1 f1b || fail "verify changed the flash"
has err "erases=0 "
[ "$(grep -c 'KiB  equal$' out)" -eq 9 ] || fail "not 9 equal sectors (1 in bank 1, 8 in bank 2)"
grep -qx '0x08000000 128 KiB  equal' out || fail "no line for sector 0"
grep -qx '0x081e0000 128 KiB  equal' out || fail "no line for the last sector"
has out "9 sectors equal"

# flip the last byte of bank 2 (0x081FFFFF, in the last UPLOAD block)
python3 - <<'PY'
f = bytearray(open('f1', 'rb').read())
open('want', 'w').write('0x081e0000 128 KiB  differs at 0x081FFFFF: the board has 0x%02X, the image 0x%02X\n'
                        % (f[-1] ^ 0x5A, f[-1]))
f[-1] ^= 0x5A
open('f2', 'wb').write(f)
PY
run 1 "$USBTEST" --exec --flash-in f2 -- dfusetool verify img.dfu
grep -qxF "$(cat want)" out || { cat out; fail "expected: $(cat want)"; }
[ "$(grep -c 'KiB  equal$' out)" -eq 8 ] || fail "not 8 equal sectors"
has err "1 of 9 sectors differs"

# a byte the image does not write: sector 0 past the CM7 image
python3 - <<'PY'
f = bytearray(open('f1', 'rb').read())
f[0x4000] = 0x12
open('f3', 'wb').write(f)
PY
run 1 "$USBTEST" --exec --flash-in f3 -- dfusetool verify img.dfu
grep -qx '0x08000000 128 KiB  differs at 0x08004000: the board has 0x12 where the image writes nothing (a download leaves 0xFF)' out ||
	fail "the byte at 0x08004000"

# --json, equal and not
run 0 "$USBTEST" --exec --flash-in f1 -- dfusetool verify --json img.dfu
pyjson out "d['ok'] and d['equal'] is True and d['sectors_compared'] == 9 and len(d['sectors']) == 9"
pyjson out "all(s['equal'] for s in d['sectors']) and d['sectors'][0]['address'] == 0x08000000"
run 1 "$USBTEST" --exec --flash-in f2 -- dfusetool verify --json img.dfu
pyjson out "d['ok'] and d['equal'] is False and d['sectors_equal'] == 8"
pyjson out "[s['first_difference'] for s in d['sectors'] if not s['equal']] == [0x081FFFFF]"
pyjson out "[s['differing_bytes'] for s in d['sectors'] if not s['equal']] == [1]"
# no device: exit 1, JSON too
run 1 dfusetool verify --json img.dfu
pyjson out "d['ok'] is False and d['error'] is not None"
run 2 dfusetool verify

# verify costs no more than an upload of the sectors it covers
run 0 "$USBTEST" --exec --flash-in f1 -- dfusetool verify --json img.dfu
v=$(python3 -c "import json; print(json.load(open('out'))['transfers'])")
[ "$v" -le $((9 * 128)) ] || fail "verify made $v UPLOAD transfers for 9 sectors of 128 KiB"

# The EXAMPLES of dfusetool-verify(1), word for word (tests/check-man.sh).
run 0 dfusetool build --cm7 samples/h745-blinky/cm7.elf --cm4 samples/h745-blinky/cm4.elf -o release.dfu
run 0 "$USBTEST" --exec --flash-out f4 -- dfusetool download release.dfu
run 0 "$USBTEST" --exec --flash-in f4 -- dfusetool verify release.dfu
run 0 "$USBTEST" --exec --flash-in f4 -- dfusetool verify --json --cm7 samples/h745-blinky/cm7.elf --cm4 samples/h745-blinky/cm4.elf
pyjson out "d['equal'] is True"
