# convert between the formats on the sample build, whole output
# (sample-text.stdout): what each conversion says it wrote, and the bytes
# by their sha256.
cp "$SAMPLES/h745-blinky/cm7.elf" "$SAMPLES/h745-blinky/cm4.elf" \
   "$SAMPLES/h745-blinky/cm4.hex" "$SAMPLES/h745-blinky/cm7.srec" .
dfusetool build -q --cm7 cm7.elf --cm4 cm4.elf -o h745.dfu 2>/dev/null
dfusetool convert h745.dfu -o h745.hex
dfusetool convert h745.dfu -o h745.srec
dfusetool convert --range 0x08000000:0x08000400 --fill 0xff h745.dfu -o cm7.bin
dfusetool convert cm4.hex -o cm4.dfu
dfusetool convert cm7.srec -o cm7.hex
dfusetool convert cm7.elf -o cm7-elf.srec
sha256sum h745.hex h745.srec cm7.bin cm4.dfu cm7.hex cm7-elf.srec
