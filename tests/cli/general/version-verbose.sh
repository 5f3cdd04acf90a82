# dfusetool --version --verbose: how the libdfuse in use was built.  The
# oracle is pkg-config itself: each dependency's line must give the version
# `pkg-config --modversion` gives for it here (CI builds on this machine),
# and USB must be on exactly when pkg-config knows libusb-1.0.
. "$LIB"
need pkg-config
run 0 dfusetool --version --verbose
has out "dfusetool "
for p in zlib libelf nettle; do
	v=$(pkg-config --modversion "$p") || fail "pkg-config does not know $p"
	grep -qE "^  $p +$v\$" out || fail "$p: expected version $v: $(cat out)"
done
if pkg-config --exists libusb-1.0; then
	has out "USB on"
	v=$(pkg-config --modversion libusb-1.0)
	grep -qE "^  libusb-1.0 +$v\$" out || fail "libusb-1.0: expected $v: $(cat out)"
else
	has out "USB off"
	grep -qE "^  libusb-1.0 +not used\$" out || fail "libusb-1.0 not said unused: $(cat out)"
fi
run 0 dfusetool --version -v
has out "libdfuse build:"
# without --verbose: the one line, nothing about the build
run 0 dfusetool --version
hasnt out "libdfuse build:"
[ "$(wc -l < out)" -eq 1 ] || fail "--version printed $(wc -l < out) lines"
run 2 dfusetool --version --frobnicate
has err "--version takes only --verbose, not '--frobnicate'"
