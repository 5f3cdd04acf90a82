/*
 * fuzz_memlayout.c - dfuse_layout_parse() on arbitrary strings (libFuzzer
 * target; regression_driver.c replays tests/fuzz/corpus/memlayout/).
 *
 * The input is copied into an exact-size buffer with a NUL after it (the
 * parser takes a C string; ASan sees any read past the NUL's byte).
 * Besides "no crash, no leak, no UB", it checks what memlayout.c promises:
 *  - on failure, the code is the last error's, no layout is returned, and
 *    the message starts with "column N: " where N is at most the string's
 *    length + 1 (or is "out of memory");
 *  - on success, the name is the text before the first '/' (after an
 *    optional '@'), there are 1..1024 segments, each with sectors of at
 *    least one byte, inside the 32-bit space, a type letter a..g whose bits
 *    are the r/e/w flags, no two overlapping, and dfuse_layout_find()
 *    returns each segment for its first and last byte and nothing (or
 *    another segment) one byte outside;
 *  - the layout written back as one block per segment parses to the same
 *    segments.
 */
#include "dfuse.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		__builtin_trap();
}

static uint64_t end_of(const dfuse_layout_segment *s)
{
	return (uint64_t)s->address +
	       (uint64_t)s->sector_size * s->sector_count;
}

static int cmp_address(const void *a, const void *b)
{
	const dfuse_layout_segment *x = a, *y = b;

	return x->address < y->address ? -1 : x->address > y->address;
}

/* One byte outside a segment: not found, or in a segment that holds it. */
static void check_outside(const dfuse_layout *l, uint64_t address)
{
	dfuse_layout_segment s;
	int i;

	if (address > UINT32_MAX)
		return;
	i = dfuse_layout_find(l, (uint32_t)address);
	if (i == DFUSE_ENOTFOUND)
		return;
	check(i >= 0);
	check(dfuse_layout_get_segment(&s, l, (size_t)i) == 0);
	check(s.address <= address && address < end_of(&s));
}

static void check_failure(int rc, const dfuse_layout *l, size_t len)
{
	const dfuse_error *e = dfuse_error_last();
	size_t col = 0, k = 7;

	check(rc < 0 && e->code == rc && l == NULL);
	if (rc == DFUSE_ENOMEM)
		return;
	check(strncmp(e->message, "column ", 7) == 0);
	check(e->message[k] >= '1' && e->message[k] <= '9');
	for (; e->message[k] >= '0' && e->message[k] <= '9'; k++)
		col = col * 10 + (size_t)(e->message[k] - '0');
	check(e->message[k] == ':' && col >= 1 && col <= len + 1);
	check(rc == DFUSE_EFORMAT || rc == DFUSE_ERANGE ||
	      rc == DFUSE_EOVERLAP || rc == DFUSE_ETOOBIG);
}

/* Writes the layout as "@name/0xA/NxS t/0xB/..." and parses it again. */
static void check_reparse(const dfuse_layout *l,
			  const dfuse_layout_segment *segs, size_t n)
{
	const char *name = dfuse_layout_get_name(l);
	const size_t cap = strlen(name) + 2 + n * 48;
	char *text = malloc(cap);
	dfuse_layout *again = NULL;
	size_t k, i;

	check(text != NULL);
	k = (size_t)snprintf(text, cap, "@%s", name);
	for (i = 0; i < n; i++)
		k += (size_t)snprintf(text + k, cap - k,
				      "/0x%" PRIX32 "/%" PRIu32 "*%" PRIu32
				      " %c",
				      segs[i].address, segs[i].sector_count,
				      segs[i].sector_size, segs[i].type);
	check(k < cap);
	check(dfuse_layout_parse(&again, text) == 0);
	check(strcmp(dfuse_layout_get_name(again), name) == 0);
	check(dfuse_layout_count_segments(again) == n);
	for (i = 0; i < n; i++) {
		dfuse_layout_segment s;

		check(dfuse_layout_get_segment(&s, again, i) == 0);
		check(memcmp(&s, &segs[i], sizeof(s)) == 0);
	}
	dfuse_layout_free(again);
	free(text);
}

static void check_success(const dfuse_layout *l, const char *str)
{
	const char *name = str[0] == '@' ? str + 1 : str;
	const size_t n = dfuse_layout_count_segments(l);
	dfuse_layout_segment *segs, *sorted;
	size_t i;

	check(l != NULL);
	check(strlen(dfuse_layout_get_name(l)) == strcspn(name, "/"));
	check(strncmp(dfuse_layout_get_name(l), name, strcspn(name, "/")) == 0);
	check(n >= 1 && n <= 1024);
	segs = calloc(n, sizeof(*segs));
	sorted = calloc(n, sizeof(*sorted));
	check(segs != NULL && sorted != NULL);
	for (i = 0; i < n; i++) {
		dfuse_layout_segment *s = &segs[i];

		check(dfuse_layout_get_segment(s, l, i) == 0);
		check(s->sector_size > 0 && s->sector_count > 0);
		check(end_of(s) <= UINT64_C(0x100000000));
		check(s->type >= 'a' && s->type <= 'g');
		check(s->readable == ((s->type & 1) != 0));
		check(s->erasable == ((s->type & 2) != 0));
		check(s->writable == ((s->type & 4) != 0));
		check(dfuse_layout_find(l, s->address) == (int)i);
		check(dfuse_layout_find(l, (uint32_t)(end_of(s) - 1)) ==
		      (int)i);
		if (s->address > 0)
			check_outside(l, (uint64_t)s->address - 1);
		check_outside(l, end_of(s));
	}
	check(dfuse_layout_get_segment(&segs[0], l, n) == DFUSE_EINVAL);
	check(dfuse_layout_get_segment(&segs[0], l, 0) == 0);
	memcpy(sorted, segs, n * sizeof(*segs));
	qsort(sorted, n, sizeof(*sorted), cmp_address);
	for (i = 1; i < n; i++)
		check(end_of(&sorted[i - 1]) <= sorted[i].address);
	check_reparse(l, segs, n);
	free(sorted);
	free(segs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dfuse_layout *l = (dfuse_layout *)&l; /* parse must reset it */
	char *str = malloc(size + 1);
	int rc;

	if (str == NULL)
		return 0;
	if (size > 0)
		memcpy(str, data, size);
	str[size] = '\0';
	rc = dfuse_layout_parse(&l, str);
	if (rc == 0)
		check_success(l, str);
	else
		check_failure(rc, l, strlen(str));
	dfuse_layout_free(l);
	free(str);
	return 0;
}
