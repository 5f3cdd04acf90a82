/*
 * test_image.c - the image model: sorted elements, overlap rules, targets,
 * and flash-word padding/coalescing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dfuse.h"

static dfuse_image *new_image(void)
{
	dfuse_image *img = NULL;

	assert_int_equal(dfuse_image_new(&img), 0);
	assert_int_equal(dfuse_image_add_target(img, 0, "Internal Flash"), 0);
	return img;
}

static dfuse_input_options src(const char *name)
{
	dfuse_input_options o = DFUSE_INPUT_OPTIONS_INIT;

	o.source = name;
	return o;
}

static void elem(dfuse_element_info *e, const dfuse_image *img, size_t i)
{
	assert_int_equal(dfuse_image_get_element(e, img, 0, i), 0);
}

static void test_image__defaults(void **state)
{
	dfuse_image *img = NULL;
	dfuse_ids ids;

	(void)state;
	assert_int_equal(dfuse_image_new(&img), 0);
	dfuse_image_get_ids(&ids, img);
	assert_int_equal(ids.bcd_device, 0xFFFF);
	assert_int_equal(ids.id_product, 0xDF11);
	assert_int_equal(ids.id_vendor, 0x0483);
	assert_int_equal(ids.bcd_dfu, 0x011A);
	assert_int_equal(dfuse_image_count_targets(img), 0);
	dfuse_image_free(img);
	dfuse_image_free(NULL);
}

/* dfuse_image_flatten(): every target's elements in one list by address,
 * then end (shorter first), then target; cores as
 * dfuse_image_get_element_core(). */
static void test_image__flatten(void **state)
{
	static const uint8_t d[64];
	dfuse_image *img = NULL;
	dfuse_span *s = NULL;
	size_t n = 99;

	(void)state;
	assert_int_equal(dfuse_image_new(&img), 0);
	assert_int_equal(dfuse_image_flatten(&s, &n, img, NULL), 0);
	assert_int_equal(n, 0);
	dfuse_free(s);
	assert_int_equal(dfuse_image_add_target(img, 0, "a"), 0);
	assert_int_equal(dfuse_image_add_target(img, 0, "b"), 1);
	assert_int_equal(dfuse_image_add_data(img, 0, 0x08100000, d, 32, NULL),
			 0);
	assert_int_equal(dfuse_image_add_data(img, 0, 0x08000000, d, 64, NULL),
			 0);
	assert_int_equal(dfuse_image_add_data(img, 1, 0x08000000, d, 32, NULL),
			 0);
	assert_int_equal(dfuse_image_flatten(&s, &n, img, NULL), 0);
	assert_int_equal(n, 3);
	/* the same address: the shorter first */
	assert_int_equal(s[0].address, 0x08000000);
	assert_int_equal(s[0].end, 0x08000020);
	assert_int_equal(s[0].target, 1);
	assert_int_equal(s[0].element, 0);
	assert_int_equal(s[1].end, 0x08000040);
	assert_int_equal(s[1].target, 0);
	assert_int_equal(s[1].element, 0);
	assert_int_equal(s[1].core, DFUSE_CORE_CM7);
	assert_non_null(s[1].data);
	assert_int_equal(s[2].address, 0x08100000);
	assert_int_equal(s[2].target, 0);
	assert_int_equal(s[2].element, 1);
	assert_int_equal(s[2].core, DFUSE_CORE_CM4);
	dfuse_free(s);
	assert_int_equal(dfuse_image_flatten(NULL, &n, img, NULL),
			 DFUSE_EINVAL);
	dfuse_image_free(img);
}

