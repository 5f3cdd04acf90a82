# usbtest --exec's board options, seen through Debian's dfu-util (a reader
# we did not write): the option-byte block on alt 1 (--rdp, --bcm4,
# --boot-cm4, --protect-sector, --swap-bank, --ob-word, --ob-in,
# --ob-size), --no-alt1 and --alt1-string, the bootloader ID in system
# memory, the leave modes, USB resets and the model line's alt=, resets=
# and data_uploads= fields.  Expected bytes are written out by hand from
# RM0399 Table 20 (little-endian words at register offset - 0x1C).
. "$LIB"
need dfu-util od
field() { sed -n "s/^model:.* $1=\([^ ]*\).*/\1/p" err | tail -n 1; }
# hex FILE OFFSET COUNT: COUNT bytes of FILE from OFFSET as "aa bb ..."
hex() { od -An -tx1 -j "$2" -N "$3" "$1" | tr -s ' \n' '  ' | sed 's/^ //; s/ $//'; }
ob() { rm -f ob.bin; run 0 "$USBTEST" --exec "$@" -- dfu-util -a 1 -s 0x5200201C:308 -U ob.bin; }

# factory block, 308 bytes: OPTSR 0x17C6AAF0, BOOT4 0x10000810, the
# bank-2 WPSN 0x000000FF, the OPTCR alias with OPTLOCK only
ob --ob-size 308
[ "$(wc -c <ob.bin)" -eq 308 ] || fail "308-byte block is $(wc -c <ob.bin) bytes"
[ "$(hex ob.bin 0 4)" = "f0 aa c6 17" ] || fail "OPTSR_CUR $(hex ob.bin 0 4)"
[ "$(hex ob.bin 0x2c 4)" = "10 08 00 10" ] || fail "BOOT4_CUR $(hex ob.bin 0x2c 4)"
[ "$(hex ob.bin 0x11c 4)" = "ff 00 00 00" ] || fail "WPSN_CUR2 $(hex ob.bin 0x11c 4)"
[ "$(hex ob.bin 0xfc 4)" = "01 00 00 00" ] || fail "OPTCR alias $(hex ob.bin 0xfc 4)"
[ "$(field alt)" = 1 ] || fail "alt=$(field alt)"
[ "$(field resets)" = 0 ] || fail "resets=$(field resets)"
# the default answers 128 bytes
ob
[ "$(wc -c <ob.bin)" -eq 128 ] || fail "default block is $(wc -c <ob.bin) bytes"

# BCM4=0 (bit 22 of 0x17C6AAF0 -> 0x1786AAF0), CM4 from 0x08180000 (ADD0
# bits 31:16 in the low half, ADD1 0x1000 kept), sector 9 protected (bit
# 1 of WPSN_CUR2: 0xFD), SWAP_BANK (bit 31 and the alias), a raw word
ob --ob-size 308 --bcm4 0 --boot-cm4 0x08180000 --protect-sector 9 \
	--swap-bank 1 --ob-word 0x40=0x12345678
[ "$(hex ob.bin 0 4)" = "f0 aa 86 97" ] || fail "OPTSR_CUR $(hex ob.bin 0 4)"
[ "$(hex ob.bin 0x2c 4)" = "18 08 00 10" ] || fail "BOOT4_CUR $(hex ob.bin 0x2c 4)"
[ "$(hex ob.bin 0x30 4)" = "18 08 00 10" ] || fail "BOOT4_PRG $(hex ob.bin 0x30 4)"
[ "$(hex ob.bin 0x11c 4)" = "fd 00 00 00" ] || fail "WPSN_CUR2 $(hex ob.bin 0x11c 4)"
[ "$(hex ob.bin 0x1c 4)" = "ff 00 00 00" ] || fail "WPSN_CUR1 $(hex ob.bin 0x1c 4)"
[ "$(hex ob.bin 0xfc 4)" = "01 00 00 80" ] || fail "OPTCR alias $(hex ob.bin 0xfc 4)"
[ "$(hex ob.bin 0x40 4)" = "78 56 34 12" ] || fail "word 0x40 $(hex ob.bin 0x40 4)"
# the CM7 boot address, and the options apply in order
ob --boot-cm7 0x08020000 --ob-word 0x24=0x1FF00801
[ "$(hex ob.bin 0x24 4)" = "01 08 f0 1f" ] || fail "BOOT7_CUR $(hex ob.bin 0x24 4)"
[ "$(hex ob.bin 0x28 4)" = "02 08 f0 1f" ] || fail "BOOT7_PRG $(hex ob.bin 0x28 4)"

# a raw image in: 8 bytes replace the first two words, the rest stays
printf '\360\252\306\027\001\002\003\004' >img
ob --ob-in img
[ "$(hex ob.bin 0 8)" = "f0 aa c6 17 01 02 03 04" ] || fail "ob-in $(hex ob.bin 0 8)"
[ "$(hex ob.bin 0x24 4)" = "00 08 f0 1f" ] || fail "ob-in BOOT7 $(hex ob.bin 0x24 4)"

# RDP level 1: the block read is refused with errVENDOR (status 11)
rm -f ob.bin
run 74 "$USBTEST" --exec --rdp 0xBB -- dfu-util -a 1 -s 0x5200201C:128 -U ob.bin
[ "$(field status)" = 11 ] || fail "status=$(field status) under RDP 1"

