# dfusetool map --json, recomputed independently: each sector's use from
# the element list of 'dump --json', and each vector table's SP and reset
# words read straight from the file's bytes.
. "$LIB"
need python3
S=$SAMPLES/h745-blinky
run 0 dfusetool build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.bin@0x08178000" --force -o img.dfu
run 0 dfusetool dump --json img.dfu
mv out dump.json
run 0 dfusetool map --json img.dfu
mv out map.json
python3 - img.dfu dump.json map.json <<'PY'
import json, struct, sys
raw = open(sys.argv[1], 'rb').read()
dump = json.load(open(sys.argv[2]))
m = json.load(open(sys.argv[3]))
def want(cond, what):
    if not cond:
        sys.exit('map --json: ' + what)
els = [e for t in dump['targets'] for e in t['elements']]
want(m['file'] == 'img.dfu' and m['device'] == 'stm32h745xi', 'file, device')
want(sorted((e['address'], e['address'] + e['size'], e['core']) for e in els)
     == sorted((e['address'], e['end'], e['core']) for e in m['elements']),
     'the elements differ from dump --json')
n = 0
for b in m['banks']:
    for s in b['sectors']:
        lo, hi = s['base'], s['base'] + b['sector_size']
        used = sum(max(0, min(hi, e['address'] + e['size']) - max(lo, e['address'])) for e in els)
        cores = sorted(set(e['core'] for e in els
                           if e['address'] < hi and e['address'] + e['size'] > lo))
        want(s['used'] == used, 'bank %d sector %d: used %d, expected %d'
             % (b['number'], s['index'], s['used'], used))
        want(sorted(s['cores']) == cores, 'bank %d sector %d cores' % (b['number'], s['index']))
        n += used > 0
want(n == 2, 'two sectors in use')
vt = dict((v['core'], v) for v in m['vector_tables'])
for e in els:
    sp, reset = struct.unpack('<II', raw[e['offset']:e['offset'] + 8])
    v = vt[e['core']]
    want(v['address'] == e['address'], e['core'] + ' vector table address')
    want((v['sp'], v['reset']) == (sp, reset), e['core'] + ' SP and reset words')
want(vt['cm7']['at_boot'] and not vt['cm4']['at_boot'], 'at_boot')
codes = set(f['code'] for f in m['findings'])
want({'not-at-boot-address', 'reset-outside-image'} <= codes, 'findings: %s' % codes)
want(m['diagnostics'] == [], 'diagnostics')
PY
