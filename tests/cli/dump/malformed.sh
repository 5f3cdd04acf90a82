# Hand-made malformed files (tests/data/bad, written by mkbad.py from
# literal fields, not by our writer): dump reports every code EXPECT.tsv
# lists, the first at its offset, as JSON and as text; exits 1 exactly when
# a diagnostic is an error, naming the file; never crashes.
. "$LIB"
B=$DATA/bad
grep -v '^#' "$B/EXPECT.tsv" > expect
[ "$(wc -l < expect)" -ge 30 ] || fail "too few malformed files"
while IFS='	' read -r f codes off; do
	set +e
	dfusetool dump --json "$B/$f" > "$f.json" 2> "$f.err"
	echo $? > "$f.exit"
	dfusetool dump --data "$B/$f" > "$f.txt" 2>> "$f.err"
	echo $? >> "$f.exit"
	set -e
done < expect
python3 - <<'PY'
import json
bad = []
for line in open('expect'):
    f, codes, off = line.rstrip('\n').split('\t')
    exits = [int(x) for x in open(f + '.exit').read().split()]
    try:
        j = json.load(open(f + '.json'))
    except ValueError as e:
        bad.append('%s: invalid JSON: %s' % (f, e)); continue
    diags = j['diagnostics']
    got = [d['code'] for d in diags]
    for c in codes.split(','):
        if c not in got:
            bad.append('%s: no %s in %s' % (f, c, got))
    primary = codes.split(',')[0]
    offs = [d['offset'] for d in diags if d['code'] == primary]
    if int(off) not in offs:
        bad.append('%s: %s at offsets %s, expected one at %s' % (f, primary, offs, off))
    for d in diags:
        if not d['message'] or d['severity'] not in ('note', 'warning', 'error'):
            bad.append('%s: bad diagnostic %s' % (f, d))
    want = 1 if any(d['severity'] == 'error' for d in diags) else 0
    if exits != [want, want]:
        bad.append('%s: exit statuses %s, expected %d' % (f, exits, want))
    err = open(f + '.err').read()
    if want and ('/%s\': ' % f) not in err:
        bad.append('%s: stderr does not name the file: %r' % (f, err))
if bad:
    print('\n'.join(bad)); raise SystemExit(1)
print('all malformed files reported as expected')
PY
