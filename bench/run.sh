#!/bin/sh
# Benchmarks dfusetool against the peer tools that do (about) the same job.
#
#   usage: sh bench/run.sh [BUILD_DIR]        (make bench runs it with build)
#
# Environment:
#   BENCH_RUNS=N       runs per measurement, median reported (default 5)
#   BENCH_BUDGET=S     stop repeating a command once its runs took S seconds
#                      (default 60; slow peers then get fewer runs)
#   BENCH_TIMEOUT=S    kill a single run after S seconds (default 600)
#   BENCH_INPUTS="…"   subset of: twobank hex16m hex64m sparse1000
#   BENCH_NO_INSTALL=1 never apt-get a missing helper (time, python3-intelhex)
#   PYTHON=python3     interpreter for the harness (stdlib only)
#
# It writes everything under BUILD_DIR/bench: the generated inputs (gen.py),
# the peers' outputs (out/), the raw rows (results.tsv) and report.md, which
# is also printed.  It always exits 0 once it has run: the PASS/MISS lines are
# a report, not a test.  A peer that is not installed is skipped with a note.
set -u

B=${1:-build}
PY=${PYTHON:-python3}
HERE=$(cd "$(dirname "$0")" && pwd)

TOOL="$B/dfusetool"
if [ ! -x "$TOOL" ]; then
	echo "bench: $TOOL not found; run make first" >&2
	exit 1
fi
mkdir -p "$B/bench/out" "$B/bench/dump"
# absolute paths: some commands run in another directory (--cwd)
W=$(cd "$B/bench" && pwd)
# Measure a private copy: if the tool is rebuilt while the benchmark runs
# (make in another shell), the rows must not mix two binaries, nor catch one
# half-written.  libdfuse is linked in statically, so the copy is complete.
cp -p "$TOOL" "$W/dfusetool" || exit 1
TOOL="$W/dfusetool"
RES="$W/results.tsv"
INFO="$W/info.md"
INPUTS=${BENCH_INPUTS:-"twobank hex16m hex64m sparse1000"}

have() { command -v "$1" >/dev/null 2>&1; }

# ---- inputs (deterministic; regenerated only when missing or stale) ----
echo "bench: generating inputs in $W" >&2
"$PY" "$HERE/gen.py" --dfusetool "$TOOL" "$W" || {
	echo "bench: gen.py failed" >&2
	exit 1
}

# ---- helpers that may be missing: GNU time (peak RSS), python3-intelhex ----
can_install() {
	[ "${BENCH_NO_INSTALL:-0}" != 1 ] && [ "$(id -u)" -eq 0 ] && have apt-get
}
if [ ! -x /usr/bin/time ] && can_install; then
	echo "bench: installing time (GNU time measures the peak RSS)" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null 2>&1
fi
[ -x /usr/bin/time ] || echo "bench: no /usr/bin/time: RSS figures will be upper bounds" >&2

# dfuse-pack -i needs python3-intelhex (an optional dependency of dfu-util)
# dfuse-pack is a python script; ask the interpreter on its #! line.
dfpack_hex=no
if have dfuse-pack; then
	dfpy=$(sed -n '1s/^#![[:space:]]*//p' "$(command -v dfuse-pack)" | cut -d' ' -f1)
	[ -n "$dfpy" ] || dfpy=python3
	if ! $dfpy -c 'import intelhex' 2>/dev/null && can_install; then
		echo "bench: installing python3-intelhex (dfuse-pack -i needs it)" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-intelhex >/dev/null 2>&1
	fi
	$dfpy -c 'import intelhex' 2>/dev/null && dfpack_hex=yes
fi

