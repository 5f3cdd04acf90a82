# -q and -v mean the same on every command: -q prints nothing but --json
# output and what makes the command fail; -v adds detail on stderr; --json
# is valid JSON on stdout with -q too.  (download: tests/usb/cli/json.sh.)
. "$LIB"
need python3
S=$SAMPLES/h745-blinky
run 0 dfusetool build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o r.dfu
usb=1
dfusetool list >/dev/null 2>&1 || usb=0

# one successful run per command (each argument list is one word here)
cases="build:--cm7=$S/cm7.elf:--cm4=$S/cm4.elf:-o:q.dfu check:r.dfu dump:r.dfu map:r.dfu profiles:stm32h745xi"
[ $usb -eq 1 ] && cases="$cases list"
for c in $cases; do
	set -- $(echo "$c" | tr ':' ' ')
	name=$1
	run 0 dfusetool "$@"
	[ -s out ] || [ "$name" = list ] || fail "$name: no output"
	cp out normal.out; cp err normal.err
	run 0 dfusetool "$@" -q
	[ ! -s out ] || fail "$name -q wrote to stdout: $(cat out)"
	[ ! -s err ] || fail "$name -q wrote to stderr: $(cat err)"
	run 0 dfusetool "$@" -v
	grep -q "^dfusetool: " err || [ "$name" = profiles ] ||
		fail "$name -v says nothing more on stderr"
	[ "$(cat out err | wc -c)" -gt "$(cat normal.out normal.err | wc -c)" ] ||
		fail "$name -v says no more than without it"
	run 0 dfusetool "$@" -v -q
	[ ! -s out ] && [ ! -s err ] || fail "$name: -q after -v is not quiet"
	run 0 dfusetool "$@" -q -v
	grep -q "^dfusetool: " err || [ "$name" = profiles ] || fail "$name: -v after -q is not verbose"
	run 0 dfusetool "$@" --json -q
	python3 -c 'import json,sys; json.load(open("out"))' || fail "$name --json -q: not JSON"
	[ ! -s err ] || fail "$name --json -q wrote to stderr: $(cat err)"
done

# failures still say why with -q, and the status does not change
run 1 dfusetool check -q --cm4 "$S/cm7.elf"
[ ! -s out ] || fail "check -q wrote to stdout"
has err "[wrong-bank]"
hasnt err "warning:"
run 1 dfusetool check -q --strict --cm7 "$S/cm7.elf"
has err "[missing-core-image]"
run 1 dfusetool build -q --cm4 "$S/cm7.elf" -o bad.dfu
has err "not written"
has err "[wrong-bank]"
hasnt err "warning:"
run 1 dfusetool build -q --json --cm4 "$S/cm7.elf" -o bad.dfu
python3 -c 'import json; d = json.load(open("out")); assert d["written"] is False and d["findings"]' ||
	fail "build --json: a refusal is not in the JSON"
run 1 dfusetool dump -q missing.dfu
has err "missing.dfu"