static void test_image__sorted_insert(void **state)
{
	static const uint8_t a[4] = {1, 2, 3, 4}, b[4] = {5, 6, 7, 8},
			     c[4] = {9, 10, 11, 12};
	dfuse_image *img = new_image();
	dfuse_element_info e;

	(void)state;
	assert_int_equal(dfuse_image_add_data(img, 0, 0x300, c, 4, NULL), 0);
	assert_int_equal(dfuse_image_add_data(img, 0, 0x100, a, 4, NULL), 0);
	assert_int_equal(dfuse_image_add_data(img, 0, 0x200, b, 4, NULL), 0);
	elem(&e, img, 0);
	assert_int_equal(e.address, 0x100);
	assert_memory_equal(e.data, a, 4);
	elem(&e, img, 1);
	assert_int_equal(e.address, 0x200);
	elem(&e, img, 2);
	assert_int_equal(e.address, 0x300);
	assert_memory_equal(e.data, c, 4);
	dfuse_image_free(img);
}

static void test_image__identical_overlap_merges(void **state)
{
	static const uint8_t d[8] = {0, 1, 2, 3, 4, 5, 6, 7};
	dfuse_image *img = new_image();
	dfuse_element_info e;

	(void)state;
	assert_int_equal(dfuse_image_add_data(img, 0, 0x1000, d, 6, NULL), 0);
	/* bytes 2..7 at 0x1002: 2..5 agree with what is there */
	assert_int_equal(dfuse_image_add_data(img, 0, 0x1002, d + 2, 6, NULL),
			 0);
	assert_int_equal(dfuse_image_count_targets(img), 1);
	elem(&e, img, 0);
	assert_int_equal(e.address, 0x1000);
	assert_int_equal(e.size, 8);
	assert_memory_equal(e.data, d, 8);
	dfuse_image_free(img);
}

static void test_image__different_overlap_names_both(void **state)
{
	static const uint8_t x[4] = {0xAA, 0xBB, 0xCC, 0xDD};
	static const uint8_t y[4] = {0xCC, 0x00, 0x11, 0x22};
	dfuse_input_options ox = src("first.hex"), oy = src("second.elf");
	dfuse_image *img = new_image();
	const char *m;

	(void)state;
	assert_int_equal(dfuse_image_add_data(img, 0, 0x08000000, x, 4, &ox),
			 0);
	/* y[0] at 0x08000002 agrees (0xCC), y[1] at 0x08000003 does not */
	assert_int_equal(dfuse_image_add_data(img, 0, 0x08000002, y, 4, &oy),
			 DFUSE_EOVERLAP);
	m = dfuse_error_last()->message;
	assert_non_null(strstr(m, "0x08000002-0x08000003"));
	assert_non_null(strstr(m, "'first.hex'"));
	assert_non_null(strstr(m, "first at 0x08000003: 0x00 here, 0xdd"));
	dfuse_image_free(img);
}

static void test_image__range_past_4g(void **state)
{
	static const uint8_t d[16] = {0};
	dfuse_image *img = new_image();

	(void)state;
	assert_int_equal(dfuse_image_add_data(img, 0, 0xFFFFFFF8u, d, 16, NULL),
			 DFUSE_ERANGE);
	assert_non_null(strstr(dfuse_error_last()->message, "0xfffffff8"));
	/* ending exactly at 4 GiB is fine */
	assert_int_equal(dfuse_image_add_data(img, 0, 0xFFFFFFF0u, d, 16, NULL),
			 0);
	assert_int_equal(dfuse_image_add_data(img, 5, 0, d, 1, NULL),
			 DFUSE_EINVAL);
	dfuse_image_free(img);
}

