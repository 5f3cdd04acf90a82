/*
 * textfmt.h - what the text formats (Intel HEX in in_ihex.c, S-record in
 * in_srec.c) share beyond the run builder (segs.h): the hex digit table
 * and decoder, the line walker, and the one record loop, which parses a
 * text whole or chunk by chunk with a format's record decoder
 * (textfmt.c).
 */
#ifndef DFUSE_TEXTFMT_H
#define DFUSE_TEXTFMT_H

#include "common.h"
#include "segs.h"

/* ======== Text helpers shared by the text parsers ======== */

/* Hex digit values: '0'-'9', 'a'-'f', 'A'-'F' give 0-15; every other byte
 * (NUL included) gives DFUSE__HEX_BAD, a bit no digit has. */
#define DFUSE__HEX_BAD 0x80u
extern const uint8_t dfuse__hex[256];

/*
 * Decodes n bytes from the 2n hex digits at s into out and adds them to
 * *sum.  Returns nonzero if any of the digits was not hex (out is then
 * garbage); the check costs one OR per digit, not a branch.
 */
static inline unsigned dfuse__hex_decode(uint8_t *out, const char *s, size_t n,
					 unsigned *sum)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned bad = 0, acc = *sum;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned hi = dfuse__hex[u[2 * i]];
		unsigned lo = dfuse__hex[u[2 * i + 1]];

		bad |= hi | lo;
		out[i] = (uint8_t)((hi << 4) | lo);
		acc += out[i];
	}
	*sum = acc;
	return bad & DFUSE__HEX_BAD;
}

/* The byte in the two hex digits at s, which the caller knows are hex. */
static inline unsigned dfuse__hex_pair(const char *s)
{
	return (unsigned)dfuse__hex[(unsigned char)s[0]] << 4 |
	       dfuse__hex[(unsigned char)s[1]];
}

/* Index of the first byte of s[0..n) that is not a hex digit, or n. */
size_t dfuse__hex_span(const char *s, size_t n);

/* Walks text line by line; never reads past `end`, needs no NUL. */
struct dfuse__text {
	const char *p;	 /* start of the next line */
	const char *end; /* end of the text */
	size_t line;	 /* 1-based number of the line last returned */
};

/* Starts at the beginning of text, skipping a UTF-8 byte order mark. */
void dfuse__text_init(struct dfuse__text *t, const char *text, size_t len);

/*
 * Returns 1 and the next line in *s, *n: without its LF and without the
 * spaces, tabs and CRs around it (so CRLF works, and *n == 0 means a
 * blank line); or 0 at the end of the text.  Only LF ends a line.
 */
int dfuse__text_next(struct dfuse__text *t, const char **s, size_t *n);

/* Describes a byte for a message: "'G'" when printable, else "byte 0x00".
 * Returns buf, which must hold 16 bytes. */
const char *dfuse__text_char(char *buf, unsigned char c);

/*
 * The fast path of a record loop, for the line every tool writes: a lead
 * of `lead` characters (the format has checked them, and that the text
 * holds lead + 2 characters), a count byte in the two hex digits after
 * it, then `count + extra` bytes in hex digits counted from the count
 * byte on, then LF, CRLF or the end of the text.  It finds the end of the
 * line from the count instead of searching for it.  Decodes the bytes
 * into raw (room for 255 + extra), adds them to *sum, moves t past the
 * line and counts it; returns the number of bytes.  If the line is
 * anything else it returns 0 having changed nothing but raw and *sum, and
 * the general path (dfuse__text_next() + the format's decode) takes the
 * line; when it does take a line, decode would have seen the same digits.
 */
size_t dfuse__text_fast(struct dfuse__text *t, size_t lead, unsigned extra,
			uint8_t *raw, unsigned *sum);

/* DFUSE_EFORMAT "line N: expected WHAT at the start of a record, found
 * 'x'" for a line that does not start with its format's lead. */
int dfuse__text_bad_lead(size_t line, const char *what, unsigned char found);

/*
 * The syntax errors that any record's digits d[0..m) may have, after the
 * record's lead of `lead` characters: a byte that is not a hex digit
 * ("line N: column C: 'G' is not a hex digit", C counted from the
 * record's first character), else an odd number of digits ("line N: odd
 * number of hex digits (M) after WHAT").  Returns that DFUSE_EFORMAT, or
 * 0 when the digits have neither fault.
 */
int dfuse__text_bad_digits(const char *d, size_t m, size_t line, size_t lead,
			   const char *after);

