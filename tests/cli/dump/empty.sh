# An empty file gets one diagnostic that says it is empty, not a truncated
# prefix and then a truncated suffix; dump and check exit 1.
. "$LIB"
: > empty.dfu
run 1 dfusetool dump empty.dfu
has out "error   truncated at offset 0x0: the file is empty (0 bytes)"
[ "$(grep -c '^    error' out)" -eq 1 ] || fail "not one diagnostic"
run 1 dfusetool dump --json empty.dfu
pyjson out "len(d['diagnostics']) == 1 and d['diagnostics'][0]['code'] == 'truncated'"
run 1 dfusetool check empty.dfu
