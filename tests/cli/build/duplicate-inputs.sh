# The same bytes given twice (two inputs overlapping with equal content)
# are written once, with a note naming both inputs and the range;
# different bytes are an error naming both.
. "$LIB"
S=$SAMPLES/h745-blinky
cp "$S/cm7.bin" again.bin
run 0 dfusetool build --cm7 "$S/cm7.elf" --cm7 again.bin -o r.dfu
has err "note: 0x08000000-0x0800036b is given twice with the same bytes, by '$S/cm7.elf' and by 'again.bin': written once [duplicate-bytes]"
run 0 dfusetool build --cm7 "$S/cm7.elf" -o one.dfu
cmp r.dfu one.dfu || fail "a duplicate changed the file"
# the tail of the binary alone, at its place: a shorter range
tail -c 108 "$S/cm7.bin" > tail.bin
run 0 dfusetool check --cm7 "$S/cm7.bin" tail.bin@0x08000300
has out "0x08000300-0x0800036b: note: "
has out "[duplicate-bytes]"
# no note for inputs that only touch
head -c 768 "$S/cm7.bin" > head.bin
run 0 dfusetool check --cm7 head.bin tail.bin@0x08000300
hasnt out "[duplicate-bytes]"
# different bytes: refused
printf 'X' > x.bin
run 1 dfusetool build --cm7 "$S/cm7.bin" x.bin@0x08000010 -o bad.dfu
has err "with different bytes"
