# dfusetool download against the board's own option bytes (read from alt
# 1 before the first erase): each board that makes the image wrong is
# refused with zero erases and zero data DNLOADs; each board where it is
# right takes it.  check --live gives the same verdicts and writes nothing.
. "$LIB"
"$DFUSETOOL" download --help >/dev/null 2>&1 || skip "'dfusetool download' is not a command yet"
need python3
S=$SAMPLES/h745-blinky
j() { python3 -c 'import json,sys; d=json.load(open("out")); print(eval(sys.argv[1]))' "$1"; }
# log: no erase and no data write (only Set Address Pointer commands)
no_writes() {
	if awk '$3 == "DNLOAD" && $6 != "0x21" { bad = 1 } END { exit !bad }' "$1"; then
		cat "$1" >&2; fail "the log shows a DNLOAD that is not Set Address Pointer"
	fi
}
refused() { # the code, then the usbtest options: refused, nothing written
	code=$1; shift
	run 1 "$USBTEST" --exec --log log "$@"
	has err "erases=0 "
	has err "[$code"
	no_writes log
}

run 0 "$DFUSETOOL" build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o release.dfu
# 64 bytes in bank 2 sector 1 (0x08120000), sector 9 counted from 0x08000000
python3 -c 'import sys; sys.stdout.buffer.write(b"\x5a" * 64)' > data.bin
run 0 "$DFUSETOOL" build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" data.bin@0x08120000 -o p9.dfu
# the CM4 program linked at 0x08180000: its vectors moved by 0x80000
python3 -c '
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
for i in range(0, len(b) - 3, 4):
    w = struct.unpack_from("<I", b, i)[0]
    if 0x08100000 <= w < 0x08100400:
        struct.pack_into("<I", b, i, w + 0x80000)
open("hi.bin", "wb").write(b)' "$S/cm4.bin"
run 0 "$DFUSETOOL" build --cm7 "$S/cm7.elf" --cm4 hi.bin@0x08180000 --boot-cm4 0x08180000 -o hi.dfu

# the factory board: read, done
run 0 "$USBTEST" --exec -- "$DFUSETOOL" download --json release.dfu
[ "$(j 'd["ok"], d["board"], d["sectors_erased"]')" = "(True, 'read', 2)" ] || fail "factory: $(cat out)"

# BCM4=0: a warning before the work that says the CM4 will not start; done
run 0 "$USBTEST" --exec --bcm4 0 -- "$DFUSETOOL" download --verify release.dfu
has err "[core-boot-disabled"
has err "erases=2 "

# RDP level 1 with --verify: refused before the first erase
refused read-protected --rdp 0xBB -- "$DFUSETOOL" download --verify release.dfu
run 1 "$USBTEST" --exec --rdp 0xBB -- "$DFUSETOOL" download --verify --json release.dfu
[ "$(j 'd["ok"], d["board"], d["sectors_erased"]')" = "(False, 'protected', 0)" ] || fail "rdp --json: $(cat out)"

# SWAP_BANK=1 with a dual-core image: refused; --force or --allow swap-bank take it
refused swap-bank --swap-bank 1 -- "$DFUSETOOL" download release.dfu
has err "--force"
run 0 "$USBTEST" --exec --swap-bank 1 -- "$DFUSETOOL" download --force release.dfu
has err "erases=2 "
has err "allowed"
run 0 "$USBTEST" --exec --swap-bank 1 -- "$DFUSETOOL" download --allow swap-bank release.dfu
has err "erases=2 "

# sector 9 write-protected: an image in it is refused, naming the sector
# (bank 2's protection, WPSN_CUR2, is only in a block of 308 bytes)
refused write-protected --ob-size 308 --protect-sector 9 -- "$DFUSETOOL" download p9.dfu
cat out err > all
grep -qi "0x08120000" all || { cat all >&2; fail "the refusal does not name 0x08120000"; }
has err "STM32CubeProgrammer"
# ... and one that does not touch it is not
run 0 "$USBTEST" --exec --ob-size 308 --protect-sector 9 -- "$DFUSETOOL" download release.dfu
has err "erases=2 "

# a PCROP area (PRAR_CUR1 at block offset 0x0C: START 0x000, END 0x0FF,
# 0x08000000-0x0800FFFF) in sector 0, which the CM7 program erases: the
# sector cannot be erased, refused; a secure-only area (SCAR_CUR1, 0x14)
# in sector 5, untouched: downloaded
refused protected-area --ob-word 0x0C=0x00FF0000 -- "$DFUSETOOL" download release.dfu
has err "PRAR_CUR1"
run 0 "$USBTEST" --exec --ob-word 0x14=0x0AFF0A00 -- "$DFUSETOOL" download release.dfu
has err "erases=2 "

# the board's CM4 boots from 0x08180000: the image at 0x08100000 is wrong
refused board-boot-address --boot-cm4 0x08180000 -- "$DFUSETOOL" download release.dfu
# ... the image linked there is right
run 0 "$USBTEST" --exec --boot-cm4 0x08180000 -- "$DFUSETOOL" download --verify hi.dfu
has err "erases=2 "
# --boot-cm4 that disagrees with the board: refused
refused boot-address-conflict --boot-cm4 0x08180000 -- "$DFUSETOOL" download --boot-cm4 0x08100000 release.dfu
has err "drop --boot-cm7/--boot-cm4"

# no alt 1: one line says so, the profile decides, done
run 0 "$USBTEST" --exec --no-alt1 -- "$DFUSETOOL" download --json release.dfu
[ "$(j 'd["ok"], d["board"]')" = "(True, 'no-alt')" ] || fail "no alt 1: $(cat out)"
run 0 "$USBTEST" --exec --no-alt1 -- "$DFUSETOOL" download release.dfu
[ "$(grep -c "option bytes were not read" err)" = 1 ] || fail "the option bytes not read is not said once: $(cat err)"
has err "erases=2 "