/* DFUSE_EFORMAT "line N: FIELD C but the line holds H UNIT": a record's
 * count field does not match the bytes on its line. */
int dfuse__text_bad_count(size_t line, const char *field, size_t count,
			  size_t holds, const char *unit);

/* DFUSE_ECRC "line N: checksum is 0x.., expected 0x..". */
int dfuse__text_bad_checksum(size_t line, unsigned found, unsigned expected);

/* ======== Text formats, whole or chunk by chunk ======== */

/* The whole text, when the caller has it (else len 0): the find walk
 * re-reads it to name the exact line of an earlier write. */
struct dfuse__textref {
	const char *text;
	size_t len;
};

/* Where the record loop is in the input, for the format's callbacks. */
struct dfuse__textpos {
	size_t line;	 /* line of the record at hand; at the end, the
			    number of lines */
	size_t records;	 /* records read, the one at hand included */
	size_t first;	 /* line of the first record */
	size_t end_line; /* line of the record that ends the input (the
			    format's apply sets it), 0 before it */
	int has_entry;	 /* the input gave a start address (apply sets
			    it and entry) */
	uint32_t entry;
};

/*
 * A text format (Intel HEX, S-record): a record decoder for the one
 * record loop in textfmt.c.  The loop walks the lines, skips blank ones,
 * has the format decode each other one into its state and apply it, and
 * refuses content after the record that ends the input; every message
 * starts with "line N: ".  The loop keeps no text, so a file can be fed in
 * chunks and loading a large file holds only its data, not its text.
 *
 * The state (state_size bytes, zeroed before use) holds the format's
 * addressing and the record at hand.  The loop keeps a second state for
 * the find walk (error path only): it zeroes it, then decodes the text
 * from its first line and asks `locate` where each record's data goes.
 */
struct dfuse__textfmt {
	const char *name;	/* "dfuse_parse_ihex", for messages */
	const char *end_record; /* "end-of-file": "content after the
				   end-of-file record on line N" */
	size_t state_size;
	/* The usual line at t->p, read without searching for its end (see
	 * dfuse__text_fast()): 1 with the record decoded and checked, 0
	 * having taken nothing, or a negative error. */
	int (*fast)(void *state, struct dfuse__text *t);
	/* Decodes and checks one non-blank line (s, n: trimmed by the line
	 * walker) into the state's record at hand.  Applies no meaning. */
	int (*decode)(void *state, const char *s, size_t n, size_t line);
	/* Gives the record at hand its meaning: data to segs, addressing,
	 * pos->end_line, the start address (pos->has_entry, pos->entry). */
	int (*apply)(void *state, struct dfuse__segs *segs,
		     struct dfuse__textpos *pos);
	/* The find walk: where the record at hand puts its data.  1 and
	 * [*at, *at + *len) for a data record, 0 for any other (it may set
	 * the addressing), -1 when the input ends there. */
	int (*locate)(void *state, size_t line, uint32_t *at, size_t *len);
	/* The checks that need the whole input seen (an end record). */
	int (*end)(const struct dfuse__textpos *pos);
};

extern const struct dfuse__textfmt dfuse__ihex_fmt;
extern const struct dfuse__textfmt dfuse__srec_fmt;

/* One parse in progress. */
struct dfuse__textparser {
	const struct dfuse__textfmt *fmt;
	void *state;   /* the format's state */
	void *scratch; /* another, for the find walk */
	struct dfuse__segs segs;
	struct dfuse__textref ref;
	struct dfuse__textpos pos;
	int started;
};

/* `whole` is the entire text when known, else NULL.  p stays where it is
 * until dfuse__textparser_free(): the run builder's finder points to it. */
int dfuse__textparser_begin(struct dfuse__textparser *p,
			    const struct dfuse__textfmt *fmt,
			    const dfuse_input_options *opts, const char *whole,
			    size_t whole_len);
int dfuse__textparser_feed(struct dfuse__textparser *p, const char *text,
			   size_t len);
/* End checks, then every run goes to the target, and the start address
 * becomes the image's entry point. */
int dfuse__textparser_end(struct dfuse__textparser *p, dfuse_image *img,
			  size_t target, const dfuse_input_options *opts);
void dfuse__textparser_free(struct dfuse__textparser *p);

/* Parses a whole text held in memory: the body of dfuse_parse_ihex() and
 * dfuse_parse_srec(), argument checks included. */
int dfuse__text_parse(const struct dfuse__textfmt *fmt, dfuse_image *img,
		      size_t target, const char *text, size_t len,
		      const dfuse_input_options *opts);

#endif /* DFUSE_TEXTFMT_H */
