# The hand-checked vectors of doc/sources.md, Test vectors: DFUImageSize without
# the suffix (correct, no finding) and with it (accepted with a note).
. "$LIB"
need_shared
V=$SHARED/reference/vectors
run 0 dfusetool dump --json "$V/min_excl_suffix.dfu" "$V/min_incl_suffix.dfu"
python3 - <<'PY'
import json
a, b = json.load(open('out'))
for j, isize, crc in ((a, 301, 0xF8D55304), (b, 317, 0x037536FC)):
    assert j['size'] == 317 and j['prefix'] == {'signature': 'DfuSe', 'version': 1, 'image_size': isize, 'targets': 1}, j
    t = j['targets'][0]
    assert (t['alt'], t['named'], t['name'], t['size'], t['elements_declared']) == (0, True, 'ST...', 16, 1), t
    e = t['elements'][0]
    assert (e['address'], e['size'], e['offset'], e['bank'], e['sectors'], e['core']) == (0x08000000, 8, 293, 1, [0], 'cm7'), e
    import hashlib
    assert e['sha256'] == hashlib.sha256(bytes([0, 0, 2, 0x20, 0x99, 2, 0, 8])).hexdigest()
    s = j['suffix']
    assert (s['bcdDevice'], s['idProduct'], s['idVendor'], s['bcdDFU'], s['length'], s['crc'], s['crc_ok']) == (0xFFFF, 0xDF11, 0x0483, 0x011A, 16, crc, True), s
assert [d for d in a['diagnostics'] if d['severity'] != 'note'] == [], a['diagnostics']
assert [d['code'] for d in b['diagnostics']] == ['image-size-includes-suffix'], b['diagnostics']
assert b['diagnostics'][0]['severity'] == 'note' and b['diagnostics'][0]['offset'] == 6
PY
run 0 dfusetool dump --data "$V/min_excl_suffix.dfu"
has out "element 0: 0x08000000-0x08000007        8 bytes at offset 0x125"
has out "bank 1 sector 0, cm7 flash"
has out "08000000  00 00 02 20 99 02 00 08"
has out "0xf8d55304 stored, 0xf8d55304 computed (ok)"
