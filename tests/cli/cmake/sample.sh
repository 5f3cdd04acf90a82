# samples/h745-blinky with CMake and cmake/arm-none-eabi.cmake, for both
# generators, against the build tree's dfusetool through
# include(cmake/dfusetool.cmake) (find_package disabled): the ELFs equal the
# committed ones byte for byte and the .dfu equals `dfusetool build` on
# them; a second build does nothing; touching one core's source rebuilds
# that ELF and the .dfu only.  The project is copied to the scratch
# directory (samples/ and cmake/ as in the repository) so that nothing in
# the checkout is touched.
. "$LIB"
need cmake ninja make arm-none-eabi-gcc
top=$PWD/top
mkdir -p top/samples top/cmake
cp -pR "$SAMPLES/h745-blinky" top/samples/
cp -p "$ROOT/cmake/dfusetool.cmake" "$ROOT/cmake/arm-none-eabi.cmake" top/cmake/
S=$top/samples/h745-blinky
mtime() { stat -c %Y.%y "$1"; }

for gen in Ninja "Unix Makefiles"; do
	b=$PWD/b-${gen%% *}
	cmake -S "$S" -B "$b" -G "$gen" -DCMAKE_TOOLCHAIN_FILE="$top/cmake/arm-none-eabi.cmake" \
		-DCMAKE_DISABLE_FIND_PACKAGE_dfusetool=ON -DDFUSETOOL="$DFUSETOOL" > "$b.conf" 2>&1 ||
		{ cat "$b.conf"; fail "$gen: configure failed"; }
	cmake --build "$b" > "$b.1" 2>&1 || { cat "$b.1"; fail "$gen: build failed"; }
	for c in cm7 cm4; do
		cmp "$b/$c.elf" "$SAMPLES/h745-blinky/$c.elf" || fail "$gen: $c.elf differs from the committed one"
	done
	dfusetool build -q --cm7 "$b/cm7.elf" --cm4 "$b/cm4.elf" -o "$b.want.dfu"
	cmp "$b/h745-blinky.dfu" "$b.want.dfu" || fail "$gen: the .dfu differs from dfusetool build's"

	# a second build does nothing
	d0=$(mtime "$b/h745-blinky.dfu"); e7=$(mtime "$b/cm7.elf"); e4=$(mtime "$b/cm4.elf")
	sleep 1
	cmake --build "$b" > "$b.2" 2>&1 || { cat "$b.2"; fail "$gen: second build failed"; }
	[ "$(mtime "$b/h745-blinky.dfu")" = "$d0" ] && [ "$(mtime "$b/cm7.elf")" = "$e7" ] ||
		{ cat "$b.2"; fail "$gen: the second build remade something"; }
	hasnt "$b.2" "dfusetool build"
	hasnt "$b.2" "Linking"
	[ "$gen" != Ninja ] || has "$b.2" "ninja: no work to do."

	# touching the CM4's source: the CM4 ELF and the .dfu, not the CM7 ELF
	touch "$S/cm4/cm4_main.c"
	cmake --build "$b" > "$b.3" 2>&1 || { cat "$b.3"; fail "$gen: rebuild failed"; }
	[ "$(mtime "$b/cm7.elf")" = "$e7" ] || fail "$gen: touching cm4_main.c relinked cm7.elf"
	[ "$(mtime "$b/cm4.elf")" != "$e4" ] || fail "$gen: touching cm4_main.c did not relink cm4.elf"
	[ "$(mtime "$b/h745-blinky.dfu")" != "$d0" ] || fail "$gen: touching cm4_main.c did not remake the .dfu"
	has "$b.3" "dfusetool build h745-blinky.dfu"
	cmp "$b/cm4.elf" "$SAMPLES/h745-blinky/cm4.elf" || fail "$gen: rebuilt cm4.elf differs"
	cmp "$b/h745-blinky.dfu" "$b.want.dfu" || fail "$gen: rebuilt .dfu differs"
done
