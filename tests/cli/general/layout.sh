# --layout gives the flash geometry everywhere the profile is used: dump's
# bank/sector column, map, merge, split and build, not only check.
. "$LIB"
S=$SAMPLES/h745-blinky
ROM='@Internal Flash   /0x08000000/16*128Kg'  # the H745 ROM's alt 0
K8='@Flash /0x08000000/256*8Kg'                # one block of 8 KiB sectors
B1='@Flash /0x08000000/8*128Kg'                # bank 1 only
run 0 dfusetool build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o r.dfu

# the ROM's own string on the H745 changes nothing
for cmd in "dump" "dump --json" "map" "map --json"; do
	run 0 dfusetool $cmd r.dfu; mv out want
	run 0 dfusetool $cmd --device stm32h745xi --layout "$ROM" r.dfu
	cmp -s want out || { diff want out >&2; fail "$cmd: --layout ROM string differs"; }
done
mkdir a b
run 0 dfusetool split --by element r.dfu -o a
run 0 dfusetool split --by element --device stm32h745xi --layout "$ROM" r.dfu -o b
diff -r a b >&2 || fail "split: --layout ROM string differs"

# 8 KiB sectors, no --device: one bank, the CM4's code in its sector 128
run 0 dfusetool dump --layout "$K8" r.dfu
has out "bank 1 sector 128"
hasnt out "bank 2"
run 0 dfusetool map --json --layout "$K8" r.dfu
pyjson out "[(b['number'], b['base'], b['sector_size']) for b in d['banks']] == [(1, 0x08000000, 8192)]"
# the same on the H745: two banks (cut at 0x08100000), 8 KiB sectors
run 0 dfusetool dump --device stm32h745xi --layout "$K8" r.dfu
has out "bank 2 sector 0, cm4 flash"
run 0 dfusetool map --json --device stm32h745xi --layout "$K8" r.dfu
pyjson out "[(b['base'], b['sector_size'], b['core']) for b in d['banks']] == [(0x08000000, 8192, 'cm7'), (0x08100000, 8192, 'cm4')]"

# only bank 1 is flash: the CM4's code belongs to no bank, so to no core
mkdir c d
run 0 dfusetool split --by core --device stm32h745xi --layout "$B1" r.dfu -o c
[ -e c/cm7.dfu ] && [ -e c/alt0.dfu ] && [ ! -e c/cm4.dfu ] || fail "split --layout: parts $(ls c)"
run 0 dfusetool split --by core --device stm32h745xi r.dfu -o d
[ -e d/cm4.dfu ] || fail "split without --layout: no cm4 part"
# build pads to flash words of the profile; the neutral profile has none
printf '\001\002\003' > three.bin
run 0 dfusetool build --force three.bin@0x08000000 -o p.dfu
run 0 dfusetool build --force --layout "$K8" three.bin@0x08000000 -o n.dfu
[ "$(wc -c < p.dfu)" -gt "$(wc -c < n.dfu)" ] || fail "build: --layout did not replace the flash word padding"

# a bank of mixed sector sizes is refused clearly, where a geometry is used
F4='@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg'
run 2 dfusetool dump --layout "$F4" r.dfu
has err "--layout: layout \"Internal Flash  \": sectors of 16384 and 65536 bytes meet at 0x08010000"
# check with the layout alone keeps its own rules: no refusal of the string
run 1 dfusetool check --layout "$F4" r.dfu
has out "[outside-memory]"
