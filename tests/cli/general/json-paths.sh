# File names in JSON: valid UTF-8 as it is; a byte that is not UTF-8
# becomes the surrogate escape \udcXX (Python's os.fsencode() gives the
# name back); control bytes such as ESC are \u001b.  The output parses.
. "$LIB"
S=$SAMPLES/h745-blinky
run 0 dfusetool build --cm7 "$S/cm7.elf" -o ok.dfu
ff=$(printf 'bad\377name.dfu')      # 0xff: never valid in UTF-8
esc=$(printf 'esc\033[31mred.dfu')  # ESC [ 3 1 m: a terminal colour
utf=$(printf 'caf\303\251.dfu')     # "café.dfu" in UTF-8
cp ok.dfu "$ff"; cp ok.dfu "$esc"; cp ok.dfu "$utf"

run 0 dfusetool dump --json "$ff" "$esc" "$utf"
pyjson out "[e['file'] for e in d] == ['bad\udcffname.dfu', 'esc\x1b[31mred.dfu', 'caf\u00e9.dfu']"
has out 'bad\udcffname.dfu'
has out 'esc\u001b[31mred.dfu'
has out "$utf"
python3 -c '
import json, os, sys
d = json.load(open("out", encoding="utf-8"))
names = [os.fsencode(e["file"]) for e in d]
assert names == [b"bad\xffname.dfu", b"esc\x1b[31mred.dfu", "café.dfu".encode()], names
' || fail "os.fsencode() does not give the names back"

# the same in an error object, for a file that does not exist
run 1 dfusetool check --json "x$ff"
pyjson out "d['error']['file'] == 'xbad\udcffname.dfu' and d['error']['code'] == 'DFUSE_EIO'"
pyjson out "'xbad\udcffname.dfu' in d['error']['message']"
# no raw control byte reaches stdout
if LC_ALL=C grep -q "$(printf '\033')" out; then fail "raw ESC on stdout"; fi
