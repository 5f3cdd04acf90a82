# split's usage errors, each exit 2 with its reason and the --help hint
# on stderr (usage-errors.stderr); the last one's status is the case's.
. "$LIB"
usage_errors split "--by sector x.dfu" "--format elf x.dfu" "x.dfu y.dfu" "" \
	 "--bogus x.dfu"
dfusetool split -o '' x.dfu
