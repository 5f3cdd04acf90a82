/*
 * test_merge.c - dfuse_merge(), dfuse_split() and dfuse_image_crop().
 *
 * "File" images are made as the reader makes them (elements pushed in
 * file order, has_file set), so that their order and lack of padding are
 * what a real file gives; "built" images come from dfuse_image_add_data().
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

/* An image as read from a file: one target, elements in the given order,
 * element i holding `size[i]` bytes of value `fill[i]`. */
static dfuse_image *file_image(uint8_t alt, const char *name, size_t n,
			       const uint32_t *addr, const uint32_t *size,
			       const uint8_t *fill)
{
	dfuse_image *img = NULL;
	size_t i;

	assert_int_equal(dfuse_image_new(&img), 0);
	assert_true(dfuse_image_add_target(img, alt, name) >= 0);
	for (i = 0; i < n; i++) {
		uint8_t *d = malloc(size[i] ? size[i] : 1);

		assert_non_null(d);
		memset(d, fill[i], size[i]);
		assert_int_equal(dfuse__image_push_element(img, 0, addr[i],
							   size[i], d, 0),
				 0);
	}
	img->has_file = 1;
	img->keep = 1;
	return img;
}

static void element(dfuse_element_info *e, const dfuse_image *img, size_t t,
		    size_t i)
{
	assert_int_equal(dfuse_image_get_element(e, img, t, i), 0);
}

static size_t count(const dfuse_image *img, size_t t)
{
	dfuse_target_info ti;

	assert_int_equal(dfuse_image_get_target(&ti, img, t), 0);
	return ti.element_count;
}

static int has_finding(const dfuse_report *r, const char *code)
{
	dfuse_finding f;
	size_t i;

	for (i = 0; i < dfuse_report_count(r); i++) {
		assert_int_equal(dfuse_report_get(&f, r, i), 0);
		if (strcmp(f.code, code) == 0)
			return 1;
	}
	return 0;
}

static int merge(dfuse_image **out, dfuse_report **rep, dfuse_image *a,
		 dfuse_image *b, const dfuse_merge_options *o)
{
	const dfuse_image *in[2];
	static const char *const names[2] = {"a.dfu", "b.dfu"};
	dfuse_merge_options local = DFUSE_MERGE_OPTIONS_INIT;

	in[0] = a;
	in[1] = b;
	if (o != NULL)
		local = *o;
	local.names = names;
	return dfuse_merge(out, rep, in, b ? 2 : 1, &local);
}

/* ======== Merge ======== */

static void test_merge__single_input_keeps_file_order(void **state)
{
	/* out of address order, and touching (0x100 + 0x100 = 0x200) */
	static const uint32_t addr[3] = {0x300, 0x100, 0x200};
	static const uint32_t size[3] = {4, 0x100, 3};
	static const uint8_t fill[3] = {0x33, 0x11, 0x22};
	dfuse_image *a = file_image(0, "ST...", 3, addr, size, fill), *m = NULL;
	void *x = NULL, *y = NULL;
	size_t nx = 0, ny = 0, i;

	(void)state;
	assert_int_equal(merge(&m, NULL, a, NULL, NULL), 0);
	assert_int_equal(count(m, 0), 3);
	for (i = 0; i < 3; i++) {
		dfuse_element_info e;

		element(&e, m, 0, i);
		assert_int_equal(e.address, addr[i]);
		assert_int_equal(e.size, size[i]);
		assert_int_equal(e.data[0], fill[i]);
		assert_string_equal(e.source, "a.dfu");
	}
	/* the same file, byte for byte */
	assert_int_equal(dfuse_write(&x, &nx, a), 0);
	assert_int_equal(dfuse_write(&y, &ny, m), 0);
	assert_int_equal(nx, ny);
	assert_memory_equal(x, y, nx);
	dfuse_free(x);
	dfuse_free(y);
	dfuse_image_free(a);
	dfuse_image_free(m);
}

