#!/bin/sh
# Man pages: lint them (mandoc -Tlint, else groff -ww), require a page for
# every subcommand in src/cli/main.c, and run every line of their EXAMPLES
# sections against the samples.
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
for c in $(sed -n 's/^\t{ "\([a-z]*\)", cmd_.*/\1/p' src/cli/main.c); do
	if [ -f "man/dfusetool-$c.1" ]; then ok "page dfusetool-$c.1"; else bad "no page man/dfusetool-$c.1"; fi
done
root=$(pwd)
tmp=$(mktemp -d)
ln -s "$root/samples" "$tmp/samples"
for p in man/*.[1-9]; do
	awk '/^\.Sh EXAMPLES/{on=1; next} /^\.Sh/{on=0} on && /^dfusetool /' "$p" > "$tmp/ex"
	while IFS= read -r line; do
		case "$line" in
		"dfusetool download "*)
			# needs a device in DFU mode: tests/usb runs these
			# against the emulated H7 ROM bootloader
			grep -qF -- "${line#dfusetool download }" tests/usb/cli/*.sh 2>/dev/null &&
				{ ok "example in $p (run by tests/usb): $line"; continue; }
			bad "example in $p is not run by tests/usb: $line"; continue ;;
		esac
		if (cd "$tmp" && PATH="$root/$b:$PATH" eval "$line") >/dev/null 2>"$tmp/err"; then
			ok "example in $p: $line"
		else
			cat "$tmp/err"; bad "example in $p: $line"
		fi
	done < "$tmp/ex"
done
rm -rf "$tmp"
echo "man: $pass passed, $fail failed"
echo "$pass $fail" >> "$b/check-counts"
[ "$fail" -eq 0 ]
