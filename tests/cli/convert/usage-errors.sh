# convert's usage errors, each exit 2 with its reason and the --help hint
# on stderr (usage-errors.stderr); the last one's status is the case's.
. "$LIB"
cp "$SAMPLES/h745-blinky/cm7.elf" .
usage_errors convert "--fill 0x100 cm7.elf -o x.bin" "--format elf cm7.elf -o x" \
	 "--range 0x10:0x8 cm7.elf -o x.bin" "cm7.elf" "-o x.hex"
dfusetool convert --fill 0xff cm7.elf -o x.hex
