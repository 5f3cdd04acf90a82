# make install / uninstall with PREFIX and DESTDIR: the binary, the static
# and shared libraries (soname and symlinks), the headers, libdfuse.pc, the
# man pages (1, 3, 5), bash, zsh and fish completion and the udev rule; then
# samples/example.c builds against the staged tree with pkg-config and
# runs; man finds the pages; bash-completion finds the completion; and
# uninstall leaves nothing of ours, and everything else.
. "$LIB"
need pkg-config cc python3
stage=$PWD/stage
inst() { # inst install|uninstall PREFIX
	make -s -C "$ROOT" B="$BUILD" "$1" DESTDIR="$stage" PREFIX="$2" > "$1.log" 2>&1 ||
		{ cat "$1.log"; fail "make $1 PREFIX=$2 failed"; }
}
real_rule=/etc/udev/rules.d/70-dfusetool.rules
[ -e $real_rule ] && had_rule=1 || had_rule=0
# someone else's files in the same directories must survive
mkdir -p "$stage/usr/local/bin" "$stage/etc/udev/rules.d"
echo keep > "$stage/usr/local/bin/other"
echo keep > "$stage/etc/udev/rules.d/99-other.rules"

inst install /usr/local
u=$stage/usr/local
v=$(sed -n 's/^#define DFUSE_VERSION_\(MAJOR\|MINOR\|PATCH\) *\([0-9]*\).*/\2/p' "$ROOT/include/dfuse.h" | paste -sd.)
major=${v%%.*}
# the soname's version: MAJOR.MINOR before 1.0 (any 0.x minor may break
# the ABI), MAJOR from 1.0 on
if [ "$major" = 0 ]; then major=${v%.*}; fi
for f in bin/dfusetool lib/libdfuse.a lib/libdfuse.so.$v include/dfuse.h include/dfuse_usb.h \
	lib/pkgconfig/libdfuse.pc share/man/man3/libdfuse.3 share/man/man5/dfuse.5 \
	share/bash-completion/completions/dfusetool share/zsh/site-functions/_dfusetool \
	share/fish/vendor_completions.d/dfusetool.fish lib/cmake/dfusetool/dfusetoolConfig.cmake \
	lib/cmake/dfusetool/dfusetoolConfigVersion.cmake lib/cmake/dfusetool/dfusetool.cmake; do
	[ -f "$u/$f" ] || fail "not installed: $f"
