/*
 * test_out_text.c - the Intel HEX and S-record writers (out_ihex.c,
 * out_srec.c) against text written out by hand here.  Each expected record
 * was worked out from the format's definition (the field split is in the
 * comment beside it), not produced by our writer; srec_cat writes the same
 * bytes for the records it shares (":020000040800F2", "S5030001FB").
 * Round trips through our parsers come in addition.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dfuse.h"
#include "image.h"

/* the golden vector's table (doc/sources.md): SP 0x20020000, reset
 * 0x08000299 */
static const uint8_t vectors[8] = {0x00, 0x00, 0x02, 0x20,
				   0x99, 0x02, 0x00, 0x08};

static dfuse_image *image_with(uint32_t address, const void *data, size_t len)
{
	dfuse_image *img = NULL;

	assert_int_equal(dfuse_image_new(&img), 0);
	assert_int_equal(dfuse_image_add_target(img, 0, "t"), 0);
	if (len > 0)
		assert_int_equal(
			dfuse_image_add_data(img, 0, address, data, len, NULL),
			0);
	return img;
}

/* Writes target 0 in `format`; returns a NUL-terminated copy. */
static char *text_of(const dfuse_image *img, int format)
{
	dfuse_write_options o = DFUSE_WRITE_OPTIONS_INIT;
	void *buf = NULL;
	size_t len = 0;
	char *s;

	o.format = format;
	assert_int_equal(dfuse_write_as(&buf, &len, img, &o), 0);
	s = malloc(len + 1);
	assert_non_null(s);
	memcpy(s, buf, len);
	s[len] = '\0';
	dfuse_free(buf);
	return s;
}

static void expect_text(const dfuse_image *img, int format, const char *want)
{
	char *got = text_of(img, format);

	assert_string_equal(got, want);
	free(got);
}

/* ======== Intel HEX ======== */

static void test_out_text__ihex_vectors_and_entry(void **state)
{
	dfuse_image *img = image_with(0x08000000, vectors, 8);

	(void)state;
	dfuse_image_set_entry(img, 0x08000299);
	expect_text(img, DFUSE_FORMAT_IHEX,
		    /* LL=02 AAAA=0000 TT=04 upper=0800, CC=F2 */
		    ":020000040800F2\n"
		    /* LL=08 AAAA=0000 TT=00 the 8 bytes, CC=33 */
		    ":08000000000002209902000833\n"
		    /* LL=04 TT=05 entry 08000299, CC=54 */
		    ":040000050800029954\n"
		    /* end of file */
		    ":00000001FF\n");
	dfuse_image_free(img);
}

static void test_out_text__ihex_crosses_64k(void **state)
{
	uint8_t d[20];
	dfuse_image *img;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(d); i++)
		d[i] = (uint8_t)i;
	/* 0x0800FFF8..0x0801000B: 8 bytes below the boundary, 12 above */
	img = image_with(0x0800FFF8, d, sizeof(d));
	expect_text(img, DFUSE_FORMAT_IHEX,
		    ":020000040800F2\n"
		    /* 8 bytes at FFF8: the record stops at the boundary */
		    ":08FFF8000001020304050607E5\n"
		    /* the next segment, announced before its data */
		    ":020000040801F1\n"
		    /* 12 bytes at 0000 of segment 0x0801 */
		    ":0C00000008090A0B0C0D0E0F1011121352\n"
		    ":00000001FF\n");
	dfuse_image_free(img);
}

static void test_out_text__ihex_sixteen_per_record(void **state)
{
	uint8_t d[17];
	dfuse_image *img;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(d); i++)
		d[i] = (uint8_t)(0x41 + i); /* "ABCD..." */
	img = image_with(0x100, d, sizeof(d));
	expect_text(img, DFUSE_FORMAT_IHEX,
		    /* upper 0000 is stated too: a reader needs no default */
		    ":020000040000FA\n"
		    ":100100004142434445464748494A4B4C4D4E4F5067\n"
		    ":01011000519D\n"
		    ":00000001FF\n");
	dfuse_image_free(img);
}

static void test_out_text__ihex_top_of_address_space(void **state)
{
	uint8_t d[16];
	dfuse_image *img;

	(void)state;
	memset(d, 0xAA, sizeof(d));
	/* the last 16 bytes below 4 GiB: no wrap in the writer */
	img = image_with(0xFFFFFFF0, d, sizeof(d));
	expect_text(img, DFUSE_FORMAT_IHEX,
		    ":02000004FFFFFC\n"
		    ":10FFF000AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA61\n"
		    ":00000001FF\n");
	dfuse_image_free(img);
}

