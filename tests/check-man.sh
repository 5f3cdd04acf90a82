#!/bin/sh
# Man pages: lint them (mandoc -Tlint, else groff -ww); require a page for
# every subcommand in src/cli/main.c, listed in dfusetool(1), plus dfuse(5)
# and libdfuse(3); run every line of their EXAMPLES sections against the
# samples: "dfusetool ..." lines must succeed, "$ CMD" lines must print the
# lines that follow them, and a section-3 page's C program must be
# samples/example.c, compile against the build and print what the page says.
# Environment: B (build dir), CC, TEST_CFLAGS, TEST_LDFLAGS, LIBS (the
# library's dependencies, from the Makefile).
b=${B:-build}
pass=0; fail=0
ok() { echo "ok   man/$1"; pass=$((pass + 1)); }
bad() { echo "FAIL man/$1"; fail=$((fail + 1)); }
for p in man/*.[1-9]; do
	if command -v mandoc >/dev/null 2>&1; then
		out=$(mandoc -Tlint -W warning "$p" 2>&1)
	else
		out=$(groff -mdoc -ww -z "$p" 2>&1)
	fi
	if [ -n "$out" ]; then echo "$out"; bad "lint $p"; else ok "lint $p"; fi
done
# the commands as the tool itself lists them (not parsed from main.c,
# whose layout is the formatter's); none found is a failure
cmds=$("$b/dfusetool" --help | sed -n '/^commands:/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p')
if [ -z "$cmds" ]; then bad "no commands in 'dfusetool --help'"; fi
for c in $cmds; do
	if [ -f "man/dfusetool-$c.1" ]; then ok "page dfusetool-$c.1"; else bad "no page man/dfusetool-$c.1"; fi
	if grep -q "^\.Xr dfusetool-$c 1" man/dfusetool.1; then ok "dfusetool(1) refers to dfusetool-$c(1)"
	else bad "dfusetool(1) does not refer to dfusetool-$c(1)"; fi
done
for p in dfuse.5 libdfuse.3; do
	if [ -f "man/$p" ]; then ok "page $p"; else bad "no page man/$p"; fi
done
root=$(pwd)
tmp=$(mktemp -d)
ln -s "$root/samples" "$tmp/samples"
for p in man/*.[1-9]; do
	# literal lines of EXAMPLES, man escapes undone
	awk '/^\.Sh EXAMPLES/{on=1; next} /^\.Sh/{on=0}
	     on && /^\.Bd/{lit=1; next} on && /^\.Ed/{lit=0; print ".Ed"; next}
	     on && lit' "$p" | sed 's/\\e/\\/g; s/\\&//g' > "$tmp/lit"
	grep '^dfusetool ' "$tmp/lit" > "$tmp/ex"
	while IFS= read -r line; do
		# the commands that need a device in DFU mode: tests/usb runs
		# their examples against the emulated H7 ROM bootloader
		dev=0
		case "$line" in
		"dfusetool download"*|"dfusetool upload"*|"dfusetool verify"*|\
		"dfusetool erase"*|"dfusetool info"*|"dfusetool leave"*|\
		"dfusetool check "*--live*|"dfusetool list "*--wait*) dev=1 ;;
		esac
		if [ "$dev" = 1 ]; then
			grep -qF -- "dfusetool ${line#dfusetool }" tests/usb/cli/*.sh 2>/dev/null &&
				{ ok "example in $p (run by tests/usb): $line"; continue; }
			bad "example in $p is not run by tests/usb: $line"; continue
		fi
		if (cd "$tmp" && PATH="$root/$b:$PATH" eval "$line") >/dev/null 2>"$tmp/err"; then
			ok "example in $p: $line"
		else
			cat "$tmp/err"; bad "example in $p: $line"
		fi
	done < "$tmp/ex"
	# "$ CMD" then its output, up to the next "$ " or the block's end
	awk '/^\$ /{ if (cmd != "") print cmd > "/dev/stderr"; n++; cmd=substr($0, 3);
	            printf "%s\n", cmd > (dir "/cmd." n); next }
	     /^\.Ed/{ cmd=""; next }
	     cmd != ""{ print > (dir "/want." n) }' dir="$tmp" "$tmp/lit" 2>/dev/null
	for c in "$tmp"/cmd.*; do
		[ -f "$c" ] || continue
		n=${c##*.}
		cmd=$(cat "$c")
		touch "$tmp/want.$n"
		if (cd "$tmp" && PATH="$root/$b:$PATH" eval "$cmd") > "$tmp/got" 2>&1 &&
		    diff -u "$tmp/want.$n" "$tmp/got" > "$tmp/diff"; then
			ok "example in $p: \$ $cmd"
		else
			cat "$tmp/diff"; bad "example in $p: \$ $cmd"
		fi
		rm -f "$c" "$tmp/want.$n"
	done
done
# Section 3: the C program in EXAMPLES is samples/example.c; it compiles
# against this build and prints what the page shows.
for p in man/*.3; do
	q=${p#man/}
	awk '/^\.Sh EXAMPLES/{on=1; next} /^\.Sh/{on=0}
	     on && /^\.Bd/{blk++; lit=1; next} on && /^\.Ed/{lit=0; next}
	     on && lit && blk == 1' "$p" | sed 's/\\e/\\/g; s/\\&//g' > "$tmp/prog.c"
	awk '/^\.Sh EXAMPLES/{on=1; next} /^\.Sh/{on=0}
	     on && /^\.Bd/{blk++; lit=1; next} on && /^\.Ed/{lit=0; next}
	     on && lit && blk == 2' "$p" | sed 's/\\e/\\/g; s/\\&//g' > "$tmp/prog.want"
	grep -q 'int main' "$tmp/prog.c" || { bad "no C program in the EXAMPLES of $q"; continue; }
	if cmp -s "$tmp/prog.c" samples/example.c; then ok "$q: the example is samples/example.c"
	else diff -u samples/example.c "$tmp/prog.c"; bad "$q: the example differs from samples/example.c"; fi
	# shellcheck disable=SC2086
	if ${CC:-cc} ${TEST_CFLAGS:-} -std=c99 -Wall -Wextra -Werror -Iinclude -o "$tmp/prog" "$tmp/prog.c" \
	    "$b/libdfuse.a" ${LIBS:-} ${TEST_LDFLAGS:-} 2> "$tmp/err"; then
		ok "$q: the example compiles"
	else
		cat "$tmp/err"; bad "$q: the example does not compile"; continue
	fi
	(cd "$tmp" && "$root/$b/dfusetool" build -q --cm7 samples/h745-blinky/cm7.elf \
		--cm4 samples/h745-blinky/cm4.elf -o ex.dfu && ./prog ex.dfu) > "$tmp/prog.out" 2>&1
	# each line shown, or its start when the page ends it with "..."
	if awk 'NR == FNR { want[FNR] = $0; n = FNR; next }
		{ got[FNR] = $0 }
		END { for (i = 1; i <= n; i++) {
			w = want[i]; sub(/^[ \t]+/, "", w)
			if (w ~ /\.\.\.$/) { w = substr(w, 1, length(w) - 3)
				if (index(got[i], w) != 1) exit 1 }
			else if (got[i] != w) exit 1 }
		      exit (n == 0) }' "$tmp/prog.want" "$tmp/prog.out"; then
		ok "$q: the example prints what the page shows"
	else
		echo "---- the page shows"; cat "$tmp/prog.want"
		echo "---- the program printed"; cat "$tmp/prog.out"
		bad "$q: the example's output differs from the page"
	fi
done
rm -rf "$tmp"
echo "man: $pass passed, $fail failed"
echo "$pass $fail" >> "$b/check-counts"
[ "$fail" -eq 0 ]
