#!/usr/bin/env python3
"""Malformed DfuSe files that would drop or invent data if a tool trusted
them, each written byte field by byte field (UM0391's layout: an 11-byte
prefix, 274-byte target prefixes, 8-byte element headers, the 16-byte DFU
suffix; all little-endian).  Used by tests/cli/refuse and tests/usb/cli:
every command must refuse each of them before it sends or writes anything.

    python3 badfiles.py DIR     writes DIR/<name>.dfu for every case and
                                prints the names, one per line
"""
import os
import struct
import sys
import zlib

CM7 = 0x08000000          # bank 1: the CM7 boots here
CM4 = 0x08100000          # bank 2: the CM4 boots here


def vectors(sp, reset, size, fill):
    """A vector table's first two words (initial SP, Thumb reset vector),
    then `fill` bytes up to `size`."""
    return struct.pack('<II', sp, reset) + bytes([fill]) * (size - 8)


# A CM7 image (SP at the end of DTCM) and a CM4 image (SP in D2 SRAM).
CM7_DATA = vectors(0x20020000 - 32, CM7 + 0x299, 1024, 0x5A)
CM4_DATA = vectors(0x10048000 - 32, CM4 + 0x299, 1216, 0xA5)


def element(address, data, size=None):
    # dwElementAddress, dwElementSize, then the data
    return struct.pack('<II', address,
                       len(data) if size is None else size) + data


def target(elements, alt=0, name=b'Internal Flash', count=None, size=None):
    body = b''.join(elements)
    # szSignature, bAlternateSetting, bTargetNamed, szTargetName[255],
    # dwTargetSize, dwNbElements
    return struct.pack('<6sBI255sII', b'Target', alt, 1, name,
                       len(body) if size is None else size,
                       len(elements) if count is None else count) + body


def dfuse(targets, ntargets=None, tail=b'', crc_delta=0):
    body = b''.join(targets) + tail
    # szSignature, bVersion, DFUImageSize (file size - 16), bTargets
    out = struct.pack('<5sBIB', b'DfuSe', 1, 11 + len(body),
                      len(targets) if ntargets is None else ntargets) + body
    # bcdDevice, idProduct, idVendor, bcdDFU, ucDfuSignature, bLength
    out += struct.pack('<HHHH3sB', 0xFFFF, 0xDF11, 0x0483, 0x011A, b'UFD', 16)
    return out + struct.pack('<I', (~zlib.crc32(out) + crc_delta) & 0xFFFFFFFF)


def plain_dfu(payload):
    """A DFU 1.0 file: firmware bytes, then the suffix (bcdDFU 0x0100)."""
    out = payload + struct.pack('<HHHH3sB', 0xFFFF, 0xDF11, 0x0483, 0x0100,
                                b'UFD', 16)
    return out + struct.pack('<I', ~zlib.crc32(out) & 0xFFFFFFFF)


def cases():
    e7, e4 = element(CM7, CM7_DATA), element(CM4, CM4_DATA)
    both = len(e7) + len(e4)
    return {
        # dwNbElements 1 for two elements; dwTargetSize covers both: the
        # CM4 element would be dropped
        'count-short': dfuse([target([e7, e4], count=1)]),
        # dwNbElements and dwTargetSize both say one element
        'count-short-size-short': dfuse([target([e7, e4], count=1,
                                                size=len(e7))]),
        # dwNbElements 3 for two elements, at the end of the file
        'count-long': dfuse([target([e7, e4], count=3)]),
        # dwNbElements 2 for one element, with a second target after it
        'count-long-mid': dfuse([target([e7], count=2),
                                 target([e4], name=b'CM4')]),
        # bTargets 1 for two targets: the CM4 target would be dropped
        'targets-short': dfuse([target([e7]), target([e4], name=b'CM4')],
                               ntargets=1),
        # bTargets 3 for two targets
        'targets-long': dfuse([target([e7]), target([e4], name=b'CM4')],
                              ntargets=3),
        # 7 bytes that belong to nothing before the suffix
        'tail-bytes': dfuse([target([e7, e4])], tail=bytes(7)),
        # an element at 0xFFFFFF00 with 0x200 bytes: it wraps past 4 GiB
        'wraps': dfuse([target([e7, element(0xFFFFFF00, bytes(0x200))])]),
        # 1,001 empty elements, then the CM7 image; the CRC is off by one
        'empties-crc': dfuse([target([element(CM7, b'')] * 1001 + [e7])],
                             crc_delta=1),
        # a plain DFU 1.0 file and a PNG named .dfu
        'plain-dfu': plain_dfu(CM7_DATA),
        'png': b'\x89PNG\r\n\x1a\n' + struct.pack('>I4sIIBBBBB', 13,
                                                  b'IHDR', 1, 1, 8, 2, 0, 0,
                                                  0) + bytes(64),
    }


if __name__ == '__main__':
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    for name, data in cases().items():
        with open(os.path.join(d, name + '.dfu'), 'wb') as f:
            f.write(data)
        print(name)
