/*
 * memlayout.c - UM0424 4.3.2 memory layout strings, as DfuSe devices report
 * them in their interface strings (doc/sources.md, Observed):
 *
 *     @Internal Flash   /0x08000000/16*128Kg
 *     @Option Bytes   /0x5200201C/01*128 e
 *     @Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg
 *     @Flash/0x08000000/02*016Ka/0x1FFF0000/01*030Ka
 *
 * Grammar (every character is significant; no whitespace is skipped):
 *
 *     layout  = [ "@" ] name block { block }
 *     name    = { any character but "/" }        (may be empty)
 *     block   = "/" ( "0x" | "0X" ) hex { hex } "/" group { "," group }
 *     group   = count "*" size ( mult type | type )
 *     count   = dec { dec }                      (1 .. 4294967295)
 *     size    = dec { dec }                      (1 .. 4294967295)
 *     mult    = "B" | "K" | "M" | " "            (x1, x1024, x1024^2, x1)
 *     type    = "a" | "b" | "c" | "d" | "e" | "f" | "g"
 *
 * The string ends at its NUL, right after a type letter.  Each group is
 * one dfuse_layout_segment of `count` sectors of `size * mult` bytes; the
 * groups of a block follow each other from the block's address.
 *
 * Decisions, with dfu-util's dfuse_mem.c (sscanf based) for comparison:
 *  - The leading '@' is optional (dfu-util requires it).  The name is kept
 *    exactly as written, trailing spaces included ("Internal Flash   ").
 *  - The address needs its 0x prefix, as in dfu-util; 0X is accepted too,
 *    and hex digits in either case.  Leading zeros are fine; a value over
 *    0xFFFFFFFF is DFUSE_ERANGE.  Count and size are decimal, leading
 *    zeros allowed ("04*016Kg").
 *  - A space in the multiplier position means bytes ("01*128 e", the H7
 *    option bytes).  A type letter straight after the size ("01*128e")
 *    also means bytes: dfu-util reads it the same way.  Any other
 *    character there is an error; dfu-util would warn and assume bytes,
 *    but a lower-case 'k' is more likely a typo for K than a byte count.
 *  - The type letter's low three bits give readable (1), erasable (2) and
 *    writable (4).  Only 'a'..'g' are accepted: UM0424 defines those, and
 *    an upper-case or other letter (dfu-util takes any char & 7) would
 *    make its bits a guess.  The letter is reported as written; dfu-util's
 *    "Device Feature forces 'e'" quirk is not copied.
 *  - No whitespace outside the name and the space multiplier: "/ 16*128Kg"
 *    and a trailing space are errors.  No real ROM string has any.
 *  - A trailing '/' or ',' is an error: a string cut short (a USB string
 *    descriptor holds at most 126 characters) must not pass as complete.
 *  - Count and size 0 are DFUSE_EFORMAT.  size * mult over 0xFFFFFFFF and
 *    a group ending past 4 GiB are DFUSE_ERANGE; a group may end exactly
 *    at 4 GiB.  A group that overlaps an earlier one (only possible across
 *    blocks) is DFUSE_EOVERLAP.  More than MAX_SEGMENTS groups is
 *    DFUSE_ETOOBIG.
 *  - Segments keep the string's order (dfuse_layout_get_segment); blocks
 *    may come in any address order.  A sorted index makes
 *    dfuse_layout_find() a binary search.
 *
 * Every error message starts with "column N: " (1-based character
 * position in the string) and says what was expected and what was found;
 * the caller adds which device or file the string came from.  The parser
 * looks at one character at a time and never past the NUL.
 */
#include "common.h"
#include "err.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Real devices list a handful of groups (a dual-bank F429 lists 6, and a
 * USB string holds at most 126 characters); the cap keeps a hostile string
 * from costing much. */
#define MAX_SEGMENTS 1024

struct dfuse_layout {
	char *name;		   /* as written, NUL-terminated */
	dfuse_layout_segment *seg; /* string order */
	size_t *by_addr;	   /* indexes into seg, by address */
	size_t n;
	size_t cap;
};

