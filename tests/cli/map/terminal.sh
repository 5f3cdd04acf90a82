# dfusetool map without -o: one row per bank, one cell per sector saying
# whose data it holds and how full it is; then the sectors in use, data
# outside flash, the vector tables and the findings.  No colour off a TTY.
. "$LIB"
S=$SAMPLES/h745-blinky
run 0 dfusetool build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o release.dfu
run 0 dfusetool map release.dfu
cat > want <<'TXT'
release.dfu on stm32h745xi: 2 elements, 1792 bytes
bank 1  0x08000000-0x080fffff  8 x 128 KiB, cm7 boots here
  0x08000000  7:1  .   .   .   .   .   .   . 
bank 2  0x08100000-0x081fffff  8 x 128 KiB, cm4 boots here
  0x08100000  4:1  .   .   .   .   .   .   . 
cells: core (7 cm7, 4 cm4, * both, ? none) : fill in tenths (1 up to 10%, # full)

bank 1 sector 0   0x08000000-0x0801ffff  cm7          896 bytes   0.7%
bank 2 sector 0   0x08100000-0x0811ffff  cm4          896 bytes   0.7%
cm7 vector table at 0x08000000 (its boot address): initial SP 0x20020000, reset 0x0800029d
cm4 vector table at 0x08100000 (its boot address): initial SP 0x10048000, reset 0x0810029d

TXT
head -n 12 out > got
diff -u want got || fail "the terminal map of the sample differs"
has out "release.dfu: 0x08000000-0x08000003: note: cm7: the CM7's initial SP 0x20020000"
has out "release.dfu: 0 errors, 0 warnings (stm32h745xi)"
[ ! -s err ] || fail "stderr is not empty"
grep -q "$(printf '\033')" out && fail "colour escapes off a terminal"

# fill in tenths, rounded up; full; shared by both cores; cells wrap at 16
head -c 65536 /dev/zero | tr '\0' '\1' > half.bin
head -c 13108 /dev/zero > tenth.bin
run 0 dfusetool map --cm7 half.bin@0x08020000 --cm4 tenth.bin@0x08140000
has out "  0x08000000   .  7:5  .   .   .   .   .   . "
has out "  0x08100000   .   .  4:2  .   .   .   .   . "
has out "bank 1 sector 1   0x08020000-0x0803ffff  cm7        65536 bytes  50.0%"
run 0 dfusetool map --cm7 half.bin@0x08000000 --cm4 half.bin@0x08010000
has out "  0x08000000  *:#  .   .   .   .   .   .   . "
has out "cm7+cm4"
has out "[shared-sector]"
run 0 dfusetool map --device stm32h7a3xi half.bin@0x08004000
[ "$(grep -c '^  0x08' out)" -eq 16 ] || fail "128 sectors per bank are not 8 lines of 16 per bank"
has out "  0x08000000   .   .  7:# 7:# 7:# 7:# 7:# 7:# 7:# 7:#  .   .   .   .   .   . "

# data outside flash, and no core's data
run 0 dfusetool map "$S/cm7.elf" half.bin@0x24010000
has out "outside flash: 0x24010000-0x2401ffff  no core    65536 bytes  in AXI SRAM"
has out "[ram-element]"

# a broken file is drawn as far as it goes, and fails
run 0 dfusetool build --cm7 "$S/cm7.elf" -o bad.dfu
printf 'X' | dd of=bad.dfu bs=1 seek=300 conv=notrunc 2>/dev/null
run 1 dfusetool map bad.dfu
has out "bank 1 sector 0"
has out "[crc-mismatch]"
has err "'bad.dfu': 1 error in the file itself"

# -q: nothing but errors; -v: what was read
run 0 dfusetool map -q release.dfu
[ ! -s out ] && [ ! -s err ] || fail "map -q printed something"
run 1 dfusetool map -q bad.dfu
[ ! -s out ] || fail "map -q printed the map"
has err "1 error in the file itself"
run 0 dfusetool map -v --cm7 "$S/cm7.elf"
has err "'$S/cm7.elf': read as elf"
has err "1 element on stm32h745xi"
