#!/bin/sh
# Installs the Debian packages that `make demo` (build) and `make check`
# (test) need.  As root it runs apt-get itself; otherwise it prints the
# exact command and stops.  usage: deps.sh build|test
set -u
what=${1:-test}

# Build: compiler, pkg-config and the libraries of libdfuse.
build_pkgs="make gcc pkg-config zlib1g-dev libelf-dev nettle-dev libcmocka-dev libusb-1.0-0-dev"
# Test oracles we did not write: dfu-suffix/dfuse-pack, srec_cat,
# arm-none-eabi-objcopy/readelf, a man-page linter, a C++ compiler for
# the header test, python3 for the corpus checks, umockdev for the
# libusb harness (tests/usb), xmllint for the map's SVG,
# bash-completion, whose loader must find the installed completion, zsh
# and fish, the shells the other two completions are tested in, and
# GNU time, whose %M gives the peak RSS the memory bounds are tested by,
# clang-format, whose style `make format-check` holds the C code to,
# cmake and ninja, which build the sample and a host project with the
# CMake package (tests/cli/cmake), and the cross compiler that sample
# build uses.
test_pkgs="dfu-util srecord binutils-arm-none-eabi mandoc g++ python3 umockdev libumockdev-dev libxml2-utils bash-completion zsh fish time clang-format cmake ninja-build gcc-arm-none-eabi"
# Optional, skipped (and listed as skipped) where they won't install:
# fwupdtool is a third-party reader; chromium renders the map's picture.
optional_pkgs="fwupd chromium"

case "$what" in
build) want="$build_pkgs"; opt="" ;;
test) want="$build_pkgs $test_pkgs"; opt="$optional_pkgs" ;;
*) echo "usage: $0 build|test" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
	# Not Debian: say what is needed and trust pkg-config for the rest.
	for p in zlib libelf nettle cmocka; do
		pkg-config --exists "$p" 2>/dev/null || {
			echo "deps: pkg-config cannot find '$p'; install its development package" >&2
			exit 1
		}
	done
	exit 0
fi

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

missing=""
for p in $want; do
	installed "$p" || missing="$missing $p"
done
optmissing=""
for p in $opt; do
	installed "$p" || optmissing="$optmissing $p"
done

if [ -z "$missing" ] && [ -z "$optmissing" ]; then
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	if [ -n "$missing" ]; then
		echo "deps: missing Debian packages:$missing" >&2
		echo "deps: install them with:" >&2
		echo "  sudo apt-get update && sudo apt-get install -y$missing$optmissing" >&2
		exit 1
	fi
	echo "deps: optional packages not installed:$optmissing (tests that use them are skipped)" >&2
	exit 0
fi

export DEBIAN_FRONTEND=noninteractive
echo "deps: installing:$missing$optmissing"
apt-get update -qq >/dev/null 2>&1 || apt-get update
if [ -n "$missing" ]; then
	apt-get install -y -qq --no-install-recommends $missing >/dev/null || \
		apt-get install -y --no-install-recommends $missing || {
		echo "deps: apt-get install failed for:$missing" >&2
		exit 1
	}
fi
for p in $optmissing; do
	apt-get install -y -qq "$p" >/dev/null 2>&1 || \
		echo "deps: optional package '$p' did not install; tests that use it are skipped" >&2
done
exit 0
