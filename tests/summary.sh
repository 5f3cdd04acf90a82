#!/bin/sh
# Adds up the counts each suite appended to BUILD/check-counts ("passed
# failed [skipped]") and prints the one closing line CI reads.  A skip is
# never a pass: the skipped cases are listed again, with why, above it.
b=$1
if [ -s "$b/check-skips" ]; then
	echo "SKIPPED (not run here, not counted as passed):"
	sed 's/^/  /' "$b/check-skips"
fi
awk '{ p += $1; f += $2; s += $3 }
     END { printf "check: %d passed, %d failed, %d skipped\n", p, f, s; exit (f > 0) }' "$b/check-counts"
