#!/usr/bin/env python3
"""Writes DfuSe files field by field (UM0391 §2) for the CLI
tests that need several targets, odd names or a layout our writer would
never make: imported by the tests' inline python, never by libdfuse.

    import sys; sys.path.insert(0, ROOT + '/tests/cli'); import dfugen
    dfugen.write('x.dfu', [(0, b'Internal Flash', [(0x08000000, data)])])

A target is (alt, name, elements) or (alt, name, elements, named); name is
bytes (up to 255, NUL-padded), named the bTargetNamed value (default 1 if
name else 0).  image_size: 'excl' (file size - 16, the usual), 'incl'
(dfuse-pack's whole file size) or a number."""
import struct
import zlib


def vectors(sp, reset, size, fill=0xA5):
    """size bytes: initial SP and reset vector, then `fill`."""
    return struct.pack('<II', sp, reset) + bytes([fill]) * (size - 8)


def pattern(size, seed):
    """size reproducible bytes (a linear congruential sequence)."""
    out = bytearray(size)
    x = seed & 0xFFFFFFFF
    for i in range(size):
        x = (x * 1103515245 + 12345) & 0xFFFFFFFF
        out[i] = (x >> 16) & 0xFF
    return bytes(out)


def build(targets, bcd=0xFFFF, pid=0xDF11, vid=0x0483, image_size='excl',
          trailing=b'', crc=None, **kw):
    body = b''
    for t in targets:
        alt, name, elements = t[0], t[1], t[2]
        named = t[3] if len(t) > 3 and t[3] is not None else \
            (1 if name else 0)
        fields = t[4] if len(t) > 4 else {}
        # dwElementAddress dwElementSize, then the data
        data = b''.join(struct.pack('<II', e[0], e[2] if len(e) > 2
                                    else len(e[1])) + e[1]
                        for e in elements)
        # szSignature bAlternateSetting bTargetNamed szTargetName[255]
        # dwTargetSize dwNbElements
        body += struct.pack('<6sBI255sII', b'Target', alt, named, name,
                            fields.get('size', len(data)),
                            fields.get('count', len(elements))) + data
    body += trailing
    total = 11 + len(body) + 16
    size = {'excl': total - 16, 'incl': total}.get(image_size, image_size)
    # szSignature bVersion DFUImageSize bTargets
    out = struct.pack('<5sBIB', b'DfuSe', 1, size,
                      kw.get('btargets', len(targets))) + body
    # bcdDevice idProduct idVendor bcdDFU ucDfuSignature bLength
    out += struct.pack('<HHHH3sB', bcd, pid, vid, 0x011A, b'UFD', 16)
    if crc is None:
        crc = ~zlib.crc32(out) & 0xFFFFFFFF  # dwCRC
    return out + struct.pack('<I', crc)


def write(path, targets, **kw):
    open(path, 'wb').write(build(targets, **kw))