static void test_out_text__ihex_empty_target(void **state)
{
	dfuse_image *img = image_with(0, NULL, 0);

	(void)state;
	expect_text(img, DFUSE_FORMAT_IHEX, ":00000001FF\n");
	dfuse_image_free(img);
}

/* Elements as a file may hold them, out of address order. */
static void test_out_text__ihex_sorts_file_order(void **state)
{
	dfuse_image *img = NULL;
	uint8_t *a = malloc(1), *b = malloc(1);

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	a[0] = 0x22;
	b[0] = 0x11;
	assert_int_equal(dfuse_image_new(&img), 0);
	assert_int_equal(dfuse_image_add_target(img, 0, NULL), 0);
	/* pushed as a reader does: 0x20001 first, then 0x10000 */
	assert_int_equal(dfuse__image_push_element(img, 0, 0x20001, 1, a, -1),
			 0);
	assert_int_equal(dfuse__image_push_element(img, 0, 0x10000, 1, b, -1),
			 0);
	expect_text(img, DFUSE_FORMAT_IHEX,
		    ":020000040001F9\n"
		    /* 0x10000: 11 */
		    ":0100000011EE\n"
		    ":020000040002F8\n"
		    /* 0x20001: 22 */
		    ":0100010022DC\n"
		    ":00000001FF\n");
	dfuse_image_free(img);
}

static void test_out_text__overlap_refused(void **state)
{
	dfuse_write_options o = DFUSE_WRITE_OPTIONS_INIT;
	dfuse_image *img = NULL;
	uint8_t *a = calloc(1, 16), *b = calloc(1, 16);
	void *buf = NULL;
	size_t len = 0;

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(dfuse_image_new(&img), 0);
	assert_int_equal(dfuse_image_add_target(img, 0, NULL), 0);
	assert_int_equal(dfuse__image_push_element(img, 0, 0x100, 16, a, -1),
			 0);
	assert_int_equal(dfuse__image_push_element(img, 0, 0x108, 16, b, -1),
			 0);
	o.format = DFUSE_FORMAT_IHEX;
	assert_int_equal(dfuse_write_as(&buf, &len, img, &o), DFUSE_EOVERLAP);
	assert_non_null(strstr(dfuse_error_last()->message,
			       "elements 0 and 1 overlap at "
			       "0x00000108-0x0000010f"));
	assert_null(buf);
	o.format = DFUSE_FORMAT_SREC;
	assert_int_equal(dfuse_write_as(&buf, &len, img, &o), DFUSE_EOVERLAP);
	o.format = DFUSE_FORMAT_ELF;
	assert_int_equal(dfuse_write_as(&buf, &len, img, &o), DFUSE_EINVAL);
	assert_non_null(strstr(dfuse_error_last()->message, "elf"));
	o.format = DFUSE_FORMAT_IHEX;
	o.target = 1;
	assert_int_equal(dfuse_write_as(&buf, &len, img, &o), DFUSE_EINVAL);
	assert_non_null(strstr(dfuse_error_last()->message, "target 1"));
	dfuse_image_free(img);
}

/* ======== S-record ======== */

static void test_out_text__srec_s3_with_entry(void **state)
{
	dfuse_image *img = image_with(0x08000000, vectors, 8);

	(void)state;
	dfuse_image_set_entry(img, 0x08000299);
	expect_text(img, DFUSE_FORMAT_SREC,
		    /* S0, count 03, address 0000, no text, CC FC */
		    "S0030000FC\n"
		    /* S3, count 0D = 4 + 8 + 1, address 08000000 */
		    "S30D08000000000002209902000825\n"
		    /* S5: one data record */
		    "S5030001FB\n"
		    /* S7: the entry point 08000299 */
		    "S7050800029957\n");
	dfuse_image_free(img);
}

static void test_out_text__srec_no_entry_no_terminator(void **state)
{
	static const uint8_t d[3] = {1, 2, 3};
	dfuse_image *img = image_with(0x1000, d, 3);

	(void)state;
	/* 16-bit addresses: S1; without an entry point, no S9 */
	expect_text(img, DFUSE_FORMAT_SREC,
		    "S0030000FC\n"
		    "S1061000010203E3\n"
		    "S5030001FB\n");
	/* an entry point at 0 is one, and is kept */
	dfuse_image_set_entry(img, 0);
	expect_text(img, DFUSE_FORMAT_SREC,
		    "S0030000FC\n"
		    "S1061000010203E3\n"
		    "S5030001FB\n"
		    "S9030000FC\n");
	dfuse_image_free(img);
}

