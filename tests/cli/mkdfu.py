#!/usr/bin/env python3
"""Writes a DfuSe file from the command line, field by field per UM0391
(§2), for tests that need a file our writer would refuse to
make.  usage: mkdfu.py OUT.dfu ADDR:SIZE[:SP:RESET] ...
Each element is SIZE bytes of 0xA5 at ADDR, its first two words set to SP
and RESET when given (hex).  One target, alt 0, VID:PID 0483:df11."""
import struct
import sys
import zlib

out = sys.argv[1]
elements = b''
n = 0
for spec in sys.argv[2:]:
    f = [int(x, 16) for x in spec.split(':')]
    addr, size = f[0], f[1]
    data = bytearray(b'\xa5' * size)
    if len(f) == 4:
        data[0:8] = struct.pack('<II', f[2], f[3])
    elements += struct.pack('<II', addr, size) + bytes(data)
    n += 1
target = struct.pack('<6sBI255sII', b'Target', 0, 1, b'Internal Flash', len(elements), n) + elements
body = struct.pack('<5sBIB', b'DfuSe', 1, 11 + len(target), 1) + target
body += struct.pack('<HHHH3sB', 0xFFFF, 0xDF11, 0x0483, 0x011A, b'UFD', 16)
body += struct.pack('<I', ~zlib.crc32(body) & 0xFFFFFFFF)
open(out, 'wb').write(body)
