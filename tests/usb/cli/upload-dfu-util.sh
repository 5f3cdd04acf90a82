# dfusetool upload gives the same bytes as Debian's dfu-util 0.11 `-U` on
# the same model and range: an oracle we did not write.  Ranges: the first
# 64 KiB, one across the bank boundary (0x080FF800, 4 KiB), and a length
# that is no multiple of wTransferSize (1000 bytes, a short last block).
. "$LIB"
"$DFUSETOOL" upload --help >/dev/null 2>&1 || skip "'dfusetool upload' is not a command yet"
need dfu-util python3

python3 - <<'PY'
import hashlib
open('pat.bin', 'wb').write(hashlib.shake_128(b'dfu-util -U').digest(2 << 20))
PY
for r in 0x08000000:65536 0x080FF800:4096 0x081FFC00:1000; do
	a=${r%:*}; n=${r#*:}
	rm -f du.bin dt.bin
	run 0 "$USBTEST" --exec --flash-in pat.bin -- dfu-util -a 0 -s "$r" -U du.bin
	end=$(printf '0x%08x' $((a + n)))
	run 0 "$USBTEST" --exec --flash-in pat.bin -- "$DFUSETOOL" upload --range "$a:$end" -o dt.bin
	has err "erases=0 "
	cmp du.bin dt.bin || fail "$r: dfusetool's bytes differ from dfu-util's"
	[ "$(wc -c <dt.bin)" -eq "$n" ] || fail "$r: dt.bin is $(wc -c <dt.bin) bytes"
done
