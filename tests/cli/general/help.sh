# --help on every command, --version, and the exit statuses of usage errors.
. "$LIB"
# every command in the table (dfusetool --help), the ten at least
cmds=$(dfusetool --help | sed -n "/^commands:/,/^$/s/^  \([a-z]*\) .*/\1/p")
[ "$(echo $cmds | wc -w)" -ge 10 ] || fail "dfusetool --help lists too few commands: $cmds"
for c in $cmds; do
	run 0 dfusetool $c --help
	has out "usage: dfusetool $c"
	run 0 dfusetool help $c
	has out "usage: dfusetool $c"
done
run 0 dfusetool --help
has out "build"
has out "dump"
run 0 dfusetool --version
v=$(sed -n 's/^#define DFUSE_VERSION_\(MAJOR\|MINOR\|PATCH\) *\([0-9]*\).*/\2/p' "$ROOT/include/dfuse.h" | paste -sd.)
has out "dfusetool $v"
run 2 dfusetool
run 2 dfusetool frobnicate
has err "'frobnicate' is not a dfusetool command"
run 2 dfusetool build --frobnicate
has err "unknown option '--frobnicate'"
run 2 dfusetool build -o x.dfu
has err "no inputs"
run 2 dfusetool build "$SAMPLES/h745-blinky/cm7.elf"
has err "no output file"
run 2 dfusetool dump
has err "no file to dump"
run 2 dfusetool build --alt 256 -o x.dfu a.elf
has err "--alt '256'"
run 2 dfusetool build --vid xyz -o x.dfu a.elf
run 2 dfusetool dump --device stm32nope x.dfu
has err "unknown device 'stm32nope'"
[ ! -e x.dfu ] || fail "a usage error wrote x.dfu"