static void test_image__targets(void **state)
{
	char longname[300];
	dfuse_image *img = NULL;
	dfuse_target_info ti;
	int i;

	(void)state;
	assert_int_equal(dfuse_image_new(&img), 0);
	memset(longname, 'x', sizeof(longname));
	longname[255] = '\0';
	assert_int_equal(dfuse_image_add_target(img, 0, longname),
			 DFUSE_EINVAL);
	assert_non_null(strstr(dfuse_error_last()->message, "255 bytes"));
	longname[254] = '\0';
	assert_int_equal(dfuse_image_add_target(img, 3, longname), 0);
	assert_int_equal(dfuse_image_add_target(img, 1, NULL), 1);
	assert_int_equal(dfuse_image_get_target(&ti, img, 1), 0);
	assert_int_equal(ti.named, 0);
	assert_string_equal(ti.name, "");
	assert_int_equal(dfuse_image_get_target(&ti, img, 0), 0);
	assert_int_equal(ti.named, 1);
	assert_int_equal(ti.alt, 3);
	assert_int_equal(strlen(ti.name), 254);
	assert_int_equal(ti.name_raw[254], 0);
	assert_int_equal(dfuse_image_find_target(img, 1), 1);
	assert_int_equal(dfuse_image_find_target(img, 9), DFUSE_ENOTFOUND);
	for (i = 2; i < 255; i++)
		assert_int_equal(dfuse_image_add_target(img, 0, "t"), i);
	assert_int_equal(dfuse_image_add_target(img, 0, "t"), DFUSE_ETOOBIG);
	assert_non_null(strstr(dfuse_error_last()->message, "at most 255"));
	dfuse_image_free(img);
}

/* Padding: an element in flash grows to whole 32-byte flash words. */
static void test_image__normalize_pads_flash(void **state)
{
	static const uint8_t d[5] = {1, 2, 3, 4, 5};
	dfuse_image *img = new_image();
	dfuse_element_info e;
	uint8_t want[32];

	(void)state;
	/* 0x08000021..0x08000025 lies in the word 0x08000020..0x0800003f */
	assert_int_equal(dfuse_image_add_data(img, 0, 0x08000021, d, 5, NULL),
			 0);
	/* RAM (AXI SRAM) is not flash: left exactly as given */
	assert_int_equal(dfuse_image_add_data(img, 0, 0x24000001, d, 5, NULL),
			 0);
	assert_int_equal(
		dfuse_image_normalize(img, dfuse_profile_find("stm32h745xi")),
		0);
	elem(&e, img, 0);
	assert_int_equal(e.address, 0x08000020);
	assert_int_equal(e.size, 32);
	memset(want, 0xFF, sizeof(want));
	memcpy(want + 1, d, 5);
	assert_memory_equal(e.data, want, 32);
	elem(&e, img, 1);
	assert_int_equal(e.address, 0x24000001);
	assert_int_equal(e.size, 5);
	dfuse_image_free(img);
}

/* Two inputs in one flash word become one element; far apart stay two. */
static void test_image__normalize_coalesces_shared_word(void **state)
{
	static const uint8_t a[2] = {0xA1, 0xA2}, b[2] = {0xB1, 0xB2};
	dfuse_input_options o7 = src("cm7.bin"), o4 = src("cm4.bin");
	dfuse_image *img = new_image();
	dfuse_element_info e;
	uint8_t want[64];

	(void)state;
	o7.core = DFUSE_CORE_CM7;
	o4.core = DFUSE_CORE_CM4;
	assert_int_equal(dfuse_image_add_data(img, 0, 0x08000000, a, 2, &o7),
			 0);
	assert_int_equal(dfuse_image_add_data(img, 0, 0x0800001E, b, 2, &o7),
			 0);
	/* next word: touches the first once padded -> coalesced too */
	assert_int_equal(dfuse_image_add_data(img, 0, 0x08000020, a, 2, &o7),
			 0);
	/* 0x08000080 is two words away: a separate element */
	assert_int_equal(dfuse_image_add_data(img, 0, 0x08000081, b, 2, &o4),
			 0);
	assert_int_equal(dfuse_image_normalize(img, dfuse_profile_default()),
			 0);
	assert_int_equal(dfuse_image_count_targets(img), 1);
	elem(&e, img, 0);
	assert_int_equal(e.address, 0x08000000);
	assert_int_equal(e.size, 64);
	assert_int_equal(e.core, DFUSE_CORE_CM7);
	memset(want, 0xFF, sizeof(want));
	memcpy(want, a, 2);
	memcpy(want + 0x1E, b, 2);
	memcpy(want + 0x20, a, 2);
	assert_memory_equal(e.data, want, 64);
	elem(&e, img, 1);
	assert_int_equal(e.address, 0x08000080);
	assert_int_equal(e.size, 32);
	assert_int_equal(e.core, DFUSE_CORE_CM4);
	assert_int_equal(e.data[1], 0xB1);
	/* normalising again changes nothing */
	assert_int_equal(dfuse_image_normalize(img, dfuse_profile_default()),
			 0);
	elem(&e, img, 1);
	assert_int_equal(e.size, 32);
	dfuse_image_free(img);
}

