/*
 * test_srec.c - Motorola S-record parser (src/lib/in_srec.c).
 *
 * The records below are written out by hand, one per line, each with a
 * comment saying what it is.  Their checksums (one's complement of the
 * byte sum of count, address and data) were computed outside this code
 * base, by hand and re-checked with a five-line Python script; two match
 * the objcopy-written samples/h745-blinky/cm7.srec byte for byte
 * (S7050800029D53) and srec_cat's usual terminator (S9030000FC).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dfuse.h"

/* ======== Helpers ======== */

static dfuse_image *new_image(void)
{
	dfuse_image *img = NULL;

	assert_int_equal(dfuse_image_new(&img), 0);
	assert_int_equal(dfuse_image_add_target(img, 0, "Internal Flash"), 0);
	return img;
}

static int parse(dfuse_image **out, const char *text)
{
	*out = new_image();
	return dfuse_parse_srec(*out, 0, text, strlen(text), NULL);
}

/*
 * The last message; and when it starts "line N: ", dfuse_error_last()->line
 * must say N too (the line given apart for JSON), and the offset unknown.
 */
static const char *msg(void)
{
	const dfuse_error *e = dfuse_error_last();
	unsigned long n;

	if (sscanf(e->message, "line %lu: ", &n) == 1) {
		assert_int_equal(e->line, n);
		assert_int_equal(e->offset, -1);
	}
	return e->message;
}

static void element(dfuse_element_info *e, const dfuse_image *img, size_t i)
{
	assert_int_equal(dfuse_image_get_element(e, img, 0, i), 0);
}

static size_t count(const dfuse_image *img)
{
	dfuse_target_info ti;

	assert_int_equal(dfuse_image_get_target(&ti, img, 0), 0);
	return ti.element_count;
}

/* Parses text that must fail with `code` and exactly `message`. */
static void refuse(const char *text, int code, const char *message)
{
	dfuse_image *img;

	assert_int_equal(parse(&img, text), code);
	assert_string_equal(msg(), message);
	assert_int_equal(count(img), 0);
	dfuse_image_free(img);
}

/* ======== Record types ======== */

static void test_srec__s1_with_header_count_and_s9(void **state)
{
	static const char text[] =
		"S00600004844521B\n"   /* S0: header "HDR" */
		"S1071000AABBCCDDDA\n" /* S1: AA BB CC DD at 0x1000 */
		"S1071004112233443A\n" /* S1: 11 22 33 44 at 0x1004 */
		"S5030002FA\n"	       /* S5: 2 data records */
		"S9031000EC\n";	       /* S9: entry 0x1000 */
	dfuse_image *img;
	dfuse_element_info e;
	uint32_t entry = 0;

	(void)state;
	assert_int_equal(parse(&img, text), 0);
	assert_int_equal(count(img), 1);
	element(&e, img, 0);
	assert_int_equal(e.address, 0x1000);
	assert_int_equal(e.size, 8);
	assert_memory_equal(e.data, "\xAA\xBB\xCC\xDD\x11\x22\x33\x44", 8);
	assert_int_equal(dfuse_image_get_entry(&entry, img), 1);
	assert_int_equal(entry, 0x1000);
	dfuse_image_free(img);
}

static void test_srec__s2_with_s6_and_s8(void **state)
{
	static const char text[] =
		"S20712345601020356\n" /* S2: 01 02 03 at 0x123456 */
		"S604000001FA\n"       /* S6: 1 data record */
		"S8041234565F\n";      /* S8: entry 0x123456 */
	dfuse_image *img;
	dfuse_element_info e;
	uint32_t entry = 0;

	(void)state;
	assert_int_equal(parse(&img, text), 0);
	element(&e, img, 0);
	assert_int_equal(e.address, 0x123456);
	assert_int_equal(e.size, 3);
	assert_memory_equal(e.data, "\x01\x02\x03", 3);
	assert_int_equal(dfuse_image_get_entry(&entry, img), 1);
	assert_int_equal(entry, 0x123456);
	dfuse_image_free(img);
}

static void test_srec__s3_with_s7(void **state)
{
	static const char text[] =
		"S31508000000000102030405060708090A0B0C0D0E0F6A\n" /* S3: 16 */
		"S30908000010DEADBEEFA6\n" /* S3: DE AD BE EF at 0x08000010 */
		"S7050800029D53\n";	   /* S7: entry 0x0800029D */
	dfuse_image *img;
	dfuse_element_info e;
	uint32_t entry = 0;
	size_t i;

	(void)state;
	assert_int_equal(parse(&img, text), 0);
	assert_int_equal(count(img), 1);
	element(&e, img, 0);
	assert_int_equal(e.address, 0x08000000);
	assert_int_equal(e.size, 20);
	for (i = 0; i < 16; i++)
		assert_int_equal(e.data[i], i);
	assert_memory_equal(e.data + 16, "\xDE\xAD\xBE\xEF", 4);
	assert_int_equal(dfuse_image_get_entry(&entry, img), 1);
	assert_int_equal(entry, 0x0800029D);
	dfuse_image_free(img);
}

