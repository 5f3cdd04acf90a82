/*
 * test_load.c - format detection from content, raw binary input, the file
 * loader's address rules and its input limit, and the error helpers
 * (detect.c, in_bin.c, load.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "dfuse.h"

static void test_load__detect(void **state)
{
	(void)state;
	assert_int_equal(dfuse_format_detect("DfuSe\x01", 6),
			 DFUSE_FORMAT_DFUSE);
	assert_int_equal(dfuse_format_detect("\177ELF\x01", 5),
			 DFUSE_FORMAT_ELF);
	assert_int_equal(dfuse_format_detect(":020000040800F2\r\n", 17),
			 DFUSE_FORMAT_IHEX);
	/* a BOM and blank lines before the first record */
	assert_int_equal(dfuse_format_detect("\xEF\xBB\xBF\r\n :00", 9),
			 DFUSE_FORMAT_IHEX);
	assert_int_equal(dfuse_format_detect("S00F0000", 8), DFUSE_FORMAT_SREC);
	assert_int_equal(dfuse_format_detect("Sx", 2), DFUSE_FORMAT_BIN);
	assert_int_equal(dfuse_format_detect("\x00\x00\x02\x20", 4),
			 DFUSE_FORMAT_BIN);
	assert_int_equal(dfuse_format_detect("", 0), DFUSE_FORMAT_BIN);
	assert_string_equal(dfuse_format_name(DFUSE_FORMAT_SREC), "srec");
}

static void test_load__bin_needs_address(void **state)
{
	static const uint8_t d[4] = {1, 2, 3, 4};
	dfuse_input_options o = DFUSE_INPUT_OPTIONS_INIT;
	dfuse_element_info e;
	dfuse_image *img = NULL;

	(void)state;
	assert_int_equal(dfuse_image_new(&img), 0);
	assert_int_equal(dfuse_image_add_target(img, 0, "x"), 0);
	assert_int_equal(dfuse_parse_bin(img, 0, d, 4, NULL), DFUSE_EINVAL);
	assert_int_equal(dfuse_parse_bin(img, 0, d, 4, &o), DFUSE_EINVAL);
	assert_non_null(strstr(dfuse_error_last()->message, "load address"));
	o.address = 0x08100000;
	o.flags = DFUSE_INPUT_DEFAULT_ADDRESS;
	assert_int_equal(dfuse_parse_bin(img, 0, d, 4, &o), 0);
	assert_int_equal(dfuse_image_get_element(&e, img, 0, 0), 0);
	assert_int_equal(e.address, 0x08100000);
	o.max_size = 3;
	assert_int_equal(dfuse_parse_bin(img, 0, d, 4, &o), DFUSE_ETOOBIG);
	assert_non_null(strstr(dfuse_error_last()->message, "limit of 3"));
	dfuse_image_free(img);
}

static void write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static void test_load__file_rules(void **state)
{
	static const char hex[] = ":0400000001020304F2\n:00000001FF\n";
	static const uint8_t bin[8] = {0, 0, 2, 0x20, 0x99, 2, 0, 8};
	char hpath[] = "/tmp/dfuse-load-XXXXXX";
	char bpath[] = "/tmp/dfuse-load-XXXXXX";
	dfuse_input_options o = DFUSE_INPUT_OPTIONS_INIT;
	dfuse_image *img = NULL;
	int fd;

	(void)state;
	fd = mkstemp(hpath);
	assert_true(fd >= 0);
	close(fd);
	write_file(hpath, hex, sizeof(hex) - 1);
	fd = mkstemp(bpath);
	assert_true(fd >= 0);
	close(fd);
	write_file(bpath, bin, sizeof(bin));
	assert_int_equal(dfuse_image_new(&img), 0);
	assert_int_equal(dfuse_image_add_target(img, 0, "x"), 0);

	/* HEX carries its addresses: an explicit address is refused */
	o.address = 0x08000000;
	o.flags = DFUSE_INPUT_ADDRESS;
	assert_int_equal(
		dfuse_load_file(img, 0, hpath, DFUSE_FORMAT_UNKNOWN, &o),
		DFUSE_EINVAL);
	assert_non_null(strstr(dfuse_error_last()->message, "Intel HEX"));
	/* a default address (a core's boot address) is ignored for HEX */
	o.flags = DFUSE_INPUT_DEFAULT_ADDRESS;
	assert_int_equal(
		dfuse_load_file(img, 0, hpath, DFUSE_FORMAT_UNKNOWN, &o),
		DFUSE_FORMAT_IHEX);
	/* the binary needs one of the two */
	o.flags = 0;
	assert_int_equal(
		dfuse_load_file(img, 0, bpath, DFUSE_FORMAT_UNKNOWN, &o),
		DFUSE_EINVAL);
	assert_non_null(strstr(dfuse_error_last()->message, "raw binary"));
	o.flags = DFUSE_INPUT_ADDRESS;
	assert_int_equal(
		dfuse_load_file(img, 0, bpath, DFUSE_FORMAT_UNKNOWN, &o),
		DFUSE_FORMAT_BIN);
	/* the input limit is checked before reading */
	o.max_size = 7;
	assert_int_equal(
		dfuse_load_file(img, 0, bpath, DFUSE_FORMAT_UNKNOWN, &o),
		DFUSE_ETOOBIG);
	assert_non_null(strstr(dfuse_error_last()->message,
			       "8 bytes, over the input limit of 7"));
	assert_int_equal(dfuse_load_file(img, 0, "/nonexistent/x.bin",
					 DFUSE_FORMAT_UNKNOWN, &o),
			 DFUSE_EIO);
	assert_non_null(strstr(dfuse_error_last()->message, "No such file"));
	unlink(hpath);
	unlink(bpath);
	dfuse_image_free(img);
}

