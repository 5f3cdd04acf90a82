/*
 * textfmt.c - the text formats' common part (see textfmt.h): the hex digit
 * table, the line walker, and the driver that feeds a format's parser
 * whole or chunk by chunk and hands its runs (segs.c) to the image.
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
	dfuse__segs_init(&p->segs, dfuse__max_input(opts), fmt->find, &p->ref);
	p->state = calloc(1, fmt->state_size);
	return p->state ? 0 : dfuse__oom();
}

int dfuse__textparser_feed(struct dfuse__textparser *p, const char *text,
			   size_t len)
{
	int first = !p->started;

	p->started = 1;
	return p->fmt->parse(p->state, &p->segs, text, len, &p->line, first);
}

int dfuse__textparser_end(struct dfuse__textparser *p, dfuse_image *img,
			  size_t target, const dfuse_input_options *opts)
{
	uint32_t entry;

	DFUSE__TRY(p->fmt->end(p->state, p->line));
	DFUSE__TRY(dfuse__segs_commit(&p->segs, img, target, opts));
	if (p->fmt->entry(p->state, &entry))
		dfuse_image_set_entry(img, entry);
	return 0;
}

void dfuse__textparser_free(struct dfuse__textparser *p)
{
	dfuse__segs_free(&p->segs);
	free(p->state);
	p->state = NULL;
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
