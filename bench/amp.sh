#!/bin/sh
# Peak memory of convert, merge and split on a 64 MiB image, side by side
# with srec_cat and objcopy doing the same conversion (binary -> Intel HEX).
#
#   usage: sh bench/amp.sh [BUILD_DIR]        (make bench-amp runs it with build)
#
# Environment:
#   AMP_MIB=N       data size of the big image in MiB (default 64, just under
#                   the default input limit with the file's 309 bytes of
#                   prefix, target prefix, element header and suffix)
#   PYTHON=python3  interpreter for the input generator (stdlib only)
#
# Inputs, written under BUILD_DIR/bench/amp (regenerated when missing):
#   big.bin   AMP_MIB MiB - 1 KiB of SHAKE-128 bytes (deterministic)
#   big.dfu   the same bytes as one element at 0x08000000 (UM0391 layout)
#   many.dfu  65,536 1-byte elements 64 bytes apart: the most elements an
#             input may give at the default 64 MiB limit
#             (DFUSE_MAX_ELEMENTS), so the per-element cost, not the data,
#             is what it measures: its peak is the "constant" of the bound
#   over.dfu  8 MiB of 1-byte elements (932,067): over the element limit,
#             refused by the reader; the row shows what the refusal costs
#
# Every command runs once under GNU /usr/bin/time -f %M (peak RSS, KiB).
# "RSS / data" is the peak RSS over the image's payload bytes; the target
# for dfusetool is within 2x the input's data plus a constant, the
# per-element records of at most DFUSE_MAX_ELEMENTS elements.  Like
# bench/run.sh it is a report, not a test: it exits 0 once it has run.
set -u

B=${1:-build}
PY=${PYTHON:-python3}
TOOL="$B/dfusetool"
MIB=${AMP_MIB:-64}
if [ ! -x "$TOOL" ]; then
	echo "bench-amp: $TOOL not found; run make first" >&2
	exit 1
fi
if [ ! -x /usr/bin/time ]; then
	echo "bench-amp: needs GNU time (/usr/bin/time, Debian package time)" >&2
	exit 1
fi
W="$B/bench/amp"
mkdir -p "$W/out"
W=$(cd "$W" && pwd)

"$PY" - "$W" "$MIB" <<'EOF' || exit 1
import hashlib, os, struct, sys, zlib
w, mib = sys.argv[1], int(sys.argv[2])
def dfu(targets_body, ntargets):
    # szSignature bVersion DFUImageSize bTargets
    body = struct.pack('<5sBIB', b'DfuSe', 1, 11 + len(targets_body),
                       ntargets) + targets_body
    # bcdDevice idProduct idVendor bcdDFU ucDfuSignature bLength
    body += struct.pack('<HHHH3sB', 0xFFFF, 0xDF11, 0x0483, 0x011A,
                        b'UFD', 16)
    return body + struct.pack('<I', ~zlib.crc32(body) & 0xFFFFFFFF)
def target(elements):
    # dwElementAddress dwElementSize, data
    data = b''.join(struct.pack('<II', a, len(d)) + d for a, d in elements)
    # szSignature bAlternateSetting bTargetNamed szTargetName
    # dwTargetSize dwNbElements
    return struct.pack('<6sBI255sII', b'Target', 0, 1, b'Internal Flash',
                       len(data), len(elements)) + data
stamp = os.path.join(w, 'inputs-v2-%d' % mib)
if not os.path.exists(stamp):
    data = hashlib.shake_128(b'dfusetool bench amp').digest((mib << 20) - 1024)
    open(os.path.join(w, 'big.bin'), 'wb').write(data)
    open(os.path.join(w, 'big.dfu'), 'wb').write(
        dfu(target([(0x08000000, data)]), 1))
    n = 65536
    open(os.path.join(w, 'many.dfu'), 'wb').write(
        dfu(target([(0x08000000 + 64 * i, data[i:i + 1])
                    for i in range(n)]), 1))
    n = (8 << 20) // 9
    open(os.path.join(w, 'over.dfu'), 'wb').write(
        dfu(target([(0x08000000 + 64 * i, data[i:i + 1])
                    for i in range(n)]), 1))
    open(stamp, 'w').write('')