done
for p in "$ROOT"/man/*.1; do
	[ -f "$u/share/man/man1/${p##*/}" ] || fail "not installed: man1/${p##*/}"
done
# the udev rule where udev reads it, not under the prefix
[ -f "$stage/etc/udev/rules.d/70-dfusetool.rules" ] || fail "udev rule not in /etc/udev/rules.d for PREFIX=/usr/local"
[ ! -e "$u/lib/udev" ] || fail "udev rule under the prefix, where udev does not look"
[ $had_rule -eq 1 ] || [ ! -e $real_rule ] || fail "make install DESTDIR=... wrote $real_rule"
rule=$stage/etc/udev/rules.d/70-dfusetool.rules
grep -v '^#' "$rule" | grep -q 'ATTR{idVendor}=="0483", ATTR{idProduct}=="df11", TAG+="uaccess"' || fail "the rule does not tag 0483:df11 uaccess"
# uaccess is applied by 73-seat-late.rules: ours must sort before it
[ "$(printf '%s\n' 70-dfusetool.rules 73-seat-late.rules | sort | head -n 1)" = 70-dfusetool.rules ] || fail "rule sorts after 73-seat-late"

[ "$(readlink "$u/lib/libdfuse.so.$major")" = "libdfuse.so.$v" ] || fail "bad soname link"
[ "$(readlink "$u/lib/libdfuse.so")" = "libdfuse.so.$major" ] || fail "bad dev link"
readelf -d "$u/lib/libdfuse.so.$v" | grep -q "SONAME.*libdfuse.so.$major" || fail "soname is not libdfuse.so.$major"
# only the public API is exported
if nm -D --defined-only "$u/lib/libdfuse.so.$v" | awk '{print $3}' | grep -v '^dfuse_' | grep -q .; then
	nm -D --defined-only "$u/lib/libdfuse.so.$v" | grep -v ' dfuse_' >&2
	fail "the shared library exports symbols outside dfuse_"
fi
grep -q "^Version: $v" "$u/lib/pkgconfig/libdfuse.pc" || fail "libdfuse.pc has the wrong version"
grep -q "^prefix=/usr/local$" "$u/lib/pkgconfig/libdfuse.pc" || fail "libdfuse.pc does not record the prefix"

# samples/example.c against the staged tree, found by pkg-config alone
# (TEST_CFLAGS/TEST_LDFLAGS carry the sanitizer flags under `make asan`)
export PKG_CONFIG_PATH="$u/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$stage"
flags=$(pkg-config --cflags --libs libdfuse) || fail "pkg-config does not find libdfuse"
${CC:-cc} ${TEST_CFLAGS:-} -Wall -Wextra -Werror -o example "$SAMPLES/example.c" $flags ${TEST_LDFLAGS:-} ||
	fail "samples/example.c does not build against the installed library"
readelf -d example | grep -q "NEEDED.*libdfuse.so.$major" || fail "example is not linked to libdfuse.so.$major"
"$u/bin/dfusetool" build -q --cm7 "$SAMPLES/h745-blinky/cm7.elf" --cm4 "$SAMPLES/h745-blinky/cm4.elf" -o release.dfu
LD_LIBRARY_PATH="$u/lib" ./example release.dfu > example.out || fail "example failed: $(cat example.out)"
"$u/bin/dfusetool" dump --json release.dfu > dump.json
python3 - dump.json example.out <<'PY' || fail "example's output does not match dump --json"
import json, sys
d = json.load(open(sys.argv[1]))
want = ['0x%08x %d bytes %s' % (e['address'], e['size'], e['core'])
        for e in d['targets'][0]['elements']]
want += ['%s %s: %s' % (f['severity'], f['code'], f['message']) for f in d['findings']]
got = open(sys.argv[2]).read().splitlines()
if got != want:
    sys.exit('example printed %r, dump says %r' % (got, want))
PY
LD_LIBRARY_PATH="$u/lib" ./example nope.dfu 2> example.err && fail "example on a missing file succeeded"
grep -q "'nope.dfu': cannot open" example.err || fail "example's error: $(cat example.err)"

# man finds the pages by section
if command -v man >/dev/null 2>&1; then
	for pg in "5 dfuse" "3 libdfuse" "1 dfusetool" "1 dfusetool-map"; do
		MANPATH="$u/share/man" man -w $pg | grep -q "$u/share/man/man${pg%% *}/${pg#* }.${pg%% *}" ||
			fail "man -w $pg does not find the installed page"
	done
fi
# bash-completion loads it from the prefix's share/ on first use
bc=/usr/share/bash-completion/bash_completion
if [ -f $bc ] && command -v bash >/dev/null 2>&1; then
	XDG_DATA_DIRS="$u/share" PATH="$u/bin:$PATH" bash -c ". $bc; __load_completion dfusetool && complete -p dfusetool" \
		> bc.out 2>&1 || true
	grep -q -- '-F _dfusetool dfusetool' bc.out || fail "bash-completion does not load the installed completion: $(cat bc.out)"
fi
# fish loads the installed completion from the prefix's share/ on first use
if command -v fish >/dev/null 2>&1; then
	XDG_DATA_DIRS="$u/share" PATH="$u/bin:$PATH" fish -c 'complete -C "dfusetool bu"' > fish.out 2>&1 || true
	grep -qx build fish.out || fail "fish does not load the installed completion: $(cat fish.out)"
fi
# zsh's compinit finds _dfusetool in site-functions on $fpath
if command -v zsh >/dev/null 2>&1; then
	fpath_dir=$u/share/zsh/site-functions zsh -fc 'fpath=($fpath_dir $fpath); autoload -Uz compinit; compinit -u -D; print -r -- $_comps[dfusetool]' > zsh.out 2>&1 || true
	grep -qx _dfusetool zsh.out || fail "compinit does not find the installed zsh completion: $(cat zsh.out)"
fi

inst uninstall /usr/local
left=$(find "$stage" \( -type f -o -type l \) ! -name other ! -name 99-other.rules)
[ -z "$left" ] || fail "left after uninstall: $left"
[ -f "$stage/usr/local/bin/other" ] && [ -f "$stage/etc/udev/rules.d/99-other.rules" ] ||
	fail "uninstall removed files that are not ours"

# PREFIX=/usr: the rule goes with the package; UDEVDIR= leaves it out
rm -rf "$stage"
inst install /usr
[ -f "$stage/usr/lib/udev/rules.d/70-dfusetool.rules" ] || fail "udev rule not in /usr/lib/udev/rules.d for PREFIX=/usr"
[ -f "$stage/usr/share/bash-completion/completions/dfusetool" ] || fail "no completion for PREFIX=/usr"
inst uninstall /usr
left=$(find "$stage" -type f -o -type l)
[ -z "$left" ] || fail "left after uninstall: $left"
make -s -C "$ROOT" B="$BUILD" install DESTDIR="$stage" PREFIX=/opt/x UDEVDIR= > install.log 2>&1 || fail "UDEVDIR= install failed"
[ ! -e "$stage/etc" ] && [ -f "$stage/opt/x/bin/dfusetool" ] || fail "UDEVDIR= still installed a rule"
