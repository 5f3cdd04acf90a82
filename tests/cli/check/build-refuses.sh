# build runs the same rules: an error stops the write (nothing is left
# behind), --force writes anyway and says so.
. "$LIB"
S=$SAMPLES/h745-blinky
run 1 dfusetool build --cm7 "$S/cm7.elf" "$S/cm4.bin@0x1ff00000" -o x.dfu
has err "[not-writable]"
has err "'x.dfu': not written"
[ ! -e x.dfu ] || fail "a refused build wrote x.dfu"
run 0 dfusetool build --force --cm7 "$S/cm7.elf" "$S/cm4.bin@0x1ff00000" -o x.dfu
has err "written with 1 check error (--force)"
[ -s x.dfu ] || fail "--force did not write x.dfu"