/* One Intel HEX data record of 16 bytes at a 16-bit offset. */
/* A DFU 1.1 suffix (appendix B) after n payload bytes in b: bcdDevice
 * ffff, idProduct df11, idVendor 0483, bcdDFU 0100, "UFD", bLength 16,
 * dwCRC over the rest; `bad` spoils the CRC. */
static void put_suffix(uint8_t *b, size_t n, int bad)
{
	static const uint8_t head[12] = {0xFF, 0xFF, 0x11, 0xDF, 0x83, 0x04,
					 0x00, 0x01, 'U',  'F',	 'D',  16};
	uint32_t crc;

	memcpy(b + n, head, sizeof(head));
	crc = dfuse_crc(b, n + 12) ^ (bad ? 1u : 0u);
	b[n + 12] = (uint8_t)crc;
	b[n + 13] = (uint8_t)(crc >> 8);
	b[n + 14] = (uint8_t)(crc >> 16);
	b[n + 15] = (uint8_t)(crc >> 24);
}

/* A plain DFU file loads as its payload; a tail that only looks like a
 * suffix (wrong CRC) is data; a suffix past the first 1 MiB read is
 * found too. */
static void test_load__plain_dfu(void **state)
{
	const size_t sizes[2] = {8, ((size_t)3 << 19) + 5}; /* 1.5 MiB */
	size_t k;

	(void)state;
	for (k = 0; k < 2; k++) {
		size_t n = sizes[k];
		uint8_t *b = malloc(n + 16);
		char path[] = "/tmp/dfuse-dfu-XXXXXX";
		dfuse_input_options o = DFUSE_INPUT_OPTIONS_INIT;
		dfuse_element_info e;
		dfuse_image *img = NULL;
		size_t i;
		int fd, bad;

		assert_non_null(b);
		for (i = 0; i < n; i++)
			b[i] = (uint8_t)(i * 7 + 1);
		b[0] = 0x00; /* not text, not ELF */
		o.address = 0x08020000;
		o.flags = DFUSE_INPUT_ADDRESS;
		for (bad = 0; bad < 2; bad++) {
			put_suffix(b, n, bad);
			assert_int_equal(dfuse_format_detect(b, n + 16),
					 bad ? DFUSE_FORMAT_BIN
					     : DFUSE_FORMAT_DFU);
			fd = mkstemp(path);
			assert_true(fd >= 0);
			close(fd);
			write_file(path, b, n + 16);
			assert_int_equal(dfuse_image_new(&img), 0);
			assert_int_equal(dfuse_image_add_target(img, 0, "x"),
					 0);
			assert_int_equal(
				dfuse_load_file(img, 0, path,
						DFUSE_FORMAT_UNKNOWN, &o),
				bad ? DFUSE_FORMAT_BIN : DFUSE_FORMAT_DFU);
			assert_int_equal(dfuse_image_get_element(&e, img, 0, 0),
					 0);
			assert_int_equal(e.address, 0x08020000);
			/* the suffix is left out, or kept as data */
			assert_int_equal(e.size, bad ? n + 16 : n);
			assert_memory_equal(e.data, b, e.size);
			dfuse_image_free(img);
			unlink(path);
			memcpy(path + strlen(path) - 6, "XXXXXX", 6);
		}
		/* like a raw binary, it needs an address */
		put_suffix(b, n, 0);
		fd = mkstemp(path);
		assert_true(fd >= 0);
		close(fd);
		write_file(path, b, n + 16);
		o.flags = 0;
		assert_int_equal(dfuse_image_new(&img), 0);
		assert_int_equal(dfuse_image_add_target(img, 0, "x"), 0);
		assert_int_equal(
			dfuse_load_file(img, 0, path, DFUSE_FORMAT_UNKNOWN, &o),
			DFUSE_EINVAL);
		dfuse_image_free(img);
		unlink(path);
		free(b);
	}
	assert_string_equal(dfuse_format_name(DFUSE_FORMAT_DFU), "dfu");
	/* a suffix alone: a DFU file with no firmware (load refuses it) */
	{
		uint8_t only[16];

		put_suffix(only, 0, 0);
		assert_int_equal(dfuse_format_detect(only, 16),
				 DFUSE_FORMAT_DFU);
	}
}

