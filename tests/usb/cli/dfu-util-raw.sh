# Faithfulness of the model (issue 4, Tests 3): a raw download with
# Debian's dfu-util 0.11, `-a 0 -s 0x08000000 -D file.bin`, onto flash
# preloaded with a pattern, then the same with `:leave`.
#
# What dfu-util 0.11 sends (the --log): for the element, one DfuSe page
# erase (DNLOAD block 0, 0x41 ADDR) per 128 KiB sector it touches -- here
# one, sector 0 -- polled by GETSTATUS through dfuDNBUSY; then per 1 KiB
# chunk a SET_ADDRESS (0x21 ADDR) and the data as DNLOAD block 2, each
# followed by two GETSTATUS (dfuDNBUSY, then dfuDNLOAD_IDLE).  Without
# :leave it ends with ABORT + GETSTATUS (dfuIDLE); with :leave it sends
# SET_ADDRESS 0x08000000, a zero-length DNLOAD block 2 and one GETSTATUS
# (dfuMANIFEST) and exits 0.  A raw file has no DFU suffix: dfu-util warns
# and goes on.
. "$LIB"
need dfu-util python3
field() { sed -n "s/^model:.* $1=\([^ ]*\).*/\1/p" err | tail -n 1; }

python3 - <<'PY'
open('small.bin', 'wb').write(bytes((i * 7 + (i >> 8) * 13 + 1) & 0xFF for i in range(4096)))
open('pat.bin', 'wb').write((bytes(range(251)) * 8356)[:2 << 20])
PY
# check FLASH: small.bin at 0x08000000, the rest of sector 0 erased, the
# other 15 sectors still the preloaded pattern.
check() {
	python3 - "$1" <<'PY' || fail "the flash after dfu-util's download is wrong"
import sys
f = open(sys.argv[1], 'rb').read()
d = open('small.bin', 'rb').read()
p = open('pat.bin', 'rb').read()
S = 128 << 10
assert len(f) == 2 << 20, 'flash-out is %d bytes' % len(f)
assert f[:4096] == d, 'the data is not at 0x08000000'
assert f[4096:S] == b'\xff' * (S - 4096), 'sector 0 is not erased after the data'
assert f[S:] == p[S:], 'dfu-util changed a sector beyond sector 0'
print('flash ok')
PY
}

run 0 "$USBTEST" --exec --flash-in pat.bin --flash-out flash.bin --log log -- dfu-util -a 0 -s 0x08000000 -D small.bin
has out "Downloading element to address = 0x08000000, size = 4096"
has out "File downloaded successfully"
check flash.bin
# one sector erase; 4 x (SET_ADDRESS + data block 2); no leave; ABORT
has err "erases=1 dnloads=9 clrstatus=0 left=no uploads=0 aborts=1 "
has err "state=2 status=0"
[ "$(awk '$3 == "DNLOAD" && $6 == "0x41"' log | wc -l)" -eq 1 ] || fail "not one erase in the log"
[ "$(awk '$3 == "DNLOAD" && $6 == "0x21"' log | wc -l)" -eq 4 ] || fail "not one SET_ADDRESS per chunk"
[ "$(awk '$3 == "DNLOAD" && $4 == 2 && $5 == 1024' log | wc -l)" -eq 4 ] || fail "not 4 data blocks of 1 KiB"
# the erase comes first, the ABORT + GETSTATUS last
awk '$3 == "DNLOAD" { print $6; exit }' log | grep -qx 0x41 || fail "the first DNLOAD is not the erase"
[ "$(tail -n 2 log | awk '{ print $3 }' | tr '\n' ' ')" = "ABORT GETSTATUS " ] || { cat log >&2; fail "no ABORT at the end"; }
# nothing but GETSTATUS, DNLOAD and ABORT
[ "$(awk '$3 != "GETSTATUS" && $3 != "DNLOAD" && $3 != "ABORT"' log | wc -l)" -eq 0 ] || { cat log >&2; fail "unexpected requests"; }

# The same with :leave: the model leaves to 0x08000000 and dfu-util exits 0.
run 0 "$USBTEST" --exec --flash-in pat.bin --flash-out flash2.bin --log log2 -- dfu-util -a 0 -s 0x08000000:leave -D small.bin
has out "Submitting leave request..."
check flash2.bin
has err "left=0x08000000"
# the leave request: SET_ADDRESS 0x08000000, a zero-length DNLOAD, one GETSTATUS
[ "$(tail -n 5 log2 | awk '{ print $3, $4, $5, $6 }' | tr '\n' ';')" = "DNLOAD 0 5 0x21;GETSTATUS 0 6 -;GETSTATUS 0 6 -;DNLOAD 2 0 -;GETSTATUS 0 6 -;" ] ||
	{ cat log2 >&2; fail "no SET_ADDRESS + zero-length DNLOAD to leave"; }
