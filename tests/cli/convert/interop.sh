# Third-party readers agree with what convert writes: srec_cat and
# arm-none-eabi-objcopy read our Intel HEX and S-record outputs of the
# sample ELFs back to the very bytes of the committed raw binaries, and
# objcopy finds the ELF's entry point in them.
. "$LIB"
need srec_cat arm-none-eabi-objcopy arm-none-eabi-readelf
S=$SAMPLES/h745-blinky
for core in cm7 cm4; do
	run 0 dfusetool convert "$S/$core.elf" -o $core.hex
	run 0 dfusetool convert "$S/$core.elf" -o $core.srec
	base=$(awk '/^:020000040/{print substr($0,10,4); exit}' $core.hex)
	off=0x${base}0000
	srec_cat $core.hex -intel -offset -$off -o $core.a.bin -binary
	srec_cat $core.srec -motorola -offset -$off -o $core.b.bin -binary
	arm-none-eabi-objcopy -I ihex -O binary $core.hex $core.c.bin
	arm-none-eabi-objcopy -I srec -O binary $core.srec $core.d.bin
	for x in a b c d; do
		cmp $core.$x.bin "$S/$core.bin" || fail "$core: reader $x differs from $core.bin"
	done
	entry=$(arm-none-eabi-readelf -h "$S/$core.elf" | awk '/Entry point/{print $4}')
	arm-none-eabi-objcopy -I ihex -O elf32-littlearm $core.hex $core.h.elf
	arm-none-eabi-objcopy -I srec -O elf32-littlearm $core.srec $core.s.elf
	for e in h s; do
		got=$(arm-none-eabi-readelf -h $core.$e.elf | awk '/Entry point/{print $4}')
		[ "$got" = "$entry" ] || fail "$core: objcopy reads entry $got from our output, the ELF has $entry"
	done
done
# srec_cat finds nothing to complain about
srec_cat cm7.hex -intel -o /dev/null 2> warn
[ ! -s warn ] || { cat warn >&2; fail "srec_cat warns about our HEX"; }
srec_cat cm7.srec -motorola -o /dev/null 2> warn
[ ! -s warn ] || { cat warn >&2; fail "srec_cat warns about our S-record"; }
