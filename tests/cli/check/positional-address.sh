# A positional FILE@ADDR is an image input for check, map and download
# alike (its content decides, and @ADDR is not part of the file name).
. "$LIB"
S=$SAMPLES/h745-blinky
run 0 dfusetool check "$S/cm7.bin@0x08000000" "$S/cm4.bin@0x08100000"
has out "0 errors"
run 0 dfusetool map --json "$S/cm4.bin@0x08100000"
has out '"core": "cm4"'
run 1 dfusetool check missing.bin@0x08000000
has err "cannot open 'missing.bin'"