/* Parser state: the string and the index of the next character. */
struct cursor {
	const char *s;
	size_t pos;
	uint64_t next; /* where the next group of the block starts */
};

/* ======== Messages ======== */

/* "'x'", "byte 0x07" or "end of string", for "found ..." */
static const char *show(char *buf, size_t size, char c)
{
	const unsigned char u = (unsigned char)c;

	if (c == '\0')
		return "end of string";
	if (u >= 0x20 && u < 0x7f)
		snprintf(buf, size, "'%c'", c);
	else
		snprintf(buf, size, "byte 0x%02x", u);
	return buf;
}

static int expected(const struct cursor *c, const char *fmt, ...)
	DFUSE__PRINTF(2, 3);

/* DFUSE_EFORMAT: "column N: expected <fmt ...>, found <char at pos>" */
static int expected(const struct cursor *c, const char *fmt, ...)
{
	char what[160], found[16];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return dfuse__error(DFUSE_EFORMAT, "column %zu: expected %s, found %s",
			    c->pos + 1, what,
			    show(found, sizeof(found), c->s[c->pos]));
}

/* ======== Lexing ======== */

static int is_dec(char ch)
{
	return ch >= '0' && ch <= '9';
}

static int hex_value(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/*
 * A decimal number of 1..UINT32_MAX at the cursor.  `what` names it in
 * messages ("sector count"); `after` says what precedes it.
 */
static int read_dec(uint32_t *out, struct cursor *c, const char *what,
		    const char *after)
{
	const size_t start = c->pos;
	uint64_t v = 0;
	int big = 0;

	if (!is_dec(c->s[c->pos]))
		return expected(c, "a decimal %s %s", what, after);
	for (; is_dec(c->s[c->pos]); c->pos++) {
		if (big)
			continue; /* skip the rest of the digits */
		v = v * 10 + (uint64_t)(c->s[c->pos] - '0');
		big = v > UINT32_MAX;
	}
	if (big) {
		const size_t len = c->pos - start;

		return dfuse__error(
			DFUSE_ERANGE, "column %zu: %s %.*s%s is over %" PRIu32,
			start + 1, what, len > 20 ? 20 : (int)len, c->s + start,
			len > 20 ? "..." : "", UINT32_MAX);
	}
	if (v == 0)
		return dfuse__error(DFUSE_EFORMAT,
				    "column %zu: %s is 0, expected at least 1",
				    start + 1, what);
	*out = (uint32_t)v;
	return 0;
}

/* "0x" and hex digits, up to 0xFFFFFFFF. */
static int read_address(uint32_t *out, struct cursor *c)
{
	size_t start;
	uint64_t v = 0;
	int big = 0;

	if (c->s[c->pos] != '0')
		return expected(c, "'0x' and a start address after '/'");
	c->pos++;
	if (c->s[c->pos] != 'x' && c->s[c->pos] != 'X')
		return expected(c, "'0x' and a start address after '/'");
	c->pos++;
	start = c->pos;
	if (hex_value(c->s[c->pos]) < 0)
		return expected(c, "a hex digit after '0x'");
	for (; hex_value(c->s[c->pos]) >= 0; c->pos++) {
		if (big)
			continue; /* skip the rest of the digits */
		v = v << 4 | (uint64_t)hex_value(c->s[c->pos]);
		big = v > UINT32_MAX;
	}
	if (big) {
		const size_t len = c->pos - start;

		return dfuse__error(DFUSE_ERANGE,
				    "column %zu: address 0x%.*s%s is over "
				    "0xFFFFFFFF",
				    start - 1, len > 20 ? 20 : (int)len,
				    c->s + start, len > 20 ? "..." : "");
	}
	*out = (uint32_t)v;
	return 0;
}

/* ======== Segments ======== */

static uint64_t seg_end(const dfuse_layout_segment *s)
{
	return (uint64_t)s->address +
	       (uint64_t)s->sector_size * s->sector_count;
}

/* Index into by_addr of the first segment that starts above `address`. */
static size_t upper_bound(const dfuse_layout *l, uint64_t address)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		const size_t mid = lo + (hi - lo) / 2;

		if (l->seg[l->by_addr[mid]].address <= address)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int grow(dfuse_layout *l)
{
	const size_t cap = l->cap == 0 ? 8 : l->cap * 2;
	dfuse_layout_segment *seg;
	size_t *idx;

	seg = realloc(l->seg, cap * sizeof(*seg));
	if (seg == NULL)
		return dfuse__oom();
	l->seg = seg;
	idx = realloc(l->by_addr, cap * sizeof(*idx));
	if (idx == NULL)
		return dfuse__oom();
	l->by_addr = idx;
	l->cap = cap;
	return 0;
}

/*
 * Appends s (which must end at or below 4 GiB) unless it overlaps a segment
 * already there.  `col` is the group's 1-based column, for messages.
 */
static int add_segment(dfuse_layout *l, const dfuse_layout_segment *s,
		       size_t col)
{
	const uint64_t end = seg_end(s);
	const size_t at = upper_bound(l, s->address);
	size_t other;

	if (at > 0 && seg_end(&l->seg[l->by_addr[at - 1]]) > s->address)
		other = l->by_addr[at - 1];
	else if (at < l->n && l->seg[l->by_addr[at]].address < end)
		other = l->by_addr[at];
	else
		other = SIZE_MAX;
	if (other != SIZE_MAX) {
		const dfuse_layout_segment *o = &l->seg[other];

		return dfuse__error(DFUSE_EOVERLAP,
				    "column %zu: 0x%08" PRIX32 "-0x%08" PRIX64
				    " overlaps segment %zu (0x%08" PRIX32
				    "-0x%08" PRIX64 ")",
				    col, s->address, end - 1, other, o->address,
				    seg_end(o) - 1);
	}
	if (l->n == MAX_SEGMENTS)
		return dfuse__error(DFUSE_ETOOBIG,
				    "column %zu: more than %d segments", col,
				    MAX_SEGMENTS);
	if (l->n == l->cap)
		DFUSE__TRY(grow(l));
	memmove(&l->by_addr[at + 1], &l->by_addr[at],
		(l->n - at) * sizeof(l->by_addr[0]));
	l->by_addr[at] = l->n;
	l->seg[l->n++] = *s;
	return 0;
}

/* ======== Parser ======== */

/* group = count "*" size ( mult type | type ) */
static int read_group(dfuse_layout *l, struct cursor *c)
{
	const size_t col = c->pos + 1;
	dfuse_layout_segment s;
	uint32_t count = 0, size = 0;
	uint64_t mult = 1, bytes, total;
	char mch = ' ', ch;

	memset(&s, 0, sizeof(s));
	DFUSE__TRY(read_dec(&count, c, "sector count",
			    c->s[c->pos - 1] == ',' ? "after ','"
						    : "after the address"));
	if (c->s[c->pos] != '*')
		return expected(c, "'*' after the sector count %" PRIu32,
				count);
	c->pos++;
	DFUSE__TRY(read_dec(&size, c, "sector size", "after '*'"));

	ch = c->s[c->pos];
	if (ch == 'B' || ch == 'K' || ch == 'M' || ch == ' ') {
		mch = ch;
		mult = ch == 'K' ? 1024 : ch == 'M' ? 1024 * 1024 : 1;
		c->pos++;
		ch = c->s[c->pos];
		if (ch < 'a' || ch > 'g')
			return expected(c,
					"a memory type a..g after the "
					"multiplier '%c'",
					mch);
	} else if (ch < 'a' || ch > 'g') {
		return expected(c,
				"a multiplier (B, K, M or a space) or a "
				"memory type a..g after the sector size "
				"%" PRIu32,
				size);
	}
	c->pos++;

	bytes = (uint64_t)size * mult;
	if (bytes > UINT32_MAX)
		return dfuse__error(DFUSE_ERANGE,
				    "column %zu: sector size %" PRIu32
				    "%c is %" PRIu64 " bytes, over %" PRIu32,
				    col, size, mch, bytes, UINT32_MAX);
	total = bytes * count; /* both below 2^32: no 64-bit wrap */
	if (c->next + total > UINT64_C(0x100000000))
		return dfuse__error(DFUSE_ERANGE,
				    "column %zu: %" PRIu32 " sectors of "
				    "%" PRIu64 " bytes at 0x%08" PRIX64
				    " end at 0x%" PRIX64 ", past 4 GiB",
				    col, count, bytes, c->next,
				    c->next + total - 1);
	s.address = (uint32_t)c->next;
	s.sector_size = (uint32_t)bytes;
	s.sector_count = count;
	s.readable = (ch & 1) != 0;
	s.erasable = (ch & 2) != 0;
	s.writable = (ch & 4) != 0;
	s.type = ch;
	DFUSE__TRY(add_segment(l, &s, col));
	c->next += total;
	return 0;
}

/* block = "/" "0x" hex "/" group { "," group }; the cursor is past '/'. */
static int read_block(dfuse_layout *l, struct cursor *c)
{
	uint32_t address = 0;

	DFUSE__TRY(read_address(&address, c));
	if (c->s[c->pos] != '/')
		return expected(c, "'/' after the address 0x%08" PRIX32,
				address);
	c->pos++;
	c->next = address;
	for (;;) {
		DFUSE__TRY(read_group(l, c));
		if (c->s[c->pos] != ',')
			return 0;
		c->pos++;
	}
}

static int parse(dfuse_layout *l, const char *str)
{
	struct cursor c;
	size_t len;

	c.s = str;
	c.pos = str[0] == '@' ? 1 : 0;
	c.next = 0;
	len = strcspn(str + c.pos, "/");
	l->name = malloc(len + 1);
	if (l->name == NULL)
		return dfuse__oom();
	memcpy(l->name, str + c.pos, len);
	l->name[len] = '\0';
	c.pos += len;
	if (str[c.pos] != '/')
		return expected(&c, "'/' after the name");
	for (;;) {
		c.pos++; /* the '/' */
		DFUSE__TRY(read_block(l, &c));
		if (str[c.pos] == '\0')
			return 0;
		if (str[c.pos] != '/')
			return expected(&c,
					"',', '/' or the end after the memory "
					"type '%c'",
					str[c.pos - 1]);
	}
}

/* ======== Public API ======== */

int dfuse_layout_parse(dfuse_layout **out, const char *str)
{
	dfuse_layout *l;
	int rc;

	if (out == NULL)
		return dfuse__error(DFUSE_EINVAL, "out is NULL");
	*out = NULL;
	if (str == NULL)
		return dfuse__error(DFUSE_EINVAL, "layout string is NULL");
	l = calloc(1, sizeof(*l));
	if (l == NULL)
		return dfuse__oom();
	rc = parse(l, str);
	if (rc < 0) {
		dfuse_layout_free(l);
		return rc;
	}
	*out = l;
	return 0;
}

void dfuse_layout_free(dfuse_layout *l)
{
	if (l == NULL)
		return;
	free(l->name);
	free(l->seg);
	free(l->by_addr);
	free(l);
}

const char *dfuse_layout_get_name(const dfuse_layout *l)
{
	return l != NULL ? l->name : "";
}

size_t dfuse_layout_count_segments(const dfuse_layout *l)
{
	return l != NULL ? l->n : 0;
}

int dfuse_layout_get_segment(dfuse_layout_segment *out, const dfuse_layout *l,
			     size_t i)
{
	if (out == NULL || l == NULL)
		return dfuse__error(DFUSE_EINVAL, "NULL argument");
	if (i >= l->n)
		return dfuse__error(DFUSE_EINVAL,
				    "layout has no segment %zu (%zu segments)",
				    i, l->n);
	*out = l->seg[i];
	return 0;
}

int dfuse_layout_find(const dfuse_layout *l, uint32_t address)
{
	size_t at, i;

	if (l == NULL)
		return dfuse__error(DFUSE_EINVAL, "layout is NULL");
	at = upper_bound(l, address);
	if (at == 0)
		return DFUSE_ENOTFOUND;
	i = l->by_addr[at - 1];
	if (address >= seg_end(&l->seg[i]))
		return DFUSE_ENOTFOUND;
	return (int)i;
}