EOF

data_big=$(wc -c <"$W/big.bin")
data_many=65536
data_over=$(( (8 << 20) / 9 ))
file_big=$(wc -c <"$W/big.dfu")
file_many=$(wc -c <"$W/many.dfu")
file_over=$(wc -c <"$W/over.dfu")

# row INPUT DATA FILE LABEL CMD... : one command, one table row
row() {
	in=$1 data=$2 file=$3 label=$4
	shift 4
	rm -rf "$W/out"
	mkdir -p "$W/out"
	if ! command -v "$1" >/dev/null 2>&1; then
		printf '| %s | %s | skipped: not installed | | | |\n' "$in" "$label"
		return
	fi
	if /usr/bin/time -f %M -o "$W/rss" "$@" >/dev/null 2>"$W/err"; then
		st=ok
	elif [ "$in" = over ] &&
		grep -q too-many-elements "$W/err"; then
		st="refused (too-many-elements), as it should be"
	else
		st="FAILED: $(tail -n 1 "$W/err")"
	fi
	kib=$(tail -n 1 "$W/rss")
	awk -v inp="$in" -v l="$label" -v k="$kib" -v d="$data" -v f="$file" \
		-v st="$st" 'BEGIN { printf "| %s | %s | %s | %.1f MiB | %.2f | %.2f |\n",
			inp, l, st, k / 1024, k * 1024 / d, k * 1024 / f }'
}

O="$W/out"
{
	echo "# Peak RSS / data: dfusetool against srec_cat and objcopy"
	echo
	echo "- $(date -u '+%Y-%m-%d %H:%M UTC'), $("$TOOL" --version 2>&1 | head -n 1), load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
	echo "- big: $data_big bytes of data (one element); many: $data_many bytes in $data_many elements (the default element limit); over: $data_over bytes in $data_over elements (refused)"
	echo
	echo "| input | command | status | peak RSS | RSS / data | RSS / input file |"
	echo "|---|---|---|---:|---:|---:|"
	row big "$data_big" "$file_big" "dfusetool convert .dfu -> .hex" "$TOOL" convert "$W/big.dfu" -o "$O/o.hex"
	row big "$data_big" "$file_big" "dfusetool convert .bin -> .hex" "$TOOL" convert "$W/big.bin@0x08000000" -o "$O/o.hex"
	row big "$data_big" "$file_big" "dfusetool merge" "$TOOL" merge --force "$W/big.dfu" -o "$O/o.dfu"
	row big "$data_big" "$file_big" "dfusetool split" "$TOOL" split --force "$W/big.dfu" -o "$O/parts"
	row big "$data_big" "$file_big" "srec_cat -binary -> -intel" srec_cat "$W/big.bin" -binary -offset 0x08000000 -o "$O/o.hex" -intel
	row big "$data_big" "$file_big" "objcopy -I binary -O ihex" arm-none-eabi-objcopy -I binary -O ihex --change-addresses 0x08000000 "$W/big.bin" "$O/o.hex"
	row many "$data_many" "$file_many" "dfusetool convert .dfu -> .hex" "$TOOL" convert "$W/many.dfu" -o "$O/o.hex"
	row many "$data_many" "$file_many" "dfusetool merge" "$TOOL" merge --force "$W/many.dfu" -o "$O/o.dfu"
	row many "$data_many" "$file_many" "dfusetool split" "$TOOL" split --force "$W/many.dfu" -o "$O/parts"
	row over "$data_over" "$file_over" "dfusetool convert .dfu -> .hex" "$TOOL" convert "$W/over.dfu" -o "$O/o.hex"
	row over "$data_over" "$file_over" "dfusetool merge" "$TOOL" merge --force "$W/over.dfu" -o "$O/o.dfu"
} | tee "$W/report.md"
exit 0
