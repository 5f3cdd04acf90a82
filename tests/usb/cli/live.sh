# dfusetool check --live: the same verdicts as download against the
# board's option bytes, with nothing erased or written, whatever the board;
# without --live no USB is opened and the device options are usage errors.
. "$LIB"
"$DFUSETOOL" check --help 2>/dev/null | grep -q -- --live || skip "'dfusetool check --live' is not there yet"
need python3
S=$SAMPLES/h745-blinky
j() { python3 -c 'import json,sys; d=json.load(open("out")); print(eval(sys.argv[1]))' "$1"; }
no_writes() {
	if awk '$3 == "DNLOAD" && $6 != "0x21" { bad = 1 } END { exit !bad }' "$1"; then
		cat "$1" >&2; fail "the log shows a DNLOAD that is not Set Address Pointer"
	fi
}
live() { # STATUS, then the usbtest options -- the check arguments
	want=$1; shift
	run "$want" "$USBTEST" --exec --log log "$@"
	has err "erases=0 "
	no_writes log
}

run 0 "$DFUSETOOL" build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o release.dfu
python3 -c 'import sys; sys.stdout.buffer.write(b"\x5a" * 64)' > data.bin
run 0 "$DFUSETOOL" build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" data.bin@0x08120000 -o p9.dfu

# without --live: unchanged, no USB (no model transfer at all)
run 0 "$USBTEST" --exec -- "$DFUSETOOL" check release.dfu
has err "xfers=0 "
run 2 "$DFUSETOOL" check --verify release.dfu
has err "only with --live"
run 2 "$DFUSETOOL" check -d 0483:df11 release.dfu
has err "only with --live"

live 0 -- "$DFUSETOOL" check --live --json release.dfu
[ "$(j 'd["board"], d["board_why"], d["errors"]')" = "('read', None, 0)" ] || fail "factory: $(cat out)"
live 0 --bcm4 0 -- "$DFUSETOOL" check --live release.dfu
has out "[core-boot-disabled"
live 1 --bcm4 0 -- "$DFUSETOOL" check --live --strict release.dfu
live 1 --rdp 0xBB -- "$DFUSETOOL" check --live --verify release.dfu
has out "[read-protected"
live 0 --rdp 0xBB -- "$DFUSETOOL" check --live --json release.dfu
[ "$(j 'd["board"], d["board_why"] != ""')" = "('protected', True)" ] || fail "rdp: $(cat out)"
live 1 --swap-bank 1 -- "$DFUSETOOL" check --live release.dfu
has out "[swap-bank"
live 0 --swap-bank 1 -- "$DFUSETOOL" check --live --allow swap-bank release.dfu
# bank 2's protection is only in a block of 308 bytes; with 128 a note
live 0 --protect-sector 9 -- "$DFUSETOOL" check --live p9.dfu
has out "[write-protection-unknown"
live 1 --ob-size 308 --protect-sector 9 -- "$DFUSETOOL" check --live p9.dfu
has out "[write-protected"
live 0 --ob-size 308 --protect-sector 9 -- "$DFUSETOOL" check --live release.dfu
live 1 --boot-cm4 0x08180000 -- "$DFUSETOOL" check --live release.dfu
has out "[board-boot-address"
live 1 --boot-cm4 0x08180000 -- "$DFUSETOOL" check --live --boot-cm4 0x08100000 release.dfu
has out "[boot-address-conflict"
# no alt 1: said once (the board-not-read note), the profile decides
live 0 --no-alt1 -- "$DFUSETOOL" check --live release.dfu
[ "$(cat out err | grep -c 'option bytes were not read')" = 1 ] || fail "not said once: $(cat out err)"
has out "[board-not-read"
live 0 --no-alt1 -- "$DFUSETOOL" check --live --json release.dfu
[ "$(j 'd["board"]')" = "no-alt" ] || fail "no alt 1: $(cat out)"
# no device: exit 1
run 1 "$USBTEST" --exec -- "$DFUSETOOL" check --live -d 1234:5678 release.dfu
has err "erases=0 "