static void test_out_text__srec_s2_from_the_entry(void **state)
{
	static const uint8_t d[2] = {0xAB, 0xAB};
	dfuse_image *img = image_with(0x10000, d, 2);

	(void)state;
	dfuse_image_set_entry(img, 0x10001);
	expect_text(img, DFUSE_FORMAT_SREC,
		    "S0030000FC\n"
		    /* 24-bit address 010000 */
		    "S206010000ABABA2\n"
		    "S5030001FB\n"
		    "S804010001F9\n");
	dfuse_image_free(img);
}

static void test_out_text__srec_count_past_65535(void **state)
{
	/* 65536 records of 16 bytes: the count needs S6 */
	const size_t n = (size_t)65536 * 16;
	uint8_t *d = calloc(1, n);
	dfuse_image *img;
	char *got;
	size_t len;

	(void)state;
	assert_non_null(d);
	img = image_with(0, d, n);
	got = text_of(img, DFUSE_FORMAT_SREC);
	len = strlen(got);
	/* the last record: S6, count 04, 010000 records, CC FA */
	assert_true(len > 14);
	assert_string_equal(got + len - 14, "\nS604010000FA\n");
	free(got);
	free(d);
	dfuse_image_free(img);
}

/* ======== Round trips through our parsers ======== */

static void roundtrip(int format)
{
	dfuse_write_options o = DFUSE_WRITE_OPTIONS_INIT;
	dfuse_input_options io = DFUSE_INPUT_OPTIONS_INIT;
	dfuse_image *a = NULL, *b = NULL;
	uint8_t d1[1000], d2[77];
	dfuse_element_info x, y;
	dfuse_target_info ta, tb;
	uint32_t ea = 0, eb = 0;
	void *buf = NULL;
	size_t len = 0, i;

	for (i = 0; i < sizeof(d1); i++)
		d1[i] = (uint8_t)(i * 7);
	for (i = 0; i < sizeof(d2); i++)
		d2[i] = (uint8_t)(255 - i);
	a = image_with(0x0800FF00, d1, sizeof(d1));
	assert_int_equal(
		dfuse_image_add_data(a, 0, 0x08100003, d2, sizeof(d2), NULL),
		0);
	dfuse_image_set_entry(a, 0x08000299);
	o.format = format;
	assert_int_equal(dfuse_write_as(&buf, &len, a, &o), 0);
	b = image_with(0, NULL, 0);
	if (format == DFUSE_FORMAT_IHEX)
		assert_int_equal(dfuse_parse_ihex(b, 0, buf, len, &io), 0);
	else
		assert_int_equal(dfuse_parse_srec(b, 0, buf, len, &io), 0);
	assert_int_equal(dfuse_image_get_target(&ta, a, 0), 0);
	assert_int_equal(dfuse_image_get_target(&tb, b, 0), 0);
	assert_int_equal(ta.element_count, tb.element_count);
	for (i = 0; i < ta.element_count; i++) {
		assert_int_equal(dfuse_image_get_element(&x, a, 0, i), 0);
		assert_int_equal(dfuse_image_get_element(&y, b, 0, i), 0);
		assert_int_equal(x.address, y.address);
		assert_int_equal(x.size, y.size);
		assert_memory_equal(x.data, y.data, x.size);
	}
	assert_int_equal(dfuse_image_get_entry(&ea, a), 1);
	assert_int_equal(dfuse_image_get_entry(&eb, b), 1);
	assert_int_equal(ea, eb);
	dfuse_free(buf);
	dfuse_image_free(a);
	dfuse_image_free(b);
}

static void test_out_text__ihex_roundtrip(void **state)
{
	(void)state;
	roundtrip(DFUSE_FORMAT_IHEX);
}

static void test_out_text__srec_roundtrip(void **state)
{
	(void)state;
	roundtrip(DFUSE_FORMAT_SREC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_out_text__ihex_vectors_and_entry),
		cmocka_unit_test(test_out_text__ihex_crosses_64k),
		cmocka_unit_test(test_out_text__ihex_sixteen_per_record),
		cmocka_unit_test(test_out_text__ihex_top_of_address_space),
		cmocka_unit_test(test_out_text__ihex_empty_target),
		cmocka_unit_test(test_out_text__ihex_sorts_file_order),
		cmocka_unit_test(test_out_text__overlap_refused),
		cmocka_unit_test(test_out_text__srec_s3_with_entry),
		cmocka_unit_test(test_out_text__srec_no_entry_no_terminator),
		cmocka_unit_test(test_out_text__srec_s2_from_the_entry),
		cmocka_unit_test(test_out_text__srec_count_past_65535),
		cmocka_unit_test(test_out_text__ihex_roundtrip),
		cmocka_unit_test(test_out_text__srec_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
