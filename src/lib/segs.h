/*
 * segs.h - run builder shared by the text parsers (Intel HEX, S-record).
 *
 * Records arrive as small pieces (16-32 bytes).  The builder keeps them in
 * runs of contiguous bytes, each a malloc'd buffer that grows at its end;
 * the runs never overlap and are indexed by start address in a balanced
 * tree (an AA tree), so that any write finds its neighbours in O(log n)
 * and a record that continues the run written last is an O(1) amortised
 * append.  Only real data is held: a sparse address span costs nothing.
 *
 * Overlap: bytes written twice with the same value are accepted; a
 * different value fails with DFUSE_EOVERLAP naming both lines.  Runs that
 * merely touch are joined at commit, when each run is handed to the image
 * without a copy (dfuse__image_add_owned()).
 *
 * Usage:
 *     struct dfuse__segs s;
 *     dfuse__segs_init(&s, dfuse__max_input(opts), find, ctx);
 *     rc = dfuse__segs_write(&s, addr, bytes, n, line);   per data record
 *     rc = dfuse__segs_commit(&s, img, target, opts);
 *     dfuse__segs_free(&s);                               always
 *
 * The text parsers also share the line walker and hex decoder at the end
 * of this header.
 */
#ifndef DFUSE_SEGS_H
#define DFUSE_SEGS_H

#include "common.h"

/*
 * Finds the first data record, on a line before `before`, that wrote the
 * byte at `address`; stores its line and the record's start address.
 * The parsers implement it by re-reading their text, which costs nothing
 * on the normal path: it is called only to word an error message.
 * Returns 1 if found, else 0.
 */
typedef int (*dfuse__segs_find_fn)(void *ctx, uint32_t address, size_t before,
				   size_t *line, uint32_t *record);

struct dfuse__run {
	uint32_t address; /* first byte */
	uint32_t left;	  /* AA tree: index of the left child, 0 = none */
	uint32_t right;	  /* AA tree: index of the right child, 0 = none */
	uint32_t level;	  /* AA tree level; 1 for a leaf */
	size_t len;	  /* bytes held */
	size_t cap;	  /* bytes allocated at data */
	size_t head;	  /* bytes allocated before data: room to grow
			     downwards (records written backwards) */
	size_t faulted;	  /* bytes of data mapped ahead (a speed hint only) */
	uint8_t *data;	  /* malloc'd at data - head; NULL once handed
			     to the image */
	size_t line;	  /* line of the record that started the run */
};

struct dfuse__segs {
	struct dfuse__run *runs; /* runs[0] is the tree's nil node */
	size_t n;		 /* runs used, counting runs[0] */
	size_t cap;		 /* runs allocated */
	uint32_t root;		 /* tree root, 0 when empty */
	uint32_t last;		 /* run written last, 0 = none */
	uint64_t last_limit;	 /* start of the run after `last`, or 2^32 */
	size_t total;		 /* data bytes held */
	size_t limit;		 /* most data bytes allowed (max_size) */
	size_t max_runs;	 /* DFUSE_MAX_ELEMENTS(limit) */
	dfuse__segs_find_fn find;
	void *find_ctx;
};

/* `limit` is the most data bytes the runs may hold; `find` may be NULL
 * (messages then name the line that started the earlier run). */
void dfuse__segs_init(struct dfuse__segs *s, size_t limit,
		      dfuse__segs_find_fn find, void *find_ctx);

/*
 * Writes `len` bytes that a record on line `line` places at `address`.
 * Errors: DFUSE_ERANGE past 4 GiB, DFUSE_EOVERLAP for a byte already
 * written with another value, DFUSE_ETOOBIG over the limit, DFUSE_ENOMEM.
 * On error the message starts with "line N: ".
 */
int dfuse__segs_write(struct dfuse__segs *s, uint32_t address,
		      const uint8_t *data, size_t len, size_t line);

/* Number of runs held (touching runs count separately until commit). */
size_t dfuse__segs_count(const struct dfuse__segs *s);

/*
 * Hands every run to a target of `img` in address order, joining runs that
 * touch, each as one element (dfuse__image_add_owned(): no copy).  Data
 * that differs from bytes the target already holds fails with
 * DFUSE_EOVERLAP before anything is added, provided the target's elements
 * are sorted (always true of built images).  On success the runs are
 * empty; dfuse__segs_free() is still needed.
 */
int dfuse__segs_commit(struct dfuse__segs *s, dfuse_image *img, size_t target,
		       const dfuse_input_options *opts);

/* Frees everything the builder holds.  Safe after init, twice, or after a
 * failed write or commit. */
void dfuse__segs_free(struct dfuse__segs *s);

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

#endif /* DFUSE_SEGS_H */
