# A split that fails writes nothing: not when one output exists (checked
# before anything is written), not when the directory is read-only, not
# when a later part cannot be made; a directory split made is removed
# again, and no temporary file is left.
. "$LIB"
need python3
S=$SAMPLES/h745-blinky
run 0 dfusetool build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o both.dfu
# cm4.dfu exists: neither file is written, cm4.dfu is untouched
mkdir dest
echo mine > dest/cm4.dfu
run 1 dfusetool split both.dfu -o dest
has err "'dest/cm4.dfu' is not replaced"
has err "--force"
[ "$(ls -A dest)" = "cm4.dfu" ] || fail "debris: $(ls -A dest)"
[ "$(cat dest/cm4.dfu)" = mine ] || fail "cm4.dfu changed"
# a directory split had to make is gone after a failure
python3 - <<PY
import sys; sys.path.insert(0, '$ROOT/tests/cli'); import dfugen
# two alt-0 targets that disagree at 0x08000010: fine as DfuSe parts, but
# the cm7 HEX part cannot hold both; the alt-1 part comes after it
dfugen.write('clash.dfu', [(0, b'a', [(0x08000000, b'\x11' * 32)]),
                           (0, b'b', [(0x08000010, b'\x22' * 32)]),
                           (1, b'ob', [(0x5200201C, b'\x01' * 4)])])
PY
run 1 dfusetool split clash.dfu --format hex -o made
has err "overlap"
[ ! -e made ] || fail "left the directory split made: $(ls -A made)"
run 0 dfusetool split clash.dfu -o made
[ "$(ls made | tr '\n' ' ')" = "alt1.dfu cm7.dfu " ] || fail "parts: $(ls made)"
# a read-only directory: nothing, and the message names the file
if [ "$(id -u)" != 0 ]; then
	mkdir ro && chmod 555 ro
	run 1 dfusetool split both.dfu -o ro
	has err "ro/cm7.dfu"
	[ "$(ls -A ro)" = "" ] || fail "debris in ro/"
	chmod 755 ro
fi
# the input is never written over, even with --force
cp both.dfu cm7.dfu
run 1 dfusetool split cm7.dfu --force
has err "is the input"
cmp cm7.dfu both.dfu || fail "the input changed"
[ ! -e cm4.dfu ] || fail "wrote cm4.dfu after refusing"
ls -A | grep -q XXXX && fail "temporary files left" || true
[ -z "$(ls -A . dest made | grep '\.dfu\.')" ] || fail "temporary files left: $(ls -A . dest made)"
# more parts than a split makes (65536): refused before any file
python3 - <<PY
import sys; sys.path.insert(0, '$ROOT/tests/cli'); import dfugen
dfugen.write('many.dfu', [(0, b'x', [(0x08000000 + 8 * i, b'') for i in range(65537)])])
PY
# (past the default element limit too, which a larger input limit lifts)
run 1 dfusetool split many.dfu --by element -o lots
has err "[too-many-elements]"
[ ! -e lots ] || fail "a refused split made lots/"
run 1 dfusetool split --max-input-size 128M many.dfu --by element -o lots
has err "more than 65536 files"
[ ! -e lots ] || fail "a refused split made lots/"
