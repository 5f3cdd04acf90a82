# Sources a maintainer can follow: no file of the repository cites a
# document that lives outside it (the fact sheets as "facts N.N", the old
# style guide as "STYLE N" or by its file name, or a path under
# ../shared/reference other than the test vectors the unit tests open),
# and every document ID cited in src/ and include/ has its own section
# (a "### ID" heading) in doc/sources.md.
. "$LIB"
cd "$ROOT"
[ -f doc/sources.md ] || fail "doc/sources.md is missing"

# The files of the tree: tracked and new ones, never build output.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files --cached --others --exclude-standard > "$OLDPWD/files"
else
	find . -path './build*' -prune -o -path ./.git -prune -o -type f -print |
		sed 's#^\./##' > "$OLDPWD/files"
fi
cd "$OLDPWD"
grep -v -e '^doc/sources\.md$' -e '^tests/cli/docs/sources\.sh$' files > scan
[ "$(wc -l < scan)" -gt 100 ] || fail "found only $(wc -l < scan) files under $ROOT"

# The outside citations, one extended regex each.
cat > patterns <<'EOF'
\<facts [0-9§]
\<[Ff]acts (section|§)
\<STYLE [0-9§]
STYLE\.md
stm32h7-dfuse-facts|stm32h7-option-bytes
shared/reference/($|[^v]|v($|[^e]))
EOF
(cd "$ROOT" && tr '\n' '\0' < "$OLDPWD/scan" |
	xargs -0 grep -InE -f "$OLDPWD/patterns" -- 2>/dev/null) > hits || true
if [ -s hits ]; then
	cat hits >&2
	fail "$(wc -l < hits) line(s) cite a document outside the repository; cite the primary source (doc/sources.md) instead"
fi

# Every document ID the code cites has a section in doc/sources.md.
(cd "$ROOT" && grep -rhoE '\<(RM|AN|UM|DS)[0-9]{4,5}\>|\<DFU 1\.1|\<ARMv7-M\>|\<CMSIS\>' \
	src include) | sort -u > cited
[ -s cited ] || fail "no document IDs found in src/ and include/"
grep '^### ' "$ROOT/doc/sources.md" > headings
missing=0
while IFS= read -r id; do
	if ! grep -qF -- "$id" headings; then
		echo "cited in src/ but has no '### $id' section in doc/sources.md: $id" >&2
		missing=$((missing + 1))
	fi
done < cited
[ "$missing" -eq 0 ] || fail "$missing cited document(s) without a section in doc/sources.md"
echo "$(wc -l < scan) files clean; $(wc -l < cited) cited documents, all in doc/sources.md"
