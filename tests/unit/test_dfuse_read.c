/*
 * test_dfuse_read.c - the DfuSe reader (src/lib/dfuse_read.c).
 *
 * Oracles are independent of our code: golden files are written by hand
 * below as commented byte arrays (doc/sources.md, Test vectors), CRCs are
 * recomputed with zlib here, the real-world corpus is checked against the
 * MANIFEST an independent reader wrote, and tests/data/bad/ comes from a python
 * script that assembles fields with struct.pack.
 *
 * Paths are relative to the repository root, where the tests run.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "dfuse.h"
#include "image.h"

#define VECTORS_DIR "../shared/reference/vectors/"
#define CORPUS_DIR "../shared/corpus/realworld/"
#define BAD_DIR "tests/data/bad/"

/* ======== The golden file of doc/sources.md, Test vectors, by hand ======== */

/* Prefix: 11 bytes at offset 0. */
static const uint8_t g_prefix[11] = {
	'D',  'f',  'u',  'S',	'e', /* szSignature */
	0x01,			     /* bVersion */
	0x2d, 0x01, 0x00, 0x00,	     /* DFUImageSize = 301 (file size - 16) */
	0x01,			     /* bTargets = 1 */
};

/* Target prefix, bytes 0..10, at offset 11. */
static const uint8_t g_target_head[11] = {
	'T',  'a',  'r',  'g',	'e', 't', /* szSignature */
	0x00,				  /* bAlternateSetting = 0 */
	0x01, 0x00, 0x00, 0x00,		  /* bTargetNamed = 1 */
};

/* szTargetName at offset 22: these bytes, then NULs up to 255 bytes. */
static const char g_name[] = "ST...";

/* Target prefix, bytes 266..273, at offset 277. */
static const uint8_t g_target_tail[8] = {
	0x10, 0x00, 0x00, 0x00, /* dwTargetSize = 16 (8 + 8) */
	0x01, 0x00, 0x00, 0x00, /* dwNbElements = 1 */
};

/* Element 0 at offset 285: header, then 8 data bytes at 293. */
static const uint8_t g_element[16] = {
	0x00, 0x00, 0x00, 0x08, /* dwElementAddress = 0x08000000 */
	0x08, 0x00, 0x00, 0x00, /* dwElementSize = 8 */
	0x00, 0x00, 0x02, 0x20, /* data: SP = 0x20020000 */
	0x99, 0x02, 0x00, 0x08, /* data: Reset = 0x08000299 */
};

/* Suffix at offset 301. */
static const uint8_t g_suffix[16] = {
	0xff, 0xff,		/* bcdDevice = 0xFFFF */
	0x11, 0xdf,		/* idProduct = 0xDF11 */
	0x83, 0x04,		/* idVendor = 0x0483 */
	0x1a, 0x01,		/* bcdDFU = 0x011A */
	'U',  'F',  'D',	/* ucDfuSignature */
	0x10,			/* bLength = 16 */
	0x04, 0x53, 0xd5, 0xf8, /* dwCRC = 0xF8D55304 */
};

#define GOLDEN_LEN 317
#define T0 11  /* target 0 prefix */
#define E0 285 /* element 0 header */
#define D0 293 /* element 0 data */
#define S0 301 /* suffix */

/* Assembles the 317 bytes from the parts above. */
static void golden(uint8_t out[GOLDEN_LEN])
{
	size_t o = 0;

	memset(out, 0, GOLDEN_LEN);
	memcpy(out + o, g_prefix, sizeof(g_prefix));
	o += sizeof(g_prefix);
	memcpy(out + o, g_target_head, sizeof(g_target_head));
	o += sizeof(g_target_head);
	memcpy(out + o, g_name, strlen(g_name));
	o += 255;
	memcpy(out + o, g_target_tail, sizeof(g_target_tail));
	o += sizeof(g_target_tail);
	memcpy(out + o, g_element, sizeof(g_element));
	o += sizeof(g_element);
	memcpy(out + o, g_suffix, sizeof(g_suffix));
	o += sizeof(g_suffix);
	assert_int_equal(o, GOLDEN_LEN);
}

/* ======== Helpers ======== */

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* The oracle CRC: ~crc32 with zlib directly (DFU 1.1 Appendix B). */
static uint32_t zcrc(const uint8_t *buf, size_t len)
{
	return (uint32_t)(~crc32(0, buf, (uInt)len) & 0xffffffffu);
}

static void fix_crc(uint8_t *buf, size_t len)
{
	put32(buf + len - 4, zcrc(buf, len - 4));
}

/* DFUImageSize = len - 16, then the CRC. */
static void fix_all(uint8_t *buf, size_t len)
{
	put32(buf + 6, (uint32_t)(len - 16));
	fix_crc(buf, len);
}

static uint8_t *load(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	*len = 0;
	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0) {
		n = ftell(f);
		if (n >= 0 && fseek(f, 0, SEEK_SET) == 0) {
			buf = malloc((size_t)n + 1);
			if (buf != NULL &&
			    fread(buf, 1, (size_t)n, f) == (size_t)n) {
				*len = (size_t)n;
			} else {
				free(buf);
				buf = NULL;
			}
		}
	}
	fclose(f);
	return buf;
}

/* Lenient read that must succeed; returns the report (caller frees). */
static dfuse_report *read_ok(dfuse_image **img, const uint8_t *buf, size_t len,
			     unsigned int flags)
{
	dfuse_read_options o = DFUSE_READ_OPTIONS_INIT;
	dfuse_report *r = NULL;
	int rc;

	o.flags = flags;
	rc = dfuse_read(img, &r, buf, len, &o);
	if (rc != 0)
		fail_msg("dfuse_read: %d %s", rc, dfuse_error_last()->message);
	assert_non_null(*img);
	assert_non_null(r);
	return r;
}

static int find(dfuse_finding *out, const dfuse_report *r, const char *code,
		int64_t offset)
{
	size_t i;

	for (i = 0; i < dfuse_report_count(r); i++) {
		assert_int_equal(dfuse_report_get(out, r, i), 0);
		if (strcmp(out->code, code) == 0 &&
		    (offset < 0 || out->offset == offset))
			return 1;
	}
	return 0;
}

static int has(const dfuse_report *r, const char *code)
{
	dfuse_finding f;

	return find(&f, r, code, -1);
}

static void dump_report(const dfuse_report *r)
{
	dfuse_finding f;
	size_t i;

	for (i = 0; i < dfuse_report_count(r); i++) {
		dfuse_report_get(&f, r, i);
		print_message("  %s %s @%" PRId64 " t%d e%d: %s\n",
			      dfuse_severity_name(f.severity), f.code, f.offset,
			      f.target, f.element, f.message);
	}
}

/* A finding with this code at this offset (-1: any), severity, indices
 * and text. */
static void expect_finding(const dfuse_report *r, const char *code,
			   int severity, int64_t offset, int target,
			   int element, const char *fragment)
{
	dfuse_finding f;

	if (!find(&f, r, code, offset)) {
		dump_report(r);
		fail_msg("no %s finding at offset %" PRId64, code, offset);
	}
	assert_int_equal(f.severity, severity);
	assert_int_equal(f.target, target);
	assert_int_equal(f.element, element);
	if (strstr(f.message, fragment) == NULL)
		fail_msg("'%s' lacks '%s'", f.message, fragment);
}

/* Nothing at warning level or above. */
static void expect_clean(const dfuse_report *r)
{
	if (dfuse_report_count_at_least(r, DFUSE_SEV_WARNING) != 0) {
		dump_report(r);
		fail_msg("unexpected warnings or errors");
	}
}

/* A strict read fails with `code` and a message holding `fragment`. */
static void expect_strict(const uint8_t *buf, size_t len, int code,
			  const char *fragment)
{
	dfuse_read_options o = DFUSE_READ_OPTIONS_INIT;
	dfuse_image *img = (dfuse_image *)1;
	dfuse_report *r = (dfuse_report *)1;
	int rc;

	o.flags = DFUSE_READ_STRICT;
	rc = dfuse_read(&img, &r, buf, len, &o);
	assert_int_equal(rc, code);
	assert_null(img);
	assert_null(r);
	assert_int_equal(dfuse_error_last()->code, code);
	if (strstr(dfuse_error_last()->message, fragment) == NULL)
		fail_msg("'%s' lacks '%s'", dfuse_error_last()->message,
			 fragment);
}

/*
 * Reads `buf` leniently and checks one finding; then strict mode must fail
 * with `strict_rc` and a message holding `strict_fragment` (the first
 * error, else the first warning), or succeed when strict_rc is 0.
 */
static void check_case_strict(const uint8_t *buf, size_t len, const char *code,
			      int severity, int64_t offset, int target,
			      int element, const char *fragment, int strict_rc,
			      const char *strict_fragment)
{
	dfuse_image *img = NULL;
	dfuse_report *r = read_ok(&img, buf, len, 0);

	expect_finding(r, code, severity, offset, target, element, fragment);
	dfuse_report_free(r);
	dfuse_image_free(img);
	if (strict_rc != 0) {
		expect_strict(buf, len, strict_rc, strict_fragment);
	} else {
		dfuse_read_options o = DFUSE_READ_OPTIONS_INIT;

		o.flags = DFUSE_READ_STRICT;
		assert_int_equal(dfuse_read(&img, NULL, buf, len, &o), 0);
		dfuse_image_free(img);
	}
}

/* The same when the finding is the one that fails a strict read. */
static void check_case(const uint8_t *buf, size_t len, const char *code,
		       int severity, int64_t offset, int target, int element,
		       const char *fragment, int strict_rc)
{
	check_case_strict(buf, len, code, severity, offset, target, element,
			  fragment, strict_rc, fragment);
}

/* ======== The golden file ======== */

static void check_golden_model(const dfuse_image *img, int with_data)
{
	static const uint8_t data[8] = {0x00, 0x00, 0x02, 0x20,
					0x99, 0x02, 0x00, 0x08};
	dfuse_target_info t;
	dfuse_element_info e;
	dfuse_ids ids;
	size_t k;

	assert_int_equal(dfuse_image_count_targets(img), 1);
	assert_int_equal(dfuse_image_get_target(&t, img, 0), 0);
	assert_int_equal(t.alt, 0);
	assert_int_equal(t.named, 1);
	assert_string_equal(t.name, "ST...");
	assert_memory_equal(t.name_raw, "ST...", 5);
	for (k = 5; k < 255; k++)
		assert_int_equal(t.name_raw[k], 0);
	assert_int_equal(t.element_count, 1);
	assert_int_equal(t.size, 16);
	assert_int_equal(t.offset, T0);
	assert_int_equal(t.declared_size, 16);
	assert_int_equal(t.declared_elements, 1);

	assert_int_equal(dfuse_image_get_element(&e, img, 0, 0), 0);
	assert_int_equal(e.address, 0x08000000);
	assert_int_equal(e.size, 8);
	assert_int_equal(e.offset, D0);
	if (with_data) {
		assert_non_null(e.data);
		assert_memory_equal(e.data, data, 8);
	} else {
		assert_null(e.data);
	}
	assert_int_equal(e.core, DFUSE_CORE_NONE);

	dfuse_image_get_ids(&ids, img);
	assert_int_equal(ids.bcd_device, 0xFFFF);
	assert_int_equal(ids.id_product, 0xDF11);
	assert_int_equal(ids.id_vendor, 0x0483);
	assert_int_equal(ids.bcd_dfu, 0x011A);
}

