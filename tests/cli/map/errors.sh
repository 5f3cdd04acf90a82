# dfusetool map: usage errors exit 2, bad inputs 1; -o is written
# atomically (an existing picture is replaced whole; a failed write leaves
# it and no temporary file).
. "$LIB"
S=$SAMPLES/h745-blinky
run 0 dfusetool build --cm7 "$S/cm7.elf" -o a.dfu
run 2 dfusetool map
has err "nothing to map"
run 2 dfusetool map a.dfu a.dfu
has err "one picture, one DfuSe file"
run 2 dfusetool map a.dfu --cm4 "$S/cm4.elf"
has err "not both"
run 2 dfusetool map -o a.png a.dfu
has err "name it .svg or .html"
run 2 dfusetool map --json -o a.svg a.dfu
run 2 dfusetool map --device stm32nope a.dfu
has err "unknown device 'stm32nope'"
run 1 dfusetool map missing.dfu
has err "missing.dfu"
[ ! -e a.png ] && [ ! -e a.svg ] || fail "a usage error wrote a picture"

run 0 dfusetool map -o A.SVG a.dfu
has out "wrote A.SVG: SVG"
echo old > pic.svg
run 0 dfusetool map -o pic.svg a.dfu
head -c 5 pic.svg | grep -q '<?xml' || fail "pic.svg was not replaced"
cp pic.svg before.svg
run 1 dfusetool map -o nodir/pic.svg a.dfu
has err "nodir/pic.svg"
# a symlink outside /dev/ is replaced, never written through (a full
# device named directly fails: test_dfuse_write__data_file_atomic)
ln -s /dev/full full.svg
run 0 dfusetool map -o full.svg a.dfu
[ -f full.svg ] && [ ! -L full.svg ] || fail "full.svg was written through"
mkdir ro && chmod 555 ro
if [ "$(id -u)" -ne 0 ]; then
	run 1 dfusetool map -o ro/pic.svg a.dfu
fi
cmp -s pic.svg before.svg || fail "a failed write changed pic.svg"
ls -a | grep -q 'pic.svg\.' && fail "a temporary file was left: $(ls)"
run 0 dfusetool map -o page.html a.dfu
has out "wrote page.html: HTML"
head -n 1 page.html | grep -qx '<!DOCTYPE html>' || fail "page.html is not HTML"
