# Every real-world file written by other tools (ST's DFU File Manager,
# OpenMV, 32blit, a vendor pack) reads exactly as the independent reader of
# MANIFEST.tsv found it: targets, alternate settings, names, element
# addresses, sizes and SHA-256, IDs, DFUImageSize convention and CRC.
. "$LIB"
need_shared
C=$SHARED/corpus/realworld
status=0
for f in "$C"/*.dfu; do
	n=$(basename "$f")
	set +e
	dfusetool dump --json "$f" > "$n.json" 2> "$n.err"
	echo $? > "$n.exit"
	set -e
done
python3 - "$C" <<'PY'
import hashlib, json, os, re, sys
corpus = sys.argv[1]
rows = [l.rstrip('\n').split('\t') for l in open(os.path.join(corpus, 'MANIFEST.tsv'))][1:]
assert len(rows) >= 15, len(rows)
bad = []
for name, size, sha, isize, vidpid, bcd, bcddfu, crc, targets in rows:
    j = json.load(open(name + '.json'))
    rc = int(open(name + '.exit').read())
    def check(cond, what):
        if not cond:
            bad.append('%s: %s' % (name, what))
    check(rc == 0, 'exit status %d' % rc)
    check(j['size'] == int(size), 'size %s' % j['size'])
    m = re.match(r'(file-16|other:(\d+))', isize)
    if isize == 'file-16':
        check(j['prefix']['image_size'] == int(size) - 16, 'DFUImageSize')
    else:
        check(j['prefix']['image_size'] == int(m.group(2)), 'DFUImageSize')
        codes = [(d['code'], d['severity'], d['offset']) for d in j['diagnostics']]
        check(('image-size-mismatch', 'warning', 6) in codes, 'no image-size-mismatch warning: %s' % codes)
    vid, pid = vidpid.split(':')
    s = j['suffix']
    check((s['idVendor'], s['idProduct'], s['bcdDevice'], s['bcdDFU']) ==
          (int(vid, 16), int(pid, 16), int(bcd, 16), int(bcddfu, 16)), 'suffix IDs %s' % s)
    check(s['crc_ok'] == (crc == 'crc_ok'), 'crc status')
    want = re.findall(r"alt=(\d+) name='([^']*)' elements=\[([^\]]*)\]", targets)
    check(len(j['targets']) == len(want), 'target count')
    for t, (alt, tname, els) in zip(j['targets'], want):
        check(t['alt'] == int(alt), 'alt')
        check(t['name'] == tname, 'name %r' % t['name'])
        got = [(e['address'], e['size'], e['sha256']) for e in t['elements']]
        exp = [(int(a, 16), int(z), h) for a, z, h in (e.split(':') for e in els.split())]
        check(got == exp, 'elements %s != %s' % (got, exp))
    errors = [d for d in j['diagnostics'] if d['severity'] == 'error']
    check(not errors, 'errors %s' % errors)
# the ST .bin is the data of its .dfu's element
for b in [f for f in os.listdir(corpus) if f.endswith('.bin')]:
    j = json.load(open(b[:-4] + '.dfu.json'))
    data = open(os.path.join(corpus, b), 'rb').read()
    e = j['targets'][0]['elements'][0]
    if (e['size'], e['sha256']) != (len(data), hashlib.sha256(data).hexdigest()):
        bad.append('%s differs from its .dfu element' % b)
if bad:
    print('\n'.join(bad))
    sys.exit(1)
print('%d corpus files match the manifest' % len(rows))
PY
