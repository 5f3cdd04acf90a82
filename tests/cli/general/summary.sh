# tests/summary.sh: the closing line of `make check` adds up every suite,
# counts skips apart from passes and lists each skip with its reason.
. "$LIB"
mkdir b
printf '10 0\n5 0 2\n' > b/check-counts
printf 'cli/map/render: SKIPPED: no headless browser (chromium)\n' > b/check-skips
run 0 sh "$ROOT/tests/summary.sh" b
has out "SKIPPED (not run here, not counted as passed):"
has out "  cli/map/render: SKIPPED: no headless browser (chromium)"
has out "check: 15 passed, 0 failed, 2 skipped"
printf '1 1 0\n' >> b/check-counts
rm b/check-skips
run 1 sh "$ROOT/tests/summary.sh" b
has out "check: 16 passed, 1 failed, 2 skipped"
hasnt out "SKIPPED"
