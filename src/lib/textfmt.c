/*
 * textfmt.c - the text formats' common part (see textfmt.h): the hex digit
 * table, the line walker, the fast path's line reader, the wording of the
 * faults any text record can have, and the one record loop (read a line,
 * skip blanks, decode a record with the format's decoder, apply it, word
 * each error by its line) that a text goes through whole or chunk by
 * chunk before its runs (segs.c) go to the image; and the find walk that
 * names the line of an earlier write.
 */
#include "textfmt.h"
#include "err.h"
#include "fileio.h"
#include "image.h"

#include <stdlib.h>
#include <string.h>

/* ======== Text helpers shared by the text parsers ======== */

#define X DFUSE__HEX_BAD
/* One row per 16 byte values; only '0'-'9' (0x30), 'A'-'F' (0x41) and
 * 'a'-'f' (0x61) are digits. */
const uint8_t dfuse__hex[256] = {
	X, X,  X,  X,  X,  X,  X,  X, X, X, X, X, X, X, X, X, /* 0x00 */
	X, X,  X,  X,  X,  X,  X,  X, X, X, X, X, X, X, X, X, /* 0x10 */
	X, X,  X,  X,  X,  X,  X,  X, X, X, X, X, X, X, X, X, /* 0x20 */
	0, 1,  2,  3,  4,  5,  6,  7, 8, 9, X, X, X, X, X, X, /* 0x30 */
	X, 10, 11, 12, 13, 14, 15, X, X, X, X, X, X, X, X, X, /* 0x40 */
	X, X,  X,  X,  X,  X,  X,  X, X, X, X, X, X, X, X, X, /* 0x50 */
	X, 10, 11, 12, 13, 14, 15, X, X, X, X, X, X, X, X, X, /* 0x60 */
	X, X,  X,  X,  X,  X,  X,  X, X, X, X, X, X, X, X, X, /* 0x70 */
	X, X,  X,  X,  X,  X,  X,  X, X, X, X, X, X, X, X, X, /* 0x80 */
	X, X,  X,  X,  X,  X,  X,  X, X, X, X, X, X, X, X, X, /* 0x90 */
	X, X,  X,  X,  X,  X,  X,  X, X, X, X, X, X, X, X, X, /* 0xa0 */
	X, X,  X,  X,  X,  X,  X,  X, X, X, X, X, X, X, X, X, /* 0xb0 */
	X, X,  X,  X,  X,  X,  X,  X, X, X, X, X, X, X, X, X, /* 0xc0 */
	X, X,  X,  X,  X,  X,  X,  X, X, X, X, X, X, X, X, X, /* 0xd0 */
	X, X,  X,  X,  X,  X,  X,  X, X, X, X, X, X, X, X, X, /* 0xe0 */
	X, X,  X,  X,  X,  X,  X,  X, X, X, X, X, X, X, X, X, /* 0xf0 */
};
#undef X

size_t dfuse__hex_span(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (dfuse__hex[(unsigned char)s[i]] & DFUSE__HEX_BAD)
			break;
	return i;
}

