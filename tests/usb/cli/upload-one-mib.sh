# dfusetool upload of 1 MiB (bank 1) counted in transfers: one Set Address
# Pointer per 64 KiB and ceil(bytes / wTransferSize) = 1024 UPLOAD data
# transfers of 1024 bytes (wBlockNum 2 on, AN3156 §5.2), plus a constant.
. "$LIB"
"$DFUSETOOL" upload --help >/dev/null 2>&1 || skip "'dfusetool upload' is not a command yet"
need python3
field() { sed -n "s/^model:.* $1=\([^ ]*\).*/\1/p" err | tail -n 1; }
python3 - <<'PY'
import hashlib
open('pat.bin', 'wb').write(hashlib.shake_128(b'upload').digest(2 << 20))
PY
run 0 "$USBTEST" --exec --flash-in pat.bin --log log -- "$DFUSETOOL" upload --cm7 --json -o cm7.bin
cmp -n 1048576 cm7.bin pat.bin || fail "cm7.bin is not bank 1"
pyjson out "d['transfers'] == 1024 and d['bytes'] == 1048576"
data=$(awk '$3 == "UPLOAD" && $4 >= 2 && $5 == 1024' log | wc -l)
[ "$data" -eq 1024 ] || fail "$data UPLOAD data transfers of 1 KiB, expected 1024"
# the rest: the option-byte and ID reads and the like, a constant
[ "$(field uploads)" -le 1030 ] || fail "uploads=$(field uploads) for 1024 data blocks"
sa=$(awk '$3 == "DNLOAD" && $4 == 0 && $6 == "0x21"' log | wc -l)
[ "$sa" -le 20 ] || fail "$sa Set Address Pointer commands for 16 chunks of 64 KiB"
[ "$(field erases)" -eq 0 ] || fail "an upload erased"
