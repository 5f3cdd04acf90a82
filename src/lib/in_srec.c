/*
 * in_srec.c - Motorola S-record text -> elements (dfuse_parse_srec): the
 * format alone, as a record decoder (dfuse__srec_fmt) for the one record
 * loop in textfmt.c.  Here: record syntax, record types, the checksum,
 * addresses, counts and the messages about them (textfmt.c words the
 * faults every text record can have); there: walking the lines, blank
 * lines, content after the terminator, and finding the first writer of a
 * byte.
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
 *    lower-case 's' is accepted as well as 'S' (dfuse_format_detect()
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
 *    both line numbers (see in_ihex.c, segs.c and textfmt.c).
 *
 * Speed: as for Intel HEX, a table lookup per hex digit, no allocation
 * per record, and a fast path (fast_line(), dfuse__text_fast()) that
 * reads the usual line without searching for its end.
 */
#include "err.h"
#include "image.h"
#include "textfmt.h"

#define REC_MAX 256 /* CC + up to 255 bytes that it counts */

struct rec {
	unsigned type;	    /* 0-9 */
	unsigned addr_size; /* bytes */
	uint32_t address;
	size_t len; /* data bytes */
	const uint8_t *data;
	uint8_t raw[REC_MAX];
};

/* The record decoder's state (zeroed by the record loop). */
struct state {
	struct rec r; /* the record at hand */
	size_t data;  /* S1/S2/S3 records read */
};

/* Address bytes of each type; 0 for the reserved S4. */
static const unsigned addr_sizes[10] = {2, 2, 3, 4, 0, 2, 3, 4, 3, 2};

static int is_data(unsigned type)
{
	return type >= 1 && type <= 3;
}

/* CC says `count` bytes follow it, the line holds `holds`. */
static int bad_count(size_t line, size_t count, size_t holds)
{
	return dfuse__text_bad_count(line, "byte count", count, holds,
				     "bytes after it");
}

/* Explains why the digits after "Sn" did not decode (the slow path). */
static int bad_digits(const char *d, size_t m, size_t line)
{
	DFUSE__TRY(dfuse__text_bad_digits(d, m, line, 2, "the record type"));
	if (m == 0)
		return dfuse__error_at(DFUSE_EFORMAT, -1, (unsigned long)(line),
				       "line %zu: record has no byte count",
				       line);
	return bad_count(line, dfuse__hex_pair(d), m / 2 - 1);
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
		return bad_count(line, b[0], nb - 1);
	if (b[0] < r->addr_size + 1)
		return dfuse__error_at(
			DFUSE_EFORMAT, -1, (unsigned long)(line),
			"line %zu: byte count %u is too small for "
			"an S%u record, which needs at least %u "
			"(%u address bytes and the checksum)",
			line, (unsigned)b[0], r->type, r->addr_size + 1,
			r->addr_size);
	if ((sum & 0xffu) != 0xffu)
		return dfuse__text_bad_checksum(line, b[nb - 1],
						~(sum - b[nb - 1]) & 0xffu);
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
 * walker) into the record at hand.  Applies no meaning.
 */
static int decode(void *vst, const char *s, size_t n, size_t line)
{
	struct rec *r = &((struct state *)vst)->r;
	char c[16];
	unsigned sum = 0;
	size_t m;

	if (s[0] != 'S' && s[0] != 's')
		return dfuse__text_bad_lead(line, "'S'", (unsigned char)s[0]);
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

/* The fast path (dfuse__text_fast()): "Sn" (n not 4) and CC + 1 bytes of
 * hex. */
static int fast_line(void *vst, struct dfuse__text *t)
{
	struct rec *r = &((struct state *)vst)->r;
	const char *p = t->p;
	unsigned sum = 0;
	size_t nb;

	if (t->end - p < 4 || (p[0] != 'S' && p[0] != 's') || p[1] < '0' ||
	    p[1] > '9' || p[1] == '4')
		return 0;
	nb = dfuse__text_fast(t, 2, 1, r->raw, &sum);
	if (nb == 0)
		return 0;
	r->type = (unsigned)(p[1] - '0');
	r->addr_size = addr_sizes[r->type];
	DFUSE__TRY(check(r, nb, sum, t->line));
	return 1;
}

/* ======== Meaning, for the record loop (textfmt.c) ======== */

static int r_apply(void *vst, struct dfuse__segs *segs,
		   struct dfuse__textpos *pos)
{
	struct state *st = vst;
	const struct rec *r = &st->r;
	size_t line = pos->line;

	switch (r->type) {
	case 0:
		if (pos->records > 1)
			return dfuse__error_at(
				DFUSE_EFORMAT, -1, (unsigned long)(line),
				"line %zu: header record S0 must "
				"be the first record, but line "
				"%zu holds one already",
				line, pos->first);
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
			return dfuse__error_at(
				DFUSE_EFORMAT, -1, (unsigned long)(line),
				"line %zu: S%u record count is "
				"%u, but %zu data records "
				"(S1-S3) come before it",
				line, r->type, (unsigned)r->address, st->data);
		return 0;
	default: /* 7, 8, 9; decode() refused 4 */
		pos->end_line = line;
		pos->has_entry = 1;
		pos->entry = r->address;
		return 0;
	}
}

/* Finding the first writer of a byte (error path only): the data
 * records, each at its own address. */
static int r_locate(void *vst, size_t line, uint32_t *at, size_t *len)
{
	const struct rec *r = &((struct state *)vst)->r;

	(void)line;
	if (!is_data(r->type))
		return 0;
	*at = r->address;
	*len = r->len;
	return 1;
}

/* Checks that apply once the whole input has been seen. */
static int r_end(const struct dfuse__textpos *pos)
{
	size_t line = pos->line;

	if (pos->records == 0)
		return dfuse__error_at(DFUSE_EFORMAT, -1,
				       (unsigned long)(line > 0 ? line : 1),
				       "line %zu: no S-records in the input",
				       line > 0 ? line : 1);
	return 0;
}

/* ======== Entry point ======== */

const struct dfuse__textfmt dfuse__srec_fmt = {
	"dfuse_parse_srec", "terminating", sizeof(struct state),
	fast_line,	    decode,	   r_apply,
	r_locate,	    r_end,
};

int dfuse_parse_srec(dfuse_image *img, size_t target, const char *text,
		     size_t len, const dfuse_input_options *opts)
{
	DFUSE__TRY(dfuse__check_input_options(opts));
	return dfuse__text_parse(&dfuse__srec_fmt, img, target, text, len,
				 opts);
}
