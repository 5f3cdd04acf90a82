# The device EXAMPLES of dfusetool-check(1), word for word
# (tests/check-man.sh looks for them here), against the emulated H745 ROM.
. "$LIB"
"$DFUSETOOL" check --help 2>/dev/null | grep -q -- --live || skip "'dfusetool check --live' is not there yet"
ln -s "$SAMPLES" samples

run 0 dfusetool build --cm7 samples/h745-blinky/cm7.elf --cm4 samples/h745-blinky/cm4.elf -o release.dfu
run 0 "$USBTEST" --exec -- dfusetool check --live --verify release.dfu
has out "0 errors"
has err "erases=0 "
