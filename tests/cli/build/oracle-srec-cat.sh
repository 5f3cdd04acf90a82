# HEX and S-record input against srec_cat (srecord), an oracle we did not
# write: the element data dfuse-pack extracts from our file equals what
# srec_cat makes of the same input, padded with 0xFF to a 32-byte word.
. "$LIB"
need srec_cat dfuse-pack python3
S=$SAMPLES/h745-blinky
run 0 dfusetool build --cm7 "$S/cm7.hex" --cm4 "$S/cm4.srec" -o x.dfu
srec_cat "$S/cm7.hex" -intel -offset -0x08000000 -o cm7.ref -binary
srec_cat "$S/cm4.srec" -motorola -offset -0x08100000 -o cm4.ref -binary
run 0 dfuse-pack -d x.dfu
has out "0, address: 0x08000000"
has out "1, address: 0x08100000"
python3 - <<'PY'
for i, ref in enumerate(('cm7.ref', 'cm4.ref')):
    want = open(ref, 'rb').read()
    got = open('x.dfu.target0.image%d.bin' % i, 'rb').read()
    pad = (32 - len(want) % 32) % 32
    assert got == want + b'\xff' * pad, '%s: element %d differs from srec_cat' % (ref, i)
print('elements equal srec_cat output')
PY
