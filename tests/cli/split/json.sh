# split --json lists every file written, for scripts, and the text output
# says "wrote" once per file.
. "$LIB"
S=$SAMPLES/h745-blinky
run 0 dfusetool build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o both.dfu
run 0 dfusetool split both.dfu --by element -o el --json
python3 - <<'PY'
import json, os
j = json.load(open('out'))
assert j['input'] == 'both.dfu' and j['directory'] == 'el' and j['format'] == 'dfuse', j
files = j['files']
assert [(f['name'], f['core'], f['alt']) for f in files] == [
    ('cm7@0x08000000.dfu', 'cm7', 0), ('cm4@0x08100000.dfu', 'cm4', 0)], files
for f in files:
    assert os.path.getsize(f['path']) > 0 and f['elements'] == 1 and f['bytes'] == 896, f
    assert f['end'] - f['address'] == 896, f
PY
run 0 dfusetool split both.dfu -o txt
[ "$(grep -c '^wrote txt/' out)" -eq 2 ] || fail "one line per file"
has out "wrote txt/cm7.dfu: 1 target, 1 element, 896 bytes at 0x08000000-0x0800037f"
