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

# pyjson FILE EXPR: FILE is one valid JSON value in strict UTF-8, read
# into d, and the Python expression EXPR holds for it.
pyjson() {
	python3 -c '
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    d = json.load(f)
if not eval(sys.argv[2]):
    sys.exit("false: " + sys.argv[2] + "\n" + json.dumps(d, indent=1)[:3000])
' "$1" "$2" || fail "JSON in '$1': $2"
}

# json_failed FILE CODE: FILE is the JSON answer of a failed command:
# {"error": {"code": CODE, "message", "file", "offset", "line"}}.
json_failed() {
	pyjson "$1" "set(d) == {'error'} and d['error']['code'] == '$2' and set(d['error']) == {'code', 'message', 'file', 'offset', 'line'} and d['error']['message'] != ''"
}

# usage_errors CMD ARGS...: each ARGS (split at spaces) is one run of
# `dfusetool CMD ARGS` that must exit 2, a usage error; what it prints
# passes through to the case's stdout and stderr, for its expectation
# files.
usage_errors() {
	cmd=$1; shift
	for a in "$@"; do
		set +e
		# shellcheck disable=SC2086
		dfusetool "$cmd" $a
		got=$?
		set -e
		[ "$got" -eq 2 ] || fail "'dfusetool $cmd $a' exited $got, expected 2"
	done
}
