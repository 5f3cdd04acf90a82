# find_package(dfusetool) against a staged install (make install
# DESTDIR=... PREFIX=/usr, CMAKE_PREFIX_PATH=stage/usr): a host project links
# dfuse::dfuse and runs samples/example.c; the target carries the flags of
# `pkg-config --cflags libdfuse`; dfuse::dfusetool is the installed binary;
# dfusetool_add_dfu runs it;
# find_package(dfusetool 0.2) is found, 9.9 and 0.1 are not (the soname's
# rule: same MAJOR.MINOR before 1.0).
. "$LIB"
need cmake pkg-config cc
stage=$PWD/stage
make -s -C "$ROOT" B="$BUILD" install DESTDIR="$stage" PREFIX=/usr UDEVDIR= > install.log 2>&1 ||
	{ cat install.log; fail "make install failed"; }
u=$stage/usr
v=$(sed -n 's/^#define DFUSE_VERSION_\(MAJOR\|MINOR\|PATCH\) *\([0-9]*\).*/\2/p' "$ROOT/include/dfuse.h" | paste -sd.)
mm=${v%.*}

mkdir host
cat > host/CMakeLists.txt <<CM
cmake_minimum_required(VERSION 3.16)
project(host C)
find_package(dfusetool $mm REQUIRED)
add_executable(example "$SAMPLES/example.c")
target_link_libraries(example PRIVATE dfuse::dfuse)
dfusetool_add_dfu(rel OUTPUT r.dfu CM7 "$SAMPLES/h745-blinky/cm7.elf" CM4 "$SAMPLES/h745-blinky/cm4.elf")
get_target_property(inc dfuse::dfuse INTERFACE_INCLUDE_DIRECTORIES)
get_target_property(opt dfuse::dfuse INTERFACE_COMPILE_OPTIONS)
get_target_property(tool dfuse::dfusetool IMPORTED_LOCATION)
file(WRITE "\${CMAKE_BINARY_DIR}/props.txt" "-I\${inc};\${opt}\n\${tool}\n\${dfusetool_VERSION}\n")
CM
cmake -S host -B hb -DCMAKE_PREFIX_PATH="$u" -DCMAKE_C_FLAGS="${TEST_CFLAGS:-}" \
	-DCMAKE_EXE_LINKER_FLAGS="${TEST_LDFLAGS:-}" > conf.log 2>&1 || { cat conf.log; fail "configure failed"; }
cmake --build hb -v > build.log 2>&1 || { cat build.log; fail "build failed"; }
# dfusetool_add_dfu runs the package's dfuse::dfusetool
has build.log "$u/bin/dfusetool build -q -o"
readelf -d hb/example | grep -q "NEEDED.*libdfuse.so.$mm" || fail "example is not linked to libdfuse.so.$mm"

# the same flags as pkg-config's (the prefix /usr, seen from the stage)
want=$(PKG_CONFIG_PATH="$u/lib/pkgconfig" PKG_CONFIG_ALLOW_SYSTEM_CFLAGS=1 pkg-config --cflags libdfuse |
	tr ' ' '\n' | grep . | sort -u | paste -sd' ')
got=$(sed -n 1p hb/props.txt | sed "s|$stage||g" | tr ';' '\n' | grep . | sort -u | paste -sd' ')
[ "$want" = "$got" ] || fail "dfuse::dfuse cflags '$got', pkg-config says '$want'"
[ "$(sed -n 2p hb/props.txt)" = "$u/bin/dfusetool" ] || fail "dfuse::dfusetool is $(sed -n 2p hb/props.txt)"
[ "$(sed -n 3p hb/props.txt)" = "$v" ] || fail "dfusetool_VERSION is $(sed -n 3p hb/props.txt), dfuse.h says $v"

"$u/bin/dfusetool" build -q --cm7 "$SAMPLES/h745-blinky/cm7.elf" --cm4 "$SAMPLES/h745-blinky/cm4.elf" -o r.dfu
cmp hb/r.dfu r.dfu || fail "dfusetool_add_dfu's r.dfu differs from dfusetool build's"
LD_LIBRARY_PATH="$u/lib" hb/example r.dfu > ex.out || fail "example failed: $(cat ex.out)"
has ex.out "0x08000000"
has ex.out "cm4"

# the version rule
for req in 9.9 0.1 1.0; do
	mkdir "v$req"
	printf 'cmake_minimum_required(VERSION 3.16)\nproject(v NONE)\nfind_package(dfusetool %s REQUIRED)\n' "$req" > "v$req/CMakeLists.txt"
	if cmake -S "v$req" -B "vb$req" -DCMAKE_PREFIX_PATH="$u" > "v$req.log" 2>&1; then
		fail "find_package(dfusetool $req) found $v"
	fi
	has "v$req.log" "$v"
done
mkdir vx
printf 'cmake_minimum_required(VERSION 3.16)\nproject(v NONE)\nfind_package(dfusetool %s EXACT REQUIRED)\n' "$v" > vx/CMakeLists.txt
d=vx
cmake -S $d -B vbx -DCMAKE_PREFIX_PATH="$u" > vx.log 2>&1 || { cat vx.log; fail "find_package(dfusetool $v EXACT) failed"; }
