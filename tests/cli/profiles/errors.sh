# Usage errors exit 2 and print nothing on stdout (with --json: only the
# error object); a write error exits 1.
. "$LIB"
run 2 dfusetool profiles stm32nope
has err "dfusetool profiles: unknown device 'stm32nope'; known devices: stm32h745xi stm32h745xg"
has err "stm32h733xg"
[ ! -s out ] || fail "an unknown name still printed profiles"
# checked before anything is printed, wherever it is
run 2 dfusetool profiles --json stm32h745xi stm32nope
json_failed out usage
pyjson out "'stm32nope' in d['error']['message']"
hasnt out '"flash_word"'
run 2 dfusetool profiles --frobnicate
has err "unknown option '--frobnicate'"
if [ -w /dev/full ]; then
	set +e
	dfusetool profiles --json >/dev/full 2>err
	rc=$?
	set -e
	[ "$rc" -eq 1 ] || fail "writing to /dev/full exited $rc, expected 1"
	has err "No space left on device"
fi
