/*
 * fuzz_elf.c - dfuse_parse_elf() on arbitrary bytes (libFuzzer target;
 * regression_driver.c replays tests/fuzz/corpus/elf/ without libFuzzer).
 *
 * Besides "no crash, no leak, no UB", it checks what the reader promises:
 *  - on failure, an error code with a message, and the target untouched
 *    (every ELF-level error happens before the image is changed; the
 *    target starts empty, so there is nothing else to conflict with);
 *  - on success, at least one element, sorted, none overlapping, every
 *    byte readable (ASan checks the loop over them);
 *  - parsing the same bytes again succeeds and changes nothing: identical
 *    overlapping bytes merge.
 */
#include "dfuse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t elements(const dfuse_image *img)
{
	dfuse_target_info t;

	if (dfuse_image_get_target(&t, img, 0) != 0)
		abort();
	return t.element_count;
}

/* Sorted, disjoint, readable; returns a checksum of the bytes. */
static unsigned int check_elements(const dfuse_image *img, size_t n)
{
	uint64_t end = 0;
	unsigned int sum = 0;
	size_t i, k;

	for (i = 0; i < n; i++) {
		dfuse_element_info e;

		if (dfuse_image_get_element(&e, img, 0, i) != 0)
			abort();
		if (e.size == 0 || e.data == NULL)
			abort();
		if (i > 0 && e.address < end)
			abort();
		end = (uint64_t)e.address + e.size;
		for (k = 0; k < e.size; k++)
			sum = sum * 31 + e.data[k];
	}
	return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dfuse_input_options opts = DFUSE_INPUT_OPTIONS_INIT;
	dfuse_image *img = NULL;
	uint8_t *copy;
	size_t n;
	unsigned int sum;
	int rc;

	/* An exact-size copy, so that ASan sees any over-read (libusb). */
	copy = malloc(size > 0 ? size : 1);
	if (copy == NULL)
		return 0;
	if (size > 0)
		memcpy(copy, data, size);
	if (dfuse_image_new(&img) != 0 ||
	    dfuse_image_add_target(img, 0, "fuzz") != 0)
		abort();
	opts.source = "fuzz.elf";
	opts.max_size = 1u << 20;

	rc = dfuse_parse_elf(img, 0, copy, size, &opts);
	if (rc < 0) {
		if (dfuse_error_last()->code != rc ||
		    dfuse_error_last()->message[0] == '\0')
			abort();
		if (elements(img) != 0)
			abort();
		goto out;
	}
	if (rc != 0)
		abort();
	n = elements(img);
	if (n == 0)
		abort();
	sum = check_elements(img, n);

	if (dfuse_parse_elf(img, 0, copy, size, &opts) != 0)
		abort();
	if (elements(img) != n || check_elements(img, n) != sum)
		abort();
out:
	dfuse_image_free(img);
	free(copy);
	return 0;
}
