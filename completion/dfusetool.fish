# fish completion for dfusetool(1).
#
# Nothing here is a copy of the option tables: commands come from
# 'dfusetool --help', each command's options and which of them take an
# argument from 'dfusetool CMD --help', device names from
# 'dfusetool profiles', all asked at completion time, so completion cannot
# drift from the program it completes.  Installed as
# share/fish/vendor_completions.d/dfusetool.fish (loaded by fish on the
# first completion of dfusetool); or source it from config.fish.
#
# The --help parsing (the sed of the command table, the awk of the option
# lines, the awk of the profile names) is the same text as in
# completion/dfusetool.bash and completion/_dfusetool: each shell's script
# must work alone once installed, so the one-liners are repeated, and
# tests/cli/general/completion-fish.sh fails if they ever differ.

# The command table, one name per line.
function __dfusetool_commands --argument-names prog
	$prog --help 2>/dev/null |
		sed -n '/^commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p'
end

# A command's options, one per line: NAME or NAME=ARG, from its --help.
# Help lines are "  -o, --output OUT.dfu   text", "      --json   text"
# or "      --leave[=ADDR]   text"; an argument name never starts with a
# lower-case letter, help text always does.
function __dfusetool_options --argument-names prog cmd
	$prog $cmd --help 2>/dev/null | awk '
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
end

function __dfusetool_profiles --argument-names prog
	$prog profiles 2>/dev/null | awk '/^[a-z0-9]/ { print $1 }'
end

# Prints the candidates for the current token; fish keeps those that
# match it.
function __dfusetool_complete
	set -l tokens (commandline -opc)
	set -l cur (commandline -ct)
	set -l prog $tokens[1]
	# fish reports an unknown command even with 2>/dev/null
	type -q -- $prog; or return
	set -l cmd
	set -l ci 0
	# the command: the first word after the program that is not an option
	for i in (seq 2 (count $tokens))
		if not string match -q -- '-*' $tokens[$i]
			set cmd $tokens[$i]
			set ci $i
			break
		end
	end
	if test -z "$cmd"
		__dfusetool_commands $prog
		printf '%s\n' help --help --version
		return
	end
	if test "$cmd" = help
		test (count $tokens) -eq $ci; and __dfusetool_commands $prog
		return
	end

	set -l options (__dfusetool_options $prog $cmd)
	set -l opt
	set -l val $cur
	set -l pre
	# "--opt=VALUE" is one token in fish; "--opt VALUE" two
	if string match -q -- '--*=*' $cur
		set opt (string replace -r -- '=.*' '' $cur)
		set val (string replace -r -- '^[^=]*=' '' $cur)
		set pre "$opt="
	else if test (count $tokens) -gt $ci; and string match -q -- '-*' $tokens[-1]
		set opt $tokens[-1]
	end
	if test -n "$opt"
		set -l arg
		for line in $options
			if string match -q -- "$opt=*" $line
				set arg (string replace -- "$opt=" '' $line)
				break
			end
		end
		# an optional argument ([=ADDR]) is only ever given after '='
		string match -q -- '[*' "$arg"; and test -z "$pre"; and set arg ''
		if test -n "$arg"
			switch "$opt:$arg"
				case --device:NAME
					__dfusetool_profiles $prog | string replace -r -- '^' "$pre"
				case '*FILE*' '*OUT.*'
					__fish_complete_path $val | string replace -r -- '^' "$pre"
			end
			return # ADDR, SIZE, HEX, NAME, ...: nothing to offer
		end
	end

	if string match -q -- '-*' $cur
		string replace -r -- '=.*' '' $options
		return
	end
	switch $cmd
		case list
		case profiles
			__dfusetool_profiles $prog
		case '*'
			__fish_complete_path $cur
	end
end

complete -c dfusetool -f -a '(__dfusetool_complete)'
