#!/usr/bin/env python3
"""An independent DfuSe reader for the tests, written from UM0391 §2 and DFU 1.1
Appendix B with nothing shared with libdfuse: it checks our writer's bytes
field by field.  usage: dfuse_ref.py FILE.dfu  -> JSON on stdout; exits 1
if the file breaks any rule.  Element data is written to
FILE.t<T>.e<E>.bin when --extract is given."""
import json
import struct
import sys
import zlib


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    extract = '--extract' in sys.argv
    path = args[0]
    data = open(path, 'rb').read()
    problems = []
    sig, ver, image_size, ntargets = struct.unpack_from('<5sBIB', data, 0)
    if sig != b'DfuSe':
        problems.append('prefix signature %r' % sig)
    if ver != 1:
        problems.append('bVersion %d' % ver)
    if image_size != len(data) - 16:
        problems.append('DFUImageSize %d, file-16 is %d' % (image_size, len(data) - 16))
    off = 11
    targets = []
    for t in range(ntargets):
        tsig, alt, named, name, tsize, nel = struct.unpack_from('<6sBI255sII', data, off)
        if tsig != b'Target':
            problems.append('target %d signature %r' % (t, tsig))
        off += 274
        start = off
        els = []
        for e in range(nel):
            addr, size = struct.unpack_from('<II', data, off)
            off += 8
            blob = data[off:off + size]
            if len(blob) != size:
                problems.append('target %d element %d past the end' % (t, e))
            if extract:
                open('%s.t%d.e%d.bin' % (path, t, e), 'wb').write(blob)
            els.append({'address': addr, 'size': size})
            off += size
        if off - start != tsize:
            problems.append('target %d dwTargetSize %d, elements hold %d' % (t, tsize, off - start))
        targets.append({'alt': alt, 'named': named, 'name': name.split(b'\0')[0].decode('latin-1'),
                        'name_padding_clean': all(b == 0 for b in name[len(name.split(b'\0')[0]):]),
                        'size': tsize, 'elements': els})
    if off != len(data) - 16:
        problems.append('%d bytes between the targets and the suffix' % (len(data) - 16 - off))
    bcd_dev, pid, vid, bcd_dfu, usig, blen, crc = struct.unpack_from('<HHHH3sBI', data, len(data) - 16)
    if usig != b'UFD':
        problems.append('suffix signature %r' % usig)
    if blen != 16:
        problems.append('bLength %d' % blen)
    if bcd_dfu != 0x011A:
        problems.append('bcdDFU 0x%04x' % bcd_dfu)
    want = ~zlib.crc32(data[:-4]) & 0xFFFFFFFF
    if crc != want:
        problems.append('CRC 0x%08x, computed 0x%08x' % (crc, want))
    print(json.dumps({'size': len(data), 'image_size': image_size, 'targets': targets,
                      'bcdDevice': bcd_dev, 'idProduct': pid, 'idVendor': vid,
                      'bcdDFU': bcd_dfu, 'crc': crc, 'problems': problems}, indent=1))
    sys.exit(1 if problems else 0)


main()
