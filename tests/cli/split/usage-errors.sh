# split's usage errors, each exit 2 with its reason and the --help hint
# on stderr (usage-errors.stderr); the last one's status is the case's.
for a in "--by sector x.dfu" "--format elf x.dfu" "x.dfu y.dfu" "" \
	 "--bogus x.dfu"; do
	set +e
	# shellcheck disable=SC2086
	dfusetool split $a
	rc=$?
	set -e
	[ "$rc" -eq 2 ] || { echo "split $a: exit $rc" >&2; exit 1; }
done
dfusetool split -o '' x.dfu