static void test_dfuse_read__golden(void **state)
{
	uint8_t buf[GOLDEN_LEN];
	dfuse_image *img = NULL;
	dfuse_report *r;
	dfuse_file_info fi;

	(void)state;
	golden(buf);
	assert_int_equal(zcrc(buf, GOLDEN_LEN - 4), 0xF8D55304u);
	assert_int_equal(dfuse_crc(buf, GOLDEN_LEN - 4), 0xF8D55304u);

	r = read_ok(&img, buf, sizeof(buf), 0);
	if (dfuse_report_count(r) != 0) {
		dump_report(r);
		fail_msg("the golden file has findings");
	}
	check_golden_model(img, 1);

	assert_int_equal(dfuse_image_get_file(&fi, img), 0);
	assert_int_equal(fi.file_size, GOLDEN_LEN);
	assert_int_equal(fi.has_prefix, 1);
	assert_string_equal(fi.signature, "DfuSe");
	assert_int_equal(fi.version, 1);
	assert_int_equal(fi.image_size, 301);
	assert_int_equal(fi.targets, 1);
	assert_int_equal(fi.has_suffix, 1);
	assert_int_equal(fi.ids.bcd_device, 0xFFFF);
	assert_int_equal(fi.ids.id_product, 0xDF11);
	assert_int_equal(fi.ids.id_vendor, 0x0483);
	assert_int_equal(fi.ids.bcd_dfu, 0x011A);
	assert_string_equal(fi.suffix_signature, "UFD");
	assert_int_equal(fi.suffix_length, 16);
	assert_int_equal(fi.crc_stored, 0xF8D55304u);
	assert_int_equal(fi.crc_computed, 0xF8D55304u);
	dfuse_report_free(r);
	dfuse_image_free(img);

	/* Strict, and without a report pointer. */
	{
		dfuse_read_options o = DFUSE_READ_OPTIONS_INIT;

		o.flags = DFUSE_READ_STRICT;
		assert_int_equal(dfuse_read(&img, NULL, buf, sizeof(buf), &o),
				 0);
		check_golden_model(img, 1);
		dfuse_image_free(img);
		assert_int_equal(dfuse_read(&img, NULL, buf, sizeof(buf), NULL),
				 0);
		check_golden_model(img, 1);
		dfuse_image_free(img);
	}
}

static void test_dfuse_read__golden_incl_suffix(void **state)
{
	uint8_t buf[GOLDEN_LEN];
	dfuse_image *img = NULL;
	dfuse_report *r;
	dfuse_file_info fi;

	(void)state;
	golden(buf);
	put32(buf + 6, 317);	      /* DFUImageSize = 317: dfuse-pack's way */
	put32(buf + 313, 0x037536FC); /* dwCRC: doc/sources.md, vectors */
	assert_int_equal(zcrc(buf, GOLDEN_LEN - 4), 0x037536FCu);

	r = read_ok(&img, buf, sizeof(buf), 0);
	expect_clean(r);
	assert_int_equal(dfuse_report_count(r), 1);
	expect_finding(r, "image-size-includes-suffix", DFUSE_SEV_NOTE, 6, -1,
		       -1, "DFUImageSize is 317");
	check_golden_model(img, 1);
	assert_int_equal(dfuse_image_get_file(&fi, img), 0);
	assert_int_equal(fi.image_size, 317);
	assert_int_equal(fi.crc_stored, 0x037536FCu);
	assert_int_equal(fi.crc_computed, 0x037536FCu);
	dfuse_report_free(r);
	dfuse_image_free(img);
	check_case(buf, sizeof(buf), "image-size-includes-suffix",
		   DFUSE_SEV_NOTE, 6, -1, -1, "dfuse-pack", 0);
}

static void test_dfuse_read__vector_files(void **state)
{
	DIR *d = opendir(VECTORS_DIR);
	struct dirent *de;
	size_t seen = 0;

	(void)state;
	if (d == NULL) {
		print_message("skipped: %s is absent\n", VECTORS_DIR);
		skip();
	}
	while ((de = readdir(d)) != NULL) {
		char path[512];
		uint8_t want[GOLDEN_LEN];
		dfuse_image *img = NULL;
		dfuse_report *r = NULL;
		size_t len = 0;
		uint8_t *buf;
		int rc;

		if (strlen(de->d_name) < 5 ||
		    strcmp(de->d_name + strlen(de->d_name) - 4, ".dfu") != 0)
			continue;
		snprintf(path, sizeof(path), VECTORS_DIR "%s", de->d_name);
		rc = dfuse_read_file(&img, &r, path, NULL);
		if (rc != 0)
			fail_msg("%s: %s", path, dfuse_error_last()->message);
		expect_clean(r);
		check_golden_model(img, 1);

		/* Byte for byte what the hand-written arrays say. */
		golden(want);
		if (strcmp(de->d_name, "min_incl_suffix.dfu") == 0) {
			put32(want + 6, 317);
			put32(want + 313, 0x037536FC);
		}
		buf = load(path, &len);
		assert_non_null(buf);
		assert_int_equal(len, GOLDEN_LEN);
		if (strcmp(de->d_name, "min_excl_suffix.dfu") == 0 ||
		    strcmp(de->d_name, "min_incl_suffix.dfu") == 0)
			assert_memory_equal(buf, want, GOLDEN_LEN);
		free(buf);
		dfuse_report_free(r);
		dfuse_image_free(img);
		seen++;
	}
	closedir(d);
	assert_true(seen >= 2);
}

/* ======== One test per diagnostic code ======== */

static void test_dfuse_read__bad_prefix_signature(void **state)
{
	uint8_t buf[GOLDEN_LEN];

	(void)state;
	golden(buf);
	buf[2] = 0x01; /* "Df\x01Se" */
	buf[4] = '"';
	fix_crc(buf, sizeof(buf));
	check_case(buf, sizeof(buf), "bad-prefix-signature", DFUSE_SEV_ERROR, 0,
		   -1, -1, "szSignature is \"Df\\x01S\\x22\"", DFUSE_EFORMAT);
}

static void test_dfuse_read__unsupported_version(void **state)
{
	uint8_t buf[GOLDEN_LEN];

	(void)state;
	golden(buf);
	buf[5] = 2; /* bVersion */
	fix_crc(buf, sizeof(buf));
	check_case(buf, sizeof(buf), "unsupported-version", DFUSE_SEV_ERROR, 5,
		   -1, -1, "bVersion is 2 at offset 0x5, expected 1",
		   DFUSE_EFORMAT);
}

static void test_dfuse_read__truncated_messages(void **state)
{
	uint8_t buf[GOLDEN_LEN], cut[GOLDEN_LEN];
	dfuse_image *img = NULL;
	dfuse_report *r;

	(void)state;
	golden(buf);

	/* In the prefix: 7 bytes; no suffix either. */
	r = read_ok(&img, buf, 7, 0);
	expect_finding(r, "truncated", DFUSE_SEV_ERROR, 0, -1, -1,
		       "prefix: needs 11 bytes, only 7 left");
	{
		dfuse_finding f;
		size_t i, n = 0;

		for (i = 0; i < dfuse_report_count(r); i++) {
			dfuse_report_get(&f, r, i);
			if (strstr(f.message, "suffix: needs 16 bytes") != NULL)
				n++;
		}
		assert_int_equal(n, 1);
	}
	dfuse_report_free(r);
	dfuse_image_free(img);
	expect_strict(buf, 7, DFUSE_EFORMAT, "prefix: needs 11 bytes");

	/* Mid element header: the prefix, the target prefix, 4 header
	 * bytes, then a right suffix. */
	memcpy(cut, buf, E0 + 4);
	memcpy(cut + E0 + 4, g_suffix, 16);
	fix_all(cut, E0 + 4 + 16);
	check_case(cut, E0 + 20, "truncated", DFUSE_SEV_ERROR, E0, 0, 0,
		   "target 0 element 0 header: needs 8 bytes, only 4 left "
		   "before the suffix at offset 0x11d",
		   DFUSE_EFORMAT);

	/* Mid target prefix. */
	memcpy(cut, buf, T0 + 100);
	memcpy(cut + T0 + 100, g_suffix, 16);
	fix_all(cut, T0 + 116);
	check_case(cut, T0 + 116, "truncated", DFUSE_SEV_ERROR, T0, 0, -1,
		   "target 0 prefix: needs 274 bytes, only 100 left before "
		   "the suffix at offset 0xb",
		   DFUSE_EFORMAT);

	/* 20 bytes: the suffix overlaps the prefix. */
	check_case(buf, 20, "truncated", DFUSE_SEV_ERROR, 4, -1, -1,
		   "overlaps the 11-byte prefix", DFUSE_EFORMAT);
}

static void test_dfuse_read__bad_target_signature(void **state)
{
	uint8_t buf[GOLDEN_LEN];
	dfuse_image *img = NULL;
	dfuse_report *r;

	(void)state;
	golden(buf);
	buf[T0 + 4] = 'x'; /* "Targxt" */
	fix_crc(buf, sizeof(buf));
	check_case(buf, sizeof(buf), "bad-target-signature", DFUSE_SEV_ERROR,
		   T0, 0, -1,
		   "target 0: szSignature is \"Targxt\" at offset 0xb, "
		   "expected \"Target\"",
		   DFUSE_EFORMAT);
	r = read_ok(&img, buf, sizeof(buf), 0);
	expect_finding(r, "target-count-mismatch", DFUSE_SEV_ERROR, 10, -1, -1,
		       "bTargets is 1 at offset 0xa but only 0 targets");
	assert_false(has(r, "trailing-bytes"));
	assert_int_equal(dfuse_image_count_targets(img), 0);
	dfuse_report_free(r);
	dfuse_image_free(img);
}

/* Two targets read when bTargets says 1; and bTargets 2 with one. */
static void test_dfuse_read__target_count_mismatch(void **state)
{
	uint8_t buf[GOLDEN_LEN + 290];
	const size_t len = sizeof(buf);
	dfuse_target_info t;
	dfuse_image *img = NULL;
	dfuse_report *r;

	(void)state;
	/* Golden body twice: target 1 is target 0 again, with alt 1. */
	golden(buf);
	memcpy(buf + S0, buf + T0, 290);
	buf[S0 + 6] = 1; /* target 1 bAlternateSetting */
	memcpy(buf + S0 + 290, g_suffix, 16);
	fix_all(buf, len);
	r = read_ok(&img, buf, len, 0);
	expect_finding(r, "target-count-mismatch", DFUSE_SEV_ERROR, 10, -1, -1,
		       "bTargets is 1 at offset 0xa but 2 targets were found: "
		       "target 1 at offset 0x12d is not counted");
	assert_int_equal(dfuse_report_count(r), 1);
	assert_int_equal(dfuse_image_count_targets(img), 2);
	assert_int_equal(dfuse_image_get_target(&t, img, 1), 0);
	assert_int_equal(t.alt, 1);
	assert_int_equal(t.offset, S0);
	dfuse_report_free(r);
	dfuse_image_free(img);
	expect_strict(buf, len, DFUSE_EFORMAT, "2 targets were found");

	/* bTargets 2, one target present. */
	golden(buf);
	buf[10] = 2;
	fix_crc(buf, GOLDEN_LEN);
	check_case_strict(buf, GOLDEN_LEN, "target-count-mismatch",
			  DFUSE_SEV_ERROR, 10, -1, -1,
			  "bTargets is 2 at offset 0xa but only 1 target was "
			  "found",
			  DFUSE_EFORMAT, "target 1 prefix");
	check_case(buf, GOLDEN_LEN, "truncated", DFUSE_SEV_ERROR, S0, 1, -1,
		   "target 1 prefix: needs 274 bytes, only 0 left",
		   DFUSE_EFORMAT);
}

