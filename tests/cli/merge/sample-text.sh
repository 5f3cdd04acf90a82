# merge a CM7-only and a CM4-only file of the sample, whole output
# (sample-text.stdout): the merged table and the summary, then the bytes
# by their sha256; the same as building both at once.
cp "$SAMPLES/h745-blinky/cm7.elf" "$SAMPLES/h745-blinky/cm4.elf" .
dfusetool build -q --cm7 cm7.elf -o cm7.dfu 2>/dev/null
dfusetool build -q --cm4 cm4.elf -o cm4.dfu 2>/dev/null
dfusetool build -q --cm7 cm7.elf --cm4 cm4.elf -o both.dfu 2>/dev/null
dfusetool merge cm7.dfu cm4.dfu -o merged.dfu
dfusetool merge cm7.dfu --cm4 cm4.elf -o merged2.dfu
sha256sum merged.dfu merged2.dfu both.dfu
