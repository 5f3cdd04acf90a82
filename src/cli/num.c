/*
 * num.c - strict number parsing (no strtol: it accepts signs, spaces and
 * junk silently, and reads "010" as octal with base 0), and sizes written
 * back exactly.  A number is 0x-hex or plain decimal, one meaning each.
 */
#include "num.h"

#include <stdio.h>
#include <string.h>

static int digit(int c, unsigned base)
{
	int v;

	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (c >= 'a' && c <= 'f')
		v = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		v = c - 'A' + 10;
	else
		return -1;
	return (unsigned)v < base ? v : -1;
}

static int parse(uint64_t *out, const char *s, unsigned base, const char **end)
{
	uint64_t v = 0;
	const char *p = s;
	int d;

	if (*p == '\0')
		return -1;
	while ((d = digit((unsigned char)*p, base)) >= 0) {
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			return -1;
		v = v * base + (uint64_t)d;
		p++;
	}
	if (p == s)
		return -1;
	*out = v;
	*end = p;
	return 0;
}

/* "08000000": a C reader takes it for octal, a reader of datasheets for
 * hex without its 0x, strtoul(s, 0, 10) for decimal: it means nothing
 * for sure, so it is refused (num_why() says so). */
static int leading_zero(const char *s)
{
	return s[0] == '0' && s[1] >= '0' && s[1] <= '9';
}

int num_u64(uint64_t *out, const char *s)
{
	const char *end;

	if (s == NULL)
		return -1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if (parse(out, s + 2, 16, &end) < 0)
			return -1;
	} else if (leading_zero(s) || parse(out, s, 10, &end) < 0) {
		return -1;
	}
	return *end == '\0' ? 0 : -1;
}

const char *num_why(char *buf, size_t n, const char *s)
{
	uint64_t v;
	const char *end, *d = s;

	if (s == NULL || s[0] == '\0') {
		snprintf(buf, n, "empty: write 0x... hex or plain decimal");
		return buf;
	}
	if (leading_zero(s)) {
		while (d[0] == '0' && d[1] != '\0')
			d++;
		if (parse(&v, s, 16, &end) == 0 && *end == '\0' &&
		    v <= UINT32_MAX)
			snprintf(buf, n,
				 "a leading zero is ambiguous (hex? octal? "
				 "decimal?): write 0x%s for hex, or %s for "
				 "decimal",
				 s, d);
		else
			snprintf(buf, n,
				 "a leading zero is ambiguous: write 0x... "
				 "for hex or decimal without the zero");
		return buf;
	}
	if (num_u64(&v, s) == 0)
		snprintf(buf, n, "out of range");
	else
		snprintf(buf, n, "write 0x... hex or plain decimal");
	return buf;
}

int num_u32(uint32_t *out, const char *s, uint32_t max)
{
	uint64_t v;

	if (num_u64(&v, s) < 0 || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int num_hex16(uint16_t *out, const char *s)
{
	const char *end;
	uint64_t v;

	if (s == NULL)
		return -1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (parse(&v, s, 16, &end) < 0 || *end != '\0' || v > 0xFFFF)
		return -1;
	*out = (uint16_t)v;
	return 0;
}

int num_size(size_t *out, const char *s)
{
	const char *end;
	uint64_t v, mul = 1;

	if (s == NULL)
		return -1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if (parse(&v, s + 2, 16, &end) < 0)
			return -1;
	} else if (parse(&v, s, 10, &end) < 0) {
		return -1;
	}
	switch (*end) {
	case '\0':
		break;
	case 'k':
	case 'K':
		mul = 1024;
		end++;
		break;
	case 'm':
	case 'M':
		mul = 1024 * 1024;
		end++;
		break;
	case 'g':
	case 'G':
		mul = 1024 * 1024 * 1024;
		end++;
		break;
	default:
		return -1;
	}
	if (*end == 'i' || *end == 'B')
		end += (*end == 'i' && end[1] == 'B') ? 2 : 1;
	if (*end != '\0' || v > SIZE_MAX / mul)
		return -1;
	*out = (size_t)(v * mul);
	return 0;
}

char *num_size_text(char *buf, size_t n, uint64_t size)
{
	if (size != 0 && size % (1024u * 1024u) == 0)
		snprintf(buf, n, "%llu MiB",
			 (unsigned long long)(size / (1024u * 1024u)));
	else if (size != 0 && size % 1024u == 0)
		snprintf(buf, n, "%llu KiB",
			 (unsigned long long)(size / 1024u));
	else
		snprintf(buf, n, "%llu B", (unsigned long long)size);
	return buf;
}

int num_range(uint32_t *lo, uint64_t *hi, const char *s)
{
	const char *colon = s ? strchr(s, ':') : NULL;
	char first[32];
	uint64_t a, b;
	size_t n;

	if (colon == NULL)
		return -1;
	n = (size_t)(colon - s);
	if (n == 0 || n >= sizeof(first))
		return -1;
	memcpy(first, s, n);
	first[n] = '\0';
	if (num_u64(&a, first) < 0 || num_u64(&b, colon + 1) < 0)
		return -1;
	if (a >= b || b > UINT64_C(0x100000000))
		return -1;
	*lo = (uint32_t)a;
	*hi = b;
	return 0;
}
