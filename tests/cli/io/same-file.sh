# An output never replaces an input: the same path, a symlink to it and a
# hard link to it are refused by every writing command, with one message
# and exit 1, and the input keeps its bytes.
. "$LIB"
S=$SAMPLES/h745-blinky
run 0 dfusetool build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o in.dfu
cp "$S/cm7.elf" in.elf
cp "$S/cm7.hex" in.hex
cp "$S/cm7.bin" in.bin
for f in in.dfu in.elf in.hex in.bin; do
	cp "$f" "keep.$f"
	ln -s "$f" "sym.$f"
	ln "$f" "hard.$f"
done
same() { # same OUT CMD...: refused, nothing written
	out=$1; shift
	run 1 "$@"
	has err "is the input"
	has err "an output never replaces an input"
}
for f in in.elf in.hex; do
	for o in "$f" "sym.$f" "hard.$f"; do
		same "$o" dfusetool build --cm7 "$f" -o "$o"
	done
done
for o in in.bin sym.in.bin hard.in.bin; do
	same "$o" dfusetool build in.bin@0x08000000 -o "$o"
	same "$o" dfusetool convert in.bin@0x08000000 -o "$o"
done
for o in in.dfu sym.in.dfu hard.in.dfu; do
	same "$o" dfusetool merge -o "$o" in.dfu
	same "$o" dfusetool convert in.dfu -o "$o"
done
# map: the picture over its input, by every name
cp in.dfu pic.svg
ln -s pic.svg sym.svg
ln pic.svg hard.svg
cp pic.svg keep.pic.svg
for o in pic.svg sym.svg hard.svg; do
	same "$o" dfusetool map -o "$o" pic.svg
done
cmp -s pic.svg keep.pic.svg || fail "map changed its input"
# split: a part over the input (the input inside -o DIR, by its part name)
mkdir d
run 0 dfusetool split in.dfu -o d
cp d/cm7.dfu keep.cm7
ln -s cm7.dfu d/link.dfu
same d/cm7.dfu dfusetool split d/cm7.dfu -o d
same d/cm7.dfu dfusetool split d/link.dfu -o d
cmp -s d/cm7.dfu keep.cm7 || fail "split changed its input"
for f in in.dfu in.elf in.hex in.bin; do
	cmp -s "$f" "keep.$f" || fail "$f was changed"
	[ -L "sym.$f" ] || fail "sym.$f was replaced"
done
ls -a | grep -q '\.tmp$' && fail "a temporary file was left: $(ls -a)"
# -o - is never "the same file"
run 0 dfusetool convert in.dfu --format hex -o -
has out ":020000040800F2"
