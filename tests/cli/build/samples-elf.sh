# The main job: both cores' ELF files -> one release file, as in `make demo`.
. "$LIB"
S=$SAMPLES/h745-blinky
run 0 dfusetool build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o h745.dfu
# one line per element: range (padded to 32-byte flash words), size, core
has out "0x08000000-0x0800037f      896 bytes  cm7   bank 1 sector 0"
has out "0x08100000-0x0810037f      896 bytes  cm4   bank 2 sector 0"
has out "wrote h745.dfu: $(wc -c < h745.dfu) bytes, 1 target, 2 elements"
# independent reader: every field by the spec
python3 "$ROOT/tests/cli/dfuse_ref.py" h745.dfu > ref.json || { cat ref.json; fail "reference reader refused the file"; }
python3 - <<'PY'
import json
r = json.load(open('ref.json'))
t = r['targets']
assert len(t) == 1 and t[0]['alt'] == 0 and t[0]['named'] == 1, t
assert t[0]['name'] == 'Internal Flash' and t[0]['name_padding_clean'], t
assert [(e['address'], e['size']) for e in t[0]['elements']] == [(0x08000000, 896), (0x08100000, 896)], t
assert (r['idVendor'], r['idProduct'], r['bcdDevice'], r['bcdDFU']) == (0x0483, 0xDF11, 0xFFFF, 0x011A), r
PY
