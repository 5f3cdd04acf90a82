# Helpers for tests/cli cases: source "$LIB".

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

skip() {
	echo "$*" >&2
	exit 77
}

# run STATUS CMD...: runs CMD, capturing out/err into ./out ./err, and
# fails unless it exits with STATUS.
run() {
	want=$1; shift
	set +e
	"$@" >out 2>err
	got=$?
	set -e
	if [ "$got" -ne "$want" ]; then
		echo "---- stdout" >&2; cat out >&2
		echo "---- stderr" >&2; cat err >&2
		fail "'$*' exited $got, expected $want"
	fi
}

# has FILE TEXT: FILE contains the fixed string TEXT.
has() {
	grep -qF -- "$2" "$1" || { echo "---- $1" >&2; cat "$1" >&2; fail "'$1' lacks: $2"; }
}

hasnt() {
	if grep -qF -- "$2" "$1"; then echo "---- $1" >&2; cat "$1" >&2; fail "'$1' has: $2"; fi
}

need() {
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || skip "'$t' is not installed"
	done
}

need_shared() {
	[ -d "$SHARED/corpus/realworld" ] || skip "../shared is absent: corpus tests skipped"
}
