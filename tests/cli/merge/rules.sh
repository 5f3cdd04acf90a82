# merge's rules on DfuSe inputs, read back by the independent reader
# (dfuse_ref.py): overlapping different bytes are refused naming both
# inputs and the range; equal bytes are kept once; elements sharing a flash
# word become one with 0xFF between; same-alt targets become one; the first
# non-empty name is kept and a different one warned about; elements from
# files are not padded.  Nothing is written when merge fails.
. "$LIB"
need python3
python3 - <<PY
import sys; sys.path.insert(0, '$ROOT/tests/cli'); import dfugen
v7 = dfugen.vectors(0x20020000 - 32, 0x08000299, 0x300)
dfugen.write('a.dfu', [(0, b'Flash A', [(0x08000000, v7)])])
# different bytes over 0x080002f0-0x080002ff
dfugen.write('b.dfu', [(0, b'', [(0x080002F0, b'\x00' * 0x20)])])
# the same bytes (0xA5) over 0x08000200-0x080002ff, running on to 0x08000343
dfugen.write('c.dfu', [(0, b'Flash C', [(0x08000200, b'\xa5' * 0x144)])])
# 4 bytes in the flash word 0x08000340-0x0800035f, where c ends
dfugen.write('d.dfu', [(0, b'', [(0x08000350, b'\x5a' * 4)])])
PY
run 1 dfusetool merge -o x.dfu a.dfu b.dfu
has err "'a.dfu' target 0 element 0 (0x08000000-0x080002ff)"
has err "'b.dfu' target 0 element 0 (0x080002f0-0x0800030f)"
has err "overlap at 0x080002f0-0x080002ff with different bytes"
[ ! -e x.dfu ] || fail "a failed merge wrote x.dfu"
run 0 dfusetool merge -v -o m.dfu d.dfu c.dfu a.dfu
has err "hold the same bytes at 0x08000200-0x080002ff: kept once"
has err "share the flash word at 0x08000340"
has err "warning: alternate setting 0: target 0 of 'c.dfu' is named 'Flash C', target 0 of 'a.dfu' 'Flash A': the first is kept"
python3 "$ROOT/tests/cli/dfuse_ref.py" m.dfu --extract > ref.json
python3 - <<'PY'
import json
j = json.load(open('ref.json'))
assert j['problems'] == [], j['problems']
t = j['targets']
assert len(t) == 1 and t[0]['name'] == 'Flash C', t
assert t[0]['elements'] == [{'address': 0x08000000, 'size': 0x354}], t[0]['elements']
d = open('m.dfu.t0.e0.bin', 'rb').read()
assert d[:0x300] == open('a.dfu', 'rb').read()[11 + 274 + 8:][:0x300]
assert d[0x300:0x344] == b'\xa5' * 0x44, 'c tail'
assert d[0x344:0x350] == b'\xff' * 12, 'gap in the shared word'
assert d[0x350:] == b'\x5a' * 4, 'd; and not padded to the word end'
PY