static void test_merge__interleaves_by_address(void **state)
{
	static const uint32_t aa[2] = {0x08000000, 0x08040000};
	static const uint32_t ba[2] = {0x08020000, 0x08100000};
	static const uint32_t sz[2] = {64, 64};
	static const uint8_t fa[2] = {1, 2}, fb[2] = {3, 4};
	dfuse_image *a = file_image(0, "A", 2, aa, sz, fa);
	dfuse_image *b = file_image(0, "A", 2, ba, sz, fb);
	dfuse_image *m1 = NULL, *m2 = NULL;
	static const uint32_t want[4] = {0x08000000, 0x08020000, 0x08040000,
					 0x08100000};
	size_t i;

	(void)state;
	/* either input order gives address order */
	assert_int_equal(merge(&m1, NULL, a, b, NULL), 0);
	assert_int_equal(merge(&m2, NULL, b, a, NULL), 0);
	assert_int_equal(dfuse_image_count_targets(m1), 1);
	for (i = 0; i < 4; i++) {
		dfuse_element_info x, y;

		element(&x, m1, 0, i);
		element(&y, m2, 0, i);
		assert_int_equal(x.address, want[i]);
		assert_int_equal(y.address, want[i]);
	}
	dfuse_image_free(a);
	dfuse_image_free(b);
	dfuse_image_free(m1);
	dfuse_image_free(m2);
}

static void test_merge__targets_by_alt(void **state)
{
	static const uint32_t ad[1] = {0x08000000}, ob[1] = {0x5200201C};
	static const uint32_t sz[1] = {32};
	static const uint8_t f[1] = {0};
	dfuse_image *a = file_image(1, "Option Bytes", 1, ob, sz, f);
	dfuse_image *b = file_image(0, "Internal Flash", 1, ad, sz, f);
	dfuse_image *m = NULL;
	dfuse_target_info t0, t1;

	(void)state;
	/* a second alt-0 target in b joins the first */
	assert_int_equal(dfuse_image_add_target(b, 0, "Internal Flash"), 1);
	{
		static const uint8_t d[4] = {1, 2, 3, 4};

		assert_int_equal(
			dfuse_image_add_data(b, 1, 0x08100000, d, 4, NULL), 0);
	}
	assert_int_equal(merge(&m, NULL, a, b, NULL), 0);
	assert_int_equal(dfuse_image_count_targets(m), 2);
	assert_int_equal(dfuse_image_get_target(&t0, m, 0), 0);
	assert_int_equal(dfuse_image_get_target(&t1, m, 1), 0);
	/* alt 0 first: the lower alternate setting leads */
	assert_int_equal(t0.alt, 0);
	assert_string_equal(t0.name, "Internal Flash");
	assert_int_equal(t0.element_count, 2);
	assert_int_equal(t1.alt, 1);
	assert_string_equal(t1.name, "Option Bytes");
	dfuse_image_free(a);
	dfuse_image_free(b);
	dfuse_image_free(m);
}

static void test_merge__different_overlap_names_both(void **state)
{
	static const uint32_t aa[1] = {0x08000000}, ba[1] = {0x08000010};
	static const uint32_t sz[1] = {0x20};
	static const uint8_t fa[1] = {0xAA}, fb[1] = {0xBB};
	dfuse_image *a = file_image(0, "x", 1, aa, sz, fa);
	dfuse_image *b = file_image(0, "x", 1, ba, sz, fb);
	dfuse_image *m = NULL;
	const char *msg;

	(void)state;
	assert_int_equal(merge(&m, NULL, a, b, NULL), DFUSE_EOVERLAP);
	assert_null(m);
	msg = dfuse_error_last()->message;
	assert_non_null(strstr(msg, "alternate setting 0: "));
	assert_non_null(strstr(msg, "'a.dfu' target 0 element 0 "
				    "(0x08000000-0x0800001f)"));
	assert_non_null(strstr(msg, "'b.dfu' target 0 element 0 "
				    "(0x08000010-0x0800002f)"));
	assert_non_null(strstr(msg, "overlap at 0x08000010-0x0800001f"));
	assert_non_null(strstr(msg, "first at 0x08000010: 0xaa, then 0xbb"));
	dfuse_image_free(a);
	dfuse_image_free(b);
}