/* Full bank 1 and bank 2 touch at 0x08100000 but stay two elements. */
static void test_image__normalize_keeps_banks_apart(void **state)
{
	static uint8_t bank[64];
	dfuse_input_options o7 = src("bank1.bin"), o4 = src("bank2.bin");
	dfuse_image *img = new_image();
	dfuse_element_info e;

	(void)state;
	memset(bank, 0x5A, sizeof(bank));
	/* the last 64 bytes of bank 1 and the first 64 of bank 2 */
	assert_int_equal(
		dfuse_image_add_data(img, 0, 0x080FFFC0, bank, 64, &o7), 0);
	assert_int_equal(
		dfuse_image_add_data(img, 0, 0x08100000, bank, 64, &o7), 0);
	/* touching inputs of different cores stay apart too */
	o4.core = DFUSE_CORE_CM4;
	assert_int_equal(
		dfuse_image_add_data(img, 0, 0x08100040, bank, 32, &o4), 0);
	assert_int_equal(dfuse_image_normalize(img, dfuse_profile_default()),
			 0);
	elem(&e, img, 0);
	assert_int_equal(e.address, 0x080FFFC0);
	assert_int_equal(e.size, 64);
	elem(&e, img, 1);
	assert_int_equal(e.address, 0x08100000);
	assert_int_equal(e.size, 64);
	elem(&e, img, 2);
	assert_int_equal(e.address, 0x08100040);
	assert_int_equal(e.core, DFUSE_CORE_CM4);
	dfuse_image_free(img);
}

static void test_image__normalize_without_profile(void **state)
{
	static const uint8_t a[3] = {1, 2, 3};
	dfuse_image *img = new_image();
	dfuse_element_info e;

	(void)state;
	assert_int_equal(dfuse_image_add_data(img, 0, 0x08000003, a, 3, NULL),
			 0);
	assert_int_equal(dfuse_image_add_data(img, 0, 0x08000000, a, 3, NULL),
			 0);
	assert_int_equal(dfuse_image_normalize(img, NULL), 0);
	/* touching ranges join, nothing is padded */
	elem(&e, img, 0);
	assert_int_equal(e.address, 0x08000000);
	assert_int_equal(e.size, 6);
	dfuse_image_free(img);
}

static void test_image__entry(void **state)
{
	dfuse_image *img = new_image();
	uint32_t entry = 0;

	(void)state;
	assert_int_equal(dfuse_image_get_entry(&entry, img), 0);
	dfuse_image_set_entry(img, 0x0800029d);
	assert_int_equal(dfuse_image_get_entry(&entry, img), 1);
	assert_int_equal(entry, 0x0800029d);
	dfuse_image_free(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_image__defaults),
		cmocka_unit_test(test_image__sorted_insert),
		cmocka_unit_test(test_image__identical_overlap_merges),
		cmocka_unit_test(test_image__different_overlap_names_both),
		cmocka_unit_test(test_image__range_past_4g),
		cmocka_unit_test(test_image__targets),
		cmocka_unit_test(test_image__normalize_pads_flash),
		cmocka_unit_test(test_image__normalize_coalesces_shared_word),
		cmocka_unit_test(test_image__normalize_keeps_banks_apart),
		cmocka_unit_test(test_image__normalize_without_profile),
		cmocka_unit_test(test_image__entry),
		cmocka_unit_test(test_image__flatten),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
