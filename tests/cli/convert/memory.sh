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

# The per-element cost: 200,000 one-byte elements 64 bytes apart (a 2 MB
# file).  Each element costs its records (the reader's, the result's,
# merge's working ones), not its byte, so the bound is per element, with
# room: about 185 bytes per element for convert, 320 for merge (most of it
# the check's findings: the elements run past the flash) and 135 for
# split.  Before names were shared and merge's records shrunk, convert
# took about 265 and merge about 400.
python3 - <<'PY'
import struct, zlib
n = 200000
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
open('many.dfu', 'wb').write(f)
PY
per() { # BYTES_PER_ELEMENT: the limit in KiB for 200,000 elements + 2 MiB
	limit=$(( ($1 * 200000 + 2 * 1048576) / 1024 ))
}
rm -rf parts
per 230; rss convert many.dfu -o many.hex
per 360; rss merge --force many.dfu -o many-merged.dfu
cmp many-merged.dfu many.dfu || fail "merge of many elements is not that file"
per 200; rss split --force many.dfu -o parts
