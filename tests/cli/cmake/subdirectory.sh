# The checkout as a subproject: add_subdirectory(ROOT) and FetchContent
# with a local SOURCE_DIR give dfusetool_add_dfu(), and the tool comes from
# the Makefile (DFUSETOOL_BUILD_DIR: the suite's build directory, up to
# date, so make does nothing); the .dfu equals dfusetool build's and a
# second build does not remake it.
. "$LIB"
need cmake ninja make
S=$SAMPLES/h745-blinky
dfusetool build -q --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o want.dfu
for how in sub fetch; do
	mkdir "$how"
	{
		echo 'cmake_minimum_required(VERSION 3.16)'
		echo 'project(p NONE)'
		if [ $how = sub ]; then
			echo "add_subdirectory(\"$ROOT\" dfusetool)"
		else
			echo 'include(FetchContent)'
			echo "FetchContent_Declare(dfusetool SOURCE_DIR \"$ROOT\")"
			echo 'FetchContent_MakeAvailable(dfusetool)'
		fi
		echo "dfusetool_add_dfu(rel OUTPUT r.dfu CM7 \"$S/cm7.elf\" CM4 \"$S/cm4.elf\")"
	} > $how/CMakeLists.txt
	cmake -S $how -B b-$how -G Ninja -DDFUSETOOL_BUILD_DIR="$BUILD" > $how.conf 2>&1 ||
		{ cat $how.conf; fail "$how: configure failed"; }
	cmake --build b-$how > $how.1 2>&1 || { cat $how.1; fail "$how: build failed"; }
	has $how.1 "dfusetool: make $BUILD/dfusetool"
	cmp b-$how/r.dfu want.dfu || fail "$how: r.dfu differs from dfusetool build's"
	grep -q "^DFUSETOOL:FILEPATH=$BUILD/dfusetool$" b-$how/CMakeCache.txt || fail "$how: DFUSETOOL is not the Makefile's"
	m=$(stat -c %y b-$how/r.dfu)
	sleep 1
	cmake --build b-$how > $how.2 2>&1 || { cat $how.2; fail "$how: second build failed"; }
	[ "$(stat -c %y b-$how/r.dfu)" = "$m" ] || { cat $how.2; fail "$how: the second build remade r.dfu"; }
done