static void test_dfuse_read__element_count_ffffffff(void **state)
{
	uint8_t buf[GOLDEN_LEN];
	dfuse_image *img = NULL;
	dfuse_report *r;

	(void)state;
	golden(buf);
	put32(buf + T0 + 270, 0xFFFFFFFF); /* dwNbElements */
	fix_crc(buf, sizeof(buf));
	check_case(buf, sizeof(buf), "element-count-mismatch", DFUSE_SEV_ERROR,
		   T0 + 270, 0, -1,
		   "target 0: dwNbElements is 4294967295 at offset 0x119 but "
		   "only 1 element fits before the suffix at 0x12d: "
		   "dwNbElements is probably 4294967294 too big",
		   DFUSE_EFORMAT);
	r = read_ok(&img, buf, sizeof(buf), 0);
	assert_int_equal(dfuse_report_count(r), 1);
	assert_int_equal(dfuse_image_count_targets(img), 1);
	dfuse_report_free(r);
	dfuse_image_free(img);

	/* dwTargetSize wrong as well: elements are read while bytes remain,
	 * the element header that does not fit is reported. */
	put32(buf + T0 + 266, 0xFFFFFFFF);
	fix_crc(buf, sizeof(buf));
	r = read_ok(&img, buf, sizeof(buf), 0);
	expect_finding(r, "element-count-mismatch", DFUSE_SEV_ERROR, T0 + 270,
		       0, -1, "4294967295");
	expect_finding(r, "target-size-mismatch", DFUSE_SEV_WARNING, T0 + 266,
		       0, -1, "dwTargetSize is 4294967295");
	dfuse_report_free(r);
	dfuse_image_free(img);
}

static void test_dfuse_read__element_past_end(void **state)
{
	uint8_t buf[GOLDEN_LEN];
	dfuse_element_info e;
	dfuse_image *img = NULL;
	dfuse_report *r;

	(void)state;
	golden(buf);
	put32(buf + E0 + 4, 0xFFFFFFFF); /* dwElementSize */
	fix_crc(buf, sizeof(buf));
	check_case(buf, sizeof(buf), "element-past-end", DFUSE_SEV_ERROR, D0, 0,
		   0,
		   "target 0 element 0: dwElementSize 4294967295 exceeds the "
		   "8 bytes left before the suffix at offset 0x125",
		   DFUSE_EFORMAT);
	r = read_ok(&img, buf, sizeof(buf), 0);
	expect_finding(r, "element-count-mismatch", DFUSE_SEV_ERROR, T0 + 270,
		       0, -1, "0 elements were found");
	assert_false(has(r, "target-size-mismatch"));
	assert_int_equal(dfuse_image_get_element(&e, img, 0, 0), DFUSE_EINVAL);
	dfuse_report_free(r);
	dfuse_image_free(img);

	/* One byte too many. */
	put32(buf + E0 + 4, 9);
	fix_crc(buf, sizeof(buf));
	check_case(buf, sizeof(buf), "element-past-end", DFUSE_SEV_ERROR, D0, 0,
		   0, "dwElementSize 9 exceeds the 8 bytes left",
		   DFUSE_EFORMAT);
}

static void test_dfuse_read__target_size_mismatch(void **state)
{
	uint8_t buf[GOLDEN_LEN];

	(void)state;
	golden(buf);
	put32(buf + T0 + 266, 24); /* dwTargetSize: 16 is right */
	fix_crc(buf, sizeof(buf));
	check_case(buf, sizeof(buf), "target-size-mismatch", DFUSE_SEV_WARNING,
		   T0 + 266, 0, -1,
		   "target 0: dwTargetSize is 24 at offset 0x115 but its "
		   "elements take 16 bytes",
		   DFUSE_EFORMAT);
}

static void test_dfuse_read__image_size_mismatch(void **state)
{
	uint8_t buf[GOLDEN_LEN];
	dfuse_image *img = NULL;
	dfuse_report *r;

	(void)state;
	golden(buf);
	put32(buf + 6, 300); /* DFUImageSize one short, as 32blit's */
	fix_crc(buf, sizeof(buf));
	check_case(buf, sizeof(buf), "image-size-mismatch", DFUSE_SEV_WARNING,
		   6, -1, -1,
		   "DFUImageSize is 300 at offset 0x6, expected 301 (the file "
		   "size 317 minus the 16-byte suffix)",
		   DFUSE_EFORMAT);
	r = read_ok(&img, buf, sizeof(buf), 0);
	assert_int_equal(dfuse_report_count(r), 1);
	check_golden_model(img, 1);
	dfuse_report_free(r);
	dfuse_image_free(img);
}

static void test_dfuse_read__suffix_fields(void **state)
{
	uint8_t buf[GOLDEN_LEN];

	(void)state;
	golden(buf);
	buf[S0 + 10] = 'X'; /* "UFX" */
	fix_crc(buf, sizeof(buf));
	check_case(buf, sizeof(buf), "bad-suffix-signature", DFUSE_SEV_ERROR,
		   S0 + 8, -1, -1,
		   "ucDfuSignature is \"UFX\" at offset 0x135, expected "
		   "\"UFD\"",
		   DFUSE_EFORMAT);

	golden(buf);
	buf[S0 + 11] = 15; /* bLength */
	fix_crc(buf, sizeof(buf));
	check_case(buf, sizeof(buf), "bad-suffix-length", DFUSE_SEV_ERROR,
		   S0 + 11, -1, -1,
		   "bLength is 15 at offset 0x138, expected 16", DFUSE_EFORMAT);

	golden(buf);
	buf[S0 + 6] = 0x00; /* bcdDFU = 0x0100 */
	fix_crc(buf, sizeof(buf));
	check_case(buf, sizeof(buf), "bad-bcddfu", DFUSE_SEV_ERROR, S0 + 6, -1,
		   -1, "bcdDFU is 0x0100 at offset 0x133, expected 0x011a",
		   DFUSE_EFORMAT);

	golden(buf);
	buf[S0 + 2] = 0;
	buf[S0 + 3] = 0; /* idProduct = 0x0000 */
	fix_crc(buf, sizeof(buf));
	check_case(buf, sizeof(buf), "id-product-zero", DFUSE_SEV_NOTE, S0 + 2,
		   -1, -1, "idProduct is 0x0000", 0);
}

static void test_dfuse_read__crc_mismatch(void **state)
{
	uint8_t buf[GOLDEN_LEN];
	dfuse_image *img = NULL;
	dfuse_report *r;
	dfuse_file_info fi;

	(void)state;
	golden(buf);
	buf[S0 + 12] ^= 0x01; /* dwCRC = 0xF8D55305 */
	check_case(buf, sizeof(buf), "crc-mismatch", DFUSE_SEV_ERROR, S0 + 12,
		   -1, -1,
		   "dwCRC is 0xf8d55305 at offset 0x139 but the CRC of the "
		   "first 313 bytes is 0xf8d55304",
		   DFUSE_ECRC);
	r = read_ok(&img, buf, sizeof(buf), 0);
	assert_int_equal(dfuse_report_count(r), 1);
	assert_int_equal(dfuse_image_get_file(&fi, img), 0);
	assert_int_equal(fi.crc_stored, 0xF8D55305u);
	assert_int_equal(fi.crc_computed, 0xF8D55304u);
	check_golden_model(img, 1);
	dfuse_report_free(r);
	dfuse_image_free(img);

	/* A data byte flipped, the stored CRC left alone. */
	golden(buf);
	buf[D0] ^= 0x80;
	check_case(buf, sizeof(buf), "crc-mismatch", DFUSE_SEV_ERROR, S0 + 12,
		   -1, -1, "dwCRC is 0xf8d55304", DFUSE_ECRC);
}

static void test_dfuse_read__trailing_bytes(void **state)
{
	uint8_t buf[GOLDEN_LEN + 5];
	const size_t len = sizeof(buf);

	(void)state;
	golden(buf);
	memcpy(buf + S0, "\xde\xad\xbe\xef\x00", 5);
	memcpy(buf + S0 + 5, g_suffix, 16);
	fix_all(buf, len);
	check_case(buf, len, "trailing-bytes", DFUSE_SEV_ERROR, S0, -1, -1,
		   "5 bytes at offset 0x12d after the last target belong to "
		   "no element or target (the suffix starts at 0x132)",
		   DFUSE_EFORMAT);
}

/* dfuse_read_owned(): the image's elements point into the buffer handed
 * over (no copy), which lives as long as they do; a refused read frees it
 * (ASan and valgrind see a leak otherwise). */
static void test_dfuse_read__owned_buffer(void **state)
{
	dfuse_read_options ro = DFUSE_READ_OPTIONS_INIT;
	dfuse_element_info e;
	dfuse_image *img = NULL;
	uint8_t *buf = malloc(GOLDEN_LEN);

	(void)state;
	assert_non_null(buf);
	golden(buf);
	assert_int_equal(dfuse_read_owned(&img, NULL, buf, GOLDEN_LEN, NULL),
			 0);
	assert_int_equal(dfuse_image_get_element(&e, img, 0, 0), 0);
	assert_ptr_equal(e.data, buf + e.offset); /* in place */
	assert_int_equal(e.address, 0x08000000u);
	dfuse_image_free(img); /* frees buf */
	buf = malloc(GOLDEN_LEN);
	assert_non_null(buf);
	golden(buf);
	ro.max_size = 16; /* over the limit: refused, buf freed */
	assert_int_equal(dfuse_read_owned(&img, NULL, buf, GOLDEN_LEN, &ro),
			 DFUSE_ETOOBIG);
	assert_null(img);
}

/*
 * An image read leniently from a file with a data-dropping error (here 5
 * bytes that belong to nothing) can be shown but never turned into data:
 * every writer, merge, split and crop refuse it with DFUSE_EFORMAT, while
 * the same file without the stray bytes goes through.  (The download
 * engine's refusal is in test_download.c.)
 */
static void test_dfuse_read__broken_image_never_data(void **state)
{
	static const int formats[] = {DFUSE_FORMAT_DFUSE, DFUSE_FORMAT_IHEX,
				      DFUSE_FORMAT_SREC, DFUSE_FORMAT_BIN};
	uint8_t buf[GOLDEN_LEN + 5];
	dfuse_image *img = NULL, *merged = NULL;
	const dfuse_image *in[1];
	dfuse_parts *parts = NULL;
	dfuse_file_info fi;
	void *out = NULL;
	size_t k, out_len = 0;
	int broken;

	(void)state;
	for (broken = 0; broken <= 1; broken++) {
		const size_t len = broken ? sizeof(buf) : GOLDEN_LEN;
		const int want = broken ? DFUSE_EFORMAT : 0;

		golden(buf);
		if (broken) {
			memcpy(buf + S0, "\xde\xad\xbe\xef\x00", 5);
			memcpy(buf + S0 + 5, g_suffix, 16);
			fix_all(buf, len);
		}
		assert_int_equal(dfuse_read(&img, NULL, buf, len, NULL), 0);
		assert_int_equal(dfuse_image_get_file(&fi, img), 0);
		assert_int_equal(fi.data_errors, broken ? 1 : 0);
		for (k = 0; k < sizeof(formats) / sizeof(formats[0]); k++) {
			dfuse_write_options o = DFUSE_WRITE_OPTIONS_INIT;

			o.format = formats[k];
			assert_int_equal(
				dfuse_write_as(&out, &out_len, img, &o), want);
			if (broken)
				assert_non_null(
					strstr(dfuse_error_last()->message,
					       "trailing-bytes at offset "
					       "0x12d"));
			dfuse_free(out);
			out = NULL;
		}
		in[0] = img;
		assert_int_equal(dfuse_merge(&merged, NULL, in, 1, NULL), want);
		dfuse_image_free(merged);
		merged = NULL;
		assert_int_equal(dfuse_split(&parts, img, NULL), want);
		dfuse_parts_free(parts);
		parts = NULL;
		assert_int_equal(
			dfuse_image_crop(img, 0x08000000u, 0x08000004u), want);
		dfuse_image_free(img);
		img = NULL;
	}
}

