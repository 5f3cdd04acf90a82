# zsh completion (completion/_dfusetool) in the real zsh: an interactive
# zsh in a pty (zpty) runs compinit with completion/ on $fpath, gets a
# line and a Tab; compadd is wrapped to record what the real compadd
# accepted after zsh's own matching.  Commands, every option of every
# command's --help and nothing else, device names and file names are
# completed; the --help parsing is the same text as the bash script's.
. "$LIB"
need zsh python3
zsh -fc 'zmodload zsh/zpty' 2>/dev/null || skip "zsh has no zsh/zpty module"
comp=$ROOT/completion/_dfusetool
head -n 1 "$comp" | grep -qx '#compdef dfusetool' || fail "_dfusetool does not start with #compdef dfusetool"
# the files to complete, apart from the test's own
mkdir -p files/sub
(cd files && touch a.dfu b.elf 'zz space.hex')
cat > comp.zsh <<'ZSH'
zmodload zsh/zpty || exit 2
out=$PWD/../comp.out ready=$PWD/../comp.ready
rm -f $out $ready
export COMP_OUT=$out COMP_READY=$ready
zpty z 'zsh -f -i'
zpty -w z 'PS1= PS2= ; unsetopt autolist; fpath=($ROOT/completion $fpath); autoload -Uz compinit; compinit -u -D'
zpty -w z 'compadd() { local -a __m; if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi; builtin compadd -A __m "$@"; (( $#__m )) && print -rl -- $__m >> $COMP_OUT; builtin compadd "$@"; }'
zpty -w z '_comp_done() { print -r -- __done__ >> $COMP_OUT; }; zle -N _comp_tab; _comp_tab() { comppostfuncs=(_comp_done); zle complete-word; }; bindkey "^I" _comp_tab; : > $COMP_READY'
for ((n = 0; n < 400; n++)); do [[ -e $ready ]] && break; sleep 0.05; done
[[ -e $ready ]] || { print -u2 "zsh did not start"; zpty -d z; exit 2; }
zpty -n -w z "$1"$'\t'
for ((n = 0; n < 400; n++)); do [[ -e $out ]] && grep -qx __done__ $out && break; sleep 0.05; done
zpty -d z
[[ -e $out ]] && grep -qx __done__ $out || { print -u2 "no completion for '$1'"; exit 2; }
grep -vx __done__ $out || true
ZSH

# complete LINE: the matches zsh offers at the end of LINE, one per line
# (zsh quotes file names as it would insert them: zz\ space.hex)
complete_() {
	(cd files && zsh -f ../comp.zsh "$1") > got.raw || fail "zsh did not complete '$1'"
	sort got.raw
}
# the parsing one-liners are the bash script's, word for word
helpers() { # the sed and awk programs of a script, leading tabs dropped
	sed -n "/sed -n '/p; /awk '\$/,/}'\$/p; /profiles 2>/p" "$1" | sed 's/^[[:space:]]*//; s/^.*| awk/awk/'
}
helpers "$ROOT/completion/dfusetool.bash" > bash.helpers
helpers "$comp" > zsh.helpers
[ "$(wc -l < bash.helpers)" -ge 20 ] || fail "no parsing found in the bash script"
diff -u bash.helpers zsh.helpers >&2 || fail "the zsh script's --help parsing differs from the bash script's"

dfusetool --help | sed -n '/^commands:/,/^$/s/^  \([a-z]*\) .*/\1/p' | sort > commands
[ "$(wc -l < commands)" -ge 7 ] || fail "too few commands in --help"
[ "$(complete_ 'dfusetool bu')" = build ] || fail "dfusetool bu: $(cat got.raw)"
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
[ "$(complete_ 'dfusetool download --h')" = --help ] || fail "download --h: $(cat got.raw)"

# device names, as 'profiles' lists them, after --device and --device=
dfusetool profiles --json | python3 -c 'import json,sys; print("\n".join(sorted(p["name"] for p in json.load(sys.stdin))))' > profiles
complete_ 'dfusetool check --device ' > got
cmp -s profiles got || fail "--device: $(cat got)"
complete_ 'dfusetool map --device stm32h74' > got
[ "$(tr '\n' ' ' < got)" = "stm32h743xg stm32h743xi stm32h745xg stm32h745xi stm32h747xi " ] || fail "--device stm32h74: $(cat got)"
[ "$(complete_ 'dfusetool dump --device=stm32h7a')" = stm32h7a3xi ] || fail "--device=stm32h7a: $(cat got.raw)"
complete_ 'dfusetool profiles stm32h75' > got
[ "$(wc -l < got)" -eq 4 ] || fail "profiles NAME: $(cat got)"

# file arguments; arguments that are not files offer nothing
complete_ 'dfusetool dump ' > got
for f in a.dfu b.elf 'zz\ space.hex' sub; do grep -qxF "$f" got || fail "dump: no '$f' in $(cat got)"; done
[ "$(complete_ 'dfusetool build --cm7 b')" = b.elf ] || fail "--cm7 b: $(cat got.raw)"
[ "$(complete_ 'dfusetool map -o a')" = a.dfu ] || fail "-o a: $(cat got.raw)"
[ "$(complete_ 'dfusetool check --cm4=zz')" = 'zz\ space.hex' ] || fail "--cm4=zz: $(cat got.raw)"
for o in --boot-cm7 --max-input-size --layout; do
	complete_ "dfusetool check $o " > got
	[ ! -s got ] || fail "$o offers: $(cat got)"
done
# --leave takes its address only after '='
[ "$(complete_ 'dfusetool download --leave a')" = a.dfu ] || fail "--leave a: $(cat got.raw)"
complete_ 'dfusetool download --leave=' > got
[ ! -s got ] || fail "--leave=: $(cat got)"
