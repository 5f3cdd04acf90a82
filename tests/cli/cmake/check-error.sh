# dfusetool_add_dfu on an image with check errors (the ELFs swapped: the
# CM7's given as CM4 and the CM4's as CM7) fails the build, for both
# generators, with dfusetool's messages in the build log and no .dfu;
# with ALLOW for those codes it builds, and the .dfu equals `dfusetool
# build --allow`'s.  The other keywords (DEVICE, NAME_STRING, VID, PID,
# BCD) reach dfusetool's options.  A host project: no cross compiler.
. "$LIB"
need cmake ninja make
S=$SAMPLES/h745-blinky
mkdir p
cat > p/CMakeLists.txt <<CM
cmake_minimum_required(VERSION 3.16)
project(p NONE)
include("$ROOT/cmake/dfusetool.cmake")
dfusetool_add_dfu(bad OUTPUT bad.dfu CM7 "$S/cm4.elf" CM4 "$S/cm7.elf")
if(WITH_ALLOW)
	dfusetool_add_dfu(ok OUTPUT ok.dfu CM7 "$S/cm4.elf" CM4 "$S/cm7.elf"
		ALLOW wrong-bank sp-not-in-core-ram)
	dfusetool_add_dfu(ids OUTPUT ids.dfu CM7 "$S/cm7.elf" CM4 "$S/cm4.elf"
		DEVICE stm32h745xi NAME_STRING "Release 1" VID 1209 PID 0001 BCD 0102)
endif()
CM
run 0 dfusetool build --cm7 "$S/cm4.elf" --cm4 "$S/cm7.elf" -o x.dfu -f
grep 'error:' err | sed 's/.*\[\(.*\)\]$/\1/' | sort -u > codes
[ "$(paste -sd' ' codes)" = "sp-not-in-core-ram wrong-bank" ] || fail "the swapped ELFs' errors: $(cat codes)"

for gen in Ninja "Unix Makefiles"; do
	b=b-${gen%% *}
	cmake -S p -B "$b" -G "$gen" -DDFUSETOOL="$DFUSETOOL" > "$b.conf" 2>&1 || { cat "$b.conf"; fail "$gen: configure failed"; }
	if cmake --build "$b" > "$b.log" 2>&1; then fail "$gen: a build with check errors succeeded"; fi
	has "$b.log" "[wrong-bank]"
	has "$b.log" "[sp-not-in-core-ram]"
	has "$b.log" "not written: the checks found 4 errors"
	[ ! -e "$b/bad.dfu" ] || fail "$gen: bad.dfu written"

	cmake -S p -B "$b" -DWITH_ALLOW=ON > "$b.conf" 2>&1 || { cat "$b.conf"; fail "$gen: reconfigure failed"; }
	cmake --build "$b" --target ok ids > "$b.ok" 2>&1 || { cat "$b.ok"; fail "$gen: ALLOW did not let it build"; }
	dfusetool build -q --cm7 "$S/cm4.elf" --cm4 "$S/cm7.elf" --allow wrong-bank --allow sp-not-in-core-ram -o want.dfu
	cmp "$b/ok.dfu" want.dfu || fail "$gen: ok.dfu differs from dfusetool build --allow's"
	dfusetool build -q --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" --device stm32h745xi --name "Release 1" \
		--vid 1209 --pid 0001 --bcd 0102 -o ids-want.dfu
	cmp "$b/ids.dfu" ids-want.dfu || fail "$gen: ids.dfu differs from dfusetool build's"
done
run 0 dfusetool dump --json ids-want.dfu
pyjson out "d['suffix']['idVendor'] == 0x1209 and d['suffix']['idProduct'] == 1 and d['suffix']['bcdDevice'] == 0x102 and d['targets'][0]['name'] == 'Release 1'"
