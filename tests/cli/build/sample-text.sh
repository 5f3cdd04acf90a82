# build on the sample ELFs, whole output: the element table and the
# summary on stdout, the findings on stderr (sample-text.stdout/.stderr),
# and the bytes by their sha256.
cp "$SAMPLES/h745-blinky/cm7.elf" "$SAMPLES/h745-blinky/cm4.elf" .
dfusetool build --cm7 cm7.elf --cm4 cm4.elf -o h745.dfu
dfusetool build --cm7 cm7.elf -o cm7.dfu
sha256sum h745.dfu cm7.dfu
