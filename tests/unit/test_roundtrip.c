/*
 * test_roundtrip.c - read -> write -> read gives the same model, and files
 * other tools wrote in the canonical form (DFUImageSize = file - 16) are
 * reproduced byte for byte: ST's DFU File Manager output, OpenMV's files,
 * the golden vector (doc/sources.md).  The inputs are the real-world corpus and
 * vectors in ../shared (skipped when absent).
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

static int slurp(uint8_t **out, size_t *len, const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (f == NULL)
		return -1;
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	*out = malloc((size_t)n + 1);
	assert_non_null(*out);
	assert_int_equal(fread(*out, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return 0;
}

static void same_model(const dfuse_image *a, const dfuse_image *b)
{
	dfuse_ids ia, ib;
	size_t t, e;

	dfuse_image_get_ids(&ia, a);
	dfuse_image_get_ids(&ib, b);
	assert_memory_equal(&ia, &ib, sizeof(ia));
	assert_int_equal(dfuse_image_count_targets(a),
			 dfuse_image_count_targets(b));
	for (t = 0; t < dfuse_image_count_targets(a); t++) {
		dfuse_target_info ta, tb;

		assert_int_equal(dfuse_image_get_target(&ta, a, t), 0);
		assert_int_equal(dfuse_image_get_target(&tb, b, t), 0);
		assert_int_equal(ta.alt, tb.alt);
		assert_int_equal(ta.named, tb.named);
		assert_memory_equal(ta.name_raw, tb.name_raw, 255);
		assert_int_equal(ta.element_count, tb.element_count);
		for (e = 0; e < ta.element_count; e++) {
			dfuse_element_info ea, eb;

			assert_int_equal(dfuse_image_get_element(&ea, a, t, e),
					 0);
			assert_int_equal(dfuse_image_get_element(&eb, b, t, e),
					 0);
			assert_int_equal(ea.address, eb.address);
			assert_int_equal(ea.size, eb.size);
			assert_memory_equal(ea.data, eb.data, ea.size);
		}
	}
}

/* Returns 1 if the file was there and round-tripped. */
static int roundtrip(const char *path, int expect_identical)
{
	dfuse_read_options strict = DFUSE_READ_OPTIONS_INIT;
	dfuse_image *a = NULL, *b = NULL;
	dfuse_report *rep = NULL;
	uint8_t *in;
	void *out = NULL;
	size_t n, m = 0;

	if (slurp(&in, &n, path) < 0)
		return 0;
	assert_int_equal(dfuse_read(&a, &rep, in, n, NULL), 0);
	assert_int_equal(dfuse_report_count_at_least(rep, DFUSE_SEV_ERROR), 0);
	assert_int_equal(dfuse_write(&out, &m, a), 0);
	strict.flags = DFUSE_READ_STRICT;
	if (dfuse_read(&b, NULL, out, m, &strict) < 0)
		fail_msg("%s: our output fails a strict read: %s", path,
			 dfuse_error_last()->message);
	same_model(a, b);
	if (expect_identical) {
		assert_int_equal(m, n);
		assert_memory_equal(out, in, n);
	}
	dfuse_free(out);
	dfuse_report_free(rep);
	dfuse_image_free(a);
	dfuse_image_free(b);
	free(in);
	return 1;
}

static void test_roundtrip__vectors(void **state)
{
	(void)state;
	if (!roundtrip("../shared/reference/vectors/min_excl_suffix.dfu", 1)) {
		fprintf(stderr, "../shared is absent: vectors skipped\n");
		skip();
	}
	/* DFUImageSize counted the suffix: same model, canonical size */
	assert_true(roundtrip("../shared/reference/vectors/min_incl_suffix.dfu",
			      0));
}

static void test_roundtrip__corpus(void **state)
{
	static const struct {
		const char *name;
		int identical;
	} files[] = {
		{"openmv4-openmv-2elem.dfu", 1},
		{"openmv4-bootloader.dfu", 1},
		{"openmv3-bootloader.dfu", 1},
		{"st-STM32H745I-DISCO_STM32H745I_DISCO_USBD-FS_0x08020000.dfu",
		 1},
		{"st-NUCLEO-H7A3ZI-Q_NUCLEO-H7A3ZI-Q_LED_Toggle_0x0800C000.dfu",
		 1},
		{"unodrum-empty-alt1.dfu", 1},
		/* DFUImageSize off by one in the original */
		{"32blit-flash-loader-a.dfu", 0},
		{"32blit-flash-loader-b.dfu", 0},
	};
	char path[256];
	size_t i, done = 0;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "../shared/corpus/realworld/%s",
			 files[i].name);
		done += (size_t)roundtrip(path, files[i].identical);
	}
	if (done == 0) {
		fprintf(stderr, "../shared is absent: corpus skipped\n");
		skip();
	}
	assert_int_equal(done, sizeof(files) / sizeof(files[0]));
}

/* A built image survives write -> read unchanged. */
static void test_roundtrip__built(void **state)
{
	static const uint8_t d[40] = {1, 2, 3};
	dfuse_read_options strict = DFUSE_READ_OPTIONS_INIT;
	dfuse_image *a = NULL, *b = NULL;
	void *out = NULL;
	size_t m = 0;

	(void)state;
	assert_int_equal(dfuse_image_new(&a), 0);
	assert_int_equal(dfuse_image_add_target(a, 0, "Internal Flash"), 0);
	assert_int_equal(dfuse_image_add_target(a, 1, "Option Bytes"), 1);
	assert_int_equal(dfuse_image_add_data(a, 0, 0x08100000, d, 40, NULL),
			 0);
	assert_int_equal(dfuse_image_add_data(a, 0, 0x08000000, d, 7, NULL), 0);
	assert_int_equal(dfuse_image_add_data(a, 1, 0x5200201C, d, 4, NULL), 0);
	assert_int_equal(dfuse_image_normalize(a, dfuse_profile_default()), 0);
	assert_int_equal(dfuse_write(&out, &m, a), 0);
	strict.flags = DFUSE_READ_STRICT;
	assert_int_equal(dfuse_read(&b, NULL, out, m, &strict), 0);
	same_model(a, b);
	dfuse_free(out);
	dfuse_image_free(a);
	dfuse_image_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip__vectors),
		cmocka_unit_test(test_roundtrip__corpus),
		cmocka_unit_test(test_roundtrip__built),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
