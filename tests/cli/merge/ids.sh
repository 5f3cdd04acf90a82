# Suffix IDs: 0xFFFF agrees with anything, equal values agree, different
# ones are refused naming both inputs unless --vid/--pid/--bcd decide.
. "$LIB"
need python3
python3 - <<PY
import sys; sys.path.insert(0, '$ROOT/tests/cli'); import dfugen
d = [(0, b'F', [(0x08000000, dfugen.vectors(0x20010000, 0x08000021, 64))])]
e = [(0, b'F', [(0x08100000, dfugen.vectors(0x10010000, 0x08100021, 64))])]
dfugen.write('st.dfu', d, vid=0x0483, pid=0xDF11, bcd=0xFFFF)
dfugen.write('any.dfu', e, vid=0xFFFF, pid=0xFFFF, bcd=0x0200)
dfugen.write('other.dfu', e, vid=0x1209, pid=0xDF11, bcd=0x0200)
PY
run 0 dfusetool merge -o m.dfu st.dfu any.dfu
python3 "$ROOT/tests/cli/dfuse_ref.py" m.dfu > ref.json
python3 -c "
import json; j = json.load(open('ref.json'))
assert (j['idVendor'], j['idProduct'], j['bcdDevice']) == (0x0483, 0xDF11, 0x0200), j"
run 1 dfusetool merge -o x.dfu st.dfu other.dfu
has err "suffix idVendor: 0x0483 in 'st.dfu', 0x1209 in 'other.dfu'"
has err "--vid"
[ ! -e x.dfu ] || fail "wrote x.dfu"
run 0 dfusetool merge --vid 1209 -o m2.dfu st.dfu other.dfu
python3 "$ROOT/tests/cli/dfuse_ref.py" m2.dfu > ref.json
python3 -c "
import json; j = json.load(open('ref.json'))
assert (j['idVendor'], j['idProduct'], j['bcdDevice']) == (0x1209, 0xDF11, 0x0200), j"
run 2 dfusetool merge --pid nope -o x.dfu st.dfu
