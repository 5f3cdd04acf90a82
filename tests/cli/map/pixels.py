#!/usr/bin/env python3
"""Checks a browser's rendering of 'dfusetool map -o' against the image.

usage: pixels.py size MAP.svg        (the screenshot size: the flash banks)
       pixels.py svg MAP.svg SHOT.png DUMP.json CHECK.json [DX,DY]

DX,DY: where the picture's top-left corner is in the screenshot (16,16 for
the HTML page, whose body margin is 16 pixels); default 0,0.

The PNG is decoded here with zlib alone (no PIL).  Where each element should
be comes from two places this script does not take from the renderer:
the element addresses and cores from 'dfusetool dump --json', the finding
ranges from 'dfusetool check --json', and the scale documented in
dfusetool-map(1): rows of data-row-bytes bytes, data-row-width pixels wide,
data-row-pitch apart, starting at each block's data-x/data-y.  Only the
block origins are read from the SVG, and those are checked too: the top-left
pixel of every flash bank's first row must be the sector outline, not the
background.
"""
import json
import struct
import sys
import xml.etree.ElementTree as ET
import zlib

CORE = {'cm7': (0x1f, 0x6f, 0xeb), 'cm4': (0xe8, 0x59, 0x0c)}
SEVERITY = {'error': (0xcf, 0x22, 0x2e), 'warning': (0xbf, 0x87, 0x00),
            'note': (0x82, 0x50, 0xdf)}
WHITE = (255, 255, 255)


def fail(msg):
    sys.exit('pixels.py: ' + msg)


def read_png(path):
    data = open(path, 'rb').read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        fail('%s is not a PNG' % path)
    pos, idat, hdr = 8, b'', None
    while pos < len(data):
        n, = struct.unpack('>I', data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b'IHDR':
            hdr = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT':
            idat += body
    w, h, depth, ctype, _, _, interlace = hdr
    if depth != 8 or ctype not in (2, 6) or interlace:
        fail('unsupported PNG: depth %d type %d interlace %d' %
             (depth, ctype, interlace))
    bpp = 3 if ctype == 2 else 4
    raw, stride = zlib.decompress(idat), w * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(h):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + ((a + b) >> 1)) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else
                                      b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line

    def px(x, y):
        o = int(x) * bpp
        return tuple(rows[int(y)][o:o + 3])
    return w, h, px


def near(c, want, tol=10):
    return all(abs(a - b) <= tol for a, b in zip(c, want))


def elements(dump):
    d = json.load(open(dump))
    out = []
    for t in d['targets']:
        for e in t['elements']:
            out.append((e['address'], e['size'], e['core']))
    if not out:
        fail('no elements in ' + dump)
    return out


