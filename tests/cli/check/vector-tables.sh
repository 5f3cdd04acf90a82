# Vector-table rules apply only where there is a vector table: a data
# block, unaligned data elements and an application behind a bootloader
# are good images; a CM4 image linked in bank 1 is named as one.
. "$LIB"
S=$SAMPLES/h745-blinky
M="python3 $ROOT/tests/cli/mkdfu.py"
# A 36-byte calibration record for sector 1 of bank 1, written byte by
# byte: 1.0f (00 00 80 3f), 36 (24 00 00 00), then 28 bytes of counters.
printf '\000\000\200\077\044\000\000\000' > cal.bin
printf '\001\002\003\004\005\006\007\010\011\012\013\014\015\016' >> cal.bin
printf '\017\020\021\022\023\024\025\026\027\030\031\032\033\034' >> cal.bin
[ "$(wc -c < cal.bin)" -eq 36 ] || fail "cal.bin is not 36 bytes"
run 0 dfusetool build --cm7 cal.bin@0x08020000 -o cal.dfu
hasnt err "error:"
hasnt err "[sp-not-in-core-ram]"
hasnt err "[reset-outside-image]"
hasnt err "[not-at-boot-address]"
has err "note: cm7: no vector table in this image for the CM7"
has err "[no-vector-table]"
run 0 dfusetool check cal.dfu
has out "cal.dfu: 0 errors,"
has out "[no-vector-table]"
run 0 dfusetool check --cm7 cal.bin@0x08020000
has out "0 errors,"
# the same record at the CM7's boot address is what the CM7 boots: errors
run 1 dfusetool check --cm7 cal.bin@0x08000000
has out "[sp-not-in-core-ram]"

# unaligned data elements (a file made field by field): no table errors
$M odd.dfu 08020123:2d 08040011:64
run 0 dfusetool check odd.dfu
hasnt out "[vector-table-misaligned]"
hasnt out "error:"

# an application behind a bootloader at 0x08020000: ST's corpus app,
# its vector table checked there; it builds and checks with no error
if [ -d "$SHARED/corpus/realworld" ]; then
	A=$SHARED/corpus/realworld/st-STM32H745I-DISCO_STM32H745I_DISCO_USBD-FS_0x08020000.bin
	run 0 dfusetool build --cm7 "$A@0x08020000" -o app.dfu
	hasnt err "error:"
	hasnt err "[no-vector-table]"
	has err "program at 0x08020000 does not cover its boot address 0x08000000"
	run 0 dfusetool check app.dfu
	has out "app.dfu: 0 errors,"
fi
# the sample linked at 0x08000000 but placed at 0x08020000: its reset
# vector points back into bank 1 sector 0, read at 0x08020000: an error
run 1 dfusetool build --cm7 "$S/cm7.bin@0x08020000" -o moved.dfu
has err "0x08020004-0x08020007: error: cm7: the CM7's reset handler 0x0800029c"

# a CM4 image linked in bank 1 is named as a CM4 image, once
$M cm4low.dfu 08000000:400:10047ff0:08000201
run 1 dfusetool check cm4low.dfu
has out "this looks like a CM4 image (its SP is in D2 SRAM (CM4 alias)); the CM7 boots from 0x08000000"
[ "$(grep -c 'error:' out)" -eq 1 ] || fail "more than one error for one cause"
run 1 dfusetool check "$S/cm4.bin@0x08000000"
has out "this looks like a CM4 image"

# from ELF: the entry point marks the program, whatever its first words
arm-none-eabi-objcopy --version >/dev/null 2>&1 || skip "arm-none-eabi-objcopy is not installed"
arm-none-eabi-objcopy --change-addresses 0x20000 "$S/cm7.elf" moved.elf 2>/dev/null
run 1 dfusetool check --cm7 moved.elf
# the moved ELF keeps its reset vector at 0x080002xx: a real error, read
# at the program's start (0x08020000)
has out "0x08020004-0x08020007: error: cm7: the CM7's reset handler"

