/*
 * test_out_bin.c - the raw binary writer (out_bin.c): contiguous elements
 * joined, a gap refused with its size and the size filling would give,
 * DFUSE_WRITE_FILL, and elements in file order.
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

static dfuse_image *two_runs(uint32_t a, size_t alen, uint32_t b, size_t blen)
{
	dfuse_image *img = NULL;
	uint8_t d[64];

	memset(d, 0x11, sizeof(d));
	assert_int_equal(dfuse_image_new(&img), 0);
	assert_int_equal(dfuse_image_add_target(img, 0, NULL), 0);
	assert_int_equal(dfuse_image_add_data(img, 0, a, d, alen, NULL), 0);
	memset(d, 0x22, sizeof(d));
	assert_int_equal(dfuse_image_add_data(img, 0, b, d, blen, NULL), 0);
	return img;
}

static void test_out_bin__touching_elements(void **state)
{
	static const uint8_t want[6] = {0x11, 0x11, 0x11, 0x11, 0x22, 0x22};
	dfuse_write_options o = DFUSE_WRITE_OPTIONS_INIT;
	/* 0x08000000-0x08000003 and 0x08000004-0x08000005: no gap */
	dfuse_image *img = two_runs(0x08000000, 4, 0x08000004, 2);
	void *buf = NULL;
	size_t len = 0;

	(void)state;
	o.format = DFUSE_FORMAT_BIN;
	assert_int_equal(dfuse_write_as(&buf, &len, img, &o), 0);
	assert_int_equal(len, 6);
	assert_memory_equal(buf, want, 6);
	dfuse_free(buf);
	dfuse_image_free(img);
}

static void test_out_bin__gap_refused_then_filled(void **state)
{
	static const uint8_t want[8] = {0x11, 0x11, 0xA5, 0xA5,
					0xA5, 0xA5, 0x22, 0x22};
	dfuse_write_options o = DFUSE_WRITE_OPTIONS_INIT;
	/* 2 bytes at 0x100, a 4-byte gap, 2 bytes at 0x106 */
	dfuse_image *img = two_runs(0x100, 2, 0x106, 2);
	void *buf = NULL;
	size_t len = 0;

	(void)state;
	o.format = DFUSE_FORMAT_BIN;
	assert_int_equal(dfuse_write_as(&buf, &len, img, &o), DFUSE_ERANGE);
	assert_null(buf);
	assert_non_null(strstr(dfuse_error_last()->message,
			       "gap at 0x00000102-0x00000105 (4 bytes)"));
	assert_non_null(strstr(dfuse_error_last()->message,
			       "would be 8 bytes (0x00000100-0x00000107)"));
	o.flags = DFUSE_WRITE_FILL;
	o.fill = 0xA5;
	assert_int_equal(dfuse_write_as(&buf, &len, img, &o), 0);
	assert_int_equal(len, 8);
	assert_memory_equal(buf, want, 8);
	dfuse_free(buf);
	dfuse_image_free(img);
}

static void test_out_bin__counts_the_gaps(void **state)
{
	static const uint8_t d[1] = {0};
	dfuse_write_options o = DFUSE_WRITE_OPTIONS_INIT;
	dfuse_image *img = two_runs(0x08000000, 1, 0x08100000, 1);
	void *buf = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(dfuse_image_add_data(img, 0, 0x08200000, d, 1, NULL),
			 0);
	o.format = DFUSE_FORMAT_BIN;
	assert_int_equal(dfuse_write_as(&buf, &len, img, &o), DFUSE_ERANGE);
	assert_non_null(strstr(dfuse_error_last()->message,
			       "gap at 0x08000001-0x080fffff (1048575 bytes) "
			       "and 1 more gap,"));
	/* 2 MiB + 1 from the first byte to the last */
	assert_non_null(
		strstr(dfuse_error_last()->message, "would be 2097153 bytes"));
	dfuse_image_free(img);
}

static void test_out_bin__file_order(void **state)
{
	static const uint8_t want[3] = {0xB0, 0xA0, 0xA1};
	dfuse_write_options o = DFUSE_WRITE_OPTIONS_INIT;
	dfuse_image *img = NULL;
	uint8_t *a = malloc(2), *b = malloc(1);
	void *buf = NULL;
	size_t len = 0;

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	a[0] = 0xA0;
	a[1] = 0xA1;
	b[0] = 0xB0;
	assert_int_equal(dfuse_image_new(&img), 0);
	assert_int_equal(dfuse_image_add_target(img, 0, NULL), 0);
	/* as a file may hold them: 0x11 first, then 0x10 */
	assert_int_equal(dfuse__image_push_element(img, 0, 0x11, 2, a, -1), 0);
	assert_int_equal(dfuse__image_push_element(img, 0, 0x10, 1, b, -1), 0);
	o.format = DFUSE_FORMAT_BIN;
	assert_int_equal(dfuse_write_as(&buf, &len, img, &o), 0);
	assert_int_equal(len, 3);
	assert_memory_equal(buf, want, 3);
	dfuse_free(buf);
	dfuse_image_free(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_out_bin__touching_elements),
		cmocka_unit_test(test_out_bin__gap_refused_then_filled),
		cmocka_unit_test(test_out_bin__counts_the_gaps),
		cmocka_unit_test(test_out_bin__file_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