/*
 * A target with three elements, written by hand: elements 0 and 2
 * overlap, element 1 is empty.
 */
static void test_dfuse_read__element_overlap_and_empty(void **state)
{
	static const uint8_t elements[] = {
		0x00, 0x00, 0x00, 0x08, /* element 0: 0x08000000 */
		0x08, 0x00, 0x00, 0x00, /* 8 bytes */
		1,    2,    3,	  4,	5,  6,	7,  8,
		0x00, 0x10, 0x00, 0x08, /* element 1: 0x08001000 */
		0x00, 0x00, 0x00, 0x00, /* 0 bytes */
		0x04, 0x00, 0x00, 0x08, /* element 2: 0x08000004 */
		0x08, 0x00, 0x00, 0x00, /* 8 bytes */
		9,    10,   11,	  12,	13, 14, 15, 16,
	};
	uint8_t buf[GOLDEN_LEN - 16 + sizeof(elements)];
	const size_t len = sizeof(buf);
	dfuse_image *img = NULL;
	dfuse_report *r;

	(void)state;
	golden(buf);
	put32(buf + T0 + 266, sizeof(elements)); /* dwTargetSize = 40 */
	put32(buf + T0 + 270, 3);		 /* dwNbElements = 3 */
	memcpy(buf + E0, elements, sizeof(elements));
	memcpy(buf + E0 + sizeof(elements), g_suffix, 16);
	fix_all(buf, len);
	check_case(buf, len, "element-overlap", DFUSE_SEV_ERROR, E0 + 24, 0, 2,
		   "target 0: elements 0 and 2 overlap at "
		   "0x08000004-0x08000007",
		   DFUSE_EFORMAT);
	check_case_strict(buf, len, "element-empty", DFUSE_SEV_WARNING, E0 + 16,
			  0, 1,
			  "target 0 element 1: dwElementSize is 0 at offset "
			  "0x131 (an empty element at 0x08001000)",
			  DFUSE_EFORMAT, "elements 0 and 2 overlap");
	r = read_ok(&img, buf, len, 0);
	assert_int_equal(dfuse_report_count(r), 2);
	assert_int_equal(dfuse_report_count_at_least(r, DFUSE_SEV_ERROR), 1);
	{
		dfuse_element_info e;

		assert_int_equal(dfuse_image_get_element(&e, img, 0, 1), 0);
		assert_int_equal(e.size, 0);
		assert_non_null(e.data);
		assert_int_equal(e.offset, E0 + 24);
		assert_int_equal(dfuse_image_get_element(&e, img, 0, 2), 0);
		assert_int_equal(e.address, 0x08000004);
		assert_int_equal(e.data[0], 9);
	}
	/* the property, not the code, says what the data is worth: an
	 * overlap is resolvable, a wrong CRC is not */
	{
		dfuse_finding f;
		dfuse_file_info fi;

		assert_true(find(&f, r, "element-overlap", -1));
		assert_int_equal(f.flags & DFUSE_FINDING_DATA_UNUSABLE, 0);
		assert_true(find(&f, r, "element-empty", -1));
		assert_int_equal(f.flags, 0);
		assert_int_equal(dfuse_image_get_file(&fi, img), 0);
		assert_int_equal(fi.data_errors, 0);
		assert_int_equal(fi.not_dfuse, 0);
		dfuse_report_free(r);
		dfuse_image_free(img);
		buf[len - 1] ^= 1; /* dwCRC */
		r = read_ok(&img, buf, len, 0);
		assert_true(find(&f, r, "crc-mismatch", -1));
		assert_int_equal(f.flags, DFUSE_FINDING_DATA_UNUSABLE);
		assert_int_equal(dfuse_image_get_file(&fi, img), 0);
		assert_int_equal(fi.data_errors, 1);
	}
	dfuse_report_free(r);
	dfuse_image_free(img);
}

static void test_dfuse_read__name_garbage(void **state)
{
	uint8_t buf[GOLDEN_LEN];
	dfuse_image *img = NULL;
	dfuse_report *r;

	(void)state;
	/* A control byte inside the name: warning. */
	golden(buf);
	buf[T0 + 11 + 2] = 0x1b; /* "ST\x1b.." */
	fix_crc(buf, sizeof(buf));
	check_case(buf, sizeof(buf), "name-garbage", DFUSE_SEV_WARNING,
		   T0 + 11 + 2, 0, -1,
		   "target 0: szTargetName has the non-printable byte 0x1b at "
		   "offset 0x18 (name byte 2)",
		   DFUSE_EFORMAT);

	/* Bytes after the NUL, as ST's DFU File Manager leaves: a note. */
	golden(buf);
	buf[T0 + 11 + 6] = 0x41;
	buf[T0 + 11 + 200] = 0x99;
	fix_crc(buf, sizeof(buf));
	check_case(buf, sizeof(buf), "name-garbage", DFUSE_SEV_NOTE,
		   T0 + 11 + 6, 0, -1,
		   "target 0: szTargetName has 2 non-zero bytes after its NUL "
		   "terminator, the first at offset 0x1c (name byte 6)",
		   0);
	r = read_ok(&img, buf, sizeof(buf), 0);
	expect_clean(r);
	dfuse_report_free(r);
	dfuse_image_free(img);

	/* bTargetNamed = 2: a note. */
	golden(buf);
	buf[T0 + 7] = 2;
	fix_crc(buf, sizeof(buf));
	check_case(buf, sizeof(buf), "name-garbage", DFUSE_SEV_NOTE, T0 + 7, 0,
		   -1,
		   "target 0: bTargetNamed is 2 at offset 0x12, expected 0 "
		   "or 1",
		   0);

	/* Unnamed target with a control byte: nothing to say. */
	golden(buf);
	buf[T0 + 7] = 0;
	buf[T0 + 11 + 2] = 0x1b;
	fix_crc(buf, sizeof(buf));
	r = read_ok(&img, buf, sizeof(buf), 0);
	assert_int_equal(dfuse_report_count(r), 0);
	dfuse_report_free(r);
	dfuse_image_free(img);
}

static void test_dfuse_read__no_targets(void **state)
{
	/* 27 bytes, by hand: the smallest well-formed DfuSe file. */
	uint8_t buf[27] = {
		'D',  'f',  'u',  'S',	'e', /* szSignature */
		0x01,			     /* bVersion */
		0x0b, 0x00, 0x00, 0x00,	     /* DFUImageSize = 11 */
		0x00,			     /* bTargets = 0 */
		0xff, 0xff,		     /* bcdDevice */
		0x11, 0xdf,		     /* idProduct */
		0x83, 0x04,		     /* idVendor */
		0x1a, 0x01,		     /* bcdDFU */
		'U',  'F',  'D',	     /* ucDfuSignature */
		0x10,			     /* bLength */
		0,    0,    0,	  0,	     /* dwCRC: set below */
	};
	dfuse_image *img = NULL;
	dfuse_report *r;

	(void)state;
	fix_crc(buf, sizeof(buf));
	check_case(buf, sizeof(buf), "no-targets", DFUSE_SEV_WARNING, 10, -1,
		   -1, "bTargets is 0 at offset 0xa: the file holds no target",
		   DFUSE_EFORMAT);
	r = read_ok(&img, buf, sizeof(buf), 0);
	assert_int_equal(dfuse_report_count(r), 1);
	assert_int_equal(dfuse_image_count_targets(img), 0);
	dfuse_report_free(r);
	dfuse_image_free(img);
}

/* ======== Truncation at every length ======== */

static void test_dfuse_read__truncated_every_length(void **state)
{
	uint8_t buf[GOLDEN_LEN];
	size_t len;

	(void)state;
	golden(buf);
	for (len = 0; len < GOLDEN_LEN; len++) {
		dfuse_read_options o = DFUSE_READ_OPTIONS_INIT;
		dfuse_image *img = NULL;
		dfuse_report *r = NULL;
		/* exact-size copy so that ASan sees any over-read */
		uint8_t *cut = malloc(len ? len : 1);
		int rc;

		assert_non_null(cut);
		memcpy(cut, buf, len);
		rc = dfuse_read(&img, &r, cut, len, NULL);
		assert_int_equal(rc, 0);
		assert_true(dfuse_report_count_at_least(r, DFUSE_SEV_ERROR) >
			    0);
		if (len < 16) {
			dfuse_finding f;

			assert_true(find(&f, r, "truncated", 0));
		} else if (!has(r, "bad-suffix-signature")) {
			dump_report(r);
			fail_msg("length %zu: no suffix finding", len);
		}
		if (len >= 11 && !has(r, "truncated") &&
		    !has(r, "element-past-end") &&
		    !has(r, "element-count-mismatch")) {
			dump_report(r);
			fail_msg("length %zu: no structure finding", len);
		}
		dfuse_report_free(r);
		dfuse_image_free(img);

		o.flags = DFUSE_READ_STRICT;
		rc = dfuse_read(&img, &r, cut, len, &o);
		assert_true(rc == DFUSE_EFORMAT || rc == DFUSE_ECRC);
		assert_null(img);
		assert_null(r);
		o.flags = 0;
		assert_int_equal(dfuse_read(&img, NULL, cut, len, &o), 0);
		dfuse_image_free(img);
		free(cut);
	}
}

/*
 * The body cut at every length, then a right suffix (CRC and all): the
 * structure finding is the only error.
 */
static void test_dfuse_read__cut_body_every_length(void **state)
{
	uint8_t buf[GOLDEN_LEN], cut[GOLDEN_LEN];
	size_t body;

	(void)state;
	golden(buf);
	for (body = 11; body < S0; body++) {
		dfuse_image *img = NULL;
		dfuse_report *r;
		dfuse_finding f;
		size_t i;

		memcpy(cut, buf, body);
		memcpy(cut + body, g_suffix, 16);
		fix_crc(cut, body + 16);
		r = read_ok(&img, cut, body + 16, 0);
		/* 301 is the file size when body is 285: a note then */
		assert_true(has(r, "image-size-mismatch") ||
			    (body + 16 == 301 &&
			     has(r, "image-size-includes-suffix")));
		for (i = 0; i < dfuse_report_count(r); i++) {
			dfuse_report_get(&f, r, i);
			if (f.severity < DFUSE_SEV_ERROR)
				continue;
			if (strcmp(f.code, "truncated") != 0 &&
			    strcmp(f.code, "element-past-end") != 0 &&
			    strcmp(f.code, "element-count-mismatch") != 0 &&
			    strcmp(f.code, "target-count-mismatch") != 0)
				fail_msg("body %zu: %s: %s", body, f.code,
					 f.message);
		}
		if (body < E0)
			expect_finding(r, "truncated", DFUSE_SEV_ERROR, T0, 0,
				       -1, "target 0 prefix");
		else if (body > E0 && body < D0)
			expect_finding(r, "truncated", DFUSE_SEV_ERROR, E0, 0,
				       0, "element 0 header");
		else if (body >= D0)
			expect_finding(r, "element-past-end", DFUSE_SEV_ERROR,
				       D0, 0, 0, "dwElementSize 8 exceeds");
		else
			expect_finding(r, "element-count-mismatch",
				       DFUSE_SEV_ERROR, T0 + 270, 0, -1,
				       "only 0 elements fit before the suffix "
				       "at 0x11d: dwNbElements is probably 1 "
				       "too big");
		dfuse_report_free(r);
		dfuse_image_free(img);
	}
}