/* The element named is the one holding the byte that differs. */
static void test_merge__overlap_names_the_holder(void **state)
{
	static const uint32_t addr[3] = {0x100, 0x108, 0x120};
	static const uint32_t size[3] = {0x10, 0x28, 0x8};
	static const uint8_t fill[3] = {0x11, 0x11, 0x22};
	dfuse_image *a = file_image(0, "x", 3, addr, size, fill), *m = NULL;

	(void)state;
	assert_int_equal(merge(&m, NULL, a, NULL, NULL), DFUSE_EOVERLAP);
	assert_non_null(strstr(dfuse_error_last()->message,
			       "'a.dfu' target 0 element 1 (0x00000108-"
			       "0x0000012f) and 'a.dfu' target 0 element 2 "
			       "(0x00000120-0x00000127) overlap at "
			       "0x00000120-0x00000127"));
	dfuse_image_free(a);
}

static void test_merge__identical_overlap_kept_once(void **state)
{
	static const uint32_t aa[1] = {0x100}, ba[1] = {0x110};
	static const uint32_t sz[1] = {0x20};
	static const uint8_t f[1] = {0x5A};
	dfuse_image *a = file_image(0, "x", 1, aa, sz, f);
	dfuse_image *b = file_image(0, "x", 1, ba, sz, f);
	dfuse_image *m = NULL;
	dfuse_report *r = NULL;
	dfuse_element_info e;

	(void)state;
	assert_int_equal(merge(&m, &r, a, b, NULL), 0);
	assert_int_equal(count(m, 0), 1);
	element(&e, m, 0, 0);
	assert_int_equal(e.address, 0x100);
	assert_int_equal(e.size, 0x30);
	assert_true(has_finding(r, "overlap-identical"));
	dfuse_report_free(r);
	dfuse_image_free(a);
	dfuse_image_free(b);
	dfuse_image_free(m);
}

static void test_merge__shared_flash_word(void **state)
{
	/* 5 bytes at 0x08000000 and 4 at 0x08000010: one 32-byte word */
	static const uint32_t aa[1] = {0x08000000}, ba[1] = {0x08000010};
	static const uint32_t sa[1] = {5}, sb[1] = {4};
	static const uint8_t fa[1] = {0x01}, fb[1] = {0x02};
	dfuse_merge_options o = DFUSE_MERGE_OPTIONS_INIT;
	dfuse_image *a = file_image(0, "x", 1, aa, sa, fa);
	dfuse_image *b = file_image(0, "x", 1, ba, sb, fb);
	dfuse_image *m = NULL;
	dfuse_report *r = NULL;
	dfuse_element_info e;
	size_t i;

	(void)state;
	/* without a profile nothing is known of flash words */
	assert_int_equal(merge(&m, NULL, a, b, NULL), 0);
	assert_int_equal(count(m, 0), 2);
	dfuse_image_free(m);
	o.profile = dfuse_profile_default();
	assert_int_equal(merge(&m, &r, a, b, &o), 0);
	assert_int_equal(count(m, 0), 1);
	element(&e, m, 0, 0);
	assert_int_equal(e.address, 0x08000000);
	/* file bytes are not padded: the element ends where b did */
	assert_int_equal(e.size, 0x14);
	for (i = 0; i < 5; i++)
		assert_int_equal(e.data[i], 0x01);
	for (; i < 0x10; i++)
		assert_int_equal(e.data[i], 0xFF);
	for (; i < 0x14; i++)
		assert_int_equal(e.data[i], 0x02);
	assert_true(has_finding(r, "flash-word-shared"));
	dfuse_report_free(r);
	dfuse_image_free(m);
	dfuse_image_free(a);
	dfuse_image_free(b);
}

