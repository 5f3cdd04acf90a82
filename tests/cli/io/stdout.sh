# -o - (and -o /dev/stdout) writes the output alone on standard output,
# for every single-file output; what the command would print there goes
# to standard error.  A replaced file keeps its mode.
. "$LIB"
S=$SAMPLES/h745-blinky
run 0 dfusetool build --cm7 "$S/cm7.elf" -o file.dfu
dfusetool build --cm7 "$S/cm7.elf" -o - > std.dfu 2>err
cmp std.dfu file.dfu || fail "build -o - differs"
hasnt err "wrote -"
dfusetool build --cm7 "$S/cm7.elf" -o /dev/stdout > std2.dfu 2>/dev/null
cmp std2.dfu file.dfu || fail "build -o /dev/stdout differs"
dfusetool build --json --cm7 "$S/cm7.elf" -o - > std3.dfu 2>json
cmp std3.dfu file.dfu || fail "build --json -o - differs"
pyjson json 'd["written"] is True'
dfusetool merge -o - file.dfu > m.dfu 2>/dev/null
run 0 dfusetool merge -o m2.dfu file.dfu
cmp m.dfu m2.dfu || fail "merge -o - differs"
dfusetool convert file.dfu --format srec -o - > c.srec 2>/dev/null
run 0 dfusetool convert file.dfu -o c2.srec
cmp c.srec c2.srec || fail "convert -o - differs"
dfusetool map -o - file.dfu > pic.svg 2>/dev/null
head -c 5 pic.svg | grep -q '<?xml' || fail "map -o - is not SVG"
# appended to, as the shell asked
echo first > log
dfusetool build --cm7 "$S/cm7.elf" -o - >> log 2>/dev/null
head -n 1 log | grep -qx first || fail "-o - did not append"
# a replaced file keeps its mode (install -C)
chmod 640 file.dfu
run 0 dfusetool build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o file.dfu
[ "$(stat -c %a file.dfu)" = 640 ] || fail "mode not kept: $(stat -c %a file.dfu)"
