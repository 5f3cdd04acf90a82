# dfusetool info on boards whose option bytes are not the factory's, each
# set on the emulated ROM (usbtest options): the decoded words each variant
# must give, warnings flagged; a device without alt 1, with a 308-byte
# block, with read protection, and without a readable bootloader ID; info
# exits 0 on each (it describes what it found) and --json parses on each.
. "$LIB"
"$DFUSETOOL" info --help >/dev/null 2>&1 || skip "'dfusetool info' is not a command yet"
need python3
# has_opt OPT ARG: usbtest takes --OPT ARG
has_opt() { "$USBTEST" --exec "$@" -- true >/dev/null 2>&1; }
line() { grep -qxF -- "$1" out || { cat out >&2; fail "no line: $1"; }; }
info() {
	run 0 "$USBTEST" --exec "$@" -- dfusetool info
	has err "erases=0 "
	cp out text
	cp err texterr
	run 0 "$USBTEST" --exec "$@" -- dfusetool info --json
	pyjson out "d['ok'] is True and d['error'] is None"
	cp out json
	cp text out
}

has_opt --bcm4 0 || skip "usbtest has no option-byte options yet"

# BCM4 = 0: the CM4 is held until the CM7 releases it
info --bcm4 0
line '    BCM4           0x0        warning: CM4 boot disabled (BCM4=0): the CM4 waits until the CM7 releases it'
pyjson json "d['option_bytes']['bcm4'] is False and d['option_bytes']['factory'] is False"
pyjson json "[f['severity'] for f in d['option_bytes']['fields'] if f['name'] == 'BCM4'] == ['warning']"

# RDP level 1 (0xBB): the ROM refuses the read (errVENDOR)
info --rdp 0xBB
has out 'option bytes: not read: '
has texterr 'read protection (RDP level 1)'
has texterr 'mass-erases the whole flash'
has out 'dfusetool never writes option bytes'
pyjson json "d['option_bytes']['state'] == 'protected' and d['option_bytes']['why']"

# the banks swapped
info --swap-bank 1 --ob-size 308
has out '    SWAP_BANK_OPT  0x1        warning: '
has out '    SWAP_BANK      0x1 '
pyjson json "d['option_bytes']['swap_bank_opt'] is True and d['option_bytes']['swap_bank'] is True"

# a write-protected sector: sector 9 is the bank at 0x08100000's sector 1,
# its word only in a 308-byte block; sector 2 is bank 1's
info --protect-sector 2
line '    nWRP1          0xFB       warning: sector 2 of the bank at 0x08000000 (0x08040000-0x0805FFFF) is write-protected: an erase of it fails'
pyjson json "d['option_bytes']['write_protected']['0x08000000'] == [2]"
info --protect-sector 9 --ob-size 308
has out '    nWRP2          0xFD       warning: sector 1 of the bank at 0x08100000 (0x08120000-0x0813FFFF) is write-protected'
pyjson json "d['option_bytes']['write_protected'] == {'0x08000000': [], '0x08100000': [1]}"

# non-default boot addresses
info --boot-cm4 0x08180000
has out '    BOOT_CM4_ADD0  0x818      note: BOOT0 low starts the CM4 from 0x08180000'
pyjson json "d['option_bytes']['boot_cm4_add0'] == 0x08180000"
info --boot-cm7 0x08020000
has out '    BOOT_CM7_ADD0  0x802      '
has out 'starts the CM7 from 0x08020000'
pyjson json "d['option_bytes']['boot_cm7_add0'] == 0x08020000"

# a 308-byte block: the bank-2 words are decoded, none unknown
info --ob-size 308
has out 'option bytes: 308 bytes from alt 1 at 0x5200201C, RDP level 0, RM0399'"'"'s factory values'
line '    nWRP2          0xFF       no sector of the bank at 0x08100000 is write-protected (nWRP2=0xFF)'
hasnt out 'unknown'
pyjson json "d['option_bytes']['length'] == 308 and d['option_bytes']['write_protected']['0x08100000'] == []"

# no alt 1: said once, in words; the rest is described
info --no-alt1
has out 'option bytes: not read: '
has out 'alt 0: "@Internal Flash'
hasnt out 'alt 1:'
pyjson json "d['option_bytes']['state'] == 'no-alt' and [a['alt'] for a in d['alts']] == [0]"

# the bootloader ID: V9.2 when it reads, unknown (and why) when not
info
has out 'bootloader: V9.2 (ID byte 0x92 at 0x1FF1E7FE, AN2606)'
pyjson json "d['bootloader'] == {'id': 146, 'version': '9.2', 'why': None}"
info --bootloader-id none
has out 'bootloader: unknown: '
pyjson json "d['bootloader']['id'] is None and d['bootloader']['version'] is None and d['bootloader']['why']"
