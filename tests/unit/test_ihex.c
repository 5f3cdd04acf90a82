/*
 * test_ihex.c - Intel HEX parser (src/lib/in_ihex.c).
 *
 * The records below are written out by hand, one per line, each with a
 * comment saying what it is.  Their checksums were computed outside this
 * code base (two's complement of the byte sum, by hand and re-checked with
 * a five-line Python script) and never by the parser under test; the
 * generated inputs further down use hex_rec(), a helper in this file that
 * does the same arithmetic independently of the library.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "dfuse.h"
#include "segs.h"

/* ======== Helpers ======== */

static dfuse_image *new_image(void)
{
	dfuse_image *img = NULL;

	assert_int_equal(dfuse_image_new(&img), 0);
	assert_int_equal(dfuse_image_add_target(img, 0, "Internal Flash"), 0);
	return img;
}

/* Parses a NUL-terminated text into target 0 of a new image. */
static int parse(dfuse_image **out, const char *text)
{
	*out = new_image();
	return dfuse_parse_ihex(*out, 0, text, strlen(text), NULL);
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

#define assert_msg_has(frag) assert_non_null(strstr(msg(), (frag)))

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

/* A growable text buffer for generated inputs. */
struct sb {
	char *p;
	size_t n, cap;
};

static void sb_add(struct sb *b, const char *s)
{
	size_t k = strlen(s);

	if (b->n + k + 1 > b->cap) {
		b->cap = (b->n + k + 1) * 2;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->n, s, k + 1);
	b->n += k;
}

/* Appends one record with its checksum (the test's own arithmetic). */
static void hex_rec(struct sb *b, unsigned type, unsigned offset,
		    const uint8_t *data, size_t n)
{
	static const char digits[] = "0123456789ABCDEF";
	uint8_t bytes[4 + 255];
	char line[1 + 2 * (5 + 255) + 2];
	unsigned sum = 0;
	size_t i, k = 0;

	bytes[0] = (uint8_t)n;
	bytes[1] = (uint8_t)(offset >> 8);
	bytes[2] = (uint8_t)offset;
	bytes[3] = (uint8_t)type;
	if (n > 0)
		memcpy(bytes + 4, data, n);
	line[k++] = ':';
	for (i = 0; i < 4 + n; i++) {
		sum += bytes[i];
		line[k++] = digits[bytes[i] >> 4];
		line[k++] = digits[bytes[i] & 15];
	}
	line[k++] = digits[((0x100 - (sum & 0xff)) & 0xff) >> 4];
	line[k++] = digits[(0x100 - (sum & 0xff)) & 15];
	line[k++] = '\n';
	line[k] = '\0';
	sb_add(b, line);
}

/* ======== Record types and addressing ======== */

static void test_ihex__data_and_eof(void **state)
{
	static const char text[] =
		":10000000000102030405060708090A0B0C0D0E0F78\n" /* 00 @0x0000 */
		":04001000AABBCCDDDE\n" /* 00: 4 bytes at 0x0010 */
		":00000001FF\n";	/* 01: end of file */
	dfuse_image *img;
	dfuse_element_info e;
	uint32_t entry;
	size_t i;

	(void)state;
	assert_int_equal(parse(&img, text), 0);
	assert_int_equal(count(img), 1);
	element(&e, img, 0);
	assert_int_equal(e.address, 0);
	assert_int_equal(e.size, 20);
	for (i = 0; i < 16; i++)
		assert_int_equal(e.data[i], i);
	assert_int_equal(e.data[16], 0xAA);
	assert_int_equal(e.data[19], 0xDD);
	assert_int_equal(e.core, DFUSE_CORE_NONE);
	assert_null(e.source);
	assert_int_equal(dfuse_image_get_entry(&entry, img), 0);
	dfuse_image_free(img);
}

static void test_ihex__linear_address(void **state)
{
	static const char text[] =
		":020000040800F2\n"	/* 04: base 0x08000000 */
		":04001000AABBCCDDDE\n" /* 00: 4 bytes at offset 0x0010 */
		":00000001FF\n";	/* 01 */
	dfuse_image *img;
	dfuse_element_info e;

	(void)state;
	assert_int_equal(parse(&img, text), 0);
	assert_int_equal(count(img), 1);
	element(&e, img, 0);
	assert_int_equal(e.address, 0x08000010);
	assert_int_equal(e.size, 4);
	assert_memory_equal(e.data, "\xAA\xBB\xCC\xDD", 4);
	dfuse_image_free(img);
}

static void test_ihex__segment_address(void **state)
{
	static const char text[] =
		":020000021000EC\n"	/* 02: segment 0x1000 -> base 0x10000 */
		":0401000001020304F1\n" /* 00: 01 02 03 04 at offset 0x0100 */
		":00000001FF\n";	/* 01 */
	dfuse_image *img;
	dfuse_element_info e;

	(void)state;
	assert_int_equal(parse(&img, text), 0);
	element(&e, img, 0);
	assert_int_equal(e.address, 0x10100);
	assert_int_equal(e.size, 4);
	assert_memory_equal(e.data, "\x01\x02\x03\x04", 4);
	dfuse_image_free(img);
}

static void test_ihex__start_linear_address(void **state)
{
	static const char text[] =
		":020000040800F2\n"	/* 04: base 0x08000000 */
		":04001000AABBCCDDDE\n" /* 00 */
		":040000050800029D50\n" /* 05: entry 0x0800029D */
		":00000001FF\n";	/* 01 */
	dfuse_image *img;
	uint32_t entry = 0;

	(void)state;
	assert_int_equal(parse(&img, text), 0);
	assert_int_equal(dfuse_image_get_entry(&entry, img), 1);
	assert_int_equal(entry, 0x0800029D);
	dfuse_image_free(img);
}

static void test_ihex__start_segment_address(void **state)
{
	static const char text[] =
		":0400000312340005AE\n" /* 03: CS 0x1234, IP 0x0005 */
		":00000001FF\n";	/* 01 */
	dfuse_image *img;
	uint32_t entry = 0;

	(void)state;
	assert_int_equal(parse(&img, text), 0);
	assert_int_equal(count(img), 0);
	assert_int_equal(dfuse_image_get_entry(&entry, img), 1);
	assert_int_equal(entry, 0x12345); /* 0x1234 * 16 + 5 */
	dfuse_image_free(img);
}

static void test_ihex__same_start_twice_ok(void **state)
{
	static const char text[] =
		":040000050800029D50\n" /* 05: entry 0x0800029D */
		":040000050800029D50\n" /* 05: the same again */
		":00000001FF\n";	/* 01 */
	dfuse_image *img;
	uint32_t entry = 0;

	(void)state;
	assert_int_equal(parse(&img, text), 0);
	assert_int_equal(dfuse_image_get_entry(&entry, img), 1);
	assert_int_equal(entry, 0x0800029D);
	dfuse_image_free(img);
}

static void test_ihex__conflicting_start(void **state)
{
	static const char text[] =
		":040000050800029D50\n" /* 05: entry 0x0800029D */
		":0400000508000401EA\n" /* 05: entry 0x08000401 */
		":00000001FF\n";	/* 01 */
	dfuse_image *img;
	uint32_t entry;

	(void)state;
	assert_int_equal(parse(&img, text), DFUSE_EFORMAT);
	assert_string_equal(msg(), "line 2: start address 0x08000401 differs "
				   "from 0x0800029d given on line 1");
	assert_int_equal(dfuse_image_get_entry(&entry, img), 0);
	dfuse_image_free(img);
}

static void test_ihex__zero_length_data(void **state)
{
	static const char text[] = ":00123400BA\n"  /* 00: no bytes at 0x1234 */
				   ":00000001FF\n"; /* 01 */
	dfuse_image *img;

	(void)state;
	assert_int_equal(parse(&img, text), 0);
	assert_int_equal(count(img), 0);
	dfuse_image_free(img);
}

/* ======== Text conventions ======== */

static void test_ihex__crlf_and_lowercase(void **state)
{
	static const char text[] =
		":020000040800f2\r\n"	  /* 04, lower-case checksum */
		":04001000aabbccddde\r\n" /* 00, lower-case data */
		":00000001ff\r\n";	  /* 01 */
	dfuse_image *img;
	dfuse_element_info e;

	(void)state;
	assert_int_equal(parse(&img, text), 0);
	element(&e, img, 0);
	assert_int_equal(e.address, 0x08000010);
	assert_memory_equal(e.data, "\xAA\xBB\xCC\xDD", 4);
	dfuse_image_free(img);
}

static void test_ihex__blank_lines_whitespace_bom(void **state)
{
	static const char text[] =
		"\xEF\xBB\xBF"		 /* UTF-8 byte order mark */
		"\n"			 /* blank */
		"  :020000040800F2 \t\n" /* 04 with spaces around it */
		"\r\n"			 /* blank CRLF */
		":04001000AABBCCDDDE\n"	 /* 00 */
		":00000001FF\n"		 /* 01 */
		"\n \t\r\n";		 /* blank lines after EOF: fine */
	dfuse_image *img;
	dfuse_element_info e;

	(void)state;
	assert_int_equal(parse(&img, text), 0);
	element(&e, img, 0);
	assert_int_equal(e.address, 0x08000010);
	dfuse_image_free(img);
}

static void test_ihex__no_final_newline(void **state)
{
	static const char text[] = ":04001000AABBCCDDDE\n" /* 00 */
				   ":00000001FF";	   /* 01, no LF */
	dfuse_image *img;

	(void)state;
	assert_int_equal(parse(&img, text), 0);
	assert_int_equal(count(img), 1);
	dfuse_image_free(img);
}

/* The text is not NUL-terminated: an exact-size copy, so that ASan sees
 * any read past len. */
static void test_ihex__not_nul_terminated(void **state)
{
	static const char text[] = ":04001000AABBCCDDDE\n" /* 00 */
				   ":00000001FF";	   /* 01 */
	dfuse_image *img = new_image();
	size_t len = sizeof(text) - 1;
	char *copy = malloc(len);

	(void)state;
	assert_non_null(copy);
	memcpy(copy, text, len);
	assert_int_equal(dfuse_parse_ihex(img, 0, copy, len, NULL), 0);
	assert_int_equal(count(img), 1);
	/* Cut inside the EOF record: "...\n:00000001F" */
	assert_int_equal(dfuse_parse_ihex(img, 0, copy, len - 1, NULL),
			 DFUSE_EFORMAT);
	assert_msg_has("line 2: odd number of hex digits (9)");
	free(copy);
	dfuse_image_free(img);
}

/* ======== Syntax errors ======== */

static void test_ihex__bad_checksum(void **state)
{
	static const char text[] =
		":020000040800F2\n"	/* 04 */
		":04001000AABBCCDDDE\n" /* 00 */
		":04002000AABBCCDDDF\n" /* 00 at 0x20: right sum is 0xCE */
		":00000001FF\n";	/* 01 */
	dfuse_image *img;

	(void)state;
	assert_int_equal(parse(&img, text), DFUSE_ECRC);
	assert_msg_has("line 3");
	assert_string_equal(msg(), "line 3: checksum is 0xdf, expected 0xce");
	assert_int_equal(count(img), 0); /* nothing added on failure */
	dfuse_image_free(img);
}

static void test_ihex__missing_eof(void **state)
{
	static const char text[] = ":020000040800F2\n"	      /* 04 */
				   "\n"			      /* blank */
				   ":04001000AABBCCDDDE\n\n"; /* 00, blank */
	dfuse_image *img;

	(void)state;
	assert_int_equal(parse(&img, text), DFUSE_EFORMAT);
	assert_string_equal(msg(), "line 4: input ends without an end-of-file "
				   "record (:00000001FF)");
	assert_int_equal(count(img), 0);
	dfuse_image_free(img);
}

static void test_ihex__empty_input(void **state)
{
	dfuse_image *img = new_image();

	(void)state;
	assert_int_equal(dfuse_parse_ihex(img, 0, NULL, 0, NULL),
			 DFUSE_EFORMAT);
	assert_msg_has("line 1: no records");
	assert_int_equal(dfuse_parse_ihex(img, 0, "\n\n", 2, NULL),
			 DFUSE_EFORMAT);
	assert_msg_has("line 2: no records");
	dfuse_image_free(img);
}

static void test_ihex__bad_length(void **state)
{
	/* LL says 0x10 bytes, the line holds 12 (checksum made to fit) */
	static const char text[] =
		":10000000000102030405060708090A0BB4\n" /* 00, short */
		":00000001FF\n";			/* 01 */
	dfuse_image *img;

	(void)state;
	assert_int_equal(parse(&img, text), DFUSE_EFORMAT);
	assert_string_equal(msg(), "line 1: record length 16 but the line "
				   "holds 12 data bytes");
	dfuse_image_free(img);
}

static void test_ihex__overlong_line(void **state)
{
	struct sb b = {0};
	dfuse_image *img;
	size_t i;

	(void)state;
	/* LL = 0xFF, then 300 data bytes: more than any record holds */
	sb_add(&b, ":FF000000");
	for (i = 0; i < 300; i++)
		sb_add(&b, "00");
	sb_add(&b, "00\n:00000001FF\n");
	assert_int_equal(parse(&img, b.p), DFUSE_EFORMAT);
	assert_string_equal(msg(), "line 1: record length 255 but the line "
				   "holds 300 data bytes");
	dfuse_image_free(img);
	free(b.p);
}

static void test_ihex__bad_type(void **state)
{
	static const char text[] = ":020000040800F2\n" /* 04 */
				   "\n"		       /* blank */
				   ":00000007F9\n"     /* type 07 */
				   ":00000001FF\n";    /* 01 */
	dfuse_image *img;

	(void)state;
	assert_int_equal(parse(&img, text), DFUSE_EFORMAT);
	assert_string_equal(msg(),
			    "line 3: record type 0x07 is not one of 00-05");
	dfuse_image_free(img);
}

static void test_ihex__type_length(void **state)
{
	static const char text[] = ":03000004080000F1\n" /* 04 with 3 bytes */
				   ":00000001FF\n";	 /* 01 */
	static const char eof[] = ":0100000100FE\n";	 /* 01 with 1 byte */
	dfuse_image *img;

	(void)state;
	assert_int_equal(parse(&img, text), DFUSE_EFORMAT);
	assert_string_equal(msg(), "line 1: extended linear address record "
				   "(04) has length 3, expected 2");
	dfuse_image_free(img);
	assert_int_equal(parse(&img, eof), DFUSE_EFORMAT);
	assert_string_equal(msg(), "line 1: end-of-file record (01) has "
				   "length 1, expected 0");
	dfuse_image_free(img);
}

static void test_ihex__non_hex_char(void **state)
{
	static const char text[] =
		":04001000AABBCGDDDE\n" /* 00 with a 'G' in column 15 */
		":00000001FF\n";	/* 01 */
	dfuse_image *img;

	(void)state;
	assert_int_equal(parse(&img, text), DFUSE_EFORMAT);
	assert_string_equal(msg(), "line 1: column 15: 'G' is not a hex digit");
	dfuse_image_free(img);
}

static void test_ihex__nul_byte(void **state)
{
	static const char text[] = ":04001000AA\0BCCDDDE\n" /* NUL inside */
				   ":00000001FF\n";	    /* 01 */
	dfuse_image *img = new_image();

	(void)state;
	assert_int_equal(dfuse_parse_ihex(img, 0, text, sizeof(text) - 1, NULL),
			 DFUSE_EFORMAT);
	assert_string_equal(msg(),
			    "line 1: column 12: byte 0x00 is not a hex digit");
	dfuse_image_free(img);
}

static void test_ihex__odd_digits(void **state)
{
	static const char text[] = ":04001000AABBCCDDD\n" /* a digit short */
				   ":00000001FF\n";	  /* 01 */
	dfuse_image *img;

	(void)state;
	assert_int_equal(parse(&img, text), DFUSE_EFORMAT);
	assert_string_equal(msg(), "line 1: odd number of hex digits (17) "
				   "after ':'");
	dfuse_image_free(img);
}

static void test_ihex__missing_colon(void **state)
{
	static const char text[] = ":020000040800F2\n"	  /* 04 */
				   "04001000AABBCCDDDE\n" /* no ':' */
				   ":00000001FF\n";	  /* 01 */
	dfuse_image *img;

	(void)state;
	assert_int_equal(parse(&img, text), DFUSE_EFORMAT);
	assert_string_equal(msg(), "line 2: expected ':' at the start of a "
				   "record, found '0'");
	dfuse_image_free(img);
}

static void test_ihex__short_record(void **state)
{
	static const char text[] = ":0000\n"	    /* 2 bytes only */
				   ":00000001FF\n"; /* 01 */
	dfuse_image *img;

	(void)state;
	assert_int_equal(parse(&img, text), DFUSE_EFORMAT);
	assert_string_equal(msg(), "line 1: record is 2 bytes, shorter than "
				   "the 5 of an empty record (length, "
				   "address, type, checksum)");
	dfuse_image_free(img);
}

static void test_ihex__content_after_eof(void **state)
{
	static const char text[] = ":04001000AABBCCDDDE\n"  /* 00 */
				   ":00000001FF\n"	    /* 01 */
				   "\n"			    /* blank: fine */
				   ":04001000AABBCCDDDE\n"; /* 00 after EOF */
	dfuse_image *img;

	(void)state;
	assert_int_equal(parse(&img, text), DFUSE_EFORMAT);
	assert_string_equal(msg(), "line 4: content after the end-of-file "
				   "record on line 2");
	assert_int_equal(count(img), 0);
	dfuse_image_free(img);
}

/* ======== Addresses ======== */

/* Under 04 addressing a record past the segment's end runs on, as
 * srec_cat writes it and srec_cat and objcopy read it. */
static void test_ihex__linear_runs_past_segment(void **state)
{
	static const char text[] =
		":020000040800F2\n" /* 04: base 0x08000000 */
		":10FFF800000102030405060708090A0B0C0D0E0F81\n" /* 00: 16 bytes
								  at 0xFFF8 */
		":00000001FF\n";				/* 01 */
	dfuse_element_info e;
	dfuse_image *img;

	(void)state;
	assert_int_equal(parse(&img, text), 0);
	assert_int_equal(dfuse_image_get_element(&e, img, 0, 0), 0);
	assert_int_equal(e.address, 0x0800FFF8);
	assert_int_equal(e.size, 16);
	assert_int_equal(e.data[8], 0x08); /* at 0x08010000, not 0x08000000 */
	dfuse_image_free(img);
}

/* Under 02 addressing it could only wrap: refused. */
static void test_ihex__segment_wrap_refused(void **state)
{
	static const char text[] =
		":020000021000EC\n" /* 02: base 0x10000 */
		":10FFF800000102030405060708090A0B0C0D0E0F81\n" /* 00: 16 bytes
								  at 0xFFF8 */
		":00000001FF\n";				/* 01 */
	dfuse_image *img;

	(void)state;
	assert_int_equal(parse(&img, text), DFUSE_ERANGE);
	assert_string_equal(msg(), "line 2: 16 bytes at offset 0xfff8 run "
				   "past the end of the 64 KiB segment at "
				   "0x00010000 (Intel HEX would wrap them to "
				   "its start; refused)");
	dfuse_image_free(img);
}

/* Linear, past 4 GiB: refused. */
static void test_ihex__linear_past_4g(void **state)
{
	static const char text[] =
		":02000004FFFFFC\n" /* 04: base 0xFFFF0000 */
		":10FFF800000102030405060708090A0B0C0D0E0F81\n"
		":00000001FF\n";
	dfuse_image *img;

	(void)state;
	assert_int_equal(parse(&img, text), DFUSE_ERANGE);
	assert_string_equal(msg(), "line 2: 16 bytes at 0xfffffff8 run past "
				   "the end of the 32-bit address space");
	dfuse_image_free(img);
}

/* Records at 0 and at 0xFFFFFF00: two elements, nothing allocated for the
 * 4 GiB between them. */
static void test_ihex__sparse_span(void **state)
{
	static const char text[] =
		":1000000011111111111111111111111111111111E0\n" /* 00 @0 */
		":02000004FFFFFC\n" /* 04: base 0xFFFF0000 */
		":10FF0000EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE11\n" /* 00: 16 x EE
								  at 0xFF00 */
		":00000001FF\n";				/* 01 */
	dfuse_input_options o = DFUSE_INPUT_OPTIONS_INIT;
	dfuse_image *img = new_image();
	dfuse_element_info e;
	clock_t t0 = clock();

	(void)state;
	o.max_size = 4096; /* the span would never fit this limit */
	assert_int_equal(dfuse_parse_ihex(img, 0, text, strlen(text), &o), 0);
	assert_true(clock() - t0 < CLOCKS_PER_SEC);
	assert_int_equal(count(img), 2);
	element(&e, img, 0);
	assert_int_equal(e.address, 0);
	assert_int_equal(e.size, 16);
	element(&e, img, 1);
	assert_int_equal(e.address, 0xFFFFFF00);
	assert_int_equal(e.size, 16);
	assert_int_equal(e.data[15], 0xEE);
	dfuse_image_free(img);
}

static void test_ihex__empty_base_record(void **state)
{
	static const char text[] =
		":1000000011111111111111111111111111111111E0\n" /* 00 @0 */
		"\n"						/* blank */
		"\n"						/* blank */
		":00000004FC\n"	 /* 04 with no bytes */
		":00000001FF\n"; /* 01 */
	dfuse_image *img;

	(void)state;
	assert_int_equal(parse(&img, text), DFUSE_EFORMAT);
	assert_string_equal(msg(), "line 4: extended linear address record "
				   "(04) has length 0, expected 2");
	dfuse_image_free(img);
}

static void test_ihex__records_out_of_order(void **state)
{
	static const char text[] =
		":020000040800F2\n" /* 04: base 0x08000000 */
		":1000200033333333333333333333333333333333A0\n" /* 00 @0x20 */
		":1000000011111111111111111111111111111111E0\n" /* 00 @0x00 */
		":02000004FFFFFC\n" /* 04: base 0xFFFF0000 */
		":10FF0000EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE11\n" /* 00 */
		":020000040000FA\n"				/* 04: base 0 */
		":1000100022222222222222222222222222222222C0\n" /* 00 @0x10 */
		":00000001FF\n";				/* 01 */
	dfuse_image *img;
	dfuse_element_info e;

	(void)state;
	assert_int_equal(parse(&img, text), 0);
	assert_int_equal(count(img), 4);
	element(&e, img, 0);
	assert_int_equal(e.address, 0x00000010);
	assert_int_equal(e.data[0], 0x22);
	element(&e, img, 1);
	assert_int_equal(e.address, 0x08000000);
	assert_int_equal(e.data[0], 0x11);
	element(&e, img, 2);
	assert_int_equal(e.address, 0x08000020);
	assert_int_equal(e.data[0], 0x33);
	element(&e, img, 3);
	assert_int_equal(e.address, 0xFFFFFF00);
	dfuse_image_free(img);
}

/* A record that fills the gap between two runs joins all three. */
static void test_ihex__bridge_joins_runs(void **state)
{
	static const char text[] =
		":1000000011111111111111111111111111111111E0\n" /* 00 @0x00 */
		":1000200033333333333333333333333333333333A0\n" /* 00 @0x20 */
		":1000100022222222222222222222222222222222C0\n" /* 00 @0x10 */
		":00000001FF\n";				/* 01 */
	dfuse_image *img;
	dfuse_element_info e;

	(void)state;
	assert_int_equal(parse(&img, text), 0);
	assert_int_equal(count(img), 1);
	element(&e, img, 0);
	assert_int_equal(e.address, 0);
	assert_int_equal(e.size, 48);
	assert_int_equal(e.data[0x0F], 0x11);
	assert_int_equal(e.data[0x10], 0x22);
	assert_int_equal(e.data[0x2F], 0x33);
	dfuse_image_free(img);
}

/* Records in descending order, each ending where the previous one starts:
 * one element in the end (and no quadratic cost on the way). */
static void test_ihex__descending_records(void **state)
{
	struct sb b = {0};
	dfuse_image *img;
	dfuse_element_info e;
	uint8_t d[16];
	unsigned i, k;

	(void)state;
	for (i = 4096; i-- > 0;) {
		for (k = 0; k < 16; k++)
			d[k] = (uint8_t)(i * 16 + k);
		hex_rec(&b, 0, i * 16, d, 16);
	}
	hex_rec(&b, 1, 0, NULL, 0);
	assert_int_equal(parse(&img, b.p), 0);
	assert_int_equal(count(img), 1);
	element(&e, img, 0);
	assert_int_equal(e.address, 0);
	assert_int_equal(e.size, 65536);
	for (i = 0; i < 65536; i++)
		if (e.data[i] != (uint8_t)i)
			fail_msg("byte %u is 0x%02x", i, e.data[i]);
	dfuse_image_free(img);
	free(b.p);
}

/* ======== Overlap ======== */

static void test_ihex__overlap_same_data(void **state)
{
	static const char text[] =
		":1000000011111111111111111111111111111111E0\n" /* 00 @0x00 */
		":1000100022222222222222222222222222222222C0\n" /* 00 @0x10 */
		":040014002222222260\n" /* 00: 22 22 22 22 at 0x14 again */
		":1000100022222222222222222222222222222222C0\n" /* 0x10 again */
		":00000001FF\n";				/* 01 */
	dfuse_image *img;
	dfuse_element_info e;

	(void)state;
	assert_int_equal(parse(&img, text), 0);
	assert_int_equal(count(img), 1);
	element(&e, img, 0);
	assert_int_equal(e.size, 32);
	dfuse_image_free(img);
}

static void test_ihex__overlap_different_data(void **state)
{
	static const char text[] =
		":1000000011111111111111111111111111111111E0\n" /* 00 @0x00 */
		":1000100022222222222222222222222222222222C0\n" /* 00 @0x10 */
		"\n"						/* blank */
		":1000200033333333333333333333333333333333A0\n" /* 00 @0x20 */
		":0400140022229922E9\n" /* 00: 22 22 99 22 at 0x14 */
		":00000001FF\n";	/* 01 */
	dfuse_image *img;

	(void)state;
	assert_int_equal(parse(&img, text), DFUSE_EOVERLAP);
	/* line 2 wrote 0x16, although the run started on line 1 */
	assert_string_equal(msg(), "line 5: record at 0x00000014 writes 0x99 "
				   "at 0x00000016, but line 2 already wrote "
				   "0x22 there");
	assert_int_equal(count(img), 0);
	dfuse_image_free(img);
}

/* The same address reached through a different base. */
static void test_ihex__overlap_via_segment(void **state)
{
	static const char text[] =
		":020000021000EC\n"	/* 02: base 0x10000 */
		":0401000001020304F1\n" /* 00: 01 02 03 04 at 0x10100 */
		":020000040001F9\n"	/* 04: base 0x10000 */
		":0401000001020305F0\n" /* 00: 01 02 03 05 at 0x10100 */
		":00000001FF\n";	/* 01 */
	dfuse_image *img;

	(void)state;
	assert_int_equal(parse(&img, text), DFUSE_EOVERLAP);
	assert_string_equal(msg(), "line 4: record at 0x00010100 writes 0x05 "
				   "at 0x00010103, but line 2 already wrote "
				   "0x04 there");
	dfuse_image_free(img);
}

/* Data from another input already in the target: compared before anything
 * is added, and the message names that input. */
static void test_ihex__overlap_with_image(void **state)
{
	static const char text[] =
		":020000040800F2\n"	/* 04: base 0x08000000 */
		":04001000AABBCCDDDE\n" /* 00: AA BB CC DD at 0x08000010 */
		":1000200033333333333333333333333333333333A0\n" /* 00 @0x20 */
		":00000001FF\n";				/* 01 */
	static const uint8_t same[2] = {0xBB, 0xCC};
	static const uint8_t other[2] = {0x33, 0x34};
	dfuse_input_options o = DFUSE_INPUT_OPTIONS_INIT;
	dfuse_image *img = new_image();

	(void)state;
	o.source = "boot.bin";
	assert_int_equal(dfuse_image_add_data(img, 0, 0x08000011, same, 2, &o),
			 0);
	assert_int_equal(dfuse_image_add_data(img, 0, 0x0800002E, other, 2, &o),
			 0);
	o.source = "app.hex";
	assert_int_equal(dfuse_parse_ihex(img, 0, text, strlen(text), &o),
			 DFUSE_EOVERLAP);
	assert_string_equal(msg(), "line 3: record at 0x08000020 writes 0x33 "
				   "at 0x0800002f, but 'boot.bin' already "
				   "has 0x34 there");
	assert_int_equal(count(img), 2); /* unchanged */
	dfuse_image_free(img);
}

/* ======== Limits, options, arguments ======== */

static void test_ihex__input_limit(void **state)
{
	static const char text[] = ":04001000AABBCCDDDE\n" /* 00 */
				   ":00000001FF\n";	   /* 01 */
	dfuse_input_options o = DFUSE_INPUT_OPTIONS_INIT;
	dfuse_image *img = new_image();

	(void)state;
	o.max_size = 16;
	assert_int_equal(dfuse_parse_ihex(img, 0, text, strlen(text), &o),
			 DFUSE_ETOOBIG);
	assert_string_equal(msg(), "input is 32 bytes, over the input limit "
				   "of 16 bytes (max_size)");
	o.max_size = 32; /* exactly the input: fine */
	assert_int_equal(dfuse_parse_ihex(img, 0, text, strlen(text), &o), 0);
	dfuse_image_free(img);
}

static void test_ihex__options_tag_elements(void **state)
{
	static const char text[] = ":04001000AABBCCDDDE\n" /* 00 */
				   ":00000001FF\n";	   /* 01 */
	dfuse_input_options o = DFUSE_INPUT_OPTIONS_INIT;
	dfuse_image *img = new_image();
	dfuse_element_info e;

	(void)state;
	o.source = "cm4.hex";
	o.core = DFUSE_CORE_CM4;
	assert_int_equal(dfuse_parse_ihex(img, 0, text, strlen(text), &o), 0);
	element(&e, img, 0);
	assert_int_equal(e.core, DFUSE_CORE_CM4);
	assert_string_equal(e.source, "cm4.hex");
	dfuse_image_free(img);
}

static void test_ihex__bad_arguments(void **state)
{
	static const char text[] = ":00000001FF\n"; /* 01 */
	dfuse_image *img = new_image();

	(void)state;
	assert_int_equal(dfuse_parse_ihex(img, 1, text, strlen(text), NULL),
			 DFUSE_EINVAL);
	assert_string_equal(msg(), "target 1 does not exist (1 targets)");
	assert_int_equal(dfuse_parse_ihex(NULL, 0, text, strlen(text), NULL),
			 DFUSE_EINVAL);
	assert_int_equal(dfuse_parse_ihex(img, 0, NULL, 5, NULL), DFUSE_EINVAL);
	dfuse_image_free(img);
}

/* ======== The real sample, against its S-record twin ======== */

static char *load(const char *rel, size_t *len)
{
	char path[4096];
	const char *file = __FILE__;
	const char *cut = strstr(file, "tests/unit/");
	size_t pre = cut ? (size_t)(cut - file) : 0;
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%.*s%s", (int)pre, file, rel);
	f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	assert_int_equal(fseek(f, 0, SEEK_SET), 0);
	buf = malloc(n > 0 ? (size_t)n : 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void test_ihex__sample_matches_srec(void **state)
{
	size_t hlen = 0, slen = 0, i, n;
	char *hex = load("samples/h745-blinky/cm7.hex", &hlen);
	char *srec = load("samples/h745-blinky/cm7.srec", &slen);
	dfuse_image *a = new_image(), *b = new_image();
	uint32_t ea = 0, eb = 0;

	(void)state;
	if (hex == NULL || srec == NULL) {
		free(hex);
		free(srec);
		dfuse_image_free(a);
		dfuse_image_free(b);
		skip();
	}
	assert_int_equal(dfuse_parse_ihex(a, 0, hex, hlen, NULL), 0);
	assert_int_equal(dfuse_parse_srec(b, 0, srec, slen, NULL), 0);
	n = count(a);
	assert_true(n > 0);
	assert_int_equal(count(b), n);
	for (i = 0; i < n; i++) {
		dfuse_element_info x, y;

		element(&x, a, i);
		element(&y, b, i);
		assert_int_equal(x.address, y.address);
		assert_int_equal(x.size, y.size);
		assert_memory_equal(x.data, y.data, x.size);
	}
	assert_int_equal(dfuse_image_get_entry(&ea, a), 1);
	assert_int_equal(dfuse_image_get_entry(&eb, b), 1);
	assert_int_equal(ea, eb);
	free(hex);
	free(srec);
	dfuse_image_free(a);
	dfuse_image_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ihex__data_and_eof),
		cmocka_unit_test(test_ihex__linear_address),
		cmocka_unit_test(test_ihex__segment_address),
		cmocka_unit_test(test_ihex__start_linear_address),
		cmocka_unit_test(test_ihex__start_segment_address),
		cmocka_unit_test(test_ihex__same_start_twice_ok),
		cmocka_unit_test(test_ihex__conflicting_start),
		cmocka_unit_test(test_ihex__zero_length_data),
		cmocka_unit_test(test_ihex__crlf_and_lowercase),
		cmocka_unit_test(test_ihex__blank_lines_whitespace_bom),
		cmocka_unit_test(test_ihex__no_final_newline),
		cmocka_unit_test(test_ihex__not_nul_terminated),
		cmocka_unit_test(test_ihex__bad_checksum),
		cmocka_unit_test(test_ihex__missing_eof),
		cmocka_unit_test(test_ihex__empty_input),
		cmocka_unit_test(test_ihex__bad_length),
		cmocka_unit_test(test_ihex__overlong_line),
		cmocka_unit_test(test_ihex__bad_type),
		cmocka_unit_test(test_ihex__type_length),
		cmocka_unit_test(test_ihex__non_hex_char),
		cmocka_unit_test(test_ihex__nul_byte),
		cmocka_unit_test(test_ihex__odd_digits),
		cmocka_unit_test(test_ihex__missing_colon),
		cmocka_unit_test(test_ihex__short_record),
		cmocka_unit_test(test_ihex__content_after_eof),
		cmocka_unit_test(test_ihex__linear_runs_past_segment),
		cmocka_unit_test(test_ihex__segment_wrap_refused),
		cmocka_unit_test(test_ihex__linear_past_4g),
		cmocka_unit_test(test_ihex__sparse_span),
		cmocka_unit_test(test_ihex__empty_base_record),
		cmocka_unit_test(test_ihex__records_out_of_order),
		cmocka_unit_test(test_ihex__bridge_joins_runs),
		cmocka_unit_test(test_ihex__descending_records),
		cmocka_unit_test(test_ihex__overlap_same_data),
		cmocka_unit_test(test_ihex__overlap_different_data),
		cmocka_unit_test(test_ihex__overlap_via_segment),
		cmocka_unit_test(test_ihex__overlap_with_image),
		cmocka_unit_test(test_ihex__input_limit),
		cmocka_unit_test(test_ihex__options_tag_elements),
		cmocka_unit_test(test_ihex__bad_arguments),
		cmocka_unit_test(test_ihex__sample_matches_srec),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
