# A file of 20,000 small elements (and as many findings) still gives a
# picture of bounded size: the elements of one core in one sector are one
# shape, at most 2,000 findings are drawn, the notes and HTML tables list
# 200 lines of a kind and say how many more, and the picture says so.
. "$LIB"
need python3 xmllint
python3 - <<PY
import sys; sys.path.insert(0, '$ROOT/tests/cli'); import dfugen
# 20,000 elements of 8 bytes, 64 bytes apart, in bank 1 (CM7) and bank 2
els = [(0x08000000 + 64 * i, bytes(8)) for i in range(10000)]
els += [(0x08100000 + 64 * i, bytes(8)) for i in range(10000)]
dfugen.write('many.dfu', [(0, b'ST...', els)])
PY
run 0 dfusetool map -o many.svg many.dfu
xmllint --noout many.svg
size=$(wc -c < many.svg)
[ "$size" -lt 400000 ] || fail "many.svg is $size bytes"
has many.svg "20000 elements: those of one core in one sector"
# 128 KiB sectors: 2,048 elements of 64 bytes each
has many.svg "2048 elements grouped"
run 0 dfusetool map -o many.html many.dfu
size=$(wc -c < many.html)
[ "$size" -lt 600000 ] || fail "many.html is $size bytes"
has many.html "and 19800 more elements"
# fewer elements than the bound: one shape each, as before
python3 - <<PY
import sys; sys.path.insert(0, '$ROOT/tests/cli'); import dfugen
dfugen.write('few.dfu', [(0, b'ST...', [(0x08000000 + 64 * i, bytes(8)) for i in range(50)])])
PY
run 0 dfusetool map -o few.svg few.dfu
hasnt few.svg "grouped"
[ "$(grep -c 'target 0 element' few.svg)" -eq 50 ] || fail "not one shape per element"
