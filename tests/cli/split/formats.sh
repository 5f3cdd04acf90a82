# split --format hex, srec, bin: the names carry the core and, for raw
# binaries, the address; srec_cat reads each part back to the bytes of the
# elements the independent reader (dfuse_ref.py) extracts from the .dfu;
# a bin part is one contiguous run and can be given back as FILE@ADDR.
. "$LIB"
need python3 srec_cat
S=$SAMPLES/h745-blinky
run 0 dfusetool build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o both.dfu
python3 "$ROOT/tests/cli/dfuse_ref.py" both.dfu --extract > ref.json
run 0 dfusetool split both.dfu --format hex -o hex
[ "$(ls hex | tr '\n' ' ')" = "cm4.hex cm7.hex " ] || fail "hex names: $(ls hex)"
run 0 dfusetool split both.dfu --format srec -o srec
[ "$(ls srec | tr '\n' ' ')" = "cm4.srec cm7.srec " ] || fail "srec names: $(ls srec)"
run 0 dfusetool split both.dfu --format bin -o bin
[ "$(ls bin | tr '\n' ' ')" = "cm4@0x08100000.bin cm7@0x08000000.bin " ] || fail "bin names: $(ls bin)"
srec_cat hex/cm7.hex -intel -offset -0x08000000 -o a.bin -binary
srec_cat srec/cm7.srec -motorola -offset -0x08000000 -o b.bin -binary
cmp a.bin both.dfu.t0.e0.bin || fail "hex part"
cmp b.bin both.dfu.t0.e0.bin || fail "srec part"
cmp bin/cm7@0x08000000.bin both.dfu.t0.e0.bin || fail "bin part cm7"
cmp bin/cm4@0x08100000.bin both.dfu.t0.e1.bin || fail "bin part cm4"
# the bins go back in with their addresses, as build's padded elements
run 0 dfusetool merge -o again.dfu bin/cm7@0x08000000.bin@0x08000000 --cm4 bin/cm4@0x08100000.bin
cmp again.dfu both.dfu || fail "bins merged back differ"
# by element, touching elements make one bin file each
run 0 dfusetool split "$S/cm4.elf" --by element --format hex -o el
[ "$(ls el | wc -l)" -ge 1 ] || fail "no parts"
run 2 dfusetool split both.dfu --format elf
run 2 dfusetool split both.dfu --by bank
