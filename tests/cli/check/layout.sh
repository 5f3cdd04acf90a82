# --layout with the ROM's own string agrees with the built-in H745 profile:
# the same files pass, and data outside the flash is refused by both.
. "$LIB"
S=$SAMPLES/h745-blinky
L='@Internal Flash   /0x08000000/16*128Kg'
M="python3 $ROOT/tests/cli/mkdfu.py"
run 0 dfusetool build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o r.dfu
run 0 dfusetool check --layout "$L" r.dfu
has out "0 errors, 0 warnings (Internal Flash   )"
run 0 dfusetool check r.dfu
$M past.dfu 08000000:400:2001fff0:08000201 081fff00:200
run 1 dfusetool check --layout "$L" past.dfu
has out "[outside-memory]"
run 1 dfusetool check past.dfu
has out "[outside-memory]"
# a read-only layout segment
run 1 dfusetool check --layout '@Flash /0x08000000/16*128Ka' r.dfu
has out "[not-writable]"
# both: the profile's rules and the device's layout
run 0 dfusetool check --device stm32h745xi --layout "$L" r.dfu
# a bad layout string is a usage error that shows where
run 2 dfusetool check --layout '@Flash /0x0800000G/1*1Kg' r.dfu
has err "--layout"
# boot addresses other than the defaults: the image at 0x08020000 is now
# at the CM7's boot address, but it was linked for 0x08000000, which its
# reset vector gives away
run 1 dfusetool check --boot-cm7 0x08020000 --cm7 "$S/cm7.bin@0x08020000" --cm4 "$S/cm4.elf"
hasnt out "[not-at-boot-address]"
has out "reset handler 0x0800029c is not inside its image"
has out "[reset-outside-image]"
run 2 dfusetool check --boot-cm7 0x08020400 r.dfu
has err "64 KiB"
