# build without -o is a usage error (exit 2): the reason and the --help
# hint on stderr, nothing on stdout, and no file is written.
cp "$SAMPLES/h745-blinky/cm7.elf" .
set +e
dfusetool build --cm7 cm7.elf
rc=$?
set -e
[ "$(ls)" = "cm7.elf" ] || { echo "build wrote: $(ls)" >&2; exit 1; }
exit $rc
