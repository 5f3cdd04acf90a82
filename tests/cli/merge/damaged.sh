# DfuSe inputs as dump reads them: warnings (DFUImageSize off by one) are
# printed and the file is taken; errors (a bad CRC) refuse it; overlapping
# elements are resolved by merge's rules (equal bytes once).
. "$LIB"
need python3
python3 - <<PY
import sys; sys.path.insert(0, '$ROOT/tests/cli'); import dfugen
el = [(0x08000000, dfugen.vectors(0x20010000, 0x08000021, 64))]
dfugen.write('odd-size.dfu', [(0, b'x', el)], image_size=1)
b = bytearray(dfugen.build([(0, b'x', el)])); b[-1] ^= 1
open('bad-crc.dfu', 'wb').write(b)
dfugen.write('dup.dfu', [(0, b'x', el + [(0x08000010, el[0][1][16:48])])])
PY
run 0 dfusetool merge -o m.dfu odd-size.dfu
has err "warning"
has err "image-size-mismatch"
run 1 dfusetool merge -o m2.dfu bad-crc.dfu
has err "crc-mismatch"
has err "'bad-crc.dfu': the file has 1 error"
[ ! -e m2.dfu ] || fail "wrote m2.dfu"
run 0 dfusetool merge -o m3.dfu dup.dfu
python3 "$ROOT/tests/cli/dfuse_ref.py" m3.dfu > ref.json
python3 -c "
import json; j = json.load(open('ref.json'))
assert j['targets'][0]['elements'] == [{'address': 0x08000000, 'size': 64}], j"
