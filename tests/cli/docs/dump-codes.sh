# Every diagnostic code the reader emits is documented in dfusetool-dump(1),
# and every code the page lists is one the reader emits.
. "$LIB"
# codes are quoted kebab-case words; "truncated" is the one without a dash
grep -oE '"([a-z]+(-[a-z0-9]+)+|truncated)"' "$ROOT/src/lib/dfuse_read.c" | tr -d '"' | sort -u > emitted
sed -n 's/^\.Li \([a-z0-9-]*\)[ ,.]*$/\1/p' "$ROOT/man/dfusetool-dump.1" | sort -u > documented
grep -qx crc-mismatch emitted || fail "could not find the codes in dfuse_read.c"
missing=$(comm -23 emitted documented)
[ -z "$missing" ] || fail "codes not in dfusetool-dump(1): $missing"
extra=$(comm -13 emitted documented)
[ -z "$extra" ] || fail "dfusetool-dump(1) lists codes the reader never emits: $extra"
