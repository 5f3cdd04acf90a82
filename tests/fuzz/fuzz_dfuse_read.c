/*
 * fuzz_dfuse_read.c - libFuzzer target for dfuse_read() (doc/sources.md,
 * Architecture).
 *
 * The input is copied into an exact-size allocation so that ASan catches
 * any over-read (libusb).  If its first byte has the high bit set, that
 * bit is cleared (a DfuSe file starts with 'D', 0x44) and the suffix CRC
 * is recomputed and patched, so the fuzzer gets past the checksum
 * (libgit2's midx trick).  The buffer is then read leniently, strictly and
 * handed over (dfuse_read_owned, whose elements point into the buffer),
 * and the three results are checked against each other and against the
 * input bytes: any disagreement aborts.
 *
 * The verdict property (check_verdict): from the raw bytes and the
 * model's target prefix offsets and element offsets and sizes alone, this
 * file works out whether a byte in [11, size - 16) belongs to no target
 * prefix and no element, whether a count (bTargets, a dwNbElements)
 * disagrees with what was read, and whether dwCRC is wrong.  Whenever one
 * of them holds, the report must hold an error.  And the error count of
 * the report equals the number of error findings it lists: no cap may
 * change a count.
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
			fprintf(stderr, "fuzz_dfuse_read: %s:%d: %s\n",        \
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

/* Every finding is well formed; offsets lie inside the file. */
static void check_report(const dfuse_report *r, size_t size)
{
	const size_t n = dfuse_report_count(r);
	dfuse_finding f;
	size_t i;

	for (i = 0; i < n; i++) {
		CHECK(dfuse_report_get(&f, r, i) == 0);
		CHECK(f.code != NULL && f.message != NULL);
		CHECK(f.message[0] != '\0');
		CHECK(f.severity >= DFUSE_SEV_NOTE &&
		      f.severity <= DFUSE_SEV_ERROR);
		CHECK(f.offset >= -1 && f.offset <= (int64_t)size);
		CHECK(f.target >= -1 && f.element >= -1);
	}
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void own(uint8_t *owned, size_t size, uint64_t from, uint64_t len)
{
	uint64_t i;

	for (i = from; i < from + len && i < size; i++)
		owned[i] = 1;
}

/* Dropped or invented data, or a wrong CRC, is an error; error counts are
 * exact. */
static void check_verdict(const dfuse_image *img, const dfuse_report *r,
			  const uint8_t *buf, size_t size)
{
	const size_t nt = dfuse_image_count_targets(img);
	const size_t n = dfuse_report_count(r);
	uint8_t *owned;
	dfuse_target_info t;
	dfuse_element_info e;
	dfuse_finding f;
	size_t i, j, errors = 0;
	int must = 0;

	for (i = 0; i < n; i++) {
		CHECK(dfuse_report_get(&f, r, i) == 0);
		errors += f.severity == DFUSE_SEV_ERROR;
	}
	CHECK(dfuse_report_count_at_least(r, DFUSE_SEV_ERROR) == errors);
	if (size < 27)
		return;
	owned = calloc(1, size);
	if (owned == NULL)
		return;
	for (i = 0; i < nt; i++) {
		CHECK(dfuse_image_get_target(&t, img, i) == 0);
		own(owned, size, (uint64_t)t.offset, 274);
		if (t.element_count != t.declared_elements)
			must = 1; /* dwNbElements disagrees */
		for (j = 0; j < t.element_count; j++) {
			CHECK(dfuse_image_get_element(&e, img, i, j) == 0);
			own(owned, size, (uint64_t)e.offset - 8, 8 + e.size);
		}
	}
	for (i = 11; i < size - 16; i++)
		if (!owned[i])
			must = 1; /* a byte belongs to nothing */
	free(owned);
	if (nt != buf[10])
		must = 1; /* bTargets disagrees */
	if (le32(buf + size - 4) != dfuse_crc(buf, size - 4))
		must = 1;
	if (must && errors == 0) {
		for (i = 0; i < n; i++) {
			dfuse_report_get(&f, r, i);
			fprintf(stderr, "  %s %s: %s\n",
				dfuse_severity_name(f.severity), f.code,
				f.message);
		}
	}
	CHECK(!must || errors > 0);
}

/* Element data is the file's bytes at the recorded offset. */
static void check_model(const dfuse_image *img, const uint8_t *buf, size_t size,
			int with_data)
{
	const size_t nt = dfuse_image_count_targets(img);
	dfuse_target_info t;
	dfuse_element_info e;
	size_t i, j;

	CHECK(nt <= 255);
	for (i = 0; i < nt; i++) {
		CHECK(dfuse_image_get_target(&t, img, i) == 0);
		CHECK(t.offset >= 11 && (uint64_t)t.offset + 274 <= size);
		for (j = 0; j < t.element_count; j++) {
			CHECK(dfuse_image_get_element(&e, img, i, j) == 0);
			CHECK(e.offset >= 8 &&
			      (uint64_t)e.offset + e.size <= size);
			if (with_data) {
				CHECK(e.data != NULL);
				CHECK(memcmp(e.data, buf + e.offset, e.size) ==
				      0);
			} else {
				CHECK(e.data == NULL);
			}
		}
	}
}

/* Same targets and elements (addresses, sizes, offsets). */
static void check_same_shape(const dfuse_image *a, const dfuse_image *b)
{
	const size_t nt = dfuse_image_count_targets(a);
	dfuse_target_info ta, tb;
	dfuse_element_info ea, eb;
	size_t i, j;

	CHECK(dfuse_image_count_targets(b) == nt);
	for (i = 0; i < nt; i++) {
		CHECK(dfuse_image_get_target(&ta, a, i) == 0);
		CHECK(dfuse_image_get_target(&tb, b, i) == 0);
		CHECK(ta.alt == tb.alt && ta.named == tb.named);
		CHECK(memcmp(ta.name_raw, tb.name_raw, 255) == 0);
		CHECK(ta.element_count == tb.element_count);
		CHECK(ta.offset == tb.offset);
		for (j = 0; j < ta.element_count; j++) {
			CHECK(dfuse_image_get_element(&ea, a, i, j) == 0);
			CHECK(dfuse_image_get_element(&eb, b, i, j) == 0);
			CHECK(ea.address == eb.address && ea.size == eb.size);
			CHECK(ea.offset == eb.offset);
		}
	}
}

/*
 * The device checks run on whatever the reader built, copied or handed
 * over (the CLI's way): they never fail, and both find the same number of
 * things.
 */
static void check_rules(const dfuse_image *with, const dfuse_image *without)
{
	dfuse_check_options c = DFUSE_CHECK_OPTIONS_INIT;
	dfuse_report *a = NULL, *b = NULL;
	int rc;

	rc = dfuse_check(&a, with, &c);
	if (rc == DFUSE_ENOMEM)
		return;
	CHECK(rc == 0 && a != NULL);
	rc = dfuse_check(&b, without, &c);
	if (rc == 0) {
		CHECK(dfuse_report_count(a) == dfuse_report_count(b));
		dfuse_report_free(b);
	}
	dfuse_report_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dfuse_read_options o = DFUSE_READ_OPTIONS_INIT;
	dfuse_image *lenient = NULL, *strict = NULL, *nodata = NULL;
	dfuse_report *r = NULL, *r2 = NULL;
	uint8_t *buf = malloc(size > 0 ? size : 1);
	size_t bad;
	int rc;

	if (buf == NULL)
		return 0;
	if (size > 0)
		memcpy(buf, data, size);
	if (size > 0 && (buf[0] & 0x80) != 0) {
		buf[0] &= 0x7f;
		patch_crc(buf, size);
	}

	rc = dfuse_read(&lenient, &r, buf, size, &o);
	if (rc == DFUSE_ENOMEM)
		goto out;
	CHECK(rc == 0 && lenient != NULL && r != NULL);
	check_report(r, size);
	check_model(lenient, buf, size, 1);
	check_verdict(lenient, r, buf, size);
	bad = dfuse_report_count_at_least(r, DFUSE_SEV_WARNING);

	o.flags = DFUSE_READ_STRICT;
	rc = dfuse_read(&strict, &r2, buf, size, &o);
	if (bad == 0) {
		CHECK(rc == 0 && strict != NULL);
		check_same_shape(lenient, strict);
	} else {
		CHECK(rc == DFUSE_EFORMAT || rc == DFUSE_ECRC ||
		      rc == DFUSE_ENOMEM);
		CHECK(strict == NULL && r2 == NULL);
		CHECK(dfuse_error_last()->message[0] != '\0');
	}

	o.flags = 0;
	{
		uint8_t *own = malloc(size > 0 ? size : 1);

		if (own == NULL)
			goto out;
		if (size > 0)
			memcpy(own, buf, size);
		rc = dfuse_read_owned(&nodata, NULL, own, size, &o);
	}
	if (rc == 0) {
		check_model(nodata, buf, size, 1);
		check_same_shape(lenient, nodata);
		check_rules(lenient, nodata);
	} else {
		CHECK(rc == DFUSE_ENOMEM);
	}

out:
	dfuse_image_free(lenient);
	dfuse_image_free(strict);
	dfuse_image_free(nodata);
	dfuse_report_free(r);
	dfuse_report_free(r2);
	free(buf);
	return 0;
}
