# Small things a new user hit: "did you mean" for a mistyped command or
# option, a DfuSe file given to build points to merge, an empty input says
# "is empty" (it is not a raw binary missing its address).
. "$LIB"
S=$SAMPLES/h745-blinky

run 2 dfusetool biuld
has err "'biuld' is not a dfusetool command; did you mean 'build'?"
run 2 dfusetool help chek
has err "did you mean 'check'?"
run 2 dfusetool frobnicate
has err "see 'dfusetool --help'"
hasnt err "did you mean"
run 2 dfusetool download --verfy x.dfu
has err "unknown option '--verfy'; did you mean '--verify'?"
run 2 dfusetool check --boot-cm8=0x08000000 x.dfu
has err "did you mean '--boot-cm7'?"
run 2 dfusetool build --zzzzzz -o x.dfu
hasnt err "did you mean"

# a DfuSe file is not a build input
run 0 dfusetool build --cm7 "$S/cm7.elf" -o a.dfu
run 1 dfusetool build -o b.dfu a.dfu
has err "'a.dfu': is a DfuSe file"
has err "use 'dfusetool merge'"
[ ! -e b.dfu ] || fail "b.dfu was written"
run 1 dfusetool build --cm4 a.dfu -o b.dfu
has err "use 'dfusetool merge'"
# other failures get no such hint
run 1 dfusetool build -o b.dfu nothere.elf
hasnt err "merge"

# an empty input
: > empty.bin
for args in "build --cm7 empty.bin -o e.dfu" "build -o e.dfu empty.bin" \
	    "build -o e.dfu empty.bin@0x08000000" "check empty.bin" \
	    "convert empty.bin -o e.hex"; do
	run 1 dfusetool $args
	has err "'empty.bin': is empty (0 bytes)"
	hasnt err "raw binary"
done
[ ! -e e.dfu ] && [ ! -e e.hex ] || fail "an output was written"
