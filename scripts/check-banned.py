#!/usr/bin/env python3
"""check-banned.py - the library never prints, never exits, never aborts.

Reads the C sources of the library (src/lib: every .c and .h, any depth)
as C tokens, not as lines: comments, string and character literals are
dropped, backslash-newline continuations are joined (keeping the physical
line numbers), and preprocessor lines are read too (a #define body is
code), except the header name of an #include.  Then it reports, as
FILE:LINE, every use of:

  - the printf family writing to a stream: printf, vprintf, fprintf,
    vfprintf, dprintf, vdprintf (to any stream or fd: the library has
    no FILE output at all, not even to a caller's FILE *; its files are
    written to descriptors with write(2));
  - puts, putchar, perror; fputs, fputc, putc, fwrite (and their
    _unlocked forms) to stdout or stderr;
  - write, pwrite, writev to fd 1 or 2 (a literal, STDOUT_FILENO or
    STDERR_FILENO); the writer's write(fd, ...) to a descriptor the
    caller chose is not such a call;
  - exit, _exit, _Exit, quick_exit, abort, assert (which aborts), and
    BSD err/errx/warn/warnx and GNU error(), which print and may exit;
  - stdout or stderr named at all (fflush(stdout), fileno(stderr), a
    FILE *f = stderr);
  - the unsafe string calls the library never uses: sprintf, vsprintf,
    strcpy, strcat, strtok, atoi, atol, atoll, sscanf, gets.

A call is a banned name followed by "(" (spaces and newlines between are
fine), not a member: s.exit(...) and p->write(...) are a struct's fields.
__builtin_X counts as X.  snprintf and vsnprintf into buffers are fine.

What a source scan cannot see (a banned function reached through a macro
or a pointer, or a call the compiler made up, like printf -> puts) is
caught by the symbol check: with --objects, `nm -u` of each object must
not list a banned function or stdout/stderr.

usage: check-banned.py [--nm NM] [--objects OBJ...] [--] PATH...
Exit 0 when clean, 1 when anything is banned, 2 on a usage error.
"""

import os
import subprocess
import sys

USAGE = "usage: check-banned.py [--nm NM] [--objects OBJ...] [--] PATH...\n"

# Always banned when called.
OUTPUT = {"printf", "vprintf", "fprintf", "vfprintf", "dprintf", "vdprintf",
          "puts", "putchar", "putchar_unlocked", "perror"}
EXIT = {"exit", "_exit", "_Exit", "quick_exit", "abort", "assert",
        "err", "errx", "verr", "verrx", "warn", "warnx", "vwarn", "vwarnx",
        "error", "error_at_line"}
UNSAFE = {"sprintf", "vsprintf", "strcpy", "strcat", "strtok", "atoi", "atol",
          "atoll", "sscanf", "gets"}
# Banned when a standard stream is one of the arguments.
STREAM_OUT = {"fputs", "fputc", "putc", "fwrite", "fputs_unlocked",
              "fputc_unlocked", "putc_unlocked", "fwrite_unlocked"}
# Banned when the first argument is fd 1 or 2.
FD_OUT = {"write", "pwrite", "writev", "pwritev"}
STD_FDS = {"STDOUT_FILENO", "STDERR_FILENO"}
STREAMS = {"stdout", "stderr"}

# Undefined symbols no library object may need (the fortified and
# compiler-made forms included).
SYMBOLS = (OUTPUT | EXIT | STREAM_OUT | STREAMS |
           {"__printf_chk", "__vprintf_chk", "__fprintf_chk",
            "__vfprintf_chk", "__dprintf_chk", "__vdprintf_chk",
            "__assert_fail", "__assert_perror_fail", "_IO_putc",
            "__overflow"}) - {"assert", "error"}


def tokens(text):
    """(kind, text, line) for each C token: 'id', 'num', 'op', and 'pp'
    for the '#' that starts a preprocessor line; literals and comments
    are dropped.  Lines are physical lines, continuations included."""
    i, n, line = 0, len(text), 1
    at_bol = True          # no token yet on this logical line
    skip_header = False    # inside '#include <...>' / '"..."'
    out = []

    def splice(j):
        # skip backslash-newline pairs at j; returns (j, newlines skipped)
        k = 0
        while text.startswith("\\\n", j) or text.startswith("\\\r\n", j):
            j += 2 if text[j + 1] == "\n" else 3
            k += 1
        return j, k

    while i < n:
        i, k = splice(i)
        line += k
        if i >= n:
            break
        ch = text[i]
        if ch == "\n":
            line += 1
            i += 1
            at_bol = True
            skip_header = False
            continue
        if ch in " \t\r\f\v":
            i += 1
            continue
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            line += text.count("\n", i, j)
            i = j
            continue
        if text.startswith("//", i):
            # a // comment runs to the end of the logical line
            while i < n and text[i] != "\n":
                if text.startswith("\\\n", i):
                    line += 1
                    i += 2
                else:
                    i += 1
            continue
        if skip_header:
            i += 1
            continue
        if ch in "\"'":
            j = i + 1
            while j < n and text[j] != ch and text[j] != "\n":
                if text[j] == "\\" and j + 1 < n:
                    if text[j + 1] == "\n":
                        line += 1
                    j += 2
                else:
                    j += 1
            i = j + 1
            at_bol = False
            continue
        if ch.isalpha() or ch == "_":
            j = i
            word = ""
            while j < n:
                j2, k = splice(j)
                line_add = k
                if j2 < n and (text[j2].isalnum() or text[j2] == "_"):
                    word += text[j2]
                    line += line_add
                    j = j2 + 1
                else:
                    break
            # an encoding prefix glued to a literal: L"..", u8"..", U'.'
            if j < n and text[j] in "\"'" and word in ("L", "u", "U", "u8"):
                i = j
                continue
            out.append(("id", word, line))
            i = j
            if at_bol is None:     # the directive's name
                at_bol = False
                if word == "include" or word == "include_next":
                    skip_header = True
                out[-1] = ("directive", word, line)
            at_bol = False
            continue
        if ch.isdigit() or (ch == "." and i + 1 < n and text[i + 1].isdigit()):
            j = i + 1
            while j < n and (text[j].isalnum() or text[j] in "._" or
                             (text[j] in "+-" and text[j - 1] in "eEpP")):
                j += 1
            out.append(("num", text[i:j], line))
            i = j
            at_bol = False
            continue
        if ch == "#" and at_bol:
            out.append(("pp", "#", line))
            i += 1
            at_bol = None          # the next word names the directive
            continue
        if text.startswith("->", i):
            out.append(("op", "->", line))
            i += 2
        else:
            out.append(("op", ch, line))
            i += 1
        at_bol = False
    return out