static size_t hex_record(char *out, unsigned off, const uint8_t *d)
{
	static const char hx[] = "0123456789ABCDEF";
	unsigned sum = 16 + (off >> 8) + (off & 0xFF);
	size_t n = 0, i;

	out[n++] = ':';
	out[n++] = '1';
	out[n++] = '0';
	for (i = 0; i < 4; i++)
		out[n++] = hx[(off >> (12 - 4 * i)) & 15];
	out[n++] = '0';
	out[n++] = '0';
	for (i = 0; i < 16; i++) {
		out[n++] = hx[d[i] >> 4];
		out[n++] = hx[d[i] & 15];
		sum += d[i];
	}
	sum = (0x100 - (sum & 0xFF)) & 0xFF;
	out[n++] = hx[sum >> 4];
	out[n++] = hx[sum & 15];
	out[n++] = '\r';
	out[n++] = '\n';
	return n;
}

/*
 * A HEX file of several MiB is read in 1 MiB chunks whose edges fall inside
 * records: the result must equal parsing the whole text at once, and a
 * conflict near the end still names the exact earlier line.
 */
static void test_load__streamed_hex_equals_whole(void **state)
{
	static const char ext[] = ":020000040800F2\r\n";
	static const char eof[] = ":00000001FF\r\n";
	const size_t records = 4096 * 16; /* 1 MiB of data, 3 MiB of text */
	char path[] = "/tmp/dfuse-stream-XXXXXX";
	dfuse_image *a = NULL, *b = NULL;
	dfuse_element_info ea, eb;
	uint8_t d[16];
	char *text;
	size_t n = 0, r, k;
	FILE *f;
	int fd;

	(void)state;
	text = malloc(records * 45 + 4096);
	assert_non_null(text);
	memcpy(text, ext, sizeof(ext) - 1);
	n = sizeof(ext) - 1;
	for (r = 0; r < records; r++) {
		for (k = 0; k < 16; k++)
			d[k] = (uint8_t)(r * 7 + k * 13);
		/* 04 record for each 64 KiB */
		if (r > 0 && r % 4096 == 0)
			n += (size_t)sprintf(
				text + n, ":02000004%04X%02X\r\n",
				(unsigned)(0x0800 + r / 4096),
				(unsigned)((0x100 -
					    (2 + 4 +
					     ((0x0800 + r / 4096) >> 8) +
					     ((0x0800 + r / 4096) & 0xFF))) &
					   0xFF));
		n += hex_record(text + n, (unsigned)(r % 4096) * 16, d);
	}
	memcpy(text + n, eof, sizeof(eof) - 1);
	n += sizeof(eof) - 1;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, n, f), n);
	assert_int_equal(fclose(f), 0);

	assert_int_equal(dfuse_image_new(&a), 0);
	assert_int_equal(dfuse_image_add_target(a, 0, "x"), 0);
	assert_int_equal(dfuse_image_new(&b), 0);
	assert_int_equal(dfuse_image_add_target(b, 0, "x"), 0);
	assert_int_equal(
		dfuse_load_file(a, 0, path, DFUSE_FORMAT_UNKNOWN, NULL),
		DFUSE_FORMAT_IHEX);
	assert_int_equal(dfuse_parse_ihex(b, 0, text, n, NULL), 0);
	assert_int_equal(dfuse_image_get_element(&ea, a, 0, 0), 0);
	assert_int_equal(dfuse_image_get_element(&eb, b, 0, 0), 0);
	assert_int_equal(ea.address, 0x08000000);
	assert_int_equal(ea.size, records * 16);
	assert_int_equal(eb.size, ea.size);
	assert_memory_equal(ea.data, eb.data, ea.size);
	dfuse_image_free(a);

	/* line 2 wrote 0x00.. at 0x08000000; a last record writes other
	 * bytes there (after the file's final 04 record, so it needs its own)
	 */
	n -= sizeof(eof) - 1;
	n += (size_t)sprintf(text + n, ":020000040800F2\r\n");
	memset(d, 0xEE, sizeof(d));
	n += hex_record(text + n, 0, d);
	memcpy(text + n, eof, sizeof(eof) - 1);
	n += sizeof(eof) - 1;
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(dfuse_image_new(&a), 0);
	assert_int_equal(dfuse_image_add_target(a, 0, "x"), 0);
	assert_int_equal(
		dfuse_load_file(a, 0, path, DFUSE_FORMAT_UNKNOWN, NULL),
		DFUSE_EOVERLAP);
	assert_non_null(strstr(dfuse_error_last()->message,
			       "but line 2 already wrote"));
	assert_int_equal(dfuse_image_count_targets(a), 1);
	assert_int_equal(dfuse_image_get_element(&ea, a, 0, 0), DFUSE_EINVAL);
	unlink(path);
	free(text);
	dfuse_image_free(a);
	dfuse_image_free(b);
}