# no alt 1: no "@Option Bytes" string, SET_INTERFACE 1 fails
run 0 "$USBTEST" --exec --no-alt1 -- dfu-util -l
has out 'alt=0, name="@Internal Flash'
hasnt out "alt=1"
rm -f ob.bin
run 74 "$USBTEST" --exec --no-alt1 -- dfu-util -a 1 -s 0x5200201C:128 -U ob.bin
[ "$(field xfers)" = 0 ] || fail "xfers=$(field xfers) without alt 1"
run 0 "$USBTEST" --exec --alt1-string "@Option Bytes   /0x5200201C/01*88 e" -- dfu-util -l
has out 'alt=1, name="@Option Bytes   /0x5200201C/01*88 e"'

# the bootloader ID at 0x1FF1E7FE (filler: the address's low byte)
rm -f id.bin
run 0 "$USBTEST" --exec -- dfu-util -a 0 -s 0x1FF1E7FC:4:force -U id.bin
[ "$(hex id.bin 0 4)" = "fc fd 92 ff" ] || fail "ID bytes $(hex id.bin 0 4)"
[ "$(field data_uploads)" = 1 ] || fail "data_uploads=$(field data_uploads)"
rm -f id.bin
run 0 "$USBTEST" --exec --bootloader-id 0x90 -- dfu-util -a 0 -s 0x1FF1E7FE:2:force -U id.bin
[ "$(hex id.bin 0 1)" = "90" ] || fail "ID $(hex id.bin 0 1)"
rm -f id.bin
run 74 "$USBTEST" --exec --bootloader-id none -- dfu-util -a 0 -s 0x1FF1E7FE:2:force -U id.bin
[ "$(field status)" = 1 ] || fail "status=$(field status) (errTARGET expected)"
rm -f id.bin
run 74 "$USBTEST" --exec --rdp 0x00 -- dfu-util -a 0 -s 0x1FF1E7FE:2:force -U id.bin
[ "$(field status)" = 11 ] || fail "status=$(field status) (errVENDOR expected)"

# the leave modes, after a 16-byte upload
leave() { rm -f x.bin; run "$1" "$USBTEST" --exec --leave-mode "$2" -- dfu-util -a 0 -s 0x08000000:16:leave -U x.bin; }
leave 0 manifest
[ "$(field left)" = 0x08000000 ] || fail "manifest: left=$(field left)"
leave 74 stall-gone
has err "Error during download get_status"
[ "$(field left)" = 0x08000000 ] || fail "stall-gone: left=$(field left)"
leave 74 stall-stay
has err "Error during download get_status"
[ "$(field left)" = no ] || fail "stall-stay: left=$(field left)"
[ "$(field state)" = 6 ] || fail "stall-stay: state=$(field state)"
leave 74 gone
[ "$(field left)" = 0x08000000 ] || fail "gone: left=$(field left)"

# USB resets (dfu-util -R sends DETACH, which the ROM stalls: dfuERROR,
# then resets): counted, obeyed or not
rm -f x.bin
run 0 "$USBTEST" --exec -- dfu-util -a 0 -R -s 0x08000000:16 -U x.bin
[ "$(field resets)" = 1 ] || fail "resets=$(field resets)"
[ "$(field state)" = 2 ] || fail "state=$(field state) after the reset"
rm -f x.bin
run 0 "$USBTEST" --exec --reset-ignored -- dfu-util -a 0 -R -s 0x08000000:16 -U x.bin
[ "$(field resets)" = 1 ] || fail "ignored: resets=$(field resets)"
[ "$(field state) $(field status)" = "10 15" ] || fail "ignored: state=$(field state) status=$(field status) (the stall's dfuERROR kept)"

# write protection: errERASE (status 4) by default, AN3156's silent OK
# with --wrp-erase-silent (dfu-util erases the page it writes, sector 3:
# "done", and then the write fails with errWRITE, status 3)
head -c 64 /dev/zero >z.bin
run 74 "$USBTEST" --exec --protect-sector 3 -- dfu-util -a 0 -s 0x08060000 -D z.bin
[ "$(field status)" = 4 ] || fail "status=$(field status) (errERASE expected)"
run 74 "$USBTEST" --exec --wrp-erase-silent --protect-sector 3 -- dfu-util -a 0 -s 0x08060000 -D z.bin
has out "Erase    done."
[ "$(field erases) $(field status)" = "1 3" ] || fail "erases=$(field erases) status=$(field status)"

# strict values
for bad in "--rdp 0x100" "--bcm4 2" "--bcm7 yes" "--swap-bank -1" \
	"--protect-sector 16" "--boot-cm4 0x08180004" "--ob-word 0x2=1" \
	"--ob-word 0x134=1" "--ob-word 0x40" "--ob-size 124" "--ob-size 130" \
	"--ob-size 312" "--bootloader-id 0x192" "--leave-mode left" \
	"--ob-in /nonexistent"; do
	# shellcheck disable=SC2086
	run 125 "$USBTEST" --exec $bad -- true
done
head -c 309 /dev/zero >big
run 125 "$USBTEST" --exec --ob-in big -- true
has err "1 to 308 bytes"
: >empty
run 125 "$USBTEST" --exec --ob-in empty -- true
