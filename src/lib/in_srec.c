/*
 * in_srec.c - Motorola S-record text -> elements (dfuse_parse_srec).
 *
 * ======== Format (Motorola "S-record", as srec(5) describes it) ========
 *
 * One record per line, every field but the type in hex digits (two per
 * byte, upper or lower case):
 *
 *     STCCAAAA..DD...DDKK
 *     ||| |     |     +- checksum: the one's complement of the low byte of
 *     ||| |     |        the sum of CC, the address bytes and the data
 *     ||| |     |        bytes, so that CC+AA..+DD..+KK == 0xFF (mod 256)
 *     ||| |     +------- data bytes
 *     ||| +------------- address, big-endian, 2, 3 or 4 bytes by type
 *     ||+--------------- CC: count of the bytes that follow it (address,
 *     ||                 data and checksum), 0-255
 *     |+---------------- T: record type, one digit
 *     +----------------- 'S'
 *
 *     type  address  meaning
 *     S0    2        header: the data is a free-form name (ignored)
 *     S1    2        data at a 16-bit address
 *     S2    3        data at a 24-bit address
 *     S3    4        data at a 32-bit address
 *     S4    -        reserved
 *     S5    2        count of the S1/S2/S3 records so far (no data)
 *     S6    3        the same, 24-bit
 *     S7    4        start address, 32-bit; ends the file (no data)
 *     S8    3        start address, 24-bit; ends the file (no data)
 *     S9    2        start address, 16-bit; ends the file (no data)
 *
 * ======== Decisions ========
 *
 *  - Lines, whitespace, the byte order mark and line numbers are handled
 *    as for Intel HEX (in_ihex.c): LF or CRLF, spaces/tabs/CRs around a
 *    record ignored, blank lines skipped, anything else is an error.  A
 *    lower-case 's' is accepted as well as 'S' (dfuse_detect_format()
 *    accepts it too).
 *  - The checksum of every record is verified (DFUSE_ECRC) and CC must
 *    match the bytes actually on the line.
 *  - S0 is optional; when present it must be the first record.  Its
 *    content is checked (count, checksum) and otherwise ignored.
 *  - S4 is reserved: refused.
 *  - S5/S6 are optional; each one must equal the number of S1/S2/S3
 *    records before it, exactly (no 16-bit truncation: a file with more
 *    than 65535 data records needs S6).
 *  - The terminator (S7/S8/S9) is optional, since the data is complete
 *    without it, but srec_cat and objcopy always write one.  Its address
 *    becomes the image's entry point, also when it is 0 (the value is
 *    recorded as the file gives it).  Its type need not match the data
 *    records' address size.  After it, blank lines are fine; any other
 *    content is an error, as after the Intel HEX end-of-file record.
 *  - An input without any record is an error.
 *  - Messages start with "line N: "; a column is counted from the record's
 *    'S' (the line's first character unless it is indented).
 *  - S-records have no segments: data runs on in the 32-bit space whatever
 *    the address size; only a run past 0xFFFFFFFF is refused
 *    (DFUSE_ERANGE).
 *  - Overlap: identical bytes are accepted, different ones refused with
 *    both line numbers (see in_ihex.c and segs.c).
 *
 * Speed: as for Intel HEX, a table lookup per hex digit, no allocation
 * per record, and a fast path (fast_line()) that reads the usual line
 * without searching for its end.
 */
#include "err.h"
#include "image.h"
#include "textfmt.h"

#include <string.h>

#define REC_MAX 256 /* CC + up to 255 bytes that it counts */

struct rec {
	unsigned type;	    /* 0-9 */
	unsigned addr_size; /* bytes */
	uint32_t address;
	size_t len; /* data bytes */
	const uint8_t *data;
	uint8_t raw[REC_MAX];
};

/* Address bytes of each type; 0 for the reserved S4. */
static const unsigned addr_sizes[10] = {2, 2, 3, 4, 0, 2, 3, 4, 3, 2};

static int is_data(unsigned type)
{
	return type >= 1 && type <= 3;
}

/* Explains why the digits after "Sn" did not decode (the slow path). */
static int bad_digits(const char *d, size_t m, size_t line)
{
	char c[16];
	size_t i = dfuse__hex_span(d, m);
	size_t count;

	if (i < m)
		return dfuse__error_at(DFUSE_EFORMAT, -1, (unsigned long)(line),
				    "line %zu: column %zu: %s is not a hex "
				    "digit",
				    line, i + 3,
				    dfuse__text_char(c, (unsigned char)d[i]));
	if (m % 2 != 0)
		return dfuse__error_at(DFUSE_EFORMAT, -1, (unsigned long)(line),
				    "line %zu: odd number of hex digits (%zu) "
				    "after the record type",
				    line, m);
	if (m == 0)
		return dfuse__error_at(DFUSE_EFORMAT, -1, (unsigned long)(line),
				    "line %zu: record has no byte count", line);
	count = (size_t)(dfuse__hex[(unsigned char)d[0]] << 4 |
			 dfuse__hex[(unsigned char)d[1]]);
	return dfuse__error_at(DFUSE_EFORMAT, -1, (unsigned long)(line),
			    "line %zu: byte count %zu but the line holds %zu "
			    "bytes after it",
			    line, count, m / 2 - 1);
}