# ---- environment notes for the report ----
{
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); runs per measurement: ${BENCH_RUNS:-5} (budget ${BENCH_BUDGET:-60} s)"
	echo "- machine: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n1), $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?') CPUs, $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
	echo "- dfusetool: $("$TOOL" --version 2>&1 | head -n1)"
	have arm-none-eabi-objcopy && echo "- objcopy: $(arm-none-eabi-objcopy --version | head -n1)"
	have srec_cat && echo "- srec_cat: $(srec_cat -VERsion 2>&1 | head -n1)"
	have dfuse-pack && echo "- dfuse-pack: dfu-util $(dpkg-query -W -f='${Version}' dfu-util 2>/dev/null || echo '?'), intelhex module: $dfpack_hex"
	have fwupdtool && echo "- fwupdtool: $(fwupdtool --version 2>/dev/null | awk '$2=="org.freedesktop.fwupd" {print $3; exit}')"
} >"$INFO"

: >"$RES"

# m ARGS... : one measurement (see measure.py for the options)
m() { "$PY" "$HERE/measure.py" --out "$RES" "$@"; }

# skip GROUP TOOL INPUT WHY : a row for a peer that could not run
skip() {
	printf '%s\t%s\tpeer\t%s\tskip\t\t\t\t0\t0\t-\t%s\n' "$1" "$2" "$3" "$4" >>"$RES"
	echo "  $1: $2 skipped ($4)" >&2
}

# build_hex NAME : every tool turns NAME.hex into an image.  dfusetool gets
# --force: the inputs are random bytes (no vector table; hex64m runs past
# the flash), which its device checks rightly refuse, and the job measured
# here is the conversion (the checks still run, and are timed).
build_hex() {
	n=$1
	g="$n: build from .hex"
	in="$W/$n.hex"
	o="$W/out/$n"
	m --group "$g" --input "$n" --role ours --tool "dfusetool build" \
		--note "output=$o.dfusetool.dfu" --clean "$o.dfusetool.dfu" -- \
		"$TOOL" build --force --max-input-size 256M -o "$o.dfusetool.dfu" "$in"
	if have arm-none-eabi-objcopy; then
		m --group "$g" --input "$n" --tool "arm-none-eabi-objcopy -O binary" \
			--note "output=$o.objcopy.bin" --clean "$o.objcopy.bin" -- \
			arm-none-eabi-objcopy -I ihex -O binary "$in" "$o.objcopy.bin"
	else skip "$g" "arm-none-eabi-objcopy" "$n" "not installed (binutils-arm-none-eabi)"; fi
	if have srec_cat; then
		# -offset: srec_cat -binary writes each byte at file offset = address,
		# so without it the output is a 130 MiB sparse file
		m --group "$g" --input "$n" --tool "srec_cat -binary" \
			--note "output=$o.srec_cat.bin" --clean "$o.srec_cat.bin" -- \
			srec_cat "$in" -intel -offset -0x08000000 -o "$o.srec_cat.bin" -binary
	else skip "$g" "srec_cat" "$n" "not installed (srecord)"; fi
	if ! have dfuse-pack; then
		skip "$g" "dfuse-pack -i" "$n" "not installed (dfu-util)"
	elif [ "$dfpack_hex" != yes ]; then
		skip "$g" "dfuse-pack -i" "$n" "its python lacks the intelhex module (python3-intelhex)"
	else
		m --group "$g" --input "$n" --tool "dfuse-pack -i" \
			--note "output=$o.dfuse-pack.dfu" --clean "$o.dfuse-pack.dfu" -- \
			dfuse-pack -i "$in" "$o.dfuse-pack.dfu"
	fi
	if have fwupdtool; then
		m --group "$g" --input "$n" --tool "fwupdtool firmware-convert" \
			--note "output=$o.fwupdtool.dfu" --clean "$o.fwupdtool.dfu" -- \
			fwupdtool firmware-convert "$in" "$o.fwupdtool.dfu" ihex dfuse
	else skip "$g" "fwupdtool" "$n" "not installed (fwupd)"; fi
}

