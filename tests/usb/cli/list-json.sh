# dfusetool list --json (schema in dfusetool-list(1)) against the emulated
# H745 ROM bootloader.
. "$LIB"
"$DFUSETOOL" list --help >/dev/null 2>&1 || skip "'dfusetool list' is not a command yet"
need python3

run 0 "$USBTEST" --exec -- "$DFUSETOOL" list --json
python3 - out <<'PY'
import json, sys
devs = json.load(open(sys.argv[1]))
def want(cond, what):
    if not cond:
        sys.exit('list --json: %s\n%s' % (what, json.dumps(devs, indent=1)))
want(isinstance(devs, list) and len(devs) == 1, 'one device')
d = devs[0]
want(d['vid'] == 0x0483 and d['pid'] == 0xdf11, 'vid/pid 0483:df11')
want(d['bcdDevice'] == 0x0200, 'bcdDevice 0x0200')
want(d['serial'] == '200364500000', 'serial')
want(d['path'] == '1-1', 'path 1-1')
want(d['bus'] == 1 and d['address'] == 2, 'bus 1 address 2')
want(d['interface'] == 0, 'interface 0')
want(d['transfer_size'] == 1024, 'wTransferSize 1024')
want(d['dfu_version'] == 0x011a, 'bcdDFUVersion 0x011a')
alts = d['alts']
want([a['alt'] for a in alts] == [0, 1], 'alts 0 and 1')
want(alts[0]['name'] == '@Internal Flash   /0x08000000/16*128Kg', 'alt 0 name')
want(alts[1]['name'] == '@Option Bytes   /0x5200201C/01*128 e', 'alt 1 name')
l0 = alts[0]['layout']
want(l0 is not None and l0['name'].startswith('Internal Flash'), 'alt 0 layout name')
want(l0['segments'] == [{'address': 0x08000000, 'sector_size': 131072,
                         'sector_count': 16, 'readable': True,
                         'erasable': True, 'writable': True}],
     'alt 0: 16 x 128 KiB at 0x08000000, readable, erasable, writable')
l1 = alts[1]['layout']
want(l1 is not None and l1['segments'] == [{'address': 0x5200201C,
     'sector_size': 128, 'sector_count': 1, 'readable': True,
     'erasable': False, 'writable': True}],
     "alt 1: 1 x 128 B at 0x5200201c, type 'e' (readable, writable)")
PY
