# bash completion (completion/dfusetool.bash), driven the way bash drives
# it: COMP_WORDS and COMP_CWORD set, _dfusetool called, COMPREPLY read.
# Every option of every command's --help is offered and nothing else;
# commands, device names and file names are completed.
. "$LIB"
need bash python3
comp=$ROOT/completion/dfusetool.bash
touch a.dfu b.elf 'zz space.hex'
mkdir sub

# complete WORD...: the completions for the last word, one per line
complete_() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
		_dfusetool; [ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}"' - "$comp" "$@" | sort
}
bash -c ". '$comp'; complete -p dfusetool" | grep -q -- '-F _dfusetool dfusetool' ||
	fail "the script does not register _dfusetool for dfusetool"

dfusetool --help | sed -n '/^commands:/,/^$/s/^  \([a-z]*\) .*/\1/p' | sort > commands
[ "$(wc -l < commands)" -ge 7 ] || fail "too few commands in --help"
complete_ dfusetool "" > got
for c in $(cat commands) help --help --version; do grep -qx -- "$c" got || fail "'$c' not completed: $(cat got)"; done
complete_ dfusetool help "" > got
cmp -s commands got || fail "help <TAB>: $(cat got)"

for c in $(cat commands); do
	# the options as --help shows them: "  -o, --output ARG" or "      --json"
	dfusetool $c --help | sed -n '/^options:/,/^$/p' |
		grep -oE '^ +(-[a-zA-Z], )?--[a-z0-9-]+' | tr -d ' ' | tr ',' '\n' | sort -u > want
	[ "$(wc -l < want)" -ge 6 ] || fail "$c: too few options in --help"
	complete_ dfusetool $c - > got
	cmp -s want got || { diff -u want got >&2; fail "$c: the completed options differ from --help"; }
	complete_ dfusetool $c --h > got
	[ "$(cat got)" = "--help" ] || fail "$c --h: $(cat got)"
done

# device names, as 'profiles' lists them, after --device and --device=
dfusetool profiles --json | python3 -c 'import json,sys; print("\n".join(sorted(p["name"] for p in json.load(sys.stdin))))' > profiles
complete_ dfusetool check --device "" > got
cmp -s profiles got || fail "--device: $(cat got)"
complete_ dfusetool map --device stm32h74 > got
[ "$(tr '\n' ' ' < got)" = "stm32h743xg stm32h743xi stm32h745xg stm32h745xi stm32h747xi " ] || fail "--device stm32h74: $(cat got)"
complete_ dfusetool dump --device = stm32h7a > got
[ "$(cat got)" = stm32h7a3xi ] || fail "--device=stm32h7a: $(cat got)"
complete_ dfusetool profiles stm32h75 > got
[ "$(wc -l < got)" -eq 4 ] || fail "profiles NAME: $(cat got)"

# file arguments: positionals and options whose argument is a file
complete_ dfusetool dump "" > got
for f in a.dfu b.elf 'zz space.hex' sub; do grep -qx "$f" got || fail "dump: no '$f' in $(cat got)"; done
complete_ dfusetool build --cm7 b > got
[ "$(cat got)" = b.elf ] || fail "--cm7 b: $(cat got)"
complete_ dfusetool map -o a > got
[ "$(cat got)" = a.dfu ] || fail "-o a: $(cat got)"
complete_ dfusetool check --cm4 = zz > got
[ "$(cat got)" = 'zz space.hex' ] || fail "--cm4=zz: $(cat got)"
# arguments that are not files: nothing is offered
for o in --boot-cm7 --max-input-size --layout; do
	complete_ dfusetool check $o "" > got
	[ ! -s got ] || fail "$o offers: $(cat got)"
done
complete_ dfusetool build --vid "" > got
[ ! -s got ] || fail "--vid offers: $(cat got)"
# --leave takes its address only after '=': a space means the next word is a file
complete_ dfusetool download --leave a > got
[ "$(cat got)" = a.dfu ] || fail "--leave a: $(cat got)"
complete_ dfusetool download --leave = "" > got
[ ! -s got ] || fail "--leave=: $(cat got)"
