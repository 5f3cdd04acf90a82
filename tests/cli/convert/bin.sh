# Raw binary output: a gap is refused with where it is and the size the
# file would have, and leaves no file; --fill writes it; --range crops to
# [A, B); the address is printed since the file cannot hold it.
. "$LIB"
S=$SAMPLES/h745-blinky
run 0 dfusetool build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o both.dfu
run 1 dfusetool convert both.dfu -o both.bin
has err "gap at 0x08000380-0x080fffff (1047680 bytes)"
has err "would be 1049472 bytes (0x08000000-0x0810037f)"
has err "--fill"
[ ! -e both.bin ] || fail "a refused bin was written"
[ -z "$(ls | grep -v -e '^both.dfu$' -e '^out$' -e '^err$')" ] || fail "debris: $(ls)"
run 0 dfusetool convert both.dfu --fill 0xA5 -o both.bin
[ "$(wc -c < both.bin)" -eq 1049472 ] || fail "filled size $(wc -c < both.bin)"
has out "0x08000000-0x0810037f"
# the ELF bytes (the committed .bin), then build's 0xFF word padding, then
# the fill byte up to the CM4's bank
n7=$(wc -c < "$S/cm7.bin")
cmp -n "$n7" both.bin "$S/cm7.bin" || fail "cm7 bytes"
cmp -i 1048576:0 -n "$(wc -c < "$S/cm4.bin")" both.bin "$S/cm4.bin" || fail "cm4 bytes"
[ "$(od -An -tx1 -j 895 -N 1 both.bin | tr -d ' ')" = ff ] || fail "word padding"
[ "$(od -An -tx1 -j 896 -N 4 both.bin | tr -d ' ')" = a5a5a5a5 ] || fail "fill byte"
# --range: just the CM4 image, which has no gap
run 0 dfusetool convert both.dfu --range 0x08100000:0x08200000 -o cm4.bin
[ "$(wc -c < cm4.bin)" -eq 896 ] || fail "--range cm4 size"
cmp -n "$(wc -c < "$S/cm4.bin")" cm4.bin "$S/cm4.bin" || fail "--range cm4 differs"
# cut inside an element: [0x08000010, 0x08000020)
run 0 dfusetool convert "$S/cm7.elf" --range 0x08000010:0x08000020 -o part.bin
[ "$(wc -c < part.bin)" -eq 16 ] || fail "range size"
cmp -i 16:0 -n 16 "$S/cm7.bin" part.bin || fail "range bytes"
run 1 dfusetool convert both.dfu --range 0x30000000:0x30000010 -o none.bin
has err "no data in --range"
[ ! -e none.bin ] || fail "wrote an empty range"
