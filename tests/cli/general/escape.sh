# Terminal safety: a path, an option value and a target name holding ESC,
# BEL or a newline print as visible \xNN escapes in every message (stderr)
# and in text output (stdout); no raw control byte reaches the terminal.
. "$LIB"
S=$SAMPLES/h745-blinky
# ESC ] 0 ; pwn BEL retitles an xterm; the newline would forge a line
bad=$(printf 'e\033]0;pwn\007\nx.dfu')
shown='e\x1b]0;pwn\x07\x0ax.dfu'

# no raw ESC, BEL or CR in FILE (a newline only ends lines we print)
clean() {
	if LC_ALL=C grep -q "$(printf '[\033\007\r]')" "$1"; then
		od -c "$1" | head -n 20 >&2
		fail "raw control byte in $1"
	fi
}

run 0 dfusetool build --cm7 "$S/cm7.elf" -o "$bad"
has out "wrote $shown:"; clean out; clean err
run 0 dfusetool check "$bad"
has out "$shown: 0x08100000"; clean out; clean err
run 0 dfusetool dump "$bad"
has out "$shown: 1205 bytes"; clean out
# a path that does not exist: the error echoes it escaped
run 1 dfusetool check "no$bad"
has err "'no$shown'"; clean err
[ "$(wc -l < err)" -eq 1 ] || fail "the newline in the name split the message"
run 1 dfusetool build --cm7 "no$bad" -o x.dfu
has err "no$shown"; clean err

# option values
run 2 dfusetool check --device "$bad" "$S/cm7.bin@0x08000000"
has err "unknown device '$shown'"; clean err
run 2 dfusetool dump --max-input-size "$bad" x.dfu
has err "'$shown' is not a size"; clean err
run 2 dfusetool build --frobnicate "$bad"
clean err
run 2 dfusetool "$bad"
has err "'$shown' is not a dfusetool command"; clean err

# a target name read from the file (ESC [ 2 J clears the screen)
python3 -c '
import sys; sys.path.insert(0, sys.argv[1] + "/tests/cli"); import dfugen
data = dfugen.vectors(0x20020000, 0x08000199, 1024)
dfugen.write("t.dfu", [(0, b"T\x1b[2J\x07", [(0x08000000, data)])])
' "$ROOT"
run 0 dfusetool dump t.dfu
has out 'T\x1b[2J\x07'; clean out; clean err
run 0 dfusetool check -v t.dfu
clean out; clean err
# UTF-8 names stay readable
utf=$(printf 'caf\303\251.dfu')
run 1 dfusetool check "$utf"
has err "'$utf'"