# build_bin : the two-bank image from its two raw banks
build_bin() {
	n=twobank
	g="$n: build from .bin"
	o="$W/out/$n-bin"
	b1="$W/twobank-bank1.bin"
	b2="$W/twobank-bank2.bin"
	m --group "$g" --input "$n" --role ours --tool "dfusetool build --cm7 --cm4" \
		--note "output=$o.dfusetool.dfu" --clean "$o.dfusetool.dfu" -- \
		"$TOOL" build --force -o "$o.dfusetool.dfu" --cm7 "$b1" --cm4 "$b2"
	if have dfuse-pack; then
		m --group "$g" --input "$n" --tool "dfuse-pack -b" \
			--note "output=$o.dfuse-pack.dfu" --clean "$o.dfuse-pack.dfu" -- \
			dfuse-pack -b "0x08000000:$b1" -b "0x08100000:$b2" "$o.dfuse-pack.dfu"
	else skip "$g" "dfuse-pack -b" "$n" "not installed (dfu-util)"; fi
	if have fwupdtool; then
		m --group "$g" --input "$n" --tool "fwupdtool firmware-build" \
			--note "output=$o.fwupdtool.dfu; input is twobank.fwupd.xml (banks base64-encoded in a builder XML, made untimed by gen.py)" \
			--clean "$o.fwupdtool.dfu" -- \
			fwupdtool firmware-build "$W/twobank.fwupd.xml" "$o.fwupdtool.dfu"
	else skip "$g" "fwupdtool" "$n" "not installed (fwupd)"; fi
}

# dump_dfu NAME : every reader goes through NAME.dfu (built by dfusetool)
dump_dfu() {
	n=$1
	g="$n: dump .dfu"
	f="$W/$n.dfu"
	if [ ! -f "$f" ]; then
		echo "bench: $f missing (gen.py could not build it); no dump benchmark for $n" >&2
		return
	fi
	m --group "$g" --input "$n" --role ours --tool "dfusetool dump" -- "$TOOL" dump "$f"
	m --group "$g" --input "$n" --role ours --tool "dfusetool dump --json" -- "$TOOL" dump --json "$f"
	if have dfuse-pack; then
		# dfuse-pack -d writes FILE.targetT.imageE.bin next to its input: run it
		# on a copy in a scratch directory, and clear those files before each run
		cp "$f" "$W/dump/$n.dfu"
		m --group "$g" --input "$n" --tool "dfuse-pack -d" --cwd "$W/dump" \
			--clean "$n.dfu.target*" --note "writes one .bin per element" -- \
			dfuse-pack -d "$n.dfu"
	else skip "$g" "dfuse-pack -d" "$n" "not installed (dfu-util)"; fi
	if have fwupdtool; then
		m --group "$g" --input "$n" --tool "fwupdtool firmware-parse" -- \
			fwupdtool firmware-parse "$f" dfuse
	else skip "$g" "fwupdtool" "$n" "not installed (fwupd)"; fi
	# the floor: read every byte once and hash it ($1 is expanded by that sh)
	# shellcheck disable=SC2016
	m --group "$g" --input "$n" --role floor --tool "cat | sha256sum (floor)" -- \
		sh -c 'cat "$1" | sha256sum' sh "$f"
}

# warm the page cache so the first timed run is not the only one reading disk
for n in $INPUTS; do cat "$W/$n".* >/dev/null 2>&1; done
cat "$W"/twobank-bank*.bin >/dev/null 2>&1

echo "bench: measuring (median of up to ${BENCH_RUNS:-5} runs each)" >&2
m --group baseline --role floor --tool "true" -- true
m --group baseline --role ours --tool "dfusetool --version" -- "$TOOL" --version
for n in $INPUTS; do
	[ "$n" = twobank ] && build_bin
	build_hex "$n"
	dump_dfu "$n"
done

"$PY" "$HERE/report.py" --results "$RES" --inputs "$W/inputs.txt" \
	--dfusetool "$TOOL" --info "$INFO" >"$W/report.md"
cat "$W/report.md"
echo "bench: report written to $W/report.md" >&2
exit 0
