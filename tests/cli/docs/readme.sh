# Every `dfusetool` line of README.md's sh blocks runs, from a copy of the
# repository layout (samples/ reachable as in the README), and succeeds
# unless the line ends in "# exit N".
. "$LIB"
ln -s "$ROOT/samples" samples
awk '/^```sh/{on=1; next} /^```/{on=0} on && /^dfusetool /' "$ROOT/README.md" > examples
[ "$(wc -l < examples)" -ge 5 ] || fail "README.md has too few examples"
n=0
while IFS= read -r line; do
	want=0
	case "$line" in *"# exit "*) want=${line##*# exit }; line=${line%%#*} ;; esac
	echo "+ $line" >&2
	set +e
	eval "$line" > last.out 2> last.err
	got=$?
	set -e
	[ "$got" -eq "$want" ] || { cat last.out last.err >&2; fail "README example exited $got, expected $want: $line"; }
	n=$((n + 1))
done < examples
echo "$n README examples ran"
