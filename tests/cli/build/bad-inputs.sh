# Bad inputs: exit 1, a message naming the file and what is wrong, and no
# output written (an existing output is left untouched).
. "$LIB"
S=$SAMPLES/h745-blinky
echo "keep me" > out.dfu
# overlapping inputs with different bytes name both files and the range
run 1 dfusetool build --cm7 "$S/cm7.elf" "$S/cm4.bin@0x08000100" -o out.dfu
has err "cm4.bin"
has err "cm7.elf"
has err "0x08000100-"
# a raw binary needs an address
run 1 dfusetool build "$S/cm7.bin" -o out.dfu
has err "'$S/cm7.bin': is a raw binary and needs a load address: it holds no address of its own"
# the library names no CLI syntax; the CLI's hint does
has err "note: give it as FILE@ADDR, e.g. '$S/cm7.bin@0x08000000'"
# @ADDR on a file that carries its own addresses
run 1 dfusetool build "$S/cm7.hex@0x08000000" -o out.dfu
has err "carries its own addresses; a load address applies to raw binaries only"
has err "note: give it without @ADDR: the file says where its bytes go"
# a missing file
run 1 dfusetool build --cm7 nonexistent.elf -o out.dfu
has err "cannot open 'nonexistent.elf'"
# a HEX file with a bad checksum gives the line
sed '3s/..\r$/00\r/' "$S/cm7.hex" > bad.hex
run 1 dfusetool build --cm7 bad.hex -o out.dfu
has err "'bad.hex': line 3"
# the input limit is an option, and the message says so
run 1 dfusetool build --max-input-size 100 --cm7 "$S/cm7.elf" -o out.dfu
has err "input limit"
has err "--max-input-size"
[ "$(cat out.dfu)" = "keep me" ] || fail "a failed build touched the existing output"
[ "$(ls -a | grep -c 'out.dfu')" -eq 1 ] || fail "temporary files left behind"
# writing to a full disk fails with status 1
run 1 dfusetool build --cm7 "$S/cm7.elf" -o /dev/full
has err "No space left on device"
