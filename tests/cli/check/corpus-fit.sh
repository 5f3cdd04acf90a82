# The real-world files pass `check` with no error against the profile of
# the part they were built for (their warnings are expected: ST's files
# carry PID 0x0000, their stacks start at the end of RAM, ...).
. "$LIB"
need_shared
C=$SHARED/corpus/realworld
while read -r f dev; do
	run 0 dfusetool check --device "$dev" "$C/$f"
	has out "$f: 0 errors,"
done <<'LIST'
st-NUCLEO-H723ZG_NUCLEO-H723ZG_LED_Toggle_0x08020000.dfu stm32h723xg
st-NUCLEO-H7A3ZI-Q_NUCLEO-H7A3ZI-Q_LED_Toggle_0x0800C000.dfu stm32h7a3xi
st-STM32H735G-DK_STM32H735G-DK_LED_Toggle_0x08020000.dfu stm32h733xg
st-STM32H743I-EVAL_STM32H7_USB_0x08020000.dfu stm32h743xi
st-STM32H745I-DISCO_STM32H745I_DISCO_USBD-FS_0x08020000.dfu stm32h745xi
st-STM32H747I-DISCO_STM32H7_USB_HS_0x08020000.dfu stm32h747xi
st-STM32H747I-EVAL_STM32H7_USB_0x08020000.dfu stm32h747xi
st-STM32H7B3I-DK_STM32H7B3I-DK_LED_Toggle_0x0800C000.dfu stm32h7b3xi
st-STM32H7B3I-EVAL_STM32H7B3I-EVAL_LED_Toggle_0x0800C000.dfu stm32h7b3xi
openmv4-openmv-2elem.dfu stm32h743xi
openmv4-bootloader.dfu stm32h743xi
32blit-flash-loader-a.dfu stm32h750xb
32blit-flash-loader-b.dfu stm32h750xb
LIST
# a single-core image that crosses banks: an error on the dual-core H745,
# a warning on the single-core H743
run 1 dfusetool check "$C/openmv4-openmv-2elem.dfu"
has out "error: cm7: 0x08020000-0x0816b863 crosses from flash bank 1 into bank 2"
run 0 dfusetool check --device stm32h743xi "$C/openmv4-openmv-2elem.dfu"
has out "warning: cm7: 0x08020000-0x0816b863 crosses from flash bank 1 into bank 2"