static void test_merge__built_input_padded(void **state)
{
	static const uint8_t d[5] = {1, 2, 3, 4, 5};
	static const uint32_t fa[1] = {0x08100000}, fs[1] = {3};
	static const uint8_t ff[1] = {0x77};
	dfuse_merge_options o = DFUSE_MERGE_OPTIONS_INIT;
	dfuse_image *built = NULL, *file = file_image(0, "", 1, fa, fs, ff);
	dfuse_image *m = NULL;
	dfuse_element_info e;

	(void)state;
	assert_int_equal(dfuse_image_new(&built), 0);
	assert_int_equal(dfuse_image_add_target(built, 0, NULL), 0);
	assert_int_equal(dfuse_image_add_data(built, 0, 0x08000004, d, 5, NULL),
			 0);
	o.profile = dfuse_profile_default();
	assert_int_equal(merge(&m, NULL, built, file, &o), 0);
	assert_int_equal(count(m, 0), 2);
	element(&e, m, 0, 0);
	/* built: padded to the 32-byte word 0x08000000-0x0800001f */
	assert_int_equal(e.address, 0x08000000);
	assert_int_equal(e.size, 32);
	assert_int_equal(e.data[0], 0xFF);
	assert_int_equal(e.data[4], 1);
	assert_int_equal(e.data[9], 0xFF);
	element(&e, m, 0, 1);
	/* read from a file: as it was */
	assert_int_equal(e.address, 0x08100000);
	assert_int_equal(e.size, 3);
	dfuse_image_free(built);
	dfuse_image_free(file);
	dfuse_image_free(m);
}

static void test_merge__ids(void **state)
{
	static const uint32_t ad[1] = {0}, sz[1] = {1};
	static const uint8_t f[1] = {0};
	dfuse_merge_options o = DFUSE_MERGE_OPTIONS_INIT;
	dfuse_image *a = file_image(0, "", 1, ad, sz, f);
	dfuse_image *b = file_image(0, "", 1, ad, sz, f);
	dfuse_image *m = NULL;
	dfuse_ids ia, ib, got;

	(void)state;
	dfuse_image_get_ids(&ia, a);
	ia.id_vendor = 0x0483;
	ia.id_product = 0xDF11;
	ia.bcd_device = 0xFFFF; /* any */
	dfuse_image_set_ids(a, &ia);
	ib = ia;
	ib.id_product = 0xFFFF; /* any */
	ib.bcd_device = 0x0200;
	dfuse_image_set_ids(b, &ib);
	assert_int_equal(merge(&m, NULL, a, b, NULL), 0);
	dfuse_image_get_ids(&got, m);
	assert_int_equal(got.id_vendor, 0x0483);
	assert_int_equal(got.id_product, 0xDF11);
	assert_int_equal(got.bcd_device, 0x0200);
	dfuse_image_free(m);
	/* two vendors: refused, both named */
	ib.id_vendor = 0x1209;
	dfuse_image_set_ids(b, &ib);
	assert_int_equal(merge(&m, NULL, a, b, NULL), DFUSE_ECONFLICT);
	assert_non_null(strstr(dfuse_error_last()->message,
			       "idVendor: 0x0483 in 'a.dfu', 0x1209 in "
			       "'b.dfu'"));
	/* unless the caller decides */
	o.flags = DFUSE_MERGE_VID;
	o.ids.id_vendor = 0xCAFE;
	assert_int_equal(merge(&m, NULL, a, b, &o), 0);
	dfuse_image_get_ids(&got, m);
	assert_int_equal(got.id_vendor, 0xCAFE);
	dfuse_image_free(m);
	/* ST's DFU File Manager's PID 0000 is unset: it gives way to df11
	 * (b), and stays 0000 when every input says 0000 */
	ia.id_product = 0xDF11;
	ib = ia;
	ib.id_product = 0x0000;
	dfuse_image_set_ids(a, &ia);
	dfuse_image_set_ids(b, &ib);
	assert_int_equal(merge(&m, NULL, b, a, NULL), 0);
	dfuse_image_get_ids(&got, m);
	assert_int_equal(got.id_product, 0xDF11);
	dfuse_image_free(m);
	dfuse_image_set_ids(a, &ib);
	assert_int_equal(merge(&m, NULL, a, b, NULL), 0);
	dfuse_image_get_ids(&got, m);
	assert_int_equal(got.id_product, 0x0000);
	dfuse_image_free(m);
	dfuse_image_free(a);
	dfuse_image_free(b);
}

