# dump of the sample build, whole text (sample-text.stdout): prefix,
# target, elements with bank, sector and sha256, suffix, CRC and the
# check; then a one-core file, whose check warns.
cp "$SAMPLES/h745-blinky/cm7.elf" "$SAMPLES/h745-blinky/cm4.elf" .
dfusetool build -q --cm7 cm7.elf --cm4 cm4.elf -o h745.dfu 2>/dev/null
dfusetool build -q --cm7 cm7.elf -o cm7.dfu 2>/dev/null
dfusetool dump h745.dfu
dfusetool dump cm7.dfu