/*
 * Checks a decoded record of type r->type (nb bytes at r->raw, byte sum
 * `sum`): count, checksum and what the type may hold; fills in the fields.
 */
static int check(struct rec *r, size_t nb, unsigned sum, size_t line)
{
	const uint8_t *b = r->raw;
	size_t k;

	if (nb - 1 != b[0])
		return dfuse__error_at(DFUSE_EFORMAT, -1, (unsigned long)(line),
				    "line %zu: byte count %u but the line "
				    "holds %zu bytes after it",
				    line, (unsigned)b[0], nb - 1);
	if (b[0] < r->addr_size + 1)
		return dfuse__error_at(DFUSE_EFORMAT, -1, (unsigned long)(line),
				    "line %zu: byte count %u is too small for "
				    "an S%u record, which needs at least %u "
				    "(%u address bytes and the checksum)",
				    line, (unsigned)b[0], r->type,
				    r->addr_size + 1, r->addr_size);
	if ((sum & 0xffu) != 0xffu)
		return dfuse__error_at(DFUSE_ECRC, -1, (unsigned long)(line),
				    "line %zu: checksum is 0x%02x, expected "
				    "0x%02x",
				    line, (unsigned)b[nb - 1],
				    (unsigned)(~(sum - b[nb - 1]) & 0xffu));
	r->address = 0;
	for (k = 0; k < r->addr_size; k++)
		r->address = r->address << 8 | b[1 + k];
	r->data = b + 1 + r->addr_size;
	r->len = nb - 2 - r->addr_size;
	if (r->type >= 5 && r->len != 0)
		return dfuse__error_at(DFUSE_EFORMAT, -1, (unsigned long)(line),
				    "line %zu: S%u record holds %zu data "
				    "bytes, expected none",
				    line, r->type, r->len);
	return 0;
}

/*
 * Decodes and checks one non-blank line (s, n: trimmed by the line
 * walker).  Applies no meaning.
 */
static int decode(struct rec *r, const char *s, size_t n, size_t line)
{
	char c[16];
	unsigned sum = 0;
	size_t m;

	if (s[0] != 'S' && s[0] != 's')
		return dfuse__error_at(DFUSE_EFORMAT, -1, (unsigned long)(line),
				    "line %zu: expected 'S' at the start of "
				    "a record, found %s",
				    line,
				    dfuse__text_char(c, (unsigned char)s[0]));
	if (n < 2 || s[1] < '0' || s[1] > '9')
		return dfuse__error_at(
			DFUSE_EFORMAT, -1, (unsigned long)(line),
			"line %zu: expected a record type 0-9 "
			"after 'S', found %s",
			line,
			n < 2 ? "the end of the line"
			      : dfuse__text_char(c, (unsigned char)s[1]));
	r->type = (unsigned)(s[1] - '0');
	if (r->type == 4)
		return dfuse__error_at(DFUSE_EFORMAT, -1, (unsigned long)(line),
				    "line %zu: record type S4 is reserved",
				    line);
	r->addr_size = addr_sizes[r->type];
	m = n - 2;
	if (m % 2 != 0 || m < 2 || m > 2 * REC_MAX ||
	    dfuse__hex_decode(r->raw, s + 2, m / 2, &sum))
		return bad_digits(s + 2, m, line);
	return check(r, m / 2, sum, line);
}

/*
 * The fast path for the line every tool writes: "Sn" (n not 4), as many
 * hex digits as the count asks for, then LF, CRLF or the end of the text.
 * It finds the end of the line from the count instead of searching for
 * it.  If the line is anything else it returns 0 having changed nothing,
 * and the general path (dfuse__text_next() + decode()) takes the line;
 * when it does take a line, decode() would have seen the same digits.
 * Returns 1 and the decoded record, or a negative error from check().
 */