static void test_srec__terminator_optional(void **state)
{
	static const char text[] = "S30908000010DEADBEEFA6\n"; /* S3 only */
	dfuse_image *img;
	uint32_t entry;

	(void)state;
	assert_int_equal(parse(&img, text), 0);
	assert_int_equal(count(img), 1);
	assert_int_equal(dfuse_image_get_entry(&entry, img), 0);
	dfuse_image_free(img);
}

/* srec_cat writes S9 0000 when it knows no entry: recorded as given. */
static void test_srec__s9_zero_entry(void **state)
{
	static const char text[] = "S1071000AABBCCDDDA\n" /* S1 */
				   "S9030000FC\n";	  /* S9: entry 0 */
	dfuse_image *img;
	uint32_t entry = 1;

	(void)state;
	assert_int_equal(parse(&img, text), 0);
	assert_int_equal(dfuse_image_get_entry(&entry, img), 1);
	assert_int_equal(entry, 0);
	dfuse_image_free(img);
}

static void test_srec__header_only(void **state)
{
	static const char text[] = "S00600004844521B\n"; /* S0 "HDR" */
	dfuse_image *img;

	(void)state;
	assert_int_equal(parse(&img, text), 0);
	assert_int_equal(count(img), 0);
	dfuse_image_free(img);
}

static void test_srec__crlf_lowercase_blank(void **state)
{
	static const char text[] = "\xEF\xBB\xBF"	       /* BOM */
				   "s00600004844521b\r\n"      /* s0 */
				   "\r\n"		       /* blank */
				   " S1071000aabbccddda\t\r\n" /* S1 */
				   "S9031000ec\r\n"	       /* S9 */
				   "\r\n";		       /* blank */
	dfuse_image *img;
	dfuse_element_info e;

	(void)state;
	assert_int_equal(parse(&img, text), 0);
	element(&e, img, 0);
	assert_int_equal(e.address, 0x1000);
	assert_memory_equal(e.data, "\xAA\xBB\xCC\xDD", 4);
	dfuse_image_free(img);
}

static void test_srec__not_nul_terminated(void **state)
{
	static const char text[] = "S1071000AABBCCDDDA\n" /* S1 */
				   "S9031000EC";	  /* S9, no LF */
	dfuse_image *img = new_image();
	size_t len = sizeof(text) - 1;
	char *copy = malloc(len);

	(void)state;
	assert_non_null(copy);
	memcpy(copy, text, len);
	assert_int_equal(dfuse_parse_srec(img, 0, copy, len, NULL), 0);
	assert_int_equal(count(img), 1);
	dfuse_image_free(img);
	img = new_image();
	assert_int_equal(dfuse_parse_srec(img, 0, copy, len - 1, NULL),
			 DFUSE_EFORMAT);
	assert_string_equal(msg(), "line 2: odd number of hex digits (7) "
				   "after the record type");
	free(copy);
	dfuse_image_free(img);
}

/* ======== Errors ======== */

static void test_srec__s5_count_mismatch(void **state)
{
	(void)state;
	refuse("S1071000AABBCCDDDA\n" /* S1 */
	       "S1071004112233443A\n" /* S1 */
	       "S5030003F9\n"	      /* S5: says 3 */
	       "S9031000EC\n",	      /* S9 */
	       DFUSE_EFORMAT,
	       "line 3: S5 record count is 3, but 2 data records (S1-S3) "
	       "come before it");
}

static void test_srec__s4_refused(void **state)
{
	(void)state;
	refuse("S1071000AABBCCDDDA\n" /* S1 */
	       "S4030000FC\n",	      /* S4: reserved */
	       DFUSE_EFORMAT, "line 2: record type S4 is reserved");
}

static void test_srec__bad_checksum(void **state)
{
	(void)state;
	refuse("S00600004844521B\n"   /* S0 */
	       "S1071000AABBCCDDDA\n" /* S1 */
	       "S1071004112233443B\n" /* S1: right checksum is 3A */
	       "S9031000EC\n",	      /* S9 */
	       DFUSE_ECRC, "line 3: checksum is 0x3b, expected 0x3a");
}

