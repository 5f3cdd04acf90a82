# profiles' usage errors, each exit 2 (usage-errors.stderr, .exit): a
# near miss of an option, an unknown one, an unknown profile name; with
# --json, the error is also answered in JSON on stdout (.stdout).
for a in "--jsn" "-x" "stm32h745xz" "--json stm32h745xz"; do
	set +e
	# shellcheck disable=SC2086
	dfusetool profiles $a
	rc=$?
	set -e
	[ "$rc" -eq 2 ] || { echo "profiles $a: exit $rc" >&2; exit 1; }
done
dfusetool profiles --json --bogus
