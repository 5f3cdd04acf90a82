# profiles' usage errors, each exit 2 (usage-errors.stderr, .exit): a
# near miss of an option, an unknown one, an unknown profile name; with
# --json, the error is also answered in JSON on stdout (.stdout).
. "$LIB"
usage_errors profiles "--jsn" "-x" "stm32h745xz" "--json stm32h745xz"
dfusetool profiles --json --bogus
