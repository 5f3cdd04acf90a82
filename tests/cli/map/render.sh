# dfusetool map -o: the SVG is valid XML (xmllint) and a browser draws it
# (headless Chromium), as a standalone SVG and inside the HTML page: the PNG
# is not blank, each core's elements are in that core's colour exactly
# where their addresses put them (addresses from 'dump --json', findings
# from 'check --json', scale from dfusetool-map(1)), and each finding sits
# in the lane under its range.  Without a browser this case is skipped,
# loudly.
. "$LIB"
need python3 xmllint
browser=""
for b in chromium chromium-browser google-chrome; do
	command -v "$b" >/dev/null 2>&1 && { browser=$b; break; }
done
[ -n "$browser" ] || skip "SKIPPED: no headless browser (chromium): the map is not rendered; install the Debian package 'chromium'"
S=$SAMPLES/h745-blinky
check=$ROOT/tests/cli/map/pixels.py
if command -v timeout >/dev/null 2>&1; then to="timeout 120"; else to=""; fi

shot() { # shot FILE PNG W,H: in the background, one profile each
	rm -f "$2"
	$to "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--force-device-scale-factor=1 --no-first-run \
		--user-data-dir="$PWD/profile-$2" --window-size="$3" \
		--screenshot="$PWD/$2" "file://$PWD/$1" > "$2.log" 2>&1 &
}

# the sample release as an HTML page (the picture at 16,16: the body
# margin), and the same code moved into the middle of other sectors as an
# SVG (forced: the reset vectors no longer point into the image)
run 0 dfusetool build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o release.dfu
run 0 dfusetool build --force --cm7 "$S/cm7.bin@0x08050000" \
	--cm4 "$S/cm4.bin@0x08178000" -o moved.dfu
for f in release moved; do
	run 0 dfusetool map -o $f.svg $f.dfu
	has out "wrote $f.svg"
	xmllint --noout $f.svg || fail "$f.svg is not well-formed XML"
	run 0 dfusetool dump --json $f.dfu
	mv out $f.dump.json
	set +e; dfusetool check --json $f.dfu > $f.check.json; set -e
done
run 0 dfusetool map -o release.html release.dfu
has out "wrote release.html"
# the page holds the same picture as the SVG file
sed -n '/^<svg /,/^<\/svg>$/p' release.html > inline.svg
sed 1d release.svg | cmp -s - inline.svg || fail "the HTML page's picture differs from the SVG's"
size=$(python3 "$check" size release.svg)
shot release.html release.png "$((${size%,*} + 32)),$((${size#*,} + 32))"
shot moved.svg moved.png "$(python3 "$check" size moved.svg)"
wait
for png in release.png moved.png; do
	[ -s $png ] || { cat $png.log >&2; fail "$browser wrote no $png"; }
done

python3 "$check" svg release.svg release.png release.dump.json release.check.json 16,16 > release.pixels ||
	fail "the browser's rendering of release.html does not match the image"
python3 "$check" svg moved.svg moved.png moved.dump.json moved.check.json > moved.pixels ||
	fail "the browser's rendering of moved.svg does not match the image"
cat release.pixels moved.pixels
has release.pixels "cm7 0x08000000 at (120, 104)"
has release.pixels "cm4 0x08100000 at (120, 416)"
has release.pixels "note sp-near-ram-end"
has moved.pixels "cm7 0x08050000 at (632, 172)"
has moved.pixels "cm4 0x08178000 at (888, 518)"
has moved.pixels "error reset-outside-image"
