# bash completion for dfusetool(1).
#
# Nothing here is a copy of the option tables: commands come from
# 'dfusetool --help', each command's options and which of them take an
# argument from 'dfusetool CMD --help', device names from
# 'dfusetool profiles', all asked at completion time, so completion cannot
# drift from the program it completes.  Installed as
# share/bash-completion/completions/dfusetool (loaded on first use by
# bash-completion); or source it from ~/.bashrc.

# The command table, one name per line.
_dfusetool_commands()
{
	"$1" --help 2>/dev/null |
		sed -n '/^commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p'
}

# A command's options, one per line: NAME or NAME=ARG, from its --help.
# Help lines are "  -o, --output OUT.dfu   text", "      --json   text"
# or "      --leave[=ADDR]   text"; an argument name never starts with a
# lower-case letter, help text always does.
_dfusetool_options()
{
	"$1" "$2" --help 2>/dev/null | awk '
		/^options:/ { on = 1; next }
		on && /^$/ { exit }
		on {
			arg = ""
			for (i = 1; i <= NF; i++) {
				w = $i
				if (w !~ /^-/) {
					if (w ~ /^[A-Z[]/) arg = w
					break
				}
				sub(/,$/, "", w)
				if (w ~ /\[=/) { arg = w; sub(/\[=.*/, "", w); sub(/^[^[]*/, "", arg) }
				names[++n] = w
			}
			for (k = 1; k <= n; k++) print names[k] (arg != "" ? "=" arg : "")
			n = 0
		}'
}

_dfusetool_profiles()
{
	"$1" profiles 2>/dev/null | awk '/^[a-z0-9]/ { print $1 }'
}

_dfusetool_files()
{
	local IFS=$'\n'

	compopt -o filenames 2>/dev/null
	COMPREPLY=($(compgen -f -- "$1"))
}

_dfusetool()
{
	local prog=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]}
	local prev="" opt="" arg="" cmd="" i line eq=0
	local IFS=$' \t\n'

	COMPREPLY=()
	[ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
	# the command: the first word after the program that is not an option
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done
	if [ -z "$cmd" ]; then
		COMPREPLY=($(compgen -W "$(_dfusetool_commands "$prog") help --help --version" -- "$cur"))
		return
	fi
	if [ "$cmd" = help ]; then
		[ "$COMP_CWORD" -eq $((i + 1)) ] &&
			COMPREPLY=($(compgen -W "$(_dfusetool_commands "$prog")" -- "$cur"))
		return
	fi

	# "--opt=VALUE": bash splits it into "--opt" "=" "VALUE"
	if [ "$cur" = "=" ]; then
		opt=$prev
		cur=""
		eq=1
	elif [ "$prev" = "=" ] && [ "$COMP_CWORD" -ge 2 ]; then
		opt=${COMP_WORDS[COMP_CWORD - 2]}
		eq=1
	elif [[ $prev == -* ]]; then
		opt=$prev
	fi
	if [ -n "$opt" ]; then
		while IFS= read -r line; do
			if [ "${line%%=*}" = "$opt" ] && [[ $line == *=* ]]; then
				arg=${line#*=}
				break
			fi
		done < <(_dfusetool_options "$prog" "$cmd")
		# an optional argument ([=ADDR]) is only ever given after '='
		[[ $arg == \[* ]] && [ "$eq" -eq 0 ] && arg=""
		if [ -n "$arg" ]; then
			case $opt:$arg in
			--device:NAME)
				COMPREPLY=($(compgen -W "$(_dfusetool_profiles "$prog")" -- "$cur")) ;;
			*FILE*|*OUT.*)
				_dfusetool_files "$cur" ;;
			esac
			return # ADDR, SIZE, HEX, NAME, ...: nothing to offer
		fi
	fi

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_dfusetool_options "$prog" "$cmd" | sed 's/=.*//')" -- "$cur"))
		return
	fi
	case $cmd in
	list | profiles)
		[ "$cmd" = profiles ] &&
			COMPREPLY=($(compgen -W "$(_dfusetool_profiles "$prog")" -- "$cur"))
		;;
	*) _dfusetool_files "$cur" ;;
	esac
}

complete -F _dfusetool dfusetool