/* Every entry point that takes dfuse_input_options checks its version
 * before anything else, naming the struct. */
static void test_load__input_options_version(void **state)
{
	static const char hex[] = ":0400000001020304F2\n:00000001FF\n";
	const uint8_t bytes[4] = {1, 2, 3, 4};
	dfuse_input_options o = DFUSE_INPUT_OPTIONS_INIT;
	dfuse_image *img = NULL;
	const char *want = "dfuse_input_options version 9 is not supported "
			   "(expected 1)";

	(void)state;
	assert_int_equal(dfuse_image_new(&img), 0);
	assert_int_equal(dfuse_image_add_target(img, 0, NULL), 0);
	o.version = 9;
	o.flags = DFUSE_INPUT_ADDRESS;
	o.address = 0x08000000;
	assert_int_equal(dfuse_load(img, 0, bytes, 4, DFUSE_FORMAT_BIN, &o),
			 DFUSE_EINVAL);
	assert_string_equal(dfuse_error_last()->message, want);
	assert_int_equal(dfuse_parse_bin(img, 0, bytes, 4, &o), DFUSE_EINVAL);
	assert_string_equal(dfuse_error_last()->message, want);
	assert_int_equal(dfuse_parse_ihex(img, 0, hex, sizeof(hex) - 1, &o),
			 DFUSE_EINVAL);
	assert_string_equal(dfuse_error_last()->message, want);
	assert_int_equal(dfuse_parse_srec(img, 0, "S9030000FC\n", 11, &o),
			 DFUSE_EINVAL);
	assert_int_equal(dfuse_parse_elf(img, 0, bytes, 4, &o), DFUSE_EINVAL);
	assert_string_equal(dfuse_error_last()->message, want);
	assert_int_equal(dfuse_image_add_data(img, 0, 0x08000000, bytes, 4, &o),
			 DFUSE_EINVAL);
	assert_string_equal(dfuse_error_last()->message, want);
	assert_int_equal(dfuse_load_file(img, 0, "/nonexistent", 0, &o),
			 DFUSE_EINVAL);
	assert_string_equal(dfuse_error_last()->message, want);
	/* nothing was added */
	{
		dfuse_target_info ti;

		assert_int_equal(dfuse_image_get_target(&ti, img, 0), 0);
		assert_int_equal(ti.element_count, 0);
	}
	o.version = DFUSE_INPUT_OPTIONS_VERSION;
	assert_int_equal(dfuse_load(img, 0, bytes, 4, DFUSE_FORMAT_BIN, &o),
			 DFUSE_FORMAT_BIN);
	dfuse_image_free(img);
}

static void test_load__error_names(void **state)
{
	(void)state;
	assert_string_equal(dfuse_error_name(DFUSE_EFORMAT), "DFUSE_EFORMAT");
	assert_string_equal(dfuse_strerror(DFUSE_EOVERLAP), "overlapping data");
	assert_string_equal(dfuse_error_name(-999), "DFUSE_UNKNOWN");
	assert_string_equal(dfuse_error_name(DFUSE_EAMBIGUOUS),
			    "DFUSE_EAMBIGUOUS");
	dfuse_error_clear();
	assert_int_equal(dfuse_error_last()->code, DFUSE_OK);
	assert_string_equal(dfuse_error_last()->message, "");
	assert_int_equal(dfuse_version_number(), DFUSE_VERSION_NUMBER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load__detect),
		cmocka_unit_test(test_load__bin_needs_address),
		cmocka_unit_test(test_load__file_rules),
		cmocka_unit_test(test_load__plain_dfu),
		cmocka_unit_test(test_load__streamed_hex_equals_whole),
		cmocka_unit_test(test_load__error_names),
		cmocka_unit_test(test_load__input_options_version),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
