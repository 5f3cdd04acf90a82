# Every built-in profile is listed, the default first and marked, with its
# banks, cores, flash word and ROM DFU IDs (list.stdout); NAME arguments
# select profiles in any case.
. "$LIB"
# the whole list, exactly as list.stdout holds it (and nothing on stderr:
# list.stderr): every profile, one heading line each, the default first
dfusetool profiles

# selection, case-insensitive, in the order given
run 0 dfusetool profiles STM32H743XI stm32h745xg
[ "$(grep '^stm32' out | paste -sd' ')" = "stm32h743xi stm32h745xg" ] ||
	fail "wrong selection: $(grep '^stm32' out | paste -sd' ')"
has out "  bank 2  0x08100000-0x081fffff  8 x 128 KiB  no core's bank"
has out "  bank 1  0x08000000-0x0807ffff  4 x 128 KiB  cm7's bank"

# -q prints nothing
run 0 dfusetool profiles -q
[ ! -s out ] || fail "-q printed something"
