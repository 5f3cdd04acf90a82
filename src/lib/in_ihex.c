/*
 * in_ihex.c - Intel HEX text -> elements (dfuse_parse_ihex): the format
 * alone, as a record decoder (dfuse__ihex_fmt) for the one record loop in
 * textfmt.c.  Here: record syntax, record types, the checksum, addressing
 * and the messages about them (textfmt.c words the faults every text
 * record can have); there: walking the lines, blank lines, content after
 * the end record, and finding the first writer of a byte.
 *
 * ======== Format (Intel "Hexadecimal Object File Format", rev. A) ========
 *
 * One record per line, every field in hex digits (two per byte, upper or
 * lower case):
 *
 *     :LLAAAATTDD...DDCC
 *      |  |   | |     +- checksum: the two's complement of the sum of all
 *      |  |   | |        other bytes, so that LL+AA+AA+TT+DD..+CC == 0
 *      |  |   | |        (mod 256)
 *      |  |   | +------- LL data bytes
 *      |  |   +--------- record type
 *      |  +------------- 16-bit address offset (big-endian)
 *      +---------------- LL: number of data bytes, 0-255
 *
 *     type  name                       LL  meaning
 *     00    data                       any bytes at base + AAAA
 *     01    end of file                0   last record
 *     02    extended segment address   2   base = value * 16
 *     03    start segment address      4   entry = CS * 16 + IP
 *     04    extended linear address    2   base = value << 16
 *     05    start linear address       4   entry = 32-bit value
 *
 * The AAAA field of types 01-05 is ignored (it is normally 0000).  The
 * base starts at 0; the latest 02 or 04 record sets it.
 *
 * ======== Decisions ========
 *
 *  - Lines end in LF or CRLF.  Spaces, tabs and CRs around a record are
 *    ignored, blank lines are skipped and a UTF-8 byte order mark at the
 *    very start is skipped (as dfuse_format_detect() does).  Anything else
 *    that is not part of a record is an error, NUL bytes included.
 *  - The checksum of every record is verified (DFUSE_ECRC), and LL must
 *    match the digits actually on the line.
 *  - The end-of-file record is required.  After it, blank lines are fine;
 *    any other content is an error, because a second file concatenated to
 *    the first would otherwise be dropped without a word.
 *  - A data record whose offset + length passes 0x10000 would, per the
 *    specification, wrap around to the start of its 64 KiB segment.
 *    Under 04 (linear) addressing the tools do not: srec_cat writes such
 *    records when a run starts off a record boundary, and srec_cat and
 *    objcopy read them as running on into the next segment.  So they are
 *    read that way too (past 0xFFFFFFFF is DFUSE_ERANGE).  Under 02
 *    (segment) addressing, the 8086 wrap is the only reading, and it
 *    would put bytes at an address no one meant: refused with
 *    DFUSE_ERANGE.
 *  - Start addresses (03, 05) become the image's entry point once the whole
 *    input has parsed.  Two start records with different values are an
 *    error; repeating the same value is fine.
 *  - Overlapping data is accepted when the bytes are identical and refused
 *    otherwise (DFUSE_EOVERLAP); the message names the line of the new
 *    record and the line of the first record that wrote the byte, found by
 *    re-reading the text (see segs.c and textfmt.c).
 *
 * Every message starts with "line N: " and says what was found and what
 * was expected; the CLI prefixes the file name.  A column is counted from
 * the record's ':' (the line's first character unless it is indented).
 *
 * Speed: a table lookup per hex digit and no allocation per record (the
 * bytes go straight into the run builder).  The usual line is read without
 * searching for its end (fast_line(), dfuse__text_fast()); any other line
 * is cut out with one memchr and goes through the general path
 * (decode()), which alone words the syntax errors.
 */
#include "err.h"
#include "image.h"
#include "textfmt.h"

#define REC_MAX 260 /* LL + AAAA + TT + 255 data + CC */

enum {
	T_DATA = 0x00,
	T_EOF = 0x01,
	T_EXT_SEG = 0x02,
	T_START_SEG = 0x03,
	T_EXT_LIN = 0x04,
	T_START_LIN = 0x05
};

struct rec {
	unsigned len;	 /* LL: data bytes */
	unsigned offset; /* AAAA */
	unsigned type;	 /* TT */
	const uint8_t *data;
	uint8_t raw[REC_MAX];
};

