# download --dry-run with no device attached: the check and the plan come
# from the profile, or from --layout; nothing is sent.  Without --dry-run
# the same command still fails (exit 1): there is nothing to write to.
# (tests/usb/cli/dry-run.sh has the plan from an attached device.)
. "$LIB"
S=$SAMPLES/h745-blinky
run 0 dfusetool build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o img.dfu
run 0 dfusetool download --dry-run img.dfu
has out "plan: erase 2 sectors, write 1792 bytes in 2 runs"
has out "nothing was sent"
has err "no device in DFU mode: the plan comes from the profile alone"
run 1 dfusetool download img.dfu
has err "no device in DFU mode found"

# 896 bytes of the CM7 program and 200 KiB more: two 128 KiB sectors of
# the H745, or 26 sectors of 8 KiB under --layout
{ cat "$S/cm7.bin"; head -c 204800 /dev/zero; } > big.bin
run 0 dfusetool download --dry-run --cm7 big.bin
has out "plan: erase 2 sectors, write 205696 bytes in 1 run"
run 0 dfusetool download --dry-run --device stm32h745xi \
	--layout '@Flash /0x08000000/256*8Kg' --cm7 big.bin
has out "plan: erase 26 sectors, write 205696 bytes in 1 run"
# the check still refuses what does not fit, with no device either
run 1 dfusetool download --dry-run --device stm32h745xi \
	--layout '@Flash /0x08000000/8*8Kg' --cm7 big.bin
hasnt out "plan:"
# the JSON result has the plan
run 0 dfusetool download --dry-run --json img.dfu
pyjson out "d['ok'] is True and d['dry_run'] is True and d['plan']['sectors'] == 2 and d['plan']['bytes'] == 1792"

# dfu-util's spelling of a device points to -d
run 2 dfusetool download --device 0483:df11 img.dfu
has err "'0483:df11' looks like a USB VID:PID: --device names a profile; pick the USB device with -d VID:PID"
run 2 dfusetool check --device 0483:df11 img.dfu
has err "only 'download' picks a USB device (-d VID:PID)"
run 2 dfusetool check --device stm32h999 img.dfu
hasnt err "VID:PID"
