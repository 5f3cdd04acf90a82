# check of the sample build and of a one-core file, whole output: the
# verdict lines on stdout, the findings on stderr (sample-text.stdout,
# .stderr).
cp "$SAMPLES/h745-blinky/cm7.elf" "$SAMPLES/h745-blinky/cm4.elf" .
dfusetool build -q --cm7 cm7.elf --cm4 cm4.elf -o h745.dfu 2>/dev/null
dfusetool build -q --cm7 cm7.elf -o cm7.dfu 2>/dev/null
dfusetool check h745.dfu
dfusetool check cm7.dfu
dfusetool check h745.dfu cm7.dfu
dfusetool check --cm7 cm7.elf --cm4 cm4.elf
