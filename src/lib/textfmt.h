/*
 * textfmt.h - what the text formats (Intel HEX in in_ihex.c, S-record in
 * in_srec.c) share beyond the run builder (segs.h): the hex digit table
 * and decoder, the line walker, and the driver that parses a text whole
 * or chunk by chunk (textfmt.c).
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

/* ======== Text formats, whole or chunk by chunk ======== */

/* The whole text, when the caller has it (else len 0): the find function
 * re-reads it to name the exact line of an earlier write. */
struct dfuse__textref {
	const char *text;
	size_t len;
};

/*
 * A text format (Intel HEX, S-record): its parser works on whole lines and
 * keeps its own state, so a file can be fed in chunks and loading a large
 * file holds only its data, not its text.
 */
struct dfuse__textfmt {
	const char *name;  /* "dfuse_parse_ihex", for messages */
	size_t state_size; /* bytes of format state, zeroed before use */
	/* Parses the lines of text[0..len) (all of them: every chunk but the
	 * last ends just after a '\n'); *line counts lines across chunks;
	 * `first` is set for the chunk that starts the input. */
	int (*parse)(void *state, struct dfuse__segs *segs, const char *text,
		     size_t len, size_t *line, int first);
	/* The checks that need the whole input seen (an end record). */
	int (*end)(const void *state, size_t line);
	/* 1 and *entry if the input gave a start address, else 0. */
	int (*entry)(const void *state, uint32_t *entry);
	/* ctx is a struct dfuse__textref */
	dfuse__segs_find_fn find;
};

extern const struct dfuse__textfmt dfuse__ihex_fmt;
extern const struct dfuse__textfmt dfuse__srec_fmt;

/* One parse in progress. */
struct dfuse__textparser {
	const struct dfuse__textfmt *fmt;
	void *state;
	struct dfuse__segs segs;
	struct dfuse__textref ref;
	size_t line;
	int started;
};

/* `whole` is the entire text when known, else NULL. */
int dfuse__textparser_begin(struct dfuse__textparser *p,
			    const struct dfuse__textfmt *fmt,
			    const dfuse_input_options *opts, const char *whole,
			    size_t whole_len);
int dfuse__textparser_feed(struct dfuse__textparser *p, const char *text,
			   size_t len);
/* End checks, then every run goes to the target, and the entry point. */
int dfuse__textparser_end(struct dfuse__textparser *p, dfuse_image *img,
			  size_t target, const dfuse_input_options *opts);
void dfuse__textparser_free(struct dfuse__textparser *p);

/* Parses a whole text held in memory: the body of dfuse_parse_ihex() and
 * dfuse_parse_srec(), argument checks included. */
int dfuse__text_parse(const struct dfuse__textfmt *fmt, dfuse_image *img,
		      size_t target, const char *text, size_t len,
		      const dfuse_input_options *opts);

#endif /* DFUSE_TEXTFMT_H */
