# Files that are not DfuSe at all: one not-dfuse error at offset 0 that
# says what the file is, nothing else, exit 1.  The plain DFU 1.0 file
# gets its suffix from dfu-util's dfu-suffix (an independent writer).
. "$LIB"
S=$SAMPLES/h745-blinky
# PNG: signature and the start of an IHDR chunk
printf '\211PNG\r\n\032\n\000\000\000\rIHDR' > img.png
run 1 dfusetool dump img.png
has out "error   not-dfuse at offset 0x0: not a DfuSe file, nor a plain DFU file with a valid suffix: the 16 bytes start with 89 50 4e 47 0d 0a 1a 0a 00 00 00 0d 49 48 44 52 (\"\\x89PNG\\x0d\\x0a\\x1a\\x0a\\x00\\x00\\x00\\x0dIHDR\")"
[ "$(grep -c '^    ' out)" -eq 1 ] || fail "more than one diagnostic"
hasnt out "check ("

run 1 dfusetool dump "$S/cm7.elf"
has out "error   not-dfuse at offset 0x0: an ELF file"
[ "$(grep -c '^    ' out)" -eq 1 ] || fail "more than one diagnostic"
run 1 dfusetool dump "$S/cm7.hex"
has out "error   not-dfuse at offset 0x0: Intel HEX text"
[ "$(grep -c '^    ' out)" -eq 1 ] || fail "more than one diagnostic"

need dfu-suffix
cp "$S/cm4.bin" plain.dfu
dfu-suffix -v 0483 -p df11 -d 0200 -a plain.dfu > /dev/null
n=$(wc -c < "$S/cm4.bin" | tr -d ' ')
run 1 dfusetool dump plain.dfu
has out "error   not-dfuse at offset 0x0: a plain DFU file (bcdDFU 0x0100), not DfuSe: $n bytes of data for VID:PID 0483:df11 (bcdDevice 0x0200)"
has out "it can be loaded as a raw binary at the address it was built for"
has out "hint: give it to 'dfusetool build' as plain.dfu@ADDR"
[ "$(grep -c '^    ' out)" -eq 1 ] || fail "more than one diagnostic"
run 1 dfusetool dump --json plain.dfu
has out '"code": "not-dfuse"'
