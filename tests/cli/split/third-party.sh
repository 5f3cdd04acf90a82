# Files made by dfu-util's dfuse-pack (three targets, alternate setting 0
# twice, DFUImageSize including the suffix, bcdDevice 0) and, where it is
# installed, by fwupd: split -> merge keeps every element's bytes, the IDs
# and the names; the alt-0 targets become one, as merge promises.  The
# independent reader and dfuse-pack -d both read our output.
. "$LIB"
need dfuse-pack python3
python3 - <<PY
import sys; sys.path.insert(0, '$ROOT/tests/cli'); import dfugen
open('a.bin', 'wb').write(dfugen.vectors(0x20020000, 0x08000299, 1000))
open('b.bin', 'wb').write(dfugen.vectors(0x10048000, 0x08100199, 333))
open('ob.bin', 'wb').write(bytes([1, 2, 3, 4]))
PY
dfuse-pack -b 0x08000000@0:a.bin -b 0x5200201C@1:ob.bin -b 0x08100000@0:b.bin pack.dfu > /dev/null
for by in core target element; do
	rm -rf p
	run 0 dfusetool split pack.dfu --by $by -o p
	run 0 dfusetool merge --force -o m.$by.dfu p/*.dfu
	dfuse-pack -d m.$by.dfu > d.$by || fail "dfuse-pack -d rejects our merge"
	python3 "$ROOT/tests/cli/dfuse_ref.py" m.$by.dfu --extract > r.$by.json || fail "dfuse_ref rejects m.$by.dfu"
	python3 - m.$by.dfu <<'PY'
import json, sys
out = sys.argv[1]
j = json.load(open('r.' + out.split('.')[1] + '.json'))
assert [(t['alt'], t['name'], [e['address'] for e in t['elements']]) for t in j['targets']] == \
    [(0, 'ST...', [0x08000000, 0x08100000]), (1, 'ST...', [0x5200201C])], j['targets']
assert (j['idVendor'], j['idProduct'], j['bcdDevice']) == (0x0483, 0xDF11, 0), j
for f, (t, e) in (('a.bin', (0, 0)), ('b.bin', (0, 1)), ('ob.bin', (1, 0))):
    assert open(f, 'rb').read() == open('%s.t%d.e%d.bin' % (out, t, e), 'rb').read(), f
PY
done
if command -v fwupdtool >/dev/null 2>&1; then
	cat > fw.builder.xml <<'XML'
<firmware gtype="FuDfuseFirmware">
  <vendor>0x0483</vendor>
  <product>0xdf11</product>
  <firmware>
    <id>Internal Flash</id>
    <chunks>
      <chunk><addr>0x8000000</addr><data>AAACIJkCAAg=</data></chunk>
      <chunk><addr>0x8100000</addr><data>AIAEEJkBEAg=</data></chunk>
    </chunks>
  </firmware>
  <firmware>
    <idx>0x1</idx>
    <id>Option Bytes</id>
    <chunks>
      <chunk><addr>0x5200201c</addr><data>AQIDBA==</data></chunk>
    </chunks>
  </firmware>
</firmware>
XML
	if fwupdtool firmware-build fw.builder.xml fw.dfu > fwb.out 2>&1 && [ -s fw.dfu ]; then
		run 0 dfusetool dump fw.dfu
		has out "2 targets"
		rm -rf p
		run 0 dfusetool split fw.dfu -o p
		run 0 dfusetool merge --force -o fwm.dfu p/*.dfu
		cmp fw.dfu fwm.dfu || fail "fwupd's file does not come back byte for byte"
		run 0 fwupdtool firmware-parse fwm.dfu dfuse
	else
		echo "fwupdtool could not build a DfuSe file here: $(tail -n 1 fwb.out)" >&2
	fi
else
	echo "fwupdtool not installed: its files were not tried" >&2
fi
