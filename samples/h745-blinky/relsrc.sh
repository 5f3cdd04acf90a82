#!/bin/sh
# relsrc.sh TOP COMPILER ARGS... - the sample's compiler launcher
# (CMAKE_C_COMPILER_LAUNCHER): runs COMPILER in TOP (the repository) with
# every path under TOP named relative to it, as `make samples` names them,
# so that the ELFs are byte-identical to the committed ones.  Why: GCC 12
# names a main source file twice in the DWARF 5 line table when
# -ffile-prefix-map rewrites its name, and CMake names sources by absolute
# paths; named relatively, nothing is rewritten and there is one entry.
# The output, -MF and -MT stay as CMake gave them (relative paths taken
# from the build directory), and the dependency file's relative paths are
# made absolute again afterwards, for make and ninja to read.
top=$1; shift
n=$#
prev=
dep=
tgt=
for a in "$@"; do
	case $prev in
	-o | -MF)
		case $a in /*) ;; *) a=$PWD/$a ;; esac
		[ "$prev" = -MF ] && dep=$a ;;
	-MT) tgt=$a ;;
	esac
	case $a in
	"$top"/*) a=${a#"$top"/} ;;
	-I"$top"/*) a=-I${a#-I"$top"/} ;;
	esac
	prev=$a
	set -- "$@" "$a"
done
shift "$n"
cd "$top" || exit 1
"$@" || exit
[ -z "$dep" ] || [ ! -f "$dep" ] && exit 0
awk -v top="$top" -v tgt="$tgt" '{
	out = ""
	for (i = 1; i <= NF; i++) {
		t = $i; c = ""
		if (t ~ /:$/) { c = ":"; t = substr(t, 1, length(t) - 1) }
		if (t != "\\" && t != tgt && t !~ /^\//) t = top "/" t
		out = out (i > 1 ? " " : "") t c
	}
	print out
}' "$dep" > "$dep.tmp" && mv "$dep.tmp" "$dep"
