# dfusetool download --json: the plan of a dry run, the result of a real
# download (what the model's counters say happened), and a refusal, each as
# one JSON object on stdout; with -q nothing else.
. "$LIB"
need python3
S=$SAMPLES/h745-blinky
run 0 "$DFUSETOOL" build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o img.dfu
field() { sed -n "s/^model:.* $1=\([^ ]*\).*/\1/p" err | tail -n 1; }
j() { python3 -c 'import json,sys; d=json.load(open("out")); print(eval(sys.argv[1]))' "$1"; }

run 0 "$USBTEST" --exec -- "$DFUSETOOL" download --json --dry-run img.dfu
[ "$(j 'd["ok"], d["dry_run"], d["plan"]["sectors"], d["plan"]["bytes"], d["sectors_erased"]')" = "(True, True, 2, 1792, 0)" ] ||
	fail "dry run: $(cat out)"
[ "$(j 'd["file"], d["device"], d["error"]')" = "('img.dfu', 'stm32h745xi', None)" ] || fail "dry run: names"
[ "$(j '[f["code"] for f in d["findings"]]')" = "['sp-near-ram-end']" ] || fail "dry run: findings"

run 0 "$USBTEST" --exec -- "$DFUSETOOL" download -q --json --verify --leave img.dfu
[ "$(j 'd["ok"], d["sectors_erased"], d["bytes_written"], d["bytes_verified"], d["verified"], d["left"], d["leave_address"]')" = \
	"(True, $(field erases), 1792, 1792, True, True, 134217728)" ] || fail "download: $(cat out) $(cat err)"
grep -v '^model:' err | grep -q . && fail "download -q --json wrote more than the model's line: $(cat err)"

run 1 "$USBTEST" --exec -- "$DFUSETOOL" download --json --cm4 "$S/cm7.elf"
[ "$(j 'd["ok"], d["bytes_written"]')" = "(False, 0)" ] || fail "refusal: $(cat out)"
j 'd["error"]' | grep -q . || fail "refusal: no error message"
j '[f["code"] for f in d["findings"] if f["severity"] == "error"]' | grep -q wrong-bank || fail "refusal: findings"
# the board read before the check: two Set Address Pointer commands
# and two UPLOADs of the option bytes; nothing erased or written
has err "erases=0 dnloads=2 "
