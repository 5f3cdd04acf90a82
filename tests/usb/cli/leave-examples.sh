# The EXAMPLES of dfusetool-leave(1), word for word (tests/check-man.sh
# looks for them here), against the emulated H745 ROM bootloader.
. "$LIB"
"$DFUSETOOL" leave --help >/dev/null 2>&1 || skip "'dfusetool leave' is not a command yet"
need python3

run 0 "$USBTEST" --exec -- dfusetool leave
has out "left DFU mode"
has err "left=0x08000000"
run 0 "$USBTEST" --exec -- dfusetool leave --address 0x08000000 --json
pyjson out "d['ok'] and d['left_how'] == 'manifest' and d['address'] == 0x08000000"
