# Colour only on a terminal, never with NO_COLOR (no-color.org: set and
# not empty) or TERM=dumb.  script(1) gives the command a pseudo-terminal.
. "$LIB"
need script
S=$SAMPLES/h745-blinky
run 0 dfusetool build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o r.dfu
esc=$(printf '\033')
tty_run() { # tty_run OUT ENV...: dfusetool map r.dfu on a pseudo-terminal
	o=$1; shift
	env "$@" script -qec "dfusetool map r.dfu" /dev/null > "$o" 2>&1 ||
		fail "script(1) failed: $(cat "$o")"
	grep -q "bank 1" "$o" || fail "no map on the terminal: $(cat "$o")"
}
tty_run tty.out -u NO_COLOR TERM=xterm
grep -q "${esc}\[48;5;26;97m7:1${esc}\[0m" tty.out || fail "no cm7 colour on a terminal"
grep -q "${esc}\[48;5;202;97m4:1${esc}\[0m" tty.out || fail "no cm4 colour on a terminal"
tty_run nocolor.out NO_COLOR=1 TERM=xterm
grep -q "$esc" nocolor.out && fail "colour with NO_COLOR=1"
tty_run dumb.out -u NO_COLOR TERM=dumb
grep -q "$esc" dumb.out && fail "colour with TERM=dumb"
tty_run empty.out NO_COLOR= TERM=xterm
grep -q "$esc" empty.out || fail "an empty NO_COLOR turned colour off"
# and never into a pipe or a file
env -u NO_COLOR TERM=xterm dfusetool map r.dfu > pipe.out
grep -q "$esc" pipe.out && fail "colour into a file"
exit 0