/* ======== Options ======== */

/* One way to get element bytes: the image owns them.  The 0.1 flag that
 * left them out (0x2) is gone and refused as unknown. */
static void test_dfuse_read__no_data(void **state)
{
	dfuse_read_options o = DFUSE_READ_OPTIONS_INIT;
	uint8_t buf[GOLDEN_LEN];
	dfuse_image *img = NULL;
	dfuse_report *r = NULL;

	(void)state;
	golden(buf);
	o.flags = 0x2u;
	assert_int_equal(dfuse_read(&img, &r, buf, sizeof(buf), &o),
			 DFUSE_EINVAL);
	assert_null(img);
	assert_string_equal(dfuse_error_last()->message,
			    "unknown dfuse_read flags 0x2");
	r = read_ok(&img, buf, sizeof(buf), DFUSE_READ_STRICT);
	check_golden_model(img, 1);
	dfuse_report_free(r);
	dfuse_image_free(img);
}

static void test_dfuse_read__arguments(void **state)
{
	uint8_t buf[GOLDEN_LEN];
	dfuse_read_options o = DFUSE_READ_OPTIONS_INIT;
	dfuse_image *img = (dfuse_image *)1;
	dfuse_report *r = (dfuse_report *)1;
	dfuse_file_info fi;

	(void)state;
	golden(buf);
	assert_int_equal(dfuse_read(NULL, NULL, buf, sizeof(buf), NULL),
			 DFUSE_EINVAL);
	assert_int_equal(dfuse_read(&img, &r, NULL, 5, NULL), DFUSE_EINVAL);
	assert_null(img);
	assert_null(r);

	o.version = 99;
	assert_int_equal(dfuse_read(&img, &r, buf, sizeof(buf), &o),
			 DFUSE_EINVAL);
	assert_non_null(strstr(dfuse_error_last()->message, "version 99"));
	o.version = DFUSE_READ_OPTIONS_VERSION;
	o.flags = 0x80;
	assert_int_equal(dfuse_read(&img, &r, buf, sizeof(buf), &o),
			 DFUSE_EINVAL);
	assert_non_null(strstr(dfuse_error_last()->message, "0x80"));

	o.flags = 0;
	o.max_size = 316;
	assert_int_equal(dfuse_read(&img, &r, buf, sizeof(buf), &o),
			 DFUSE_ETOOBIG);
	assert_non_null(strstr(dfuse_error_last()->message,
			       "317 bytes, over the limit of 316 bytes"));
	assert_null(img);
	assert_null(r);
	o.max_size = 317;
	assert_int_equal(dfuse_read(&img, &r, buf, sizeof(buf), &o), 0);
	dfuse_report_free(r);
	dfuse_image_free(img);

	/* NULL buffer of length 0: an empty file. */
	assert_int_equal(dfuse_read(&img, &r, NULL, 0, NULL), 0);
	assert_true(has(r, "truncated"));
	assert_int_equal(dfuse_image_get_file(&fi, img), 0);
	assert_int_equal(fi.has_prefix, 0);
	assert_int_equal(fi.has_suffix, 0);
	dfuse_report_free(r);
	dfuse_image_free(img);

	/* A built image has no file facts, and no message is set. */
	assert_int_equal(dfuse_image_new(&img), 0);
	dfuse_error_clear();
	assert_int_equal(dfuse_image_get_file(&fi, img), DFUSE_ENOTFOUND);
	assert_int_equal(dfuse_error_last()->code, DFUSE_OK);
	assert_int_equal(dfuse_image_get_file(NULL, img), DFUSE_EINVAL);
	dfuse_image_free(img);
}

static void test_dfuse_read__file_errors(void **state)
{
	dfuse_read_options o = DFUSE_READ_OPTIONS_INIT;
	dfuse_image *img = (dfuse_image *)1;
	dfuse_report *r = (dfuse_report *)1;
	char path[] = "/tmp/test_dfuse_read_XXXXXX";
	uint8_t buf[GOLDEN_LEN];
	FILE *f;
	int fd;

	(void)state;
	assert_int_equal(
		dfuse_read_file(&img, &r, "tests/data/no-such.dfu", NULL),
		DFUSE_EIO);
	assert_null(img);
	assert_null(r);
	/* the caller names the file; the library says what went wrong */
	assert_non_null(strstr(dfuse_error_last()->message, "cannot open: "));
	assert_non_null(strstr(dfuse_error_last()->message, strerror(ENOENT)));

	assert_int_equal(dfuse_read_file(&img, &r, "tests", NULL), DFUSE_EIO);
	assert_non_null(strstr(dfuse_error_last()->message, "directory"));

	/* Over the limit: refused before reading. */
	golden(buf);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, sizeof(buf), f), sizeof(buf));
	assert_int_equal(fclose(f), 0);
	o.max_size = 100;
	assert_int_equal(dfuse_read_file(&img, &r, path, &o), DFUSE_ETOOBIG);
	assert_non_null(strstr(dfuse_error_last()->message,
			       "is 317 bytes, over the input limit of 100"));
	o.max_size = 0;
	o.flags = DFUSE_READ_STRICT;
	assert_int_equal(dfuse_read_file(&img, &r, path, &o), 0);
	check_golden_model(img, 1);
	dfuse_report_free(r);
	dfuse_image_free(img);
	unlink(path);
}

/* A pipe has no size: it is read in chunks, up to the limit. */
static void test_dfuse_read__pipe(void **state)
{
	dfuse_read_options o = DFUSE_READ_OPTIONS_INIT;
	uint8_t buf[GOLDEN_LEN];
	dfuse_image *img = NULL;
	dfuse_report *r = NULL;
	char path[64];
	int fds[2], limit;

	(void)state;
	golden(buf);
	for (limit = 0; limit < 2; limit++) {
		assert_int_equal(pipe(fds), 0);
		assert_int_equal(write(fds[1], buf, sizeof(buf)),
				 (ssize_t)sizeof(buf));
		close(fds[1]);
		snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
		o.max_size = limit ? 316 : 0;
		if (limit) {
			assert_int_equal(dfuse_read_file(&img, &r, path, &o),
					 DFUSE_ETOOBIG);
			assert_non_null(strstr(dfuse_error_last()->message,
					       "over the input limit of 316"));
		} else {
			assert_int_equal(dfuse_read_file(&img, &r, path, &o),
					 0);
			assert_int_equal(dfuse_report_count(r), 0);
			check_golden_model(img, 1);
			dfuse_report_free(r);
			dfuse_image_free(img);
		}
		close(fds[0]);
	}
}

/* ======== Files built by hand ======== */

/*
 * Two targets: alt 0 "Internal Flash" with three elements, alt 1 unnamed
 * with one, and bcdDevice 0x0200.  Every field written by hand.
 */
