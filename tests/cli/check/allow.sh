# --allow CODE lowers that code's findings to notes (marked allowed), on
# check and build, in text and JSON; an unknown code is a usage error
# (exit 2) listing the codes, the same list dfusetool-check(1) documents.
. "$LIB"
S=$SAMPLES/h745-blinky
M="python3 $ROOT/tests/cli/mkdfu.py"
# a CM7 image whose initial SP 0x08001000 is in flash
$M sp.dfu 08000000:400:08001000:08000201
run 1 dfusetool check sp.dfu
has out "error: cm7:"
has out "[sp-not-in-core-ram]"
run 0 dfusetool check --allow sp-not-in-core-ram sp.dfu
has out "note: cm7:"
has out "[sp-not-in-core-ram, allowed]"
has out "sp.dfu: 0 errors, 1 warning"
# the remaining warning (only the CM7's image) fails --strict until
# allowed too; the option repeats
run 1 dfusetool check --strict --allow sp-not-in-core-ram sp.dfu
run 0 dfusetool check --strict --allow sp-not-in-core-ram --allow missing-core-image sp.dfu
has out "sp.dfu: 0 errors, 0 warnings"
run 0 dfusetool check --json --allow sp-not-in-core-ram sp.dfu
python3 - <<'PY'
import json
j = json.load(open('out'))
assert j['errors'] == 0, j
by = {f['code']: f for f in j['findings']}
assert by['sp-not-in-core-ram']['severity'] == 'note', by
assert by['sp-not-in-core-ram']['allowed'] is True, by
assert all(f['allowed'] is False for c, f in by.items() if c != 'sp-not-in-core-ram'), by
assert all('allowed' in f for f in j['diagnostics']), j
PY
# build: a CM4 image given as the CM7's is refused, or written when allowed
run 1 dfusetool build --cm7 "$S/cm4.bin" -o bad.dfu
[ ! -e bad.dfu ] || fail "bad.dfu was written"
run 0 dfusetool build --allow sp-not-in-core-ram --allow reset-outside-image --cm7 "$S/cm4.bin" -o bad.dfu
has err "[sp-not-in-core-ram, allowed]"
[ -s bad.dfu ] || fail "bad.dfu was not written"
run 0 dfusetool build --json --allow sp-not-in-core-ram --allow reset-outside-image --cm7 "$S/cm4.bin" -o bad2.dfu
python3 -c "
import json; d = json.load(open('out'))
f = [x for x in d['findings'] if x['code'] == 'sp-not-in-core-ram']
assert f and f[0]['allowed'] is True and f[0]['severity'] == 'note', d"
# unknown code: exit 2 on every command with the device options, listing
# exactly the codes of dfusetool-check(1)
for c in check build dump map merge; do
	run 2 dfusetool $c --allow no-such-code sp.dfu
	has err "unknown check code 'no-such-code'"
done
sed -n 's/.*the codes are: //p' err | tr ' ' '\n' | sort > listed
sed -n 's/^\.It Li \([a-z0-9-]*\) .*/\1/p' "$ROOT/man/dfusetool-check.1" | sort > documented
cmp listed documented || { diff listed documented >&2; fail "--allow lists other codes than dfusetool-check(1)"; }
# a reader's diagnostic code is not a check code
run 2 dfusetool check --allow element-overlap sp.dfu
