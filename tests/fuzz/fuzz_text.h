/*
 * fuzz_text.h - the body of the text-format fuzz targets (fuzz_ihex.c,
 * fuzz_srec.c), which define PARSE to the parser under test.
 *
 * Each input is copied into an exact-size buffer (no NUL after it) and
 * parsed twice with a 1 MiB limit: into an empty target, and into a target
 * that already holds a 256-byte element at 0x100 (which drives the
 * commit's pre-check and the merge with existing data).  The result must
 * then be sane, or the target traps:
 *  - on success the elements are sorted and disjoint, and the new data is
 *    at most half as many bytes as the text has characters;
 *  - on failure the target holds what it held before, and the message
 *    starts with "line " (or is the input-limit message).
 * Then the input is parsed again, as is and with a space put in front of
 * every line (after a byte order mark), which the parser ignores but which
 * keeps it off its fast path (fast_line()): the result, the message, the
 * elements and the entry point must be the same both ways.
 */
#ifndef PARSE
#error define PARSE to the parser under test before including fuzz_text.h
#endif

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dfuse.h"

static void check(int ok)
{
	if (!ok)
		__builtin_trap();
}

/* Sum of the element sizes of target 0; traps unless sorted, disjoint. */
static uint64_t check_target(const dfuse_image *img)
{
	dfuse_target_info ti;
	uint64_t end = 0, sum = 0;
	size_t i;

	check(dfuse_image_get_target(&ti, img, 0) == 0);
	for (i = 0; i < ti.element_count; i++) {
		dfuse_element_info e;

		check(dfuse_image_get_element(&e, img, 0, i) == 0);
		check(e.size > 0 && e.data != NULL);
		check(i == 0 || e.address >= end);
		end = (uint64_t)e.address + e.size;
		check(end <= UINT64_C(0x100000000));
		sum += e.size;
	}
	return sum;
}

static void one(const char *text, size_t size, int preload)
{
	static const uint8_t fill[256] = {0};
	dfuse_input_options o = DFUSE_INPUT_OPTIONS_INIT;
	dfuse_image *img = NULL;
	uint64_t before, after;
	int rc;

	check(dfuse_image_new(&img) == 0);
	check(dfuse_image_add_target(img, 0, "fuzz") == 0);
	if (preload)
		check(dfuse_image_add_data(img, 0, 0x100, fill, sizeof(fill),
					   NULL) == 0);
	before = check_target(img);
	o.max_size = (size_t)1 << 20;
	o.source = "fuzz";
	rc = PARSE(img, 0, text, size, &o);
	after = check_target(img);
	if (rc == 0) {
		check(after <= before + size / 2);
	} else {
		const char *m = dfuse_error_last()->message;

		check(rc < 0 && dfuse_error_last()->code == rc);
		check(strncmp(m, "line ", 5) == 0 ||
		      strncmp(m, "input is ", 9) == 0);
		if (rc != DFUSE_ENOMEM)
			check(after == before);
	}
	dfuse_image_free(img);
}

/* Parses text into a new image; returns the code, *msg_out a copy of the
 * message (or NULL). */
static dfuse_image *parse_new(const char *text, size_t size, int *rc,
			      char **msg_out)
{
	dfuse_input_options o = DFUSE_INPUT_OPTIONS_INIT;
	dfuse_image *img = NULL;

	check(dfuse_image_new(&img) == 0);
	check(dfuse_image_add_target(img, 0, NULL) == 0);
	o.max_size = (size_t)4 << 20;
	*rc = PARSE(img, 0, text, size, &o);
	*msg_out = *rc < 0 ? strdup(dfuse_error_last()->message) : NULL;
	return img;
}

/* The same input with a space in front of every line. */
static char *spaced(const char *text, size_t size, size_t *out_len)
{
	char *out = malloc(2 * size + 1);
	size_t i = 0, k = 0;

	check(out != NULL);
	if (size >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		memcpy(out, text, 3);
		i = k = 3;
	}
	out[k++] = ' ';
	for (; i < size; i++) {
		out[k++] = text[i];
		if (text[i] == '\n' && i + 1 < size)
			out[k++] = ' ';
	}
	*out_len = k;
	return out;
}

static void same_off_fast_path(const char *text, size_t size)
{
	size_t len2, n1, n2, i;
	char *text2 = spaced(text, size, &len2);
	char *m1, *m2;
	int rc1, rc2, e1, e2;
	uint32_t x1 = 0, x2 = 0;
	dfuse_image *a = parse_new(text, size, &rc1, &m1);
	dfuse_image *b = parse_new(text2, len2, &rc2, &m2);
	dfuse_target_info ta, tb;

	check(rc1 == rc2);
	check((m1 == NULL) == (m2 == NULL));
	check(m1 == NULL || strcmp(m1, m2) == 0);
	check(dfuse_image_get_target(&ta, a, 0) == 0);
	check(dfuse_image_get_target(&tb, b, 0) == 0);
	n1 = ta.element_count;
	n2 = tb.element_count;
	check(n1 == n2);
	for (i = 0; i < n1; i++) {
		dfuse_element_info x, y;

		check(dfuse_image_get_element(&x, a, 0, i) == 0);
		check(dfuse_image_get_element(&y, b, 0, i) == 0);
		check(x.address == y.address && x.size == y.size);
		check(memcmp(x.data, y.data, x.size) == 0);
	}
	e1 = dfuse_image_get_entry(&x1, a);
	e2 = dfuse_image_get_entry(&x2, b);
	check(e1 == e2 && x1 == x2);
	free(m1);
	free(m2);
	free(text2);
	dfuse_image_free(a);
	dfuse_image_free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* exact size, so that ASan sees a read past the end (libusb) */
	char *text = calloc(1, size > 0 ? size : 1);

	if (text == NULL)
		return 0;
	if (size > 0)
		memcpy(text, data, size);
	one(text, size, 0);
	one(text, size, 1);
	same_off_fast_path(text, size);
	free(text);
	return 0;
}
