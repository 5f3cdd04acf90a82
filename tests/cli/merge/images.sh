# Image inputs next to DfuSe files: they go to --alt (default 0), are
# padded to flash words like build's, take the DfuSe input's name (or
# "Internal Flash", or --name), and the result passes dfuse-pack -d and the
# independent reader; the check rules stop a bad result unless --force,
# and an input is never the output.
. "$LIB"
need python3 dfuse-pack
S=$SAMPLES/h745-blinky
run 0 dfusetool build --cm7 "$S/cm7.elf" -o cm7.dfu
run 0 dfusetool merge -o m.dfu cm7.dfu --cm4 "$S/cm4.hex"
has out "target 0: alt 0, 'Internal Flash', 2 elements"
run 0 dfusetool build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.hex" -o built.dfu
cmp m.dfu built.dfu || fail "merge of a build and a HEX differs from one build"
run 0 dfuse-pack -d m.dfu
has out "0, address: 0x08000000, size: 896"
has out "1, address: 0x08100000, size: 896"
# image inputs only: build's name; --name and --alt
run 0 dfusetool merge -o h.dfu --cm4 "$S/cm4.srec" "$S/cm7.hex"
python3 "$ROOT/tests/cli/dfuse_ref.py" h.dfu > ref.json
has ref.json '"name": "Internal Flash"'
run 0 dfusetool merge -o n.dfu cm7.dfu "$S/cm4.bin@0x08100000" --name "Both cores"
python3 "$ROOT/tests/cli/dfuse_ref.py" n.dfu > ref.json
has ref.json '"name": "Both cores"'
run 0 dfusetool merge -o alt.dfu cm7.dfu --alt 2 "$S/cm4.bin@0x08100000" --force
python3 "$ROOT/tests/cli/dfuse_ref.py" alt.dfu > ref.json
python3 -c "
import json; j = json.load(open('ref.json'))
assert [(t['alt'], len(t['elements'])) for t in j['targets']] == [(0, 1), (2, 1)], j['targets']"
# the checks: a CM7 image in the CM4's bank is an error
run 1 dfusetool merge -o bad.dfu cm7.dfu "$S/cm7.bin@0x08100000"
has err "error: cm4"
has err "not written"
[ ! -e bad.dfu ] || fail "wrote bad.dfu"
run 0 dfusetool merge -o bad.dfu cm7.dfu "$S/cm7.bin@0x08100000" --force
# an input is never the output
run 1 dfusetool merge -o cm7.dfu cm7.dfu "$S/cm4.hex"
has err "is the input"
run 0 dfusetool dump cm7.dfu
has out "1 target"
run 2 dfusetool merge -o x.dfu cm7.dfu@0x08000000
has err "is a DfuSe file"
run 2 dfusetool merge x.dfu
has err "no output file"
run 2 dfusetool merge -o x.dfu
has err "no inputs"
run 1 dfusetool merge -o x.dfu missing.dfu
[ ! -e x.dfu ] || fail "wrote x.dfu"
