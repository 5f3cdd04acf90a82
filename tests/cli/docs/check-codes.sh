# Every rule code dfuse_check() emits is documented in dfusetool-check(1),
# and the page lists no code that does not exist.
. "$LIB"
grep -oE '"[a-z0-9]+(-[a-z0-9]+)+"' "$ROOT/src/lib/check.c" | tr -d '"' | sort -u > emitted
sed -n 's/^\.It Li \([a-z0-9-]*\) .*/\1/p' "$ROOT/man/dfusetool-check.1" | sort -u > documented
[ "$(wc -l < emitted)" -ge 18 ] || fail "could not find the codes in check.c"
missing=$(comm -23 emitted documented)
[ -z "$missing" ] || fail "codes not in dfusetool-check(1): $missing"
extra=$(comm -13 emitted documented)
[ -z "$extra" ] || fail "dfusetool-check(1) lists codes check.c never emits: $extra"
