# fish completion (completion/dfusetool.fish) in the real fish: sourced,
# then asked with `complete -C LINE`, as fish asks on Tab.  Commands,
# every option of every command's --help and nothing else, device names
# and file names are completed; the --help parsing is the same text as
# the bash script's.
. "$LIB"
need fish python3
comp=$ROOT/completion/dfusetool.fish
# the files to complete, apart from the test's own
mkdir -p files/sub
(cd files && touch a.dfu b.elf 'zz space.hex')

# complete LINE: the completions fish offers at the end of LINE, one per
# line (without fish's descriptions)
complete_() {
	(cd files && fish -c 'source $argv[1]; complete -C $argv[2]' "$comp" "$1") | cut -f 1 | sort
}
# the parsing one-liners are the bash script's, word for word
helpers() { # the sed and awk programs of a script, leading tabs dropped
	sed -n "/sed -n '/p; /awk '\$/,/}'\$/p; /profiles 2>/p" "$1" | sed 's/^[[:space:]]*//; s/^.*| awk/awk/'
}
helpers "$ROOT/completion/dfusetool.bash" > bash.helpers
helpers "$comp" > fish.helpers
[ "$(wc -l < bash.helpers)" -ge 20 ] || fail "no parsing found in the bash script"
diff -u bash.helpers fish.helpers >&2 || fail "the fish script's --help parsing differs from the bash script's"

dfusetool --help | sed -n '/^commands:/,/^$/s/^  \([a-z]*\) .*/\1/p' | sort > commands
[ "$(wc -l < commands)" -ge 7 ] || fail "too few commands in --help"
[ "$(complete_ 'dfusetool bu')" = build ] || fail "dfusetool bu: $(complete_ 'dfusetool bu')"
complete_ 'dfusetool ' > got
{ cat commands; printf '%s\n' help --help --version; } | sort > want
cmp -s want got || { diff -u want got >&2; fail "dfusetool <TAB>: not the commands"; }
complete_ 'dfusetool help ' > got
cmp -s commands got || fail "help <TAB>: $(cat got)"

for c in $(cat commands); do
	# the long options as --help shows them
	dfusetool $c --help | sed -n '/^options:/,/^$/p' |
		grep -oE '^ +(-[a-zA-Z], )?--[a-z0-9-]+' | grep -oE -- '--[a-z0-9-]+' | sort -u > want
	[ "$(wc -l < want)" -ge 3 ] || fail "$c: too few options in --help"
	complete_ "dfusetool $c --" > got
	cmp -s want got || { diff -u want got >&2; fail "$c --: the completed options differ from --help"; }
done
complete_ 'dfusetool download --h' > got
[ "$(cat got)" = --help ] || fail "download --h: $(cat got)"

# device names, as 'profiles' lists them, after --device and --device=
dfusetool profiles --json | python3 -c 'import json,sys; print("\n".join(sorted(p["name"] for p in json.load(sys.stdin))))' > profiles
complete_ 'dfusetool check --device ' > got
cmp -s profiles got || fail "--device: $(cat got)"
complete_ 'dfusetool map --device stm32h74' > got
[ "$(tr '\n' ' ' < got)" = "stm32h743xg stm32h743xi stm32h745xg stm32h745xi stm32h747xi " ] || fail "--device stm32h74: $(cat got)"
complete_ 'dfusetool dump --device=stm32h7a' > got
[ "$(cat got)" = --device=stm32h7a3xi ] || fail "--device=stm32h7a: $(cat got)"
complete_ 'dfusetool profiles stm32h75' > got
[ "$(wc -l < got)" -eq 4 ] || fail "profiles NAME: $(cat got)"

# file arguments; arguments that are not files offer nothing
complete_ 'dfusetool dump ' > got
for f in a.dfu b.elf 'zz space.hex' sub/; do grep -qx "$f" got || fail "dump: no '$f' in $(cat got)"; done
[ "$(complete_ 'dfusetool build --cm7 b')" = b.elf ] || fail "--cm7 b: $(complete_ 'dfusetool build --cm7 b')"
[ "$(complete_ 'dfusetool map -o a')" = a.dfu ] || fail "-o a: $(complete_ 'dfusetool map -o a')"
[ "$(complete_ 'dfusetool check --cm4=zz')" = '--cm4=zz space.hex' ] || fail "--cm4=zz: $(complete_ 'dfusetool check --cm4=zz')"
for o in --boot-cm7 --max-input-size --layout; do
	complete_ "dfusetool check $o " > got
	[ ! -s got ] || fail "$o offers: $(cat got)"
done
# --leave takes its address only after '='
[ "$(complete_ 'dfusetool download --leave a')" = a.dfu ] || fail "--leave a: $(complete_ 'dfusetool download --leave a')"
complete_ 'dfusetool download --leave=' > got
[ ! -s got ] || fail "--leave=: $(cat got)"
