# Counts off by one, each written field by field with dfugen.py (right
# CRC, checked by dfu-util's dfu-suffix where it is installed): dump
# exits 1 with the code at the field's offset and says what the bytes
# show.  Offsets: target 0 at 0xb, its dwTargetSize at 0x115, dwNbElements
# at 0x119, element 0's header at 0x11d.
. "$LIB"
python3 - <<PY
import sys; sys.path.insert(0, '$ROOT/tests/cli'); import dfugen
cm7 = dfugen.vectors(0x20020000, 0x08000299, 0x400)   # 1024 bytes
cm4 = dfugen.vectors(0x10048000, 0x08100299, 0x4bc)   # 1212 bytes
# dwNbElements 1 for two elements: the CM4 element belongs to nothing.
dfugen.write('count-short.dfu', [(0, b'ST...', [(0x08000000, cm7), (0x08100000, cm4)], None, {'count': 1})])
# the same, and dwTargetSize says 1 element too (8 + 1024)
dfugen.write('count-short-size.dfu', [(0, b'ST...', [(0x08000000, cm7), (0x08100000, cm4)], None, {'count': 1, 'size': 1032})])
# dwNbElements 3 for two elements, then target 1
dfugen.write('count-big.dfu', [(0, b'ST...', [(0x08000000, cm7), (0x08100000, cm4)], None, {'count': 3}),
                               (1, b'ST...', [(0x1FF00000, cm7[:16])])])
# bTargets 1 for two targets
dfugen.write('targets-short.dfu', [(0, b'CM7', [(0x08000000, cm7)]), (0, b'CM4', [(0x08100000, cm4)])], btargets=1)
# bTargets 3 for two targets
dfugen.write('targets-big.dfu', [(0, b'CM7', [(0x08000000, cm7)]), (0, b'CM4', [(0x08100000, cm4)])], btargets=3)
# dwNbElements of target 0 (of 2) one too small: target 1 is still read
dfugen.write('count-short-2.dfu', [(0, b'ST...', [(0x08000000, cm7), (0x08100000, cm4)], None, {'count': 1}),
                                   (1, b'ST...', [(0x1FF00000, cm7[:16])])])
PY
if command -v dfu-suffix >/dev/null 2>&1; then
	for f in *.dfu; do dfu-suffix -c "$f" > /dev/null 2>&1 || fail "dfu-suffix rejects the CRC of $f"; done
fi

# 0x11d + 8 + 1024 = 0x525: the CM4 element's header, owned by nothing
run 1 dfusetool dump count-short.dfu
has out "error   trailing-bytes at offset 0x525: 1220 bytes at offset 0x525 after the last target belong to no element or target"
has out "they hold an element for 0x08100000 (1212 bytes): dwNbElements of target 0 is probably 1 too small (its dwTargetSize, 2252, agrees with 2 elements)"
has out "1 element declared, 1 read"
has err "1 error"
run 1 dfusetool dump count-short-size.dfu
has out "dwNbElements of target 0 is probably 1 too small"
hasnt out "agrees with"

run 1 dfusetool dump count-short-2.dfu
has out "error   trailing-bytes at offset 0x525: 1220 bytes at offset 0x525 belong to no element or target (target 1 starts at 0x9e9, after them)"
has out "dwNbElements of target 0 is probably 1 too small"
has out "target 1: alt 1"

run 1 dfusetool dump count-big.dfu
has out "error   element-count-mismatch at offset 0x119: target 0: dwNbElements is 3 at offset 0x119 but only 2 elements fit before the target prefix at 0x9e9: dwNbElements is probably 1 too big"
hasnt out "element-past-end"
has out "target 1: alt 1"

run 1 dfusetool dump targets-short.dfu
has out "error   target-count-mismatch at offset 0xa: bTargets is 1 at offset 0xa but 2 targets were found: target 1 at offset 0x525 is not counted, so bTargets is probably 1 too small"

run 1 dfusetool dump targets-big.dfu
has out "error   truncated at offset 0x"
has out "target-count-mismatch at offset 0xa: bTargets is 3 at offset 0xa but only 2 targets were found: nothing is left before the suffix, so bTargets is probably too big"
