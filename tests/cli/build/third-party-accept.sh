# Third-party readers accept what we build: dfu-suffix -c, dfuse-pack -d
# (dfu-util's tools) and fwupdtool where fwupd is installed.
. "$LIB"
need dfu-suffix dfuse-pack
S=$SAMPLES/h745-blinky
run 0 dfusetool build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o h745.dfu
run 0 dfu-suffix -c h745.dfu
has out "Vendor ID:	0x0483"
has out "Product ID:	0xDF11"
has out "BCD DFU:	0x011A"
run 0 dfuse-pack -d h745.dfu
has out "image size: $(( $(wc -c < h745.dfu) - 16 )), targets: 1"
has out "0, address: 0x08000000, size: 896"
has out "1, address: 0x08100000, size: 896"
has out "usb: 0483:df11, device: 0xffff, dfu: 0x011a"
# dfuse-pack wrote each element to a file: they are the ELF bytes, padded
cmp h745.dfu.target0.image0.bin "$S/cm7.bin" -n "$(wc -c < "$S/cm7.bin")" || fail "cm7 element differs from cm7.bin"
cmp h745.dfu.target0.image1.bin "$S/cm4.bin" -n "$(wc -c < "$S/cm4.bin")" || fail "cm4 element differs from cm4.bin"
if command -v fwupdtool >/dev/null 2>&1; then
	run 0 fwupdtool firmware-parse h745.dfu dfuse
	has out "<addr>0x8000000</addr>"
	has out "<addr>0x8100000</addr>"
	has out '<data size="0x380" />'
else
	echo "fwupdtool not installed: that reader was not tried" >&2
fi
