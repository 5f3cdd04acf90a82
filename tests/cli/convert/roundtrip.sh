# convert keeps memory exactly, by srec_cmp (srecord), an oracle we did not
# write: HEX -> DfuSe -> HEX and HEX -> S-record -> HEX, on an input that
# srec_cat made with three runs, one of them across a 64 KiB boundary in a
# record that crosses it, and a start address.  The start address survives
# the S-record trip (DfuSe has no place for it), and no start address is
# invented where there was none.
. "$LIB"
need srec_cat srec_cmp srec_info
srec_cat -generate 0x0800FFF0 0x08010021 -repeat-string 'DfuSe round trip ' \
	-generate 0x08100000 0x08100005 -constant 0x42 \
	-generate 0x20000000 0x20000010 -repeat-data 1 2 3 \
	-execution-start-address 0x08000299 -o in.hex -intel
grep -q '^:20FFF000' in.hex || fail "srec_cat no longer writes a record across 64 KiB; the test lost a case"
run 0 dfusetool convert in.hex -o a.dfu
run 0 dfusetool convert a.dfu -o b.hex
srec_cmp in.hex -intel b.hex -intel || fail "hex -> dfu -> hex changed the memory"
run 0 dfusetool convert in.hex -o c.srec
run 0 dfusetool convert c.srec -o d.hex
srec_cmp in.hex -intel d.hex -intel || fail "hex -> srec -> hex changed the memory"
srec_cmp in.hex -intel c.srec -motorola || fail "hex -> srec changed the memory"
# the start address: kept through S-record, absent after DfuSe
srec_info d.hex -intel > info
has info "Execution Start Address: 08000299"
srec_info c.srec > info
has info "Execution Start Address: 08000299"
srec_info b.hex -intel > info
hasnt info "Execution Start Address"
# no start address in, none out (no S7 terminator at 0)
srec_cat -generate 0x100 0x180 -constant 0x5a -o plain.hex -intel
run 0 dfusetool convert plain.hex -o plain.srec
hasnt plain.srec S9
hasnt plain.srec S7
run 0 dfusetool convert plain.srec -o plain2.hex
hasnt plain2.hex ":04000005"
srec_cmp plain.hex -intel plain2.hex -intel || fail "plain round trip"
# every extended linear address record is where the data crosses 64 KiB
awk '/^:02000004/{print substr($0,10,4)}' b.hex | tr '\n' ' ' > ela
[ "$(cat ela)" = "0800 0801 0810 2000 " ] || fail "04 records: $(cat ela)"
