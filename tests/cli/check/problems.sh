# One problem per file, each refused (exit 1) with its code, or warned
# about where the rule is a warning: the cases a user meets.
. "$LIB"
S=$SAMPLES/h745-blinky
M="python3 $ROOT/tests/cli/mkdfu.py"
GOOD7=08000000:400:2001fff0:08000201
GOOD4=08100000:400:10047ff0:08100201
expect() { # STATUS CODE FILE [options]
	st=$1; code=$2; shift 2
	run "$st" dfusetool check "$@"
	has out "[$code]"
}
# crosses the bank boundary
$M cross.dfu 080fff00:200:2001fff0:080fff01 $GOOD4
expect 1 crosses-bank cross.dfu
# a CM4 image in bank 1: as an input, and in a file (its SP is CM4-only)
expect 1 wrong-bank --cm4 "$S/cm4.bin@0x08000000"
$M cm4low.dfu 08000000:400:10047ff0:08000201
expect 1 sp-not-in-core-ram cm4low.dfu
has out "the CM7's initial SP 0x10047ff0"
# overlapping elements (the reader's finding) and overlapping cores
$M overlap.dfu $GOOD7 08000200:400 $GOOD4
expect 1 element-overlap overlap.dfu
# SP outside the core's RAM
$M sp.dfu 08000000:400:08001000:08000201 $GOOD4
expect 1 sp-not-in-core-ram sp.dfu
# even reset vector
$M even.dfu 08000000:400:2001fff0:08000200 $GOOD4
expect 1 reset-not-thumb even.dfu
# data in system memory
$M sys.dfu $GOOD7 $GOOD4 1ff00000:20
expect 1 not-writable sys.dfu
# data in AXI SRAM: a warning; in SRAM1, which the ROM cannot write: error
$M axi.dfu $GOOD7 $GOOD4 24010000:20
expect 0 ram-element axi.dfu
run 1 dfusetool check --strict axi.dfu
$M sram1.dfu $GOOD7 $GOOD4 30000000:20
expect 1 bootloader-cannot-write sram1.dfu
# past the end of flash
$M past.dfu $GOOD7 $GOOD4 081fff00:200
expect 1 outside-memory past.dfu
has out "0x08200000-0x082000ff"
# a 32-bit address wrap
$M wrap.dfu $GOOD7 $GOOD4 ffffff00:200
expect 1 outside-memory wrap.dfu
has out "wraps past 0xffffffff"
# both cores in one erase sector
$M shared.dfu $GOOD7 $GOOD4
expect 1 shared-sector --cm7 "$S/cm7.bin" --cm4 "$S/cm4.bin@0x08010000"
# a misaligned vector table behind a bootloader
expect 1 vector-table-misaligned --cm7 "$S/cm7.bin@0x08020200"
# the clean pair passes
$M clean.dfu $GOOD7 $GOOD4
run 0 dfusetool check clean.dfu
has out "clean.dfu: 0 errors, 0 warnings"
