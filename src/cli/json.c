/*
 * json.c - streaming JSON writer.  See json.h for how strings that are not
 * valid UTF-8 are written.
 */
#include "json.h"

#include <inttypes.h>
#include <string.h>

void json_init(struct json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->first[0] = 1;
}

static void indent(struct json *j)
{
	int i;

	fputc('\n', j->f);
	for (i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

/* Separator before a value (or a key) at the current level. */
static void value_prefix(struct json *j)
{
	j->values++;
	if (j->after_key) {
		j->after_key = 0;
		return;
	}
	if (j->depth == 0) {
		j->first[0] = 0;
		return;
	}
	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = 0;
	indent(j);
}

static void open(struct json *j, int c)
{
	value_prefix(j);
	fputc(c, j->f);
	if (j->depth < JSON_DEPTH - 1)
		j->depth++;
	j->first[j->depth] = 1;
	j->kind[j->depth] = (char)c;
}

static void close_(struct json *j, int c)
{
	int empty = j->first[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (!empty)
		indent(j);
	fputc(c, j->f);
	if (j->depth == 0)
		fputc('\n', j->f);
}

void json_begin_object(struct json *j)
{
	open(j, '{');
}

void json_end_object(struct json *j)
{
	close_(j, '}');
}

void json_begin_array(struct json *j)
{
	open(j, '[');
}

void json_end_array(struct json *j)
{
	close_(j, ']');
}

/*
 * Length of the valid UTF-8 sequence at s[0..n) (RFC 3629: no overlong
 * forms, no surrogates, nothing past U+10FFFF), or 0 if s[0] does not
 * start one.
 */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned char lo = 0x80, hi = 0xBF;

	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		len = 2;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		len = 3;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		len = 4;
	else
		return 0;
	if (s[0] == 0xE0)
		lo = 0xA0; /* overlong below U+0800 */
	else if (s[0] == 0xED)
		hi = 0x9F; /* U+D800-U+DFFF */
	else if (s[0] == 0xF0)
		lo = 0x90; /* overlong below U+10000 */
	else if (s[0] == 0xF4)
		hi = 0x8F; /* past U+10FFFF */
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return len;
}

static void put_string(FILE *f, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	fputc('"', f);
	while (i < n) {
		unsigned char c = s[i];
		size_t len;

		switch (c) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (c < 0x20 || c == 0x7f) {
				fprintf(f, "\\u%04x", c);
			} else if (c < 0x80) {
				fputc(c, f);
			} else if ((len = utf8_len(s + i, n - i)) > 0) {
				fwrite(s + i, 1, len, f);
				i += len;
				continue;
			} else {
				/* surrogate escape: byte 0xXX -> U+DCXX */
				fprintf(f, "\\udc%02x", c);
			}
		}
		i++;
	}
	fputc('"', f);
}

void json_key(struct json *j, const char *key)
{
	value_prefix(j);
	put_string(j->f, key, strlen(key));
	fputs(": ", j->f);
	j->after_key = 1;
}

void json_strn(struct json *j, const char *s, size_t n)
{
	value_prefix(j);
	put_string(j->f, s, n);
}

void json_str(struct json *j, const char *s)
{
	if (s == NULL) {
		json_null(j);
		return;
	}
	json_strn(j, s, strlen(s));
}

void json_int(struct json *j, int64_t v)
{
	value_prefix(j);
	fprintf(j->f, "%" PRId64, v);
}

void json_uint(struct json *j, uint64_t v)
{
	value_prefix(j);
	fprintf(j->f, "%" PRIu64, v);
}

void json_bool(struct json *j, int v)
{
	value_prefix(j);
	fputs(v ? "true" : "false", j->f);
}

void json_null(struct json *j)
{
	value_prefix(j);
	fputs("null", j->f);
}

void json_kstr(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_str(j, s);
}

void json_kint(struct json *j, const char *key, int64_t v)
{
	json_key(j, key);
	json_int(j, v);
}

void json_kuint(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	json_uint(j, v);
}

void json_kbool(struct json *j, const char *key, int v)
{
	json_key(j, key);
	json_bool(j, v);
}

void json_knull(struct json *j, const char *key)
{
	json_key(j, key);
	json_null(j);
}

void json_kstr_or_null(struct json *j, const char *key, const char *s)
{
	if (s != NULL)
		json_kstr(j, key, s);
	else
		json_knull(j, key);
}

int json_depth(const struct json *j)
{
	return j->depth;
}

int json_in_object(const struct json *j)
{
	return j->depth > 0 && j->kind[j->depth] == '{';
}

void json_close_to(struct json *j, int depth)
{
	if (j->after_key)
		json_null(j);
	while (j->depth > depth && j->depth > 0)
		close_(j, j->kind[j->depth] == '{' ? '}' : ']');
}
