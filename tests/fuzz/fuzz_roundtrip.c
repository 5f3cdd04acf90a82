/*
 * fuzz_roundtrip.c - read -> write -> read must be stable (doc/sources.md,
 * Architecture).
 *
 * The input (copied into an exact-size allocation; a first byte with its
 * high bit set has it cleared and the suffix CRC patched, as in
 * fuzz_dfuse_read.c) is read leniently.  When that finds no error and
 * every element has its data, dfuse_write() must succeed, and reading its
 * output must give the same targets (alt, bTargetNamed, raw name) and
 * elements (address, size, bytes) with no warning or error, except the
 * ones the writer keeps on purpose because they describe the content, not
 * the container: an empty element, a non-printable name, no target.
 * Without those, the strict read must succeed too.  Writing the re-read
 * image again must give the same bytes.  Anything else aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dfuse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "fuzz_roundtrip: %s:%d: %s\n",         \
				__FILE__, __LINE__, #cond);                    \
			abort();                                               \
		}                                                              \
	} while (0)

static void patch_crc(uint8_t *buf, size_t size)
{
	uint32_t crc;

	if (size < 16)
		return;
	crc = dfuse_crc(buf, size - 4);
	buf[size - 4] = (uint8_t)crc;
	buf[size - 3] = (uint8_t)(crc >> 8);
	buf[size - 2] = (uint8_t)(crc >> 16);
	buf[size - 1] = (uint8_t)(crc >> 24);
}

/* Findings the writer reproduces by design: content, not container. */
static int kept_by_writer(const char *code)
{
	return strcmp(code, "element-empty") == 0 ||
	       strcmp(code, "name-garbage") == 0 ||
	       strcmp(code, "no-targets") == 0;
}

/* Number of warnings/errors, and whether all are ones the writer keeps. */
static size_t count_bad(const dfuse_report *r, int *only_kept)
{
	dfuse_finding f;
	size_t i, n = 0;

	*only_kept = 1;
	for (i = 0; i < dfuse_report_count(r); i++) {
		CHECK(dfuse_report_get(&f, r, i) == 0);
		if (f.severity < DFUSE_SEV_WARNING)
			continue;
		n++;
		if (!kept_by_writer(f.code))
			*only_kept = 0;
	}
	return n;
}

static int all_data(const dfuse_image *img)
{
	dfuse_target_info t;
	dfuse_element_info e;
	size_t i, j;

	for (i = 0; i < dfuse_image_count_targets(img); i++) {
		CHECK(dfuse_image_get_target(&t, img, i) == 0);
		for (j = 0; j < t.element_count; j++) {
			CHECK(dfuse_image_get_element(&e, img, i, j) == 0);
			if (e.data == NULL)
				return 0;
		}
	}
	return 1;
}

static void check_same(const dfuse_image *a, const dfuse_image *b)
{
	const size_t nt = dfuse_image_count_targets(a);
	dfuse_target_info ta, tb;
	dfuse_element_info ea, eb;
	dfuse_ids ia, ib;
	size_t i, j;

	CHECK(dfuse_image_count_targets(b) == nt);
	for (i = 0; i < nt; i++) {
		CHECK(dfuse_image_get_target(&ta, a, i) == 0);
		CHECK(dfuse_image_get_target(&tb, b, i) == 0);
		CHECK(ta.alt == tb.alt && ta.named == tb.named);
		CHECK(memcmp(ta.name_raw, tb.name_raw, 255) == 0);
		CHECK(ta.element_count == tb.element_count);
		CHECK(ta.size == tb.size);
		for (j = 0; j < ta.element_count; j++) {
			CHECK(dfuse_image_get_element(&ea, a, i, j) == 0);
			CHECK(dfuse_image_get_element(&eb, b, i, j) == 0);
			CHECK(ea.address == eb.address && ea.size == eb.size);
			CHECK(memcmp(ea.data, eb.data, ea.size) == 0);
		}
	}
	dfuse_image_get_ids(&ia, a);
	dfuse_image_get_ids(&ib, b);
	CHECK(ia.bcd_device == ib.bcd_device);
	CHECK(ia.id_product == ib.id_product);
	CHECK(ia.id_vendor == ib.id_vendor);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dfuse_read_options o = DFUSE_READ_OPTIONS_INIT;
	dfuse_image *first = NULL, *second = NULL, *strict = NULL;
	dfuse_report *r = NULL, *r2 = NULL;
	void *out = NULL, *out2 = NULL;
	size_t out_len = 0, out2_len = 0;
	uint8_t *buf = malloc(size > 0 ? size : 1);
	int only_kept, rc;

	if (buf == NULL)
		return 0;
	if (size > 0)
		memcpy(buf, data, size);
	if (size > 0 && (buf[0] & 0x80) != 0) {
		buf[0] &= 0x7f;
		patch_crc(buf, size);
	}

	rc = dfuse_read(&first, &r, buf, size, &o);
	if (rc < 0)
		goto out;
	if (dfuse_report_count_at_least(r, DFUSE_SEV_ERROR) > 0 ||
	    !all_data(first))
		goto out;

	rc = dfuse_write(&out, &out_len, first);
	if (rc == DFUSE_ENOMEM)
		goto out;
	CHECK(rc == 0);

	rc = dfuse_read(&second, &r2, out, out_len, &o);
	if (rc == DFUSE_ENOMEM)
		goto out;
	CHECK(rc == 0);
	CHECK(dfuse_report_count_at_least(r2, DFUSE_SEV_ERROR) == 0);
	count_bad(r2, &only_kept);
	CHECK(only_kept);
	check_same(first, second);

	o.flags = DFUSE_READ_STRICT;
	rc = dfuse_read(&strict, NULL, out, out_len, &o);
	if (count_bad(r2, &only_kept) == 0)
		CHECK(rc == 0 || rc == DFUSE_ENOMEM);
	if (rc == 0)
		check_same(first, strict);

	/* write(read(write(x))) == write(x) */
	rc = dfuse_write(&out2, &out2_len, second);
	if (rc == DFUSE_ENOMEM)
		goto out;
	CHECK(rc == 0);
	CHECK(out2_len == out_len && memcmp(out, out2, out_len) == 0);

out:
	dfuse_free(out);
	dfuse_free(out2);
	dfuse_image_free(first);
	dfuse_image_free(second);
	dfuse_image_free(strict);
	dfuse_report_free(r);
	dfuse_report_free(r2);
	free(buf);
	return 0;
}
