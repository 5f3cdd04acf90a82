# The sample dual-core release passes: as inputs, as a built file, and as
# JSON, --strict too.  Its one finding is a note: the CM7's SP at the end of
# DTCM only troubles the ROM's jump on DFU leave (AN2606), which a plain
# check does not do; `download --leave` runs the checks with that flag.
. "$LIB"
S=$SAMPLES/h745-blinky
run 0 dfusetool check --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf"
has out "0 errors, 0 warnings (stm32h745xi)"
has out "note: cm7: the CM7's initial SP 0x20020000"
has out "[sp-near-ram-end]"
run 0 dfusetool build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o r.dfu
run 0 dfusetool check r.dfu
has out "r.dfu: 0 errors, 0 warnings (stm32h745xi)"
run 0 dfusetool check --strict r.dfu
run 0 dfusetool check --json r.dfu
python3 - <<'PY'
import json
j = json.load(open('out'))
assert j['file'] == 'r.dfu' and j['device'] == 'stm32h745xi', j
assert (j['errors'], j['warnings']) == (0, 0), j
f = j['findings'][0]
assert f['code'] == 'sp-near-ram-end' and f['severity'] == 'note' and f['core'] == 'cm7', f
assert (f['address'], f['end'], f['target'], f['element']) == (0x08000000, 0x08000004, None, None), f
PY
# two files: an array
run 0 dfusetool check --json r.dfu r.dfu
python3 -c "import json; a = json.load(open('out')); assert len(a) == 2"
# dump lists the same finding after its diagnostics
run 0 dfusetool dump r.dfu
has out "check (stm32h745xi):"
has out "[sp-near-ram-end]"
# dump shows each element's core: by bank and boot address on the H745;
# on the single-core H743 bank 2 belongs to no core
run 0 dfusetool dump --json r.dfu
python3 -c "import json; j = json.load(open('out')); assert [e['core'] for e in j['targets'][0]['elements']] == ['cm7', 'cm4'], j; assert j['device'] == 'stm32h745xi'"
run 0 dfusetool dump --json --device stm32h743xi r.dfu
python3 -c "import json; j = json.load(open('out')); assert [e['core'] for e in j['targets'][0]['elements']] == ['cm7', None], j"
