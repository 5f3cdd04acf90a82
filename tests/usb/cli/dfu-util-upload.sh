# Faithfulness of the model (issue 4, Tests 3): Debian's dfu-util 0.11
# uploads `-a 0 -s 0x08000000:4096 -U out.bin` from flash preloaded with a
# known pattern (--flash-in) and gets those bytes.
#
# What dfu-util 0.11 sends (the --log): SET_ADDRESS 0x08000000 (DNLOAD
# block 0, 0x21) and two GETSTATUS; ABORT + GETSTATUS back to dfuIDLE;
# UPLOAD blocks 2, 3, 4, 5 of 1 KiB; ABORT + GETSTATUS.  It changes nothing.
. "$LIB"
need dfu-util python3

python3 - <<'PY'
open('pat.bin', 'wb').write((bytes(range(251)) * 8356)[:2 << 20])
PY
run 0 "$USBTEST" --exec --flash-in pat.bin --flash-out flash.bin --log log -- dfu-util -a 0 -s 0x08000000:4096 -U out.bin
has out "Upload done."
[ "$(wc -c <out.bin)" -eq 4096 ] || fail "out.bin is $(wc -c <out.bin) bytes"
cmp -n 4096 pat.bin out.bin || fail "the upload differs from the flash"
cmp pat.bin flash.bin || fail "the upload changed the flash"
has err "erases=0 dnloads=1 clrstatus=0 left=no uploads=4 aborts=2 "
has err "state=2 status=0"
[ "$(awk '$3 == "UPLOAD" { printf "%s:%s:%s ", $4, $5, $7 }' log)" = "2:1024:1024 3:1024:1024 4:1024:1024 5:1024:1024 " ] ||
	{ cat log >&2; fail "not UPLOAD blocks 2..5 of 1 KiB"; }
awk '$3 == "DNLOAD" { print $6 }' log | grep -qx 0x21 || fail "no SET_ADDRESS before the upload"

# An upload from further in, across a sector boundary (bank 1 end / bank 2).
run 0 "$USBTEST" --exec --flash-in pat.bin -- dfu-util -a 0 -s 0x080FF800:4096 -U out2.bin
python3 - <<'PY' || fail "the upload at 0x080FF800 differs from the flash"
assert open('out2.bin', 'rb').read() == open('pat.bin', 'rb').read()[0xFF800:0xFF800 + 4096]
PY