def args_of(toks, i):
    """Arguments of the call whose '(' is toks[i]: a list of token lists,
    and the index after the ')'."""
    depth, args, cur = 0, [], []
    j = i
    while j < len(toks):
        t = toks[j]
        if t[1] in "([{" and t[0] == "op":
            depth += 1
            if depth > 1:
                cur.append(t)
        elif t[1] in ")]}" and t[0] == "op":
            depth -= 1
            if depth == 0:
                args.append(cur)
                return args, j + 1
            cur.append(t)
        elif t[1] == "," and t[0] == "op" and depth == 1:
            args.append(cur)
            cur = []
        else:
            cur.append(t)
        j += 1
    args.append(cur)
    return args, j


def is_std_fd(arg):
    words = [t[1] for t in arg if t[1] not in "()"]
    if len(words) != 1:
        return False
    w = words[0]
    if w in STD_FDS:
        return True
    try:
        return int(w.rstrip("uUlL"), 0) in (1, 2)
    except ValueError:
        return False


def scan(path, text):
    """[(line, why)] for one source file."""
    toks = tokens(text)
    found = []
    inside = set()     # token indexes inside a call already reported
    for i, (kind, word, line) in enumerate(toks):
        if kind != "id":
            continue
        prev = toks[i - 1][1] if i > 0 else ""
        if prev in (".", "->"):
            continue       # a struct member
        name = word[len("__builtin_"):] if word.startswith("__builtin_") \
            else word
        is_call = i + 1 < len(toks) and toks[i + 1][1] == "("
        why = None
        if is_call:
            args, end = args_of(toks, i + 1)
            flat = [t[1] for a in args for t in a]
            if name in OUTPUT:
                why = "%s() prints: the library never prints" % name
            elif name in EXIT:
                why = "%s() ends the process: the library never exits" % name
            elif name in UNSAFE:
                why = "%s() is unsafe: use the bounded forms" % name
            elif name in STREAM_OUT and STREAMS & set(flat):
                why = "%s() to %s: the library never prints" % (
                    name, sorted(STREAMS & set(flat))[0])
            elif name in FD_OUT and args and is_std_fd(args[0]):
                why = "%s() to fd %s: the library never prints" % (
                    name, " ".join(t[1] for t in args[0]))
            if why:
                inside.update(range(i + 1, end))
        if why is None and name in STREAMS and i not in inside:
            why = "%s named: the library never prints" % name
        if why:
            found.append((line, why))
    return found


def sources(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for f in sorted(files):
                    if f.endswith((".c", ".h")):
                        yield os.path.join(root, f)
        else:
            yield p


def symbols(nm, objects):
    """[(object, symbol)] for banned undefined symbols."""
    bad = []
    for o in objects:
        r = subprocess.run([nm, "-u", o], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True)
        if r.returncode != 0:
            sys.exit("check-banned: %s -u %s failed: %s" % (nm, o,
                                                           r.stderr.strip()))
        for ln in r.stdout.splitlines():
            sym = ln.split()[-1] if ln.split() else ""
            sym = sym.split("@")[0]
            if sym in SYMBOLS:
                bad.append((o, sym))
    return bad


def main(argv):
    nm, objects, paths = "nm", [], []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--nm" and i + 1 < len(argv):
            nm = argv[i + 1]
            i += 2
            continue
        if a == "--objects":
            i += 1
            while i < len(argv) and not argv[i].startswith("--"):
                objects.append(argv[i])
                i += 1
            continue
        if a == "--":
            paths.extend(argv[i + 1:])
            break
        if a.startswith("-") or not a:
            paths = []
            break
        paths.append(a)
        i += 1
    if not paths:
        sys.stderr.write(USAGE)
        return 2
    nbad = nfiles = 0
    for f in sources(paths):
        nfiles += 1
        with open(f, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        for line, why in scan(f, text):
            print("%s:%d: %s" % (f, line, why))
            nbad += 1
    for o, sym in symbols(nm, objects):
        print("%s: needs %s (nm -u): the library never prints or exits" %
              (o, sym))
        nbad += 1
    where = " ".join(paths)
    if nbad:
        print("check-banned: %d banned use%s in %s" % (
            nbad, "" if nbad == 1 else "s", where))
        return 1
    print("check-banned: %s is clean (%d files%s)" % (
        where, nfiles, ", %d objects" % len(objects) if objects else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
