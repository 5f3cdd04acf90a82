# convert's usage errors (exit 2), refusals (exit 1), and an input never
# written over.
. "$LIB"
S=$SAMPLES/h745-blinky
run 2 dfusetool convert "$S/cm7.hex"
has err "no output file"
run 2 dfusetool convert -o x.hex
has err "no input"
run 2 dfusetool convert "$S/cm7.hex" "$S/cm4.hex" -o x.hex
has err "one input at a time"
run 2 dfusetool convert "$S/cm7.hex" -o x.out
has err "the extension does not say the format"
run 2 dfusetool convert "$S/cm7.hex" --format elf -o x.out
run 2 dfusetool convert "$S/cm7.hex" --fill 0 -o x.hex
has err "--fill applies to raw binary output only"
run 2 dfusetool convert "$S/cm7.hex" --range 0x200:0x100 -o x.hex
run 2 dfusetool convert "$S/cm7.hex" --range 0:0x100000001 -o x.hex
run 1 dfusetool convert "$S/cm7.bin" -o x.hex
has err "needs a load address"
run 1 dfusetool convert missing.hex -o x.hex
has err "missing.hex"
# an input is never the output, by any name (exit 1, as in every command)
cp "$S/cm7.hex" mine.hex
ln -s mine.hex alias.hex
run 1 dfusetool convert mine.hex -o alias.hex
has err "is the input 'mine.hex'"
cmp mine.hex "$S/cm7.hex" || fail "the input changed"
# a DfuSe file with two alternate settings needs --alt for HEX
python3 - <<PY
import sys; sys.path.insert(0, '$ROOT/tests/cli'); import dfugen
dfugen.write('two.dfu', [(0, b'Internal Flash', [(0x08000000, b'\x01' * 32)]),
                         (1, b'Option Bytes', [(0x5200201C, b'\x02' * 4)])])
PY
run 1 dfusetool convert two.dfu -o two.hex
has err "holds alternate settings 0, 1"
has err "--alt"
run 0 dfusetool convert two.dfu --alt 1 -o ob.hex
has ob.hex ":020000045200A8"
has ob.hex ":04201C0002020202B8"
run 1 dfusetool convert two.dfu --alt 7 -o x.hex
has err "no target with alternate setting 7"
run 2 dfusetool convert two.dfu@0x08000000 -o x.hex
has err "is a DfuSe file"
[ ! -e x.hex ] && [ ! -e x.out ] || fail "a failed convert wrote a file"
