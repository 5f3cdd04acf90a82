# 1200 empty elements then a wrong dwCRC: 1200 warnings cannot hide the
# error behind them.  dump prints MISMATCH, the crc-mismatch error and a
# note for the warnings not listed, and exits 1; check says the error.
. "$LIB"
python3 - <<PY
import sys; sys.path.insert(0, '$ROOT/tests/cli'); import dfugen
b = bytearray(dfugen.build([(0, b'ST...', [(0x08000000 + 4 * i, b'') for i in range(1200)])]))
b[-1] ^= 1   # dwCRC one bit off
open('many.dfu', 'wb').write(b)
PY
run 1 dfusetool dump many.dfu
has out "(MISMATCH)"
has out "error   crc-mismatch at offset 0x"
has out "too-many-findings: and 1100 more element-empty warnings, not listed (100 listed)"
[ "$(grep -c 'warning element-empty' out)" -eq 100 ] || fail "not 100 element-empty lines"
has err "'many.dfu': 1 error, 1200 warnings"
run 1 dfusetool check many.dfu
has out "error: dwCRC is"
has out "[crc-mismatch]"
# the summary counts every finding, not the 100 listed (the 1200 empty
# elements; data without a vector table gets no missing-core-image)
has out "many.dfu: 1 error, 1200 warnings"
run 1 dfusetool check --json many.dfu
python3 -c "
import json; d = json.load(open('out'))
assert d['errors'] == 1 and d['warnings'] == 1200, d"
