# Every real-world DfuSe file (ST's DFU File Manager, OpenMV, 32blit, a
# vendor pack) survives split -> merge, by core, by target and by element:
# the element data equal the MANIFEST's SHA-256 (read back by the
# independent reader, dfuse_ref.py), and the file comes back byte for byte
# where its DFUImageSize follows the usual convention (the 32blit files'
# off-by-one is corrected, and only that).
. "$LIB"
need_shared
need python3
C=$SHARED/corpus/realworld
n=0
for f in "$C"/*.dfu; do
	b=$(basename "$f" .dfu)
	for by in core target element; do
		rm -rf p
		run 0 dfusetool split -q "$f" --by $by -o p
		run 0 dfusetool merge -q --force -o "$b.$by.dfu" p/*.dfu
		n=$((n + 1))
	done
done
python3 - "$C" "$ROOT/tests/cli/dfuse_ref.py" <<'PY'
import hashlib, json, os, re, subprocess, sys
corpus, ref = sys.argv[1], sys.argv[2]
rows = [l.rstrip('\n').split('\t') for l in open(os.path.join(corpus, 'MANIFEST.tsv'))][1:]
bad, same = [], 0
for name, size, sha, isize, vidpid, bcd, bcddfu, crc, targets in rows:
    orig = open(os.path.join(corpus, name), 'rb').read()
    want = re.findall(r"alt=(\d+) name='([^']*)' elements=\[([^\]]*)\]", targets)
    for by in ('core', 'target', 'element'):
        out = '%s.%s.dfu' % (name[:-4], by)
        r = subprocess.run([sys.executable, ref, out, '--extract'], capture_output=True, text=True)
        j = json.loads(r.stdout)
        if j['problems']:
            bad.append('%s: %s' % (out, j['problems']))
        got = []
        for t, tt in enumerate(j['targets']):
            for e, el in enumerate(tt['elements']):
                data = open('%s.t%d.e%d.bin' % (out, t, e), 'rb').read()
                got.append((tt['alt'], tt['name'], el['address'], el['size'], hashlib.sha256(data).hexdigest()))
        exp = [(int(alt), tname, int(a, 16), int(z), h)
               for alt, tname, els in want for a, z, h in (e.split(':') for e in els.split())]
        if got != exp:
            bad.append('%s: %s != %s' % (out, got, exp))
        vid, pid = vidpid.split(':')
        if (j['idVendor'], j['idProduct'], j['bcdDevice']) != (int(vid, 16), int(pid, 16), int(bcd, 16)):
            bad.append('%s: suffix IDs' % out)
        new = open(out, 'rb').read()
        if isize == 'file-16':
            if new != orig:
                bad.append('%s: not the same bytes as %s' % (out, name))
            same += 1
        else:
            # only DFUImageSize (bytes 6-9) and the CRC (last 4) may differ
            diff = [i for i in range(len(orig)) if orig[i] != new[i]]
            if len(new) != len(orig) or any(not (6 <= i < 10 or i >= len(orig) - 4) for i in diff):
                bad.append('%s: differs beyond DFUImageSize and CRC' % out)
if bad:
    print('\n'.join(bad))
    sys.exit(1)
print('%d round trips, %d byte for byte' % (3 * len(rows), same))
PY
[ $n -ge 45 ] || fail "only $n round trips"
