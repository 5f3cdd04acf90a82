# Every diagnostic code the reader emits is documented in dfusetool-dump(1)
# and, with its meaning, in dfuse(5); neither page lists a code the reader
# never emits.
. "$LIB"
# codes are quoted kebab-case words; "truncated" is the one without a dash
grep -oE '"([a-z]+(-[a-z0-9]+)+|truncated)"' "$ROOT/src/lib/dfuse_read.c" | tr -d '"' | sort -u > emitted
grep -qx crc-mismatch emitted || fail "could not find the codes in dfuse_read.c"
sed -n 's/^\.Li \([a-z0-9-]*\)[ ,.]*$/\1/p' "$ROOT/man/dfusetool-dump.1" | sort -u > dump1
# dfuse(5): ".It Li CODE No (severity, offset)" under DIAGNOSTICS, each
# followed by text
awk '/^\.Sh DIAGNOSTICS/{on=1; next} /^\.Sh/{on=0}
     on && /^\.It Li /{ if (code != "" && !text) print "EMPTY " code; code=$3; text=0; print code; next }
     on && code != "" && !/^\./{ text=1 }
     END { if (code != "" && !text) print "EMPTY " code }' "$ROOT/man/dfuse.5" > dfuse5.raw
grep '^EMPTY' dfuse5.raw && fail "dfuse(5) lists a code without its meaning"
sort -u dfuse5.raw > dfuse5
for page in dump1 dfuse5; do
	missing=$(comm -23 emitted $page)
	[ -z "$missing" ] || fail "codes not in $page: $missing"
	extra=$(comm -13 emitted $page)
	[ -z "$extra" ] || fail "$page lists codes the reader never emits: $extra"
done