void dfuse__text_init(struct dfuse__text *t, const char *text, size_t len)
{
	t->p = text;
	t->end = text + len;
	t->line = 0;
	if (len >= 3 && (unsigned char)text[0] == 0xEF &&
	    (unsigned char)text[1] == 0xBB && (unsigned char)text[2] == 0xBF)
		t->p += 3;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

int dfuse__text_next(struct dfuse__text *t, const char **s, size_t *n)
{
	const char *b = t->p, *e;
	const char *nl;

	if (b == t->end)
		return 0;
	nl = memchr(b, '\n', (size_t)(t->end - b));
	e = nl ? nl : t->end;
	t->p = nl ? nl + 1 : t->end;
	t->line++;
	while (b < e && is_space(*b))
		b++;
	while (e > b && is_space(e[-1]))
		e--;
	*s = b;
	*n = (size_t)(e - b);
	return 1;
}

const char *dfuse__text_char(char *buf, unsigned char c)
{
	static const char digits[] = "0123456789abcdef";

	if (c >= 0x20 && c < 0x7f && c != '\'') {
		buf[0] = '\'';
		buf[1] = (char)c;
		buf[2] = '\'';
		buf[3] = '\0';
	} else {
		memcpy(buf, "byte 0x", 7);
		buf[7] = digits[c >> 4];
		buf[8] = digits[c & 15];
		buf[9] = '\0';
	}
	return buf;
}

size_t dfuse__text_fast(struct dfuse__text *t, size_t lead, unsigned extra,
			uint8_t *raw, unsigned *sum)
{
	const char *p = t->p;
	size_t left = (size_t)(t->end - p), k;
	unsigned hi, lo, nb;

	hi = dfuse__hex[(unsigned char)p[lead]];
	lo = dfuse__hex[(unsigned char)p[lead + 1]];
	if ((hi | lo) & DFUSE__HEX_BAD)
		return 0;
	nb = (hi << 4 | lo) + extra;
	k = lead + 2 * (size_t)nb;
	if (left < k || dfuse__hex_decode(raw, p + lead, nb, sum))
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
	return nb;
}

int dfuse__text_bad_lead(size_t line, const char *what, unsigned char found)
{
	char c[16];

	return dfuse__error_at(DFUSE_EFORMAT, -1, (unsigned long)(line),
			       "line %zu: expected %s at the start of a "
			       "record, found %s",
			       line, what, dfuse__text_char(c, found));
}

int dfuse__text_bad_digits(const char *d, size_t m, size_t line, size_t lead,
			   const char *after)
{
	char c[16];
	size_t i = dfuse__hex_span(d, m);

	if (i < m)
		return dfuse__error_at(
			DFUSE_EFORMAT, -1, (unsigned long)(line),
			"line %zu: column %zu: %s is not a hex "
			"digit",
			line, lead + 1 + i,
			dfuse__text_char(c, (unsigned char)d[i]));
	if (m % 2 != 0)
		return dfuse__error_at(DFUSE_EFORMAT, -1, (unsigned long)(line),
				       "line %zu: odd number of hex digits "
				       "(%zu) after %s",
				       line, m, after);
	return 0;
}

int dfuse__text_bad_count(size_t line, const char *field, size_t count,
			  size_t holds, const char *unit)
{
	return dfuse__error_at(DFUSE_EFORMAT, -1, (unsigned long)(line),
			       "line %zu: %s %zu but the line holds %zu %s",
			       line, field, count, holds, unit);
}

int dfuse__text_bad_checksum(size_t line, unsigned found, unsigned expected)
{
	return dfuse__error_at(DFUSE_ECRC, -1, (unsigned long)(line),
			       "line %zu: checksum is 0x%02x, expected 0x%02x",
			       line, found, expected);
}

/* ======== The record loop ======== */

/*
 * Parses the lines of text[0..len) (all of them: every chunk but the last
 * ends just after a '\n'); p->pos counts lines and records across chunks;
 * `first` is set for the chunk that starts the input.  After the record
 * that ends the input only blank lines may follow, so the fast path is
 * off and the general path words the refusal.
 */
static int record_loop(struct dfuse__textparser *p, const char *text,
		       size_t len, int first)
{
	const struct dfuse__textfmt *fmt = p->fmt;
	struct dfuse__textpos *pos = &p->pos;
	struct dfuse__text t;
	const char *s;
	size_t n;
	int rc;

	dfuse__text_init(&t, text, len);
	if (!first)
		t.p = text; /* a BOM only counts at the very start */
	t.line = pos->line;
	for (;;) {
		rc = pos->end_line ? 0 : fmt->fast(p->state, &t);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			if (!dfuse__text_next(&t, &s, &n))
				break;
			if (n == 0)
				continue;
			if (pos->end_line != 0)
				return dfuse__error_at(
					DFUSE_EFORMAT, -1,
					(unsigned long)(t.line),
					"line %zu: content after the %s "
					"record on line %zu",
					t.line, fmt->end_record, pos->end_line);
			DFUSE__TRY(fmt->decode(p->state, s, n, t.line));
		}
		pos->line = t.line;
		if (pos->records++ == 0)
			pos->first = t.line;
		DFUSE__TRY(fmt->apply(p->state, &p->segs, pos));
	}
	pos->line = t.line;
	return 0;
}

