# --json always answers: every command that takes --json prints one valid
# JSON value on stdout whatever fails after the option is parsed, with
# {"error": {"code", "message", "file", "offset", "line"}} for a failure
# (dfusetool(1), JSON OUTPUT).  Exit statuses stay 1 (failure), 2 (usage).
. "$LIB"
S=$SAMPLES/h745-blinky

# An Intel HEX file without its end-of-file record: two good records.
#   :02 0000 04 0800 F2   extended linear address 0x0800
#   :04 0000 00 01020304 F2  4 data bytes at 0x08000000
#   (no :00000001FF)
printf ':020000040800F2\n:0400000001020304F2\n' > noeof.hex

run 1 dfusetool check --json noeof.hex
pyjson out "d['error']['code'] == 'DFUSE_EFORMAT'"
pyjson out "d['error']['line'] == 2 and d['error']['offset'] is None"
pyjson out "d['error']['file'] == 'noeof.hex' and d['file'] == 'noeof.hex'"
pyjson out "'end-of-file' in d['error']['message']"
has err "end-of-file"

# several files: one entry each, the failed one in its place
run 0 dfusetool build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o ok.dfu
run 1 dfusetool dump --json ok.dfu missing.dfu
pyjson out "len(d) == 2 and d[0]['file'] == 'ok.dfu' and 'error' not in d[0]"
pyjson out "d[1]['file'] == 'missing.dfu' and d[1]['error']['code'] == 'DFUSE_EIO'"
pyjson out "d[1]['error']['file'] == 'missing.dfu'"
run 1 dfusetool check --json missing.dfu ok.dfu noeof.hex
pyjson out "[e['file'] for e in d] == ['missing.dfu', 'ok.dfu', 'noeof.hex']"
pyjson out "d[0]['error']['code'] == 'DFUSE_EIO' and d[1]['errors'] == 0"
pyjson out "d[2]['error']['line'] == 2"
run 1 dfusetool dump --json missing.dfu
pyjson out "d['file'] == 'missing.dfu' and d['error']['code'] == 'DFUSE_EIO'"

# build: a check error refuses the write; the answer says why
run 1 dfusetool build --json --cm7 "$S/cm7.bin@0x30000000" -o bad.dfu
pyjson out "d['written'] is False and d['output'] == 'bad.dfu'"
pyjson out "d['error']['code'] == 'bootloader-cannot-write'"
pyjson out "'not written' in d['error']['message']"
[ ! -e bad.dfu ] || fail "bad.dfu written"
run 0 dfusetool build --json --cm7 "$S/cm7.elf" -o good.dfu
pyjson out "d['written'] is True and d['error'] is None"
# an output that cannot be written
run 1 dfusetool build --json --cm7 "$S/cm7.elf" -o no/such/dir/x.dfu
json_failed out DFUSE_EIO
# a usage error after --json
run 2 dfusetool build --json --cm7 "$S/cm7.elf"
json_failed out usage

run 1 dfusetool convert --json noeof.hex -o x.dfu
json_failed out DFUSE_EFORMAT
pyjson out "d['error']['line'] == 2 and d['error']['file'] == 'noeof.hex'"
run 1 dfusetool split --json noeof.hex -o parts
json_failed out DFUSE_EFORMAT
[ ! -e parts ] || fail "split left a directory"
run 1 dfusetool map --json missing.dfu
json_failed out DFUSE_EIO
pyjson out "d['error']['file'] == 'missing.dfu'"
run 1 dfusetool download --json --dry-run missing.dfu
json_failed out DFUSE_EIO
run 2 dfusetool list --json extra
json_failed out usage
run 2 dfusetool profiles --json stm32nope
json_failed out usage
run 2 dfusetool map --json --device stm32nope ok.dfu
json_failed out usage
# a usage error before --json is parsed (an unknown option ahead of it, a
# bad value) is answered in JSON too, on every command that takes it
for c in build check convert download dump list map profiles split; do
	run 2 dfusetool $c --no-such-option --json ok.dfu
	json_failed out usage
	pyjson out "'--no-such-option' in d['error']['message']"
done
run 2 dfusetool build --cm7 'x.bin@08000000' --json -o y.dfu
json_failed out usage
