#!/usr/bin/env python3
"""usage: flash_has.py IMAGE.dfu FLASH.bin [--blank-elsewhere]
Exits 0 when every element of every target of IMAGE.dfu is at its address
in FLASH.bin, a 2 MiB dump of flash at 0x08000000 (usbtest --flash-out);
else 1 with the first differing address.  With --blank-elsewhere, every
byte no element covers must be 0xFF, too (a download onto a blank part)."""
import struct
import sys

BASE, SIZE = 0x08000000, 2 << 20
img = open(sys.argv[1], 'rb').read()
flash = open(sys.argv[2], 'rb').read()
if img[:5] != b'DfuSe' or len(flash) != SIZE:
    sys.exit('usage: flash_has.py IMAGE.dfu FLASH.bin [--blank-elsewhere]')
covered = bytearray(SIZE)
off, total = 11, 0
for t in range(img[10]):
    nel = struct.unpack_from('<I', img, off + 270)[0]
    off += 274
    for e in range(nel):
        a, s = struct.unpack_from('<II', img, off)
        want = img[off + 8:off + 8 + s]
        off += 8 + s
        got = flash[a - BASE:a - BASE + s] if BASE <= a < BASE + SIZE else b''
        if got != want:
            i = next((i for i in range(min(len(got), s)) if got[i] != want[i]), len(got))
            sys.exit('%s: element 0x%08x (%d bytes) differs from the flash at 0x%08x'
                     % (sys.argv[1], a, s, a + i))
        covered[a - BASE:a - BASE + s] = b'\1' * s
        total += s
if '--blank-elsewhere' in sys.argv[3:]:
    for i in range(SIZE):
        if not covered[i] and flash[i] != 0xFF:
            sys.exit('%s: 0x%08x is 0x%02x, not erased, outside the image'
                     % (sys.argv[2], BASE + i, flash[i]))
print('%s: the flash holds all %d bytes' % (sys.argv[1], total))