static void test_srec__count_mismatch(void **state)
{
	(void)state;
	refuse("S1081000AABBCCDDDA\n", /* S1: count 8, 7 bytes follow */
	       DFUSE_EFORMAT,
	       "line 1: byte count 8 but the line holds 7 bytes after it");
}

static void test_srec__count_too_small(void **state)
{
	(void)state;
	refuse("S1020000\n", /* S1: count 2, no room for a checksum */
	       DFUSE_EFORMAT,
	       "line 1: byte count 2 is too small for an S1 record, which "
	       "needs at least 3 (2 address bytes and the checksum)");
}

static void test_srec__data_in_count_record(void **state)
{
	(void)state;
	refuse("S1071000AABBCCDDDA\n" /* S1 */
	       "S504000201F8\n",      /* S5 with a data byte */
	       DFUSE_EFORMAT,
	       "line 2: S5 record holds 1 data bytes, expected none");
}

static void test_srec__header_not_first(void **state)
{
	(void)state;
	refuse("\n"		      /* blank */
	       "S1071000AABBCCDDDA\n" /* S1 */
	       "S00600004844521B\n",  /* S0 after data */
	       DFUSE_EFORMAT,
	       "line 3: header record S0 must be the first record, but line "
	       "2 holds one already");
}

static void test_srec__content_after_terminator(void **state)
{
	(void)state;
	refuse("S1071000AABBCCDDDA\n"  /* S1 */
	       "S9031000EC\n"	       /* S9 */
	       "\n"		       /* blank: fine */
	       "S1071004112233443A\n", /* S1 after the end */
	       DFUSE_EFORMAT,
	       "line 4: content after the terminating record on line 2");
}

static void test_srec__syntax(void **state)
{
	static const char nul[] = "S10710\0"
				  "0AABBCCDDDA\n"; /* NUL */
	dfuse_image *img = new_image();

	(void)state;
	refuse("S1071000AABBCXDDDA\n", /* 'X' in column 14 */
	       DFUSE_EFORMAT, "line 1: column 14: 'X' is not a hex digit");
	refuse("S1071000AABBCCDDD\n", /* a digit short */
	       DFUSE_EFORMAT,
	       "line 1: odd number of hex digits (15) after the record type");
	refuse(":1071000AABBCCDDDA\n", /* no 'S' */
	       DFUSE_EFORMAT,
	       "line 1: expected 'S' at the start of a record, found ':'");
	refuse("SX071000AABBCCDDDA\n", /* type 'X' */
	       DFUSE_EFORMAT,
	       "line 1: expected a record type 0-9 after 'S', found 'X'");
	refuse("S\n", /* type missing */
	       DFUSE_EFORMAT,
	       "line 1: expected a record type 0-9 after 'S', found the end "
	       "of the line");
	refuse("S1\n", /* nothing after the type */
	       DFUSE_EFORMAT, "line 1: record has no byte count");
	assert_int_equal(dfuse_parse_srec(img, 0, nul, sizeof(nul) - 1, NULL),
			 DFUSE_EFORMAT);
	assert_string_equal(msg(),
			    "line 1: column 7: byte 0x00 is not a hex digit");
	dfuse_image_free(img);
}

static void test_srec__empty_input(void **state)
{
	dfuse_image *img = new_image();

	(void)state;
	assert_int_equal(dfuse_parse_srec(img, 0, NULL, 0, NULL),
			 DFUSE_EFORMAT);
	assert_string_equal(msg(), "line 1: no S-records in the input");
	assert_int_equal(dfuse_parse_srec(img, 0, "\r\n\n\n", 4, NULL),
			 DFUSE_EFORMAT);
	assert_string_equal(msg(), "line 3: no S-records in the input");
	dfuse_image_free(img);
}

/* ======== Addresses and overlap ======== */

static void test_srec__past_4gib(void **state)
{
	(void)state;
	refuse("S30DFFFFFFFC0101010101010101F1\n", /* S3: 8 at 0xFFFFFFFC */
	       DFUSE_ERANGE,
	       "line 1: 8 bytes at 0xfffffffc run past the end of the 32-bit "
	       "address space");
}