static void test_dfuse_read__two_targets(void **state)
{
	static const uint8_t prefix[11] = {
		'D',  'f',  'u',  'S',	'e', /* szSignature */
		0x01,			     /* bVersion */
		0x7f, 0x02, 0x00, 0x00,	     /* DFUImageSize = 639 */
		0x02,			     /* bTargets = 2 */
	};
	static const uint8_t t0_head[11] = {
		'T',  'a',  'r',  'g',	'e', 't', /* szSignature */
		0x00,				  /* bAlternateSetting = 0 */
		0x01, 0x00, 0x00, 0x00,		  /* bTargetNamed = 1 */
	};
	static const char t0_name[] = "Internal Flash";
	static const uint8_t t0_tail[8] = {
		0x44, 0x00, 0x00, 0x00, /* dwTargetSize = 68 */
		0x03, 0x00, 0x00, 0x00, /* dwNbElements = 3 */
	};
	static const uint8_t t0_elements[68] = {
		/* element 0 (header at 285): 0x08000000, 16 bytes */
		0x00,
		0x00,
		0x00,
		0x08,
		0x10,
		0x00,
		0x00,
		0x00,
		0xa0,
		0xa1,
		0xa2,
		0xa3,
		0xa4,
		0xa5,
		0xa6,
		0xa7,
		0xa8,
		0xa9,
		0xaa,
		0xab,
		0xac,
		0xad,
		0xae,
		0xaf,
		/* element 1 (header at 309): 0x08100000, 4 bytes */
		0x00,
		0x00,
		0x10,
		0x08,
		0x04,
		0x00,
		0x00,
		0x00,
		0xb0,
		0xb1,
		0xb2,
		0xb3,
		/* element 2 (header at 321): 0x08000020, 24 bytes (after
		 * element 0 in memory, not in the file) */
		0x20,
		0x00,
		0x00,
		0x08,
		0x18,
		0x00,
		0x00,
		0x00,
		0xc0,
		0xc1,
		0xc2,
		0xc3,
		0xc4,
		0xc5,
		0xc6,
		0xc7,
		0xc8,
		0xc9,
		0xca,
		0xcb,
		0xcc,
		0xcd,
		0xce,
		0xcf,
		0xd0,
		0xd1,
		0xd2,
		0xd3,
		0xd4,
		0xd5,
		0xd6,
		0xd7,
	};
	static const uint8_t t1_head[11] = {
		'T',  'a',  'r',  'g',	'e', 't', /* szSignature, at 353 */
		0x01,				  /* bAlternateSetting = 1 */
		0x00, 0x00, 0x00, 0x00,		  /* bTargetNamed = 0 */
	};
	/* szTargetName: 255 NULs */
	static const uint8_t t1_tail[8] = {
		0x0c, 0x00, 0x00, 0x00, /* dwTargetSize = 12 */
		0x01, 0x00, 0x00, 0x00, /* dwNbElements = 1 */
	};
	static const uint8_t t1_elements[12] = {
		/* element 0 (header at 627): 0x1FF1E000, 4 bytes */
		0x00, 0xe0, 0xf1, 0x1f, 0x04, 0x00,
		0x00, 0x00, 0xaa, 0xf8, 0xff, 0xff,
	};
	static const uint8_t suffix[12] = {
		0x00, 0x02,	 /* bcdDevice = 0x0200 */
		0x11, 0xdf,	 /* idProduct = 0xDF11 */
		0x83, 0x04,	 /* idVendor = 0x0483 */
		0x1a, 0x01,	 /* bcdDFU = 0x011A */
		'U',  'F',  'D', /* ucDfuSignature */
		0x10,		 /* bLength */
				 /* dwCRC follows, computed with zlib */
	};
	uint8_t buf[655];
	size_t o = 0;
	dfuse_target_info t;
	dfuse_element_info e;
	dfuse_image *img = NULL;
	dfuse_report *r;
	dfuse_ids ids;

	(void)state;
	memset(buf, 0, sizeof(buf));
	memcpy(buf + o, prefix, sizeof(prefix));
	o += sizeof(prefix);
	memcpy(buf + o, t0_head, sizeof(t0_head));
	memcpy(buf + o + 11, t0_name, strlen(t0_name));
	memcpy(buf + o + 266, t0_tail, sizeof(t0_tail));
	o += 274;
	memcpy(buf + o, t0_elements, sizeof(t0_elements));
	o += sizeof(t0_elements);
	assert_int_equal(o, 353);
	memcpy(buf + o, t1_head, sizeof(t1_head));
	memcpy(buf + o + 266, t1_tail, sizeof(t1_tail));
	o += 274;
	memcpy(buf + o, t1_elements, sizeof(t1_elements));
	o += sizeof(t1_elements);
	memcpy(buf + o, suffix, sizeof(suffix));
	o += sizeof(suffix);
	put32(buf + o, zcrc(buf, o));
	o += 4;
	assert_int_equal(o, sizeof(buf));

	r = read_ok(&img, buf, sizeof(buf), DFUSE_READ_STRICT);
	assert_int_equal(dfuse_report_count(r), 0);
	assert_int_equal(dfuse_image_count_targets(img), 2);

	assert_int_equal(dfuse_image_get_target(&t, img, 0), 0);
	assert_int_equal(t.alt, 0);
	assert_int_equal(t.named, 1);
	assert_string_equal(t.name, "Internal Flash");
	assert_int_equal(t.element_count, 3);
	assert_int_equal(t.size, 68);
	assert_int_equal(t.offset, 11);
	assert_int_equal(t.declared_elements, 3);
	assert_int_equal(dfuse_image_get_element(&e, img, 0, 0), 0);
	assert_int_equal(e.address, 0x08000000);
	assert_int_equal(e.size, 16);
	assert_int_equal(e.offset, 293);
	assert_memory_equal(e.data, t0_elements + 8, 16);
	assert_int_equal(dfuse_image_get_element(&e, img, 0, 1), 0);
	assert_int_equal(e.address, 0x08100000);
	assert_int_equal(e.size, 4);
	assert_int_equal(e.offset, 317);
	assert_memory_equal(e.data, t0_elements + 32, 4);
	assert_int_equal(dfuse_image_get_element(&e, img, 0, 2), 0);
	assert_int_equal(e.address, 0x08000020);
	assert_int_equal(e.size, 24);
	assert_int_equal(e.offset, 329);
	assert_memory_equal(e.data, t0_elements + 44, 24);

	assert_int_equal(dfuse_image_get_target(&t, img, 1), 0);
	assert_int_equal(t.alt, 1);
	assert_int_equal(t.named, 0);
	assert_string_equal(t.name, "");
	assert_int_equal(t.element_count, 1);
	assert_int_equal(t.offset, 353);
	assert_int_equal(dfuse_image_get_element(&e, img, 1, 0), 0);
	assert_int_equal(e.address, 0x1FF1E000);
	assert_int_equal(e.size, 4);
	assert_int_equal(e.offset, 635);
	assert_memory_equal(e.data, t1_elements + 8, 4);

	dfuse_image_get_ids(&ids, img);
	assert_int_equal(ids.bcd_device, 0x0200);
	dfuse_report_free(r);
	dfuse_image_free(img);

	/* Target 0 claims 0xFFFFFFFF elements: dwTargetSize still frames it
	 * and target 1 is read. */
	put32(buf + 11 + 270, 0xFFFFFFFF);
	fix_crc(buf, sizeof(buf));
	r = read_ok(&img, buf, sizeof(buf), 0);
	expect_finding(r, "element-count-mismatch", DFUSE_SEV_ERROR, 281, 0, -1,
		       "dwNbElements is 4294967295 at offset 0x119 but "
		       "only 3 elements fit before the end its dwTargetSize "
		       "gives, 0x161: dwNbElements is probably 4294967292 too "
		       "big");
	assert_int_equal(dfuse_report_count(r), 1);
	assert_int_equal(dfuse_image_count_targets(img), 2);
	assert_int_equal(dfuse_image_get_target(&t, img, 1), 0);
	assert_int_equal(t.element_count, 1);
	dfuse_report_free(r);
	dfuse_image_free(img);

	/* Element 1 of target 0 claims 0x1000 bytes: it does not fit, but
	 * dwTargetSize points at target 1, which is read. */
	put32(buf + 11 + 270, 3);
	put32(buf + 309 + 4, 0x1000);
	fix_crc(buf, sizeof(buf));
	r = read_ok(&img, buf, sizeof(buf), 0);
	expect_finding(r, "element-past-end", DFUSE_SEV_ERROR, 317, 0, 1,
		       "target 0 element 1: dwElementSize 4096 exceeds the 322 "
		       "bytes left before the suffix at offset 0x13d");
	expect_finding(r, "element-count-mismatch", DFUSE_SEV_ERROR, 281, 0, -1,
		       "dwNbElements is 3 at offset 0x119 but 1 element "
		       "was found");
	assert_int_equal(dfuse_report_count(r), 2);
	assert_int_equal(dfuse_image_count_targets(img), 2);
	assert_int_equal(dfuse_image_get_target(&t, img, 1), 0);
	assert_int_equal(t.offset, 353);
	assert_int_equal(t.element_count, 1);
	dfuse_report_free(r);
	dfuse_image_free(img);

	/* dwNbElements one too many: where element 3 would be, target 1's
	 * prefix stands.  The elements end there, and the message says
	 * dwNbElements is probably 1 too big (not a confusing
	 * element-past-end for a "size" made of "et" and the alt). */
	put32(buf + 309 + 4, 4);
	put32(buf + 11 + 270, 4);
	fix_crc(buf, sizeof(buf));
	r = read_ok(&img, buf, sizeof(buf), 0);
	assert_false(has(r, "element-past-end"));
	expect_finding(r, "element-count-mismatch", DFUSE_SEV_ERROR, 281, 0, -1,
		       "target 0: dwNbElements is 4 at offset 0x119 but "
		       "only 3 elements fit before the target prefix at 0x161: "
		       "dwNbElements is probably 1 too big");
	assert_int_equal(dfuse_report_count(r), 1);
	assert_int_equal(dfuse_image_count_targets(img), 2);
	assert_int_equal(dfuse_image_get_target(&t, img, 1), 0);
	assert_int_equal(t.alt, 1);
	assert_int_equal(t.element_count, 1);
	dfuse_report_free(r);
	dfuse_image_free(img);
}

/* Thousands of elements: linear reading, n log n overlap check. */
static void test_dfuse_read__many_elements(void **state)
{
	const size_t n = 50000;
	const size_t len = 11 + 274 + n * 12 + 16;
	uint8_t *buf = calloc(1, len);
	dfuse_image *img = NULL;
	dfuse_report *r;
	dfuse_target_info t;
	size_t i, o;

	(void)state;
	assert_non_null(buf);
	memcpy(buf, g_prefix, 11);
	memcpy(buf + 11, g_target_head, 11);
	put32(buf + 11 + 266, (uint32_t)(n * 12)); /* dwTargetSize */
	put32(buf + 11 + 270, (uint32_t)n);	   /* dwNbElements */
	o = 285;
	for (i = 0; i < n; i++) {
		/* Descending addresses, 4 bytes each, 8 apart; the last one
		 * lands inside element 0. */
		put32(buf + o,
		      i + 1 < n ? 0x08100000 - (uint32_t)i * 8 : 0x08100002);
		put32(buf + o + 4, 4);
		put32(buf + o + 8, (uint32_t)i);
		o += 12;
	}
	memcpy(buf + o, g_suffix, 16);
	fix_all(buf, len);
	r = read_ok(&img, buf, len, 0);
	assert_int_equal(dfuse_report_count(r), 1);
	expect_finding(r, "element-overlap", DFUSE_SEV_ERROR,
		       (int64_t)(285 + (n - 1) * 12), 0, (int)(n - 1),
		       "elements 0 and 49999 overlap at 0x08100002-0x08100003");
	assert_int_equal(dfuse_image_get_target(&t, img, 0), 0);
	assert_int_equal(t.element_count, n);
	dfuse_report_free(r);
	dfuse_image_free(img);
	free(buf);
}

/*
 * Two targets of one-byte elements, `n0` and `n1` of them, at distinct
 * addresses: 11 + 2 * 274 + 9 * (n0 + n1) + 16 bytes.  Element i of target
 * t is at 0x08000000 + t * 0x100000 + 2 * i and holds the byte i.
 */
static uint8_t *two_targets_of(size_t n0, size_t n1, size_t *len)
{
	const size_t n[2] = {n0, n1};
	uint8_t *buf;
	size_t o = 11, t, i;

	*len = 11 + 2 * 274 + 9 * (n0 + n1) + 16;
	buf = calloc(1, *len);
	assert_non_null(buf);
	memcpy(buf, g_prefix, 11);
	buf[10] = 2; /* bTargets */
	for (t = 0; t < 2; t++) {
		memcpy(buf + o, g_target_head, 11);
		buf[o + 6] = (uint8_t)t;		    /* alt */
		put32(buf + o + 266, (uint32_t)(9 * n[t])); /* dwTargetSize */
		put32(buf + o + 270, (uint32_t)n[t]);	    /* dwNbElements */
		o += 274;
		for (i = 0; i < n[t]; i++) {
			put32(buf + o, 0x08000000u + (uint32_t)t * 0x100000u +
					       2u * (uint32_t)i);
			put32(buf + o + 4, 1);
			buf[o + 8] = (uint8_t)i;
			o += 9;
		}
	}
	memcpy(buf + o, g_suffix, 16);
	fix_all(buf, *len);
	return buf;
}

/*
 * An input gives at most DFUSE_MAX_ELEMENTS(max_size) elements, counted
 * over all targets: 1024 under a 1 MiB limit.  1024 read clean; one more
 * (the 25th of target 1) is one too-many-elements error at its header,
 * reading stops there, and nothing after it is counted against the file
 * (no element-count-mismatch, no target-count-mismatch, no
 * trailing-bytes): one error in all, and the image is not data.
 */
static void test_dfuse_read__element_limit(void **state)
{
	dfuse_read_options o = DFUSE_READ_OPTIONS_INIT;
	dfuse_image *img = NULL;
	dfuse_report *r = NULL;
	dfuse_target_info t;
	dfuse_file_info fi;
	uint8_t *buf;
	size_t len;

	(void)state;
	assert_int_equal(DFUSE_MAX_ELEMENTS(1 << 20), 1024);
	assert_int_equal(DFUSE_MAX_ELEMENTS(DFUSE_DEFAULT_MAX_INPUT), 65536);
	assert_int_equal(DFUSE_MAX_ELEMENTS(4096), 1024); /* the floor */
	o.max_size = 1 << 20;

	buf = two_targets_of(1000, 24, &len);
	assert_int_equal(dfuse_read(&img, &r, buf, len, &o), 0);
	expect_clean(r);
	dfuse_report_free(r);
	dfuse_image_free(img);
	free(buf);

	buf = two_targets_of(1000, 25, &len);
	assert_int_equal(dfuse_read(&img, &r, buf, len, &o), 0);
	/* target 1's 25th element header: 11 + 274 + 9000 + 274 + 9 * 24 */
	expect_finding(r, "too-many-elements", DFUSE_SEV_ERROR,
		       11 + 274 + 9000 + 274 + 216, 1, 24,
		       "target 1 element 24 at offset 0x262f: the file has "
		       "more than 1024 elements, the most an input of at "
		       "most 1048576 bytes may give");
	assert_int_equal(dfuse_report_count_at_least(r, DFUSE_SEV_ERROR), 1);
	assert_int_equal(dfuse_report_count(r), 1);
	assert_int_equal(dfuse_image_get_target(&t, img, 0), 0);
	assert_int_equal(t.element_count, 1000);
	assert_int_equal(dfuse_image_get_target(&t, img, 1), 0);
	assert_int_equal(t.element_count, 24);
	assert_int_equal(dfuse_image_get_file(&fi, img), 0);
	assert_true(fi.data_errors > 0);
	dfuse_report_free(r);
	dfuse_image_free(img);

	/* the default limit reads them all */
	assert_int_equal(dfuse_read(&img, &r, buf, len, NULL), 0);
	expect_clean(r);
	dfuse_report_free(r);
	dfuse_image_free(img);
	free(buf);
}

