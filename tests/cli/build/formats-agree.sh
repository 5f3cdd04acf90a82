# ELF, Intel HEX, S-record and raw binary of the same program give the
# same DfuSe bytes; building twice gives identical bytes.
. "$LIB"
S=$SAMPLES/h745-blinky
run 0 dfusetool build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o elf.dfu
run 0 dfusetool build --cm7 "$S/cm7.hex" --cm4 "$S/cm4.hex" -o hex.dfu
run 0 dfusetool build --cm7 "$S/cm7.srec" --cm4 "$S/cm4.srec" -o srec.dfu
# raw binaries: no @ADDR needed with --cm7/--cm4 (each core's boot address)
run 0 dfusetool build --cm7 "$S/cm7.bin" --cm4 "$S/cm4.bin" -o bin.dfu
run 0 dfusetool build "$S/cm7.bin@0x08000000" "$S/cm4.bin@0x08100000" -o binat.dfu
run 0 dfusetool build --cm4 "$S/cm4.hex" --cm7 "$S/cm7.elf" -o mixed.dfu
for f in hex srec bin binat mixed; do
	cmp elf.dfu $f.dfu || fail "$f.dfu differs from elf.dfu"
done
run 0 dfusetool build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o again.dfu
cmp elf.dfu again.dfu || fail "two builds differ"
# the format comes from the content, not the name
cp "$S/cm7.hex" cm7.bin
run 0 dfusetool build --cm7 cm7.bin --cm4 "$S/cm4.elf" -o renamed.dfu
cmp elf.dfu renamed.dfu || fail "a HEX file named .bin was not read as HEX"
