# make install / uninstall with PREFIX and DESTDIR: the binary, the static
# and shared libraries (soname and symlinks), the headers, libdfuse.pc and
# the man pages; a program builds against the staged tree with pkg-config.
. "$LIB"
need pkg-config cc
stage=$PWD/stage
make -s -C "$ROOT" B="$BUILD" install DESTDIR="$stage" PREFIX=/opt/dfuse > install.log 2>&1 || { cat install.log; fail "make install failed"; }
u=$stage/opt/dfuse
for f in bin/dfusetool lib/libdfuse.a include/dfuse.h lib/pkgconfig/libdfuse.pc \
	share/man/man1/dfusetool.1 share/man/man1/dfusetool-build.1; do
	[ -f "$u/$f" ] || fail "not installed: $f"
done
v=$(sed -n 's/^#define DFUSE_VERSION_\(MAJOR\|MINOR\|PATCH\) *\([0-9]*\).*/\2/p' "$ROOT/include/dfuse.h" | paste -sd.)
major=${v%%.*}
[ -f "$u/lib/libdfuse.so.$v" ] || fail "no libdfuse.so.$v"
[ "$(readlink "$u/lib/libdfuse.so.$major")" = "libdfuse.so.$v" ] || fail "bad soname link"
[ "$(readlink "$u/lib/libdfuse.so")" = "libdfuse.so.$major" ] || fail "bad dev link"
readelf -d "$u/lib/libdfuse.so.$v" | grep -q "SONAME.*libdfuse.so.$major" || fail "soname is not libdfuse.so.$major"
# only the public API is exported
if nm -D --defined-only "$u/lib/libdfuse.so.$v" | awk '{print $3}' | grep -v '^dfuse_' | grep -q .; then
	nm -D --defined-only "$u/lib/libdfuse.so.$v" | grep -v ' dfuse_' >&2
	fail "the shared library exports symbols outside dfuse_"
fi
grep -q "^Version: $v" "$u/lib/pkgconfig/libdfuse.pc" || fail "libdfuse.pc has the wrong version"
cat > use.c <<'C'
#include <dfuse.h>
#include <stdio.h>
int main(void)
{
	dfuse_image *img = NULL;
	void *buf = NULL;
	size_t len = 0;
	if (dfuse_image_new(&img) < 0 || dfuse_image_add_target(img, 0, "x") < 0 ||
	    dfuse_write(&buf, &len, img) < 0)
		return 1;
	printf("%s %zu\n", dfuse_version_string(), len);
	dfuse_free(buf);
	dfuse_image_free(img);
	return 0;
}
C
export PKG_CONFIG_PATH="$u/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$stage"
# (TEST_CFLAGS/TEST_LDFLAGS carry the sanitizer flags under `make asan`)
${CC:-cc} ${TEST_CFLAGS:-} -o use use.c $(pkg-config --cflags --libs libdfuse) ${TEST_LDFLAGS:-} || fail "cannot build against the installed library"
LD_LIBRARY_PATH="$u/lib" ./use > use.out
[ "$(cat use.out)" = "$v 301" ] || fail "program output: $(cat use.out)"
make -s -C "$ROOT" B="$BUILD" uninstall DESTDIR="$stage" PREFIX=/opt/dfuse > uninstall.log 2>&1 || { cat uninstall.log; fail "make uninstall failed"; }
left=$(find "$stage" -type f -o -type l)
[ -z "$left" ] || fail "left after uninstall: $left"
