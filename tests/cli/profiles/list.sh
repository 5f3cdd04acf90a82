# Every built-in profile is listed, the default first and marked; NAME
# arguments select profiles in any case.
. "$LIB"
names="stm32h745xi stm32h745xg stm32h755xi stm32h747xi stm32h757xi
stm32h743xi stm32h743xg stm32h753xi stm32h750xb stm32h7a3xi stm32h7b3xi
stm32h723xg stm32h733xg"
run 0 dfusetool profiles
for n in $names; do
	grep -qx "$n\( (default)\)\{0,1\}" out || fail "'$n' is not listed"
done
# one heading line per profile, no more
[ "$(grep -c '^stm32' out)" -eq 13 ] || fail "expected 13 profiles"
[ "$(head -n 1 out)" = "stm32h745xi (default)" ] || fail "the default is not first"
has out "STM32H745xI: CM7 + CM4, 2 MiB flash in 2 banks of 8 x 128 KiB"
has out "  bank 2  0x08100000-0x081fffff  8 x 128 KiB  cm4's bank"
has out "  bank 1  0x08000000-0x0801ffff  1 x 128 KiB  cm7's bank"
has out "  bank 2  0x08100000-0x081fffff  128 x 8 KiB  no core's bank"
has out "cores cm7, flash word 16 bytes, ROM DFU 0483:df11"
hasnt out "regions:"
[ ! -s err ] || fail "stderr is not empty"

# selection, case-insensitive, in the order given
run 0 dfusetool profiles STM32H743XI stm32h745xg
[ "$(grep '^stm32' out | paste -sd' ')" = "stm32h743xi stm32h745xg" ] ||
	fail "wrong selection: $(grep '^stm32' out | paste -sd' ')"
has out "  bank 2  0x08100000-0x081fffff  8 x 128 KiB  no core's bank"
has out "  bank 1  0x08000000-0x0807ffff  4 x 128 KiB  cm7's bank"

# -q prints nothing
run 0 dfusetool profiles -q
[ ! -s out ] || fail "-q printed something"
