# Bounded amplification: convert, merge and split of a .dfu holding one
# 24 MiB element keep one copy of its data (the reader's elements point
# into the buffer the file was read into; merge and split share those
# bytes).  Peak RSS (GNU time's %M) must stay under 1.5x the data plus
# 8 MiB: one copy passes with room to spare (about 1.0x + 3 MiB), two
# copies, as before, do not (2.0x + 3 MiB).  Not timed: memory only.
. "$LIB"
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time)" >&2; exit 77; }
if grep -q __asan_init "$DFUSETOOL" 2>/dev/null; then
	echo "AddressSanitizer's shadow memory makes RSS meaningless" >&2
	exit 77
fi
python3 - <<'PY'
import struct, zlib
data = bytes((i * 7 + (i >> 12)) & 0xFF for i in range(1 << 16)) * 384
# dwElementAddress dwElementSize, then the data
el = struct.pack('<II', 0x08000000, len(data)) + data
# szSignature bAlternateSetting bTargetNamed szTargetName[255]
# dwTargetSize dwNbElements
t = struct.pack('<6sBI255sII', b'Target', 0, 1, b'Internal Flash',
                len(el), 1) + el
# szSignature bVersion DFUImageSize bTargets
f = struct.pack('<5sBIB', b'DfuSe', 1, 11 + len(t), 1) + t
# bcdDevice idProduct idVendor bcdDFU ucDfuSignature bLength, dwCRC
f += struct.pack('<HHHH3sB', 0xFFFF, 0xDF11, 0x0483, 0x011A, b'UFD', 16)
f += struct.pack('<I', ~zlib.crc32(f) & 0xFFFFFFFF)
open('big.dfu', 'wb').write(f)
open('big.bin', 'wb').write(data)
PY
data=$(wc -c < big.bin)
limit=$(( (data * 3 / 2 + 8 * 1048576) / 1024 ))
rss() { # CMD... : runs it, checks the peak RSS in KiB
	/usr/bin/time -f %M -o rss "$DFUSETOOL" "$@" >out 2>err ||
		fail "$* failed: $(tail -n 1 err)"
	k=$(tail -n 1 rss)
	[ "$k" -le "$limit" ] || fail "$1: peak RSS $k KiB over $limit KiB"
}
rss convert big.dfu -o out.hex
rss convert big.dfu -o out.bin
cmp out.bin big.bin || fail "convert changed the bytes"
rss merge --force big.dfu -o merged.dfu
cmp merged.dfu big.dfu || fail "merge of one file is not that file"
rss split --force big.dfu -o parts
cmp parts/cm7.dfu big.dfu || fail "split of one CM7 element is not that file"

# The per-element cost: 65,536 one-byte elements 64 bytes apart, the
# most an input may give at the default 64 MiB limit (one element per
# KiB: DFUSE_MAX_ELEMENTS).  Each element costs its records (the
# reader's, the result's, merge's working ones), not its byte, so the
# bound is per element, with room: about 185 bytes per element for
# convert, 320 for merge (most of it the check's findings) and 135 for
# split.  At the limit that is the "constant" of the 2x bound: under
# 24 MiB whatever the file's shape.  One element more is refused by the
# reader (too-many-elements) before any of that is spent.
python3 - <<'PY'
import struct, zlib
def dfu(n, name):
    # per element: dwElementAddress dwElementSize, one data byte
    el = b''.join(struct.pack('<IIB', 0x08000000 + 64 * i, 1, i & 0xFF)
                  for i in range(n))
    # szSignature bAlternateSetting bTargetNamed szTargetName[255]
    # dwTargetSize dwNbElements
    t = struct.pack('<6sBI255sII', b'Target', 0, 1, b'Internal Flash',
                    len(el), n) + el
    # szSignature bVersion DFUImageSize bTargets
    f = struct.pack('<5sBIB', b'DfuSe', 1, 11 + len(t), 1) + t
    # bcdDevice idProduct idVendor bcdDFU ucDfuSignature bLength, dwCRC
    f += struct.pack('<HHHH3sB', 0xFFFF, 0xDF11, 0x0483, 0x011A, b'UFD', 16)
    f += struct.pack('<I', ~zlib.crc32(f) & 0xFFFFFFFF)
    open(name, 'wb').write(f)
dfu(65536, 'many.dfu')
dfu(65537, 'over.dfu')
PY
per() { # BYTES_PER_ELEMENT: the limit in KiB for 65,536 elements + 2 MiB
	limit=$(( ($1 * 65536 + 2 * 1048576) / 1024 ))
	[ "$limit" -le $(( 24 * 1024 )) ] || fail "bound $limit KiB over 24 MiB"
}
rm -rf parts
per 230; rss convert many.dfu -o many.hex
per 320; rss merge --force many.dfu -o many-merged.dfu
cmp many-merged.dfu many.dfu || fail "merge of many elements is not that file"
per 200; rss split --force many.dfu -o parts

# one element over the limit: refused, naming the element and the option
for cmd in "convert over.dfu -o over.hex" "merge --force over.dfu -o o.dfu" \
	"split --force over.dfu -o oparts" "check over.dfu"; do
	# shellcheck disable=SC2086
	run 1 "$DFUSETOOL" $cmd
	cat out err >both # check reports on stdout, the others on stderr
	has both "offset 0x9011d: error: target 0 element 65536 at offset 0x9011d: the file has more than 65536 elements"
	has both "[too-many-elements]"
	has both "a larger --max-input-size SIZE raises the element limit"
done
[ ! -e over.hex ] && [ ! -e o.dfu ] && [ ! -e oparts ] ||
	fail "a refused file was written"
run 0 "$DFUSETOOL" convert --max-input-size 128M over.dfu -o over.hex
