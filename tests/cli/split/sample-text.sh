# split of the sample build, by core and by element, in DfuSe and HEX,
# whole output (sample-text.stdout): each file it wrote, the directory
# listings, and the bytes by their sha256.
cp "$SAMPLES/h745-blinky/cm7.elf" "$SAMPLES/h745-blinky/cm4.elf" .
dfusetool build -q --cm7 cm7.elf --cm4 cm4.elf -o h745.dfu 2>/dev/null
dfusetool split h745.dfu -o parts
dfusetool split --by element --format hex h745.dfu -o hex
dfusetool split --by target --format srec h745.dfu -o srec
ls parts hex srec
sha256sum parts/* hex/* srec/*
