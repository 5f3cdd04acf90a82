# dfusetool info on the emulated H7 ROM with RM0399's factory option bytes
# (Table 20): whole expected lines, the raw values written here by hand
# from the table (RDP 0xAA, BCM7 = BCM4 = 1, BOOT_CM7_ADD0 0x0800,
# BOOT_CM7_ADD1 0x1FF0, BOOT_CM4_ADD0 0x0810, BOOT_CM4_ADD1 0x1000, nWRP
# 0xFF, no PCROP or secure area, software watchdogs, BOR level 0).  It
# changes nothing; --json parses, also without a device; the man page's
# EXAMPLES run here word for word.
. "$LIB"
"$DFUSETOOL" info --help >/dev/null 2>&1 || skip "'dfusetool info' is not a command yet"
need python3
line() { grep -qxF -- "$1" out || { cat out >&2; fail "no line: $1"; }; }

run 0 "$USBTEST" --exec -- dfusetool info
has out 'device 0483:df11, serial "'
has out ', path 1-1, interface 0'
has out '  bcdDevice 0x0200: AN3156 gives the bootloader version in its high byte, 0x02 here (0.2)'
has out '  DFU functional descriptor: bcdDFUVersion 0x011a (DfuSe, UM0424), wTransferSize 1024'
line 'alt 0: "@Internal Flash   /0x08000000/16*128Kg"'
line '  0x08000000  16 x 128 KiB  readable, erasable, writable'
has out 'alt 1: "@Option Bytes'
line '  0x5200201c  1 x 128 B  readable, not erasable, writable'
has out 'option bytes: 128 bytes from alt 1 at 0x5200201C, RDP level 0, RM0399'"'"'s factory values'
line '    RDP            0xAA       RDP level 0 (0xAA): no read protection'
line '    BCM7           0x1        CM7 boot enabled (BCM7=1): the CM7 starts at reset'
line '    BCM4           0x1        CM4 boot enabled (BCM4=1): the CM4 starts at reset'
line '    BOOT_CM7_ADD0  0x800      BOOT0 low starts the CM7 from 0x08000000 (flash, the bank at 0x08000000)'
line '    BOOT_CM7_ADD1  0x1FF0     BOOT0 high starts the ROM bootloader on the CM7 only (0x1FF00000)'
line '    BOOT_CM4_ADD0  0x810      BOOT0 low starts the CM4 from 0x08100000 (flash, the bank at 0x08100000)'
has out '    BOOT_CM4_ADD1  0x1000     BOOT0 high starts the CM4 from 0x10000000'
line '    SWAP_BANK_OPT  0x0        banks not swapped (SWAP_BANK_OPT=0): 0x08000000 is bank 1, 0x08100000 bank 2'
line '    nWRP1          0xFF       no sector of the bank at 0x08000000 is write-protected (nWRP1=0xFF)'
has out '    nWRP2          ?          note: write protection of the bank at 0x08100000 unknown'
has out '    PROT_AREA1     0xFF       no PCROP area in the bank at 0x08000000'
has out '    SEC_AREA1      0xFF       no secure-only area in the bank at 0x08000000'
line '    IWDG1_SW       0x1        IWDG1 (the CM7'"'"'s watchdog): software-started'
line '    IWDG2_SW       0x1        IWDG2 (the CM4'"'"'s watchdog): software-started'
has out '    BOR_LEV        0x0        brown-out reset level 0'
has out '    RESERVED       '
hasnt out 'warning:'
# the groups, in order
[ "$(sed -n 's/^  \([a-zA-Z, ]*\):$/\1/p' out | tr '\n' '|')" = "protection|boot|write protection|PCROP and secure areas|watchdogs, reset and BOR|other|" ] ||
	fail "groups: $(sed -n 's/^  \([a-zA-Z, ]*\):$/\1/p' out | tr '\n' '|')"
has out 'dfusetool never writes option bytes: a wrong read-protection level (level 2 is permanent) or a wrong boot address can leave a board that no longer reaches the ROM bootloader, and ROM V9.0 (ID 0x90) cannot write the CM4 boot address (AN2606).'
has err "erases=0 "

run 0 "$USBTEST" --exec -- dfusetool info --json
pyjson out "d['ok'] and d['error'] is None and d['device']['vid'] == 0x0483 and d['functional']['transfer_size'] == 1024"
pyjson out "[a['alt'] for a in d['alts']] == [0, 1] and d['alts'][0]['segments'][0] == {'address': 0x08000000, 'end': 0x08200000, 'count': 16, 'size': 131072, 'type': 'g', 'readable': True, 'erasable': True, 'writable': True}"
pyjson out "d['option_bytes']['state'] == 'read' and d['option_bytes']['length'] == 128 and d['option_bytes']['factory'] is True"
pyjson out "d['option_bytes']['rdp'] == 0xAA and d['option_bytes']['rdp_level'] == 0 and d['option_bytes']['bcm7'] and d['option_bytes']['bcm4']"
pyjson out "(d['option_bytes']['boot_cm7_add0'], d['option_bytes']['boot_cm4_add0']) == (0x08000000, 0x08100000)"
pyjson out "d['option_bytes']['write_protected'] == {'0x08000000': [], '0x08100000': None} and d['option_bytes']['swap_bank'] is None"
pyjson out "all(set(f) == {'name', 'group', 'raw', 'known', 'severity', 'affects', 'text', 'offset', 'sector', 'address', 'end'} for f in d['option_bytes']['fields'])"
pyjson out "[f['raw'] for f in d['option_bytes']['fields'] if f['name'] == 'RDP'] == [0xAA]"
pyjson out "len(d['option_bytes']['words']) == 32 and d['option_bytes_written'].startswith('dfusetool never writes option bytes')"

# no device: exit 1, and the JSON says so
run 1 dfusetool info
run 1 dfusetool info --json
pyjson out "d['ok'] is False and d['device'] is None and d['error']['message'] != ''"
run 2 dfusetool info extra