static void test_merge__names(void **state)
{
	static const uint32_t aa[1] = {0}, ba[1] = {0x100};
	static const uint32_t sz[1] = {1};
	static const uint8_t f[1] = {0};
	dfuse_merge_options o = DFUSE_MERGE_OPTIONS_INIT;
	dfuse_image *a = file_image(0, "", 1, aa, sz, f);
	dfuse_image *b = file_image(0, "Second", 1, ba, sz, f);
	dfuse_image *c = file_image(0, "Third", 1, ba, sz, f);
	dfuse_image *m = NULL;
	dfuse_report *r = NULL;
	dfuse_target_info t;

	(void)state;
	/* the first non-empty name */
	assert_int_equal(merge(&m, &r, a, b, NULL), 0);
	assert_int_equal(dfuse_image_get_target(&t, m, 0), 0);
	assert_string_equal(t.name, "Second");
	assert_int_equal(t.named, 1);
	assert_false(has_finding(r, "target-name-conflict"));
	dfuse_report_free(r);
	dfuse_image_free(m);
	/* a different one is a warning */
	assert_int_equal(merge(&m, &r, b, c, NULL), 0);
	assert_int_equal(dfuse_image_get_target(&t, m, 0), 0);
	assert_string_equal(t.name, "Second");
	assert_true(has_finding(r, "target-name-conflict"));
	dfuse_report_free(r);
	dfuse_image_free(m);
	/* the caller's name wins, with no warning */
	o.name = "Mine";
	assert_int_equal(merge(&m, &r, b, c, &o), 0);
	assert_int_equal(dfuse_image_get_target(&t, m, 0), 0);
	assert_string_equal(t.name, "Mine");
	assert_false(has_finding(r, "target-name-conflict"));
	dfuse_report_free(r);
	dfuse_image_free(m);
	dfuse_image_free(a);
	dfuse_image_free(b);
	dfuse_image_free(c);
}

/* ======== Split ======== */

static dfuse_image *dual_core(void)
{
	static const uint8_t cm7[64] = {7}, cm4[64] = {4}, ob[4] = {1};
	dfuse_image *img = NULL;

	assert_int_equal(dfuse_image_new(&img), 0);
	assert_int_equal(dfuse_image_add_target(img, 0, "Internal Flash"), 0);
	assert_int_equal(
		dfuse_image_add_data(img, 0, 0x08000000, cm7, 64, NULL), 0);
	assert_int_equal(
		dfuse_image_add_data(img, 0, 0x08020000, cm7, 32, NULL), 0);
	assert_int_equal(
		dfuse_image_add_data(img, 0, 0x08100000, cm4, 64, NULL), 0);
	assert_int_equal(dfuse_image_add_target(img, 1, "Option Bytes"), 1);
	assert_int_equal(dfuse_image_add_data(img, 1, 0x5200201C, ob, 4, NULL),
			 0);
	return img;
}

static void test_merge__split_by_core_and_back(void **state)
{
	dfuse_split_options so = DFUSE_SPLIT_OPTIONS_INIT;
	dfuse_image *img = dual_core(), *m = NULL;
	const dfuse_image *in[3];
	dfuse_parts *ps = NULL;
	dfuse_part p;
	void *x = NULL, *y = NULL;
	size_t nx = 0, ny = 0;

	(void)state;
	assert_int_equal(dfuse_split(&ps, img, &so), 0);
	assert_int_equal(dfuse_parts_count(ps), 3);
	assert_int_equal(dfuse_parts_get(&p, ps, 0), 0);
	assert_string_equal(p.name, "cm7.dfu");
	assert_int_equal(p.core, DFUSE_CORE_CM7);
	assert_int_equal(dfuse_image_count_targets(p.image), 1);
	assert_int_equal(count(p.image, 0), 2);
	in[2] = p.image;
	assert_int_equal(dfuse_parts_get(&p, ps, 1), 0);
	assert_string_equal(p.name, "cm4.dfu");
	in[0] = p.image;
	assert_int_equal(dfuse_parts_get(&p, ps, 2), 0);
	assert_string_equal(p.name, "alt1.dfu");
	assert_int_equal(p.alt, 1);
	in[1] = p.image;
	assert_int_equal(dfuse_parts_get(&p, ps, 3), DFUSE_EINVAL);
	/* merged back in another order: the same bytes */
	assert_int_equal(dfuse_merge(&m, NULL, in, 3, NULL), 0);
	assert_int_equal(dfuse_write(&x, &nx, img), 0);
	assert_int_equal(dfuse_write(&y, &ny, m), 0);
	assert_int_equal(nx, ny);
	assert_memory_equal(x, y, nx);
	dfuse_free(x);
	dfuse_free(y);
	dfuse_image_free(m);
	dfuse_parts_free(ps);
	dfuse_image_free(img);
}

