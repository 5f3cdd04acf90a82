# Every command that reads takes a FIFO, a pipe, '-' and /dev/stdin: each
# input is read once through one descriptor (the format probe and the
# reader share the bytes; they used to open the name twice and hang).
# `timeout` only keeps a regression from hanging the suite.
. "$LIB"
need timeout
S=$SAMPLES/h745-blinky
run 0 dfusetool build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o in.dfu
T="timeout 60"
n=0
fifo() { # fifo FILE: a new FIFO fed FILE once, in the background
	n=$((n + 1))
	mkfifo "f$n"
	cat "$1" > "f$n" &
	F=f$n
}
for cmd in dump check map; do
	fifo in.dfu
	run 0 $T dfusetool $cmd "$F"
	has out "in"
	cat in.dfu | { run 0 $T dfusetool $cmd -; }
	cat in.dfu | { run 0 $T dfusetool $cmd /dev/stdin; }
done
# the same bytes out of a FIFO, a pipe and the file
fifo in.dfu
run 0 $T dfusetool convert "$F" --format hex -o fifo.hex
cat in.dfu | { run 0 $T dfusetool convert - --format hex -o pipe.hex; }
run 0 dfusetool convert in.dfu --format hex -o file.hex
cmp fifo.hex file.hex || fail "convert from a FIFO differs"
cmp pipe.hex file.hex || fail "convert from a pipe differs"
fifo in.dfu
run 0 $T dfusetool split "$F" -o fromfifo
cat in.dfu | { run 0 $T dfusetool split - -o frompipe; }
cmp fromfifo/cm7.dfu frompipe/cm7.dfu || fail "split from a pipe differs"
fifo in.dfu
run 0 $T dfusetool merge -o m1.dfu "$F"
cat in.dfu | { run 0 $T dfusetool merge -o m2.dfu -; }
cmp m1.dfu m2.dfu || fail "merge from a pipe differs"
# image inputs: ELF, HEX, FILE@ADDR through FIFOs and pipes
fifo "$S/cm7.elf"
run 0 $T dfusetool build --cm7 "$F" --cm4 "$S/cm4.elf" -o b1.dfu
cmp b1.dfu in.dfu || fail "build from a FIFO differs"
cat "$S/cm7.hex" | { run 0 $T dfusetool build --cm7 - --cm4 "$S/cm4.hex" -o b2.dfu; }
fifo "$S/cm7.bin"
run 0 $T dfusetool build "$F@0x08000000" -o b3.dfu
run 0 dfusetool build "$S/cm7.bin@0x08000000" -o b4.dfu
cmp b3.dfu b4.dfu || fail "a raw binary from a FIFO differs"
fifo "$S/cm7.hex"
run 0 $T dfusetool check "$F"
# a stream cut short is an error naming the file, never a signal
head -c 700 in.dfu > half.dfu
for cmd in dump check map convert; do
	fifo half.dfu
	case $cmd in
	convert) run 1 $T dfusetool convert "$F" --format hex -o cut.hex ;;
	*) run 1 $T dfusetool $cmd "$F" ;;
	esac
	cat out err | grep -qF "$F" || fail "$cmd did not name $F"
done
[ ! -e cut.hex ] || fail "a cut input was converted"
# the input limit applies while reading a stream (it has no size)
cat in.dfu | { run 1 $T dfusetool dump --max-input-size 1K -; }
has err "over the input limit of 1024 bytes"
wait
