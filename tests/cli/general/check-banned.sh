# scripts/check-banned.py (make check-banned) can fail: on a copy of
# src/lib it passes, then each banned form planted in turn makes it exit 1
# naming the planted FILE:LINE, and look-alikes (comments, strings,
# snprintf, a struct member named exit) leave it passing.  A banned call
# the source scan cannot see (exit through a pointer) is caught by nm -u.
. "$LIB"
need python3
chk="$ROOT/scripts/check-banned.py"
cp -R "$ROOT/src/lib" lib
cp lib/version.c version.c.orig

run 0 python3 "$chk" -- lib
has out "check-banned: lib is clean"

# plant TEXT OFFSET: appends TEXT to lib/version.c; the banned call is on
# the line OFFSET lines below the first appended one (0: that line).
plant() {
	cp version.c.orig lib/version.c
	n=$(($(wc -l < lib/version.c) + 1 + $2))
	printf '%s\n' "$1" >> lib/version.c
	run 1 python3 "$chk" -- lib
	has out "lib/version.c:$n: "
	[ "$(grep -c '^lib/' out)" -eq 1 ] || fail "not one finding for: $1"
	has out "check-banned: 1 banned use in lib"
}
plant 'void p1(void) { fputs("x", stderr); }' 0
plant 'void p2(void) { fprintf(stderr, "%d", 1); }' 0
plant 'void p3(void) { fprintf(
	stderr,
	"%d", 1); }' 0
plant 'void p4(void) {
	int n = 0;
	fprintf
	(stderr, "%d", n); }' 2
plant 'void p5(void) { (void)write(2, "x", 1); }' 0
plant 'void p6(void) { (void)write(STDOUT_FILENO, "x", 1); }' 0
plant 'void p7(void) { exit(1); }' 0
plant 'void p8(void) { printf("x"); }' 0
plant 'void p9(void) { puts("x"); }' 0
plant 'void p10(void) { putchar(10); }' 0
plant 'void p11(void) { perror("x"); }' 0
plant 'void p12(void) { abort(); }' 0
plant 'void p13(void) { _exit(1); }' 0
plant 'void p14(void) { fwrite("x", 1, 1, stdout); }' 0
plant 'void p15(FILE *f) { fprintf(f, "to a caller FILE too"); }' 0
plant 'void p16(void) { fflush(stdout); }' 0
plant '#define DIE(s) \
	do { (void)(s); _Exit(3); } while (0)' 1
plant 'void p18(void) { char b[8]; sprintf(b, "%d", 1); }' 0
grep -q p18 lib/version.c || fail "the plant did not land"

# look-alikes: nothing banned
cp version.c.orig lib/version.c
cat >> lib/version.c <<'C'
/* fprintf(stderr, "x"); fputs("x", stderr); exit(1); abort(); */
// write(2, "x", 1); a comment \
   continued over a line: puts("x");
static const char *lookalike_s = "fprintf(stderr, \"%d\", 1); exit(1)";
static const char lookalike_c = '"';
struct lookalike { int exit; int (*write)(int, const void *, unsigned); };
static int lookalike_f(struct lookalike *p, char *b, int fd)
{
	p->exit = snprintf(b, 4, "%d", 1);
	return p->write(2, b, 1) + (*p).exit + (int)write(fd, b, 1);
}
C
run 0 python3 "$chk" -- lib
has out "check-banned: lib is clean"

# a call no source scan sees: the symbol check names it
cat > hidden.c <<'C'
#include <stdlib.h>
void (*volatile hidden_exit)(int) = exit;
C
${CC:-cc} -c hidden.c -o hidden.o
run 0 python3 "$chk" -- hidden.c
run 1 python3 "$chk" --objects hidden.o -- hidden.c
has out "hidden.o: needs exit (nm -u)"

# usage
run 2 python3 "$chk"
has err "usage: check-banned.py"
