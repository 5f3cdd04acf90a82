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