/*
 * The run builder's finder (dfuse__segs_find_fn; ctx is the parser): the
 * first data record, on a line before `before`, that wrote the byte at
 * `address`, found by decoding the whole text again into the second
 * state.  Without the whole text (streaming) it finds nothing.
 */
static int find_writer(void *ctx, uint32_t address, size_t before, size_t *line,
		       uint32_t *record)
{
	struct dfuse__textparser *p = ctx;
	const struct dfuse__textfmt *fmt = p->fmt;
	struct dfuse__text t;
	const char *s;
	size_t n, len;
	uint32_t at;
	int rc;

	memset(p->scratch, 0, fmt->state_size);
	dfuse__text_init(&t, p->ref.text, p->ref.len);
	while (dfuse__text_next(&t, &s, &n) && t.line < before) {
		if (n == 0)
			continue;
		if (fmt->decode(p->scratch, s, n, t.line) < 0)
			return 0;
		rc = fmt->locate(p->scratch, t.line, &at, &len);
		if (rc < 0)
			return 0;
		if (rc > 0 && address >= at &&
		    (uint64_t)address < (uint64_t)at + len) {
			*line = t.line;
			*record = at;
			return 1;
		}
	}
	return 0;
}

/* ======== Text parsing, whole or chunk by chunk ======== */

int dfuse__textparser_begin(struct dfuse__textparser *p,
			    const struct dfuse__textfmt *fmt,
			    const dfuse_input_options *opts, const char *whole,
			    size_t whole_len)
{
	memset(p, 0, sizeof(*p));
	p->fmt = fmt;
	p->ref.text = whole ? whole : "";
	p->ref.len = whole ? whole_len : 0;
	dfuse__segs_init(&p->segs, dfuse__max_input(opts), find_writer, p);
	/* two states in one block: state_size is a multiple of the state's
	 * alignment, so the second is aligned as the first */
	p->state = calloc(2, fmt->state_size);
	if (p->state == NULL)
		return dfuse__oom();
	p->scratch = (char *)p->state + fmt->state_size;
	return 0;
}

int dfuse__textparser_feed(struct dfuse__textparser *p, const char *text,
			   size_t len)
{
	int first = !p->started;

	p->started = 1;
	return record_loop(p, text, len, first);
}

int dfuse__textparser_end(struct dfuse__textparser *p, dfuse_image *img,
			  size_t target, const dfuse_input_options *opts)
{
	DFUSE__TRY(p->fmt->end(&p->pos));
	DFUSE__TRY(dfuse__segs_commit(&p->segs, img, target, opts));
	if (p->pos.has_entry)
		dfuse_image_set_entry(img, p->pos.entry);
	return 0;
}

void dfuse__textparser_free(struct dfuse__textparser *p)
{
	dfuse__segs_free(&p->segs);
	free(p->state);
	p->state = NULL;
	p->scratch = NULL;
}

int dfuse__text_parse(const struct dfuse__textfmt *fmt, dfuse_image *img,
		      size_t target, const char *text, size_t len,
		      const dfuse_input_options *opts)
{
	struct dfuse__textparser p;
	size_t max = dfuse__max_input(opts);
	int rc;

	if (img == NULL || (text == NULL && len > 0))
		return dfuse__error(DFUSE_EINVAL, "%s: NULL argument",
				    fmt->name);
	DFUSE__TRY(dfuse__image_check_target(img, target));
	if (len > max)
		return dfuse__too_big((unsigned long long)len, max);
	if (text == NULL)
		text = "";
	rc = dfuse__textparser_begin(&p, fmt, opts, text, len);
	if (rc == 0)
		rc = dfuse__textparser_feed(&p, text, len);
	if (rc == 0)
		rc = dfuse__textparser_end(&p, img, target, opts);
	dfuse__textparser_free(&p);
	return rc < 0 ? rc : 0;
}
