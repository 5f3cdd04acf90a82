# On a terminal (a pty from script(1)), download's progress line is
# redrawn in place: each redraw starts with a carriage return and ends by
# clearing to the end of the line (ESC [ K), so a shorter line leaves no
# tail of the longer one before it.  Without a terminal there is none.
. "$LIB"
need script python3
S=$SAMPLES/h745-blinky
run 0 "$DFUSETOOL" build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o rel.dfu
script -qec "'$USBTEST' --exec --program-ms 2 -- '$DFUSETOOL' download rel.dfu" /dev/null >tty.out 2>&1 ||
	fail "download on a pty failed: $(cat tty.out)"
python3 - <<'PY'
d = open('tty.out', 'rb').read()
assert d.count(b'\x1b[K') >= 2, d
# every redraw of the progress line clears what a longer one left
for part in d.split(b'\r')[1:]:
    if part.strip() and not part.startswith(b'\n'):
        assert b'\x1b[K' in part, part
PY
run 0 "$USBTEST" --exec --program-ms 2 -- "$DFUSETOOL" download rel.dfu
python3 -c "import sys; d = open('err', 'rb').read(); sys.exit(b'\x1b[K' in d)" ||
	fail "a clear-line escape without a terminal"
