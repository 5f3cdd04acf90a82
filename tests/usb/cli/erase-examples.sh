# The EXAMPLES of dfusetool-erase(1), word for word (tests/check-man.sh
# looks for them here), against the emulated H745 ROM bootloader.
. "$LIB"
"$DFUSETOOL" erase --help >/dev/null 2>&1 || skip "'dfusetool erase' is not a command yet"
need python3

run 0 "$USBTEST" --exec --bank2-bug -- dfusetool erase --cm4
has out "erased 8 sectors (8 recovered from the bank-2 bug)"
has err "erases=8 "
run 0 "$USBTEST" --exec -- dfusetool erase --dry-run --range 0x08100000:0x08140000
has out "would erase 2 sectors: 0x08100000 .. 0x0813FFFF"
has err "erases=0 "
run 0 "$USBTEST" --exec -- dfusetool erase --sector 0,9 --json
pyjson out "d['ok'] and [s['address'] for s in d['sectors']] == [0x08000000, 0x08120000] and d['sectors_erased'] == 2"