static int fast_line(struct rec *r, struct dfuse__text *t)
{
	const char *p = t->p;
	size_t left = (size_t)(t->end - p), k;
	unsigned sum = 0, hi, lo, nb;

	if (left < 4 || (p[0] != 'S' && p[0] != 's') || p[1] < '0' ||
	    p[1] > '9' || p[1] == '4')
		return 0;
	hi = dfuse__hex[(unsigned char)p[2]];
	lo = dfuse__hex[(unsigned char)p[3]];
	if ((hi | lo) & DFUSE__HEX_BAD)
		return 0;
	nb = (hi << 4 | lo) + 1;
	k = 2 + 2 * (size_t)nb;
	if (left < k || dfuse__hex_decode(r->raw, p + 2, nb, &sum))
		return 0;
	if (k < left && p[k] == '\r')
		k++;
	if (k < left) {
		if (p[k] != '\n')
			return 0;
		k++;
	}
	t->p = p + k;
	t->line++;
	r->type = (unsigned)(p[1] - '0');
	r->addr_size = addr_sizes[r->type];
	DFUSE__TRY(check(r, nb, sum, t->line));
	return 1;
}

/* ======== Finding the first writer of a byte (error path only) ======== */

static int find_writer(void *ctx, uint32_t address, size_t before, size_t *line,
		       uint32_t *record)
{
	const struct dfuse__textref *ref = ctx;
	struct dfuse__text t;
	struct rec r;
	const char *s;
	size_t n;

	dfuse__text_init(&t, ref->text, ref->len);
	while (dfuse__text_next(&t, &s, &n) && t.line < before) {
		if (n == 0)
			continue;
		if (decode(&r, s, n, t.line) < 0)
			return 0;
		if (!is_data(r.type))
			continue;
		if (address >= r.address &&
		    (uint64_t)address < (uint64_t)r.address + r.len) {
			*line = t.line;
			*record = r.address;
			return 1;
		}
	}
	return 0;
}

/* ======== Parser ======== */

struct state {
	size_t records;	  /* records read */
	size_t data;	  /* S1/S2/S3 records read */
	size_t first;	  /* line of the first record */
	size_t term_line; /* line of S7/S8/S9, 0 before it */
	uint32_t entry;	  /* its address */
};

static int apply(struct state *st, struct dfuse__segs *segs,
		 const struct rec *r, size_t line)
{
	switch (r->type) {
	case 0:
		if (st->records > 1)
			return dfuse__error_at(DFUSE_EFORMAT, -1, (unsigned long)(line),
					    "line %zu: header record S0 must "
					    "be the first record, but line "
					    "%zu holds one already",
					    line, st->first);
		return 0;
	case 1:
	case 2:
	case 3:
		st->data++;
		return dfuse__segs_write(segs, r->address, r->data, r->len,
					 line);
	case 5:
	case 6:
		if (r->address != st->data)
			return dfuse__error_at(DFUSE_EFORMAT, -1, (unsigned long)(line),
					    "line %zu: S%u record count is "
					    "%u, but %zu data records "
					    "(S1-S3) come before it",
					    line, r->type, (unsigned)r->address,
					    st->data);
		return 0;
	default: /* 7, 8, 9; decode() refused 4 */
		st->term_line = line;
		st->entry = r->address;
		return 0;
	}
}

static int parse(void *vst, struct dfuse__segs *segs, const char *text,
		 size_t len, size_t *line, int first)
{
	struct state *st = vst;
	struct dfuse__text t;
	struct rec r;
	const char *s;
	size_t n;
	int rc;

	dfuse__text_init(&t, text, len);
	if (!first)
		t.p = text; /* a BOM only counts at the very start */
	t.line = *line;
	for (;;) {
		rc = st->term_line ? 0 : fast_line(&r, &t);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			if (!dfuse__text_next(&t, &s, &n))
				break;
			if (n == 0)
				continue;
			if (st->term_line != 0)
				return dfuse__error_at(
					DFUSE_EFORMAT, -1, (unsigned long)(t.line),
					"line %zu: content after the "
					"terminating record on line %zu",
					t.line, st->term_line);
			DFUSE__TRY(decode(&r, s, n, t.line));
		}
		if (st->records++ == 0)
			st->first = t.line;
		DFUSE__TRY(apply(st, segs, &r, t.line));
	}
	*line = t.line;
	return 0;
}

/* Checks that apply once the whole input has been seen. */
static int parse_end(const void *vst, size_t line)
{
	const struct state *st = vst;

	if (st->records == 0)
		return dfuse__error_at(DFUSE_EFORMAT, -1,
				       (unsigned long)(line > 0 ? line : 1),
				    "line %zu: no S-records in the input",
				    line > 0 ? line : 1);
	return 0;
}

/* ======== Entry points ======== */

static int p_entry(const void *vst, uint32_t *entry)
{
	const struct state *st = vst;

	if (st->term_line == 0)
		return 0;
	*entry = st->entry;
	return 1;
}

const struct dfuse__textfmt dfuse__srec_fmt = {
	"dfuse_parse_srec", sizeof(struct state), parse, parse_end, p_entry,
	find_writer,
};

int dfuse_parse_srec(dfuse_image *img, size_t target, const char *text,
		     size_t len, const dfuse_input_options *opts)
{
	return dfuse__text_parse(&dfuse__srec_fmt, img, target, text, len, opts);
}
