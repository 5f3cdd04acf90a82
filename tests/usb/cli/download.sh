# dfusetool download: the merged CM7+CM4 blinky onto the emulated H745 ROM
# bootloader with its bank-2 erase bug on, verified and left; the model's
# flash afterwards holds every element of the file at its address.
. "$LIB"
"$DFUSETOOL" download --help >/dev/null 2>&1 || skip "'dfusetool download' is not a command yet"
need python3
field() { sed -n "s/^model:.* $1=\([^ ]*\).*/\1/p" err | tail -n 1; }
flash_has() { python3 "$ROOT/tests/usb/cli/flash_has.py" "$@"; }

S=$SAMPLES/h745-blinky
run 0 "$DFUSETOOL" build --force --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o img.dfu
run 0 "$USBTEST" --exec --bank2-bug --poll-ms 10 --flash-out flash.bin -- "$DFUSETOOL" download --verify --leave img.dfu
flash_has img.dfu flash.bin --blank-elsewhere
[ "$(field clrstatus)" -ge 2 ] || fail "clrstatus=$(field clrstatus), expected >= 2"
has err "left=0x08000000"
# the two bank-1/bank-2 sectors, once each
has err "erases=2 "
# the recovery and the CM4's reset are told
cat out err >all
grep -qiE 'bank.?2|clrstatus' all || { cat all >&2; fail "the bank-2 recovery is not mentioned"; }
grep -qi 'reset' all || { cat all >&2; fail "no word that the CM4 starts after a reset"; }
# the check's warning (the CM7 SP at the end of DTCM) is told before the
# first erase, not after the work
w=$(grep -n 'sp-near-ram-end' err | head -n 1 | cut -d: -f1)
e=$(grep -n '^erase' err | head -n 1 | cut -d: -f1)
[ -n "$w" ] && [ -n "$e" ] && [ "$w" -lt "$e" ] || { cat err >&2; fail "the sp-near-ram-end warning (line ${w:-none}) is not before the erase (line ${e:-none})"; }