/* The record decoder's state (zeroed by the record loop). */
struct state {
	struct rec r;	   /* the record at hand */
	uint32_t base;	   /* from the latest 02 or 04 record */
	int segmented;	   /* that record was a 02 */
	size_t entry_line; /* line of the start address record, if any */
};

static const struct {
	const char *name;
	unsigned len; /* required LL; 256 = any */
} types[] = {
	{"data", 256},
	{"end-of-file", 0},
	{"extended segment address", 2},
	{"start segment address", 4},
	{"extended linear address", 2},
	{"start linear address", 4},
};

static uint32_t be16(const uint8_t *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* LL says `len` data bytes, the line holds `holds`. */
static int bad_length(size_t line, size_t len, size_t holds)
{
	return dfuse__text_bad_count(line, "record length", len, holds,
				     "data bytes");
}

/* Explains why the digits after ':' did not decode (the slow path). */
static int bad_digits(const char *d, size_t m, size_t line)
{
	DFUSE__TRY(dfuse__text_bad_digits(d, m, line, 1, "':'"));
	if (m < 10)
		return dfuse__error_at(DFUSE_EFORMAT, -1, (unsigned long)(line),
				       "line %zu: record is %zu bytes, shorter "
				       "than the 5 of an empty record (length, "
				       "address, type, checksum)",
				       line, m / 2);
	/* Too long to decode: more data bytes than LL could ever say. */
	return bad_length(line, dfuse__hex_pair(d), m / 2 - 5);
}

/*
 * Checks a decoded record (nb bytes at r->raw, byte sum `sum`): length,
 * checksum, type and the length each type requires; fills in the fields.
 */
static int check(struct rec *r, size_t nb, unsigned sum, size_t line)
{
	const uint8_t *b = r->raw;

	if (nb - 5 != b[0])
		return bad_length(line, b[0], nb - 5);
	if ((sum & 0xffu) != 0)
		return dfuse__text_bad_checksum(line, b[nb - 1],
						(b[nb - 1] - sum) & 0xffu);
	r->len = b[0];
	r->offset = (unsigned)be16(b + 1);
	r->type = b[3];
	r->data = b + 4;
	if (r->type > T_START_LIN)
		return dfuse__error_at(
			DFUSE_EFORMAT, -1, (unsigned long)(line),
			"line %zu: record type 0x%02x is not one "
			"of 00-05",
			line, r->type);
	if (types[r->type].len != 256 && r->len != types[r->type].len)
		return dfuse__error_at(
			DFUSE_EFORMAT, -1, (unsigned long)(line),
			"line %zu: %s record (%02x) has length %u, "
			"expected %u",
			line, types[r->type].name, r->type, r->len,
			types[r->type].len);
	return 0;
}

/*
 * Decodes and checks one non-blank line (s, n: trimmed by the line
 * walker) into the record at hand.  Applies no meaning.
 */
static int decode(void *vst, const char *s, size_t n, size_t line)
{
	struct rec *r = &((struct state *)vst)->r;
	unsigned sum = 0;
	size_t m = n - 1;

	if (s[0] != ':')
		return dfuse__text_bad_lead(line, "':'", (unsigned char)s[0]);
	if (m % 2 != 0 || m < 10 || m > 2 * REC_MAX ||
	    dfuse__hex_decode(r->raw, s + 1, m / 2, &sum))
		return bad_digits(s + 1, m, line);
	return check(r, m / 2, sum, line);
}

/* The fast path (dfuse__text_fast()): ':' and LL + 5 bytes of hex. */
static int fast_line(void *vst, struct dfuse__text *t)
{
	struct rec *r = &((struct state *)vst)->r;
	unsigned sum = 0;
	size_t nb;

	if (t->end - t->p < 11 || t->p[0] != ':')
		return 0;
	nb = dfuse__text_fast(t, 1, 5, r->raw, &sum);
	if (nb == 0)
		return 0;
	DFUSE__TRY(check(r, nb, sum, t->line));
	return 1;
}

/*
 * A data record's absolute address.  Under 02 addressing (`segmented`) a
 * record past the segment's end is refused (it would wrap); under 04 it
 * runs on linearly, as srec_cat and objcopy read it, up to 4 GiB.
 */
static int data_address(uint32_t *out, const struct rec *r, uint32_t base,
			int segmented, size_t line)
{
	uint64_t at = (uint64_t)base + r->offset;

	if (segmented && r->offset + r->len > 0x10000u)
		return dfuse__error_at(
			DFUSE_ERANGE, -1, (unsigned long)(line),
			"line %zu: %u bytes at offset 0x%04x run "
			"past the end of the 64 KiB segment at "
			"0x%08x (Intel HEX would wrap them to its "
			"start; refused)",
			line, r->len, r->offset, (unsigned)base);
	if (at + r->len > UINT64_C(0x100000000))
		return dfuse__error_at(
			DFUSE_ERANGE, -1, (unsigned long)(line),
			"line %zu: %u bytes at 0x%08llx run past "
			"the end of the 32-bit address space",
			line, r->len, (unsigned long long)at);
	*out = (uint32_t)at;
	return 0;
}

/* The base address a 02 or 04 record sets. */
static uint32_t new_base(const struct rec *r)
{
	if (r->type == T_EXT_SEG)
		return be16(r->data) << 4;
	return be16(r->data) << 16;
}

/* ======== Meaning, for the record loop (textfmt.c) ======== */

static void set_base(struct state *st, const struct rec *r)
{
	st->base = new_base(r);
	st->segmented = r->type == T_EXT_SEG;
}

static int set_entry(struct state *st, struct dfuse__textpos *pos,
		     uint32_t entry)
{
	if (pos->has_entry && pos->entry != entry)
		return dfuse__error_at(DFUSE_EFORMAT, -1,
				       (unsigned long)(pos->line),
				       "line %zu: start address 0x%08x differs "
				       "from 0x%08x given on line %zu",
				       pos->line, (unsigned)entry,
				       (unsigned)pos->entry, st->entry_line);
	pos->has_entry = 1;
	pos->entry = entry;
	st->entry_line = pos->line;
	return 0;
}

static int r_apply(void *vst, struct dfuse__segs *segs,
		   struct dfuse__textpos *pos)
{
	struct state *st = vst;
	const struct rec *r = &st->r;
	size_t line = pos->line;
	uint32_t at = 0;

	switch (r->type) {
	case T_DATA:
		DFUSE__TRY(data_address(&at, r, st->base, st->segmented, line));
		return dfuse__segs_write(segs, at, r->data, r->len, line);
	case T_EOF:
		pos->end_line = line;
		return 0;
	case T_EXT_SEG:
	case T_EXT_LIN:
		set_base(st, r);
		return 0;
	case T_START_SEG:
		/* CS:IP, real-mode style: CS * 16 + IP (at most 0x10FFEF) */
		return set_entry(st, pos,
				 (be16(r->data) << 4) + be16(r->data + 2));
	case T_START_LIN:
		return set_entry(st, pos, be32(r->data));
	default:
		return dfuse__error_at(
			DFUSE_EFORMAT, -1, (unsigned long)(line),
			"line %zu: record type 0x%02x is not one "
			"of 00-05",
			line, r->type);
	}
}

/* Finding the first writer of a byte (error path only): the data records
 * up to the end-of-file record, under the addressing they were read
 * with. */
static int r_locate(void *vst, size_t line, uint32_t *at, size_t *len)
{
	struct state *st = vst;
	const struct rec *r = &st->r;

	if (r->type == T_EOF)
		return -1;
	if (r->type == T_EXT_SEG || r->type == T_EXT_LIN)
		set_base(st, r);
	if (r->type != T_DATA ||
	    data_address(at, r, st->base, st->segmented, line) < 0)
		return 0;
	*len = r->len;
	return 1;
}

/* Checks that apply once the whole input has been seen. */
static int r_end(const struct dfuse__textpos *pos)
{
	size_t line = pos->line;

	if (pos->end_line != 0)
		return 0;
	if (pos->records == 0)
		return dfuse__error_at(
			DFUSE_EFORMAT, -1, (unsigned long)(line > 0 ? line : 1),
			"line %zu: no records, and no end-of-file "
			"record (:00000001FF)",
			line > 0 ? line : 1);
	return dfuse__error_at(DFUSE_EFORMAT, -1, (unsigned long)(line),
			       "line %zu: input ends without an end-of-file "
			       "record (:00000001FF)",
			       line);
}

/* ======== Entry point ======== */

const struct dfuse__textfmt dfuse__ihex_fmt = {
	"dfuse_parse_ihex", "end-of-file", sizeof(struct state),
	fast_line,	    decode,	   r_apply,
	r_locate,	    r_end,
};

int dfuse_parse_ihex(dfuse_image *img, size_t target, const char *text,
		     size_t len, const dfuse_input_options *opts)
{
	DFUSE__TRY(dfuse__check_input_options(opts));
	return dfuse__text_parse(&dfuse__ihex_fmt, img, target, text, len,
				 opts);
}
