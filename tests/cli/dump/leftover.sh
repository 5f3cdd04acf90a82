# Bytes between the last target and the suffix, and an element that
# passes 4 GiB: errors (exit 1), each at its offset, where dump used to
# warn and exit 0.
. "$LIB"
python3 - <<PY
import sys; sys.path.insert(0, '$ROOT/tests/cli'); import dfugen
v = dfugen.vectors(0x20020000, 0x08000299, 32)
# 5 bytes that are nothing before the suffix (at 0x11d + 8 + 32 = 0x145)
dfugen.write('leftover.dfu', [(0, b'ST...', [(0x08000000, v)])], trailing=b'\xde\xad\xbe\xef\x00')
# dwElementSize 16 for 32 bytes of data: 16 bytes left over, inside the
# target's dwTargetSize (40)
dfugen.write('elem-short.dfu', [(0, b'ST...', [(0x08000000, v, 16)], None, {'size': 40})])
# 0xFFFFFFF0 + 32 passes 0xFFFFFFFF
dfugen.write('wraps.dfu', [(0, b'ST...', [(0xFFFFFFF0, v)])])
PY
run 1 dfusetool dump leftover.dfu
has out "error   trailing-bytes at offset 0x145: 5 bytes at offset 0x145 after the last target belong to no element or target (the suffix starts at 0x14a)"
has err "'leftover.dfu': 1 error, 0 warnings"

run 1 dfusetool dump elem-short.dfu
has out "error   trailing-bytes at offset 0x135: 16 bytes at offset 0x135"
has out "dwTargetSize of target 0 (40) says its elements end at 0x145, so a dwElementSize or its dwNbElements is probably too small"

run 1 dfusetool dump wraps.dfu
has out "error   element-wraps at offset 0x11d: target 0 element 0: dwElementAddress 0xfffffff0 at offset 0x11d plus dwElementSize 32 passes 0xFFFFFFFF (it would end at 0x10000000f)"
run 1 dfusetool dump --json wraps.dfu
has out '"code": "element-wraps"'
