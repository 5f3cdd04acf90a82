# --help, 'help profiles', and the command in the top-level list.
. "$LIB"
run 0 dfusetool profiles --help
has out "usage: dfusetool profiles [--json] [-v] [NAME...]"
has out "--json"
has out "dfusetool profiles --json stm32h745xi"
run 0 dfusetool help profiles
has out "usage: dfusetool profiles"
run 0 dfusetool --help
has out "profiles   list the built-in device profiles"
