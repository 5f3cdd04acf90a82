# convert --json says what was written, for scripts: the raw binary's
# address, which the file itself cannot hold.
. "$LIB"
S=$SAMPLES/h745-blinky
run 0 dfusetool convert "$S/cm4.elf" -o cm4.bin --json
python3 - "$S/cm4.bin" <<'PY'
import json, os, sys
j = json.load(open('out'))
size = os.path.getsize(sys.argv[1])
assert j['format'] == 'bin' and j['output'] == 'cm4.bin', j
assert j['address'] == 0x08100000 and j['end'] == 0x08100000 + size, j
assert j['size'] == size and j['bytes'] == size, j
assert j['entry'] is None, j  # a raw binary has none
print('ok')
PY
run 0 dfusetool convert "$S/cm4.elf" -o cm4.srec --json
python3 - "$S/cm4.elf" <<'PY'
import json, struct, sys
j = json.load(open('out'))
entry = struct.unpack_from('<I', open(sys.argv[1], 'rb').read(), 24)[0]
assert j['format'] == 'srec' and j['entry'] == entry, (j, entry)
PY