/*
 * 3000 empty elements (3000 element-empty warnings), then a wrong CRC:
 * the counts are exact, the error is kept and found, and only the
 * warnings past the first DFUSE__REPORT_PER_CODE (100) are left out,
 * with one note that says how many.
 */
static void test_dfuse_read__many_findings(void **state)
{
	const size_t n = 3000;
	const size_t len = 11 + 274 + n * 8 + 16;
	uint8_t *buf = calloc(1, len);
	dfuse_image *img = NULL;
	dfuse_report *r;
	dfuse_finding f;
	size_t i, errors = 0, warnings = 0, summaries = 0;

	(void)state;
	assert_non_null(buf);
	memcpy(buf, g_prefix, 11);
	memcpy(buf + 11, g_target_head, 11);
	put32(buf + 11 + 266, (uint32_t)(n * 8));
	put32(buf + 11 + 270, (uint32_t)n); /* n empty elements at 0 */
	memcpy(buf + len - 16, g_suffix, 16);
	fix_all(buf, len);
	buf[len - 1] ^= 0x01; /* dwCRC one bit off */
	r = read_ok(&img, buf, len, 0);
	assert_int_equal(dfuse_report_count_at_least(r, DFUSE_SEV_ERROR), 1);
	assert_int_equal(dfuse_report_count_at_least(r, DFUSE_SEV_WARNING),
			 n + 1);
	assert_int_equal(dfuse_report_count_at_least(r, DFUSE_SEV_NOTE), n + 1);
	for (i = 0; i < dfuse_report_count(r); i++) {
		assert_int_equal(dfuse_report_get(&f, r, i), 0);
		if (f.severity == DFUSE_SEV_ERROR) {
			errors++;
			assert_string_equal(f.code, "crc-mismatch");
			assert_int_equal(f.offset, (int64_t)len - 4);
		} else if (f.severity == DFUSE_SEV_WARNING) {
			warnings++;
			assert_string_equal(f.code, "element-empty");
		} else {
			summaries++;
			assert_string_equal(f.code, "too-many-findings");
			assert_int_equal(i, 100);
			assert_string_equal(f.message,
					    "and 2900 more element-empty "
					    "warnings, not listed (100 "
					    "listed)");
		}
	}
	assert_int_equal(errors, 1);
	assert_int_equal(warnings, 100);
	assert_int_equal(summaries, 1);
	assert_int_equal(dfuse_report_count(r), 102);
	dfuse_report_free(r);
	dfuse_image_free(img);
	expect_strict(buf, len, DFUSE_ECRC, "dwCRC is");
	free(buf);
}

/*
 * Every error is kept, however many: 2000 elements that all overlap the
 * first give 1999 element-overlap errors, all reachable.
 */
static void test_dfuse_read__every_error_kept(void **state)
{
	const size_t n = 2000;
	const size_t len = 11 + 274 + n * 12 + 16;
	uint8_t *buf = calloc(1, len);
	dfuse_image *img = NULL;
	dfuse_report *r;
	dfuse_finding f;
	size_t i, o, kept = 0;

	(void)state;
	assert_non_null(buf);
	memcpy(buf, g_prefix, 11);
	memcpy(buf + 11, g_target_head, 11);
	put32(buf + 11 + 266, (uint32_t)(n * 12));
	put32(buf + 11 + 270, (uint32_t)n);
	for (i = 0, o = 285; i < n; i++, o += 12) {
		put32(buf + o, 0x08000000); /* all at the same address */
		put32(buf + o + 4, 4);
	}
	memcpy(buf + o, g_suffix, 16);
	fix_all(buf, len);
	r = read_ok(&img, buf, len, 0);
	for (i = 0; i < dfuse_report_count(r); i++) {
		assert_int_equal(dfuse_report_get(&f, r, i), 0);
		if (f.severity == DFUSE_SEV_ERROR)
			kept++;
	}
	assert_int_equal(kept, n - 1);
	assert_int_equal(dfuse_report_count_at_least(r, DFUSE_SEV_ERROR),
			 n - 1);
	assert_true(find(&f, r, "element-overlap", 285 + 1999 * 12));
	dfuse_report_free(r);
	dfuse_image_free(img);
	free(buf);
}

/* ======== Files that are not DfuSe; diagnosed counts ======== */

/* One not-dfuse error at offset 0 naming the kind, and nothing else. */
static void expect_not_dfuse(const uint8_t *buf, size_t len,
			     const char *fragment)
{
	dfuse_image *img = NULL;
	dfuse_report *r = read_ok(&img, buf, len, 0);

	if (dfuse_report_count(r) != 1)
		dump_report(r);
	assert_int_equal(dfuse_report_count(r), 1);
	expect_finding(r, "not-dfuse", DFUSE_SEV_ERROR, 0, -1, -1, fragment);
	assert_int_equal(dfuse_image_count_targets(img), 0);
	{
		dfuse_file_info fi;

		assert_int_equal(dfuse_image_get_file(&fi, img), 0);
		assert_int_equal(fi.not_dfuse, 1);
	}
	dfuse_report_free(r);
	dfuse_image_free(img);
}

static void test_dfuse_read__not_dfuse(void **state)
{
	/* A plain DFU 1.0 file: 8 raw bytes, then the DFU suffix. */
	uint8_t plain[24] = {
		0x00, 0x00, 0x02, 0x20, 0x99, 0x02, 0x00, 0x08, /* data */
		0x00, 0x02,		/* bcdDevice = 0x0200 */
		0x11, 0xdf,		/* idProduct = 0xDF11 */
		0x83, 0x04,		/* idVendor = 0x0483 */
		0x00, 0x01,		/* bcdDFU = 0x0100 */
		'U',  'F',  'D',  0x10, /* ucDfuSignature, bLength = 16 */
		0,    0,    0,	  0,	/* dwCRC, set below */
	};
	static const uint8_t png[12] = {0x89, 'P',  'N', 'G', '\r', '\n',
					0x1a, '\n', 0,	 0,   0,    0x0d};
	static const uint8_t elf[8] = {0x7f, 'E', 'L', 'F', 1, 1, 1, 0};
	static const char hex[] = ":00000001FF\n";
	uint8_t buf[GOLDEN_LEN];

	(void)state;
	fix_crc(plain, sizeof(plain));
	expect_not_dfuse(plain, sizeof(plain),
			 "a plain DFU file (bcdDFU 0x0100), not DfuSe: 8 bytes "
			 "of data for VID:PID 0483:df11 (bcdDevice 0x0200)");
	expect_not_dfuse(png, sizeof(png),
			 "start with 89 50 4e 47 0d 0a 1a 0a 00 00 00 0d "
			 "(\"\\x89PNG\\x0d\\x0a\\x1a\\x0a\\x00\\x00\\x00"
			 "\\x0d\")");
	expect_not_dfuse(elf, sizeof(elf), "an ELF file");
	expect_not_dfuse((const uint8_t *)hex, strlen(hex), "Intel HEX text");
	expect_strict(png, sizeof(png), DFUSE_EFORMAT, "not a DfuSe file");

	/* "DfuSe" is read as DfuSe however broken; so is a file with a
	 * damaged signature but a target prefix at offset 11. */
	golden(buf);
	buf[4] = 'x';
	fix_crc(buf, sizeof(buf));
	check_case(buf, sizeof(buf), "bad-prefix-signature", DFUSE_SEV_ERROR, 0,
		   -1, -1, "szSignature is \"DfuSx\"", DFUSE_EFORMAT);
}

/*
 * Target 0 with dwNbElements 1 but two elements, then target 1: the
 * second element belongs to nothing (an error), the message says why,
 * and target 1 is still read.  Then an element past 4 GiB.
 */
static void test_dfuse_read__diagnosed_counts(void **state)
{
	const size_t len = GOLDEN_LEN + 16 + 274 + 16;
	uint8_t buf[GOLDEN_LEN + 16 + 274 + 16];
	dfuse_image *img = NULL;
	dfuse_report *r;

	(void)state;
	golden(buf);
	buf[10] = 2;		   /* bTargets = 2 */
	put32(buf + T0 + 266, 32); /* dwTargetSize: both */
	/* element 1 at 301: 0x08100000, 8 bytes (CM4 vectors) */
	put32(buf + S0, 0x08100000);
	put32(buf + S0 + 4, 8);
	put32(buf + S0 + 8, 0x10048000);
	put32(buf + S0 + 12, 0x08100299);
	/* target 1 at 317: a copy of target 0's prefix, alt 1, 1 element */
	memcpy(buf + 317, buf + T0, 274);
	buf[317 + 6] = 1;
	put32(buf + 317 + 266, 16);
	memcpy(buf + 317 + 274, g_element, 16);
	memcpy(buf + len - 16, g_suffix, 16);
	fix_all(buf, len);
	r = read_ok(&img, buf, len, 0);
	expect_finding(r, "trailing-bytes", DFUSE_SEV_ERROR, S0, -1, -1,
		       "16 bytes at offset 0x12d belong to no element or "
		       "target (target 1 starts at 0x13d, after them): they "
		       "hold an element for 0x08100000 (8 bytes): dwNbElements "
		       "of target 0 is probably 1 too small (its dwTargetSize, "
		       "32, agrees with 2 elements)");
	assert_int_equal(dfuse_image_count_targets(img), 2);
	assert_int_equal(dfuse_report_count_at_least(r, DFUSE_SEV_ERROR), 1);
	dfuse_report_free(r);
	dfuse_image_free(img);
	expect_strict(buf, len, DFUSE_EFORMAT, "probably 1 too small");

	/* An element at 0xFFFFFFFC with 8 bytes. */
	golden(buf);
	put32(buf + E0, 0xFFFFFFFC);
	fix_crc(buf, GOLDEN_LEN);
	check_case(buf, GOLDEN_LEN, "element-wraps", DFUSE_SEV_ERROR, E0, 0, 0,
		   "dwElementAddress 0xfffffffc at offset 0x11d plus "
		   "dwElementSize 8 passes 0xFFFFFFFF (it would end at "
		   "0x100000003)",
		   DFUSE_EFORMAT);
}

/* ======== tests/data/bad/ and its EXPECT.tsv ======== */