/* Parts of a file image are kept as the file holds them: no padding when
 * they merge back, even with a profile. */
static void test_merge__file_parts_unpadded(void **state)
{
	static const uint32_t addr[2] = {0x08100000, 0x08000000};
	static const uint32_t size[2] = {5, 7};
	static const uint8_t fill[2] = {4, 7};
	dfuse_merge_options o = DFUSE_MERGE_OPTIONS_INIT;
	dfuse_split_options so = DFUSE_SPLIT_OPTIONS_INIT;
	dfuse_image *a = file_image(0, "ST...", 2, addr, size, fill), *m = NULL;
	const dfuse_image *in[2];
	dfuse_parts *ps = NULL;
	dfuse_part p;
	dfuse_element_info e;

	(void)state;
	so.by = DFUSE_SPLIT_ELEMENT;
	assert_int_equal(dfuse_split(&ps, a, &so), 0);
	assert_int_equal(dfuse_parts_count(ps), 2);
	assert_int_equal(dfuse_parts_get(&p, ps, 0), 0);
	assert_string_equal(p.name, "cm4@0x08100000.dfu");
	in[1] = p.image;
	assert_int_equal(dfuse_parts_get(&p, ps, 1), 0);
	assert_string_equal(p.name, "cm7@0x08000000.dfu");
	in[0] = p.image;
	o.profile = dfuse_profile_default();
	assert_int_equal(dfuse_merge(&m, NULL, in, 2, &o), 0);
	element(&e, m, 0, 0);
	assert_int_equal(e.address, 0x08000000);
	assert_int_equal(e.size, 7);
	element(&e, m, 0, 1);
	assert_int_equal(e.address, 0x08100000);
	assert_int_equal(e.size, 5);
	dfuse_image_free(m);
	dfuse_parts_free(ps);
	dfuse_image_free(a);
}

static void test_merge__split_names_contained(void **state)
{
	static const char *const hostile[] = {
		"../../etc/x", "/etc/passwd", "..",	 "a/b",
		"A/B",	       "\x01\xff",    ".hidden", "x\ny"};
	static const char *const want[] = {
		"alt0-etc_x.dfu",  "alt0-etc_passwd.dfu", "alt0.dfu",
		"alt0-a_b.dfu",	   "alt0-A_B-2.dfu",	  "alt0-2.dfu",
		"alt0-hidden.dfu", "alt0-x_y.dfu"};
	dfuse_split_options so = DFUSE_SPLIT_OPTIONS_INIT;
	dfuse_image *img = NULL;
	dfuse_parts *ps = NULL;
	dfuse_part p;
	size_t i;

	(void)state;
	assert_int_equal(dfuse_image_new(&img), 0);
	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		static const uint8_t d[1] = {0};

		assert_int_equal(dfuse_image_add_target(img, 0, hostile[i]),
				 (int)i);
		assert_int_equal(
			dfuse_image_add_data(img, i, 0x100, d, 1, NULL), 0);
	}
	so.by = DFUSE_SPLIT_TARGET;
	assert_int_equal(dfuse_split(&ps, img, &so), 0);
	assert_int_equal(dfuse_parts_count(ps), 8);
	for (i = 0; i < 8; i++) {
		assert_int_equal(dfuse_parts_get(&p, ps, i), 0);
		assert_string_equal(p.name, want[i]);
		assert_null(strchr(p.name, '/'));
		assert_true(p.name[0] != '.');
	}
	dfuse_parts_free(ps);
	dfuse_image_free(img);
}

