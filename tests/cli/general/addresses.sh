# Numbers mean one thing: @ADDR and every address option take 0x... hex or
# plain decimal.  A leading zero is refused as ambiguous with the hex
# spelling suggested; a malformed address says "not an address" (never
# "cannot open"); --boot-cm7 0 says 0 is not a flash address.
. "$LIB"
S=$SAMPLES/h745-blinky

# @08000000 once read as decimal 8000000 (0x007A1200), without a word
run 2 dfusetool build --cm7 "$S/cm7.bin@08000000" -o x.dfu
has err "'08000000' is not an address: a leading zero is ambiguous"
has err "write 0x08000000 for hex, or 8000000 for decimal"
[ ! -e x.dfu ] || fail "x.dfu was written"
# a usage error (exit 2) wherever the address is given
run 2 dfusetool build -o x.dfu "$S/cm7.bin@08000000"
has err "write 0x08000000 for hex"
run 2 dfusetool check "$S/cm7.bin@08000000"
has err "a leading zero is ambiguous"
# the spellings that mean one thing still work, and agree
run 0 dfusetool build --cm7 "$S/cm7.bin@0x08000000" -o hex.dfu
run 0 dfusetool build --cm7 "$S/cm7.bin@134217728" -o dec.dfu
cmp hex.dfu dec.dfu || fail "0x08000000 and 134217728 differ"

# garbage after '@': not an address, shown, and no "cannot open"
run 2 dfusetool build --cm7 "$S/cm7.bin@garbage" -o x.dfu
has err "'garbage' is not an address: write 0x... hex or plain decimal"
hasnt err "cannot open"
run 2 dfusetool check "$S/cm7.bin@0x0800000g"
has err "'0x0800000g' is not an address"
hasnt err "cannot open"
for c in "convert -o x.hex" "merge -o x.dfu" "split -o d" "map" "download --dry-run"; do
	run 2 dfusetool $c "$S/cm7.bin@zz"
	has err "'zz' is not an address"
done
run 2 dfusetool build --cm7 "$S/cm7.bin@0x100000000" -o x.dfu
has err "'0x100000000' is not an address: out of range"
# a file whose name really holds an '@' is still that file
cp "$S/cm7.bin" 'fw@v2.bin'
run 0 dfusetool build --cm7 'fw@v2.bin' -o at.dfu
# a missing one: the address is what is wrong with it
run 2 dfusetool build --cm7 'nofw@v2.bin' -o x.dfu
has err "'v2.bin' is not an address"

# address options
run 2 dfusetool check --boot-cm7 0 "$S/cm7.bin@0x08000000"
has err "--boot-cm7 0: address 0 is not a flash address"
run 2 dfusetool check --boot-cm4 08100000 "$S/cm7.bin@0x08000000"
has err "--boot-cm4 '08100000' is not an address: a leading zero is ambiguous"
has err "write 0x08100000 for hex"
run 2 dfusetool download --dry-run --leave=08000000 x.dfu
has err "--leave='08000000' is not an address: a leading zero"
run 2 dfusetool convert --range 08000000:0x08001000 -o x.bin hex.dfu
[ ! -e x.bin ] || fail "x.bin was written"
