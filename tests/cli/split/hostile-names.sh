# A DfuSe file whose target names try to leave the output directory
# ("../../etc/x", absolute paths, "..", slashes, control bytes, names equal
# but for case, 254 bytes of dots) is split by target: every file lands in
# DIR with a sanitised name, nothing is written anywhere else, and a
# symlink planted in DIR is replaced (with --force), never followed.
. "$LIB"
need python3
mkdir sandbox sandbox/dir sandbox/elsewhere
python3 - <<PY
import sys; sys.path.insert(0, '$ROOT/tests/cli'); import dfugen
names = [b'../../etc/x', b'/tmp/evil', b'..', b'.', b'a/b', b'A/B', b'\x01\xff\n',
         b'..\\\\..\\\\win', b'-rf', b'.' * 254, b'x' * 254, b'name\x00../../hidden']
ts = [(0, n, [(0x08000000 + 0x100 * i, bytes([i]) * 16)]) for i, n in enumerate(names)]
dfugen.write('sandbox/hostile.dfu', ts)
PY
cd sandbox
run 0 dfusetool split hostile.dfu --by target -o dir --json
python3 - <<'PY'
import json, os
j = json.load(open('out'))
names = [f['name'] for f in j['files']]
want = ['alt0-etc_x.dfu', 'alt0-tmp_evil.dfu', 'alt0.dfu', 'alt0-2.dfu', 'alt0-a_b.dfu',
        'alt0-A_B-2.dfu', 'alt0-3.dfu', 'alt0-win.dfu', 'alt0-rf.dfu', 'alt0-4.dfu',
        'alt0-' + 'x' * 32 + '.dfu', 'alt0-name.dfu']
assert names == want, names
for f in j['files']:
    assert f['path'] == 'dir/' + f['name'], f
    assert '/' not in f['name'] and not f['name'].startswith('.'), f
assert sorted(os.listdir('dir')) == sorted(want), os.listdir('dir')
print('contained')
PY
# nothing outside out/ changed
[ "$(ls -A elsewhere)" = "" ] || fail "wrote into elsewhere/"
[ "$(ls -A | sort | tr '\n' ' ')" = "dir elsewhere err hostile.dfu out " ] || fail "debris: $(ls -A)"
[ ! -e ../etc ] && [ ! -e /tmp/evil ] || fail "escaped"
# every part is a DfuSe file the independent reader accepts, name intact
python3 "$ROOT/tests/cli/dfuse_ref.py" dir/alt0-etc_x.dfu > ref.json || fail "dfuse_ref rejects a part"
has ref.json '"name": "../../etc/x"'
# a symlink in DIR under a part's name: refused, then replaced, not followed
rm -rf dir; mkdir dir
ln -s ../elsewhere/victim dir/alt0-etc_x.dfu
run 1 dfusetool split hostile.dfu --by target -o dir
has err "'dir/alt0-etc_x.dfu' is not replaced"
[ ! -e elsewhere/victim ] || fail "followed the symlink"
[ "$(ls -A dir)" = "alt0-etc_x.dfu" ] || fail "a refused split left files: $(ls -A dir)"
run 0 dfusetool split hostile.dfu --by target -o dir --force
[ ! -L dir/alt0-etc_x.dfu ] || fail "the symlink is still there"
[ ! -e elsewhere/victim ] || fail "wrote through the symlink"
