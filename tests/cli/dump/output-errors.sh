# Output that cannot be written is a failure (git's rule): dump to a full
# disk exits 1 with the reason.  A missing file exits 1 and names it.
. "$LIB"
S=$SAMPLES/h745-blinky
run 0 dfusetool build --cm7 "$S/cm7.elf" -o x.dfu
run 1 sh -c 'dfusetool dump x.dfu > /dev/full'
has err "No space left on device"
run 1 dfusetool dump missing.dfu
has err "cannot open 'missing.dfu'"
# several files: all are processed, the status combines them
run 1 dfusetool dump x.dfu missing.dfu
has out "x.dfu: "
# not a DfuSe file: read as far as it goes, with a hint
run 1 dfusetool dump "$S/cm7.hex"
has err "looks like ihex input, not a DfuSe file"
has out "not-dfuse at offset 0x0: Intel HEX text"
hasnt out "bad-prefix-signature"
