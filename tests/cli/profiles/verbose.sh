# -v adds the memory regions: range, size, kind, cores, writability, name.
. "$LIB"
run 0 dfusetool profiles -v stm32h745xi
has out "  regions:"
has out "0x00000000-0x0000ffff    64 KiB  ram     cm7      yes       ITCM"
has out "0x08100000-0x081fffff     1 MiB  flash   cm7,cm4  rom-dfu   Flash bank 2"
has out "0x10000000-0x10047fff   288 KiB  ram     cm4      yes       D2 SRAM (CM4 alias)"
has out "0x1ff00000-0x1ff1e7ff   122 KiB  system  cm7      no        System memory"
has out "0x20004100-0x2001ffff  114432 B  ram     cm7      rom-dfu   DTCM"
has out "0x5200201c-0x5200209b     128 B  option  cm7      rom-dfu   Option bytes"
run 0 dfusetool profiles --verbose stm32h7a3xi
has out "0x08fff000-0x08fff3ff     1 KiB  otp     cm7      rom-dfu   OTP"
hasnt out "cm4"
run 0 dfusetool profiles -v stm32h723xg
has out "0x30004000-0x30007fff    16 KiB  ram     cm7      yes       SRAM2 (D2)"
hasnt out "bank 2"