def not_blank(w, h, px):
    seen, ink = set(), 0
    for y in range(0, h, 3):
        for x in range(0, w, 3):
            c = px(x, y)
            seen.add(c)
            ink += c != WHITE
    if len(seen) < 8 or ink < (w * h // 9) // 100:
        fail('the rendering is blank: %d colours, %d inked samples' %
             (len(seen), ink))
    return seen


def flash_size(svg):
    """Width and height that show the title and every flash bank (the
    blocks before the first region); decoding a smaller PNG is faster."""
    root = ET.parse(svg).getroot()
    pitch = int(root.get('data-row-pitch'))
    rb = int(root.get('data-row-bytes'))
    bottom = 0
    for b in root.iter('{http://www.w3.org/2000/svg}g'):
        if b.get('class') == 'block' and b.get('data-kind') == 'flash':
            rows = -(-int(b.get('data-size')) // rb)
            bottom = max(bottom, int(b.get('data-y')) + rows * pitch)
    if bottom == 0:
        fail('no flash bank in ' + svg)
    print('%s,%d' % (root.get('width'), bottom))


def check_svg(svg, png, dump, check, offset='0,0'):
    dx, dy = (int(v) for v in offset.split(','))
    root = ET.parse(svg).getroot()
    g = lambda k: int(root.get(k))
    rb, rw, pitch, band = (g('data-row-bytes'), g('data-row-width'),
                           g('data-row-pitch'), g('data-row-band'))
    blocks, banks = [], []
    for b in root.iter('{http://www.w3.org/2000/svg}g'):
        if b.get('class') == 'block':
            blocks.append((int(b.get('data-base'), 16),
                           int(b.get('data-size')), int(b.get('data-x')),
                           int(b.get('data-y'))))
            if b.get('data-kind') == 'flash':
                banks.append(blocks[-1])
    w, h, raw = read_png(png)
    if w < int(root.get('width')) + dx:
        fail('screenshot is %d wide, the picture %s' % (w, root.get('width')))
    px = lambda x, y: raw(x + dx, y + dy)
    not_blank(w, h, raw)
    scale = rw / rb

    def place(a):
        for base, size, x0, y0 in blocks:
            if base <= a < base + size:
                off = a - base
                return x0 + (off % rb) * scale, y0 + (off // rb) * pitch
        fail('0x%08x is in no block of the picture' % a)

    # every flash bank starts with a sector outline
    if not banks:
        fail('no flash bank in ' + svg)
    for base, size, x0, y0 in banks:
        if near(px(x0 + 0.5, y0 + band // 2), WHITE, 0):
            fail('block 0x%08x: nothing drawn at its origin (%d, %d)' %
                 (base, x0, y0))

    report = []
    for addr, size, core in elements(dump):
        if core not in CORE:
            fail('element 0x%08x has no core in the dump' % addr)
        x, y = place(addr)
        width = min(size, rb - (addr - place_base(blocks, addr)) % rb) * scale
        # sample across the element's first row piece, away from its edges
        xs = [x + width * f for f in (0.3, 0.5, 0.7)]
        got = [px(sx, y + band // 2) for sx in xs]
        if not all(near(c, CORE[core]) for c in got):
            fail('%s element at 0x%08x: expected %s at x %s y %d, got %s' %
                 (core, addr, CORE[core], [round(v) for v in xs],
                  y + band // 2, got))
        other = [k for k in CORE if k != core][0]
        # the other core's colour is nowhere on this element's row
        row = [px(sx, y + band // 2) for sx in range(int(x0_of(blocks, addr)),
                                                      int(x0_of(blocks, addr)) + rw)]
        if any(near(c, CORE[other]) for c in row):
            fail('%s colour on the row of the %s element at 0x%08x' %
                 (other, core, addr))
        # right after the element the row is empty flash again
        after = px(min(x + width + 6, x0_of(blocks, addr) + rw - 3),
                   y + band // 2)
        if near(after, CORE[core]):
            fail('%s colour runs on past the element at 0x%08x' %
                 (core, addr))
        report.append('%s 0x%08x at (%d, %d)' % (core, addr, x, y))

    # findings: the worst one covering a lane pixel is drawn on top; a
    # finding is at least 3 pixels wide
    rank = ['note', 'warning', 'error']
    found = [f for f in json.load(open(check))['findings']
             if f['address'] is not None]
    for f in found:
        x, y = place(f['address'])
        lane = y + band + 1 + 3
        worst = f['severity']
        for o in found:
            ox, oy = place(o['address'])
            ow = max(3, (o['end'] - o['address']) * scale)
            if oy == y and ox <= x + 1 < ox + ow and \
                    rank.index(o['severity']) > rank.index(worst):
                worst = o['severity']
        got = px(x + 1, lane)
        if not near(got, SEVERITY[worst]):
            fail('%s %s at 0x%08x: expected %s (%s) in the lane at (%d, '
                 '%d), got %s' % (f['severity'], f['code'], f['address'],
                                  worst, SEVERITY[worst], x + 1, lane, got))
        report.append('%s %s at (%d, %d)' % (f['severity'], f['code'],
                                              x, lane))
    print('\n'.join(report))


def place_base(blocks, a):
    for base, size, _, _ in blocks:
        if base <= a < base + size:
            return base
    return a


def x0_of(blocks, a):
    for base, size, x0, _ in blocks:
        if base <= a < base + size:
            return x0
    return 0


if __name__ == '__main__':
    if len(sys.argv) == 3 and sys.argv[1] == 'size':
        flash_size(sys.argv[2])
    elif len(sys.argv) in (6, 7) and sys.argv[1] == 'svg':
        check_svg(*sys.argv[2:])
    else:
        fail(__doc__)