static void test_merge__split_bin_runs(void **state)
{
	dfuse_split_options so = DFUSE_SPLIT_OPTIONS_INIT;
	dfuse_image *img = dual_core();
	dfuse_parts *ps = NULL;
	dfuse_part p;
	static const char *const want[4] = {
		"cm7@0x08000000.bin", "cm7@0x08020000.bin",
		"cm4@0x08100000.bin", "alt1@0x5200201c.bin"};
	size_t i;

	(void)state;
	so.format = DFUSE_FORMAT_BIN;
	assert_int_equal(dfuse_split(&ps, img, &so), 0);
	assert_int_equal(dfuse_parts_count(ps), 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(dfuse_parts_get(&p, ps, i), 0);
		assert_string_equal(p.name, want[i]);
		assert_int_equal(dfuse_image_count_targets(p.image), 1);
		assert_int_equal(count(p.image, 0), 1);
	}
	dfuse_parts_free(ps);
	/* by element, as HEX */
	so.format = DFUSE_FORMAT_IHEX;
	so.by = DFUSE_SPLIT_ELEMENT;
	assert_int_equal(dfuse_split(&ps, img, &so), 0);
	assert_int_equal(dfuse_parts_count(ps), 4);
	assert_int_equal(dfuse_parts_get(&p, ps, 1), 0);
	assert_string_equal(p.name, "cm7@0x08020000.hex");
	dfuse_parts_free(ps);
	dfuse_image_free(img);
}

static void test_merge__split_nothing(void **state)
{
	dfuse_image *img = NULL;
	dfuse_parts *ps = NULL;

	(void)state;
	assert_int_equal(dfuse_image_new(&img), 0);
	assert_int_equal(dfuse_split(&ps, img, NULL), DFUSE_ENOTFOUND);
	assert_non_null(strstr(dfuse_error_last()->message, "nothing"));
	assert_null(ps);
	dfuse_image_free(img);
}

/* ======== Crop ======== */

static void test_merge__crop(void **state)
{
	static const uint32_t addr[3] = {0x300, 0x100, 0x200};
	static const uint32_t size[3] = {0x10, 0x100, 0x10};
	static const uint8_t fill[3] = {3, 1, 2};
	dfuse_image *a = file_image(0, "", 3, addr, size, fill);
	dfuse_element_info e;

	(void)state;
	/* [0x1f0, 0x308): the tail of 0x100, all of 0x200, 8 of 0x300 */
	assert_int_equal(dfuse_image_crop(a, 0x1f0, 0x308), 0);
	assert_int_equal(count(a, 0), 3);
	element(&e, a, 0, 0);
	assert_int_equal(e.address, 0x300);
	assert_int_equal(e.size, 8);
	element(&e, a, 0, 1);
	assert_int_equal(e.address, 0x1f0);
	assert_int_equal(e.size, 0x10);
	assert_int_equal(e.data[0], 1);
	element(&e, a, 0, 2);
	assert_int_equal(e.address, 0x200);
	assert_int_equal(dfuse_image_crop(a, 0x400, 0x500), 0);
	assert_int_equal(count(a, 0), 0);
	assert_int_equal(dfuse_image_crop(a, 5, 5), DFUSE_EINVAL);
	dfuse_image_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge__single_input_keeps_file_order),
		cmocka_unit_test(test_merge__interleaves_by_address),
		cmocka_unit_test(test_merge__targets_by_alt),
		cmocka_unit_test(test_merge__different_overlap_names_both),
		cmocka_unit_test(test_merge__overlap_names_the_holder),
		cmocka_unit_test(test_merge__identical_overlap_kept_once),
		cmocka_unit_test(test_merge__shared_flash_word),
		cmocka_unit_test(test_merge__built_input_padded),
		cmocka_unit_test(test_merge__ids),
		cmocka_unit_test(test_merge__names),
		cmocka_unit_test(test_merge__split_by_core_and_back),
		cmocka_unit_test(test_merge__file_parts_unpadded),
		cmocka_unit_test(test_merge__split_names_contained),
		cmocka_unit_test(test_merge__split_bin_runs),
		cmocka_unit_test(test_merge__split_nothing),
		cmocka_unit_test(test_merge__crop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