static void test_srec__sparse_and_sorted(void **state)
{
	static const char text[] =
		"S315FFFFFFF0EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE1D\n" /* top 16 */
		"S30908000010DEADBEEFA6\n" /* S3: 4 at 0x08000010 */
		"S3150000000011111111111111111111111111111111DA\n"; /* @0 */
	dfuse_input_options o = DFUSE_INPUT_OPTIONS_INIT;
	dfuse_image *img = new_image();
	dfuse_element_info e;

	(void)state;
	o.max_size = 1024;
	assert_int_equal(dfuse_parse_srec(img, 0, text, strlen(text), &o), 0);
	assert_int_equal(count(img), 3);
	element(&e, img, 0);
	assert_int_equal(e.address, 0);
	assert_int_equal(e.data[0], 0x11);
	element(&e, img, 1);
	assert_int_equal(e.address, 0x08000010);
	element(&e, img, 2);
	assert_int_equal(e.address, 0xFFFFFFF0);
	assert_int_equal(e.size, 16);
	dfuse_image_free(img);
}

static void test_srec__overlap(void **state)
{
	static const char same[] =
		"S31508000000000102030405060708090A0B0C0D0E0F6A\n" /* S3: 16 */
		"S3090800000808090A0BC0\n"; /* S3: 08 09 0A 0B at 0x08000008 */
	dfuse_image *img;

	(void)state;
	assert_int_equal(parse(&img, same), 0);
	assert_int_equal(count(img), 1);
	dfuse_image_free(img);
	refuse("S31508000000000102030405060708090A0B0C0D0E0F6A\n" /* S3 */
	       "S30908000010DEADBEEFA6\n"  /* S3: 4 at 0x08000010 */
	       "S309080000080809550B75\n", /* S3: 08 09 55 0B at 0x08000008 */
	       DFUSE_EOVERLAP,
	       "line 3: record at 0x08000008 writes 0x55 at 0x0800000a, but "
	       "line 1 already wrote 0x0a there");
}

static void test_srec__input_limit(void **state)
{
	static const char text[] = "S1071000AABBCCDDDA\n"; /* S1, 19 bytes */
	dfuse_input_options o = DFUSE_INPUT_OPTIONS_INIT;
	dfuse_image *img = new_image();
	dfuse_element_info e;

	(void)state;
	o.max_size = 18;
	assert_int_equal(dfuse_parse_srec(img, 0, text, strlen(text), &o),
			 DFUSE_ETOOBIG);
	assert_string_equal(msg(), "input is 19 bytes, over the input limit "
				   "of 18 bytes (max_size)");
	o.max_size = 19;
	o.core = DFUSE_CORE_CM7;
	o.source = "cm7.srec";
	assert_int_equal(dfuse_parse_srec(img, 0, text, strlen(text), &o), 0);
	element(&e, img, 0);
	assert_int_equal(e.core, DFUSE_CORE_CM7);
	assert_string_equal(e.source, "cm7.srec");
	dfuse_image_free(img);
}

static void test_srec__bad_arguments(void **state)
{
	dfuse_image *img = new_image();

	(void)state;
	assert_int_equal(dfuse_parse_srec(img, 3, "S9030000FC", 10, NULL),
			 DFUSE_EINVAL);
	assert_string_equal(msg(), "target 3 does not exist (1 targets)");
	assert_int_equal(dfuse_parse_srec(img, 0, NULL, 1, NULL), DFUSE_EINVAL);
	assert_int_equal(dfuse_parse_srec(NULL, 0, "", 0, NULL), DFUSE_EINVAL);
	dfuse_image_free(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_srec__s1_with_header_count_and_s9),
		cmocka_unit_test(test_srec__s2_with_s6_and_s8),
		cmocka_unit_test(test_srec__s3_with_s7),
		cmocka_unit_test(test_srec__terminator_optional),
		cmocka_unit_test(test_srec__s9_zero_entry),
		cmocka_unit_test(test_srec__header_only),
		cmocka_unit_test(test_srec__crlf_lowercase_blank),
		cmocka_unit_test(test_srec__not_nul_terminated),
		cmocka_unit_test(test_srec__s5_count_mismatch),
		cmocka_unit_test(test_srec__s4_refused),
		cmocka_unit_test(test_srec__bad_checksum),
		cmocka_unit_test(test_srec__count_mismatch),
		cmocka_unit_test(test_srec__count_too_small),
		cmocka_unit_test(test_srec__data_in_count_record),
		cmocka_unit_test(test_srec__header_not_first),
		cmocka_unit_test(test_srec__content_after_terminator),
		cmocka_unit_test(test_srec__syntax),
		cmocka_unit_test(test_srec__empty_input),
		cmocka_unit_test(test_srec__past_4gib),
		cmocka_unit_test(test_srec__sparse_and_sorted),
		cmocka_unit_test(test_srec__overlap),
		cmocka_unit_test(test_srec__input_limit),
		cmocka_unit_test(test_srec__bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