static void split_codes(char *codes, char **out, size_t cap, size_t *n)
{
	char *p = codes;

	*n = 0;
	while (p != NULL && *p != '\0' && *n < cap) {
		char *comma = strchr(p, ',');

		if (comma != NULL)
			*comma = '\0';
		out[(*n)++] = p;
		p = comma != NULL ? comma + 1 : NULL;
	}
}

static void test_dfuse_read__bad_files(void **state)
{
	FILE *f = fopen(BAD_DIR "EXPECT.tsv", "r");
	char line[1024];
	size_t files = 0;

	(void)state;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		char *name, *codes, *off_s, *list[32], path[1100];
		dfuse_image *img = NULL;
		dfuse_report *r = NULL;
		dfuse_finding fd;
		size_t n, i, j;
		long long offset;
		int rc;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = '\0';
		name = line;
		codes = strchr(name, '\t');
		assert_non_null(codes);
		*codes++ = '\0';
		off_s = strchr(codes, '\t');
		assert_non_null(off_s);
		*off_s++ = '\0';
		offset = strtoll(off_s, NULL, 10);
		split_codes(codes, list, 32, &n);
		assert_true(n > 0);

		snprintf(path, sizeof(path), BAD_DIR "%s", name);
		rc = dfuse_read_file(&img, &r, path, NULL);
		if (rc != 0)
			fail_msg("%s: %s", name, dfuse_error_last()->message);
		if (!find(&fd, r, list[0], offset)) {
			dump_report(r);
			fail_msg("%s: no %s at offset %lld", name, list[0],
				 offset);
		}
		/* Exactly the listed codes (the too-many cap aside). */
		for (i = 0; i < n; i++)
			if (!has(r, list[i])) {
				dump_report(r);
				fail_msg("%s: no %s", name, list[i]);
			}
		for (j = 0; j < dfuse_report_count(r); j++) {
			int listed = 0;

			dfuse_report_get(&fd, r, j);
			for (i = 0; i < n; i++)
				listed |= strcmp(fd.code, list[i]) == 0;
			if (!listed) {
				dump_report(r);
				fail_msg("%s: unexpected %s", name, fd.code);
			}
		}
		dfuse_report_free(r);
		dfuse_image_free(img);
		files++;
	}
	fclose(f);
	assert_true(files >= 30);
}

/* ======== Real-world corpus against its MANIFEST ======== */

static void hex32(char out[65], const uint8_t d[32])
{
	size_t i;

	for (i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* Checks the targets column: "alt=0 name='ST...' elements=[a:s:h ...]". */
static void check_manifest_targets(const char *file, const dfuse_image *img,
				   const char *col)
{
	const char *p = col;
	size_t ti = 0;

	while ((p = strstr(p, "alt=")) != NULL) {
		dfuse_target_info t;
		const char *name, *name_end, *el, *el_end;
		size_t ei = 0;

		assert_int_equal(dfuse_image_get_target(&t, img, ti), 0);
		assert_int_equal(t.alt, strtoul(p + 4, NULL, 0));
		name = strstr(p, "name='");
		assert_non_null(name);
		name += 6;
		name_end = strstr(name, "' elements=[");
		assert_non_null(name_end);
		if (strlen(t.name) != (size_t)(name_end - name) ||
		    memcmp(t.name, name, (size_t)(name_end - name)) != 0)
			fail_msg("%s: target %zu name '%s'", file, ti, t.name);
		el = name_end + strlen("' elements=[");
		el_end = strchr(el, ']');
		assert_non_null(el_end);
		while (el < el_end) {
			dfuse_element_info e;
			uint8_t digest[32];
			char hex[65];
			char *q;
			unsigned long addr, size;

			assert_int_equal(
				dfuse_image_get_element(&e, img, ti, ei), 0);
			addr = strtoul(el, &q, 16);
			assert_int_equal(*q, ':');
			size = strtoul(q + 1, &q, 10);
			assert_int_equal(*q, ':');
			assert_int_equal(e.address, addr);
			assert_int_equal(e.size, size);
			assert_int_equal(dfuse_sha256(digest, e.data, e.size),
					 0);
			hex32(hex, digest);
			if (strncmp(hex, q + 1, 64) != 0)
				fail_msg("%s: target %zu element %zu sha256 %s",
					 file, ti, ei, hex);
			el = q + 1 + 64;
			while (el < el_end && *el == ' ')
				el++;
			ei++;
		}
		assert_int_equal(t.element_count, ei);
		p = el_end;
		ti++;
	}
	assert_int_equal(dfuse_image_count_targets(img), ti);
}

static void check_corpus_file(char *line, size_t *files)
{
	char *col[9], *p = line, path[4200];
	dfuse_image *img = NULL;
	dfuse_report *r = NULL;
	dfuse_file_info fi;
	uint8_t digest[32];
	char hex[65];
	uint8_t *buf;
	size_t len, i;
	int rc, blit, st;

	for (i = 0; i < 9; i++) {
		col[i] = p;
		p = strchr(p, '\t');
		if (i < 8) {
			assert_non_null(p);
			*p++ = '\0';
		}
	}
	snprintf(path, sizeof(path), CORPUS_DIR "%s", col[0]);
	rc = dfuse_read_file(&img, &r, path, NULL);
	if (rc != 0)
		fail_msg("%s: %s", col[0], dfuse_error_last()->message);
	blit = strncmp(col[0], "32blit", 6) == 0;
	st = strncmp(col[0], "st-", 3) == 0;

	/* Whole file: size, SHA-256, suffix facts. */
	buf = load(path, &len);
	assert_non_null(buf);
	assert_int_equal(len, strtoull(col[1], NULL, 10));
	assert_int_equal(dfuse_sha256(digest, buf, len), 0);
	hex32(hex, digest);
	assert_string_equal(hex, col[2]);
	free(buf);
	assert_int_equal(dfuse_image_get_file(&fi, img), 0);
	assert_int_equal(fi.file_size, len);
	if (strcmp(col[3], "file-16") == 0) {
		assert_int_equal(fi.image_size, len - 16);
	} else {
		assert_int_equal(strncmp(col[3], "other:", 6), 0);
		assert_int_equal(fi.image_size, strtoul(col[3] + 6, NULL, 10));
	}
	assert_int_equal(fi.ids.id_vendor, strtoul(col[4], NULL, 16));
	assert_int_equal(fi.ids.id_product, strtoul(col[4] + 5, NULL, 16));
	assert_int_equal(fi.ids.bcd_device, strtoul(col[5], NULL, 16));
	assert_int_equal(fi.ids.bcd_dfu, strtoul(col[6], NULL, 16));
	assert_string_equal(col[7], "crc_ok");
	assert_int_equal(fi.crc_stored, fi.crc_computed);
	check_manifest_targets(col[0], img, col[8]);

	/* Findings: 32blit's off-by-one DFUImageSize is a warning; the rest
	 * is clean but for notes. */
	assert_int_equal(dfuse_report_count_at_least(r, DFUSE_SEV_ERROR), 0);
	if (blit) {
		assert_int_equal(
			dfuse_report_count_at_least(r, DFUSE_SEV_WARNING), 1);
		expect_finding(r, "image-size-mismatch", DFUSE_SEV_WARNING, 6,
			       -1, -1, "DFUImageSize is");
	} else {
		expect_clean(r);
	}
	for (i = 0; i < dfuse_report_count(r); i++) {
		dfuse_finding f;

		dfuse_report_get(&f, r, i);
		print_message("  %s: %s %s: %s\n", col[0],
			      dfuse_severity_name(f.severity), f.code,
			      f.message);
		if (f.severity == DFUSE_SEV_NOTE &&
		    strcmp(f.code, "name-garbage") != 0 &&
		    strcmp(f.code, "id-product-zero") != 0)
			fail_msg("%s: unexpected note %s", col[0], f.code);
	}
	if (st)
		expect_finding(r, "name-garbage", DFUSE_SEV_NOTE, -1, 0, -1,
			       "after its NUL terminator");

	/* ST's .bin is the .dfu's element byte for byte. */
	if (st) {
		char bin[4200];
		size_t dot = strlen(path) - 4;
		dfuse_element_info e;

		snprintf(bin, sizeof(bin), "%.*s.bin", (int)dot, path);
		buf = load(bin, &len);
		if (buf != NULL) {
			assert_int_equal(dfuse_image_get_element(&e, img, 0, 0),
					 0);
			assert_int_equal(e.size, len);
			assert_memory_equal(e.data, buf, len);
			free(buf);
			print_message("  %s: element 0 == .bin\n", col[0]);
		}
	}
	dfuse_report_free(r);
	dfuse_image_free(img);
	(*files)++;
}

static void test_dfuse_read__realworld_corpus(void **state)
{
	FILE *f = fopen(CORPUS_DIR "MANIFEST.tsv", "r");
	char line[4096];
	size_t files = 0;
	int header = 1;

	(void)state;
	if (f == NULL) {
		print_message("skipped: %sMANIFEST.tsv is absent\n",
			      CORPUS_DIR);
		skip();
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (header) {
			header = 0;
			continue;
		}
		if (line[0] == '\0')
			continue;
		check_corpus_file(line, &files);
	}
	fclose(f);
	assert_true(files >= 15);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dfuse_read__golden),
		cmocka_unit_test(test_dfuse_read__golden_incl_suffix),
		cmocka_unit_test(test_dfuse_read__vector_files),
		cmocka_unit_test(test_dfuse_read__bad_prefix_signature),
		cmocka_unit_test(test_dfuse_read__unsupported_version),
		cmocka_unit_test(test_dfuse_read__truncated_messages),
		cmocka_unit_test(test_dfuse_read__bad_target_signature),
		cmocka_unit_test(test_dfuse_read__target_count_mismatch),
		cmocka_unit_test(test_dfuse_read__element_count_ffffffff),
		cmocka_unit_test(test_dfuse_read__element_past_end),
		cmocka_unit_test(test_dfuse_read__target_size_mismatch),
		cmocka_unit_test(test_dfuse_read__image_size_mismatch),
		cmocka_unit_test(test_dfuse_read__suffix_fields),
		cmocka_unit_test(test_dfuse_read__crc_mismatch),
		cmocka_unit_test(test_dfuse_read__trailing_bytes),
		cmocka_unit_test(test_dfuse_read__broken_image_never_data),
		cmocka_unit_test(test_dfuse_read__owned_buffer),
		cmocka_unit_test(test_dfuse_read__element_overlap_and_empty),
		cmocka_unit_test(test_dfuse_read__name_garbage),
		cmocka_unit_test(test_dfuse_read__no_targets),
		cmocka_unit_test(test_dfuse_read__truncated_every_length),
		cmocka_unit_test(test_dfuse_read__cut_body_every_length),
		cmocka_unit_test(test_dfuse_read__no_data),
		cmocka_unit_test(test_dfuse_read__arguments),
		cmocka_unit_test(test_dfuse_read__file_errors),
		cmocka_unit_test(test_dfuse_read__pipe),
		cmocka_unit_test(test_dfuse_read__two_targets),
		cmocka_unit_test(test_dfuse_read__many_elements),
		cmocka_unit_test(test_dfuse_read__element_limit),
		cmocka_unit_test(test_dfuse_read__many_findings),
		cmocka_unit_test(test_dfuse_read__every_error_kept),
		cmocka_unit_test(test_dfuse_read__not_dfuse),
		cmocka_unit_test(test_dfuse_read__diagnosed_counts),
		cmocka_unit_test(test_dfuse_read__bad_files),
		cmocka_unit_test(test_dfuse_read__realworld_corpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
