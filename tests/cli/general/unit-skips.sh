# tests/run-unit.sh counts cmocka's skip() as skipped, not passed: run
# where ../shared is absent (a tree of links to this one, without a
# ../shared beside it), test_roundtrip skips its vector and corpus tests,
# and the per-binary line, the final line, check-counts and check-skips
# all say so.  Where ../shared is present the same binary skips nothing.
. "$LIB"
t="$BUILD/tests/test_roundtrip"
[ -x "$t" ] || skip "$t is not built (make unit builds it)"
mkdir repo b
for f in "$ROOT"/*; do ln -s "$f" repo/; done
[ ! -e shared ] || fail "a ../shared is beside the scratch tree"
(cd repo && sh "$ROOT/tests/run-unit.sh" ../b "$t") >out 2>err ||
	fail "run-unit.sh failed: $(cat out err)"
has out "test_roundtrip: 1 passed, 0 failed, 2 skipped"
has out "unit: 1 passed, 0 failed, 2 skipped"
[ "$(cat b/check-counts)" = "1 0 2" ] || fail "check-counts: $(cat b/check-counts)"
has b/check-skips "unit/test_roundtrip: test_roundtrip__vectors"
has b/check-skips "unit/test_roundtrip: test_roundtrip__corpus"
[ "$(wc -l < b/check-skips)" -eq 2 ] || fail "not two skips listed"
# and tests/summary.sh, the closing line of make check, shows them
run 0 sh "$ROOT/tests/summary.sh" b
has out "SKIPPED (not run here, not counted as passed):"
has out "  unit/test_roundtrip: test_roundtrip__vectors"
has out "check: 1 passed, 0 failed, 2 skipped"

# a failure still counts as one, skips beside it
cat > fake <<'SH'
#!/bin/sh
echo "[==========] Running 3 test(s)."
echo "[  SKIPPED ] fake_a"
echo "[  FAILED  ] fake_b"
echo "[  PASSED  ] 1 test(s)."
echo "[  FAILED  ] 1 test(s), listed below:"
echo "[  FAILED  ] fake_b"
echo "[  SKIPPED ] 1 test(s), listed below:"
echo "[  SKIPPED ] fake_a"
exit 1
SH
chmod +x fake
rm -f b/check-counts b/check-skips
run 1 sh "$ROOT/tests/run-unit.sh" b ./fake
has out "fake: 1 passed, 1 failed, 1 skipped"
has out "failing: fake"
has out "unit: 1 passed, 1 failed, 1 skipped"
[ "$(cat b/check-skips)" = "unit/fake: fake_a (cmocka skip(): needs what is absent here)" ] ||
	fail "check-skips: $(cat b/check-skips)"

if [ -d "$SHARED/corpus/realworld" ] && [ -d "$SHARED/reference/vectors" ]; then
	rm -f b/check-counts b/check-skips
	here=$(pwd)
	(cd "$ROOT" && sh tests/run-unit.sh "$here/b" "$t") >out 2>err ||
		fail "run-unit.sh failed: $(cat out err)"
	has out "test_roundtrip: 3 passed, 0 failed"
	has out "unit: 3 passed, 0 failed, 0 skipped"
	[ ! -s b/check-skips ] || fail "skips where ../shared is present"
fi
